"""The access trail of a realistic working day of each role, rolled back after.

The day's actions are spread from 9:00 to 17:00 (the trail's clock only), so
that the trail's window (a consultation traced once per user, record and
window: none, an hour, a working day) applies as it would in a real day.
"""

import datetime as dt
import functools
import random
import time
from collections import namedtuple
from unittest.mock import patch

from ..dataset.base import SEED
from ..webclient import (
    SESSION_ACTION,
    as_user,
    calendar_domain,
    calendar_fields,
    project_form_spec,
    web_search_read,
)

# 50 users of an intercommunal deployment: one coordinator per territory (12), the
# professionals working in circles, municipal staff, managers; 250 working days.
DAY_USERS = {"coordinator": 12, "professional": 24, "municipal staff": 10, "manager": 4}
WORKING_DAYS = 250
# the trail's window (minutes): every read, an hour, a working day
DAY_WINDOWS = ("0", "60", "480")
# (what, how many times) in a working day of each role
DAY_ACTIONS = {
    "coordinator": [
        ("projects list", 20),
        ("requests list", 15),
        ("actions list", 5),
        ("project form", 30),
        ("request search", 10),
        ("calendar week", 10),
        ("chatter", 15),
        ("list grouped by state", 5),
        ("export", 5),
    ],
    "professional": [
        ("projects list", 6),
        ("actions list", 4),
        ("project form", 10),
        ("calendar week", 5),
        ("chatter", 10),
    ],
    "municipal staff": [
        ("collective projects list", 10),
        ("calendar week", 10),
        ("evaluation", 5),
    ],
    "manager": [
        ("collective projects list", 5),
        ("calendar week", 5),
        ("evaluation", 10),
    ],
}


def realistic_day(ctx):
    """Trail rows written by one working day of each role and trail window."""
    day = dt.date.today() + dt.timedelta(days=1)
    session_action = ctx.env.ref(SESSION_ACTION)
    Param = ctx.env["ir.config_parameter"]
    result = {}
    for role, user, _scope in ctx.roles:
        for window in DAY_WINDOWS:

            def body(role=role, user=user, window=window):
                Param.set_param(
                    "coordination_microlocale.access_log_window_minutes", window
                )
                return _one_day(ctx, role, user, day, session_action)

            result[(role, window)] = ctx.bench.in_rollback(body)
    # Bytes per row: the growth of the table and its indexes for the largest day
    # written (rolled-back rows still hold their pages, so the size of the table
    # divided by its rows would count them too).
    largest = max(
        (res for key, res in result.items() if res), key=lambda res: res["rows"]
    )
    result["bytes_per_row"] = largest["bytes"] / max(largest["rows"], 1)
    ctx.day = result


def _table_size(env):
    env.cr.execute("SELECT pg_total_relation_size('coordination_access_log')")
    return env.cr.fetchone()[0]


def _one_day(ctx, role, user, day, session_action):
    env, bench = ctx.env, ctx.bench
    actions = [
        (what, index) for what, count in DAY_ACTIONS[role] for index in range(count)
    ]
    # interleaved as a day goes, not all lists first
    random.Random(SEED).shuffle(actions)
    step = dt.timedelta(hours=8) / max(len(actions), 1)
    start = dt.datetime.combine(day, dt.time(9, 0))
    # every day starts from the same caches (the rules' included)
    env.registry.clear_cache("stable")  # the parameters too
    env.invalidate_all()
    rows_before = bench.log_rows()
    size_before = _table_size(env)
    q0, t0 = env.cr.sql_log_count, time.perf_counter()
    per_action = {}
    for number, (what, index) in enumerate(actions):
        action_rows = bench.log_rows()
        _request(
            ctx,
            Visit(ctx.env, role, user, index, day, session_action),
            what,
            start + number * step,
        )
        per_action[what] = per_action.get(what, 0) + bench.log_rows() - action_rows
    seconds = time.perf_counter() - t0
    rows = bench.log_rows() - rows_before
    return {
        "actions": len(actions),
        "rows": rows,
        # the table's growth (heap and indexes) for the day's rows
        "bytes": _table_size(env) - size_before,
        "per_action": per_action,
        "queries": env.cr.sql_log_count - q0,
        "seconds": seconds,
    }


def _request(ctx, visit, what, moment):
    """One action of the day, as one request at ``moment`` of the trail's clock."""
    from odoo.exceptions import AccessError, UserError

    env = ctx.env
    Log = env.registry["coordination.access.log"]
    # the trail's clock only: the access policy keeps the real one
    clock = functools.partial(lambda moment, *_args: moment, moment)
    with patch.object(Log, "_trail_now", clock):
        env.invalidate_all()
        try:
            ACTIONS[what](visit)
        except (AccessError, UserError):
            # not this role's (e.g. exports without "allow export")
            env.invalidate_all()
        # one transaction per request
        env.cr.flush()


# what an action of the day needs: who, its number in the day, the day
Visit = namedtuple("Visit", "env role user index day session_action")


def _projects(v):
    return as_user(v.env, "coordination.individual.project", v.user)


def _nth_project(v):
    projects = _projects(v).search([], limit=40)
    return projects[v.index % len(projects)] if projects else None


def _project_form(v):
    project = _nth_project(v)
    if project:
        coordinator = v.role == "coordinator"
        project.web_read(project_form_spec(v.env, project, v.user, coordinator))


def _chatter(v):
    project = _nth_project(v)
    if project:
        v.env["mail.message"].with_user(v.user)._message_fetch(
            domain=None, thread=project
        )


def _calendar_week(v):
    week_start = dt.datetime.combine(
        v.day - dt.timedelta(days=v.day.weekday()), dt.time()
    )
    week_end = week_start + dt.timedelta(days=7)
    events = as_user(v.env, "calendar.event", v.user)
    events.search_read(
        calendar_domain(v.session_action, v.user, week_start, week_end),
        calendar_fields(events),
    )


def _list(model, view, offset_pages=1, search=False):
    """A list view's load, paging or searching with the action's number."""

    def load(v):
        domain = [("name", "ilike", f"{v.index % 10}")] if search else []
        offset = 80 * (v.index % offset_pages)
        web_search_read(v.env, model, view, v.user, domain=domain, offset=offset)

    return load


ACTIONS = {
    "projects list": _list("coordination.individual.project", "individual_project", 3),
    "requests list": _list("coordination.request", "request", 2),
    "actions list": _list("coordination.project.action", "project_action"),
    "collective projects list": _list(
        "coordination.collective.project", "collective_project"
    ),
    "request search": _list("coordination.request", "request", search=True),
    "project form": _project_form,
    "chatter": _chatter,
    "calendar week": _calendar_week,
    "list grouped by state": lambda v: _projects(v).formatted_read_group(
        [], ["state"], ["__count"]
    ),
    "export": lambda v: (
        _projects(v).search([], limit=20).export_data(["name", "state", "review_date"])
    ),
    "evaluation": lambda v: as_user(
        v.env, "coordination.evaluation.report", v.user
    ).formatted_read_group(
        [], ["territory_id", "date:month"], ["record_count:sum", "__count"]
    ),
}
