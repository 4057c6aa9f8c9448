import base64
import io

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CoordinationCase


@tagged("post_install", "-at_install")
class TestEvaluation(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Request = cls.env["coordination.request"]
        # Territory A: 1 phone request from the common fixture + 6 more; 2 at the
        # office.
        Request.create(
            [{"territory_id": cls.territory.id, "channel": "phone"} for _i in range(6)]
            + [
                {"territory_id": cls.territory.id, "channel": "office"}
                for _i in range(2)
            ]
        )
        # Territory B: 6 home visits.
        Request.create(
            [
                {"territory_id": cls.territory_other.id, "channel": "home_visit"}
                for _i in range(6)
            ]
        )
        cls.env.flush_all()
        cls.Report = cls.env["coordination.evaluation.report"]

    def _by_channel(self, user, territory=None):
        domain = [("record_type", "=", "request")]
        if territory:
            domain.append(("territory_id", "=", territory.id))
        groups = self.Report.with_user(user).formatted_read_group(
            domain, ["channel"], ["__count", "record_count:sum"]
        )
        return {group["channel"]: group["record_count:sum"] for group in groups}

    def test_small_cells_hidden_for_municipal_staff_and_managers(self):
        for user in (self.staff, self.manager):
            figures = self._by_channel(user, self.territory)
            self.assertEqual(figures.get("phone"), 7, user.login)
            self.assertNotIn(
                "office", figures, f"{user.login}: 2 requests must not show"
            )
            # across territories: every shown figure is the true one, every hidden one
            # small
            raw = self._by_channel(self.env.user)
            shown = self._by_channel(user)
            for channel, count in raw.items():
                if count >= 5:
                    self.assertEqual(shown.get(channel), count, channel)
                else:
                    self.assertNotIn(channel, shown)
            # the first-contact delay of a small group is not shown either
            groups = self.Report.with_user(user).formatted_read_group(
                [
                    ("record_type", "=", "request"),
                    ("channel", "=", "office"),
                    ("territory_id", "=", self.territory.id),
                ],
                [],
                ["first_contact_delay:avg"],
            )
            self.assertFalse(groups, user.login)

    def test_grouping_sets_are_filtered_too(self):
        result = self.Report.with_user(self.staff)._read_grouping_sets(
            [("record_type", "=", "request")],
            [["channel"], ["territory_id", "channel"], []],
            ["record_count:sum"],
        )
        for rows in result:
            for row in rows:
                self.assertGreaterEqual(row[-1], 5, row)

    def test_no_row_access_for_municipal_staff_and_managers(self):
        for user in (self.staff, self.manager):
            Report = self.Report.with_user(user)
            with self.assertRaises(AccessError):
                Report.search([])
            with self.assertRaises(AccessError):
                Report.search_count([("channel", "=", "office")])
            with self.assertRaises(AccessError):
                Report.search_read([], ["channel"])
            row_id = self.Report.search([], limit=1).id
            with self.assertRaises(AccessError):
                Report.browse(row_id).read(["channel"])
            with self.assertRaises(AccessError):
                Report.browse(row_id).export_data(["channel", "territory_id/name"])

    def test_coordinators_see_their_territories_only(self):
        figures = self._by_channel(self.coordinator)
        self.assertEqual(
            figures, {"phone": 7, "office": 2}, "no suppression, own territory"
        )
        figures = self._by_channel(self.coordinator_other)
        self.assertEqual(figures, {"home_visit": 6, "office": 1})
        rows = self.Report.with_user(self.coordinator).search(
            [("record_type", "=", "request")]
        )
        self.assertEqual(set(rows.territory_id.ids), {self.territory.id})

    def test_professionals_have_no_access(self):
        with self.assertRaises(AccessError):
            self.Report.with_user(self.gp).formatted_read_group(
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
        self.assertEqual(
            len(staff_figures), 2, f"phone and home visits only: {staff_figures}"
        )
        coordinator_figures = self._export(self.coordinator)
        self.assertEqual(sorted(coordinator_figures.values()), [2, 7])
