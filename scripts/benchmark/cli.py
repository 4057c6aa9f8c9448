"""Command line of the benchmark package.

    PYTHONPATH=scripts python3 -m benchmark --db DB --addons-path PATHS
        [--scale 1] [--import [--fraction 1] | --register | --crons] [--output FILE]
        [--odoo-log FILE]

``bash scripts/benchmark.sh`` creates the database (module installed without
demo data), runs this and drops the database.
"""

import argparse
import sys
import time
import traceback

from .dataset import MAX_SCALE


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="benchmark",
        description="Performance benchmark of coordination_microlocale.",
    )
    parser.add_argument(
        "--db", required=True, help="database with the module installed"
    )
    parser.add_argument("--addons-path", required=True, help="Odoo addons path")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="volume factor (default 1)"
    )
    parser.add_argument(
        "--import",
        dest="scenario_set",
        action="store_const",
        const="import",
        default="standard",
        help="the directory import and feed set instead of the standard one",
    )
    parser.add_argument(
        "--register",
        dest="scenario_set",
        action="store_const",
        const="register",
        help="the register of vulnerable people set instead of the standard one",
    )
    parser.add_argument(
        "--crons",
        dest="scenario_set",
        action="store_const",
        const="crons",
        help="the crons set instead: backlogs of 10,000 files (times --scale)",
    )
    parser.add_argument(
        "--fraction",
        type=float,
        default=1.0,
        help="--import: share of the national RPPS file (default 1)",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build the data set and check its consistency, measure nothing",
    )
    parser.add_argument("--output", help="also write the results to this file")
    parser.add_argument(
        "--json", help="also write the figures as JSON (for benchmark.growth)"
    )
    parser.add_argument("--odoo-log", help="Odoo log file (default: stderr)")
    parser.add_argument(
        "--check-args", action="store_true", help="check the arguments and exit"
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= MAX_SCALE:
        parser.error(f"--scale must be > 0 and <= {MAX_SCALE}")
    if not 0 < args.fraction <= 1:
        parser.error("--fraction must be > 0 and <= 1")
    return args


def open_registry(args):
    # In 19 `odoo` is a namespace package: odoo.init sets it up (odoo.modules also
    # imports it, but importing it first is what Odoo's own entry points do).
    import odoo.init  # noqa: F401
    from odoo.tools import config

    odoo_args = [
        "-d",
        args.db,
        f"--addons-path={args.addons_path}",
        "--log-level=warn",
        "--max-cron-threads=0",
        "--no-http",
    ]
    if args.odoo_log:
        odoo_args.append(f"--logfile={args.odoo_log}")
    config.parse_config(odoo_args, setup_logging=True)

    from odoo.modules.registry import Registry

    return Registry(args.db)


def main(argv=None):
    from .report import Report
    from .scenarios import SETS

    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.check_args:
        return 0
    started = time.perf_counter()
    registry = open_registry(args)
    report = Report()
    SETS[args.scenario_set](args, registry, report, started)
    if args.output:
        report.write(args.output)
        print(f"Results written to {args.output}", flush=True)
    return 0


def run():
    """main(), any failure printed with its traceback: exit status 1."""
    try:
        return main()
    except SystemExit:
        raise
    except BaseException:  # noqa: BLE001 - any failure: traceback and exit 1
        traceback.print_exc()
        print("ERROR: the benchmark failed (see the traceback above)", file=sys.stderr)
        return 1
