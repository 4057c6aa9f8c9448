from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRegisterDemo(TransactionCase):
    """The demo's heatwave campaign in Saint-Florent-des-Bois, seen by each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.env.ref(
            "coordination_microlocale.register_campaign_heatwave", False
        )
        if not cls.campaign:
            raise AssertionError("These tests need the demo data (--with-demo).")

    def _user(self, name):
        return self.env.ref(f"coordination_microlocale.user_{name}")

    def test_campaign_under_way(self):
        campaign = self.campaign
        self.assertEqual(campaign.alert_id.alert_type, "heatwave")
        self.assertEqual(campaign.territory_id.name, "Saint-Florent-des-Bois")
        self.assertEqual(campaign.state, "running")
        states = campaign.call_ids.mapped("state")
        self.assertEqual(states.count("ok"), 3)
        self.assertEqual(states.count("needs_help"), 1)
        self.assertEqual(states.count("retry"), 1, "one unreachable, to call again")
        self.assertEqual(states.count("home_visit"), 1)
        help_call = campaign.call_ids.filtered(lambda c: c.state == "needs_help")
        request = help_call.request_id
        self.assertEqual(request.person_id, help_call.entry_id.partner_id)
        self.assertEqual(request.coordinator_id, self._user("coordinatrice"))
        self.assertIn("Campagne", request.description, "French")

    def test_who_sees_the_demo_register(self):
        Entry = self.env["coordination.register.entry"]
        registered = Entry.search(
            [("territory_id", "=", self.campaign.territory_id.id)]
        )
        for name in ("coordinatrice", "gestionnaire_registre"):
            self.assertEqual(
                Entry.with_user(self._user(name)).search(
                    [("territory_id", "=", self.campaign.territory_id.id)]
                ),
                registered,
                name,
            )
        for name in ("coordinateur_roche", "dr_martin", "agent_mairie", "responsable"):
            Model = Entry.with_user(self._user(name))
            self.assertFalse(
                Model.has_access("read")
                and Model.search_count(
                    [("territory_id", "=", self.campaign.territory_id.id)]
                ),
                name,
            )
        self.assertEqual(
            Entry.with_user(self._user("coordinateur_roche")).search_count([]), 2
        )
        volunteer = self._user("benevole_appels")
        calls = self.env["coordination.register.call"].with_user(volunteer).search([])
        self.assertEqual(
            calls,
            self.campaign.call_ids.filtered(lambda c: c.agent_user_id == volunteer),
        )
        self.assertFalse(Entry.with_user(volunteer).has_access("read"))
