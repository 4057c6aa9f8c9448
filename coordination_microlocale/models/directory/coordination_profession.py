from odoo import fields, models


class CoordinationProfession(models.Model):
    _name = "coordination.profession"
    _inherit = ["coordination.reference.list"]
    _description = "Profession"

    category = fields.Selection(
        [
            ("health", "Health professional"),
            ("social", "Social work"),
            ("medico_social", "Medico-social"),
            ("other", "Other"),
        ],
        required=True,
        default="health",
    )
    identifier_kind = fields.Selection(
        [
            ("rpps", "RPPS"),
            ("adeli", "ADELI"),
            ("none", "None"),
        ],
        string="National identifier",
        required=True,
        default="none",
        help=(
            "Identifier this profession is registered under in the national "
            "directories."
        ),
    )
