"""Before the server starts (Odoo registry, one committed transaction).

- the users driven get a known password (the benchmark creates them without one);
- two factors are switched off for the run (``coordination_microlocale.mfa_required``:
  coordinators and professionals would otherwise get an e-mailed code at login,
  which a load client cannot read), and the trail's window set to 0 so that
  every read of a file is traced (``access_log_window_minutes``); both are put
  back by ``restore``;
- the module's daily crons are pushed to tomorrow, so that the cron worker does
  not run them as the server starts: ``run`` makes them due when the load starts;
- what each cron has to do is noted, for the post-checks.
"""

import datetime as dt
import json
import secrets
from collections import Counter

from .crondb import CRONS
from .stats import assign_roles

PREFIX = "coordination_microlocale."
RUN_PARAMETERS = {"mfa_required": "False", "access_log_window_minutes": "0"}
# The professionals driven: those with the most actions to do in files they share
PROFESSIONALS = """
    SELECT u.id, u.login, u.partner_id, count(a.id) AS todo
      FROM res_users u
      JOIN coordination_project_action a ON a.responsible_partner_id = u.partner_id
      JOIN coordination_individual_project p ON p.id = a.project_id
     WHERE u.login LIKE 'bench.pro.%%' AND u.active
       AND a.state IN ('todo', 'in_progress') AND p.state != 'closed'
       AND p.consent_state = 'given'
     GROUP BY u.id ORDER BY todo DESC, u.login LIMIT %s
"""


def _users(env, role, pattern, limit):
    if role == "professional":
        env.cr.execute(PROFESSIONALS, [limit])
        rows = [row[:3] for row in env.cr.fetchall()]
    else:
        env.cr.execute(
            """SELECT id, login, partner_id FROM res_users
                WHERE login LIKE %s AND active ORDER BY login LIMIT %s""",
            [pattern, limit],
        )
        rows = env.cr.fetchall()
    if not rows:
        raise SystemExit(
            f"no {role} user ({pattern}) in {env.cr.dbname}: not a benchmark database?"
        )
    return [
        {"uid": uid, "login": login, "partner_id": partner}
        for uid, login, partner in rows
    ]


def prepare(env, users):
    counts = Counter(assign_roles(users))
    users_by_role = {
        role: _users(env, role, pattern, max(1, counts[role]))
        for role, pattern in (
            ("coordinator", "bench.coord.%"),
            ("professional", "bench.pro.%"),
            ("municipal staff", "bench.staff.%"),
            ("manager", "bench.manager.%"),
        )
    }
    password = secrets.token_urlsafe(12)
    ids = [user["uid"] for pool in users_by_role.values() for user in pool]
    env["res.users"].browse(ids).write({"password": password})
    Param = env["ir.config_parameter"]
    saved = {name: Param.get_param(PREFIX + name) for name in RUN_PARAMETERS}
    for name, value in RUN_PARAMETERS.items():
        Param.set_param(PREFIX + name, value)
    crons = env["ir.cron"].browse(
        [env.ref(f"coordination_microlocale.{name}").id for name in CRONS]
    )
    crons.write({"nextcall": dt.datetime.now() + dt.timedelta(days=1)})
    env["ir.cron.trigger"].search([("cron_id", "in", crons.ids)]).unlink()
    return {
        "db": env.cr.dbname,
        "password": password,
        "users": users_by_role,
        "saved_parameters": saved,
        "crons": crons.ids,
        "due": due(env),
        "today": str(dt.date.today()),
    }


def due(env):
    """What the crons have to do now, as the crons themselves select it."""
    today = dt.date.today()
    Project = env["coordination.individual.project"]
    expiring = Project.search(
        [("consent_state", "=", "given"), ("consent_expiry_date", "<", today)]
    )
    return {
        "expiring_projects": expiring.ids,
        "anonymise_projects": Project.with_context(active_test=False)
        ._due_for_anonymisation()
        .ids,
        "anonymise_requests": env["coordination.request"]._due_for_anonymisation().ids,
    }


def run(args, registry):
    with registry.cursor() as cr:
        from odoo import api
        from odoo.api import SUPERUSER_ID

        env = api.Environment(cr, SUPERUSER_ID, {})
        state = prepare(env, args.users)
        cr.commit()
    with open(args.state, "w", encoding="utf-8") as handle:
        json.dump(state, handle, indent=1)
    print(
        "prepared: {} users, crons {} due at the load's start; {} consents to "
        "expire, {} projects and {} requests to anonymise".format(
            sum(len(pool) for pool in state["users"].values()),
            state["crons"],
            len(state["due"]["expiring_projects"]),
            len(state["due"]["anonymise_projects"]),
            len(state["due"]["anonymise_requests"]),
        ),
        flush=True,
    )
    return 0
