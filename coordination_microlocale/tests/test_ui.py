from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    """The demo story in a real browser, once per demo role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo_users = {
            login: cls.env["res.users"].search([("login", "=", login)])
            for login in (
                "coordinatrice",
                "dr.martin",
                "ide.bernard",
                "agent.mairie",
                "responsable",
            )
        }
        missing = [login for login, user in cls.demo_users.items() if not user]
        if missing:
            raise AssertionError(
                "The browser tests need the demo data (--with-demo); "
                f"missing users: {missing}"
            )

    def _action_url(self, action, record=None):
        url = f"/odoo/action-coordination_microlocale.{action}"
        return f"{url}/{record.id}" if record else url

    def test_coordinator_triages_and_opens_a_project(self):
        request = self.env["coordination.request"].search(
            [
                ("state", "=", "new"),
                ("person_id", "!=", False),
                ("territory_id.coordinator_ids.login", "=", "coordinatrice"),
            ],
            limit=1,
        )
        self.assertTrue(request, "the demo has a new request in Saint-Florent-des-Bois")
        self.start_tour(
            self._action_url("action_coordination_request", request),
            "coordination_coordinator_tour",
            login="coordinatrice",
        )
        self.assertEqual(request.state, "project")
        self.assertTrue(request.project_id)

    def test_professional_sees_one_project(self):
        Project = self.env["coordination.individual.project"]
        self.assertEqual(
            Project.with_user(self.demo_users["dr.martin"]).search_count([]), 1
        )
        self.start_tour(
            self._action_url("action_coordination_individual_project")
            + "?view_type=list",
            "coordination_professional_tour",
            login="dr.martin",
        )

    def test_professional_outside_circle_sees_none(self):
        self.start_tour(
            self._action_url("action_coordination_individual_project"),
            "coordination_professional_outside_tour",
            login="ide.bernard",
        )

    def test_municipal_staff(self):
        self.start_tour(
            self._action_url("action_coordination_directory"),
            "coordination_staff_tour",
            login="agent.mairie",
        )

    def test_manager(self):
        self.start_tour(
            self._action_url("action_coordination_territory"),
            "coordination_manager_tour",
            login="responsable",
        )
