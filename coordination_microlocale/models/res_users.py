from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    coordination_territory_ids = fields.Many2many(
        "coordination.territory",
        "coordination_territory_res_users_rel",
        "user_id",
        "territory_id",
        string="Coordinated territories",
        help="Territories whose individual files this user works on as coordinator.",
    )
