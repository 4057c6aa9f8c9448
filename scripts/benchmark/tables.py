"""The result tables of the standard set: measurements, crons, ratios, the day."""

from .report import RULE, load_average
from .scenarios.day import DAY_USERS, DAY_WINDOWS, WORKING_DAYS
from .scenarios.plain import print_comparison

LEGEND = [
    "ms = median wall time of 3 runs after a cold run; min ms = fastest of the 3;",
    "queries = SQL queries of a warm run (median); cold q = queries of the first run;",
    "trail rows = coordination.access.log rows written by one call; trail q / trail ms",
    "= queries and time spent inside the trail hook; no access = AccessError.",
]
HEADER = [
    "measurement",
    "role",
    "rows",
    "ms",
    "min ms",
    "queries",
    "cold q",
    "trail rows",
    "trail q",
    "trail ms",
]


def print_results(ctx):
    report = ctx.report
    report()
    report(RULE)
    for line in LEGEND:
        report(line)
    report(RULE)
    sections = {}
    for section, label, role, res, rows in ctx.results:
        sections.setdefault(section, []).append(_result_row(label, role, res, rows))
    for section, rows in sections.items():
        report()
        report(f"## {section}")
        report.table(HEADER, rows, ["<", "<"] + [">"] * 8)
    _print_crons(report, ctx.crons)
    report()
    report("## ratios")
    report.table(["ratio", "role", "value"], ratio_rows(ctx), ["<", "<", "<"])
    print_comparison(ctx)


def _result_row(label, role, res, rows):
    if res.get("denied"):
        return (label, role, "no access", "-", "-", "-", "-", "-", "-", "-")
    return (
        label,
        role,
        rows if rows is not None else "",
        round(res["ms"], 1),
        round(res["ms_min"], 1),
        res["queries"],
        res["cold_queries"],
        res["trail_rows"],
        res["trail_queries"],
        round(res["trail_ms"], 1),
    )


def _print_crons(report, crons):
    report()
    report("## daily crons (as superuser, like ir.cron)")
    report("   3 runs (1 above 20,000 projects), each in a rolled-back savepoint;")
    report("   the first run works off the backlog of the whole generated history")
    rows = []
    for row in crons:
        done = row["result"] or 0
        rows.append(
            (
                row["name"],
                row["due"],
                round(row["ms"], 1),
                row["queries"],
                "FAILED (see below)" if row["error"] else f"{done} {row['what']}",
                "" if row["error"] else (row["ms"] / done if done else None),
                "" if row["error"] else (row["queries"] / done if done else None),
            )
        )
    report.table(
        ["cron", "due before the run", "ms", "queries", "done"]
        + ["ms/item", "queries/item"],
        rows,
        ["<", "<", ">", ">", ">", ">", ">"],
    )
    for row in crons:
        if row["error"]:
            report(f"FAILED: {row['name'].strip()}: {row['error']}")


def ratio_rows(ctx):
    rows = []
    for label in ("projects list", "requests list"):
        for role, _user, _scope in ctx.roles:
            if (label, role) in ctx.lists:
                rows += _list_ratios(ctx, label, role)
    for role, _user, _scope in ctx.roles:
        rows += _calendar_ratio(ctx, role)
    coord = ctx.evaluation.get("coordinator")
    staff = ctx.evaluation.get("municipal staff")
    if coord and staff and not coord.get("denied") and not staff.get("denied"):
        rows.append(
            (
                "evaluation: groups",
                "coordinator / staff",
                (
                    f"{coord['result']} (own territory) / {staff['result']} "
                    "(published cells, all territories)"
                ),
            )
        )
    return rows


