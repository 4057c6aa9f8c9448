from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestAccessTrail(CoordinationCase):
    def _traces(self, record, operation=None):
        domain = [("res_model", "=", record._name), ("res_id", "in", record.ids)]
        if operation:
            domain.append(("operation", "=", operation))
        return self.env["coordination.access.log"].search(domain)

    def test_reads_are_traced_for_each_model(self):
        for record in (self.request, self.project, self.gp_member):
            record.with_user(self.coordinator).read(["display_name", "create_date"])
            trace = self._traces(record, "read")
            self.assertEqual(len(trace), 1, record._name)
            self.assertEqual(trace.user_id, self.coordinator)
            self.assertEqual(trace.territory_id, self.territory)
        self.project.with_user(self.gp).web_read({"problematique": {}})
        self.assertIn(self.gp, self._traces(self.project, "read").user_id)

    def test_name_only_and_superuser_reads_are_not_consultations(self):
        self.project.with_user(self.coordinator).read(["display_name"])
        self.project.read(["problematique"])
        self.assertFalse(self._traces(self.project))

    def test_a_list_is_one_insert(self):
        Project = self.env["coordination.individual.project"]
        people = self.env["res.partner"].create([{"name": f"P{i}"} for i in range(30)])
        Project.create(
            [{"person_id": p.id, "territory_id": self.territory.id} for p in people]
        )
        self.env.flush_all()
        Log = self.env["coordination.access.log"]
        before = Log.search_count([])
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        result = Project.with_user(self.coordinator).web_search_read(
            [], {"name": {}, "state": {}}, limit=80
        )
        queries = self.cr.sql_log_count - queries
        self.assertEqual(Log.search_count([]) - before, result["length"])
        self.assertLess(queries, 20, "tracing a list must not cost a query per row")

    def test_changes_exports_prints(self):
        project = self.project.with_user(self.coordinator)
        project.write({"review_date": project.date_start + timedelta(days=30)})
        self.assertTrue(self._traces(self.project, "write"))
        request = (
            self.env["coordination.request"]
            .with_user(self.coordinator)
            .create({"territory_id": self.territory.id, "description": "Nouvelle"})
        )
        self.assertTrue(self._traces(request, "create"))
        project.export_data(["name", "problematique"])
        self.assertTrue(self._traces(self.project, "export"))
        start = datetime.now() + timedelta(days=2)
        session = (
            self.env["calendar.event"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Concertation",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "coordination_project_id": self.project.id,
                }
            )
        )
        self.assertTrue(self._traces(session, "create"))
        self.env["ir.actions.report"].with_user(self.coordinator)._render_qweb_html(
            "coordination_microlocale.report_session_minutes", session.ids
        )
        self.assertTrue(self._traces(session, "print"))
        member = (
            self.env["coordination.circle.member"]
            .with_user(self.coordinator)
            .create(
                {
                    "project_id": self.project.id,
                    "partner_id": self.hospital.id,
                    "role": "structure",
                }
            )
        )
        member.unlink()
        self.assertTrue(
            self.env["coordination.access.log"].search(
                [("res_id", "=", member.id), ("operation", "=", "unlink")]
            )
        )

    def test_collective_sessions_are_not_traced(self):
        start = datetime.now() + timedelta(days=2)
        event = (
            self.env["calendar.event"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Groupe de travail",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "coordination_session_type_id": self.env.ref(
                        "coordination_microlocale.session_type_working_group"
                    ).id,
                }
            )
        )
        event.with_user(self.staff).read(["name", "description"])
        self.assertFalse(self._traces(event))

    def test_trail_cannot_be_changed_or_disabled(self):
        self.project.with_user(self.coordinator).read(["problematique"])
        trace = self._traces(self.project)
        for user in (self.coordinator, self.manager):
            with self.assertRaises(AccessError):
                trace.with_user(user).write({"user_id": self.gp.id})
            with self.assertRaises(AccessError):
                trace.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.env["coordination.access.log"].with_user(user).create(
                    {
                        "date": datetime.now(),
                        "user_id": user.id,
                        "operation": "read",
                        "res_model": "coordination.individual.project",
                        "res_id": self.project.id,
                    }
                )
        with self.assertRaises(AccessError):
            trace.write({"operation": "write"})
        with self.assertRaises(AccessError):
            trace.unlink()
        # no context key switches it off (every read traced: no window)
        self.env["ir.config_parameter"].set_param(
            "coordination_microlocale.access_log_window_minutes", "0"
        )
        self.project.with_user(self.coordinator).with_context(
            tracking_disable=True,
            coordination_no_trail=True,
            no_log=True,
        ).read(["problematique"])
        self.assertEqual(len(self._traces(self.project)), 2)

    def test_who_consulted_this_file(self):
        self.project.with_user(self.gp).read(["problematique"])
        project = self.project.with_user(self.coordinator)
        self.assertGreaterEqual(project.access_log_count, 1)
        action = project.action_view_access_log()
        traces = (
            self.env["coordination.access.log"]
            .with_user(self.coordinator)
            .search(action["domain"])
        )
        self.assertIn(self.gp, traces.user_id)
        self.assertFalse(
            self.env["coordination.access.log"]
            .with_user(self.coordinator_other)
            .search(action["domain"]),
            "another territory's coordinator sees nothing of it",
        )
        for user in (self.gp, self.staff):
            with self.assertRaises(AccessError):
                self.env["coordination.access.log"].with_user(user).search([])

    def test_purge_after_retention(self):
        with freeze_time("2025-01-10 10:00:00"):
            self.project.with_user(self.coordinator).read(["problematique"])
        with freeze_time("2025-12-01 10:00:00"):
            self.project.with_user(self.coordinator).read(["problematique"])
        with freeze_time("2026-01-20 10:00:00"):
            self.env["coordination.access.log"]._cron_purge()
        self.env.invalidate_all()
        dates = self._traces(self.project).mapped("date")
        self.assertEqual(len(dates), 1)
        self.assertEqual(dates[0].year, 2025)
        self.assertEqual(dates[0].month, 12)


