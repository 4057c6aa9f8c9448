from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestDirectory(CoordinationCase):
    def test_reference_lists_are_data(self):
        codes = set(self.env["coordination.structure.type"].search([]).mapped("code"))
        for code in (
            "HOSP", "CPTS", "MSP", "CDS", "ESP", "DAC", "CCAS", "CMP", "PMI", "CSAPA",
            "EHPAD", "SSIAD", "HAD", "PHARM", "CPAM", "CAF", "MDPH", "DEPT", "ARS",
            "ASSO", "EDUC", "MUNI",
        ):  # fmt: skip
            self.assertIn(code, codes)
        fields_of_action = (
            self.env["coordination.field.of.action"].search([]).mapped("code")
        )
        self.assertEqual(
            sorted(fields_of_action),
            ["health", "medico_social", "prevention", "social"],
        )
        self.assertTrue(
            self.env.ref("coordination_microlocale.profession_gp").identifier_kind
        )

    def test_structure_type_fills_defaults(self):
        with Form(self.env["res.partner"].with_user(self.coordinator)) as form:
            form.name = "CCAS de la commune"
            form.coordination_role = "structure"
            form.coordination_structure_type_id = self.env.ref(
                "coordination_microlocale.structure_type_ccas"
            )
            self.assertEqual(form.coordination_role, "structure")
            self.assertTrue(form.is_company)
            self.assertEqual(form.coordination_level, "local")
        partner = form.record
        self.assertEqual(
            partner.coordination_field_of_action_ids.mapped("code"), ["social"]
        )

    def test_who_can_help_search(self):
        Partner = self.env["res.partner"]
        social = self.env.ref("coordination_microlocale.field_of_action_social")
        ccas = Partner.create(
            {
                "name": "CCAS Test A",
                "is_company": True,
                "coordination_role": "structure",
                "coordination_structure_type_id": self.env.ref(
                    "coordination_microlocale.structure_type_ccas"
                ).id,
                "coordination_field_of_action_ids": [Command.set(social.ids)],
                "coordination_territory_ids": [Command.set(self.territory.ids)],
                "coordination_level": "local",
            }
        )
        found = Partner.with_user(self.staff).search(
            [
                ("coordination_field_of_action_ids", "in", social.ids),
                ("coordination_territory_ids", "in", self.territory.ids),
            ]
        )
        self.assertEqual(found, ccas)
        counts = Partner.with_user(self.staff).formatted_read_group(
            [("coordination_role", "=", "structure")],
            ["coordination_structure_type_id"],
            ["__count"],
        )
        self.assertTrue(counts)

    def test_delete_partner_linked_to_a_file_is_refused(self):
        for partner in (self.person, self.gp.partner_id, self.hospital):
            with self.assertRaisesRegex(UserError, "Archive it instead"):
                partner.unlink()
        self.assertTrue(self.person.exists())
        self.assertTrue(self.project.exists())
        self.person.action_archive()
        self.assertFalse(self.person.active)
        self.assertEqual(self.project.person_id, self.person, "nothing is lost")
        self.env["res.partner"].create({"name": "Contact libre"}).unlink()

    def test_delete_refusal_reveals_nothing_to_other_users(self):
        """The refusal is the same whoever asks, and names no file."""
        with self.assertRaises(UserError) as caught:
            self.person_other.with_user(self.coordinator).unlink()
        message = str(caught.exception)
        self.assertNotIn(self.project_other.name, message)
        self.assertNotIn("Test B", message)

    def test_territory_hierarchy(self):
        epci = self.env["coordination.territory"].create(
            {"name": "Pays Test", "kind": "intercommunality"}
        )
        self.territory.parent_id = epci
        self.assertEqual(self.territory.complete_name, "Pays Test / Commune Test A")
        with self.assertRaises(UserError):
            epci.parent_id = self.territory
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.territory.population = -5
            self.territory.flush_recordset()

    def test_user_territories_mirror_coordinators(self):
        self.assertIn(self.territory, self.coordinator.coordination_territory_ids)
        self.assertIn(self.coordinator, self.territory.coordinator_ids)
        self.assertFalse(self.manager.coordination_territory_ids)


@tagged("post_install", "-at_install")
class TestFilesOfAPerson(CoordinationCase):
    """One definition of the files about a person, for counts, search and rights."""

    def test_requests_of_a_resident_requester_are_about_them(self):
        resident = self.env["res.partner"].create({"name": "Jeanne Appelante"})
        professional_request = self.env["coordination.request"].create(
            {
                "territory_id": self.territory.id,
                "requester_type": "professional",
                "requester_partner_id": self.gp.partner_id.id,
                "person_id": self.person.id,
                "channel": "phone",
            }
        )
        own_request = self.env["coordination.request"].create(
            {
                "territory_id": self.territory.id,
                "requester_type": "resident",
                "requester_partner_id": resident.id,
                "channel": "office",
            }
        )
        as_coordinator = (resident | self.gp.partner_id).with_user(self.coordinator)
        requests, projects = as_coordinator[0]._coordination_files()
        self.assertEqual(requests, own_request)
        self.assertFalse(projects)
        requests, _projects = as_coordinator[1]._coordination_files()
        self.assertNotIn(professional_request, requests, "the GP only sent it")
        self.assertEqual(as_coordinator[0].coordination_request_count, 1)
        self.assertEqual(as_coordinator[1].coordination_request_count, 0)
        followed = (
            self.env["res.partner"]
            .with_user(self.coordinator)
            .search([("coordination_followed", "=", True)])
        )
        self.assertIn(resident, followed)
        self.assertNotIn(self.gp.partner_id, followed)
        action = as_coordinator[0].action_view_coordination_requests()
        self.assertEqual(
            self.env["coordination.request"].search(action["domain"]), own_request
        )

    def test_person_details_are_for_the_coordinators_only(self):
        self.person.write(
            {
                "coordination_preferred_contact": "phone",
                "coordination_trusted_person_id": self.person_other.id,
            }
        )
        for user in (self.staff, self.gp):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.person.with_user(user).read(["coordination_trusted_person_id"])
        person = self.person.with_user(self.coordinator)
        self.assertEqual(person.coordination_trusted_person_id, self.person_other)
