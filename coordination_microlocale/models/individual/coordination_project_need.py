from odoo import fields, models


class CoordinationProjectNeed(models.Model):
    _name = "coordination.project.need"
    _inherit = ["coordination.access.trail.child.mixin"]
    _description = "Need of an individual project"
    _order = "project_id, sequence, id"
    _rec_name = "determinant_id"

    project_id = fields.Many2one(
        "coordination.individual.project", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    determinant_id = fields.Many2one(
        "coordination.determinant",
        string="Determinant of health",
        required=True,
        ondelete="restrict",
        index=True,
    )
    description = fields.Text()
    is_met = fields.Boolean(string="Met", help="A partner answers this need.")
    territory_id = fields.Many2one(
        related="project_id.territory_id", store=True, index=True
    )

    def _coordination_anonymise(self):
        """Retention: the description goes, the determinant stays counted."""
        self.write({"description": False})