@tagged("post_install", "-at_install")
class TestAttachmentDownload(HttpCase):
    def test_attachment_by_id(self):
        territory = self.env["coordination.territory"].create({"name": "Commune HTTP"})
        coordinator = new_test_user(
            self.env,
            login="h.coord",
            groups="coordination_microlocale.group_coordinator",
        )
        territory.coordinator_ids = [Command.link(coordinator.id)]
        nurse = new_test_user(
            self.env,
            login="h.nurse",
            groups="coordination_microlocale.group_professional",
        )
        staff = new_test_user(
            self.env,
            login="h.staff",
            groups="coordination_microlocale.group_municipal_staff",
        )
        project = self.env["coordination.individual.project"].create(
            {
                "person_id": self.env["res.partner"].create({"name": "Personne"}).id,
                "territory_id": territory.id,
                "coordinator_id": coordinator.id,
            }
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": "bilan.txt",
                "raw": b"secret medical content",
                "res_model": project._name,
                "res_id": project.id,
            }
        )
        for login in ("h.nurse", "h.staff"):
            self.authenticate(login, login)
            response = self.url_open(f"/web/content/{attachment.id}?download=true")
            self.assertNotEqual(response.status_code, 200, login)
            self.assertNotIn(b"secret medical content", response.content, login)
        self.authenticate("h.coord", "h.coord")
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"secret medical content", response.content)
        trace = self.env["coordination.access.log"].search(
            [("res_id", "=", project.id), ("operation", "=", "download")]
        )
        self.assertEqual(trace.user_id, coordinator)
        self.assertFalse(nurse.has_group("coordination_microlocale.group_coordinator"))
        self.assertFalse(staff.has_group("coordination_microlocale.group_professional"))

    def test_trail_cannot_be_changed_by_rpc(self):
        territory = self.env["coordination.territory"].create({"name": "Commune RPC"})
        coordinator = new_test_user(
            self.env,
            login="r.coord",
            groups="coordination_microlocale.group_coordinator",
        )
        territory.coordinator_ids = [Command.link(coordinator.id)]
        project = self.env["coordination.individual.project"].create(
            {
                "person_id": self.env["res.partner"]
                .create({"name": "Personne RPC"})
                .id,
                "territory_id": territory.id,
                "coordinator_id": coordinator.id,
            }
        )
        self.authenticate("r.coord", "r.coord")

        def call(model, method, args, kwargs=None):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            )

        call(
            "coordination.individual.project",
            "web_read",
            [[project.id]],
            {
                "specification": {"problematique": {}},
                "context": {"coordination_no_trail": 1},
            },
        )
        trace = self.env["coordination.access.log"].search(
            [("res_id", "=", project.id), ("operation", "=", "read")]
        )
        self.assertEqual(
            trace.user_id, coordinator, "an RPC argument does not switch it off"
        )
        for method, args in (
            ("unlink", [trace.ids]),
            ("write", [trace.ids, {"user_id": 1}]),
            ("create", [{"res_model": "x", "res_id": 1, "operation": "read"}]),
        ):
            with self.assertRaises(JsonRpcException, msg=method):
                call("coordination.access.log", method, args)
        self.assertTrue(trace.exists())
        self.assertEqual(trace.user_id, coordinator)
