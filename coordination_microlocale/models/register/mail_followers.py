from odoo import models
from odoo.fields import Domain

# The register's models that have followers (mail.thread).
REGISTER_FILE_MODELS = ("coordination.register.entry",)


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    def _coordination_hidden_file_domain(self):
        """Followers of the register's entries the current user may not read too."""
        hidden = super()._coordination_hidden_file_domain()
        env = self.env(su=False)
        for model_name in REGISTER_FILE_MODELS:
            Model = env[model_name].with_context(active_test=False)
            file_domain = Domain("res_model", "=", model_name)
            if Model.has_access("read"):
                file_domain &= Domain("res_id", "not in", Model._search([]))
            hidden |= file_domain
        return hidden
