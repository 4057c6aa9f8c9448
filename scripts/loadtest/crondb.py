"""The module's daily crons in the database: made due at once, then awaited.

Plain SQL (psycopg2, installed with Odoo), so that the HTTP client imports no Odoo.
"""

import time

import psycopg2

# The crons of data/ir_cron_data.xml that run during the load
CRONS = (
    "ir_cron_daily_reminders",
    "ir_cron_consent_expiry",
    "ir_cron_anonymise",
    "ir_cron_evaluation_statistics",
)
CRON_IDS = """
    SELECT res_id FROM ir_model_data
     WHERE module = 'coordination_microlocale' AND model = 'ir.cron' AND name IN %s
"""


def connect(db):
    connection = psycopg2.connect(dbname=db)
    connection.autocommit = True
    return connection


def cron_ids(cursor):
    cursor.execute(CRON_IDS, [CRONS])
    return sorted(row[0] for row in cursor.fetchall())


def trigger(db, ids):
    """nextcall = now for the crons, and the cron worker woken up as
    ir.cron._notifydb() does; returns the UTC time of the trigger."""
    with connect(db) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT (now() AT TIME ZONE 'UTC')::timestamp(0)")
        now = cursor.fetchone()[0]
        cursor.execute(
            "UPDATE ir_cron SET nextcall = %s WHERE id IN %s", [now, tuple(ids)]
        )
    connection.close()
    notify(db)
    return now.isoformat(sep=" ")


def notify(db):
    """Wake the cron worker up for ``db``. It listens on the "postgres" database
    (odoo/service/server.py, WorkerCron.start): a notification reaches the
    listeners of its own database only."""
    with connect("postgres") as connection, connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify('cron_trigger', %s)", [db])
    connection.close()


def all_ran_since(db, ids, since):
    return all(_ran_since(row[2], since) for row in state(db, ids))


def all_done_since(db, ids, since):
    """Every cron ran since ``since`` and has no work left: none is due again
    (a job partially done is rescheduled for now) nor has a trigger due."""
    if not all_ran_since(db, ids, since):
        return False
    with connect(db) as connection, connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM ir_cron c
                WHERE c.id IN %(ids)s
                  AND (c.nextcall <= (now() AT TIME ZONE 'UTC')
                       OR EXISTS (SELECT 1 FROM ir_cron_trigger t
                                   WHERE t.cron_id = c.id
                                     AND t.call_at <= (now() AT TIME ZONE 'UTC')))""",
            {"ids": tuple(ids)},
        )
        pending = cursor.fetchone()[0]
    connection.close()
    return not pending


def state(db, ids):
    """[(id, name, lastcall, nextcall, failure_count)] of the crons."""
    with connect(db) as connection, connection.cursor() as cursor:
        cursor.execute(
            """SELECT id, cron_name, lastcall, nextcall, failure_count
                 FROM ir_cron WHERE id IN %s ORDER BY id""",
            [tuple(ids)],
        )
        rows = cursor.fetchall()
    connection.close()
    return rows


def wait(db, ids, since, timeout):
    """Seconds waited after the load until every cron ran once since ``since``
    (None: some had not after ``timeout`` seconds)."""
    start = time.monotonic()
    while True:
        if all_ran_since(db, ids, since):
            return round(time.monotonic() - start, 1)
        if time.monotonic() - start > timeout:
            return None
        time.sleep(2)


def _ran_since(lastcall, since):
    return bool(lastcall) and lastcall.isoformat(sep=" ") >= since


def utc_now(db):
    with connect(db) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT (now() AT TIME ZONE 'UTC')::timestamp")
        now = cursor.fetchone()[0]
    connection.close()
    return now.isoformat(sep=" ")
