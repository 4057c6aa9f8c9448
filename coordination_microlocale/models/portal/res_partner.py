from odoo import api, fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    coordination_portal_visible = fields.Boolean(
        compute="_compute_coordination_portal_visible",
        search="_search_coordination_portal_visible",
        help="Technical: the contacts a portal user of the coordination may read, "
        "the directory and the members of the circles of the files they may see.",
    )

    @api.model
    def _coordination_portal_partner_ids(self):
        """The contacts of the files the current portal user may see.

        A professional: the circles and action carriers of the projects shared with
        them (the access policy, ``coordination_shared``); a person: those of their own
        projects. Nobody else gets any.
        """
        user = self.env.user
        Project = self.env["coordination.individual.project"]
        domain = Domain.FALSE
        if user._coordination_is_professional():
            domain |= Project._coordination_shared_domain()
        if user._coordination_is_portal_person():
            domain |= Domain("person_id", "=", user.partner_id.id)
        if domain.is_false():
            return []
        # sudo: the domain is the current user's own access policy, not their input.
        projects = Project.sudo().search(domain)
        partners = (
            projects.person_id
            | projects.circle_member_ids.filtered("is_active").partner_id
            | projects.action_ids.responsible_partner_id
            | projects.coordinator_id.partner_id
        )
        return partners.ids

    def _search_coordination_portal_visible(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = Domain("id", "in", self._coordination_portal_partner_ids())
        if self.env.user._coordination_is_professional():
            # the directory: partner structures and professionals, never residents
            domain |= Domain("coordination_role", "!=", False)
        return domain if True in value else ~domain

    @api.depends_context("uid")
    def _compute_coordination_portal_visible(self):
        visible = set(self._coordination_portal_partner_ids())
        professional = self.env.user._coordination_is_professional()
        for partner in self:
            partner.coordination_portal_visible = partner.id in visible or bool(
                professional and partner.coordination_role
            )
