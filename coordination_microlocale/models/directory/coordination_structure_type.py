from odoo import fields, models


class CoordinationStructureType(models.Model):
    _name = "coordination.structure.type"
    _inherit = ["coordination.reference.list"]
    _description = "Structure type"

    code = fields.Char(help="Short name, e.g. CPTS, MSP, CCAS.")
    description = fields.Text(translate=True)
    field_of_action_ids = fields.Many2many(
        "coordination.field.of.action",
        string="Usual fields of action",
        help="Proposed on a new structure of this type.",
    )
    level = fields.Selection(
        [
            ("local", "Local"),
            ("territorial", "Territorial"),
            ("regional", "Regional"),
        ],
        string="Usual level",
    )
    partner_count = fields.Integer(
        compute="_compute_partner_count", string="Structures"
    )

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("coordination_structure_type_id", "in", self.ids)],
                ["coordination_structure_type_id"],
                ["__count"],
            )
        )
        for structure_type in self:
            structure_type.partner_count = counts.get(structure_type, 0)
