import base64
from datetime import timedelta, timezone

from odoo import fields
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from ..common import CoordinationCase

try:
    import icalendar
except ImportError:  # requirements-dev.txt installs it; vobject parses otherwise
    icalendar = None
import vobject

PERSON_WORDS = ("Jeanne", "Résidente", "Situation de", "Domicile")


def parse(content):
    """Events of an iCalendar text by UID, parsed by a real parser."""
    text = content.decode() if isinstance(content, bytes) else content
    if icalendar is not None:
        calendar = icalendar.Calendar.from_ical(text)
        events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
        timezones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
        return calendar, events, timezones
    calendar = vobject.readOne(text)
    events = {e.uid.value: e for e in calendar.contents.get("vevent", [])}
    timezones = [tz.tzid.value for tz in calendar.contents.get("vtimezone", [])]
    return calendar, events, timezones


def prop(event, name):
    if icalendar is not None:
        value = event.get(name)
        return None if value is None else str(value)
    item = event.contents.get(name.lower())
    return None if not item else str(item[0].value)


class FeedCase(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gp.tz = "Europe/Paris"
        cls.person.email = "jeanne@example.fr"
        cls.gp.partner_id.email = "gp@example.fr"
        Event = cls.env["calendar.event"].with_context(no_mail_to_attendees=True)
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=3)
        cls.individual = Event.create(
            {
                "name": "Concertation Jeanne Résidente",
                "description": "<p>Situation de Jeanne, isolement</p>",
                "location": "Domicile de Jeanne",
                "start": start,
                "stop": start + timedelta(hours=1),
                "user_id": cls.coordinator.id,
                "coordination_project_id": cls.project.id,
                "coordination_session_type_id": cls.env.ref(
                    "coordination_microlocale.session_type_concertation"
                ).id,
                "partner_ids": [Command.set([cls.gp.partner_id.id, cls.person.id])],
            }
        )
        cls.collective = Event.create(
            {
                "name": "Groupe de travail nutrition",
                "description": "<p>Ordre du jour</p>",
                "start": start + timedelta(days=1),
                "stop": start + timedelta(days=1, hours=2),
                "coordination_territory_id": cls.territory.id,
                "coordination_session_type_id": cls.env.ref(
                    "coordination_microlocale.session_type_working_group"
                ).id,
                "partner_ids": [Command.set([cls.gp.partner_id.id])],
            }
        )
        cls.cancelled = Event.create(
            {
                "name": "Commission annulée",
                "start": start + timedelta(days=2),
                "stop": start + timedelta(days=2, hours=1),
                "coordination_territory_id": cls.territory.id,
                "coordination_session_type_id": cls.env.ref(
                    "coordination_microlocale.session_type_working_group"
                ).id,
                "partner_ids": [Command.set([cls.gp.partner_id.id])],
            }
        )
        cls.cancelled.active = False
        cls.private_meeting = Event.create(
            {
                "name": "Rendez-vous personnel",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [Command.set([cls.gp.partner_id.id])],
            }
        )
        cls.Feed = cls.env["coordination.calendar.feed"]

    @staticmethod
    def token_of(url):
        return url.rsplit("/", 1)[1].removesuffix(".ics")

    def uid(self, event):
        uuid = self.env["ir.config_parameter"].get_param("database.uuid")
        return f"coordination-session-{event.id}@{uuid}"


