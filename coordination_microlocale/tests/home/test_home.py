from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestHome(CoordinationCase):
    """ "My day": counters read with the user's rights, each a click from the file."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Tile = cls.env["coordination.home.tile"]
        cls.today = fields.Date.context_today(cls.Tile)
        cls.gp_action.date_due = cls.today - timedelta(days=4)
        # The same late action in the other territory: not hers to see.
        cls.env["coordination.project.action"].create(
            {
                "project_id": cls.project_other.id,
                "name": "Action de l'autre territoire",
                "date_due": cls.today - timedelta(days=4),
            }
        )

    def tiles(self, user):
        # Each visit of the home is a new request: nothing counted before is kept.
        self.env.invalidate_all()
        return {
            tile.code: tile
            for tile in self.Tile.with_user(user)
            .with_context(tz="Europe/Paris")
            .search([])
        }

    def test_each_role_sees_its_own_counters(self):
        coordinator_tiles = self.tiles(self.coordinator)
        self.assertIn("overdue_actions", coordinator_tiles)
        self.assertNotIn("my_actions", coordinator_tiles)
        professional_tiles = self.tiles(self.gp)
        self.assertIn("my_actions", professional_tiles)
        self.assertNotIn("overdue_actions", professional_tiles)
        with self.assertRaises(AccessError):
            self.Tile.with_user(self.staff).search([])
        home = self.env.ref("coordination_microlocale.action_coordination_home")
        self.assertEqual(home.res_model, "coordination.home.tile")

    def test_counts_follow_the_coordinator_territories(self):
        tiles = self.tiles(self.coordinator)
        self.assertEqual(tiles["overdue_actions"].count, 1)
        action = tiles["overdue_actions"].action_open()
        self.assertEqual(action["res_id"], self.gp_action.id, "alone: opens the file")
        self.assertEqual(self.tiles(self.coordinator_other)["overdue_actions"].count, 1)
        # a new request of her territory, not yet triaged
        self.assertEqual(tiles["requests_new"].count, 1)
        self.request.with_user(self.coordinator).action_start_triage()
        self.assertEqual(self.tiles(self.coordinator)["requests_new"].count, 0)

    def test_reviews_discharges_and_consents(self):
        self.project.review_date = self.today + timedelta(days=5)
        self.env["coordination.hospital.stay"].create(
            {
                "project_id": self.project.id,
                "hospital_id": self.hospital.id,
                "planned_discharge_date": self.today + timedelta(days=3),
            }
        )
        tiles = self.tiles(self.coordinator)
        self.assertEqual(tiles["reviews_due"].count, 1)
        self.assertEqual(tiles["discharges"].count, 1)
        self.assertEqual(tiles["consents_missing"].count, 0)
        self.assertEqual(tiles["consents_expiring"].count, 0)
        self.project._set_consent("withdrawn")
        tiles = self.tiles(self.coordinator)
        self.assertEqual(tiles["consents_missing"].count, 1)
        action = tiles["consents_missing"].action_open()
        self.assertEqual(action["res_id"], self.project.id)
        other = self.tiles(self.coordinator_other)["consents_missing"]
        self.assertEqual(other.action_open()["res_id"], self.project_other.id)

    def test_professional_counts_end_with_the_consent(self):
        tiles = self.tiles(self.gp)
        self.assertEqual(tiles["my_actions"].count, 1)
        self.assertEqual(tiles["my_overdue_actions"].count, 1)
        self.assertEqual(tiles["my_projects"].count, 1)
        action = tiles["my_actions"].action_open()
        self.assertEqual(action["res_id"], self.gp_action.id)
        self.project._set_consent("withdrawn")
        tiles = self.tiles(self.gp)
        self.assertEqual(tiles["my_actions"].count, 0)
        self.assertEqual(tiles["my_projects"].count, 0)
        self.assertEqual(tiles["my_overdue_actions"].count, 0)

    def test_overdue_actions_and_reviews_become_activities(self):
        self.project.review_date = self.today
        self.assertEqual(self.tiles(self.coordinator)["my_activities"].count, 0)
        self.env["coordination.individual.project"]._cron_daily_reminders()
        activities = self.project.activity_ids
        self.assertEqual(
            set(activities.activity_type_id.ids),
            {
                self.env.ref("coordination_microlocale.mail_activity_type_review").id,
                self.env.ref("coordination_microlocale.mail_activity_type_overdue").id,
            },
        )
        self.assertEqual(activities.user_id, self.coordinator)
        tile = self.tiles(self.coordinator)["my_activities"]
        self.assertEqual(tile.count, 2)
        action = tile.action_open()
        self.assertEqual(
            set(
                self.env["mail.activity"]
                .with_user(self.coordinator)
                .search(action["domain"])
                .ids
            ),
            set(activities.ids),
        )

    @freeze_time("2026-03-10 22:30:00")
    def test_sessions_of_the_day_on_the_municipality_clock(self):
        """At 23:30 in Paris, a session at 23:45 is today's; at 00:15, tomorrow's."""
        Event = self.env["calendar.event"].with_context(no_mail_to_attendees=True)
        session_type = self.env.ref(
            "coordination_microlocale.session_type_working_group"
        )
        tonight, tomorrow = Event.create(
            [
                {
                    "name": name,
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "coordination_session_type_id": session_type.id,
                    "coordination_territory_id": self.territory.id,
                    "partner_ids": [Command.set(self.coordinator.partner_id.ids)],
                }
                for name, start in (
                    ("Ce soir", datetime(2026, 3, 10, 22, 45)),
                    ("Demain", datetime(2026, 3, 10, 23, 15)),
                )
            ]
        )
        tiles = self.tiles(self.coordinator)
        self.assertEqual(tiles["sessions_today"].count, 1)
        self.assertEqual(tiles["sessions_today"].action_open()["res_id"], tonight.id)
        self.assertEqual(tiles["sessions_week"].count, 2)
        self.assertEqual(self.tiles(self.coordinator_other)["sessions_week"].count, 0)
        self.assertEqual(tomorrow.coordination_territory_id, self.territory)

    def test_phone_call_shortcut_records_a_request(self):
        """From "My day", a phone call: the form opens ready, first contact made."""
        tile = self.tiles(self.coordinator)["new_phone_request"]
        self.assertEqual(tile.count, 0)
        action = tile.action_open()
        self.assertEqual(action["res_model"], "coordination.request")
        Request = (
            self.env["coordination.request"]
            .with_user(self.coordinator)
            .with_context(**action["context"])
        )
        with Form(Request) as form:
            self.assertEqual(form.channel, "phone")
            self.assertTrue(form.first_contact_date)
            form.person_id = self.person_other.copy({"name": "Paul Appelant"})
            form.person_phone = "06 12 34 56 78"
            form.description = "Appelle pour sa mère qui ne sort plus."
        request = form.record
        self.assertEqual(request.territory_id, self.territory)
        self.assertEqual(request.person_id.phone, "06 12 34 56 78")
        self.assertEqual(request.first_contact_date, request.date_received)
        self.assertTrue(request.first_contact_delay_label)
        self.assertEqual(request.first_contact_delay, 0)
        # created by code, a request says nothing of a first contact
        other = (
            self.env["coordination.request"]
            .with_user(self.coordinator)
            .create({"territory_id": self.territory.id, "channel": "phone"})
        )
        self.assertFalse(other.first_contact_date)

    def test_refusals_are_plain_sentences(self):
        """Seen: Odoo's "top secret… cookies" page with a technical model name."""
        alert = self.env["coordination.alert"].create(
            {
                "title": "Brouillon",
                "alert_type": "environmental",
                "territory_ids": [Command.set(self.territory.ids)],
                "message": "<p>x</p>",
            }
        )
        with self.assertRaises(AccessError) as refusal:
            alert.with_user(self.gp).read(["title"])
        message = str(refusal.exception)
        self.assertNotIn("coordination.alert", message)
        self.assertNotIn("cookies", message)
        self.assertIn("health coordination", message)
