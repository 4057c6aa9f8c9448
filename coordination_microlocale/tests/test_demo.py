from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    """The demo database tells the Saint-Florent-des-Bois story to each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("coordination_microlocale.user_coordinatrice", False):
            raise AssertionError("These tests need the demo data (--with-demo).")
        cls.users = {
            login: cls.env.ref(
                f"coordination_microlocale.user_{login.replace('.', '_')}"
            )
            for login in (
                "coordinatrice",
                "coordinateur.roche",
                "dr.martin",
                "ide.bernard",
                "agent.mairie",
                "responsable",
            )
        }

    def _ref(self, name):
        return self.env.ref(f"coordination_microlocale.{name}")

    def test_users(self):
        group = "coordination_microlocale.group_"
        expected = {
            "coordinatrice": "coordinator",
            "coordinateur.roche": "coordinator",
            "dr.martin": "portal_professional",
            "ide.bernard": "professional",
            "agent.mairie": "municipal_staff",
            "responsable": "manager",
        }
        for login, user in self.users.items():
            self.assertEqual(user.login, login)
            self.assertEqual(user.lang, "fr_FR", login)
            self.assertTrue(user.has_group(group + expected[login]), login)
        self.assertFalse(self.users["agent.mairie"].has_group(group + "coordinator"))
        # the self-employed GP works from a portal account, the nurse is internal
        self.assertTrue(self.users["dr.martin"].share)
        self.assertFalse(self.users["ide.bernard"].share)
        person = self.env.ref("coordination_microlocale.user_jeanne_gautier")
        self.assertTrue(person.has_group(group + "portal_person"))
        self.assertEqual(person.partner_id, self._ref("project_gautier").person_id)
        self.assertFalse(self.users["responsable"].coordination_territory_ids)
        self.assertEqual(
            self.users["coordinatrice"].coordination_territory_ids,
            self._ref("territory_saint_florent_des_bois"),
        )

    def test_who_sees_which_project(self):
        Project = self.env["coordination.individual.project"]
        gautier = self._ref("project_gautier")
        self.assertEqual(Project.with_user(self.users["dr.martin"]).search([]), gautier)
        self.assertFalse(Project.with_user(self.users["ide.bernard"]).search([]))
        self.assertFalse(Project.with_user(self.users["responsable"]).search([]))
        self.assertEqual(
            Project.with_user(self.users["coordinateur.roche"]).search([]),
            self._ref("project_traore"),
        )
        mine = Project.with_user(self.users["coordinatrice"]).search([])
        self.assertIn(gautier, mine)
        self.assertNotIn(self._ref("project_traore"), mine)
        with self.assertRaises(AccessError):
            Project.with_user(self.users["agent.mairie"]).search([])

    def test_story_states(self):
        Project = self.env["coordination.individual.project"]
        territory = self._ref("territory_saint_florent_des_bois")
        states = set(
            Project.search([("territory_id", "=", territory.id)]).mapped("state")
        )
        self.assertGreaterEqual(len(states), 3)
        self.assertIn("closed", states)
        chauvet = self._ref("project_chauvet")
        self.assertEqual(chauvet.consent_state, "withdrawn")
        self.assertTrue(chauvet.circle_member_ids.filtered(lambda m: not m.is_active))
        requests = self.env["coordination.request"].search(
            [("territory_id", "=", territory.id)]
        )
        self.assertGreaterEqual(len(set(requests.mapped("state"))), 4)
        self.assertTrue(self._ref("project_gautier").request_ids)

    def test_sessions(self):
        concertation = self._ref("session_gautier_concertation")
        self.assertEqual(concertation.privacy, "private")
        self.assertTrue(concertation.coordination_person_present)
        self.assertGreaterEqual(concertation.coordination_structure_count, 1)
        self.env.invalidate_all()
        Event = self.env["calendar.event"]
        for login in ("agent.mairie", "ide.bernard", "coordinateur.roche"):
            self.assertNotIn(
                concertation, Event.with_user(self.users[login]).search([]), login
            )
            with self.assertRaises(AccessError, msg=login):
                concertation.with_user(self.users[login]).read(["name"])
        self.env.invalidate_all()
        self.assertIn(
            "Gautier",
            concertation.with_user(self.users["dr.martin"]).coordination_minutes,
        )
        steering = self._ref("session_steering_committee").with_user(
            self.users["agent.mairie"]
        )
        self.assertIn("Bilan", steering.coordination_minutes)
        commission = self._ref("session_commission_home_support")
        self.assertEqual(len(commission.recurrence_id.calendar_event_ids), 4)
        stay = self._ref("stay_bodin_chd")
        self.assertTrue(
            stay.activity_ids, "the return home of M. Bodin is being prepared"
        )
