from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

GRANT_OPERATIONS = [
    ("grant", "Made coordinator"),
    ("revoke", "No longer coordinator"),
]


class CoordinationCoordinatorGrant(models.Model):
    """Who made whom coordinator of a territory, when: the register of grants.

    Being coordinator of a territory opens every individual file there, so each grant
    and revocation is recorded here by the server, whichever side of the relation was
    edited (the territory or the user). Nobody may create, change or delete a line.
    """

    _name = "coordination.coordinator.grant"
    _description = "Coordinator grant"
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, readonly=True, index=True)
    territory_id = fields.Many2one(
        "coordination.territory",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Coordinator",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    granted_by_id = fields.Many2one(
        "res.users", string="By", required=True, readonly=True, ondelete="restrict"
    )
    operation = fields.Selection(GRANT_OPERATIONS, required=True, readonly=True)

    def write(self, vals):
        if self:
            raise AccessError(self.env._("The register of grants cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("The register of grants cannot be deleted."))

    @api.model
    def _coordination_pairs(self, territories):
        # sudo: the coordinators of territories being changed by an allowed user.
        return {
            (territory.id, user.id)
            for territory in territories.sudo().with_context(active_test=False)
            for user in territory.coordinator_ids
        }

    @api.model
    def _record_changes(self, before, after):
        """Check and record the grants between two sets of (territory, user) pairs."""
        granted, revoked = after - before, before - after
        if not granted and not revoked:
            return
        if not self.env.su and any(
            user_id == self.env.uid for _territory, user_id in granted
        ):
            raise UserError(
                self.env._(
                    "You cannot make yourself coordinator of a territory: it opens "
                    "every individual file there. Another manager must do it, and it "
                    "is recorded."
                )
            )
        users = self.env["res.users"].sudo().browse({uid for _t, uid in granted})
        group = "coordination_microlocale.group_coordinator"
        not_coordinators = users.filtered(lambda user: not user.has_group(group))
        if not_coordinators:
            raise UserError(
                self.env._(
                    "%(names)s must belong to the Coordinator group before "
                    "coordinating a territory.",
                    names=", ".join(not_coordinators.mapped("name")),
                )
            )
        now = fields.Datetime.now()
        # sudo: the register is written by the server only (no access right opens it).
        self.sudo().create(
            [
                {
                    "date": now,
                    "territory_id": territory_id,
                    "user_id": user_id,
                    "granted_by_id": self.env.uid,
                    "operation": operation,
                }
                for pairs, operation in ((granted, "grant"), (revoked, "revoke"))
                for territory_id, user_id in sorted(pairs)
            ]
        )
        # The rule of the evaluation report names the coordinated territories by id
        # (security/evaluation_rules.xml), and Odoo keeps the rules it computed for
        # a user in its cache: a grant or a revocation applies at the next request.
        self.env.registry.clear_cache()
