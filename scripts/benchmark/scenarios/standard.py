"""The standard set: the data set at ``--scale``, then the measurements."""

import time

from .. import dataset, results, tables
from ..dataset import consistency
from ..report import RULE, load_average, machine_info
from . import calendar, crons, day, evaluation, forms, lists, plain, portal, roles
from .context import Context

DATASET_TABLES = [
    ("coordination_territory", "territories"),
    ("res_users", "users"),
    ("res_partner", "partners"),
    ("coordination_request", "requests"),
    ("coordination_individual_project", "individual projects"),
    ("coordination_consent", "consent history lines"),
    ("coordination_circle_member", "circle members"),
    ("coordination_project_need", "needs"),
    ("coordination_project_goal", "goals"),
    ("coordination_project_action", "actions"),
    ("calendar_event", "sessions (calendar.event)"),
    ("calendar_attendee", "attendees"),
    ("coordination_collective_project", "collective projects"),
    ("coordination_alert", "alerts"),
    ("mail_followers", "followers"),
    ("mail_activity", "activities"),
    ("coordination_access_log", "access trail rows"),
]


def trail_table(ctx):
    """The size of the trail once the measurements above have written it."""
    ctx.env.cr.flush()
    ctx.env.cr.execute(
        "SELECT count(*), pg_total_relation_size('coordination_access_log') "
        "FROM coordination_access_log"
    )
    ctx.trail_table = ctx.env.cr.fetchone()


# In order: each reads what the ones before it leave in the context.
SCENARIOS = [
    roles.choose_roles,
    lists.lists,
    plain.plain_lists,
    forms.project_form,
    forms.name_search,
    portal.portal_pages,
    calendar.calendar,
    evaluation.evaluation,
    crons.crons,
    trail_table,
    day.realistic_day,
]


def run(args, registry, report, started):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        _check_database(env, args.db)
        _print_header(env, args, report)
        ds, timings = dataset.build(env, args.scale, report)
        build_seconds = sum(seconds for _name, seconds, _detail in timings)
        # Committed: the measurements run in a transaction rolled back at the end,
        # and so would the planner's statistics.
        cr.execute("ANALYZE")
        cr.commit()
        _print_build(env, report, timings, build_seconds)
        _check_consistency(ds, report)
        if args.build_only:
            return
        measure_start = time.perf_counter()
        ctx = Context(env, ds, report)
        # Every read written, as one load would write it on its own: the day
        # measures the window.
        env["ir.config_parameter"].set_param(
            "coordination_microlocale.access_log_window_minutes", "0"
        )
        for scenario in SCENARIOS:
            scenario(ctx)
        tables.print_results(ctx)
        tables.print_trail(ctx)
        measured = time.perf_counter() - measure_start
        total = time.perf_counter() - started
        report(
            f"build {build_seconds:.0f} s, measurements {measured:.0f} s, "
            f"total {total:.0f} s"
        )
        if args.json:
            results.write(args.json, ctx, args.scale, timings, ds.vol, load_average())
        cr.rollback()


def _check_consistency(ds, report):
    """Stored computed fields against a fresh compute, on a sample of each model."""
    started = time.perf_counter()
    rows = consistency.check(ds)
    report()
    report(
        f"Consistency: stored computed fields = a fresh compute, on up to "
        f"{consistency.SAMPLE} records of each model "
        f"({time.perf_counter() - started:.1f} s)"
    )
    report.table(
        ["model", "records", "fields", "mismatches", "first ones"],
        rows,
        ["<", ">", ">", ">", "<"],
    )
    if any(row[3] for row in rows):
        raise SystemExit("the data set is not consistent (see the table above)")


def _check_database(env, db):
    module = env["ir.module.module"].search([("name", "=", "coordination_microlocale")])
    if module.state != "installed":
        raise SystemExit(f"coordination_microlocale is not installed in {db}")
    if module.demo:
        raise SystemExit(f"{db} has demo data: the benchmark needs none")


def _print_header(env, args, report):
    report(RULE)
    report(f"coordination_microlocale benchmark --scale {args.scale:g} ({args.db})")
    report(RULE)
    report.table(["machine", "value"], machine_info(env), ["<", "<"])
    report()
    report("Volumes")
    report.table(["item", "count"], list(dataset.volumes_for(args.scale).items()))
    report()
    report(
        "Build (large tables: bulk insert, then the ORM's recomputation, see "
        "dataset/bulk.py; the others: create(); a commit after each phase)"
    )


def _print_build(env, report, timings, build_seconds):
    report()
    report("Build time per phase")
    report.table(
        ["phase", "seconds", "detail"],
        [(name, round(seconds, 1), detail or "") for name, seconds, detail in timings]
        + [("total", round(build_seconds, 1), "")],
        ["<", ">", "<"],
    )
    report()
    report("Dataset")
    rows = []
    for table, label in DATASET_TABLES:
        env.cr.execute(f"SELECT count(*) FROM {table}")
        rows.append((label, env.cr.fetchone()[0]))
    env.cr.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
    rows.append(("database size", env.cr.fetchone()[0]))
    report.table(["table", "rows"], rows)
