from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestProject(CoordinationCase):
    def _new_project(self, **values):
        person = self.env["res.partner"].create({"name": "Personne Nouvelle"})
        return self.env["coordination.individual.project"].create(
            dict(
                {
                    "person_id": person.id,
                    "territory_id": self.territory.id,
                    "coordinator_id": self.coordinator.id,
                },
                **values,
            )
        )

    def test_reference_and_core_circle(self):
        project = self._new_project()
        self.assertTrue(project.name.startswith("PSI/"))
        self.assertEqual(project.display_name, project.name)
        self.assertEqual(
            sorted(project.circle_member_ids.mapped("role")), ["coordinator", "person"]
        )
        self.assertEqual(project.consent_state, "none")

    def test_states_from_intake_to_closing(self):
        project = self._new_project().with_user(self.coordinator)
        project.action_start_analysis()
        self.assertEqual(project.state, "analysis")
        with self.assertRaisesRegex(UserError, "no goal"):
            project.action_start_project()
        project.goal_ids = [fields.Command.create({"name": "Rester chez moi"})]
        project.action_start_project()
        project.action_follow_up()
        self.assertEqual(project.state, "follow_up")
        action = self.env["coordination.project.action"].create(
            {"project_id": project.id, "name": "Demander l'APA"}
        )
        wizard_action = project.action_close()
        wizard = self.env["coordination.project.close.wizard"].browse(
            wizard_action["res_id"]
        )
        with Form(wizard.with_user(self.coordinator)) as form:
            form.closing_reason = "goals_reached"
            form.closing_note = "Objectifs atteints"
        form.record.action_confirm()
        self.assertEqual(project.state, "closed")
        self.assertEqual(project.closing_reason, "goals_reached")
        self.assertEqual(project.date_closed, fields.Date.context_today(project))
        self.assertEqual(action.state, "cancelled", "open actions are cancelled")
        with self.assertRaisesRegex(UserError, "closed"):
            project.action_start_analysis()
        with self.assertRaisesRegex(UserError, "closed project"):
            action.name = "Autre chose"
        with self.assertRaisesRegex(UserError, "closed project"):
            self.env["coordination.project.action"].create(
                {"project_id": project.id, "name": "Trop tard"}
            )
        project.action_reopen()
        self.assertEqual(project.state, "follow_up")
        self.assertFalse(project.closing_reason)

    def test_closing_needs_a_reason(self):
        project = self._new_project()
        with self.assertRaisesRegex(UserError, "reason"):
            project._close(False)
        self.assertNotEqual(project.state, "closed")

    def test_actions(self):
        action = self.gp_action
        self.assertEqual(action.state, "todo")
        action.date_due = fields.Date.today() - timedelta(days=2)
        self.assertTrue(action.is_overdue)
        self.assertIn(
            action,
            self.env["coordination.project.action"].search([("is_overdue", "=", True)]),
        )
        action.action_start()
        action.action_done()
        self.assertEqual(action.date_done, fields.Date.context_today(action))
        self.assertFalse(action.is_overdue)
        self.assertEqual(
            (self.project.action_count, self.project.action_done_count), (2, 1)
        )

    def test_dates_in_wrong_order(self):
        with self.assertRaisesRegex(ValidationError, "review date"):
            self.project.review_date = self.project.date_start - timedelta(days=1)
        with self.assertRaisesRegex(ValidationError, "leave the circle"):
            self.gp_member.write(
                {
                    "is_active": False,
                    "date_left": self.gp_member.date_joined - timedelta(days=1),
                }
            )

    def test_person_cannot_change(self):
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            self.project.person_id = self.person_other

    def test_professional_needs_consent(self):
        project = self._new_project()
        # the savepoint plays the part of the request's transaction, rolled back on
        # error
        with (
            self.assertRaisesRegex(ValidationError, "consent"),
            self.env.cr.savepoint(),
        ):
            self.env["coordination.circle.member"].create(
                {"project_id": project.id, "partner_id": self.nurse.partner_id.id}
            )
        self.assertEqual(
            self.env["coordination.circle.member"].search_count(
                [("project_id", "=", project.id)]
            ),
            2,
            "nothing half-written",
        )
        with self.assertRaisesRegex(ValidationError, "consent"):
            self.env["coordination.circle.member"].create(
                {
                    "project_id": project.id,
                    "partner_id": self.hospital.id,
                    "role": "carer",
                }
            )

    def test_consent_wizard(self):
        project = self._new_project().with_user(self.coordinator)
        action = project.action_record_consent()
        wizard = (
            self.env["coordination.consent.wizard"]
            .with_user(self.coordinator)
            .browse(action["res_id"])
        )
        self.assertEqual(wizard.decision, "given")
        wizard.write(
            {
                "consent_form": "written",
                "consent_scope": "Avec le médecin traitant",
                "person_informed": True,
            }
        )
        wizard.action_confirm()
        self.assertEqual(project.consent_state, "given")
        self.assertEqual(project.consent_informed_by_id, self.coordinator)
        self.assertEqual(project.consent_form, "written")
        wizard = self.env["coordination.consent.wizard"].browse(
            project.action_record_consent()["res_id"]
        )
        self.assertEqual(wizard.decision, "withdrawn")
        wizard.action_confirm()
        self.assertEqual(project.consent_state, "withdrawn")
        self.assertEqual(
            project.consent_withdrawal_date, fields.Date.context_today(project)
        )

    def test_consent_bad_input(self):
        project = self._new_project()
        with (
            self.assertRaisesRegex(UserError, "how the person gave"),
            self.cr.savepoint(),
        ):
            project._set_consent("given")
        with self.assertRaisesRegex(ValidationError, "future"), self.cr.savepoint():
            project._set_consent(
                "given",
                date=fields.Date.today() + timedelta(days=2),
                means="oral",
            )
        with self.assertRaisesRegex(UserError, "Only a consent that was given"):
            project._set_consent("withdrawn")
        project.invalidate_recordset()
        self.assertEqual(project.consent_state, "none")

    def test_consent_fields_are_not_editable_from_the_form(self):
        form_view = self.env["coordination.individual.project"].get_views(
            [(False, "form")]
        )
        fields_info = form_view["models"]["coordination.individual.project"]["fields"]
        self.assertTrue(fields_info["consent_state"]["readonly"])

    def test_withdrawal_unsubscribes_the_circle(self):
        self.project.message_subscribe(partner_ids=self.gp.partner_id.ids)
        self.assertIn(self.gp.partner_id, self.project.message_partner_ids)
        self.project._set_consent("withdrawn")
        self.assertNotIn(self.gp.partner_id, self.project.message_partner_ids)
        self.assertFalse(self.gp_member.access_granted)

    def test_leaving_the_circle_unsubscribes(self):
        self.project.message_subscribe(partner_ids=self.gp.partner_id.ids)
        self.gp_member.action_leave()
        self.assertFalse(self.gp_member.is_active)
        self.assertEqual(
            self.gp_member.date_left, fields.Date.context_today(self.gp_member)
        )
        self.assertNotIn(self.gp.partner_id, self.project.message_partner_ids)
        self.gp_member.action_rejoin()
        self.assertTrue(self.gp_member.access_granted)

    def test_professional_updates_only_their_action_progress(self):
        action = self.gp_action.with_user(self.gp)
        action.action_start()
        action.note = "Rendez-vous pris"
        self.assertEqual(action.state, "in_progress")
        with self.assertRaisesRegex(UserError, "progress and the notes"):
            action.name = "Autre action"
        with self.assertRaises(AccessError):
            self.other_action.with_user(self.gp).action_done()
