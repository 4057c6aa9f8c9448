from odoo import fields, models


class CoordinationPriorityTheme(models.Model):
    _name = "coordination.priority.theme"
    _description = "Priority health theme"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "This code is already used.")
