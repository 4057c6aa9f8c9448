from datetime import datetime, time, timedelta

from odoo import api, fields, models

from ..settings.coordination_parameters import get_int_param


def remove_traces(records):
    """Messages, attachments, activities and followers of these records."""
    # sudo: called by the anonymisation only, which the caller was allowed to run.
    records = records.sudo()
    if not records:
        return
    env = records.env
    env["mail.message"].search(
        [("model", "=", records._name), ("res_id", "in", records.ids)]
    ).unlink()
    env["ir.attachment"].search(
        [("res_model", "=", records._name), ("res_id", "in", records.ids)]
    ).unlink()
    records.activity_ids.unlink()
    records.message_follower_ids.unlink()


class CoordinationRetentionMixin(models.AbstractModel):
    """Closed individual files are anonymised once the retention period has passed.

    The person is replaced by a shared placeholder and the free texts, messages and
    attachments go; what the statistics count (states, dates, themes, needs, actions)
    stays. Models using this mixin have ``state`` with a ``closed`` value and
    ``date_closed``.
    """

    _name = "coordination.retention.mixin"
    # The anonymisation removes the messages, followers and activities of the file.
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Retention of individual files"

    is_anonymised = fields.Boolean(
        string="Anonymised", readonly=True, copy=False, index=True
    )
    date_anonymised = fields.Date(string="Anonymised on", readonly=True, copy=False)
    anonymisation_date = fields.Date(
        string="To be anonymised on",
        compute="_compute_anonymisation_date",
        search="_search_anonymisation_date",
        help="The end of the retention period after the file was closed.",
    )

    @api.model
    def _retention_days(self):
        return get_int_param(self.env, "retention_days")

    def _compute_anonymisation_date(self):
        days = self._retention_days()
        for record in self:
            closed = record.date_closed
            if record.state == "closed" and closed and not record.is_anonymised:
                closed_on = closed.date() if isinstance(closed, datetime) else closed
                record.anonymisation_date = closed_on + timedelta(days=days)
            else:
                record.anonymisation_date = False

    def _search_anonymisation_date(self, operator, value):
        if operator not in ("<", "<=") or not value:
            return NotImplemented
        limit = fields.Date.to_date(value) - timedelta(days=self._retention_days())
        if self._fields["date_closed"].type == "datetime":
            limit = datetime.combine(limit, time.max if operator == "<=" else time.min)
        return [
            ("state", "=", "closed"),
            ("is_anonymised", "=", False),
            ("date_closed", operator, limit),
        ]

    @api.model
    def _anonymous_partner(self):
        return self.env.ref("coordination_microlocale.partner_anonymous")

    def _coordination_remove_traces(self):
        remove_traces(self)

    @api.model
    def _due_for_anonymisation(self):
        return self.search(
            [("anonymisation_date", "<", fields.Date.context_today(self))]
        )
