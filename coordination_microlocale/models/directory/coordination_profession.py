from odoo import fields, models


class CoordinationProfession(models.Model):
    _name = "coordination.profession"
    _description = "Profession"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
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

    _code_uniq = models.Constraint("UNIQUE(code)", "This code is already used.")