@tagged("post_install", "-at_install")
class TestCalendarFeed(FeedCase):
    def render(self, user=None):
        feed = self.Feed.sudo().search([("user_id", "=", (user or self.gp).id)])
        return parse(feed.with_user(feed.user_id)._render())

    def test_token_is_stored_hashed_and_renewal_revokes(self):
        url = self.Feed.with_user(self.gp)._issue()
        token = self.token_of(url)
        feed = self.Feed._from_token(token)
        self.assertEqual(feed.user_id, self.gp)
        self.assertNotEqual(feed.token_hash, token)
        self.assertNotIn(token, str(feed.read()))
        self.assertGreater(feed.expires_at, fields.Datetime.now() + timedelta(days=364))
        new_token = self.token_of(self.Feed.with_user(self.gp)._issue())
        self.assertFalse(self.Feed._from_token(token), "renewal revokes the old URL")
        self.assertTrue(self.Feed._from_token(new_token))
        self.Feed.with_user(self.gp)._revoke()
        self.assertFalse(self.Feed._from_token(new_token))
        self.assertFalse(self.Feed._from_token("x" * 43))

    def test_expiry_set_by_the_manager(self):
        wizard = (
            self.env["coordination.calendar.feed.wizard"]
            .with_user(self.manager)
            .create({"validity_days": 30})
        )
        wizard.action_save()
        token = self.token_of(self.Feed.with_user(self.gp)._issue())
        feed = self.Feed._from_token(token)
        self.assertLess(feed.expires_at, fields.Datetime.now() + timedelta(days=31))
        feed.sudo().expires_at = fields.Datetime.now() - timedelta(seconds=1)
        self.assertFalse(self.Feed._from_token(token), "an expired feed is closed")
        with self.assertRaises(AccessError):
            self.env["coordination.calendar.feed.wizard"].with_user(self.gp).create(
                {"validity_days": 5000}
            ).action_save()
        gp_feed = self.Feed.with_user(self.gp).search([])
        with self.assertRaises(AccessError):
            gp_feed.write({"expires_at": fields.Datetime.now() + timedelta(days=9999)})
        gp_feed.write({"show_details": True})
        self.assertFalse(self.Feed.with_user(self.nurse).search([]))

    def test_feed_content(self):
        self.Feed.with_user(self.gp)._issue()
        _calendar, events, timezones = self.render()
        self.assertEqual(
            set(events),
            {
                self.uid(self.individual),
                self.uid(self.collective),
                self.uid(self.cancelled),
            },
            "the sessions the GP attends, not their other meetings",
        )
        self.assertIn("Europe/Paris", timezones)
        neutral = events[self.uid(self.individual)]
        summary = prop(neutral, "SUMMARY")
        self.assertIn(str(self.individual.id), summary)
        for name in ("DESCRIPTION", "LOCATION", "ATTENDEE"):
            self.assertIsNone(prop(neutral, name))
        for word in PERSON_WORDS:
            self.assertNotIn(word, summary)
        collective = events[self.uid(self.collective)]
        self.assertEqual(prop(collective, "SUMMARY"), "Groupe de travail nutrition")
        self.assertIn("Ordre du jour", prop(collective, "DESCRIPTION"))
        self.assertEqual(prop(collective, "STATUS"), "CONFIRMED")
        self.assertEqual(prop(events[self.uid(self.cancelled)], "STATUS"), "CANCELLED")
        self.assertIsNotNone(prop(collective, "LAST-MODIFIED"))
        self.assertIsNotNone(prop(collective, "SEQUENCE"))
        if icalendar is not None:
            start = collective.decoded("DTSTART")
            self.assertIn("Paris", str(start.tzinfo))
            self.assertEqual(
                start.astimezone(timezone.utc).replace(tzinfo=None),
                self.collective.start,
            )

    def test_update_raises_the_sequence(self):
        self.Feed.with_user(self.gp)._issue()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE calendar_event SET create_date = create_date - interval '1 hour', "
            "write_date = create_date - interval '1 hour' WHERE id = %s",
            (self.collective.id,),
        )
        self.collective.invalidate_recordset()
        _cal, events, _tz = self.render()
        before = int(prop(events[self.uid(self.collective)], "SEQUENCE"))
        self.collective.with_context(no_mail_to_attendees=True).write(
            {"location": "Salle du conseil"}
        )
        self.env.flush_all()
        self.collective.invalidate_recordset()
        _cal, events, _tz = self.render()
        event = events[self.uid(self.collective)]
        self.assertGreater(int(prop(event, "SEQUENCE")), before)
        self.assertEqual(prop(event, "LOCATION"), "Salle du conseil")

    def test_details_on_request_and_access_follows_the_rules(self):
        self.Feed.with_user(self.gp)._issue(show_details=True)
        _cal, events, _tz = self.render()
        self.assertEqual(
            prop(events[self.uid(self.individual)], "SUMMARY"),
            "Concertation Jeanne Résidente",
        )
        Log = self.env["coordination.access.log"].sudo()
        logs = Log.search(
            [
                ("res_model", "=", "calendar.event"),
                ("res_id", "=", self.individual.id),
                ("user_id", "=", self.gp.id),
                ("operation", "=", "read"),
            ]
        )
        self.assertTrue(logs, "serving the feed is traced as a read")
        self.project._set_consent("withdrawn")
        _cal, events, _tz = self.render()
        self.assertNotIn(
            self.uid(self.individual), events, "gone once the GP may not see it"
        )
        self.assertIn(self.uid(self.collective), events)


