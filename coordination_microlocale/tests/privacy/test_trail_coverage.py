# Message bodies here are test data, not text for users; pylint_odoo exempts only the
# files directly under tests/ from translation-required.
# pylint: disable=translation-required
"""The trail covers every path and every model that returns individual content.

Point 3 of the trail issue (reads that leave no trace: grouped reads, the children of
a project, the chatter of a file) and point 4 (traces of nothing: counts, busy slots,
ordinary events), and the size of the trail (one statement per transaction, a
consultation traced once per window).
"""

import json
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.sql_db import Cursor
from odoo.tests import HttpCase, new_test_user, tagged

from ..common import CoordinationCase, call_kw

SECRET = "Problematique-secrete-tc7"
STAY_SECRET = "Sejour-secret-tc8"


@contextmanager
def count_trail_inserts():
    """Count the INSERT statements into the trail, in every thread (HTTP server too)."""
    counter = {"inserts": 0}
    execute = Cursor.execute

    def counting(cr, query, params=None, log_exceptions=True):
        if "INSERT INTO" in str(query) and "coordination_access_log" in str(query):
            counter["inserts"] += 1
        return execute(cr, query, params, log_exceptions)

    with patch.object(Cursor, "execute", counting):
        yield counter


class TrailCase(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stay = cls.env["coordination.hospital.stay"].create(
            {
                "project_id": cls.project.id,
                "hospital_id": cls.hospital.id,
                "note": STAY_SECRET,
            }
        )
        cls.project.problematique = f"<p>{SECRET}</p>"
        cls.consent = cls.project.consent_ids[:1]
        cls.need = cls.project.need_ids[:1]
        cls.goal = cls.project.goal_ids[:1]
        start = datetime.now().replace(microsecond=0) + timedelta(days=3)
        cls.session = (
            cls.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": "Concertation Jeanne",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": cls.coordinator.id,
                    "coordination_project_id": cls.project.id,
                    "coordination_minutes": "<p>Compte rendu secret</p>",
                }
            )
        )
        cls.ordinary_event = (
            cls.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": "Pot de départ",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": cls.coordinator.id,
                    "partner_ids": [Command.set(cls.coordinator.partner_id.ids)],
                }
            )
        )

    def _traces(self, records, operation=None):
        self.env.cr.flush()
        domain = [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        if operation:
            domain.append(("operation", "=", operation))
        return self.env["coordination.access.log"].search(domain)

    def _all_traces(self):
        self.env.cr.flush()
        return self.env["coordination.access.log"].search_count([])


@tagged("post_install", "-at_install")
class TestTrailCoverage(TrailCase):
    # -- point 3: every model that holds individual content
    def test_children_of_a_project_are_traced(self):
        for record in (self.stay, self.consent, self.need, self.goal, self.gp_action):
            self.assertTrue(record, record._name)
            record.with_user(self.coordinator).read(["create_date"])
            trace = self._traces(record, "read")
            self.assertEqual(len(trace), 1, record._name)
            self.assertEqual(trace.user_id, self.coordinator)
            self.assertEqual(trace.territory_id, self.territory, record._name)
            self.assertEqual(trace.reference, self.project.name, record._name)

    # -- point 3: grouped reads
    def test_aggregates_of_free_texts_are_refused(self):
        attempts = (
            (self.env["coordination.individual.project"], "problematique"),
            (self.env["coordination.request"], "description"),
            (self.env["coordination.request"], "triage_note"),
            (self.env["coordination.hospital.stay"], "note"),
            (self.env["calendar.event"], "coordination_minutes"),
        )
        for model, fname in attempts:
            model = model.with_user(self.coordinator)
            with self.assertRaises(UserError, msg=f"{model._name} {fname}"):
                model.formatted_read_group([], ["create_uid"], [f"{fname}:array_agg"])
            with self.assertRaises(UserError, msg=f"{model._name} {fname} max"):
                model._read_group([], [], [f"{fname}:max"])
            with self.assertRaises(UserError, msg=f"{model._name} group by {fname}"):
                model._read_group([], [fname], ["__count"])
            with self.assertRaises(UserError, msg=f"{model._name} having {fname}"):
                model._read_group(
                    [], ["create_uid"], ["__count"], having=[(f"{fname}:max", "!=", "")]
                )
            with self.assertRaises(UserError, msg=f"{model._name} grouping sets"):
                model._read_grouping_sets([], [["create_uid"]], [f"{fname}:array_agg"])

    def test_free_texts_of_ordinary_events_stay_as_in_odoo(self):
        Event = self.env["calendar.event"].with_user(self.coordinator)
        rows = Event._read_group(
            [("id", "=", self.ordinary_event.id)], [], ["description:max"]
        )
        self.assertEqual(len(rows), 1)
        self.assertFalse(self._traces(self.ordinary_event))

    def test_grouped_reads_of_contents_are_traced(self):
        Action = self.env["coordination.project.action"].with_user(self.coordinator)
        rows = Action._read_group([], ["name"], ["__count"])
        self.assertIn("Revoir le traitement", [name for name, _count in rows])
        self.assertEqual(len(self._traces(self.gp_action | self.other_action)), 2)
        Goal = self.env["coordination.project.goal"].with_user(self.coordinator)
        Goal.formatted_read_group([], ["project_id"], ["name:array_agg"])
        self.assertEqual(len(self._traces(self.goal, "read")), 1)
        Project = self.env["coordination.individual.project"].with_user(self.gp)
        Project._read_grouping_sets([], [["state"], []], ["name:array_agg"])
        self.assertEqual(self._traces(self.project, "read").user_id, self.gp)

    # -- point 4: what reveals nothing is not traced
    def test_counts_and_ordinary_events_are_not_traced(self):
        before = self._all_traces()
        for user in (self.coordinator, self.gp):
            Project = self.env["coordination.individual.project"].with_user(user)
            Project.search_count([])
            Project.formatted_read_group([], ["state"], ["__count"])
            Project.formatted_read_group([], ["person_id"], ["__count"])
            Project._read_group([], ["territory_id", "date_start:month"], ["__count"])
            self.env["coordination.project.action"].with_user(
                user
            ).formatted_read_group([], ["state"], ["__count", "name:count_distinct"])
            self.env["coordination.request"].with_user(user).search([]).mapped(
                "display_name"
            )
        Event = self.env["calendar.event"].with_user(self.coordinator)
        Event.search_read([("id", "=", self.ordinary_event.id)], ["name", "start"])
        Event.search_count([])
        Event.formatted_read_group([], ["coordination_is_individual"], ["__count"])
        # the calendar's busy slots of the staff: sessions about a person are not
        # even there, and nothing is traced
        events = (
            self.env["calendar.event"]
            .with_user(self.staff)
            .search_read([], ["name", "start", "stop", "user_id"])
        )
        self.assertNotIn(self.session.id, [event["id"] for event in events])
        self.assertEqual(self._all_traces(), before)

    # -- point 3: the chatter of an individual file
    def test_messages_of_a_file_are_traced(self):
        Message = self.env["mail.message"].with_user(self.coordinator)
        res = Message._message_fetch(domain=None, thread=self.project)
        self.assertIn(self.project_message, res["messages"])
        trace = self._traces(self.project, "messages")
        self.assertEqual(trace.user_id, self.coordinator)
        Message.search_read(
            [("model", "=", "coordination.request"), ("res_id", "=", self.request.id)],
            ["body"],
        )
        self.assertTrue(self._traces(self.request, "messages"))
        before = self._all_traces()
        self.coordinator.partner_id.message_post(body="Rien d'individuel")
        Message._message_fetch(domain=None, thread=self.coordinator.partner_id)
        self.assertEqual(self._all_traces(), before, "a contact's chatter: no trace")

    # -- point 3: exports of a file's children through the file
    def test_exports_through_the_project_trace_the_children(self):
        project = self.project.with_user(self.coordinator)
        project.export_data(["name", "hospital_stay_ids/note"])
        self.assertTrue(self._traces(self.project, "export"))
        self.assertTrue(self._traces(self.stay, "export"))

    # -- size of the trail
    def test_one_insert_per_transaction(self):
        Project = self.env["coordination.individual.project"].with_user(
            self.coordinator
        )
        self.env.cr.flush()
        with count_trail_inserts() as counter:
            Project.web_search_read([], {"name": {}, "state": {}}, limit=80)
            project = Project.browse(self.project.id)
            project.web_read(
                {
                    "problematique": {},
                    "circle_member_ids": {"fields": {"role": {}}},
                    "need_ids": {"fields": {"description": {}}},
                    "goal_ids": {"fields": {"name": {}}},
                    "action_ids": {"fields": {"name": {}}},
                    "hospital_stay_ids": {"fields": {"note": {}}},
                    "consent_ids": {"fields": {"state": {}}},
                    "access_log_count": {},
                }
            )
            self.env.cr.flush()
        self.assertEqual(counter["inserts"], 1)
        self.assertTrue(self._traces(self.project, "read"))
        # read with their file, its parts are the file's consultation
        for record in (self.gp_member, self.need, self.stay):
            self.assertFalse(self._traces(record, "read"), record._name)
        # read on their own (a list of stays), they are traced
        self.stay.with_user(self.coordinator).read(["note"])
        self.assertTrue(self._traces(self.stay, "read"))

    def test_a_consultation_is_traced_once_per_window(self):
        self.env["ir.config_parameter"].set_param(
            "coordination_microlocale.access_log_window_minutes", "60"
        )
        project = self.project.with_user(self.coordinator)
        base = datetime.now().replace(microsecond=0) + timedelta(days=1)
        with freeze_time(base):
            project.read(["problematique"])
            self.env.cr.flush()
        with freeze_time(base + timedelta(minutes=20)):
            project.invalidate_recordset()
            project.read(["problematique"])
            project.write({"review_date": project.date_start + timedelta(days=30)})
            self.env.cr.flush()
        self.assertEqual(len(self._traces(self.project, "read")), 1)
        self.assertEqual(len(self._traces(self.project, "write")), 1)
        with freeze_time(base + timedelta(minutes=90)):
            project.invalidate_recordset()
            project.read(["problematique"])
            self.assertEqual(len(self._traces(self.project, "read")), 2)
            # another user, another trace
            self.project.with_user(self.gp).read(["problematique"])
            self.assertEqual(len(self._traces(self.project, "read")), 3)


@tagged("post_install", "-at_install")
class TestTrailCoverageHttp(HttpCase):
    """The same paths over HTTP, as the web client and an attacker use them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        territory = cls.env["coordination.territory"].create({"name": "Commune Trace"})
        cls.coordinator = new_test_user(
            cls.env,
            login="trail.coord",
            groups="coordination_microlocale.group_coordinator",
        )
        territory.coordinator_ids = [Command.link(cls.coordinator.id)]
        cls.staff = new_test_user(
            cls.env,
            login="trail.staff",
            groups="coordination_microlocale.group_municipal_staff",
        )
        person = cls.env["res.partner"].create({"name": "Personne Trace"})
        cls.project = cls.env["coordination.individual.project"].create(
            {
                "person_id": person.id,
                "territory_id": territory.id,
                "coordinator_id": cls.coordinator.id,
                "problematique": f"<p>{SECRET}</p>",
                "goal_ids": [Command.create({"name": "Objectif trace"})],
            }
        )
        cls.stay = cls.env["coordination.hospital.stay"].create(
            {
                "project_id": cls.project.id,
                "hospital_id": cls.env["res.partner"]
                .create({"name": "Hôpital Trace", "is_company": True})
                .id,
                "note": STAY_SECRET,
            }
        )
        cls.message = cls.project.message_post(
            body="Message-secret-tc9", message_type="comment"
        )
        cls.attachment = cls.env["ir.attachment"].create(
            {
                "name": "sortie.txt",
                "raw": STAY_SECRET.encode(),
                "mimetype": "text/plain",
                "res_model": "coordination.hospital.stay",
                "res_id": cls.stay.id,
            }
        )

    def _traces(self, records, operation):
        self.env.cr.flush()
        return self.env["coordination.access.log"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("operation", "=", operation),
            ]
        )

    def _call(self, model, method, args, kwargs=None):
        return call_kw(self, model, method, args, kwargs)

    def test_grouped_read_of_a_free_text_is_refused(self):
        self.authenticate("trail.coord", "trail.coord")
        for method, args, kwargs in (
            (
                "formatted_read_group",
                [[], ["state"], ["problematique:array_agg"]],
                {},
            ),
            (
                "web_read_group",
                [[], ["state"]],
                {"aggregates": ["problematique:max"]},
            ),
            (
                "read_group",
                [[], ["problematique:array_agg"], ["state"]],
                {},
            ),
        ):
            response = self._call(
                "coordination.individual.project", method, args, kwargs
            )
            self.assertNotIn(SECRET, response.text, method)
            self.assertIn("error", response.json(), method)

    def test_chatter_attachment_and_form_are_traced_in_one_statement(self):
        self.authenticate("trail.coord", "trail.coord")
        with count_trail_inserts() as counter:
            response = self.url_open(
                "/mail/thread/messages",
                data=json.dumps(
                    {
                        "params": {
                            "thread_model": self.project._name,
                            "thread_id": self.project.id,
                        }
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        self.assertIn("Message-secret-tc9", response.text)
        self.assertEqual(counter["inserts"], 1)
        self.assertEqual(
            self._traces(self.project, "messages").user_id, self.coordinator
        )
        response = self.url_open(f"/web/content/{self.attachment.id}?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._traces(self.stay, "download").user_id, self.coordinator)
        with count_trail_inserts() as counter:
            response = self._call(
                self.project._name,
                "web_read",
                [[self.project.id]],
                {
                    "specification": {
                        "problematique": {},
                        "goal_ids": {"fields": {"name": {}}},
                        "hospital_stay_ids": {"fields": {"note": {}}},
                        "access_log_count": {},
                    }
                },
            )
        self.assertIn(STAY_SECRET, response.text)
        self.assertEqual(counter["inserts"], 1, "one statement for the whole form")
        self.assertEqual(self._traces(self.project, "read").user_id, self.coordinator)
        with count_trail_inserts() as counter:
            response = self._call(
                self.stay._name,
                "web_search_read",
                [[]],
                {"specification": {"note": {}}},
            )
        self.assertIn(STAY_SECRET, response.text)
        self.assertEqual(counter["inserts"], 1)
        self.assertEqual(self._traces(self.stay, "read").user_id, self.coordinator)

    def test_staff_calendar_writes_nothing(self):
        self.authenticate("trail.staff", "trail.staff")
        self.env.cr.flush()
        before = self.env["coordination.access.log"].search_count([])
        with count_trail_inserts() as counter:
            response = self._call(
                "calendar.event",
                "search_read",
                [[]],
                {"fields": ["name", "start", "stop", "user_id", "privacy"]},
            )
            self._call("calendar.event", "search_count", [[]])
        self.assertNotIn("error", response.json())
        self.assertEqual(counter["inserts"], 0)
        self.env.cr.flush()
        self.assertEqual(self.env["coordination.access.log"].search_count([]), before)
