from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.settings.coordination_parameters import PREFIX


class CoordinationCalendarFeedWizard(models.TransientModel):
    """ "My calendar": turn on, renew or revoke one's own subscription."""

    _name = "coordination.calendar.feed.wizard"
    _description = "My calendar subscription"

    has_feed = fields.Boolean(readonly=True)
    expires_at = fields.Datetime(string="Expires on", readonly=True)
    show_details = fields.Boolean(
        string="Show the details of sessions about a person",
        help="Off by default: such sessions then appear under their reference and "
        "type only. Anybody who gets the address of your feed would see the details.",
    )
    url = fields.Char(
        string="Subscription address",
        readonly=True,
        help="Shown once: copy it into your calendar application. Renew it if it "
        "may have been seen by somebody else.",
    )
    validity_days = fields.Integer(
        string="Validity of the subscriptions (days)",
        groups="coordination_microlocale.group_manager",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        Feed = self.env["coordination.calendar.feed"]
        feed = Feed.search([("user_id", "=", self.env.user.id)], limit=1)
        values.update(
            {
                "has_feed": bool(feed),
                "expires_at": feed.expires_at,
                "show_details": feed.show_details,
            }
        )
        if "validity_days" in fields_list and self.env.user.has_group(
            "coordination_microlocale.group_manager"
        ):
            values["validity_days"] = Feed._validity_days()
        return values

    def _reopen(self, **values):
        wizard = self.create(
            {
                "show_details": self.show_details,
                **{k: v for k, v in values.items() if k != "validity_days"},
            }
        )
        wizard.write(
            {
                "has_feed": values.get("has_feed", wizard.has_feed),
                "expires_at": values.get("expires_at", wizard.expires_at),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("My calendar subscription"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_enable(self):
        self.ensure_one()
        Feed = self.env["coordination.calendar.feed"]
        url = Feed._issue(show_details=self.show_details)
        feed = Feed.search([("user_id", "=", self.env.user.id)], limit=1)
        return self._reopen(url=url, has_feed=True, expires_at=feed.expires_at)

    def action_revoke(self):
        self.ensure_one()
        self.env["coordination.calendar.feed"]._revoke()
        return self._reopen(has_feed=False, expires_at=False)

    def action_save(self):
        self.ensure_one()
        feed = self.env["coordination.calendar.feed"].search(
            [("user_id", "=", self.env.user.id)], limit=1
        )
        feed.write({"show_details": self.show_details})
        if self.env.user.has_group("coordination_microlocale.group_manager"):
            days = self.sudo().validity_days
            if days and days > 0:
                # sudo: managers set this one parameter, not the system's others
                self.env["ir.config_parameter"].sudo().set_param(
                    PREFIX + "calendar_feed_validity_days", str(days)
                )
        elif self.sudo().validity_days:
            raise AccessError(
                self.env._("Only managers set the validity of the subscriptions.")
            )
        return {"type": "ir.actions.act_window_close"}
