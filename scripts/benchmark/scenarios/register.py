"""The ``--register`` set: the register of vulnerable people and its campaigns.

1. Imports a 5,000-line register (CSV, French headings) as a register keeper: the
   reading of the file, the preview (every line checked, duplicates looked for
   among the contacts) and the import itself, each timed with its SQL queries.
2. Creates a call campaign over those 5,000 people split among 20 agents (the
   alert's wizard, as the keeper): time and SQL queries.
3. Opens an agent's call list (250 people, the kanban's own fields) as the agent:
   time and SQL queries, median of 5 runs after a warm-up.

Everything runs in one transaction rolled back at the end.
"""

import base64
import statistics
import time
from datetime import datetime

PEOPLE = 5000
AGENTS = 20
GROUP = "coordination_microlocale.group_"
CALL_LIST_SPEC = {
    "person_name": {},
    "phone": {},
    "phone2": {},
    "street": {},
    "city": {},
    "contact_time": {},
    "emergency_contacts": {},
    "vulnerability": {},
    "attempt_count": {},
    "next_attempt_date": {},
    "visit_deadline": {},
    "state": {},
    "is_done": {},
    "agent_user_id": {"fields": {"display_name": {}}},
}


def measure(env, func):
    """(seconds, SQL queries, result) of func, the trail's INSERT included."""
    env.flush_all()
    cr = env.cr
    before = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    # the access trail is written by one INSERT before the commit: count it too
    env["coordination.access.log"]._trail_flush()
    return time.perf_counter() - start, cr.sql_log_count - before, result


def register_csv(people):
    header = (
        "Nom;Prénom;Date de naissance;Adresse;Code postal;Commune;Téléphone;"
        "Catégorie;Personne à prévenir;Tél urgence;Vit seul;Vulnérabilité"
    )
    lines = [header]
    for number in range(people):
        year = 1925 + number % 35
        lines.append(
            f"NOM{number:05d};Prénom{number % 97};{1 + number % 28:02d}/"
            f"{1 + number % 12:02d}/{year};{number % 200} rue de la Mairie;85310;"
            f"Saint-Florent-des-Bois;02 51 {number // 10000 % 100:02d} "
            f"{number // 100 % 100:02d} {number % 100:02d};65 ans et plus;"
            f"Proche {number};06 00 00 {number // 100 % 100:02d} {number % 100:02d};"
            f"{'oui' if number % 3 == 0 else 'non'};"
            f"{('normale', 'haute', 'très haute')[number % 3]}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def run(args, registry, report, started):
    from odoo import api

    report(f"# Register of vulnerable people benchmark ({datetime.now():%Y-%m-%d})")
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {"tz": "Europe/Paris", "lang": "en_US"})
        try:
            territory, keeper, agents = _people(env)
            _import(env, report, territory, keeper)
            _campaign(env, report, territory, keeper, agents)
            _call_list(env, report, agents[0])
        finally:
            cr.rollback()
    report(f"\ntotal {time.perf_counter() - started:.0f} s")


def _people(env):
    from odoo.fields import Command

    territory = env["coordination.territory"].create({"name": "Commune du banc"})
    Users = env["res.users"].with_context(no_reset_password=True)
    keeper = Users.create(
        {
            "name": "Gestionnaire banc",
            "login": "bench.register.keeper",
            "group_ids": [Command.link(env.ref(GROUP + "register_keeper").id)],
        }
    )
    agents = Users.create(
        [
            {
                "name": f"Agent banc {number:02d}",
                "login": f"bench.register.agent{number}",
                "group_ids": [Command.link(env.ref(GROUP + "register_agent").id)],
            }
            for number in range(AGENTS)
        ]
    )
    territory.register_keeper_ids = [Command.link(keeper.id)]
    # contacts that the import will find as duplicates (1 in 10)
    env["res.partner"].create(
        [{"name": f"Prénom{n % 97} NOM{n:05d}"} for n in range(0, PEOPLE, 10)]
    )
    env.flush_all()
    return territory, keeper, agents


def _import(env, report, territory, keeper):
    content = register_csv(PEOPLE)
    wizard = env(user=keeper.id)["coordination.register.import"].create(
        {
            "territory_id": territory.id,
            "file": base64.b64encode(content),
            "filename": "registre.csv",
        }
    )
    report(
        f"\n## 1. Import of a {PEOPLE:,}-line register ({len(content) / 1024:.0f} KiB)"
    )
    total = 0.0
    for label, method in (
        ("read the file and guess the columns", wizard.action_read_file),
        ("preview (checks, duplicates)", wizard.action_preview),
        ("import (contacts, entries, persons to warn)", wizard.action_import),
    ):
        elapsed, queries, _result = measure(env, method)
        total += elapsed
        report(f"- {label}: {elapsed:.2f} s, {queries:,} queries")
    report(f"- total: {total:.2f} s; {wizard.report}")
    report(
        f"- preview found {wizard.duplicate_count:,} people among the contacts, "
        f"{wizard.error_count} errors"
    )


def _campaign(env, report, territory, keeper, agents):
    from odoo.fields import Command

    keeper_env = env(user=keeper.id)
    # sudo: the alert is the benchmark's own set-up, not what is measured
    alert = (
        keeper_env["coordination.alert"]
        .sudo()
        .create(
            {
                "title": "Canicule banc d'essai",
                "alert_type": "heatwave",
                "territory_ids": [Command.set(territory.ids)],
                "message": "<p>Vigilance</p>",
                "state": "active",
            }
        )
    )
    wizard = keeper_env["coordination.register.campaign.wizard"].create(
        {
            "alert_id": alert.id,
            "territory_id": territory.id,
            "agent_ids": [Command.set(agents.ids)],
        }
    )
    elapsed, queries, action = measure(env, wizard.action_create)
    campaign = env["coordination.register.campaign"].browse(action["res_id"])
    report(
        f"\n## 2. Campaign over {len(campaign.call_ids):,} registered people among "
        f"{len(agents)} agents: {elapsed:.2f} s, {queries:,} queries"
    )


def _call_list(env, report, agent):
    Call = env(user=agent.id)["coordination.register.call"]

    def page():
        env.invalidate_all()
        return Call.web_search_read(
            [("agent_user_id", "=", agent.id), ("is_done", "=", False)],
            CALL_LIST_SPEC,
            limit=300,
        )

    measure(env, page)  # warm-up
    runs = [measure(env, page) for _run in range(5)]
    report(
        f"\n## 3. An agent's call list ({runs[0][2]['length']} people, kanban "
        f"fields): median {statistics.median(r[0] for r in runs) * 1000:.0f} ms, "
        f"{runs[-1][1]} queries"
    )
