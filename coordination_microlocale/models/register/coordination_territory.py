from odoo import fields, models


class CoordinationTerritory(models.Model):
    _inherit = "coordination.territory"

    register_keeper_ids = fields.Many2many(
        "res.users",
        "coordination_territory_register_keeper_rel",
        "territory_id",
        "user_id",
        string="Register keepers",
        help="The municipal staff the mayor designates to keep the register of "
        "vulnerable people of this territory, besides its coordinators.",
    )
