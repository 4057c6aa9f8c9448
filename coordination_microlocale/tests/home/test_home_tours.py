from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestHomeTours(HttpCase):
    """The three most frequent tasks, walked in a real browser on the demo data.

    The click counts reported for them are the "click" and "edit" steps of the tours
    in static/tests/tours/home_tours.js.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coordinatrice = cls.env["res.users"].search(
            [("login", "=", "coordinatrice")]
        )
        if not cls.coordinatrice:
            raise AssertionError("The browser tests need the demo data (--with-demo)")
        cls.Project = cls.env["coordination.individual.project"]

    def test_phone_request_from_my_day(self):
        self.assertEqual(
            self.coordinatrice.action_id.id,
            self.env.ref("coordination_microlocale.action_coordination_home").id,
        )
        self.start_tour(
            "/odoo", "coordination_home_phone_request_tour", login="coordinatrice"
        )
        request = self.env["coordination.request"].search(
            [("person_id.name", "=", "Paul Appelant")]
        )
        self.assertEqual(len(request), 1)
        self.assertEqual(request.channel, "phone")
        self.assertEqual(request.person_id.phone, "06 12 34 56 78")
        self.assertTrue(request.first_contact_date)
        self.assertEqual(request.coordinator_id, self.coordinatrice)

    def test_concertation_with_the_circle(self):
        project = self.env.ref("coordination_microlocale.project_gautier")
        before = self.env["calendar.event"].search_count(
            [("coordination_project_id", "=", project.id)]
        )
        self.start_tour(
            f"/odoo/action-coordination_microlocale.action_coordination_individual_project/{project.id}",
            "coordination_home_concertation_tour",
            login="coordinatrice",
        )
        sessions = self.env["calendar.event"].search(
            [("coordination_project_id", "=", project.id)], order="id desc"
        )
        self.assertEqual(len(sessions), before + 1)
        session = sessions[0]
        self.assertIn(project.person_id, session.partner_ids)
        self.assertEqual(session.duration, 1.0)
        self.assertIn(session.start.minute, (0, 30))

    def test_consent(self):
        project = self.env.ref("coordination_microlocale.project_chauvet")
        self.assertEqual(project.consent_state, "withdrawn")
        self.start_tour(
            f"/odoo/action-coordination_microlocale.action_coordination_individual_project/{project.id}",
            "coordination_home_consent_tour",
            login="coordinatrice",
        )
        self.assertEqual(project.consent_state, "given")
        self.assertTrue(project.current_consent_id.person_informed)
