from odoo import fields, models


class CoordinationSessionType(models.Model):
    _name = "coordination.session.type"
    _inherit = ["coordination.reference.list"]
    _description = "Collective session type"

    description = fields.Text(translate=True)
    is_individual = fields.Boolean(
        string="About a person's situation",
        help="Sessions of this type concern one person's project: they are private, "
        "and only their attendees and the territory's coordinators see their "
        "content.",
    )
    color = fields.Integer()
