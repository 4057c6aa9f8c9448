"""What each cron of the crons set has to do, and the check that it did it once.

Each function is ``check(cr, "before")`` -> the backlog due, a dict with
``items`` (what the cron reports as processed), and ``check(cr, "after",
due=..., done=...)`` -> the problems found, [] when everything due was
processed exactly once and nothing is left due. ``done`` is the count of
items the cron reported through ``ir.cron._commit_progress``.
"""

import datetime as dt

PROJECT = "coordination.individual.project"


def _env(cr):
    from odoo import SUPERUSER_ID, api

    return api.Environment(cr, SUPERUSER_ID, {})


def _counted(due, done):
    if done != due["items"]:
        return [f"{done} items reported done for {due['items']} due"]
    return []


def anonymisation(cr, when, due=None, done=None):
    env = _env(cr)
    projects = env[PROJECT].with_context(active_test=False)._due_for_anonymisation()
    requests = env["coordination.request"]._due_for_anonymisation()
    if when == "before":
        return {
            "items": len(projects) + len(requests),
            "projects": projects.ids,
            "requests": requests.ids,
        }
    problems = _counted(due, done)
    if projects or requests:
        problems.append(f"{len(projects)} projects, {len(requests)} requests left due")
    for table, ids in (
        ("coordination_individual_project", due["projects"]),
        ("coordination_request", due["requests"]),
    ):
        cr.execute(
            f"SELECT count(*) FROM {table} WHERE id = ANY(%s) AND is_anonymised",
            [ids],
        )
        anonymised = cr.fetchone()[0]
        if anonymised != len(ids):
            problems.append(f"{table}: {anonymised} of {len(ids)} due anonymised")
    return problems


def _expiring(env):
    return env[PROJECT].search(
        [
            ("consent_state", "=", "given"),
            ("consent_expiry_date", "<", dt.date.today()),
        ]
    )


def expiry(cr, when, due=None, done=None):
    env = _env(cr)
    projects = _expiring(env)
    if when == "before":
        return {"items": len(projects), "projects": projects.ids}
    problems = _counted(due, done)
    if projects:
        problems.append(f"{len(projects)} consents left past expiry")
    cr.execute(
        """
        SELECT count(*) FILTER (WHERE lines = 1), count(*) FILTER (WHERE lines > 1)
          FROM (SELECT project_id, count(*) AS lines
                  FROM coordination_consent
                 WHERE state = 'expired' AND project_id = ANY(%s)
                 GROUP BY project_id) AS expired
        """,
        [due["projects"]],
    )
    once, twice = cr.fetchone()
    if once != len(due["projects"]) or twice:
        problems.append(
            f"{once} of {len(due['projects'])} consents expired once, {twice} twice"
        )
    return problems


def _reminders_due(env):
    """The projects the reminders cron selects (see _cron_daily_reminders)."""
    review = env.ref("coordination_microlocale.mail_activity_type_review")
    overdue = env.ref("coordination_microlocale.mail_activity_type_overdue")
    Project = env[PROJECT]
    open_coordinated = [("state", "!=", "closed"), ("coordinator_id", "!=", False)]
    reviews = Project.search(
        [
            *open_coordinated,
            ("review_date", "<=", dt.date.today()),
            ("activity_ids", "not any", [("activity_type_id", "=", review.id)]),
        ]
    )
    late = Project.search(
        [
            *open_coordinated,
            ("action_ids", "any", [("is_overdue", "=", True)]),
            ("activity_ids", "not any", [("activity_type_id", "=", overdue.id)]),
        ]
    )
    return {review.id: reviews.ids, overdue.id: late.ids}


def reminders(cr, when, due=None, done=None):
    env = _env(cr)
    by_type = _reminders_due(env)
    if when == "before":
        items = sum(len(ids) for ids in by_type.values())
        return {"items": items, "by_type": by_type}
    problems = _counted(due, done)
    left = sum(len(ids) for ids in by_type.values())
    if left:
        problems.append(f"{left} reminders left due")
    for type_id, ids in due["by_type"].items():
        cr.execute(
            """
            SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n > 1)
              FROM (SELECT res_id, count(*) AS n
                      FROM mail_activity
                     WHERE res_model = %s AND activity_type_id = %s
                       AND res_id = ANY(%s)
                     GROUP BY res_id) AS reminded
            """,
            [PROJECT, type_id, ids],
        )
        once, twice = cr.fetchone()
        if once != len(ids) or twice:
            problems.append(
                f"activity type {type_id}: {once} of {len(ids)} projects reminded "
                f"once, {twice} more than once"
            )
    return problems
