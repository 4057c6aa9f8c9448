from odoo import models


class PortalWizardUser(models.TransientModel):
    """Odoo's portal invitation, from the contact (Action > Grant portal access).

    A professional of the directory gets a portal professional account; a person
    accompanied, invited by the coordinator of their project once they agreed,
    their own space. Anybody else is invited as in plain Odoo.
    """

    _inherit = "portal.wizard.user"

    def _coordination_portal_group(self):
        self.ensure_one()
        partner = self.partner_id
        if partner.coordination_role == "professional":
            return self.env.ref("coordination_microlocale.group_portal_professional")
        # Searched with the inviting user's rights: only the coordinator of the
        # person's project makes them a person with a space of their own.
        Project = self.env["coordination.individual.project"]
        if Project.has_access("read") and Project.search_count(
            [("person_id", "=", partner.id)], limit=1
        ):
            return self.env.ref("coordination_microlocale.group_portal_person")
        return self.env["res.groups"]

    def action_grant_access(self):
        group = self._coordination_portal_group()
        res = super().action_grant_access()
        if group:
            # sudo: Odoo's wizard itself creates and updates the portal user as
            # superuser; the inviting user is a contact manager (its access rule).
            self.user_id.sudo().write({"group_ids": [(4, group.id)]})
        return res

    def action_revoke_access(self):
        user = self.user_id
        if user and user._is_portal():
            groups = self.env.ref(
                "coordination_microlocale.group_portal_professional"
            ) | self.env.ref("coordination_microlocale.group_portal_person")
            # sudo: as Odoo's wizard, which then removes the portal group itself
            # (those groups imply it: they go first).
            user.sudo().write({"group_ids": [(3, group.id) for group in groups]})
        return super().action_revoke_access()
