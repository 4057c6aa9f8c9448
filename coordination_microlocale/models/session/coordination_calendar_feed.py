"""Personal, secret and revocable iCalendar subscriptions of coordination sessions.

The token is shown once, when the feed is turned on or renewed; only its SHA-256 is
stored (a random 256-bit token needs no slow hash). The feed's events are searched as
its owner, so that the record rules decide what it shows at each request.
"""

import hashlib
import secrets
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

from ..settings.coordination_parameters import get_int_param

try:
    import vobject
except ImportError:  # pragma: no cover - a dependency of Odoo's calendar
    vobject = None

# Sessions shown: from this many days back; cancelled ones for this many days.
PAST_DAYS = 90
CANCELLED_DAYS = 30


def hash_token(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


class CoordinationCalendarFeed(models.Model):
    _name = "coordination.calendar.feed"
    _description = "Calendar subscription"
    _order = "id desc"

    user_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
    )
    token_hash = fields.Char(
        index=True, copy=False, groups="base.group_system", readonly=True
    )
    expires_at = fields.Datetime(string="Expires on", readonly=True)
    show_details = fields.Boolean(
        string="Show the details of sessions about a person",
        help="By default the sessions about a person appear in the feed under a "
        "neutral title (reference and session type). Anybody who gets the address "
        "of the feed would see the details.",
    )
    active = fields.Boolean(default=True)
    last_served_at = fields.Datetime(string="Last read", readonly=True)

    _user_uniq = models.UniqueIndex(
        "(user_id) WHERE active", "You already have a calendar subscription."
    )

    def write(self, vals):
        if not self.env.su and set(vals) - {"show_details"}:
            raise AccessError(
                self.env._(
                    "Turn on, renew or revoke your subscription from My calendar."
                )
            )
        return super().write(vals)

    @api.model
    def _validity_days(self):
        return get_int_param(self.env, "calendar_feed_validity_days")

    @api.model
    def _feed_url(self, token):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return f"{base}/coordination/feed/{token}.ics"

    @api.model
    def _issue(self, show_details=None):
        """Turn on or renew the current user's feed; returns the new secret URL.

        Renewing revokes the previous address at once.
        """
        user = self.env.user
        if user._is_public():
            raise UserError(self.env._("Log in to subscribe to your sessions."))
        # sudo: the user's own feed; token_hash is kept out of everybody's reach
        feeds = self.sudo().search([("user_id", "=", user.id)])
        previous = feeds[:1]
        feeds.write({"active": False, "token_hash": False})
        feeds.flush_recordset()
        token = secrets.token_urlsafe(32)
        self.sudo().create(
            {
                "user_id": user.id,
                "token_hash": hash_token(token),
                "expires_at": fields.Datetime.now()
                + timedelta(days=self._validity_days()),
                "show_details": previous.show_details
                if show_details is None
                else show_details,
            }
        )
        return self._feed_url(token)

    @api.model
    def _revoke(self):
        self.sudo().search([("user_id", "=", self.env.user.id)]).write(
            {"active": False, "token_hash": False}
        )

    @api.model
    def _from_token(self, token):
        """The live feed of this token, or an empty recordset (sudo)."""
        if not token or len(token) > 100:
            return self.sudo().browse()
        return self.sudo().search(
            [
                ("token_hash", "=", hash_token(token)),
                ("expires_at", ">", fields.Datetime.now()),
                ("user_id.active", "=", True),
            ],
            limit=1,
        )

    # ------------------------------------------------------------------
    # The feed itself
    # ------------------------------------------------------------------
    def _events(self):
        """The sessions of the owner, searched with the owner's rights."""
        self.ensure_one()
        owner = self.user_id
        Event = (
            self.env["calendar.event"]
            .with_user(owner)
            .with_context(active_test=False, tz=owner.tz or "UTC", lang=owner.lang)
        )
        now = fields.Datetime.now()
        domain = [
            ("coordination_is_session", "=", True),
            "|",
            ("user_id", "=", owner.id),
            ("partner_ids", "in", owner.partner_id.ids),
            ("stop", ">=", now - timedelta(days=PAST_DAYS)),
            "|",
            ("active", "=", True),
            ("write_date", ">=", now - timedelta(days=CANCELLED_DAYS)),
        ]
        return Event.search(domain, order="start")

    def _render(self):
        """The iCalendar text of the feed (bytes), the events served as the owner."""
        self.ensure_one()
        if vobject is None:  # pragma: no cover
            raise UserError(self.env._("The vobject library is missing."))
        events = self._events()
        individual = events._coordination_sessions_about_a_person()
        # Same trace as any read of these sessions, in the owner's environment.
        individual._coordination_trail("read")
        owner = self.user_id
        tz = pytz.timezone(owner.tz or "Europe/Paris")
        cal = vobject.iCalendar()
        cal.add("prodid").value = "-//coordination_microlocale//Odoo//FR"
        cal.add("calscale").value = "GREGORIAN"
        cal.add("method").value = "PUBLISH"
        cal.add("x-wr-calname").value = self.env._("Coordination sessions")
        cal.add("x-wr-timezone").value = tz.zone
        uid_domain = (
            self.env["ir.config_parameter"].sudo().get_param("database.uuid", "odoo")
        )
        detailed = individual.browse()
        if self.show_details:
            detailed = individual.filtered(
                lambda e: not e._check_private_event_conditions()
            )
        for event in events:
            neutral = event in individual and event not in detailed
            self._add_event(cal, event, tz, uid_domain, neutral)
        self.sudo().last_served_at = fields.Datetime.now()
        return cal.serialize().encode()

    @api.model
    def _add_event(self, cal, event, tz, uid_domain, neutral):
        vevent = cal.add("vevent")
        vevent.add("uid").value = f"coordination-session-{event.id}@{uid_domain}"
        vevent.add("dtstamp").value = fields.Datetime.now().replace(tzinfo=pytz.utc)
        if event.allday:
            vevent.add("dtstart").value = event.start_date
            vevent.add("dtend").value = event.stop_date + timedelta(days=1)
        else:
            vevent.add("dtstart").value = pytz.utc.localize(event.start).astimezone(tz)
            vevent.add("dtend").value = pytz.utc.localize(event.stop).astimezone(tz)
        write_date = event.write_date or event.create_date
        vevent.add("last-modified").value = write_date.replace(tzinfo=pytz.utc)
        vevent.add("created").value = event.create_date.replace(tzinfo=pytz.utc)
        # Seconds from creation to the last change: grows with every change.
        vevent.add("sequence").value = str(
            max(0, int((write_date - event.create_date).total_seconds()))
        )
        vevent.add("status").value = "CONFIRMED" if event.active else "CANCELLED"
        if neutral:
            vevent.add("summary").value = event._coordination_neutral_title()
            vevent.add("class").value = "CONFIDENTIAL"
            return
        vevent.add("summary").value = event.name or ""
        description = html2plaintext(event.description or "")
        if description:
            vevent.add("description").value = description
        if event.location:
            vevent.add("location").value = event.location
