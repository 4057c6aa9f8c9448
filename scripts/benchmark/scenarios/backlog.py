"""The crons set (``--crons``): a backlog of 10,000 files (``--scale`` times)
worked off by each daily cron, as Odoo's cron worker runs it.

The backlogs are built and committed (backlog_data.py), then each cron runs
through ``ir.cron._process_jobs_loop``, the cron worker's own loop: a job
runs its server action at least 10 times or 10 seconds, each batch of
``cron_in_batches`` committed with its progress, and a job only partially
done is triggered again at once; the loop goes on until the job is fully done.
The whole work-off is timed, and afterwards the set checks that everything due
was processed exactly once. Target: under 5 minutes per cron.
"""

import time

from ..report import RULE, load_average, machine_info
from . import backlog_checks, backlog_data

FILES = 10000  # at --scale 1
TARGET_SECONDS = 300
MAX_PASSES = 200  # job passes before the set gives up on a cron
SLEEP_INTERVAL = 60  # odoo.service.server: a cron worker's sleep between polls
CRONS = (
    ("anonymisation", "ir_cron_anonymise", backlog_checks.anonymisation),
    ("consent expiry", "ir_cron_consent_expiry", backlog_checks.expiry),
    ("daily reminders", "ir_cron_daily_reminders", backlog_checks.reminders),
)


def backlog_size(scale):
    return max(round(FILES * scale), 20)


def run(args, registry, report, started):
    from odoo import SUPERUSER_ID, api

    size = backlog_size(args.scale)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        _header(env, args, report, size)
        _bl, timings = backlog_data.build(env, size, report)
        cr.execute("ANALYZE")
        cr.commit()
        report.table(
            ["phase", "seconds", "detail"],
            [(name, round(s, 1), detail) for name, s, detail in timings]
            + [("total", round(sum(t[1] for t in timings), 1), "")],
            ["<", ">", "<"],
        )
    counter = CommitCounter(registry)
    rows, problems = [], []
    for label, xmlid, check in CRONS:
        report(f"  cron: {label} ...")
        row, issues = _one_cron(registry, counter, label, xmlid, check)
        report(f"  cron: {label}: {row[1]} items in {row[2]} s ({row[-1]})")
        rows.append(row)
        problems += issues
    _print_table(report, rows, problems)
    report(f"load average at the end: {load_average()} (1, 5, 15 min)")
    report(f"total {time.perf_counter() - started:.0f} s")


def _header(env, args, report, size):
    report(RULE)
    report(
        f"coordination_microlocale crons benchmark --crons --scale {args.scale:g} "
        f"({args.db}): backlogs of {size} files"
    )
    report(RULE)
    report.table(["machine", "value"], machine_info(env), ["<", "<"])
    report()
    report("Build of the backlogs (batched create(), commit after each phase)")


def _one_cron(registry, counter, label, xmlid, check):
    """(table row, [problems]) of one cron worked off through ir.cron."""
    from odoo import sql_db

    with registry.cursor() as cr:
        due = check(cr, "before")
    counter.reset()
    q0, t0 = sql_db.sql_counter, time.perf_counter()
    passes, failed, idle = work_off(registry, f"coordination_microlocale.{xmlid}")
    seconds = time.perf_counter() - t0
    worker_seconds = seconds + idle * SLEEP_INTERVAL
    queries = sql_db.sql_counter - q0
    with registry.cursor() as cr:
        issues = check(cr, "after", due=due, done=counter.processed)
    if failed:
        issues.append(f"{label}: the job failed (see the Odoo log)")
    items = due["items"]
    ok = not issues and worker_seconds < TARGET_SECONDS
    row = (
        label,
        items,
        round(seconds, 1),
        round(items / seconds, 1) if seconds else None,
        round(queries / items, 2) if items else None,
        counter.batches,
        counter.commits,
        passes,
        idle,
        round(worker_seconds, 1),
        "pass" if ok else "FAIL",
    )
    return row, [f"{label}: {issue}" for issue in issues]


