from odoo import fields, models


class CoordinationCharterSignatory(models.Model):
    _name = "coordination.charter.signatory"
    _description = "Professional signing a charter"
    _rec_name = "partner_id"
    _order = "charter_id, id"

    charter_id = fields.Many2one(
        "coordination.charter", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Professional", required=True, ondelete="restrict"
    )
    profession_id = fields.Many2one(related="partner_id.coordination_profession_id")
    date_signed = fields.Date(string="Signed on")

    _partner_uniq = models.Constraint(
        "UNIQUE(charter_id, partner_id)", "This professional already signs the charter."
    )
