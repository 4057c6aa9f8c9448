"""The portal pages of a professional with a portal account, over HTTP.

A portal account is created (in its own cursor, committed) for the professional of
the data set who is active in the most circles; their pages are then requested
through Odoo's own WSGI application with a werkzeug client, in this process, each
request on its own cursor as in production: wall time and SQL queries of the
whole request (``odoo.sql_db.sql_counter``), trail rows it wrote.
"""

import statistics
import time

from ..harness import REPEAT

SECTION = "portal pages (HTTP, a professional with a portal account)"
PAGES = [
    ("portal home /my (counters)", "/my"),
    ("portal list of shared projects", "/my/coordination/projects"),
    ("portal project page", "/my/coordination/projects/{project}"),
]
LOGIN = "benchmark.portal.professional"


def portal_pages(ctx):
    registry = ctx.env.registry
    found = _portal_professional(registry)
    if not found:
        ctx.report("portal pages: no professional active in a circle at this scale")
        return
    user_id, project_id, circles = found
    client = _client(registry, user_id)
    for label, path in PAGES:
        res = _measure(registry, client, path.format(project=project_id))
        ctx.record(SECTION, f"{label} ({circles} circles)", "portal prof.", res, "")


def _portal_professional(registry):
    from odoo import SUPERUSER_ID, api
    from odoo.fields import Command

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", LOGIN)])
        if not user:
            rows = env["coordination.circle.member"]._read_group(
                [
                    ("access_granted", "=", True),
                    ("partner_id.coordination_role", "=", "professional"),
                    ("partner_id.user_ids", "=", False),
                ],
                ["partner_id"],
                ["__count"],
                order="__count desc",
                limit=1,
            )
            if not rows:
                return None
            group = env.ref("coordination_microlocale.group_portal_professional")
            user = env["res.users"].create(
                {
                    "login": LOGIN,
                    "partner_id": rows[0][0].id,
                    "group_ids": [Command.set(group.ids)],
                }
            )
        projects = env["coordination.individual.project"].with_user(user)
        circles = projects.search_count([])
        project = projects.search([], limit=1)
        return (user.id, project.id, circles) if project else None


def _client(registry, user_id):
    from werkzeug.test import Client

    import odoo.http
    from odoo import api
    from odoo.service import security

    root = odoo.http.root
    session = root.session_store.new()
    session.update(
        odoo.http.get_default_session(), db=registry.db_name, _trace_disable=True
    )
    with registry.cursor() as cr:
        env = api.Environment(cr, user_id, {})
        session.uid = user_id
        session.login = env.user.login
        session.session_token = security.compute_session_token(session, env)
        session.context = dict(env["res.users"].context_get())
    root.session_store.save(session)
    client = Client(root)
    client.set_cookie("session_id", session.sid, domain="localhost")
    return client


def _trail_rows(registry):
    with registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM coordination_access_log")
        return cr.fetchone()[0]


def _measure(registry, client, url):
    import odoo.sql_db

    runs = []
    for _index in range(REPEAT + 1):
        rows_before = _trail_rows(registry)
        q0, t0 = odoo.sql_db.sql_counter, time.perf_counter()
        response = client.get(url, follow_redirects=True)
        seconds = time.perf_counter() - t0
        queries = odoo.sql_db.sql_counter - q0
        if response.status_code != 200:
            return {"denied": True}
        runs.append((seconds * 1000, queries, _trail_rows(registry) - rows_before))
    timed = runs[1:]
    return {
        "denied": False,
        "ms": statistics.median(r[0] for r in timed),
        "ms_min": min(r[0] for r in timed),
        "queries": int(statistics.median(r[1] for r in timed)),
        "cold_queries": runs[0][1],
        "trail_rows": int(statistics.median(r[2] for r in timed)),
        "trail_queries": 0,
        "trail_ms": 0.0,
        "result": url,
    }
