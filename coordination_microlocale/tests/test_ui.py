from odoo.tests import HttpCase, new_test_user, tagged


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
        # dr.martin works from the portal (test_portal_*): the backend is checked for
        # an internal professional of the same circle (a CCAS social worker).
        gautier = self.env.ref("coordination_microlocale.project_gautier")
        worker = new_test_user(
            self.env,
            login="as.ccas",
            groups="coordination_microlocale.group_professional",
            name="Assistante sociale du CCAS",
        )
        self.env["coordination.circle.member"].create(
            {
                "project_id": gautier.id,
                "partner_id": worker.partner_id.id,
                "role": "professional",
            }
        )
        Project = self.env["coordination.individual.project"]
        self.assertEqual(Project.with_user(worker).search([]), gautier)
        self.start_tour(
            self._action_url("action_coordination_individual_project")
            + "?view_type=list",
            "coordination_professional_tour",
            login="as.ccas",
        )

    def test_portal_professional_and_person(self):
        """Issue 10: the GP marks an action done and posts a note; the person
        withdraws her consent and the GP loses the project at once."""
        gautier = self.env.ref("coordination_microlocale.project_gautier")
        gp = self.demo_users["dr.martin"]
        self.assertTrue(gp.share, "dr.martin has a portal account")
        open_actions = gautier.action_ids.filtered(
            lambda a: (
                a.responsible_partner_id == gp.partner_id
                and a.state in ("todo", "in_progress")
            )
        )
        self.assertTrue(open_actions)
        self.start_tour(
            "/my/coordination/projects",
            "coordination_portal_professional_tour",
            login="dr.martin",
        )
        self.assertEqual(len(open_actions.filtered(lambda a: a.state == "done")), 1)
        self.assertIn("Je la revois lundi", gautier.message_ids[0].body)
        self.start_tour(
            "/my/coordination/mine",
            "coordination_portal_person_withdraws_tour",
            login="jeanne.gautier",
        )
        self.assertEqual(gautier.consent_state, "withdrawn")
        self.start_tour(
            "/my/coordination/projects",
            "coordination_portal_professional_lost_tour",
            login="dr.martin",
        )
        self.authenticate("dr.martin", "dr.martin")
        response = self.url_open(f"/my/coordination/projects/{gautier.id}")
        self.assertEqual(response.status_code, 404)

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
