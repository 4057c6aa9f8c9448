"""The register attacked over real HTTP, as each role that may not see a person.

Every request goes through the test server (JSON-RPC ``/web/dataset/call_kw``,
``/web/content`` of the prefect's files, ``/report``) and its raw body is searched for
the person's name, phone and the name of the person to warn.
"""

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..common import call_kw

PERSON = "Ysaline Registresecret"
PHONE = "02 51 77 66 55"
RELATIVE = "Prudence Aprevenir"
SECRETS = (PERSON, PHONE, RELATIVE)
GROUP = "coordination_microlocale.group_"
ENTRY = "coordination.register.entry"
CALL = "coordination.register.call"
CONTACT = "coordination.register.contact"


@tagged("post_install", "-at_install")
class TestRegisterHttpAttacks(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Territory = env["coordination.territory"]
        cls.territory_a = Territory.create({"name": "Registre Attaque A"})
        cls.territory_b = Territory.create({"name": "Registre Attaque B"})
        roles = {
            "keeper": "register_keeper",
            "coord_b": "coordinator",
            "gp": "professional",
            "staff": "municipal_staff",
            "keeper_b": "register_keeper",
            "agent_in": "register_agent",
            "agent_out": "register_agent",
            "agent_ended": "register_agent",
        }
        cls.users = {
            role: new_test_user(
                env,
                login=f"reg.atk.{role}",
                groups=f"{GROUP}{group},base.group_allow_export",
                name=f"Registre {role}",
            )
            for role, group in roles.items()
        }
        cls.territory_a.register_keeper_ids = [Command.link(cls.users["keeper"].id)]
        cls.territory_b.write(
            {
                "register_keeper_ids": [Command.link(cls.users["keeper_b"].id)],
                "coordinator_ids": [Command.link(cls.users["coord_b"].id)],
            }
        )
        Partner = env["res.partner"]
        cls.person = Partner.create({"name": PERSON, "phone": PHONE})
        cls.neighbour = Partner.create({"name": "Voisin Ordinaire", "phone": "0251"})
        Entry = env[ENTRY]
        cls.entry = Entry.create(
            {
                "partner_id": cls.person.id,
                "territory_id": cls.territory_a.id,
                "category": "elderly",
                "vulnerability": "2",
                "rights_informed": True,
                "emergency_contact_ids": [
                    Command.create({"name": RELATIVE, "phone": "06 00 11 22 33"})
                ],
            }
        )
        cls.entry_neighbour = Entry.create(
            {
                "partner_id": cls.neighbour.id,
                "territory_id": cls.territory_a.id,
                "category": "elderly",
                "rights_informed": True,
            }
        )
        (cls.entry | cls.entry_neighbour).action_register()
        Campaign = env["coordination.register.campaign"]
        agents = cls.users["agent_in"] | cls.users["agent_out"]
        cls.campaign = Campaign.create(
            {
                "title": "Canicule attaque",
                "territory_id": cls.territory_a.id,
                "agent_ids": [Command.set(agents.ids)],
            }
        )
        cls.campaign.action_start()
        cls.call = cls.campaign.call_ids.filtered(lambda c: c.entry_id == cls.entry)
        cls.call.agent_user_id = cls.users["agent_in"]
        (cls.campaign.call_ids - cls.call).agent_user_id = cls.users["agent_out"]
        cls.ended = Campaign.create(
            {
                "title": "Canicule terminée",
                "territory_id": cls.territory_a.id,
                "agent_ids": [Command.set(cls.users["agent_ended"].ids)],
            }
        )
        cls.ended.action_start()
        cls.ended.action_done()
        cls.ended_call = cls.ended.call_ids.filtered(lambda c: c.entry_id == cls.entry)
        cls.export = (
            env["coordination.register.export"]
            .with_user(cls.users["keeper"])
            .create({"territory_id": cls.territory_a.id})
        )
        cls.export.action_export()

    def assertNoSecret(self, response, what):
        for secret in SECRETS:
            self.assertNotIn(secret, response.text, what)

    def attack(self, role):
        self.authenticate(self.users[role].login, self.users[role].login)
        entry, call = self.entry.id, self.call.id
        contact = self.entry.emergency_contact_ids.id
        paths = [
            (ENTRY, "search_read", [[]], {"fields": ["person_name", "phone"]}),
            (ENTRY, "read", [[entry], ["person_name", "phone"]], {}),
            (ENTRY, "web_read", [[entry]], {"specification": {"person_name": {}}}),
            (
                ENTRY,
                "formatted_read_group",
                [[], ["person_name"], ["__count"]],
                {},
            ),
            (ENTRY, "export_data", [[entry], ["person_name", "phone"]], {}),
            (ENTRY, "name_search", [], {"name": "Ysaline"}),
            (
                ENTRY,
                "search_read",
                [[("person_name", "ilike", "Ysaline")]],
                {"fields": ["id"]},
            ),
            (CONTACT, "search_read", [[]], {"fields": ["name", "phone"]}),
            (CONTACT, "read", [[contact], ["name"]], {}),
            (CALL, "search_read", [[]], {"fields": ["person_name", "phone"]}),
            (CALL, "read", [[call], ["person_name", "emergency_contacts"]], {}),
            (CALL, "read", [[self.ended_call.id], ["person_name"]], {}),
            (CALL, "formatted_read_group", [[], ["person_name"], ["__count"]], {}),
            (CALL, "export_data", [[call], ["person_name", "phone"]], {}),
            (CALL, "name_search", [], {"name": "Ysaline"}),
            (
                "res.partner",
                "search_read",
                [[("id", "=", self.person.id)]],
                {"fields": ["display_name", "comment"]},
            ),
        ]
        for model, method, args, kwargs in paths:
            response = call_kw(self, model, method, args, kwargs)
            what = f"{role}: {model}.{method}"
            if model == "res.partner":
                # the contact is Odoo's: readable as before, with nothing of the
                # register on it (no field, no flag)
                self.assertNotIn("register", response.text.lower(), what)
                continue
            self.assertNoSecret(response, what)
        with mute_logger("odoo.http", "odoo.addons.base.models.ir_attachment"):
            for attachment in (
                self.export.xlsx_attachment_id,
                self.export.pdf_attachment_id,
            ):
                response = self.url_open(f"/web/content/{attachment.id}?download=true")
                self.assertNotEqual(response.status_code, 200, f"{role}: file")
                self.assertNoSecret(response, f"{role}: /web/content")
            response = self.url_open(
                f"/report/html/coordination_microlocale.report_register_export/"
                f"{self.export.id}"
            )
            self.assertNoSecret(response, f"{role}: /report")

    def test_outsiders_see_nothing(self):
        for role in ("coord_b", "gp", "staff", "keeper_b", "agent_out", "agent_ended"):
            with self.subTest(role=role):
                self.attack(role)

    def test_insiders_see_what_they_need(self):
        """The same requests return the person to those entitled (the attack
        above would find the secrets if they leaked)."""
        self.authenticate(self.users["keeper"].login, self.users["keeper"].login)
        response = call_kw(
            self, ENTRY, "search_read", [[]], {"fields": ["person_name", "phone"]}
        )
        self.assertIn(PERSON, response.text)
        response = self.url_open(
            f"/web/content/{self.export.xlsx_attachment_id.id}?download=true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))
        response = self.url_open(
            f"/web/content/{self.export.pdf_attachment_id.id}?download=true"
        )
        self.assertEqual(response.status_code, 200)
        # the agent, during the campaign, sees the people of their own list only
        self.authenticate(self.users["agent_in"].login, self.users["agent_in"].login)
        response = call_kw(
            self,
            CALL,
            "search_read",
            [[]],
            {"fields": ["person_name", "phone", "emergency_contacts"]},
        )
        self.assertIn(PERSON, response.text)
        self.assertIn(RELATIVE, response.text)
        self.assertNotIn("Voisin Ordinaire", response.text)
        response = call_kw(self, ENTRY, "search_read", [[]], {"fields": ["id"]})
        self.assertNoSecret(response, "agent: the register itself")
        self.assertIn("error", response.json())
        # and records the outcome over the same route
        response = call_kw(self, CALL, "action_outcome_ok", [[self.call.id]])
        self.assertNotIn("error", response.json())
        self.call.invalidate_recordset()
        self.assertEqual(self.call.state, "ok")
        # the downloads of the prefect's files are traced
        Log = self.env["coordination.access.log"]
        Log._trail_flush()
        self.assertTrue(
            Log.search(
                [
                    ("res_model", "=", "coordination.register.export"),
                    ("operation", "=", "download"),
                    ("user_id", "=", self.users["keeper"].id),
                ]
            )
        )
