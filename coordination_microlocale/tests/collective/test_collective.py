from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestCollectiveProject(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.msp = cls.env["res.partner"].create(
            {"name": "MSP Test", "is_company": True, "coordination_role": "structure"}
        )
        cls.gp.partner_id.parent_id = cls.msp
        cls.collective = cls.env["coordination.collective.project"].create(
            {
                "name": "Prévenir les chutes des personnes âgées",
                "axis": "Axe 2",
                "sheet_number": "Fiche 4",
                "territory_id": cls.territory.id,
                "coordinator_id": cls.coordinator.id,
                "carrier_ids": [Command.set([cls.hospital.id])],
                "theme_ids": [
                    Command.set(
                        cls.env.ref("coordination_microlocale.theme_older_people").ids
                    )
                ],
                "general_objectives": "<p>Réduire les chutes à domicile</p>",
                "funding_line_ids": [
                    Command.create(
                        {
                            "funder_id": cls.hospital.id,
                            "amount": 3000,
                            "status": "existing",
                        }
                    ),
                    Command.create(
                        {
                            "funder_id": cls.msp.id,
                            "amount": 1500.5,
                            "status": "to_develop",
                        }
                    ),
                ],
                "indicator_ids": [
                    Command.create(
                        {
                            "name": "Réunions de la commission",
                            "kind": "activity",
                            "computation": "meetings_held",
                            "target": 4,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Partenaires invités",
                            "kind": "activity",
                            "computation": "partners_invited",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Structures représentées",
                            "kind": "activity",
                            "computation": "structures_represented",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Actions prévues",
                            "kind": "process",
                            "computation": "actions_planned",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Actions réalisées",
                            "kind": "process",
                            "computation": "actions_done",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Participants",
                            "kind": "result",
                            "computation": "participants",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Satisfaction des participants",
                            "kind": "result",
                            "computation": "manual",
                            "manual_value": 87,
                            "unit": "%",
                        }
                    ),
                ],
            }
        )

    def _indicator(self, name):
        return self.collective.indicator_ids.filtered(lambda i: i.name == name)

    def test_funding_totals(self):
        self.assertEqual(self.collective.funding_existing, 3000)
        self.assertEqual(self.collective.funding_to_develop, 1500.5)
        self.assertEqual(self.collective.funding_total, 4500.5)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.collective.funding_line_ids[0].amount = -1
            self.collective.funding_line_ids[0].flush_recordset()

    def test_indicators_computed_from_sessions_and_actions(self):
        past = datetime.now().replace(microsecond=0) - timedelta(days=10)
        session = self.env["calendar.event"].create(
            {
                "name": "Commission chutes",
                "start": past,
                "stop": past + timedelta(hours=2),
                "coordination_session_type_id": self.env.ref(
                    "coordination_microlocale.session_type_commission"
                ).id,
                "coordination_collective_project_id": self.collective.id,
                "partner_ids": [
                    Command.set([self.gp.partner_id.id, self.hospital.id, self.msp.id])
                ],
            }
        )
        self.assertEqual(session.coordination_territory_id, self.territory)
        for attendee in session.attendee_ids:
            attendee.coordination_attendance = "present"
        future = datetime.now().replace(microsecond=0) + timedelta(days=10)
        self.env["calendar.event"].create(
            {
                "name": "Commission à venir",
                "start": future,
                "stop": future + timedelta(hours=2),
                "coordination_collective_project_id": self.collective.id,
                "coordination_session_type_id": session.coordination_session_type_id.id,
            }
        )
        self.collective.collective_action_ids = [
            Command.create(
                {"name": "Atelier équilibre", "state": "done", "participant_count": 12}
            ),
            Command.create(
                {"name": "Atelier nutrition", "state": "done", "participant_count": 8}
            ),
            Command.create({"name": "Visite à domicile", "state": "planned"}),
            Command.create({"name": "Annulée", "state": "cancelled"}),
        ]
        self.assertEqual(self._indicator("Réunions de la commission").measured_value, 1)
        self.assertEqual(self._indicator("Partenaires invités").measured_value, 3)
        self.assertEqual(
            self._indicator("Structures représentées").measured_value,
            2,
            "the hospital, and the MSP represented by itself and by the GP",
        )
        self.assertEqual(self._indicator("Actions prévues").measured_value, 3)
        self.assertEqual(self._indicator("Actions réalisées").measured_value, 2)
        self.assertEqual(self._indicator("Participants").measured_value, 20)
        self.assertEqual(
            self._indicator("Satisfaction des participants").measured_value, 87
        )
        self.assertEqual(self.collective.session_count, 2)

    def test_session_cannot_be_individual_and_collective(self):
        start = datetime.now() + timedelta(days=1)
        with self.assertRaisesRegex(UserError, "not both"):
            self.env["calendar.event"].create(
                {
                    "name": "Mélange",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "coordination_project_id": self.project.id,
                    "coordination_collective_project_id": self.collective.id,
                }
            )

    def test_states(self):
        project = self.collective.with_user(self.coordinator)
        project.action_draft()
        project.action_validate()
        project.action_start()
        self.assertEqual(project.state, "in_progress")
        project.action_evaluate()
        self.assertEqual(project.state, "evaluated")
        with self.assertRaisesRegex(UserError, "not possible"):
            project.action_start()
        empty = self.env["coordination.collective.project"].create(
            {"name": "Idée", "territory_id": self.territory.id}
        )
        with self.assertRaisesRegex(UserError, "general objectives"):
            empty.action_validate()
        with self.assertRaisesRegex(ValidationError, "end before"):
            empty.write({"date_start": "2026-05-01", "date_end": "2026-04-01"})

    def test_action_sheet_pdf(self):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "coordination_microlocale.report_collective_project", self.collective.ids
        )
        html = html.decode()
        for text in (
            "Prévenir les chutes des personnes âgées",
            "Axe 2",
            "Fiche 4",
            "Centre hospitalier test",
            "Réduire les chutes à domicile",
            "Satisfaction des participants",
            "Réunions de la commission",
        ):
            self.assertIn(text, html)

    def test_access(self):
        for user in (
            self.staff,
            self.gp,
            self.nurse,
            self.coordinator_other,
            self.manager,
        ):
            self.assertTrue(
                self.collective.with_user(user).read(["name", "funding_total"])
            )
            self.assertTrue(
                self.env["coordination.indicator"]
                .with_user(user)
                .search([("collective_project_id", "=", self.collective.id)])
            )
        for user in (self.staff, self.gp, self.coordinator_other):
            with self.assertRaises(AccessError, msg=user.login):
                self.collective.with_user(user).write({"name": "Changé"})
            with self.assertRaises(AccessError, msg=user.login):
                self.env["coordination.funding.line"].with_user(user).create(
                    {
                        "collective_project_id": self.collective.id,
                        "funder_id": self.hospital.id,
                        "amount": 1,
                    }
                )
        self.collective.with_user(self.coordinator).write(
            {"beneficiaries": "Plus de 65 ans"}
        )
        self.collective.with_user(self.manager).write({"cls_year": 2026})
        with self.assertRaises(AccessError):
            self.collective.with_user(self.coordinator).unlink()
        with self.assertRaises(AccessError):
            self.env["coordination.collective.project"].with_user(
                self.coordinator
            ).create({"name": "Ailleurs", "territory_id": self.territory_other.id})


