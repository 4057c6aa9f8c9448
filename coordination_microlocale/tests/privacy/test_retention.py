from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestRetention(CoordinationCase):
    def _figures(self):
        """What the evaluation counts, by kind, for our two territories."""
        self.env.flush_all()
        self.env.invalidate_all()
        rows = self.env["coordination.evaluation.report"]._read_group(
            [("territory_id", "in", (self.territory | self.territory_other).ids)],
            ["record_type", "status", "determinant_id"],
            ["record_count:sum", "done_count:sum", "present_count:sum"],
        )
        return sorted((r[0], r[1], r[2].id, r[3], r[4], r[5]) for r in rows)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for request in cls.request | cls.request_other:
            request.date_received = datetime(2024, 1, 10, 9, 0)
        (cls.project | cls.project_other).write({"date_start": "2024-01-10"})

    def _close_all(self, when):
        with freeze_time(when):
            self.request.write({"outcome": "information"})
            self.request.action_close()
            self.project._close("goals_reached", "Fin de l'accompagnement")

    def test_only_due_files_are_anonymised(self):
        start = datetime(2024, 3, 1, 10, 0)
        session = self.env["calendar.event"].create(
            {
                "name": f"Concertation {self.project.name} chez Jeanne Résidente",
                "start": start,
                "stop": start.replace(hour=11),
                "coordination_project_id": self.project.id,
                "partner_ids": [Command.set([self.person.id, self.gp.partner_id.id])],
                "coordination_minutes": "<p>Très confidentiel</p>",
            }
        )
        session.attendee_ids.write({"coordination_attendance": "present"})
        self._close_all("2024-03-15 10:00:00")
        with freeze_time("2024-06-01 10:00:00"):
            self.request_other.write({"outcome": "information"})
            self.request_other.action_close()
        before = self._figures()
        # the list of what is due, before it happens
        with freeze_time("2026-02-01"):
            Project = self.env["coordination.individual.project"]
            due_soon = Project.search([("anonymisation_date", "<=", "2026-04-01")])
            self.assertIn(self.project, due_soon)
            self.assertEqual(str(self.project.anonymisation_date), "2026-03-15")
            Project._cron_anonymise_due()
            self.assertFalse(self.project.is_anonymised, "not yet due")
        with freeze_time("2026-03-16"):
            Project._cron_anonymise_due()
            Project._cron_anonymise_due()
        self.env.invalidate_all()
        anonymous = self.env.ref("coordination_microlocale.partner_anonymous")
        self.assertTrue(self.project.is_anonymised)
        self.assertEqual(self.project.person_id, anonymous)
        self.assertFalse(self.project.problematique)
        self.assertFalse(self.project.closing_note)
        self.assertFalse(self.project.circle_member_ids)
        self.assertEqual(set(self.project.goal_ids.mapped("name")), {"—"})
        self.assertFalse(self.project.action_ids.responsible_partner_id)
        self.assertFalse(self.project.consent_ids.scope_information)
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", self.project._name), ("res_id", "=", self.project.id)]
            )
        )
        self.assertFalse(self.project_attachment.exists())
        self.assertFalse(self.request_attachment.exists())
        self.assertTrue(self.request.is_anonymised)
        self.assertEqual(self.request.person_id, anonymous)
        self.assertFalse(self.request.description)
        self.assertFalse(session.coordination_minutes)
        self.assertNotIn("Jeanne", session.name)
        self.assertNotIn(self.person, session.partner_ids)
        self.assertFalse(self.request_other.is_anonymised, "closed later: not yet due")
        self.assertFalse(self.project_other.is_anonymised, "still open")
        self.assertEqual(self._figures(), before, "statistics unchanged")

    def test_person_erasure_on_request(self):
        with self.assertRaisesRegex(UserError, "cannot be anonymised here yet"):
            self.person.with_user(self.coordinator).action_coordination_anonymise()
        self._close_all("2026-01-10 10:00:00")
        with self.assertRaisesRegex(UserError, "cannot be anonymised here yet"):
            self.person.with_user(
                self.coordinator_other
            ).action_coordination_anonymise()
        self.person.with_user(self.coordinator).action_coordination_anonymise()
        self.assertTrue(self.project.is_anonymised)
        self.assertTrue(self.request.is_anonymised)
        self.assertFalse(self.person.active)
        self.assertNotIn("Jeanne", self.person.name)
        self.assertFalse(self.person.city)


