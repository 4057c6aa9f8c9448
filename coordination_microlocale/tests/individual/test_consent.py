from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestConsent(CoordinationCase):
    def _project_ids(self, user):
        return (
            self.env["coordination.individual.project"].with_user(user).search([]).ids
        )

    def test_lifecycle_and_history(self):
        project = self.project
        self.assertEqual(project.consent_state, "given")
        project._set_consent("withdrawn")
        self.assertEqual(project.consent_state, "withdrawn")
        self.assertNotIn(project.id, self._project_ids(self.gp))
        project._set_consent("requested")
        self.assertEqual(project.consent_state, "requested")
        self.assertNotIn(project.id, self._project_ids(self.gp))
        project._set_consent("refused")
        self.assertNotIn(project.id, self._project_ids(self.gp))
        project._set_consent("given", means="written")
        self.assertIn(project.id, self._project_ids(self.gp))
        states = project.consent_ids.sorted(lambda c: c.id).mapped("state")
        self.assertEqual(
            states, ["given", "withdrawn", "requested", "refused", "given"]
        )
        with self.assertRaisesRegex(UserError, "cannot become"):
            project._set_consent("requested")

    def test_history_cannot_be_changed(self):
        consent = self.project.consent_ids
        for user in (self.coordinator, self.manager):
            with self.assertRaises(AccessError):
                consent.with_user(user).write({"state": "refused"})
            with self.assertRaises(AccessError):
                consent.with_user(user).unlink()
        with self.assertRaises(AccessError):
            consent.write({"scope_information": "rewritten"})
        with self.assertRaises(AccessError):
            consent.unlink()
        with self.assertRaises(AccessError):
            consent.with_user(self.gp).write({"note": "x"})

    def test_person_informed_beforehand_or_urgency(self):
        project = self.project_other
        with (
            self.assertRaisesRegex(ValidationError, "informed beforehand"),
            self.cr.savepoint(),
        ):
            project._set_consent("given", means="oral", person_informed=False)
        project.invalidate_recordset()
        self.assertEqual(project.consent_state, "none")

    def test_urgency_path(self):
        project = self.env["coordination.individual.project"].create(
            {
                "person_id": self.env["res.partner"].create({"name": "Urgence"}).id,
                "territory_id": self.territory.id,
                "coordinator_id": self.coordinator.id,
            }
        )
        project._set_consent("given", means="oral", is_urgency=True)
        self.assertEqual(project.consent_state, "given")
        self.assertTrue(project.consent_information_pending)
        todo = project.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertEqual(todo.user_id, self.coordinator)
        self.assertEqual(
            todo.date_deadline, fields.Date.context_today(project) + timedelta(days=3)
        )
        self.env["coordination.circle.member"].create(
            {"project_id": project.id, "partner_id": self.nurse.partner_id.id}
        )
        self.assertIn(project.id, self._project_ids(self.nurse), "shared first")
        with self.assertRaisesRegex(UserError, "not yet been informed"):
            project._close("goals_reached")
        project._record_consent_information(note="Informée par téléphone")
        self.assertFalse(project.consent_information_pending)
        consent = project.current_consent_id
        self.assertTrue(consent.person_informed)
        self.assertEqual(consent.information_note, "Informée par téléphone")
        with self.assertRaises(AccessError):
            consent.write({"information_note": "changed afterwards"})
        project._close("goals_reached")

    def test_expiry(self):
        with freeze_time("2026-01-10"):
            project = self.env["coordination.individual.project"].create(
                {
                    "person_id": self.env["res.partner"].create({"name": "Expire"}).id,
                    "territory_id": self.territory.id,
                    "coordinator_id": self.coordinator.id,
                    "date_start": "2026-01-05",
                }
            )
            project._set_consent("given", means="written")
            self.assertEqual(project.consent_expiry_date, date(2027, 1, 10))
            self.env["coordination.circle.member"].create(
                {"project_id": project.id, "partner_id": self.nurse.partner_id.id}
            )
            self.assertIn(project.id, self._project_ids(self.nurse))
        with freeze_time("2027-01-10"):
            self.env["coordination.consent"]._cron_expire()
            self.assertEqual(project.consent_state, "given", "valid on its last day")
        with freeze_time("2027-01-11"):
            self.env["coordination.consent"]._cron_expire()
            self.env["coordination.consent"]._cron_expire()
            self.assertEqual(project.consent_state, "expired")
            self.assertEqual(project.consent_ids.mapped("state").count("expired"), 1)
            self.assertNotIn(project.id, self._project_ids(self.nurse))

    def test_expiry_reaches_closed_projects_too(self):
        """A closed project keeps no professional past the consent: expiry applies."""
        with freeze_time("2026-01-10"):
            project = self.env["coordination.individual.project"].create(
                {
                    "person_id": self.env["res.partner"].create({"name": "Close"}).id,
                    "territory_id": self.territory.id,
                    "coordinator_id": self.coordinator.id,
                    "date_start": "2026-01-05",
                }
            )
            project._set_consent("given", means="written")
            self.env["coordination.circle.member"].create(
                {"project_id": project.id, "partner_id": self.nurse.partner_id.id}
            )
            project._close("goals_reached")
            self.assertIn(project.id, self._project_ids(self.nurse))
        with freeze_time("2027-02-01"):
            self.env["coordination.consent"]._cron_expire()
            self.assertEqual(project.consent_state, "expired")
            self.assertNotIn(project.id, self._project_ids(self.nurse))
            with self.assertRaisesRegex(UserError, "closed project"):
                project._set_consent("given", means="oral")

    def test_scope_limits_who_sees(self):
        msp_type = self.env.ref("coordination_microlocale.structure_type_msp")
        msp = self.env["res.partner"].create(
            {
                "name": "MSP",
                "is_company": True,
                "coordination_role": "structure",
                "coordination_structure_type_id": msp_type.id,
            }
        )
        self.nurse.partner_id.parent_id = msp
        self.env["coordination.circle.member"].create(
            {"project_id": self.project.id, "partner_id": self.nurse.partner_id.id}
        )
        self.assertIn(self.project.id, self._project_ids(self.nurse), "whole circle")
        self.project._set_consent("withdrawn")
        self.project._set_consent(
            "given", means="written", scope_partner_ids=self.gp.partner_id
        )
        self.assertIn(self.project.id, self._project_ids(self.gp))
        self.assertNotIn(
            self.project.id, self._project_ids(self.nurse), "outside the scope"
        )
        self.project._set_consent("withdrawn")
        self.project._set_consent(
            "given", means="written", scope_structure_type_ids=msp_type
        )
        self.assertIn(self.project.id, self._project_ids(self.nurse), "works at an MSP")
        self.assertNotIn(self.project.id, self._project_ids(self.gp))

    def test_wizard_with_evidence_and_scope(self):
        project = self.project_other.with_user(self.coordinator_other)
        action = project.action_record_consent()
        wizard = (
            self.env["coordination.consent.wizard"]
            .with_user(self.coordinator_other)
            .browse(action["res_id"])
        )
        wizard.write(
            {
                "decision": "given",
                "consent_form": "written",
                "person_informed": True,
                "consent_scope": "Situation sociale",
                "evidence_file": "Y29uc2VudGVtZW50",
                "evidence_filename": "consentement.pdf",
                "scope_structure_type_ids": [
                    Command.set(
                        self.env.ref("coordination_microlocale.structure_type_ccas").ids
                    )
                ],
            }
        )
        wizard.action_confirm()
        consent = project.current_consent_id
        self.assertEqual(consent.state, "given")
        self.assertEqual(consent.recorded_by_id, self.coordinator_other)
        self.assertEqual(consent.evidence_attachment_ids.name, "consentement.pdf")
        self.assertEqual(consent.evidence_attachment_ids.res_id, project.id)
        self.assertEqual(consent.scope_structure_type_ids.code, "CCAS")


