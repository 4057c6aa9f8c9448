from odoo import api, fields, models

from ..settings.coordination_parameters import PREFIX, get_bool_param

MFA_REQUIRED_PARAM = PREFIX + "mfa_required"
MFA_REQUIRED_GROUPS = (
    "coordination_microlocale.group_coordinator",
    "coordination_microlocale.group_professional",
    "coordination_microlocale.group_portal_professional",
    "coordination_microlocale.group_register_keeper",
)
# The professionals of the access policy: internal, or with a portal account.
PROFESSIONAL_GROUPS = (
    "coordination_microlocale.group_professional",
    "coordination_microlocale.group_portal_professional",
)


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

    def _coordination_is_professional(self):
        """A professional of the access policy, internal or with a portal account."""
        self.ensure_one()
        return any(self._has_group(group) for group in PROFESSIONAL_GROUPS)

    def _coordination_is_portal_person(self):
        """A person accompanied, with their own space on the portal."""
        self.ensure_one()
        return self._has_group("coordination_microlocale.group_portal_person")

    def _coordination_mfa_required(self):
        """Whether this user reaches individual files and must use two factors.

        Coordinators (managers included, the group implies coordinator) and
        professionals, unless the system parameter
        ``coordination_microlocale.mfa_required`` is explicitly false. A missing
        parameter means enforced, so that removing it does not turn 2FA off.
        """
        self.ensure_one()
        if not get_bool_param(self.env, "mfa_required"):
            return False
        return any(self._has_group(group) for group in MFA_REQUIRED_GROUPS)

    def _mfa_type(self):
        """Enforce auth_totp_mail's e-mail code for users who reach individual
        files and have no other second factor (an authenticator app keeps
        ``totp``; a passkey login skips the second step, as in plain Odoo)."""
        mfa_type = super()._mfa_type()
        if mfa_type is not None or len(self) != 1:
            return mfa_type
        if self._coordination_mfa_required():
            return "totp_mail"
        return None