def _list_ratios(ctx, label, role):
    on, off, count, length = ctx.lists[(label, role)]
    share = 100 * on["trail_ms"] / max(on["ms"], 0.001)
    rows = [
        (
            f"{label}: the access trail",
            role,
            (
                f"{on['trail_rows']} rows written per load; inside the trail "
                f"{on['trail_queries']} queries, {on['trail_ms']:.1f} ms "
                f"= {share:.0f}% of the load"
            ),
        ),
        (
            f"{label}: trail on / off",
            role,
            (
                f"{on['queries']} / {off['queries']} queries, "
                f"{on['ms']:.1f} / {off['ms']:.1f} ms"
            ),
        ),
    ]
    if count:
        rows.append(
            (
                f"{label}: time per row",
                role,
                f"{on['ms'] / count:.2f} ms/row ({count} of {length} rows)",
            )
        )
    if (label, role, 20) in ctx.lists:
        r20 = ctx.lists[(label, role, 20)]
        q_ratio = on["queries"] / max(r20["queries"], 1)
        ms_ratio = on["ms"] / max(r20["ms"], 0.001)
        rows.append(
            (
                f"{label}: limit=80 / limit=20",
                role,
                (
                    f"queries {on['queries']} / {r20['queries']} = {q_ratio:.2f}; "
                    f"ms {on['ms']:.1f} / {r20['ms']:.1f} = {ms_ratio:.2f}"
                ),
            )
        )
    return rows


def _calendar_ratio(ctx, role):
    month, month_rows = ctx.calendar.get((role, "month"), ({}, None))
    week, week_rows = ctx.calendar.get((role, "week"), ({}, None))
    if not (month and not month.get("denied") and month_rows and week_rows):
        return []
    extra = (month["queries"] - week["queries"]) / max(month_rows - week_rows, 1)
    return [
        (
            "calendar: month / week",
            role,
            (
                f"queries {month['queries']} / {week['queries']} for "
                f"{month_rows} / {week_rows} sessions "
                f"({extra:.2f} query per extra session); "
                f"trail rows {month['trail_rows']} / {week['trail_rows']}"
            ),
        )
    ]


def print_trail(ctx):
    """The trail table after the measurements, and the realistic day's figures."""
    report = ctx.report
    report()
    trail_rows, trail_bytes = ctx.trail_table
    report(
        f"access trail after the measurements: {trail_rows} rows, "
        f"{trail_bytes / 1024 / 1024:.1f} MB with its indexes "
        f"({trail_bytes / max(trail_rows, 1):.0f} bytes per row)"
    )
    rows, yearly, bytes_per_row = day_rows(ctx.day)
    report()
    report(
        "Trail of a realistic working day per role (actions spread from 9:00 to "
        "17:00): trail rows per user-day when a consultation is traced once per "
        "user, record and window of N minutes (0 = every read)"
    )
    report.table(
        ["role", "users", "actions"]
        + [f"rows/day w={window}" for window in DAY_WINDOWS]
        + ["queries", "s"],
        rows,
        ["<"] + [">"] * (len(DAY_WINDOWS) + 4),
    )
    for (role, window), res in sorted(
        (key, res) for key, res in ctx.day.items() if isinstance(key, tuple)
    ):
        detail = ", ".join(f"{what} {n}" for what, n in res["per_action"].items())
        report(f"  {role}, window {window}: {detail}")
    for window in DAY_WINDOWS:
        report(
            f"yearly trail, window {window} min, {sum(DAY_USERS.values())} users "
            f"({', '.join(f'{n} {role}' for role, n in DAY_USERS.items())}) x "
            f"{WORKING_DAYS} days at {bytes_per_row:.0f} bytes per row (table "
            f"and indexes): {yearly[window] / 1e9:.2f} GB (target: under 1 GB)"
        )
    report(f"load average at the end: {load_average()} (1, 5, 15 min)")


def day_rows(day):
    """Rows per user-day and role, the yearly size per window, bytes per row."""
    bytes_per_row = day["bytes_per_row"]
    rows = []
    yearly = dict.fromkeys(DAY_WINDOWS, 0.0)
    for role, users in DAY_USERS.items():
        if (role, DAY_WINDOWS[0]) not in day:
            continue
        for window in DAY_WINDOWS:
            yearly[window] += (
                day[(role, window)]["rows"] * users * WORKING_DAYS * bytes_per_row
            )
        first = day[(role, DAY_WINDOWS[0])]
        rows.append(
            (
                role,
                users,
                first["actions"],
                *[day[(role, window)]["rows"] for window in DAY_WINDOWS],
                first["queries"],
                round(first["seconds"], 1),
            )
        )
    return rows, yearly, bytes_per_row