@tagged("post_install", "-at_install")
class TestConsentStateMachine(CoordinationCase):
    """The state machine is the consent model's own; refusals write nothing."""

    def test_steps_are_recorded_by_the_consent_model(self):
        Consent = self.env["coordination.consent"]
        before = self.project.consent_ids
        step = Consent._record_step(self.project, "withdrawn", note="Par téléphone")
        self.assertEqual(step.state, "withdrawn")
        self.assertEqual(step.note, "Par téléphone")
        self.assertEqual(self.project.consent_state, "withdrawn")
        self.assertNotIn(self.gp.partner_id, self.project.message_partner_ids)
        for state, values in (
            ("expired", {}),  # only a given consent expires
            ("withdrawn", {}),  # only a given consent is withdrawn
            ("given", {}),  # how the person gave it is required
        ):
            with self.subTest(state=state), self.assertRaises(UserError):
                Consent._record_step(self.project, state, **values)
        self.assertEqual(
            self.project.consent_ids, before | step, "nothing half-written"
        )

    def test_a_given_consent_gets_its_defaults(self):
        self.project._set_consent("withdrawn")
        step = self.env["coordination.consent"]._record_step(
            self.project, "given", means="oral", scope_partner_ids=self.gp.partner_id
        )
        self.assertTrue(step.person_informed)
        self.assertEqual(step.information_date, step.date)
        self.assertEqual(step.expiry_date, step._default_expiry(step.date))
        self.assertEqual(step.scope_partner_ids, self.gp.partner_id)
