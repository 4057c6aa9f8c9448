"""The load test's text report (pure formatting, tested in tests/)."""

import datetime as dt
from collections import Counter

from benchmark.report import RULE, Report, module_revision

from .stats import summarise

CALL_HEADER = [
    "call",
    "count",
    "errors",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
]


def call_rows(calls, elapsed):
    """Table rows of the load phase's calls, and the overall row last."""
    rows, total = summarise(
        [(kind, ms, ok) for phase, kind, ms, ok in calls if phase == "load"], elapsed
    )
    return [_cells(row) for row in [*rows, total]]


def _cells(row):
    return [
        row["kind"],
        row["count"],
        row["errors"],
        round(row["rps"], 2),
        *(
            None if row[key] is None else round(row[key], 1)
            for key in ("p50", "p95", "p99", "max")
        ),
    ]


def header(report, args, results):
    report(RULE)
    report("Load test of a multi-worker Odoo server (scripts/loadtest.sh)")
    report(RULE)
    roles = Counter(role for role, _login in results["roles"])
    logins = sorted({login for _role, login in results["roles"]})
    rows = [
        ("date", dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")),
        ("module", module_revision()),
        ("database", args.db),
        ("server", f"{args.url}, --workers {args.workers} --max-cron-threads 1"),
        ("virtual users", ", ".join(f"{n} {role}" for role, n in roles.items())),
        ("logins", " ".join(logins)),
        (
            "load",
            (
                f"{results['elapsed']:.1f} s (at least {args.duration} s, and until "
                f"the crons had run), think time 0-200 ms, seed {args.seed}"
            ),
        ),
        ("crons made due at", f"{results['trigger']} UTC"),
        ("load average", _load(results["load_start"]) + " (start of the load)"),
        ("", _load(results["load_end"]) + " (end of the load)"),
    ]
    report.table(["", ""], rows, ["<", "<"])


def _load(values):
    return " ".join(f"{value:.2f}" for value in values) + " (1, 5, 15 min)"


def calls(report, results):
    report()
    report("## calls during the load (each a JSON-RPC request over HTTP)")
    report.table(CALL_HEADER, call_rows(results["calls"], results["elapsed"]))
    setup = [c for c in results["calls"] if c[0] != "load"]
    failed = sum(1 for c in setup if not c[3])
    report(
        f"before the load: {len(setup)} calls (log in, views, fields), {failed} errors"
    )
    if results["errors"]:
        report()
        report(f"## first errors ({len(results['errors'])} kept)")
        for phase, kind, message in results["errors"][:10]:
            report(f"- [{phase}] {kind}: {message}")


def server(report, log, crons):
    report()
    report("## Odoo server log")
    retried = ", ".join(f"{n} {error}" for error, n in log["retries"].items()) or "none"
    gave_up = ", ".join(f"{n} {error}" for error, n in log["gave_up"].items()) or "none"
    report(f"concurrency errors retried by Odoo: {retried}; given up: {gave_up}")
    report(f"ERROR/CRITICAL lines: {len(log['errors'])}")
    for line in log["errors"][:5]:
        report(f"  {line[:200]}")
    report()
    report("## crons during the load (cron worker log, ir_cron_progress)")
    jobs = {}
    for job in log["jobs"]:
        jobs.setdefault(job["id"], []).append(job)
    rows = []
    for cron_id, (name, _lastcall, failures, done, _runs) in crons.items():
        logged = jobs.get(cron_id, [])
        rows.append(
            (
                name,
                ", ".join(job["status"] for job in logged) or "not in the log",
                sum(job["loops"] for job in logged),
                done,
                round(sum(job["duration"] for job in logged), 2),
                failures,
            )
        )
    report.table(
        ["cron", "status", "loops (log)", "records done", "seconds", "failures"], rows
    )


def checks(report, rows):
    report()
    report("## post-checks")
    report.table(
        ["check", "result", "detail"],
        [(name, "pass" if ok else "FAIL", detail) for name, detail, ok in rows],
        ["<", "<", "<"],
    )
    failed = [name for name, _detail, ok in rows if not ok]
    report()
    report(f"post-checks: {len(rows) - len(failed)} passed, {len(failed)} failed")
    return not failed


def build(args, results, log, crons, check_rows):
    """The whole report; (Report, passed)."""
    report = Report()
    header(report, args, results)
    calls(report, results)
    server(report, log, crons)
    passed = checks(report, check_rows)
    errors = sum(1 for call in results["calls"] if not call[3])
    if errors:
        passed = False
    return report, passed
