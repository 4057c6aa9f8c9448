from odoo import fields, models


class CoordinationProjectGoal(models.Model):
    _name = "coordination.project.goal"
    _inherit = ["coordination.access.trail.child.mixin"]
    _description = "Goal of an individual project"
    _order = "project_id, sequence, id"

    project_id = fields.Many2one(
        "coordination.individual.project", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="Goal", required=True, help="In the person's own words, as they set it."
    )
    state = fields.Selection(
        [
            ("open", "Pursued"),
            ("reached", "Reached"),
            ("partially", "Partly reached"),
            ("dropped", "Given up"),
        ],
        default="open",
        required=True,
    )

    def _coordination_anonymise(self):
        """Retention: the person's words go, the goal's state stays counted."""
        self.write({"name": "—"})
