import base64
import io
from datetime import datetime

import openpyxl

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestEvaluation(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Request = cls.env["coordination.request"]
        # Territory A: 1 phone request from the common fixture + 6 more; 2 at the
        # office, 6 by e-mail.
        Request.create(
            [{"territory_id": cls.territory.id, "channel": "phone"} for _i in range(6)]
            + [
                {"territory_id": cls.territory.id, "channel": "office"}
                for _i in range(2)
            ]
            + [
                {"territory_id": cls.territory.id, "channel": "email"}
                for _i in range(6)
            ]
        )
        # Territory B: 6 home visits.
        Request.create(
            [
                {"territory_id": cls.territory_other.id, "channel": "home_visit"}
                for _i in range(6)
            ]
        )
        # in a month that is over: the current month is not published yet
        Request.search([]).write({"date_received": datetime(2024, 5, 10, 9, 0)})
        cls.env.flush_all()
        cls.Report = cls.env["coordination.evaluation.report"]
        cls.Statistic = cls.env["coordination.evaluation.statistic"]
        cls.Statistic._refresh()

    def _by_channel(self, user, territory=None, model=None):
        domain = [("record_type", "=", "request")]
        if territory:
            domain.append(("territory_id", "=", territory.id))
        model = self.Report if model is None else model
        if user:
            model = model.with_user(user)
        groups = model.formatted_read_group(
            domain, ["channel"], ["__count", "record_count:sum"]
        )
        return {group["channel"]: group["record_count:sum"] for group in groups}

    def test_small_cells_hidden_for_municipal_staff_and_managers(self):
        for user in (self.staff, self.manager):
            figures = self._by_channel(user, self.territory, self.Statistic)
            # office (2) is hidden, and e-mail (6), the smallest cell next to it,
            # so that the total (15) minus phone (7) does not give the 2 back
            self.assertEqual(figures, {"phone": 7}, user.login)
            total = self.Statistic.with_user(user).formatted_read_group(
                [
                    ("record_type", "=", "request"),
                    ("territory_id", "=", self.territory.id),
                ],
                [],
                ["record_count:sum"],
            )
            self.assertEqual(total[0]["record_count:sum"], 15)
            # every shown figure is the true one, of at least 5 records
            raw = self._by_channel(None, self.territory)
            for channel, count in figures.items():
                self.assertEqual(raw[channel], count)
                self.assertGreaterEqual(count, 5)
            # the first-contact delay of a cell is not aggregated by users
            with self.assertRaises(AccessError):
                self.Statistic.with_user(user).formatted_read_group(
                    [("record_type", "=", "request")], [], ["first_contact_delay:avg"]
                )

    def test_grouping_sets_are_filtered_too(self):
        result = self.Statistic.with_user(self.staff)._read_grouping_sets(
            [("record_type", "=", "request")],
            [["channel"], ["territory_id", "channel"], []],
            ["record_count:sum"],
        )
        for rows in result:
            for row in rows:
                self.assertGreaterEqual(row[-1], 5, row)

    def test_no_row_access_for_municipal_staff_and_managers(self):
        row_id = self.Report.search([], limit=1).id
        Report = self.Report.with_user(self.staff)
        with self.assertRaises(AccessError):
            Report.search([])
        with self.assertRaises(AccessError):
            Report.search_count([("channel", "=", "office")])
        with self.assertRaises(AccessError):
            Report.search_read([], ["channel"])
        with self.assertRaises(AccessError):
            Report.browse(row_id).read(["channel"])
        with self.assertRaises(AccessError):
            Report.browse(row_id).export_data(["channel", "territory_id/name"])
        # a manager coordinating no territory: the rule leaves nothing
        Report = self.Report.with_user(self.manager)
        self.assertFalse(Report.search([]))
        self.assertFalse(Report.search_read([], ["channel"]))
        with self.assertRaises(AccessError):
            Report.browse(row_id).read(["channel"])
        for user in (self.staff, self.manager):
            Statistic = self.Statistic.with_user(user)
            with self.assertRaises(AccessError):
                Statistic.search_read([], ["channel"])
            with self.assertRaises(AccessError):
                Statistic.search([])

    def test_coordinators_see_their_territories_only(self):
        figures = self._by_channel(self.coordinator)
        self.assertEqual(
            figures,
            {"phone": 7, "office": 2, "email": 6},
            "no suppression, own territory",
        )
        figures = self._by_channel(self.coordinator_other)
        self.assertEqual(figures, {"home_visit": 6, "office": 1})
        rows = self.Report.with_user(self.coordinator).search(
            [("record_type", "=", "request")]
        )
        self.assertEqual(set(rows.territory_id.ids), {self.territory.id})

    def test_a_grant_or_a_revocation_applies_at_once(self):
        """The rule names the coordinated territories by id (so that each branch of
        the view reads its own index): Odoo's cache of the rules must not keep a
        revoked territory open nor hide a granted one."""
        self.assertEqual(
            self._by_channel(self.coordinator), {"phone": 7, "office": 2, "email": 6}
        )
        # sudo: another manager grants territory B (nobody grants themselves)
        self.territory_other.sudo().coordinator_ids = [
            Command.link(self.coordinator.id)
        ]
        self.assertEqual(
            self._by_channel(self.coordinator),
            {"phone": 7, "office": 3, "email": 6, "home_visit": 6},
        )
        self.coordinator.sudo().coordination_territory_ids = [
            Command.unlink(self.territory.id)
        ]
        self.assertEqual(
            self._by_channel(self.coordinator), {"home_visit": 6, "office": 1}
        )

    def test_figures_of_an_archived_territory_stay_its_coordinators(self):
        self.territory_other.sudo().active = False
        self.assertEqual(
            self._by_channel(self.coordinator_other), {"home_visit": 6, "office": 1}
        )
        self.assertEqual(
            self._by_channel(self.coordinator), {"phone": 7, "office": 2, "email": 6}
        )

    def test_professionals_have_no_access(self):
        for model in (self.Report, self.Statistic):
            with self.assertRaises(AccessError):
                model.with_user(self.gp).formatted_read_group(
                    [], ["channel"], ["__count"]
                )

    def test_unmet_needs_by_determinant(self):
        groups = self.Report.with_user(self.coordinator).formatted_read_group(
            [("record_type", "=", "need"), ("is_open", "=", True)],
            ["determinant_id"],
            ["record_count:sum"],
        )
        counts = {
            group["determinant_id"][0]: group["record_count:sum"] for group in groups
        }
        self.assertEqual(counts, {self.determinant_isolation.id: 1})
        self.assertNotIn("person_id", self.Report._fields)

    def test_sessions_and_actions_figures(self):
        rows = self.Report.search(
            [("record_type", "=", "action"), ("territory_id", "=", self.territory.id)]
        )
        self.assertEqual(len(rows), 2)
        self.assertEqual(sum(rows.mapped("done_count")), 0)
        self.gp_action.action_done()
        self.env.flush_all()
        self.env.invalidate_all()
        rows = self.Report.search(
            [("record_type", "=", "action"), ("territory_id", "=", self.territory.id)]
        )
        self.assertEqual(sum(rows.mapped("done_count")), 1)

    def _export(self, user):
        year = self.request.date_received.year
        wizard = (
            self.env["coordination.evaluation.export"]
            .with_user(user)
            .create(
                {
                    "year": year,
                    "territory_ids": [
                        (6, 0, (self.territory | self.territory_other).ids)
                    ],
                }
            )
        )
        action = wizard.action_export()
        self.assertIn("/web/content/", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        sheet = book.worksheets[1]  # requests by channel
        return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}

    def test_yearly_export(self):
        staff_figures = self._export(self.staff)
        self.assertEqual(
            staff_figures.get("Phone") or staff_figures.get("Téléphone"), 7
        )
        # B's home visits (6) are hidden with B's office request (1)
        self.assertEqual(len(staff_figures), 1, f"phone only: {staff_figures}")
        self.assertEqual(self._export(self.manager), staff_figures)
        coordinator_figures = self._export(self.coordinator)
        self.assertEqual(sorted(coordinator_figures.values()), [2, 6, 7])

    def test_yearly_export_reads_statuses(self):
        """Seen: the export wrote "closed / follow_up / in_progress / intake"."""
        wizard = (
            self.env["coordination.evaluation.export"]
            .with_user(self.coordinator)
            .create(
                {
                    "year": self.project.date_start.year,
                    "territory_ids": [(6, 0, self.territory.ids)],
                }
            )
        )
        index = [spec[1] for spec in wizard.SHEETS].index("project")
        _title, _header, body = wizard._build_rows()[index]
        labels = {row[0] for row in body}
        states = dict(
            self.env["coordination.individual.project"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        self.assertTrue(labels)
        self.assertFalse(labels & set(states), labels)
        self.assertTrue(labels <= set(states.values()), labels)
        self.assertEqual(
            wizard._status_label("project", "follow_up"), states["follow_up"]
        )

    def test_pivot_of_a_breakdown_with_its_total(self):
        """Seen: "Sessions and participation" refused as it opened (the pivot orders
        the total cells by a group-by their query does not have)."""
        Statistic = self.env["coordination.evaluation.statistic"]
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coordination_microlocale.action_coordination_session_statistic"
        )
        for user in (self.staff, self.manager):
            groups = Statistic.with_user(user).formatted_read_grouping_sets(
                action["domain"] and [("record_type", "=", "session")],
                [["session_type_id", "date:year"], ["session_type_id"], []],
                ["record_count:sum", "invited_count:sum", "present_count:sum"],
                order="session_type_id ASC, date:year ASC",
            )
            self.assertEqual(len(groups), 3)
