from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _prepare_outgoing_list(self, mail_server=False, doc_to_followers=None):
        emails = super()._prepare_outgoing_list(
            mail_server=mail_server, doc_to_followers=doc_to_followers
        )
        Model = self.env.get(self.model) if self.model else None
        if Model is not None and getattr(
            Model, "_coordination_neutral_notification", False
        ):
            # Files of an individual file stay in Odoo: e-mails carry no attachment.
            for email in emails:
                email["attachments"] = []
        return emails
