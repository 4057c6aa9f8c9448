from odoo import models


class CoordinationNeutralNotificationMixin(models.AbstractModel):
    """E-mails about an individual file say that something happened, not what.

    Followers are told a message was posted on a file, by its reference, and are invited
    to log in: nothing of the person's situation travels by e-mail.
    """

    _name = "coordination.neutral.notification.mixin"
    # It overrides mail.thread's e-mail layout: declared, so that its methods come
    # before mail.thread's whatever the order of a model's _inherit list.
    _inherit = ["mail.thread"]
    _description = "Notifications without health content"
    _coordination_neutral_notification = True

    def _notify_by_email_render_layout(
        self, message, recipients_group, msg_vals=False, render_values=None
    ):
        values = {**(render_values or {}), **recipients_group}
        values["record_name"] = self[:1].display_name or message.record_name
        return self.env["ir.qweb"]._render(
            "coordination_microlocale.mail_notification_neutral",
            values,
            minimal_qcontext=True,
            lang=values.get("lang", self.env.lang),
        )

    def _notify_by_email_get_base_mail_values(
        self, message, recipients_data, additional_values=None
    ):
        values = super()._notify_by_email_get_base_mail_values(
            message, recipients_data, additional_values=additional_values
        )
        values["subject"] = self.env._(
            "New message on %(reference)s",
            reference=self[:1].display_name or message.record_name,
        )
        return values
