from odoo import fields, models


class CoordinationDeterminant(models.Model):
    _name = "coordination.determinant"
    _inherit = ["coordination.reference.list"]
    _description = "Determinant of health"

    description = fields.Text(translate=True)
