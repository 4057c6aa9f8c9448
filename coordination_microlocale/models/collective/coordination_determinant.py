from odoo import fields, models


class CoordinationDeterminant(models.Model):
    _name = "coordination.determinant"
    _description = "Determinant of health"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "This code is already used.")
