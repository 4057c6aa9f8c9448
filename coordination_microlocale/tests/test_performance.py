from odoo.fields import Command
from odoo.tests import tagged, users, warmup

from .common import CoordinationCase

LIST_SPEC = {
    "name": {},
    "person_id": {"fields": {"display_name": {}}},
    "territory_id": {"fields": {"display_name": {}}},
    "coordinator_id": {"fields": {"display_name": {}}},
    "consent_state": {},
    "review_date": {},
    "action_count": {},
    "action_done_count": {},
    "state": {},
}
FORM_SPEC = {
    "name": {},
    "circle_member_ids": {"fields": {"partner_id": {"fields": {"display_name": {}}}}},
    "action_ids": {"fields": {"name": {}, "state": {}, "is_overdue": {}}},
    "need_ids": {"fields": {"determinant_id": {"fields": {"display_name": {}}}}},
    "request_count": {},
}
# The budgets hold for 2 projects and for 40, for 1 action and for 26: lists and
# forms do not grow with the data (Odoo's assertQueryCount, after a warm-up).
LIST_QUERIES = {"t.coord": 9, "t.gp": 10}
# The same list with the activity column (mail's list_activity widget): mail
# checks the access to the projects of the activities, which computes
# coordination_shared for them (one query, not a read of every circle).
ACTIVITY_SPEC = dict(
    LIST_SPEC,
    activity_ids={},
    activity_state={},
    activity_summary={},
    activity_type_id={"fields": {"display_name": {}}},
    activity_exception_decoration={},
)
ACTIVITY_LIST_QUERIES = {"t.gp": 18}
FORM_QUERIES = {"t.coord": 11}


@tagged("post_install", "-at_install")
class TestQueryCounts(CoordinationCase):
    """List and form loads must not grow with the number of files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        people = cls.env["res.partner"].create(
            [{"name": f"Personne {index}"} for index in range(40)]
        )
        cls.projects = cls.env["coordination.individual.project"].create(
            [
                {
                    "person_id": person.id,
                    "territory_id": cls.territory.id,
                    "coordinator_id": cls.coordinator.id,
                    "goal_ids": [Command.create({"name": "Objectif"})],
                    "action_ids": [Command.create({"name": "Action"})],
                }
                for person in people
            ]
        )
        cls.projects._set_consent("given", means="oral")
        cls.env["coordination.circle.member"].create(
            [
                {"project_id": p.id, "partner_id": cls.gp.partner_id.id}
                for p in cls.projects
            ]
        )
        cls.big_project = cls.projects[-1]
        # to-dos of the coordinator on a few files the GP shares
        for project in cls.projects[:5]:
            project.activity_schedule(
                "mail.mail_activity_data_todo", user_id=cls.coordinator.id
            )
        cls.env["coordination.project.action"].create(
            [
                {"project_id": cls.big_project.id, "name": f"Action {i}"}
                for i in range(25)
            ]
        )

    def _list(self):
        self.env.invalidate_all()
        return self.env["coordination.individual.project"].web_search_read(
            [], LIST_SPEC, limit=80
        )

    @users("t.coord", "t.gp")
    @warmup
    def test_project_list_queries_do_not_grow(self):
        with self.cr.savepoint():
            # sudo: the test's own data set, reduced to 2 projects for a moment
            self.projects[2:].sudo().write({"active": False})
            with self.assertQueryCount(**LIST_QUERIES):
                self.assertLessEqual(self._list()["length"], 3)
        with self.assertQueryCount(**LIST_QUERIES):
            self._list()

    @users("t.gp")
    @warmup
    def test_professional_list_with_activities(self):
        with self.assertQueryCount(**ACTIVITY_LIST_QUERIES):
            self.env.invalidate_all()
            result = self.env["coordination.individual.project"].web_search_read(
                [], ACTIVITY_SPEC, limit=80
            )
        self.assertTrue(any(r["activity_ids"] for r in result["records"]))

    @users("t.coord")
    @warmup
    def test_project_form_queries_do_not_grow(self):
        Project = self.env["coordination.individual.project"]
        for project in (self.projects[0], self.big_project):
            self.env.invalidate_all()
            with self.assertQueryCount(**FORM_QUERIES):
                Project.browse(project.id).web_read(FORM_SPEC)

    def test_consent_of_a_batch_does_not_grow_with_the_batch(self):
        """Recording consent for many files at once (a batch, the benchmark's
        ten-year history) synchronises their followers in a constant number of
        queries: the sessions of the projects are found in one search, not one
        per project."""
        Project = self.env["coordination.individual.project"]
        counts = []
        for size in (2, 12):
            projects = self.projects[:size]
            with self.cr.savepoint(flush=False):
                self.env.invalidate_all()
                start = self.cr.sql_log_count
                Project.browse(projects.ids)._sync_circle_followers()
                counts.append(self.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1], f"queries for 2 and 12 files: {counts}")


@tagged("post_install", "-at_install")
class TestIndexes(CoordinationCase):
    def test_the_professionals_request_rule_is_indexed(self):
        """Both sides of the OR of the professionals' rule on requests are indexed,
        so that their lists do not read every request (benchmark at scale 25)."""
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'coordination_request'"
        )
        definitions = [row[0] for row in self.env.cr.fetchall()]
        for column in ("create_uid", "requester_partner_id"):
            self.assertTrue(
                any(f"({column})" in definition for definition in definitions),
                f"no index on coordination_request.{column}",
            )

    def test_the_sessions_of_a_period_are_indexed(self):
        """The calendar's period (start before its end, stop after its start) finds
        the coordination's sessions through an index of their ends, which holds
        them only (Odoo indexes the start of every event)."""
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'calendar_event'"
        )
        definitions = [row[0] for row in self.env.cr.fetchall()]
        self.assertTrue(
            any(
                "(stop)" in definition
                and "coordination_is_session IS TRUE" in definition
                for definition in definitions
            ),
            definitions,
        )
