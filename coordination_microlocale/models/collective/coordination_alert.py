from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

GROUP_BY_AUDIENCE = {
    "audience_professionals": "coordination_microlocale.group_professional",
    "audience_municipal_staff": "coordination_microlocale.group_municipal_staff",
}


ALERT_TYPES = [
    ("epidemiological", "Epidemiological"),
    ("psychosocial", "Psychosocial"),
    ("environmental", "Environmental"),
    ("exceptional", "Exceptional health situation"),
    ("heatwave", "Heatwave"),
    ("cold_wave", "Cold wave"),
]


class CoordinationAlert(models.Model):
    _name = "coordination.alert"
    _description = "Health alert"
    _inherit = ["coordination.reference.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _mail_post_access = "read"
    _coordination_sequence_code = "coordination.alert"

    title = fields.Char(required=True, tracking=True)
    alert_type = fields.Selection(
        ALERT_TYPES,
        string="Type",
        required=True,
        tracking=True,
    )
    severity = fields.Selection(
        [("info", "Information"), ("vigilance", "Vigilance"), ("alert", "Alert")],
        required=True,
        default="vigilance",
        tracking=True,
    )
    territory_ids = fields.Many2many(
        "coordination.territory",
        string="Territories",
        required=True,
        default=lambda self: self.env.user.coordination_territory_ids,
    )
    audience_professionals = fields.Boolean(string="Professionals", default=True)
    audience_municipal_staff = fields.Boolean(string="Municipal staff", default=True)
    relay_partner_ids = fields.Many2many(
        "res.partner",
        "coordination_alert_relay_rel",
        "alert_id",
        "partner_id",
        string="Residents' relays",
        help=(
            "Associations, caretakers, pharmacies... who pass the message on to "
            "residents."
        ),
    )
    date_start = fields.Date(
        string="Valid from", required=True, default=fields.Date.context_today
    )
    date_end = fields.Date(string="Valid until")
    message = fields.Html(required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Published"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    date_published = fields.Datetime(readonly=True, copy=False)
    published_partner_ids = fields.Many2many(
        "res.partner",
        "coordination_alert_published_rel",
        "alert_id",
        "partner_id",
        string="Notified",
        readonly=True,
        copy=False,
    )
    acknowledged_user_ids = fields.Many2many(
        "res.users",
        "coordination_alert_ack_rel",
        "alert_id",
        "user_id",
        string="Acknowledged by",
        readonly=True,
        copy=False,
    )
    acknowledged_count = fields.Integer(compute="_compute_acknowledged")
    is_acknowledged = fields.Boolean(compute="_compute_acknowledged")

    @api.depends("acknowledged_user_ids")
    @api.depends_context("uid")
    def _compute_acknowledged(self):
        for alert in self:
            alert.acknowledged_count = len(alert.acknowledged_user_ids)
            alert.is_acknowledged = self.env.user in alert.acknowledged_user_ids

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for alert in self:
            if alert.date_end and alert.date_end < alert.date_start:
                raise ValidationError(
                    self.env._("An alert cannot end before it starts.")
                )

    def _audience_partners(self):
        """The partners an alert reaches: users of the audience groups, and relays.

        The audience follows the alert's territories, their sub-territories and the
        areas that contain them: coordinators (managers included) through the
        territories they coordinate, professionals and municipal staff through the
        territories they serve (their contact's). A coordinator of no territory of
        the alert is not reached; a professional or agent who declared no territory
        receives the alerts of every territory.
        """
        self.ensure_one()
        Territory = self.env["coordination.territory"]
        related = Territory.search(
            [
                "|",
                ("id", "child_of", self.territory_ids.ids),
                ("id", "parent_of", self.territory_ids.ids),
            ]
        )
        coordinator_group = "coordination_microlocale.group_coordinator"
        partners = self.relay_partner_ids
        for field_name, group_xmlid in GROUP_BY_AUDIENCE.items():
            if not self[field_name]:
                continue
            users = self.env.ref(group_xmlid).all_user_ids.filtered(
                lambda u: u.active and not u.share
            )
            if field_name == "audience_professionals":
                # and those with a portal account
                users |= self.env.ref(
                    "coordination_microlocale.group_portal_professional"
                ).all_user_ids.filtered("active")
            for user in users:
                served = user.partner_id.coordination_territory_ids
                if user._has_group(coordinator_group):
                    # A coordinator is reached through the territories they
                    # coordinate (or serve), never for lack of any.
                    if (user.coordination_territory_ids | served) & related:
                        partners |= user.partner_id
                elif not served or served & related:
                    partners |= user.partner_id
        return partners

    def action_publish(self):
        for alert in self:
            if alert.state != "draft":
                raise UserError(self.env._("Only a draft alert can be published."))
            if not (
                alert.audience_professionals
                or alert.audience_municipal_staff
                or alert.relay_partner_ids
            ):
                raise UserError(
                    self.env._("Choose who the alert is for before publishing it.")
                )
            # sudo: group membership is read to compute the audience; only partners are
            # used, to address the notification.
            partners = alert.sudo()._audience_partners()
            alert.write(
                {
                    "state": "active",
                    "date_published": fields.Datetime.now(),
                    "published_partner_ids": [fields.Command.set(partners.ids)],
                }
            )
            alert.message_post(
                body=alert.message,
                subject=self.env._("Health alert: %(title)s", title=alert.title),
                partner_ids=partners.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def action_acknowledge(self):
        for alert in self:
            if alert.state != "active":
                raise UserError(
                    self.env._("Only a published alert can be acknowledged.")
                )
            if self.env.user.partner_id not in alert.published_partner_ids:
                raise UserError(self.env._("This alert was not addressed to you."))
        # sudo: readers of the alert record only their own acknowledgement, checked
        # above.
        self.sudo().write(
            {"acknowledged_user_ids": [fields.Command.link(self.env.uid)]}
        )

    def action_close(self):
        if self.filtered(lambda a: a.state != "active"):
            raise UserError(self.env._("Only a published alert can be closed."))
        self.write({"state": "closed"})

    @api.model
    def _cron_close_expired(self):
        expired = self.search(
            [
                ("state", "=", "active"),
                ("date_end", "<", fields.Date.context_today(self)),
            ]
        )
        expired.write({"state": "closed"})
        return True