@tagged("post_install", "-at_install")
class TestCalendarFeedHttp(FeedCase, HttpCase):
    def test_route(self):
        url = self.Feed.with_user(self.gp)._issue()
        path = "/coordination/feed/" + url.rsplit("/", 1)[1]
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/calendar"))
        _cal, events, _tz = parse(response.content)
        self.assertIn(self.uid(self.collective), events)
        for word in PERSON_WORDS:
            self.assertNotIn(word, response.text)
        for wrong in (path[:-6] + "AAAA.ics", "/coordination/feed/x.ics"):
            response = self.url_open(wrong)
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("Jeanne", response.text)
        self.Feed.with_user(self.gp)._revoke()
        self.assertEqual(self.url_open(path).status_code, 404)
        url = self.Feed.with_user(self.gp)._issue()
        path = "/coordination/feed/" + url.rsplit("/", 1)[1]
        self.assertEqual(
            self.url_open(path, data={"x": "1"}).status_code, 405, "GET only"
        )


@tagged("post_install", "-at_install")
class TestNeutralInvitations(FeedCase):
    def _mails(self, partner):
        return (
            self.env["mail.mail"].sudo().search([("recipient_ids", "in", partner.ids)])
        )

    def test_invitations_about_a_person_are_neutral(self):
        self.nurse.partner_id.email = "ide@example.fr"
        before = self._mails(self.nurse.partner_id)
        start = fields.Datetime.now() + timedelta(days=5)
        event = (
            self.env["calendar.event"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Concertation Jeanne Résidente",
                    "description": "<p>Situation de Jeanne, isolement</p>",
                    "location": "Domicile de Jeanne",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "coordination_project_id": self.project.id,
                    "coordination_session_type_id": self.env.ref(
                        "coordination_microlocale.session_type_concertation"
                    ).id,
                    "partner_ids": [
                        Command.set([self.nurse.partner_id.id, self.person.id])
                    ],
                }
            )
        )
        mails = self._mails(self.nurse.partner_id) - before
        self.assertTrue(mails, "the nurse is invited")
        for mail in mails:
            self.assertIn(str(event.id), mail.subject)
            for word in PERSON_WORDS:
                self.assertNotIn(word, mail.subject)
                self.assertNotIn(word, mail.body_html or "")
            ics = mail.attachment_ids.filtered(lambda a: a.name.endswith(".ics"))
            self.assertTrue(ics, "the invitation keeps its .ics")
            text = base64.b64decode(ics.datas).decode()
            _cal, events, _tz = parse(text)
            (vevent,) = events.values()
            self.assertIn(str(event.id), prop(vevent, "SUMMARY"))
            for word in PERSON_WORDS:
                self.assertNotIn(word, text)
            self.assertNotIn("jeanne@example.fr", text)
        # a change of date is neutral too
        before = self._mails(self.nurse.partner_id)
        event.write(
            {
                "start": start + timedelta(days=1),
                "stop": start + timedelta(days=1, hours=1),
            }
        )
        for mail in self._mails(self.nurse.partner_id) - before:
            for word in PERSON_WORDS:
                self.assertNotIn(word, mail.subject + (mail.body_html or ""))

    def test_other_invitations_are_odoo_s(self):
        self.nurse.partner_id.email = "ide@example.fr"
        before = self._mails(self.nurse.partner_id)
        start = fields.Datetime.now() + timedelta(days=5)
        self.env["calendar.event"].with_user(self.coordinator).create(
            {
                "name": "Groupe de travail nutrition",
                "start": start,
                "stop": start + timedelta(hours=1),
                "coordination_territory_id": self.territory.id,
                "coordination_session_type_id": self.env.ref(
                    "coordination_microlocale.session_type_working_group"
                ).id,
                "partner_ids": [Command.set([self.nurse.partner_id.id])],
            }
        )
        mails = self._mails(self.nurse.partner_id) - before
        self.assertTrue(mails)
        self.assertIn("Groupe de travail nutrition", mails[0].subject)

    def test_browser_notifications_are_neutral(self):
        message = self.env["mail.message"].create(
            {
                "model": "calendar.event",
                "res_id": self.individual.id,
                "body": "<p>Invitation</p>",
                "message_type": "user_notification",
            }
        )
        payload = self.individual._notify_by_web_push_prepare_payload(message)
        self.assertIn(str(self.individual.id), payload["title"])
        self.assertNotIn("Jeanne", str(payload))
        payload = self.collective._notify_by_web_push_prepare_payload(
            message.copy({"res_id": self.collective.id})
        )
        self.assertIn("Groupe de travail nutrition", payload["title"])
