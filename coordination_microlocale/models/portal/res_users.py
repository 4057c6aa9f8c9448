from odoo import models

PROFESSIONAL_GROUPS = (
    "coordination_microlocale.group_professional",
    "coordination_microlocale.group_portal_professional",
)


class ResUsers(models.Model):
    _inherit = "res.users"

    def _coordination_is_professional(self):
        """A professional of the access policy, internal or with a portal account."""
        self.ensure_one()
        return any(self._has_group(group) for group in PROFESSIONAL_GROUPS)

    def _coordination_is_portal_person(self):
        self.ensure_one()
        return self._has_group("coordination_microlocale.group_portal_person")
