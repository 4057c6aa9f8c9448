from odoo import api, fields, models


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

    def _coordination_territories_pairs(self):
        # sudo: the territories of users being changed by an allowed administrator.
        return {
            (territory.id, user.id)
            for user in self.sudo().with_context(active_test=False)
            for territory in user.coordination_territory_ids
        }

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        if any("coordination_territory_ids" in vals for vals in vals_list):
            self.env["coordination.coordinator.grant"]._record_changes(
                set(), users._coordination_territories_pairs()
            )
        return users

    def write(self, vals):
        if "coordination_territory_ids" not in vals:
            return super().write(vals)
        before = self._coordination_territories_pairs()
        res = super().write(vals)
        self.env["coordination.coordinator.grant"]._record_changes(
            before, self._coordination_territories_pairs()
        )
        return res
