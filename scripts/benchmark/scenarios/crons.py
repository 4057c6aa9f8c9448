"""The daily crons, as superuser like ir.cron, each run rolled back after it."""

import datetime as dt
import statistics

from ..harness import REPEAT


def crons(ctx):
    due = _due(ctx.env, dt.date.today())
    rows = _reminders(ctx, due) + _expiry(ctx, due) + _anonymisation(ctx, due)
    ctx.crons = [row for row in rows if row]


def _due(env, today):
    """What each cron has to do before it runs, for the report."""

    def count(model, domain):
        return env[model].with_context(active_test=False).search_count(domain)

    given_expired = [
        ("consent_state", "=", "given"),
        ("consent_expiry_date", "<", today),
    ]
    projects = env["coordination.individual.project"]
    return {
        "reviews": count(
            projects._name,
            [
                ("state", "!=", "closed"),
                ("review_date", "<=", today),
                ("coordinator_id", "!=", False),
            ],
        ),
        "actions": count(
            "coordination.project.action",
            [("is_overdue", "=", True), ("project_id.state", "!=", "closed")],
        ),
        "expiring": count(projects._name, given_expired),
        "expiring_open": count(
            projects._name, [*given_expired, ("state", "!=", "closed")]
        ),
        "projects": len(
            projects.with_context(active_test=False)._due_for_anonymisation()
        ),
        "requests": len(env["coordination.request"]._due_for_anonymisation()),
    }


def cron_row(name, due, runs, index, what):
    """The median of step ``index`` of the runs [[(ms, queries, result, error)]]."""
    done = [run[index] for run in runs if len(run) > index]
    if not done:
        return None
    errors = [error for _ms, _q, _res, error in done if error]
    return {
        "name": name,
        "due": due,
        "ms": statistics.median(ms for ms, _q, _res, _err in done),
        "queries": int(statistics.median(q for _ms, q, _res, _err in done)),
        "result": done[-1][2],
        "what": what,
        "error": errors[0] if errors else None,
    }


# Above this many projects, each cron's backlog (the whole history) is worked
# off once, not REPEAT times: at --scale 25 it is tens of thousands of items.
ONE_RUN_ABOVE = 20_000


def _repeat(ctx, *steps):
    repeat = 1 if ctx.ds.vol["projects"] > ONE_RUN_ABOVE else REPEAT
    return [ctx.bench.steps_in_rollback(*steps) for _ in range(repeat)]


def _reminders(ctx, due):
    Activity = ctx.env["mail.activity"]

    def reminders():
        before = Activity.search_count([])
        ctx.env["coordination.individual.project"]._cron_daily_reminders()
        return Activity.search_count([]) - before

    runs = _repeat(ctx, reminders, reminders)
    name = "individual.project._cron_daily_reminders()"
    what = "activities created"
    return [
        cron_row(
            name,
            f"{due['reviews']} reviews due, {due['actions']} overdue actions",
            runs,
            0,
            what,
        ),
        cron_row("  same, run again (nothing new to do)", "", runs, 1, what),
    ]


def _expiry(ctx, due):
    def expire():
        ctx.env["coordination.consent"]._cron_expire()
        return due["expiring"]

    past_expiry = (
        f"{due['expiring']} consents past expiry "
        f"({due['expiring_open']} of open projects)"
    )
    runs = _repeat(ctx, expire)
    return [
        cron_row("consent._cron_expire()", past_expiry, runs, 0, "consents expired")
    ]


def _anonymisation(ctx, due):
    """The cron is these two steps: timed one after the other, in one savepoint."""

    # As the cron does it (_cron_anonymise_due): in batches, through the module's
    # cron_in_batches, one step for the projects and one for the requests.
    from odoo.addons.coordination_microlocale.models.settings.cron_batches import (
        cron_in_batches,
    )

    Projects = ctx.env["coordination.individual.project"]

    def anonymise_projects():
        cron_in_batches(
            ctx.env, (Projects._due_for_anonymisation(), Projects._anonymise_batch)
        )
        return due["projects"]

    def anonymise_requests():
        Requests = ctx.env["coordination.request"]
        cron_in_batches(
            ctx.env, (Requests._due_for_anonymisation(), Projects._anonymise_batch)
        )
        return due["requests"]

    runs = _repeat(ctx, anonymise_projects, anonymise_requests)
    totals = [
        [
            (
                sum(step[0] for step in run),
                sum(step[1] for step in run),
                sum(step[2] or 0 for step in run),
                next((step[3] for step in run if step[3]), None),
            )
        ]
        for run in runs
    ]
    return [
        cron_row(
            "individual.project._cron_anonymise_due()",
            f"{due['projects']} projects + {due['requests']} requests due",
            totals,
            0,
            "files anonymised",
        ),
        cron_row("  of which the projects", "", runs, 0, "projects"),
        cron_row("  of which the requests", "", runs, 1, "requests"),
    ]
