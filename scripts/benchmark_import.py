#!/usr/bin/env python3
"""Benchmark of the directory import and of the calendar feeds.

1. Generates an RPPS extraction of national size (2.2 million lines at
   ``--fraction 1``, in the official format: header, trailing '|'), 1 % of it in
   department 85, and imports it filtered to that department as a manager: total
   time, peak RSS of the process (resource.getrusage), lines read per second.
2. Imports 10,000 professionals of one territory (commune), then the same file
   again (nothing changes): time of each run.
3. Builds 200 sessions for one professional (a quarter about a person) and serves
   their ICS feed: time and SQL queries.

Run it through ``bash scripts/benchmark.sh --import``, which creates and drops the
database. Direct use:

    python3 scripts/benchmark_import.py --db DB --addons-path PATHS
        [--fraction 1] [--output FILE]
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta

NATIONAL_LINES = 2_200_000
TERRITORY_LINES = 10_000
FEED_SESSIONS = 200


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_rpps(path, lines, department_share, columns, luhn_check_digit, seed):
    """An RPPS extraction of ``lines`` lines; ``department_share`` of them in 85."""
    every = max(1, round(1 / department_share)) if department_share else 0
    in_department = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("|".join(columns) + "|\r\n")
        empty = [""] * len(columns)
        for number in range(lines):
            base = f"1{seed}{number:08d}"[-10:]
            rpps = base + luhn_check_digit(base)
            cells = list(empty)
            local = every and number % every == 0
            commune = "85191" if local else f"{(number % 90) + 1:02d}{number % 500:03d}"
            if commune.startswith("85") and not local:
                commune = "86" + commune[2:]
            in_department += bool(local)
            cells[0] = "8"
            cells[1] = rpps
            cells[2] = "8" + rpps
            cells[7] = f"NOM{number}"
            cells[8] = "Prénom"
            cells[9] = ("10", "60", "70", "21", "50")[number % 5]
            cells[16] = "Qualifié en Médecine Générale" if number % 5 == 0 else ""
            cells[28] = str(number % 200)
            cells[32] = "Rue de la République"
            cells[35] = commune[:2] + "000"
            cells[36] = commune
            cells[37] = "COMMUNE " + commune
            cells[40] = "0251000000"
            cells[44] = commune[:2]
            out.write("|".join(cells) + "|\r\n")
    return in_department


def run_import(env, values, content_path):
    Import = env["coordination.directory.import"]
    record = Import.create(values)
    env["ir.config_parameter"].set_param(
        "coordination_microlocale.directory_import_path",
        os.path.dirname(content_path),
    )
    record.server_path = content_path
    record.action_start()
    env.cr.commit()
    start = time.perf_counter()
    record._run(commit=True)
    env.cr.commit()
    elapsed = time.perf_counter() - start
    return record, elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--fraction", type=float, default=1.0)
    parser.add_argument("--output")
    args = parser.parse_args(argv)

    import odoo.init  # noqa: F401
    from odoo.tools import config

    config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--database={args.db}",
            "--log-level=warn",
            "--max-cron-threads=0",
        ],
        setup_logging=True,
    )
    from odoo import api
    from odoo.fields import Command
    from odoo.modules.registry import Registry

    registry = Registry(args.db)
    from odoo.addons.coordination_microlocale.models.directory.directory_files import (
        RPPS_COLUMNS,
    )
    from odoo.addons.coordination_microlocale.models.directory.identifiers import (
        luhn_check_digit,
    )

    report = []

    def say(line):
        print(line, flush=True)
        report.append(line)

    workdir = tempfile.mkdtemp(prefix="coordination_bench_import_")
    say(f"# Directory import and calendar feed benchmark ({datetime.now():%Y-%m-%d})")
    say(f"machine: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}")

    # ------------------------------------------------------------ 1. national file
    lines = int(NATIONAL_LINES * args.fraction)
    path = os.path.join(workdir, "PS_LibreAcces_Personne_activite_bench.txt")
    start = time.perf_counter()
    local = write_rpps(path, lines, 0.01, RPPS_COLUMNS, luhn_check_digit, 1)
    size = os.path.getsize(path)
    say(
        f"\n## 1. National RPPS file: {lines:,} lines ({size / 2**20:.0f} MiB, "
        f"fraction {args.fraction:g} of {NATIONAL_LINES:,}), {local:,} in "
        f"department 85; generated in {time.perf_counter() - start:.1f} s"
    )
    rss_before = rss_mb()
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        manager = env.ref("base.user_admin")
        env = env(user=manager.id)
        record, elapsed = run_import(
            env,
            {"source": "rpps", "department_codes": "85", "user_id": manager.id},
            path,
        )
        say(
            f"import filtered to department 85: {elapsed:.1f} s, "
            f"{record.lines_read / elapsed:,.0f} lines read/s, "
            f"{record.count_created:,} created, {record.count_skipped:,} out of the "
            f"filter, state {record.state}"
        )
        say(
            f"peak RSS of the process: {rss_mb():.0f} MiB "
            f"(before the import: {rss_before:.0f} MiB)"
        )
        if args.fraction < 1:
            factor = 1 / args.fraction
            say(
                f"extrapolated to {NATIONAL_LINES:,} lines (linear in lines read and "
                f"in lines created): about {elapsed * factor:.0f} s; memory does not "
                "grow with the file (streamed, batches of 500)"
            )
    os.unlink(path)

    # ------------------------------------------------------------ 2. territory
    path = os.path.join(workdir, "PS_LibreAcces_Personne_activite_territory.txt")
    write_rpps(path, TERRITORY_LINES, 1.0, RPPS_COLUMNS, luhn_check_digit, 2)
    with open(path, encoding="utf-8") as handle:
        content = handle.read().replace("|85191|", "|44109|")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(content)
    say(f"\n## 2. Territory import: {TERRITORY_LINES:,} professionals of one commune")
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        manager = env.ref("base.user_admin")
        territory = env["coordination.territory"].create(
            {"name": "Nantes (bench)", "insee_code": "44109"}
        )
        env = env(user=manager.id)
        values = {
            "source": "rpps",
            "user_id": manager.id,
            "territory_ids": [Command.set(territory.ids)],
        }
        first, elapsed = run_import(env, values, path)
        say(
            f"first run: {elapsed:.1f} s ({first.count_created:,} created, "
            f"{TERRITORY_LINES / elapsed:,.0f} professionals/s)"
        )
        second, elapsed = run_import(env, values, path)
        say(
            f"second run, same file: {elapsed:.1f} s ({second.count_created} created, "
            f"{second.count_updated} updated, {second.count_unchanged:,} unchanged)"
        )
        say(f"message: {second.message}")
    os.unlink(path)

    # ------------------------------------------------------------ 3. feed
    say(f"\n## 3. Calendar feed of {FEED_SESSIONS} sessions")
    with registry.cursor() as cr:
        env = api.Environment(
            cr, 1, {"no_mail_to_attendees": True, "dont_notify": True}
        )
        user = env["res.users"].create(
            {
                "name": "Bench GP",
                "login": "bench.gp",
                "group_ids": [
                    Command.link(
                        env.ref("coordination_microlocale.group_professional").id
                    )
                ],
                "tz": "Europe/Paris",
            }
        )
        territory = env["coordination.territory"].search([], limit=1)
        working = env.ref("coordination_microlocale.session_type_working_group")
        concertation = env.ref("coordination_microlocale.session_type_concertation")
        start = datetime.now().replace(microsecond=0) + timedelta(days=1)
        env["calendar.event"].create(
            [
                {
                    "name": f"Session {i}",
                    "start": start + timedelta(hours=3 * i),
                    "stop": start + timedelta(hours=3 * i + 1),
                    "coordination_territory_id": territory.id,
                    "coordination_session_type_id": (
                        concertation if i % 4 == 0 else working
                    ).id,
                    "user_id": user.id,
                    "partner_ids": [Command.set(user.partner_id.ids)],
                }
                for i in range(FEED_SESSIONS)
            ]
        )
        Feed = env["coordination.calendar.feed"].with_user(user)
        Feed._issue()
        feed = Feed.sudo().search([("user_id", "=", user.id)])
        env.flush_all()
        env.invalidate_all()
        for label in ("cold", "warm"):
            env.invalidate_all()
            queries = cr.sql_log_count
            begin = time.perf_counter()
            body = feed.with_user(user)._render()
            elapsed = time.perf_counter() - begin
            say(
                f"{label}: {elapsed * 1000:.0f} ms, {cr.sql_log_count - queries} "
                f"queries, {body.count(b'BEGIN:VEVENT')} events, {len(body):,} bytes"
            )
        cr.rollback()

    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write("\n".join(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
