"""Post-checks on the database after the load (plain SQL, the server stopped).

Each check is (name, detail, ok). Nothing lost: every save the client saw succeed
is in the database, every project form read has its trace; no cron processed a
record twice: one reminder to-do per project and kind, one expiry per consent,
every file due anonymised once (the progress Odoo counted equals what was due),
one published cell per combination of the evaluation's dimensions.
"""

import datetime as dt

from .crondb import connect

EVALUATION_DIMENSIONS = (
    "territory_id, determinant_id, session_type_id, record_type, requester_type, "
    "channel, status, alert_type, dimension, date, is_open"
)


# The to-dos of _cron_daily_reminders: reviews due, overdue actions
REMINDER_TYPES = """
    JOIN ir_model_data d ON d.model = 'mail.activity.type'
     AND d.res_id = a.activity_type_id AND d.module = 'coordination_microlocale'
     AND d.name IN ('mail_activity_type_review', 'mail_activity_type_overdue')
"""


def _one(cursor, query, params=()):
    cursor.execute(query, params)
    return cursor.fetchone()[0]


def saves(cursor, results):
    requests = dict(results["requests"])
    found = {}
    if requests:
        cursor.execute(
            "SELECT id, description FROM coordination_request WHERE id = ANY(%s)",
            [list(requests)],
        )
        found = dict(cursor.fetchall())
    missing = [
        rid for rid, token in requests.items() if token not in (found.get(rid) or "")
    ]
    yield (
        "every request saved is in the database",
        f"{len(requests) - len(missing)} of {len(requests)} (with their token)",
        not missing,
    )
    actions = sorted(set(results["actions"]))
    done = 0
    if actions:
        done = _one(
            cursor,
            """SELECT count(*) FROM coordination_project_action
                WHERE id = ANY(%s) AND state = 'done' AND date_done IS NOT NULL""",
            [actions],
        )
    yield (
        "every action marked done is done",
        f"{done} of {len(actions)}",
        done == len(actions),
    )


def traces(cursor, results, since):
    """Window 0 for the run: each web_read of a project form is one 'read' trace
    at least (the lists trace their rows too, so more is fine)."""
    short = []
    reads = 0
    for key, count in results["forms"].items():
        uid, project_id = (int(part) for part in key.split(","))
        reads += count
        traced = _one(
            cursor,
            """SELECT count(*) FROM coordination_access_log
                WHERE user_id = %s AND res_model = 'coordination.individual.project'
                  AND res_id = %s AND operation = 'read' AND date >= %s""",
            [uid, project_id, since],
        )
        if traced < count:
            short.append(f"user {uid} project {project_id}: {traced} of {count}")
    yield (
        "every project form read is in the access trail",
        f"{reads} reads of {len(results['forms'])} (user, file) pairs"
        + (f"; short: {', '.join(short[:3])}" if short else ""),
        not short,
    )


def progress(cursor, state, since):
    """{cron id: (name, lastcall, failures, records done, runs)} since the trigger."""
    cursor.execute(
        """SELECT c.id, c.cron_name, c.lastcall, c.failure_count,
                  coalesce(sum(p.done), 0), count(p.id)
             FROM ir_cron c
             LEFT JOIN ir_cron_progress p ON p.cron_id = c.id AND p.create_date >= %s
            WHERE c.id = ANY(%s) GROUP BY c.id ORDER BY c.id""",
        [since, state["crons"]],
    )
    return {row[0]: row[1:] for row in cursor.fetchall()}


def crons_ran(crons, since, until):
    """Each cron started between the trigger and the end of the load."""
    for name, lastcall, failures, _done, runs in crons.values():
        ran = bool(lastcall) and since <= lastcall.isoformat(sep=" ") <= until
        yield (
            f"cron ran during the load: {name}",
            f"at {lastcall:%H:%M:%S}, {runs} run(s), failures {failures}"
            if lastcall
            else "never ran",
            ran and not failures,
        )


