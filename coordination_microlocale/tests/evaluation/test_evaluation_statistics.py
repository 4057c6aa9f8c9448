"""Attacks on the anonymous evaluation figures, as municipal staff and managers.

The fixture holds, in territory A in March 2024, cells whose true count is 1: one
request from a relative by phone, one closed project, one 'addictions' need. Every
attack tries to get that 1 back: aggregates that return rows (``array_agg``, ``min``,
``max``, grouping by ``id``…), row reads, and differencing (two allowed totals, ``|``
and ``!=`` domains, margins by territory, month and kind, the pivot's grouping sets).
The attacks are counted per kind; the table is logged at the end of each class
("evaluation attacks").
"""

import json
import logging
from collections import Counter
from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..common import CoordinationCase, call_kw

_logger = logging.getLogger(__name__)

STATISTIC = "coordination.evaluation.statistic"
REPORT = "coordination.evaluation.report"
SMALL = range(1, 5)  # what a hidden cell holds, and what no attack may give back
MARCH = [("date", ">=", "2024-03-01"), ("date", "<", "2024-04-01")]
YEAR = [("date", ">=", "2024-01-01"), ("date", "<", "2025-01-01")]
FUNCTIONS = (
    "array_agg",
    "array_agg_distinct",
    "recordset",
    "count_distinct",
    "count",
    "min",
    "max",
    "avg",
    "sum",
    "bool_or",
    "bool_and",
)
REFUSED = (AccessError, UserError, ValueError)

ATTACKS = Counter()


def _log_attacks(title):
    lines = [f"evaluation attacks, {title} ({sum(ATTACKS.values())} in all)"]
    lines += [f"  {kind}: {count}" for kind, count in sorted(ATTACKS.items())]
    _logger.info("\n".join(lines))


def _build_statistics(env):
    """Refresh the published cells (when the model exists: not before the fix)."""
    env.flush_all()
    if STATISTIC in env:
        env[STATISTIC]._refresh()
    env.invalidate_all()


def _staff_source(env):
    """The model municipal staff and managers query for figures."""
    return env[STATISTIC] if STATISTIC in env else env[REPORT]


def _has_rows(value):
    """Whether an aggregate value carries anything of individual rows."""
    if value in (None, False, [], 0, 0.0):
        return False
    if hasattr(value, "_name"):
        return bool(value)
    return True


