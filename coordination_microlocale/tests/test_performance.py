from odoo.fields import Command
from odoo.tests import tagged

from .common import CoordinationCase


@tagged("post_install", "-at_install")
class TestQueryCounts(CoordinationCase):
    """List and form loads must not grow with the number of files."""

    def _make_projects(self, count):
        people = self.env["res.partner"].create(
            [{"name": f"Personne {index}"} for index in range(count)]
        )
        projects = self.env["coordination.individual.project"].create(
            [
                {
                    "person_id": person.id,
                    "territory_id": self.territory.id,
                    "coordinator_id": self.coordinator.id,
                    "goal_ids": [Command.create({"name": "Objectif"})],
                    "action_ids": [Command.create({"name": "Action"})],
                }
                for person in people
            ]
        )
        projects._set_consent("given", means="oral")
        self.env["coordination.circle.member"].create(
            [
                {"project_id": p.id, "partner_id": self.gp.partner_id.id}
                for p in projects
            ]
        )
        self.env.flush_all()
        return projects

    def _count(self, func):
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func()
        return self.cr.sql_log_count - before

    def test_project_list_queries_do_not_grow(self):
        spec = {
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
        self._make_projects(5)
        for user in (self.coordinator, self.gp):
            small = self._count(
                lambda u=user: (
                    self.env["coordination.individual.project"]
                    .with_user(u)
                    .web_search_read([], spec, limit=80)
                )
            )
            self._make_projects(30)
            large = self._count(
                lambda u=user: (
                    self.env["coordination.individual.project"]
                    .with_user(u)
                    .web_search_read([], spec, limit=80)
                )
            )
            self.assertLessEqual(
                large, small, f"{user.login}: {small} then {large} queries"
            )

    def test_project_form_queries_do_not_grow(self):
        spec = {
            "name": {},
            "circle_member_ids": {
                "fields": {"partner_id": {"fields": {"display_name": {}}}}
            },
            "action_ids": {"fields": {"name": {}, "state": {}, "is_overdue": {}}},
            "need_ids": {
                "fields": {"determinant_id": {"fields": {"display_name": {}}}}
            },
            "request_count": {},
        }
        small_project = self._make_projects(1)
        small = self._count(
            lambda: small_project.with_user(self.coordinator).web_read(spec)
        )
        big_project = self._make_projects(1)
        self.env["coordination.project.action"].create(
            [{"project_id": big_project.id, "name": f"Action {i}"} for i in range(25)]
        )
        self.env.flush_all()
        large = self._count(
            lambda: big_project.with_user(self.coordinator).web_read(spec)
        )
        self.assertLessEqual(large, small, f"{small} then {large} queries")
