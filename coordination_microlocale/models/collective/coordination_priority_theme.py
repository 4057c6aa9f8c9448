from odoo import fields, models


class CoordinationPriorityTheme(models.Model):
    _name = "coordination.priority.theme"
    _inherit = ["coordination.reference.list"]
    _description = "Priority health theme"

    color = fields.Integer()
