from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUiRegisterAgent(HttpCase):
    """A volunteer works their call list of the demo heatwave campaign on a phone."""

    browser_size = "390x844"
    touch_enabled = True

    def test_agent_call_list_on_a_phone(self):
        agent = self.env["res.users"].search([("login", "=", "benevole.appels")])
        self.assertTrue(agent, "the browser tests need the demo data (--with-demo)")
        Call = self.env["coordination.register.call"]
        mine = Call.with_user(agent).search([])
        self.assertTrue(mine)
        self.assertFalse(mine.filtered(lambda call: call.agent_user_id != agent))
        self.start_tour(
            "/odoo/action-coordination_microlocale.action_coordination_register_call_mine",
            "coordination_register_agent_tour",
            login="benevole.appels",
        )
        mine = mine.with_user(
            self.env.user
        )  # the agent reads no request: check as admin
        nadia = mine.filtered(lambda call: call.person_name == "Nadia Benali")
        self.assertEqual(nadia.state, "needs_help")
        self.assertEqual(nadia.attempt_count, 2)
        self.assertIn("médicaments", nadia.request_id.description)
        self.assertEqual(nadia.request_id.coordinator_id.login, "coordinatrice")
        odette = mine.filtered(lambda call: call.person_name == "Odette Rabaud")
        self.assertEqual(odette.state, "ok")