@tagged("post_install", "-at_install")
class TestCronBatches(CoordinationCase):
    """The retention, expiry and reminder crons work in committed batches."""

    BATCHES = "odoo.addons.coordination_microlocale.models.settings.cron_batches"

    def _projects(self, count, **values):
        people = self.env["res.partner"].create(
            [{"name": f"Personne {i}"} for i in range(count)]
        )
        return self.env["coordination.individual.project"].create(
            [
                dict(
                    {
                        "person_id": person.id,
                        "territory_id": self.territory.id,
                        "coordinator_id": self.coordinator.id,
                        "date_start": "2024-01-10",
                    },
                    **values,
                )
                for person in people
            ]
        )

    def _interrupted_after_one_batch(self):
        """A cron job whose time is up after its first batch.

        ``ir.cron._commit_progress`` records the progress instead of committing
        (a test cannot commit) and says the time is up once a batch is done.
        """
        calls = []

        def commit_progress(cron, processed=0, **kwargs):
            calls.append(processed)
            return 0 if processed else 60

        patcher = patch.object(
            type(self.env["ir.cron"]), "_commit_progress", commit_progress
        )
        return patcher, calls

    def test_anonymisation_resumes_where_it_stopped(self):
        projects = self._projects(5)
        with freeze_time("2024-03-15 10:00:00"):
            projects._close("goals_reached")
        Project = self.env["coordination.individual.project"]
        with freeze_time("2026-03-16"), patch(f"{self.BATCHES}.CRON_BATCH_SIZE", 2):
            interrupted, calls = self._interrupted_after_one_batch()
            with interrupted:
                Project.with_context(ir_cron_progress_id=1)._cron_anonymise_due()
            self.assertEqual(calls[-1], 2, "one batch, then the time is up")
            self.assertEqual(len(projects.filtered("is_anonymised")), 2)
            Project._cron_anonymise_due()
        self.assertTrue(all(projects.mapped("is_anonymised")), "the next run resumes")
        anonymous = self.env.ref("coordination_microlocale.partner_anonymous")
        self.assertEqual(projects.person_id, anonymous)

    def test_time_up_with_work_left_wakes_the_cron_workers(self):
        """Odoo's "as soon as possible" waits for the workers' next poll, a minute
        per 10 seconds of work: the cron triggers itself for now, which notifies
        them at commit; once nothing is left, no trigger."""
        projects = self._projects(3)
        with freeze_time("2024-03-15 10:00:00"):
            projects._close("goals_reached")
        cron = self.env.ref("coordination_microlocale.ir_cron_anonymise")
        Trigger = self.env["ir.cron.trigger"]
        Project = self.env["coordination.individual.project"].with_context(
            ir_cron_progress_id=1, cron_id=cron.id
        )
        with freeze_time("2026-03-16"), patch(f"{self.BATCHES}.CRON_BATCH_SIZE", 2):
            before = Trigger.search([("cron_id", "=", cron.id)])
            interrupted, calls = self._interrupted_after_one_batch()
            with interrupted:
                Project._cron_anonymise_due()
            triggers = Trigger.search([("cron_id", "=", cron.id)]) - before
            self.assertEqual(len(triggers), 1, "time up with 1 file left: a trigger")
            self.assertLessEqual(triggers.call_at, fields.Datetime.now())
            with interrupted:  # the last file: its batch ends the work, no trigger
                Project._cron_anonymise_due()
            self.assertEqual(calls, [0, 2, 0, 1])
            self.assertEqual(
                Trigger.search([("cron_id", "=", cron.id)]) - before, triggers
            )
        self.assertTrue(all(projects.mapped("is_anonymised")))

    def test_expiry_and_reminders_in_batches(self):
        projects = self._projects(5, review_date="2024-02-01")
        with freeze_time("2024-01-10"):
            projects._set_consent("given", means="oral", expiry_date="2024-06-01")
        projects[:2].action_ids = [
            Command.create({"name": "Appeler", "date_due": "2024-02-01"})
        ]
        Consent = self.env["coordination.consent"]
        with freeze_time("2024-06-10"), patch(f"{self.BATCHES}.CRON_BATCH_SIZE", 2):
            Consent._cron_expire()
            self.assertEqual(set(projects.mapped("consent_state")), {"expired"})
            self.assertEqual(
                projects.consent_ids.filtered(lambda c: c.state == "expired").mapped(
                    "note"
                ),
                ["Expired on 2024-06-01."] * 5,
            )
            Project = self.env["coordination.individual.project"]
            Project._cron_daily_reminders()
            Project._cron_daily_reminders()  # once: nothing scheduled twice
        review = self.env.ref("coordination_microlocale.mail_activity_type_review")
        overdue = self.env.ref("coordination_microlocale.mail_activity_type_overdue")
        for project in projects:
            types = project.activity_ids.activity_type_id
            self.assertEqual(
                len(
                    project.activity_ids.filtered(
                        lambda a: a.activity_type_id == review
                    )
                ),
                1,
            )
            self.assertEqual(overdue in types, project in projects[:2], project.name)

    def test_each_batch_starts_with_an_empty_cache(self):
        """The cache does not grow with the run: each batch is written and the
        cache emptied before the next (a backlog of thousands of files in one
        transaction cost more per file as it went)."""
        from ...models.settings.cron_batches import cron_in_batches

        projects = self._projects(6)
        name = projects._fields["name"]
        seen = []

        def process(batch):
            # what the previous batches read is no longer in the cache
            seen.append(any(self.env.cache.contains(p, name) for p in projects - batch))
            batch.mapped("name")

        self.env.invalidate_all()
        cron_in_batches(self.env, (projects, process), size=2)
        self.assertEqual(seen, [False, False, False])
