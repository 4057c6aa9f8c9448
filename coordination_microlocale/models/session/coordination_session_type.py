from odoo import fields, models


class CoordinationSessionType(models.Model):
    _name = "coordination.session.type"
    _description = "Collective session type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    is_individual = fields.Boolean(
        string="About a person's situation",
        help="Sessions of this type concern one person's project: they are private, "
        "and only their attendees and the territory's coordinators see their "
        "content.",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "This code is already used.")