@tagged("post_install", "-at_install")
class TestGoodPracticeAndCharter(CoordinationCase):
    def test_good_practice(self):
        practice = (
            self.env["coordination.good.practice"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Fiche de liaison hôpital - coordination",
                    "territory_id": self.territory.id,
                    "practice_type": "pathway",
                    "actor_type_ids": [
                        Command.set(
                            self.env.ref(
                                "coordination_microlocale.structure_type_hosp"
                            ).ids
                        )
                    ],
                    "result": "<p>Sorties anticipées</p>",
                    "evaluation_method": "<p>Nombre de sorties signalées</p>",
                    "deployment": "<p>Étendre aux cliniques</p>",
                    "adaptation_conditions": "<p>Un interlocuteur identifié</p>",
                }
            )
        )
        self.assertTrue(practice.with_user(self.staff).read(["result"]))
        with self.assertRaises(AccessError):
            practice.with_user(self.gp).write({"name": "x"})

    def test_charter_pdf_lists_professionals_alphabetically(self):
        names = ["Zoé Vasseur", "Albert Dupuis", "émile Bonnet", "Marie Caron"]
        partners = self.env["res.partner"].create([{"name": name} for name in names])
        charter = (
            self.env["coordination.charter"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Convention de coordination micro-locale",
                    "territory_id": self.territory.id,
                    "commune_partner_id": self.env["res.partner"]
                    .create({"name": "Commune A"})
                    .id,
                    "commune_signatory": "Le Maire",
                    "date_start": "2026-01-01",
                    "date_end": "2026-12-31",
                    "commitments": "<p>La Mairie s'engage à financer un poste.</p>",
                    "signatory_ids": [
                        Command.create({"partner_id": p.id}) for p in partners
                    ],
                }
            )
        )
        ordered = charter._professionals_in_order().partner_id.mapped("name")
        self.assertEqual(
            ordered, ["Albert Dupuis", "émile Bonnet", "Marie Caron", "Zoé Vasseur"]
        )
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "coordination_microlocale.report_charter", charter.ids
        )
        html = html.decode()
        positions = [html.index(name) for name in ordered]
        self.assertEqual(positions, sorted(positions))
        self.assertIn("La Mairie s'engage", html)
        charter.action_sign()
        self.assertEqual(charter.state, "signed")
        with self.assertRaisesRegex(ValidationError, "end before"):
            charter.date_end = "2025-01-01"
        self.assertTrue(charter.with_user(self.staff).read(["name"]))
        with self.assertRaises(AccessError):
            charter.with_user(self.coordinator_other).write({"name": "x"})
