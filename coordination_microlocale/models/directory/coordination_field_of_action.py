from odoo import models


class CoordinationFieldOfAction(models.Model):
    _name = "coordination.field.of.action"
    _inherit = ["coordination.reference.list"]
    _description = "Field of action"
    _order = "sequence, id"
