from odoo import api, fields, models
from odoo.fields import Domain

# The individual files that have followers (mail.thread), besides sessions about a
# person (calendar.event).
INDIVIDUAL_FILE_MODELS = (
    "coordination.request",
    "coordination.individual.project",
    "coordination.hospital.stay",
    "coordination.register.entry",
)


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    coordination_hidden_file = fields.Boolean(
        string="Follows a file hidden from me",
        compute="_compute_coordination_hidden_file",
        search="_search_coordination_hidden_file",
        help="Follows an individual file that the current user may not read.",
    )

    def _coordination_hidden_file_domain(self):
        """Followers of the individual files the current user may not read.

        The files the user may read are those their own record rules return: nothing
        of the policy is repeated here. Followers of any other document are left as
        Odoo has them.
        """
        # The rule is evaluated as superuser (uid kept): the files are searched with
        # the user's own rights, which is the point.
        env = self.env(su=False)
        hidden = Domain.FALSE
        for model_name in INDIVIDUAL_FILE_MODELS:
            Model = env[model_name].with_context(active_test=False)
            file_domain = Domain("res_model", "=", model_name)
            if Model.has_access("read"):
                file_domain &= Domain("res_id", "not in", Model._search([]))
            hidden |= file_domain
        Event = env["calendar.event"].with_context(active_test=False)
        # sudo: the sessions about a person, whoever may read them.
        individual = Event.sudo()._search([("coordination_is_individual", "=", True)])
        hidden |= (
            Domain("res_model", "=", "calendar.event")
            & Domain("res_id", "in", individual)
            & Domain("res_id", "not in", Event._search([]))
        )
        return hidden

    def _search_coordination_hidden_file(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = self._coordination_hidden_file_domain()
        return domain if True in value else ~domain

    @api.depends_context("uid")
    def _compute_coordination_hidden_file(self):
        # sudo: the domain is the current user's own access to the files.
        hidden = self.sudo().search(
            Domain("id", "in", self.ids) & self._coordination_hidden_file_domain()
        )
        for follower in self:
            follower.coordination_hidden_file = follower in hidden
