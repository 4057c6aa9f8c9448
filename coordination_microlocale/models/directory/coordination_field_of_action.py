from odoo import fields, models


class CoordinationFieldOfAction(models.Model):
    _name = "coordination.field.of.action"
    _description = "Field of action"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "This code is already used.")
