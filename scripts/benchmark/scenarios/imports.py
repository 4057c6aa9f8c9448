"""The ``--import`` set: the national directory import and the calendar feeds.

1. Generates an RPPS extraction of national size (2.2 million lines at
   ``--fraction 1``, in the official format: header, trailing '|'), 1 % of it in
   department 85, and imports it filtered to that department as a manager: total
   time, peak RSS of the process (resource.getrusage), lines read per second.
2. Imports 10,000 professionals of one territory (commune), then the same file
   again (nothing changes): time of each run.
3. Builds 200 sessions for one professional (a quarter about a person) and serves
   their ICS feed: time and SQL queries.

Unlike the standard set, each step commits (the import job commits its batches).
"""

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


def _rpps_cells(number, columns, rpps, commune):
    """One line of the extraction: the columns the import reads, the rest empty."""
    cells = [""] * len(columns)
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
    return cells


def write_rpps(path, lines, department_share, seed):
    """An RPPS extraction of ``lines`` lines, ``department_share`` of them in
    department 85 (commune 85191); the number of those."""
    from odoo.addons.coordination_microlocale.models.directory.directory_files import (
        RPPS_COLUMNS,
    )
    from odoo.addons.coordination_microlocale.models.directory.identifiers import (
        luhn_check_digit,
    )

    every = max(1, round(1 / department_share)) if department_share else 0
    in_department = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("|".join(RPPS_COLUMNS) + "|\r\n")
        for number in range(lines):
            base = f"1{seed}{number:08d}"[-10:]
            local = every and number % every == 0
            commune = "85191" if local else f"{(number % 90) + 1:02d}{number % 500:03d}"
            if commune.startswith("85") and not local:
                commune = "86" + commune[2:]
            in_department += bool(local)
            cells = _rpps_cells(
                number, RPPS_COLUMNS, base + luhn_check_digit(base), commune
            )
            out.write("|".join(cells) + "|\r\n")
    return in_department


def run_import(env, values, content_path):
    """Queue an import of a server file and run its job; (import, seconds)."""
    record = env["coordination.directory.import"].create(values)
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
    return record, time.perf_counter() - start


def _manager_env(cr):
    """The superuser's environment, and the administrator's (a manager)."""
    from odoo import SUPERUSER_ID, api

    env = api.Environment(cr, SUPERUSER_ID, {})
    return env, env(user=env.ref("base.user_admin").id)


def national_file(args, registry, report, workdir):
    lines = int(NATIONAL_LINES * args.fraction)
    path = os.path.join(workdir, "PS_LibreAcces_Personne_activite_bench.txt")
    start = time.perf_counter()
    local = write_rpps(path, lines, 0.01, 1)
    size = os.path.getsize(path)
    report(
        f"\n## 1. National RPPS file: {lines:,} lines ({size / 2**20:.0f} MiB, "
        f"fraction {args.fraction:g} of {NATIONAL_LINES:,}), {local:,} in "
        f"department 85; generated in {time.perf_counter() - start:.1f} s"
    )
    rss_before = rss_mb()
    with registry.cursor() as cr:
        _su_env, env = _manager_env(cr)
        values = {"source": "rpps", "department_codes": "85", "user_id": env.uid}
        record, elapsed = run_import(env, values, path)
        report(
            f"import filtered to department 85: {elapsed:.1f} s, "
            f"{record.lines_read / elapsed:,.0f} lines read/s, "
            f"{record.count_created:,} created, {record.count_skipped:,} out of the "
            f"filter, state {record.state}"
        )
        report(
            f"peak RSS of the process: {rss_mb():.0f} MiB "
            f"(before the import: {rss_before:.0f} MiB)"
        )
        if args.fraction < 1:
            factor = 1 / args.fraction
            report(
                f"extrapolated to {NATIONAL_LINES:,} lines (linear in lines read and "
                f"in lines created): about {elapsed * factor:.0f} s; memory "
                "does not grow with the file (streamed, batches of 500)"
            )
    os.unlink(path)


def territory_file(args, registry, report, workdir):
    from odoo.fields import Command

    path = os.path.join(workdir, "PS_LibreAcces_Personne_activite_territory.txt")
    write_rpps(path, TERRITORY_LINES, 1.0, 2)
    with open(path, encoding="utf-8") as handle:
        content = handle.read().replace("|85191|", "|44109|")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(content)
    report(
        f"\n## 2. Territory import: {TERRITORY_LINES:,} professionals of one commune"
    )
    with registry.cursor() as cr:
        su_env, env = _manager_env(cr)
        territory = su_env["coordination.territory"].create(
            {"name": "Nantes (bench)", "insee_code": "44109"}
        )
        values = {
            "source": "rpps",
            "user_id": env.uid,
            "territory_ids": [Command.set(territory.ids)],
        }
        first, elapsed = run_import(env, values, path)
        report(
            f"first run: {elapsed:.1f} s ({first.count_created:,} created, "
            f"{TERRITORY_LINES / elapsed:,.0f} professionals/s)"
        )
        second, elapsed = run_import(env, values, path)
        report(
            f"second run, same file: {elapsed:.1f} s ({second.count_created} created, "
            f"{second.count_updated} updated, {second.count_unchanged:,} unchanged)"
        )
        report(f"message: {second.message}")
    os.unlink(path)


def calendar_feed(args, registry, report, workdir):
    report(f"\n## 3. Calendar feed of {FEED_SESSIONS} sessions")
    with registry.cursor() as cr:
        from odoo import SUPERUSER_ID, api

        context = {"no_mail_to_attendees": True, "dont_notify": True}
        env = api.Environment(cr, SUPERUSER_ID, context)
        user = _feed_sessions(env)
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
            report(
                f"{label}: {elapsed * 1000:.0f} ms, {cr.sql_log_count - queries} "
                f"queries, {body.count(b'BEGIN:VEVENT')} events, {len(body):,} bytes"
            )
        cr.rollback()


def _feed_sessions(env):
    """A professional organising FEED_SESSIONS sessions, a quarter about a person."""
    from odoo.fields import Command

    professional = env.ref("coordination_microlocale.group_professional")
    user = env["res.users"].create(
        {
            "name": "Bench GP",
            "login": "bench.gp",
            "group_ids": [Command.link(professional.id)],
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
    return user


SCENARIOS = [national_file, territory_file, calendar_feed]


def run(args, registry, report, _started):
    workdir = tempfile.mkdtemp(prefix="coordination_bench_import_")
    report(
        f"# Directory import and calendar feed benchmark ({datetime.now():%Y-%m-%d})"
    )
    report(f"machine: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}")
    for scenario in SCENARIOS:
        scenario(args, registry, report, workdir)
    os.rmdir(workdir)
