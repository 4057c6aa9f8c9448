"""``python3 -m loadtest {check-args,prepare,run,report,restore} ...``"""

import argparse
import json
import sys

LIMITS = {"users": (1, 200), "duration": (5, 3600), "workers": (1, 16)}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="loadtest", description=__doc__)
    parser.add_argument(
        "step", choices=["check-args", "prepare", "run", "report", "restore"]
    )
    parser.add_argument("--db", required=True)
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--addons-path", default="")
    parser.add_argument("--state", help="JSON written by prepare")
    parser.add_argument("--results", help="JSON written by run")
    parser.add_argument("--odoo-log", help="the server's log (report)")
    parser.add_argument("--output", help="the report's file (report)")
    parser.add_argument(
        "--cron-wait",
        type=int,
        default=300,
        help="seconds to wait after the load for the crons to finish",
    )
    args = parser.parse_args(argv)
    for name, (low, high) in LIMITS.items():
        value = getattr(args, name)
        if not low <= value <= high:
            parser.error(f"--{name} must be between {low} and {high} (got {value})")
    if args.step != "check-args" and not args.state:
        parser.error(f"{args.step} needs --state")
    if args.step in ("run", "report") and not args.results:
        parser.error(f"{args.step} needs --results")
    return args


def _prepare(args):
    from benchmark.cli import open_registry

    from . import prepare

    args.odoo_log = args.odoo_log or None
    return prepare.run(args, open_registry(args))


def _report(args, state):
    from . import checks, report, serverlog

    with open(args.results, encoding="utf-8") as handle:
        results = json.load(handle)
    log = serverlog.read(args.odoo_log) if args.odoo_log else serverlog.parse([])
    rows, crons = checks.run_checks(args.db, state, results, log)
    text, passed = report.build(args, results, log, crons, rows)
    if args.output:
        text.write(args.output)
        print(f"Report written to {args.output}", flush=True)
    return 0 if passed else 1


def _restore(state):
    from .crondb import connect
    from .prepare import PREFIX

    connection = connect(state["db"])
    with connection.cursor() as cursor:
        for name, value in state["saved_parameters"].items():
            if value is None or value is False:
                cursor.execute(
                    "DELETE FROM ir_config_parameter WHERE key = %s", [PREFIX + name]
                )
            else:
                cursor.execute(
                    "UPDATE ir_config_parameter SET value = %s WHERE key = %s",
                    [value, PREFIX + name],
                )
    connection.close()
    print("restored: " + ", ".join(state["saved_parameters"]), flush=True)
    return 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.step == "check-args":
        return 0
    if args.step == "prepare":
        return _prepare(args)
    with open(args.state, encoding="utf-8") as handle:
        state = json.load(handle)
    if args.step == "run":
        from .runner import run

        return run(args)
    if args.step == "report":
        return _report(args, state)
    return _restore(state)
