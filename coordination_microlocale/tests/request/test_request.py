from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestRequest(CoordinationCase):
    def test_reference_and_display_name(self):
        self.assertTrue(self.request.name.startswith("DEM/"))
        self.assertEqual(self.request.display_name, self.request.name)
        self.assertNotIn(self.person.name, self.request.display_name)

    def test_triage_then_orientation_then_close(self):
        request = self.request.with_user(self.coordinator)
        request.action_start_triage()
        self.assertEqual(request.state, "triage")
        self.assertTrue(request.first_contact_date)
        with self.assertRaisesRegex(UserError, "oriented to"):
            request.action_orient()
        request.orientation_partner_ids = [Command.set(self.hospital.ids)]
        request.action_orient()
        self.assertEqual((request.state, request.outcome), ("oriented", "oriented"))
        request.action_close()
        self.assertEqual(request.state, "closed")
        self.assertTrue(request.date_closed)
        with self.assertRaisesRegex(UserError, "not possible"):
            request.action_start_triage()
        request.action_reopen()
        self.assertEqual(request.state, "triage")

    def test_close_needs_an_outcome(self):
        request = self.request.with_user(self.coordinator)
        with self.assertRaisesRegex(UserError, "outcome"):
            request.action_close()
        request.outcome = "information"
        request.action_close()
        self.assertEqual(request.state, "closed")

    def test_open_project_from_request(self):
        request = self.env["coordination.request"].create(
            {
                "territory_id": self.territory.id,
                "coordinator_id": self.coordinator.id,
                "person_id": self.env["res.partner"]
                .create({"name": "Nouvelle Personne"})
                .id,
                "description": "Logement humide <script>x</script>",
                "theme_ids": [Command.set(self.determinant_housing.ids)],
            }
        )
        action = request.with_user(self.coordinator).action_open_project()
        project = request.project_id
        self.assertEqual(action["res_id"], project.id)
        self.assertEqual(request.state, "project")
        self.assertEqual(project.person_id, request.person_id)
        self.assertEqual(project.coordinator_id, self.coordinator)
        self.assertEqual(project.need_ids.determinant_id, self.determinant_housing)
        self.assertNotIn("<script>", project.problematique)
        roles = {member.partner_id: member.role for member in project.circle_member_ids}
        self.assertEqual(roles[request.person_id], "person")
        self.assertEqual(roles[self.coordinator.partner_id], "coordinator")
        self.assertEqual(project.request_count, 1)

    def test_open_project_joins_the_open_one(self):
        self.request.with_user(self.coordinator).action_open_project()
        self.assertEqual(self.request.project_id, self.project)

    def test_open_project_needs_a_person(self):
        request = self.env["coordination.request"].create(
            {"territory_id": self.territory.id, "description": "Appel anonyme"}
        )
        with self.assertRaisesRegex(UserError, "no person concerned"):
            request.action_open_project()
        self.assertFalse(
            self.env["coordination.individual.project"].search_count(
                [("request_ids", "in", request.ids)]
            )
        )

    def test_dates_in_wrong_order(self):
        with self.assertRaisesRegex(ValidationError, "precede"):
            self.request.first_contact_date = self.request.date_received - timedelta(
                days=1
            )
        with self.assertRaisesRegex(ValidationError, "future"):
            self.request.date_received = fields.Datetime.now() + timedelta(days=3)

    def test_first_contact_delay(self):
        self.request.write(
            {
                "date_received": fields.Datetime.now() - timedelta(days=3),
                "first_contact_date": fields.Datetime.now() - timedelta(days=1),
            }
        )
        self.assertAlmostEqual(self.request.first_contact_delay, 2.0, places=1)

    def test_professional_sends_a_request(self):
        Request = self.env["coordination.request"].with_user(self.nurse)
        sent = Request.create(
            {
                "territory_id": self.territory.id,
                "requester_type": "professional",
                "channel": "referral",
                "person_id": self.person_other.id,
                "description": "Patiente isolée après sa sortie",
            }
        )
        self.assertEqual(sent.requester_partner_id, self.nurse.partner_id)
        self.assertEqual(
            Request.search([]), sent, "the nurse sees her own request only"
        )
        self.assertEqual(sent.read(["description"])[0]["description"], sent.description)
        with self.assertRaises(AccessError):
            sent.write({"state": "closed"})
        with self.assertRaises(AccessError):
            sent.unlink()
        # the coordinator of the territory receives it
        self.assertIn(
            sent,
            self.env["coordination.request"].with_user(self.coordinator).search([]),
        )
        self.assertNotIn(
            sent,
            self.env["coordination.request"]
            .with_user(self.coordinator_other)
            .search([]),
        )