def _done(crons, state, index):
    return crons[state["crons"][index]][3]


def reminders_once(cursor, crons, state, since):
    cursor.execute(
        f"""SELECT count(*) FROM (
             SELECT 1 FROM mail_activity a {REMINDER_TYPES}
              WHERE a.res_model = 'coordination.individual.project' AND a.active
              GROUP BY a.res_id, a.activity_type_id HAVING count(*) > 1) dup"""
    )
    duplicates = cursor.fetchone()[0]
    created = _one(
        cursor,
        f"""SELECT count(*) FROM mail_activity a {REMINDER_TYPES}
             WHERE a.res_model = 'coordination.individual.project'
               AND a.create_date >= %s""",
        [since],
    )
    yield (
        "reminders: one to-do per project and kind",
        (
            f"{created} to-dos created by the run (cron counted "
            f"{_done(crons, state, 0)}), {duplicates} duplicated"
        ),
        duplicates == 0 and created == _done(crons, state, 0),
    )


def expiry_once(cursor, crons, state, today):
    due = state["due"]["expiring_projects"] or [0]
    expired_twice = _one(
        cursor,
        """SELECT count(*) FROM (SELECT project_id FROM coordination_consent
             WHERE state = 'expired' AND date = %s GROUP BY project_id
            HAVING count(*) > 1) dup""",
        [today],
    )
    still_given = _one(
        cursor,
        """SELECT count(*) FROM coordination_individual_project
            WHERE id = ANY(%s) AND consent_state = 'given'""",
        [due],
    )
    expected = len(state["due"]["expiring_projects"])
    yield (
        "consent expiry: each consent due expired once",
        (
            f"{expected} due, cron counted {_done(crons, state, 1)}, "
            f"{still_given} still given, {expired_twice} expired twice"
        ),
        not expired_twice and not still_given and _done(crons, state, 1) == expected,
    )


def anonymised_once(cursor, crons, state):
    due = state["due"]
    left = _one(
        cursor,
        """SELECT (SELECT count(*) FROM coordination_individual_project
                    WHERE id = ANY(%s) AND NOT coalesce(is_anonymised, false))
                + (SELECT count(*) FROM coordination_request
                    WHERE id = ANY(%s) AND NOT coalesce(is_anonymised, false))""",
        [due["anonymise_projects"] or [0], due["anonymise_requests"] or [0]],
    )
    expected = len(due["anonymise_projects"]) + len(due["anonymise_requests"])
    counted = _done(crons, state, 2)
    yield (
        "anonymisation: each file due anonymised once",
        f"{expected} due, cron counted {counted}, {left} left",
        not left and counted == expected,
    )


def evaluation_once(cursor, log):
    cells = _one(cursor, "SELECT count(*) FROM coordination_evaluation_statistic")
    duplicates = _one(
        cursor,
        f"""SELECT count(*) FROM (SELECT 1 FROM coordination_evaluation_statistic
             GROUP BY {EVALUATION_DIMENSIONS} HAVING count(*) > 1) dup""",
    )
    rebuilds = log["rebuilds"]
    yield (
        "evaluation: one rebuild, one cell per combination",
        f"{cells} cells, {duplicates} duplicated, {rebuilds} rebuild(s) in the log",
        cells > 0 and not duplicates and rebuilds == 1,
    )


def run_checks(db, state, results, log):
    since = results["trigger"]
    today = dt.date.fromisoformat(since[:10])
    connection = connect(db)
    with connection.cursor() as cursor:
        crons = progress(cursor, state, since)
        rows = [
            *saves(cursor, results),
            *traces(cursor, results, since),
            *crons_ran(crons, since, results["load_end_utc"]),
            *reminders_once(cursor, crons, state, since),
            *expiry_once(cursor, crons, state, today),
            *anonymised_once(cursor, crons, state),
            *evaluation_once(cursor, log),
        ]
    connection.close()
    return rows, crons
