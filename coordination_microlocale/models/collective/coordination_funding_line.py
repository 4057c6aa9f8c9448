from odoo import fields, models


class CoordinationFundingLine(models.Model):
    _name = "coordination.funding.line"
    _description = "Funding line of a collective project"
    _order = "collective_project_id, status, id"

    collective_project_id = fields.Many2one(
        "coordination.collective.project", required=True, index=True, ondelete="cascade"
    )
    funder_id = fields.Many2one("res.partner", required=True, ondelete="restrict")
    name = fields.Char(string="Purpose")
    amount = fields.Monetary(required=True, currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    status = fields.Selection(
        [("existing", "Existing"), ("to_develop", "To develop")],
        required=True,
        default="existing",
    )

    _amount_positive = models.Constraint(
        "CHECK(amount >= 0)", "A funding amount cannot be negative."
    )