def work_off(registry, xmlid):
    """Run the cron as the cron worker does until its job is fully done.

    Returns (job passes, failed, idle): the job is made ready (nextcall now);
    a job partially done leaves itself a trigger for now, so the next pass of
    ``_process_jobs_loop`` takes it again; a job fully done is rescheduled to
    tomorrow and the next pass finds nothing ready. The passes run back to
    back; ``idle`` counts those after which no NOTIFY woke the cron workers,
    who would then have slept until their next poll (SLEEP_INTERVAL, 60 s).
    """
    from odoo import SUPERUSER_ID, api

    listener = _listen()
    idle = 0
    with registry.cursor() as cr:
        cron_id = api.Environment(cr, SUPERUSER_ID, {}).ref(xmlid).id
        cr.execute(
            "UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC', "
            "failure_count = 0 WHERE id = %s",
            [cron_id],
        )
        cr.commit()
        _notified(listener, cr.dbname)
        for passes in range(1, MAX_PASSES + 1):
            before = _last_progress(cr, cron_id)
            registry["ir.cron"]._process_jobs_loop(cr, job_ids=[cron_id])
            cr.commit()
            after = _last_progress(cr, cron_id)
            cr.execute("SELECT failure_count FROM ir_cron WHERE id = %s", [cron_id])
            if cr.fetchone()[0]:
                listener.close()
                return passes, True, idle
            if after == before or not after[1]:
                listener.close()
                return passes, False, idle  # nothing ready, or nothing remaining
            idle += 0 if _notified(listener, cr.dbname) else 1
    listener.close()
    return MAX_PASSES, True, idle


def _listen():
    """A cursor listening to the cron workers' wake-up channel, as they do."""
    from odoo import sql_db

    listener = sql_db.db_connect("postgres").cursor()
    listener.execute("LISTEN cron_trigger")
    listener.commit()
    return listener


def _notified(listener, dbname):
    """Whether the cron workers were woken up for ``dbname`` since last asked."""
    connection = listener._cnx
    connection.poll()
    woken = any(note.payload == dbname for note in connection.notifies)
    connection.notifies.clear()
    return woken


def _last_progress(cr, cron_id):
    """(id, remaining) of the cron's last progress record, or None."""
    cr.execute(
        "SELECT id, remaining FROM ir_cron_progress WHERE cron_id = %s "
        "ORDER BY id DESC LIMIT 1",
        [cron_id],
    )
    return cr.fetchone()


class CommitCounter:
    """Counts the ``_commit_progress`` calls of the crons in this process."""

    def __init__(self, registry):
        cls = registry["ir.cron"]
        original = cls._commit_progress
        counter = self

        def _commit_progress(self, processed=0, **kwargs):
            counter.commits += 1
            counter.batches += 1 if processed else 0
            counter.processed += processed
            return original(self, processed, **kwargs)

        cls._commit_progress = _commit_progress
        self.reset()

    def reset(self):
        self.commits = self.batches = self.processed = 0


def _print_table(report, rows, problems):
    report()
    report(
        "## crons working off their backlog, as ir.cron runs them "
        f"(target: under {TARGET_SECONDS} s each, everything due processed once)"
    )
    report("   items = files due before the run (anonymisation: projects + requests;")
    report("   reminders: reviews due + projects with overdue actions); batches =")
    report("   committed batches of cron_in_batches; passes = job runs of the cron")
    report("   worker (each 10 s or 10 calls at least), run back to back; idle =")
    report("   passes after which no NOTIFY woke the workers; worker s = seconds +")
    report(f"   idle x {SLEEP_INTERVAL} s (their poll); queries: all cursors")
    report.table(
        [
            "cron",
            "items",
            "seconds",
            "items/s",
            "queries/item",
            "batches",
            "commits",
            "passes",
            "idle",
            "worker s",
            "< 300 s, once",
        ],
        rows,
        ["<", ">", ">", ">", ">", ">", ">", ">", ">", ">", "<"],
    )
    for problem in problems:
        report(f"FAILED: {problem}")
    if not problems:
        report("   checks: nothing left due, nothing processed twice")
