#!/usr/bin/env python3
"""Benchmark of the register of vulnerable people and its call campaigns.

1. Imports a 5,000-line register (CSV, French headings) as a register keeper: the
   reading of the file, the preview (every line checked, duplicates looked for
   among the contacts) and the import itself, each timed with its SQL queries.
2. Creates a call campaign over those 5,000 people split among 20 agents (the
   alert's wizard, as the keeper): time and SQL queries.
3. Opens an agent's call list (250 people, the kanban's own fields) as the agent:
   time and SQL queries, median of 5 runs after a warm-up.

Everything runs in one transaction that is rolled back at the end: the database is
left as it was. It needs the module installed (demo data or not):

    python3 scripts/benchmark_register.py --db DB --addons-path PATHS
        [--people 5000] [--agents 20] [--output FILE]
"""

import argparse
import base64
import statistics
import sys
import time
from datetime import datetime


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
    elapsed = time.perf_counter() - start
    return elapsed, cr.sql_log_count - before, result


def register_csv(people):
    lines = [
        (
            "Nom;Prénom;Date de naissance;Adresse;Code postal;Commune;Téléphone;"
            "Catégorie;Personne à prévenir;Tél urgence;Vit seul;Vulnérabilité"
        )
    ]
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--agents", type=int, default=20)
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
    report = []

    def say(line):
        print(line, flush=True)
        report.append(line)

    say(f"# Register of vulnerable people benchmark ({datetime.now():%Y-%m-%d})")
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {"tz": "Europe/Paris", "lang": "en_US"})
        try:
            group = "coordination_microlocale.group_"
            territory = env["coordination.territory"].create(
                {"name": "Commune du banc d'essai"}
            )
            Users = env["res.users"].with_context(no_reset_password=True)
            keeper = Users.create(
                {
                    "name": "Gestionnaire banc",
                    "login": "bench.register.keeper",
                    "group_ids": [Command.link(env.ref(group + "register_keeper").id)],
                }
            )
            agents = Users.create(
                [
                    {
                        "name": f"Agent banc {number:02d}",
                        "login": f"bench.register.agent{number}",
                        "group_ids": [
                            Command.link(env.ref(group + "register_agent").id)
                        ],
                    }
                    for number in range(args.agents)
                ]
            )
            territory.register_keeper_ids = [Command.link(keeper.id)]
            # contacts that the import will find as duplicates (1 in 10)
            env["res.partner"].create(
                [
                    {"name": f"Prénom{number % 97} NOM{number:05d}"}
                    for number in range(0, args.people, 10)
                ]
            )
            env.flush_all()
            keeper_env = env(user=keeper.id)

            # ---------------------------------------------------- 1. import
            content = register_csv(args.people)
            wizard = keeper_env["coordination.register.import"].create(
                {
                    "territory_id": territory.id,
                    "file": base64.b64encode(content),
                    "filename": "registre.csv",
                }
            )
            say(
                f"\n## 1. Import of a {args.people:,}-line register "
                f"({len(content) / 1024:.0f} KiB CSV)"
            )
            total = 0.0
            for label, method in (
                ("read the file and guess the columns", wizard.action_read_file),
                ("preview (checks, duplicates)", wizard.action_preview),
                ("import (contacts, entries, persons to warn)", wizard.action_import),
            ):
                elapsed, queries, _result = measure(env, method)
                total += elapsed
                say(f"- {label}: {elapsed:.2f} s, {queries:,} queries")
            say(f"- total: {total:.2f} s; {wizard.report}")
            say(
                f"- preview found {wizard.duplicate_count:,} people among the "
                f"contacts, {wizard.error_count} errors"
            )

            # ---------------------------------------------------- 2. campaign
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
            campaign_wizard = keeper_env[
                "coordination.register.campaign.wizard"
            ].create(
                {
                    "alert_id": alert.id,
                    "territory_id": territory.id,
                    "agent_ids": [Command.set(agents.ids)],
                }
            )
            elapsed, queries, action = measure(env, campaign_wizard.action_create)
            campaign = env["coordination.register.campaign"].browse(action["res_id"])
            say(
                f"\n## 2. Campaign over {len(campaign.call_ids):,} registered people "
                f"among {len(agents)} agents: {elapsed:.2f} s, {queries:,} queries"
            )

            # ---------------------------------------------------- 3. agent's list
            agent = agents[0]
            spec = {
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
            Call = env(user=agent.id)["coordination.register.call"]

            def page():
                env.invalidate_all()
                return Call.web_search_read(
                    [("agent_user_id", "=", agent.id), ("is_done", "=", False)],
                    spec,
                    limit=300,
                )

            measure(env, page)  # warm-up
            runs = [measure(env, page) for _run in range(5)]
            length = runs[0][2]["length"]
            say(
                f"\n## 3. An agent's call list ({length} people, kanban fields): "
                f"median {statistics.median(r[0] for r in runs) * 1000:.0f} ms, "
                f"{runs[-1][1]} queries"
            )
        finally:
            cr.rollback()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write("\n".join(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