@tagged("post_install", "-at_install")
class TestEvaluationStatistics(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Request = cls.env["coordination.request"]
        march = datetime(2024, 3, 5, 10, 0)
        target_day = datetime(2024, 3, 12, 10, 0)

        def requests(territory, requester, channel, count, when=march):
            return [
                {
                    "territory_id": territory.id,
                    "requester_type": requester,
                    "channel": channel,
                    "date_received": when,
                }
                for _i in range(count)
            ]

        # Territory A, March 2024: the target (1 relative, by phone, on the 12th),
        # 6 residents at the office, 6 professionals by e-mail.
        cls.target = Request.create(requests(cls.territory, "relative", "phone", 1))
        cls.target.date_received = target_day
        Request.create(
            requests(cls.territory, "resident", "office", 6)
            + requests(cls.territory, "professional", "email", 6)
            # Territory A, April 2024: 5 relatives by e-mail.
            + requests(
                cls.territory, "relative", "email", 5, datetime(2024, 4, 3, 9, 0)
            )
            # Territory B, March 2024: 6 relatives by phone.
            + requests(cls.territory_other, "relative", "phone", 6)
        )
        # Territory A, March 2024: 7 projects, 1 of them closed; 7 needs, 1 of them
        # about addictions.
        Project = cls.env["coordination.individual.project"]
        addictions = cls.env.ref("coordination_microlocale.determinant_addictions")
        cls.projects = Project.create(
            [
                {
                    "person_id": cls.env["res.partner"].create({"name": f"P{i}"}).id,
                    "territory_id": cls.territory.id,
                    "date_start": date(2024, 3, 4),
                    "need_ids": [
                        Command.create(
                            {
                                "determinant_id": (
                                    addictions if i == 0 else cls.determinant_housing
                                ).id
                            }
                        )
                    ],
                }
                for i in range(7)
            ]
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE coordination_individual_project"
            " SET state = 'closed', date_closed = '2024-03-20',"
            " closing_reason = 'goals_reached' WHERE id = %s",
            [cls.projects[0].id],
        )
        cls.env.cr.execute(
            "UPDATE coordination_individual_project SET state = 'active'"
            " WHERE id = ANY(%s)",
            [cls.projects[1:].ids],
        )
        cls.addictions = addictions
        _build_statistics(cls.env)

    @classmethod
    def tearDownClass(cls):
        _log_attacks("ORM")
        super().tearDownClass()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _source(self, user):
        return _staff_source(self.env).with_user(user)

    def _total(self, user, domain):
        ATTACKS["differencing: totals asked"] += 1
        groups = self._source(user).formatted_read_group(
            domain, [], ["record_count:sum"]
        )
        return sum(group["record_count:sum"] or 0 for group in groups)

    def _cells(self, user, domain, groupby):
        ATTACKS["differencing: totals asked"] += 1
        groups = self._source(user).formatted_read_group(
            domain, [groupby], ["record_count:sum"]
        )
        return {str(group[groupby]): group["record_count:sum"] or 0 for group in groups}

    def assertNotDerived(self, value, label):
        ATTACKS["differencing: combinations checked"] += 1
        self.assertNotIn(value, SMALL, f"hidden cell derived: {label} = {value}")

    # ------------------------------------------------------------------
    # 1. aggregates that return rows
    # ------------------------------------------------------------------
    def test_every_aggregate_on_every_field(self):
        published = {
            "record_count:sum",
            "invited_count:sum",
            "present_count:sum",
            "structure_count:sum",
            "participant_count:sum",
        }
        for user in (self.staff, self.manager):
            for model_name in (REPORT, STATISTIC):
                if model_name not in self.env:
                    continue
                Model = self.env[model_name].with_user(user)
                for fname, field in Model._fields.items():
                    if not field.store and fname != "id":
                        continue
                    for function in FUNCTIONS:
                        # functions PostgreSQL has for the column's type (any other
                        # one fails in SQL, which refuses it as well)
                        if (
                            function.startswith("bool_") != (field.type == "boolean")
                            and function not in FUNCTIONS[:5]
                        ):
                            continue
                        if function in ("sum", "avg") and field.type not in (
                            "integer",
                            "float",
                        ):
                            continue
                        spec = f"{fname}:{function}"
                        for groupby in ([], ["territory_id"]):
                            ATTACKS["aggregate functions"] += 1
                            label = f"{user.login} {model_name} {spec} by {groupby}"
                            try:
                                groups = Model.formatted_read_group(
                                    MARCH, groupby, [spec]
                                )
                            except REFUSED:
                                continue
                            if model_name == STATISTIC:
                                self.assertIn(spec, published, f"{label} accepted")
                                continue
                            # the detailed report: nothing for these users
                            for group in groups:
                                self.assertFalse(_has_rows(group.get(spec)), label)

    def test_groupby_id_and_order_by_aggregate(self):
        for user in (self.staff, self.manager):
            for model_name in (REPORT, STATISTIC):
                if model_name not in self.env:
                    continue
                Model = self.env[model_name].with_user(user)
                ATTACKS["group by id"] += 1
                try:
                    groups = Model.formatted_read_group(
                        MARCH, ["id"], ["record_count:sum"]
                    )
                except REFUSED:
                    groups = []
                self.assertFalse(groups, f"{user.login} {model_name} by id")
                for spec in ("id:max", "date:min"):
                    ATTACKS["order / having on an aggregate"] += 1
                    try:
                        rows = Model._read_group(
                            MARCH, ["territory_id"], [], order=f"{spec} desc"
                        )
                    except REFUSED:
                        rows = None
                    if model_name == REPORT:
                        self.assertFalse(rows, f"{user.login} {model_name} {spec}")
                    elif rows is not None:
                        self.fail(f"{user.login} ordered {model_name} by {spec}")
                    ATTACKS["order / having on an aggregate"] += 1
                    try:
                        rows = Model._read_group(
                            MARCH, ["territory_id"], [], having=[("id:max", ">", 0)]
                        )
                    except REFUSED:
                        rows = []
                    if model_name == STATISTIC:
                        self.assertFalse(rows, f"{user.login} {spec} in having")
                    else:
                        self.assertFalse(rows, f"{user.login} {model_name} having")

    def test_rows_refused(self):
        row = self.env[REPORT].search([("territory_id", "=", self.territory.id)])[0]
        for user in (self.staff, self.manager):
            for model_name in (REPORT, STATISTIC):
                if model_name not in self.env:
                    continue
                Model = self.env[model_name].with_user(user)
                record_id = (
                    row.id
                    if model_name == REPORT
                    else self.env[model_name].search([], limit=1).id
                )
                calls = {
                    "search_read": lambda M=Model: M.search_read([], ["date"]),
                    "search": lambda M=Model: M.search([]),
                    "search_count": lambda M=Model: M.search_count([]),
                    "read": lambda M=Model, i=record_id: M.browse(i).read(["date"]),
                    "export_data": lambda M=Model, i=record_id: M.browse(i).export_data(
                        ["date", "territory_id/name"]
                    ),
                    "web_search_read": lambda M=Model: M.web_search_read(
                        [], {"date": {}, "territory_id": {}}
                    ),
                }
                for name, call in calls.items():
                    ATTACKS["row reads"] += 1
                    try:
                        result = call()
                    except AccessError:
                        continue
                    if model_name == REPORT and not _has_rows(
                        result if name != "web_search_read" else result.get("records")
                    ):
                        continue  # the rule leaves nothing: a manager coordinating none
                    if (
                        model_name == REPORT
                        and name == "export_data"
                        and not result.get("datas")
                    ):
                        continue
                    self.fail(f"{user.login} {name} on {model_name}: {result}")

    def test_coordinators_detailed_own_territories_only(self):
        Report = self.env[REPORT].with_user(self.coordinator_other)
        ATTACKS["other territory's detail"] += 1
        groups = Report.formatted_read_group(
            [("territory_id", "=", self.territory.id)], [], ["record_count:sum"]
        )
        self.assertFalse(groups[0]["record_count:sum"])
        ATTACKS["other territory's detail"] += 1
        self.assertFalse(
            Report.search([("territory_id", "=", self.territory.id)]),
            "coordinator B reads the rows of territory A",
        )
        # coordinators keep their detailed figures: cells under 5 included
        Report = self.env[REPORT].with_user(self.coordinator)
        groups = Report.formatted_read_group(
            [("record_type", "=", "request"), *MARCH],
            ["requester_type"],
            ["record_count:sum"],
        )
        figures = {g["requester_type"]: g["record_count:sum"] for g in groups}
        self.assertEqual(figures.get("relative"), 1)

    # ------------------------------------------------------------------
    # 2. differencing
    # ------------------------------------------------------------------
    def test_differencing_requests(self):
        for user in (self.staff, self.manager):
            base = [
                ("record_type", "=", "request"),
                ("territory_id", "=", self.territory.id),
                *MARCH,
            ]
            total = self._total(user, base)
            self.assertGreaterEqual(total, 13, "the month's total is published")
            for fname, values in (
                ("requester_type", ("relative", "resident", "professional")),
                ("channel", ("phone", "office", "email")),
            ):
                cells = self._cells(user, base, fname)
                self.assertNotDerived(
                    total - sum(cells.values()), f"total - cells by {fname}"
                )
                for value in values:
                    without = self._total(user, base + [(fname, "!=", value)])
                    self.assertNotDerived(total - without, f"{fname} != {value}")
                    without = self._total(user, base + [(fname, "not in", [value])])
                    self.assertNotDerived(total - without, f"{fname} not in {value}")
                    alone = self._total(user, base + [(fname, "=", value)])
                    self.assertNotDerived(alone, f"{fname} = {value}")
                    for other in values:
                        if other == value:
                            continue
                        both = self._total(user, base + [(fname, "in", [value, other])])
                        one = self._total(user, base + [(fname, "=", other)])
                        self.assertNotDerived(both - one, f"{fname} {value}|{other}")
                        either = self._total(
                            user, base + ["|", (fname, "=", value), (fname, "=", other)]
                        )
                        self.assertNotDerived(either - one, f"| {value} {other}")
            # across two dimensions: resident | phone, minus resident
            for requester, channel in (
                ("resident", "phone"),
                ("professional", "phone"),
            ):
                either = self._total(
                    user,
                    base
                    + [
                        "|",
                        ("requester_type", "=", requester),
                        ("channel", "=", channel),
                    ],
                )
                one = self._total(user, base + [("requester_type", "=", requester)])
                self.assertNotDerived(either - one, f"{requester} | {channel}")
            # the day of the target
            day = [("date", "=", "2024-03-12")]
            self.assertNotDerived(self._total(user, base + day), "on the 12th")
            others = self._total(user, base + [("date", "!=", "2024-03-12")])
            self.assertNotDerived(total - others, "all but the 12th")

    def test_differencing_margins(self):
        for user in (self.staff, self.manager):
            relative = [
                ("record_type", "=", "request"),
                ("requester_type", "=", "relative"),
            ]
            # by territory: every territory minus B
            everywhere = self._total(user, relative + MARCH)
            in_b = self._total(
                user,
                relative + MARCH + [("territory_id", "=", self.territory_other.id)],
            )
            self.assertNotDerived(everywhere - in_b, "margin by territory")
            not_b = self._total(
                user,
                relative + MARCH + [("territory_id", "!=", self.territory_other.id)],
            )
            self.assertNotDerived(not_b, "territories other than B")
            by_territory = self._cells(user, relative + MARCH, "territory_id")
            self.assertNotDerived(
                everywhere - sum(by_territory.values()), "margin - territory cells"
            )
            # by month: the year minus April
            in_a = [("territory_id", "=", self.territory.id)]
            year = self._total(user, relative + in_a + YEAR)
            april = self._total(
                user,
                relative
                + in_a
                + [("date", ">=", "2024-04-01"), ("date", "<", "2024-05-01")],
            )
            self.assertNotDerived(year - april, "margin by month")
            by_month = self._cells(user, relative + in_a + YEAR, "date:month")
            self.assertNotDerived(year - sum(by_month.values()), "year - months")
            # by kind: every kind minus the kinds other than requests
            kinds = self._total(user, in_a + MARCH)
            not_requests = self._total(
                user, in_a + MARCH + [("record_type", "!=", "request")]
            )
            requests = self._total(
                user, in_a + MARCH + [("record_type", "=", "request")]
            )
            self.assertNotDerived(kinds - not_requests - requests, "margin by kind")

    def test_differencing_projects_and_needs(self):
        in_a = [("territory_id", "=", self.territory.id), *MARCH]
        for user in (self.staff, self.manager):
            projects = in_a + [("record_type", "=", "project")]
            total = self._total(user, projects)
            open_ = self._total(user, projects + [("status", "!=", "closed")])
            self.assertNotDerived(total - open_, "projects - not closed")
            self.assertNotDerived(
                self._total(user, projects + [("status", "=", "closed")]), "closed"
            )
            self.assertNotDerived(
                total - sum(self._cells(user, projects, "status").values()),
                "projects - cells by status",
            )
            needs = in_a + [("record_type", "=", "need")]
            total = self._total(user, needs)
            others = self._total(
                user, needs + [("determinant_id", "!=", self.addictions.id)]
            )
            self.assertNotDerived(total - others, "needs - not addictions")
            self.assertNotDerived(
                total - sum(self._cells(user, needs, "determinant_id").values()),
                "needs - cells by determinant",
            )
            self.assertNotDerived(
                self._total(
                    user, needs + [("determinant_id", "=", self.addictions.id)]
                ),
                "addictions",
            )

    def test_differencing_pivot_grouping_sets(self):
        for user in (self.staff, self.manager):
            for kind, fname in (
                ("request", "requester_type"),
                ("request", "channel"),
                ("project", "status"),
                ("need", "determinant_id"),
            ):
                ATTACKS["differencing: totals asked"] += 1
                top, rows, cols, cells = self._source(user)._read_grouping_sets(
                    [("record_type", "=", kind), *YEAR],
                    [[], ["territory_id"], [fname], ["territory_id", fname]],
                    ["record_count:sum"],
                )
                grand = sum(row[-1] or 0 for row in top)
                self.assertNotDerived(
                    grand - sum(row[-1] or 0 for row in rows), f"{kind} grand - rows"
                )
                self.assertNotDerived(
                    grand - sum(row[-1] or 0 for row in cols), f"{kind} grand - cols"
                )
                for territory, count in ((row[0], row[-1]) for row in rows):
                    inside = sum(c[-1] or 0 for c in cells if c[0] == territory)
                    self.assertNotDerived(
                        (count or 0) - inside, f"{kind} row {territory.name}"
                    )
                for value, count in ((col[0], col[-1]) for col in cols):
                    inside = sum(c[-1] or 0 for c in cells if c[1] == value)
                    self.assertNotDerived((count or 0) - inside, f"{kind} col {value}")

    def test_published_figures_are_useful(self):
        """Positive control: the published cells are the true ones."""
        Source = self._source(self.staff)
        groups = Source.formatted_read_group(
            [("record_type", "=", "request"), *MARCH],
            ["territory_id"],
            ["record_count:sum"],
        )
        figures = {g["territory_id"][0]: g["record_count:sum"] for g in groups}
        self.assertEqual(figures[self.territory.id], 13)
        self.assertEqual(figures[self.territory_other.id], 6)


@tagged("post_install", "-at_install")
class TestEvaluationStatisticsHttp(HttpCase):
    """The same attacks over JSON-RPC and JSON-2, as staff and manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        group = "coordination_microlocale.group_"
        cls.territory = env["coordination.territory"].create({"name": "Commune RPC"})
        cls.users = {
            "staff": new_test_user(
                env,
                login="eval.staff",
                groups=group + "municipal_staff,base.group_allow_export",
            ),
            "manager": new_test_user(
                env,
                login="eval.manager",
                groups=group + "manager,base.group_allow_export",
            ),
        }
        env["coordination.request"].create(
            [
                {
                    "territory_id": cls.territory.id,
                    "requester_type": "relative" if i == 0 else "resident",
                    "channel": "phone",
                    "date_received": datetime(2024, 3, 5 + i, 10, 0),
                }
                for i in range(7)
            ]
        )
        _build_statistics(env)
        expiration = datetime.now() + timedelta(days=0.5)
        cls.keys = {
            role: env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "k", expiration)
            for role, user in cls.users.items()
        }
        cls.request_ids = (
            env["coordination.request"]
            .search([("territory_id", "=", cls.territory.id)])
            .ids
        )

    @classmethod
    def tearDownClass(cls):
        _log_attacks("HTTP")
        super().tearDownClass()

    def _call_kw(self, role, model, method, args, kwargs):
        user = self.users[role]
        self.authenticate(user.login, user.login)
        ATTACKS[f"http call_kw {method}"] += 1
        response = call_kw(self, model, method, args, kwargs)
        body = response.json()
        return body.get("result"), body.get("error")

    def _json2(self, role, model, method, payload):
        self.opener.cookies.pop("session_id", None)
        ATTACKS[f"http json2 {method}"] += 1
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/json/2/{model}/{method}",
                data=json.dumps(payload),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"bearer {self.keys[role]}",
                },
            )
        self.assertNotEqual(response.status_code, 401)
        if response.status_code != 200:
            return None, response.text
        return response.json(), None

    def _assert_no_rows(self, result, label):
        raw = json.dumps(result)
        for request_id in self.request_ids:
            # a request id, or the report's row id made of it
            self.assertNotIn(f" {request_id * 16},", raw.replace("[", " "), label)
        if isinstance(result, list):
            for group in result:
                for key, value in group.items():
                    if ":" in key and not key.endswith(":sum"):
                        self.assertFalse(_has_rows(value), f"{label} {key}")

    def test_rpc_aggregates_and_reads(self):
        domain = [("date", ">=", "2024-03-01"), ("date", "<", "2024-04-01")]
        specs = [
            "id:array_agg",
            "date:array_agg",
            "requester_type:array_agg",
            "id:count_distinct",
            "date:min",
            "date:max",
            "record_count:avg",
            "record_count:max",
        ]
        for role in self.users:
            for model in (REPORT, STATISTIC):
                for spec in specs:
                    kwargs = {
                        "domain": domain,
                        "groupby": ["territory_id"],
                        "aggregates": [spec],
                    }
                    result, error = self._call_kw(
                        role, model, "formatted_read_group", [], kwargs
                    )
                    if not error:
                        self._assert_no_rows(result, f"{role} call_kw {model} {spec}")
                        if model == STATISTIC:
                            self.fail(f"{role} {model} {spec} accepted over call_kw")
                    result, error = self._json2(
                        role, model, "formatted_read_group", kwargs
                    )
                    if not error:
                        self._assert_no_rows(result, f"{role} json2 {model} {spec}")
                        if model == STATISTIC:
                            self.fail(f"{role} {model} {spec} accepted over JSON-2")
                # group by id
                kwargs = {
                    "domain": domain,
                    "groupby": ["id"],
                    "aggregates": ["__count"],
                }
                result, error = self._call_kw(
                    role, model, "formatted_read_group", [], kwargs
                )
                self.assertTrue(error or not result, f"{role} {model} by id: {result}")
                result, error = self._json2(role, model, "formatted_read_group", kwargs)
                self.assertTrue(error or not result, f"{role} {model} by id (json2)")
                # row reads
                for method, kwargs in (
                    ("search_read", {"domain": domain, "fields": ["date"]}),
                    (
                        "web_search_read",
                        {"domain": domain, "specification": {"date": {}}},
                    ),
                ):
                    result, error = self._call_kw(role, model, method, [], kwargs)
                    rows = result.get("records") if isinstance(result, dict) else result
                    self.assertTrue(error or not rows, f"{role} {model} {method}")
                    result, error = self._json2(role, model, method, kwargs)
                    rows = result.get("records") if isinstance(result, dict) else result
                    self.assertTrue(error or not rows, f"{role} {model} {method} json2")
