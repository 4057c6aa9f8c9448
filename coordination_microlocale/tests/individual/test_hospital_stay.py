from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from ..common import CoordinationCase

TODAY = date(2026, 3, 2)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestHospitalStay(CoordinationCase):
    def _deadlines(self, record, xmlid):
        activity_type = self.env.ref(f"coordination_microlocale.{xmlid}")
        return sorted(
            record.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            ).mapped("date_deadline")
        )

    def _stay(self, **values):
        return (
            self.env["coordination.hospital.stay"]
            .with_user(self.coordinator)
            .create(
                dict(
                    {
                        "project_id": self.project.id,
                        "hospital_id": self.hospital.id,
                        "admission_date": TODAY - timedelta(days=2),
                    },
                    **values,
                )
            )
        )

    def test_discharge_reminders_d7_d1(self):
        stay = self._stay(planned_discharge_date=TODAY + timedelta(days=10))
        self.assertEqual(
            self._deadlines(stay, "mail_activity_type_discharge"),
            [TODAY + timedelta(days=3), TODAY + timedelta(days=9)],
        )
        self.assertEqual(set(stay.activity_ids.user_id.ids), {self.coordinator.id})

    def test_close_discharge_is_reminded_today(self):
        stay = self._stay(planned_discharge_date=TODAY + timedelta(days=3))
        self.assertEqual(
            self._deadlines(stay, "mail_activity_type_discharge"),
            [TODAY, TODAY + timedelta(days=2)],
        )

    def test_new_date_replans_without_duplicates(self):
        stay = self._stay(planned_discharge_date=TODAY + timedelta(days=10))
        stay.planned_discharge_date = TODAY + timedelta(days=20)
        stay.planned_discharge_date = TODAY + timedelta(days=20)
        self.assertEqual(
            self._deadlines(stay, "mail_activity_type_discharge"),
            [TODAY + timedelta(days=13), TODAY + timedelta(days=19)],
        )

    def test_configurable_offsets(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "coordination_microlocale.discharge_reminder_days", "5, 2"
        )
        stay = self._stay(planned_discharge_date=TODAY + timedelta(days=10))
        self.assertEqual(
            self._deadlines(stay, "mail_activity_type_discharge"),
            [TODAY + timedelta(days=5), TODAY + timedelta(days=8)],
        )

    def test_follow_up_after_the_return_home(self):
        stay = self._stay(planned_discharge_date=TODAY + timedelta(days=1))
        stay.action_discharged()
        self.assertEqual(stay.state, "discharged")
        self.assertEqual(stay.discharge_date, TODAY)
        self.assertFalse(self._deadlines(stay, "mail_activity_type_discharge"))
        self.assertEqual(
            self._deadlines(stay, "mail_activity_type_follow_up"),
            [TODAY + timedelta(days=2)],
        )

    def test_checklist_and_dates(self):
        stay = self._stay(planned_discharge_date=TODAY + timedelta(days=4))
        stay.write({"check_gp": True, "check_nurse": True, "check_pharmacy": True})
        self.assertEqual(stay.checklist_progress, 43)
        with self.assertRaisesRegex(ValidationError, "precede"):
            stay.planned_discharge_date = TODAY - timedelta(days=10)
        self.assertNotIn(self.person.name, stay.display_name)

    def test_hospital_request_opens_the_stay(self):
        social_worker = self.env["res.partner"].create(
            {"name": "Assistante sociale CH", "parent_id": self.hospital.id}
        )
        request = self.env["coordination.request"].create(
            {
                "territory_id": self.territory.id,
                "coordinator_id": self.coordinator.id,
                "requester_type": "professional",
                "requester_partner_id": social_worker.id,
                "channel": "referral",
                "person_id": self.person_other.id,
                "theme_ids": [
                    Command.set(
                        self.env.ref(
                            "coordination_microlocale.determinant_hospital_exit"
                        ).ids
                    )
                ],
            }
        )
        action = request.with_user(self.coordinator).action_anticipate_discharge()
        self.assertEqual(request.state, "project")
        self.assertEqual(action["res_model"], "coordination.hospital.stay")
        self.assertEqual(action["context"]["default_project_id"], request.project_id.id)
        self.assertEqual(action["context"]["default_hospital_id"], self.hospital.id)

    def test_professional_of_the_circle_reads_the_stay(self):
        stay = self._stay(planned_discharge_date=TODAY + timedelta(days=4))
        self.assertTrue(stay.with_user(self.gp).read(["planned_discharge_date"]))
        self.assertFalse(
            self.env["coordination.hospital.stay"].with_user(self.nurse).search([])
        )
        self.assertFalse(
            self.env["coordination.hospital.stay"]
            .with_user(self.coordinator_other)
            .search([])
        )


@tagged("post_install", "-at_install")
class TestDailyReminders(CoordinationCase):
    def _activities(self, project, xmlid):
        activity_type = self.env.ref(f"coordination_microlocale.{xmlid}")
        return project.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )

    def test_review_due_and_overdue_actions(self):
        with freeze_time("2026-03-02 09:00:00"):
            self.project.write(
                {"date_start": date(2026, 1, 5), "review_date": date(2026, 3, 10)}
            )
            self.gp_action.date_due = date(2026, 3, 5)
            self.env["coordination.individual.project"]._cron_daily_reminders()
            self.assertFalse(
                self._activities(self.project, "mail_activity_type_review")
            )
            self.assertFalse(
                self._activities(self.project, "mail_activity_type_overdue")
            )
        with freeze_time("2026-03-10 09:00:00"):
            Project = self.env["coordination.individual.project"]
            Project._cron_daily_reminders()
            Project._cron_daily_reminders()
            review = self._activities(self.project, "mail_activity_type_review")
            self.assertEqual(len(review), 1, "idempotent")
            self.assertEqual(review.user_id, self.coordinator)
            self.assertEqual(review.date_deadline, date(2026, 3, 10))
            overdue = self._activities(self.project, "mail_activity_type_overdue")
            self.assertEqual(len(overdue), 1)
            self.assertIn("1", overdue.summary)
            self.assertTrue(self.gp_action.is_overdue)
            self.assertFalse(
                self._activities(self.project_other, "mail_activity_type_review")
            )

    def test_closed_projects_are_left_alone(self):
        with freeze_time("2026-03-10 09:00:00"):
            self.project.write(
                {"date_start": date(2026, 1, 5), "review_date": date(2026, 3, 1)}
            )
            self.project._close("goals_reached")
            self.env["coordination.individual.project"]._cron_daily_reminders()
            self.assertFalse(
                self._activities(self.project, "mail_activity_type_review")
            )

    def test_cron_is_declared(self):
        cron = self.env.ref("coordination_microlocale.ir_cron_daily_reminders")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
