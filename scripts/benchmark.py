#!/usr/bin/env python3
"""Performance benchmark of coordination_microlocale: realistic volumes, figures.

Builds an intercommunal dataset (territories, coordinators, professionals,
directory, residents, requests, individual projects with consent and circle,
sessions on the calendar, collective projects, alerts) in an existing database
where the module is installed without demo data, then measures, per role, the
calls the web client makes (median wall time of 3 runs and SQL query counts),
the cost of the access trail, the evaluation report and the daily crons.

Run it through ``bash scripts/benchmark.sh``, which creates and drops the
database. Direct use:

    python3 scripts/benchmark.py --db DB --addons-path PATHS [--scale 1]
        [--output FILE] [--odoo-log FILE]

Nothing of the module is changed: the trail is switched off for the
"trail off" comparison by wrapping its hook in this process only.
"""

import argparse
import datetime as dt
import functools
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import traceback

SEED = 20261122
REPEAT = 3
FAST_CONTEXT = {
    "no_mail_to_attendees": True,
    "dont_notify": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "tracking_disable": True,
    "no_reset_password": True,
}
PROBLEMATIQUE = (
    "<p>Isolement, difficultés d'accès aux soins et au logement; "
    "la personne souhaite rester chez elle.</p>"
)
LEGEND = [
    "ms = median wall time of 3 runs after a cold run; min ms = fastest of the 3;",
    "queries = SQL queries of a warm run (median); cold q = queries of the first run;",
    "trail rows = coordination.access.log rows written by one call; trail q / trail ms",
    "= queries and time spent inside the trail hook; no access = AccessError.",
]
# What the web client sends with every call.
WEB_CONTEXT = {"lang": "en_US", "tz": "Europe/Paris", "bin_size": True}

COMMUNES = [
    ("Saint-Florent-des-Bois", "commune", "85310"),
    ("Aubigny-Les Clouzeaux", "commune", "85430"),
    ("Dompierre-sur-Yon", "commune", "85170"),
    ("La Ferrière", "commune", "85280"),
    ("Mouilleron-le-Captif", "commune", "85000"),
    ("Venansault", "commune", "85190"),
    ("Le Poiré-sur-Vie", "commune", "85170"),
    ("Nesmy", "commune", "85310"),
    ("Rives de l'Yon", "commune", "85310"),
    ("Quartier Jean Yole", "neighbourhood", "85000"),
    ("Quartier Vallée Verte", "neighbourhood", "85000"),
    ("Quartier Pyramides", "neighbourhood", "85000"),
]
FIRST_NAMES = [
    "Jeanne",
    "Marcel",
    "Louise",
    "André",
    "Monique",
    "Bernard",
    "Sylvie",
    "Gérard",
    "Nathalie",
    "Patrick",
    "Isabelle",
    "Michel",
    "Christine",
    "Alain",
    "Martine",
    "Philippe",
    "Sophie",
    "Jacques",
    "Catherine",
    "Daniel",
    "Léa",
    "Hugo",
    "Emma",
    "Lucas",
    "Chloé",
    "Nathan",
    "Inès",
    "Yanis",
    "Manon",
    "Karim",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "Benali",
    "Nguyen",
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", required=True, help="database with the module installed"
    )
    parser.add_argument("--addons-path", required=True, help="Odoo addons path")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="volume factor (default 1)"
    )
    parser.add_argument("--output", help="also write the results to this file")
    parser.add_argument("--odoo-log", help="Odoo log file (default: stderr)")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 20:
        parser.error("--scale must be > 0 and <= 20")
    return args


# ---------------------------------------------------------------------- output
class Out:
    """Print to stdout and keep the lines for the result file."""

    def __init__(self):
        self.lines = []

    def __call__(self, text=""):
        print(text, flush=True)
        self.lines.append(text)

    def table(self, header, rows, align=None):
        rows = [[_cell(value) for value in row] for row in rows]
        widths = [len(h) for h in header]
        for row in rows:
            for index, value in enumerate(row):
                widths[index] = max(widths[index], len(value))
        align = align or ["<"] + [">"] * (len(header) - 1)

        def fmt(row):
            return "  ".join(
                f"{value:{align[i]}{widths[i]}}" for i, value in enumerate(row)
            ).rstrip()

        self(fmt(header))
        self("  ".join("-" * w for w in widths))
        for row in rows:
            self(fmt(row))

    def write(self, path):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(self.lines) + "\n")


def _cell(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value)


out = Out()


# ---------------------------------------------------------------------- helpers
def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def scaled(base, scale, minimum):
    return max(minimum, round(base * scale))


def volumes_for(scale):
    vol = {
        "territories": scaled(12, scale, 2),
        "professional_users": scaled(150, scale, 12),
        "staff": 3,
        "managers": 1,
        "structures": scaled(100, scale, 10),
        "directory_professionals": scaled(300, scale, 30),
        "residents": scaled(6000, scale, 60),
        "requests": scaled(8000, scale, 80),
        "projects": scaled(3000, scale, 30),
        "collective_sessions": scaled(2000, scale, 20),
        "individual_sessions": scaled(3000, scale, 30),
        "collective_projects": scaled(50, scale, 3),
        "alerts": scaled(200, scale, 5),
    }
    vol["territories"] = min(vol["territories"], 60)
    vol["projects"] = min(vol["projects"], vol["residents"])
    return vol


class Timer:
    def __init__(self):
        self.phases = []

    def phase(self, name, func):
        out(f"  build: {name} ...")
        start = time.perf_counter()
        detail = func()
        seconds = time.perf_counter() - start
        self.phases.append((name, seconds, detail))
        out(f"  build: {name}: {seconds:.1f} s{f' ({detail})' if detail else ''}")
        return detail


# ====================================================================== build
class Builder:
    def __init__(self, env, scale):
        from odoo import fields
        from odoo.fields import Command

        self.fields = fields
        self.Command = Command
        self.env = env(context=dict(env.context, **FAST_CONTEXT))
        self.cr = env.cr
        self.scale = scale
        self.vol = volumes_for(scale)
        self.rng = random.Random(SEED)
        self.today = dt.date.today()
        self.now = fields.Datetime.now()
        self.ref = lambda xmlid: self.env.ref(f"coordination_microlocale.{xmlid}")

    # -- small helpers
    def commit(self):
        self.env.flush_all()
        self.cr.commit()
        self.env.invalidate_all()

    def person_name(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def rpps(self, seed):
        from odoo.addons.coordination_microlocale.models.directory.identifiers import (
            luhn_check_digit,
        )

        base = f"10{seed:08d}"
        return base + luhn_check_digit(base)

    def finess(self, seed):
        from odoo.addons.coordination_microlocale.models.directory.identifiers import (
            luhn_check_digit,
        )

        base = f"85{seed:06d}"
        return base + luhn_check_digit(base)

    def rand_date(self, start, end):
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def rand_datetime(self, start_date, end_date, hours=(8, 18)):
        day = self.rand_date(start_date, end_date)
        return dt.datetime.combine(
            day, dt.time(self.rng.randint(*hours), self.rng.choice((0, 15, 30, 45)))
        )

    # -- phases
    def territories_and_users(self):
        Command = self.Command
        Territory = self.env["coordination.territory"]
        parent = Territory.create(
            {
                "name": "CC Pays de l'Yon (bench)",
                "kind": "intercommunality",
                "population": 98000,
            }
        )
        names = list(COMMUNES)
        while len(names) < self.vol["territories"]:
            names.append((f"Commune {len(names) + 1}", "commune", "85000"))
        names = names[: self.vol["territories"]]
        self.territories = Territory.create(
            [
                {
                    "name": name,
                    "kind": kind,
                    "parent_id": parent.id,
                    "insee_code": f"85{index:03d}",
                    "population": self.rng.randint(1500, 25000),
                    "is_priority_neighbourhood": kind == "neighbourhood",
                }
                for index, (name, kind, _zip) in enumerate(names)
            ]
        )
        self.zips = {t.id: names[i][2] for i, t in enumerate(self.territories)}
        Users = self.env["res.users"]
        group = "coordination_microlocale.group_"
        coordinator_group = self.env.ref(group + "coordinator")
        self.coordinators = Users.create(
            [
                {
                    "name": f"Coordinatrice {territory.name}",
                    "login": f"bench.coord.{index:02d}",
                    "email": f"bench.coord.{index:02d}@example.org",
                    "tz": "Europe/Paris",
                    "notification_type": "inbox",
                    "group_ids": [Command.set(coordinator_group.ids)],
                    "coordination_territory_ids": [Command.set(territory.ids)],
                }
                for index, territory in enumerate(self.territories)
            ]
        )
        self.coordinator_of = {
            territory.id: user
            for territory, user in zip(self.territories, self.coordinators, strict=True)
        }
        staff_group = self.env.ref(group + "municipal_staff")
        self.staff = Users.create(
            [
                {
                    "name": f"Agent mairie {index + 1}",
                    "login": f"bench.staff.{index}",
                    "email": f"bench.staff.{index}@example.org",
                    "notification_type": "inbox",
                    "group_ids": [Command.set(staff_group.ids)],
                }
                for index in range(self.vol["staff"])
            ]
        )
        manager_group = self.env.ref(group + "manager")
        self.managers = Users.create(
            [
                {
                    "name": f"Responsable {index + 1}",
                    "login": f"bench.manager.{index}",
                    "email": f"bench.manager.{index}@example.org",
                    "notification_type": "inbox",
                    "group_ids": [Command.set(manager_group.ids)],
                }
                for index in range(self.vol["managers"])
            ]
        )
        # Professional users: their partner is a professional of the directory.
        professions = self.env["coordination.profession"].search(
            [("identifier_kind", "=", "rpps")]
        )
        self.professions = professions
        self.rpps_seed = 0
        pro_partners = []
        for index in range(self.vol["professional_users"]):
            self.rpps_seed += 1
            served = self._served_territories()
            pro_partners.append(
                {
                    "name": f"Dr {self.person_name()} {index}",
                    "email": f"bench.pro.{index:03d}@example.org",
                    "coordination_role": "professional",
                    "coordination_profession_id": self.rng.choice(professions).id,
                    "coordination_rpps": self.rpps(self.rpps_seed),
                    "coordination_territory_ids": [Command.set(served)],
                    "city": self.territories.browse(served[0]).name,
                }
            )
        partners = self.env["res.partner"].create(pro_partners)
        pro_group = self.env.ref(group + "professional")
        self.professionals = Users.create(
            [
                {
                    "partner_id": partner.id,
                    "login": f"bench.pro.{index:03d}",
                    "notification_type": "inbox",
                    "group_ids": [Command.set(pro_group.ids)],
                }
                for index, partner in enumerate(partners)
            ]
        )
        users = (
            len(self.coordinators)
            + len(self.staff)
            + len(self.managers)
            + len(self.professionals)
        )
        return (
            f"{len(self.territories)} territories + 1 intercommunality, {users} users"
        )

    def _territory_name(self, territory_ids):
        return self.territories.browse(territory_ids[0]).name

    def _served_territories(self):
        first = self.rng.choice(self.territories.ids)
        if self.rng.random() < 0.3:
            second = self.rng.choice(self.territories.ids)
            return sorted({first, second})
        return [first]

    def directory(self):
        Command = self.Command
        Partner = self.env["res.partner"]
        structure_types = self.env["coordination.structure.type"].search([])
        structures = []
        for index in range(self.vol["structures"]):
            served = self._served_territories()
            stype = self.rng.choice(structure_types)
            structures.append(
                {
                    "name": f"{stype.code} {self._territory_name(served)} {index}",
                    "is_company": True,
                    "coordination_role": "structure",
                    "coordination_structure_type_id": stype.id,
                    "coordination_level": self.rng.choice(
                        ("local", "territorial", "regional")
                    ),
                    "coordination_finess": self.finess(index + 1)
                    if self.rng.random() < 0.6
                    else False,
                    "coordination_territory_ids": [Command.set(served)],
                    "coordination_services": "Accueil, orientation, accompagnement.",
                    "city": self.territories.browse(served[0]).name,
                    "phone": f"02 51 {index % 100:02d} {index % 97:02d} 00",
                }
            )
        self.structures = Partner.create(structures)
        professionals = []
        for index in range(self.vol["directory_professionals"]):
            self.rpps_seed += 1
            served = self._served_territories()
            in_structure = self.structures.filtered(
                lambda s, t=served[0]: t in s.coordination_territory_ids.ids
            )
            professionals.append(
                {
                    "name": f"{self.person_name()} (pro {index})",
                    "coordination_role": "professional",
                    "coordination_profession_id": self.rng.choice(self.professions).id,
                    "coordination_rpps": self.rpps(self.rpps_seed),
                    "coordination_territory_ids": [Command.set(served)],
                    "parent_id": in_structure[:1].id
                    if in_structure and self.rng.random() < 0.5
                    else False,
                    "city": self.territories.browse(served[0]).name,
                }
            )
        self.directory_professionals = Partner.create(professionals)
        # The professionals a circle draws from, per territory.
        self.pool = {t: [] for t in self.territories.ids}
        self.structure_pool = {t: [] for t in self.territories.ids}
        for partner in self.professionals.partner_id | self.directory_professionals:
            for territory_id in partner.coordination_territory_ids.ids:
                self.pool[territory_id].append(partner.id)
        for partner in self.structures:
            for territory_id in partner.coordination_territory_ids.ids:
                self.structure_pool[territory_id].append(partner.id)
        for territory_id in self.territories.ids:  # never an empty pool
            if len(self.pool[territory_id]) < 6:
                self.pool[territory_id] += self.rng.sample(
                    self.directory_professionals.ids, 6
                )
            if not self.structure_pool[territory_id]:
                self.structure_pool[territory_id].append(self.structures[:1].id)
        return (
            f"{len(self.structures)} structures, "
            f"{len(self.directory_professionals)} professionals"
        )

    def residents(self):
        values = []
        self.resident_territory = {}
        for index in range(self.vol["residents"]):
            territory = self.territories[index % len(self.territories)]
            values.append(
                {
                    "name": self.person_name(),
                    "street": f"{self.rng.randint(1, 120)} rue des Lilas",
                    "zip": self.zips[territory.id],
                    "city": territory.name,
                    "phone": f"06 {self.rng.randint(10, 99)} {index % 100:02d} 00 00",
                }
            )
        residents = self.env["res.partner"]
        for batch in chunks(values, 2000):
            residents |= self.env["res.partner"].create(batch)
        self.residents_by_territory = {t: [] for t in self.territories.ids}
        for index, partner in enumerate(residents):
            territory_id = self.territories[index % len(self.territories)].id
            self.residents_by_territory[territory_id].append(partner.id)
        self.resident_ids = residents.ids
        return f"{len(residents)} residents"

    def projects(self):
        Project = self.env["coordination.individual.project"]
        count = self.vol["projects"]
        three_years = self.today - dt.timedelta(days=3 * 365)
        values = []
        self.project_meta = []
        person_cursor = {t: 0 for t in self.territories.ids}
        for index in range(count):
            territory_id = self.territories[index % len(self.territories)].id
            people = self.residents_by_territory[territory_id]
            person_id = people[person_cursor[territory_id] % len(people)]
            person_cursor[territory_id] += 1
            date_start = self.rand_date(three_years, self.today)
            age = (self.today - date_start).days
            # Old projects are mostly closed; recent ones still open.
            closed = age > 120 and self.rng.random() < min(0.85, age / 900)
            state = (
                "closed"
                if closed
                else self.rng.choices(
                    ("intake", "analysis", "in_progress", "follow_up"), (10, 15, 45, 30)
                )[0]
            )
            review = None
            date_closed = None
            if closed:
                span = age - 1
                date_closed = date_start + dt.timedelta(
                    days=self.rng.randint(min(60, span), min(span, 400))
                )
            else:
                review = max(
                    date_start,
                    self.today + dt.timedelta(days=self.rng.randint(-45, 120)),
                )
            values.append(
                {
                    "person_id": person_id,
                    "territory_id": territory_id,
                    "coordinator_id": self.coordinator_of[territory_id].id,
                    "referent_partner_id": self.rng.choice(self.pool[territory_id]),
                    "date_start": date_start,
                    "review_date": review,
                    "problematique": PROBLEMATIQUE,
                    "state": "in_progress" if closed else state,
                }
            )
            self.project_meta.append(
                {"closed": closed, "date_start": date_start, "date_closed": date_closed}
            )
        projects = Project
        for batch in chunks(values, 500):
            projects |= Project.create(batch)
            self.env.flush_all()
        self.project_ids = projects.ids
        for meta, project in zip(self.project_meta, projects, strict=True):
            meta["id"] = project.id
            meta["territory_id"] = project.territory_id.id
            meta["person_id"] = project.person_id.id
            meta["coordinator_partner_id"] = project.coordinator_id.partner_id.id
        return f"{len(projects)} projects"

    def consents(self):
        Project = self.env["coordination.individual.project"]
        by_date = {}
        requested = []
        given = 0
        for meta in self.project_meta:
            roll = self.rng.random()
            if roll < 0.87:
                # Open projects: consent given (or renewed) within the last 13 months.
                # Closed projects: given while the project was open, never withdrawn.
                if meta["closed"]:
                    lower, upper = meta["date_start"], meta["date_closed"]
                else:
                    lower = max(meta["date_start"], self.today - dt.timedelta(days=390))
                    upper = self.today
                # Batched per week: the first Monday from `lower`, plus whole weeks.
                monday = lower + dt.timedelta(days=(7 - lower.weekday()) % 7)
                weeks = max((upper - monday).days // 7, 0)
                consent_date = monday + dt.timedelta(weeks=self.rng.randint(0, weeks))
                consent_date = min(consent_date, upper)
                by_date.setdefault(consent_date, []).append(meta["id"])
                meta["consent"] = "given"
                given += 1
            elif roll < 0.95:
                requested.append(meta["id"])
                meta["consent"] = "requested"
            else:
                meta["consent"] = "none"
        for consent_date, ids in sorted(by_date.items()):
            Project.browse(ids)._set_consent("given", date=consent_date, means="oral")
        self.env.flush_all()
        if requested:
            Project.browse(requested)._set_consent("requested")
        none = len(self.project_meta) - given - len(requested)
        return (
            f"{given} given, {len(requested)} requested, {none} none; "
            f"{len(by_date)} batches"
        )

    def circles(self):
        Member = self.env["coordination.circle.member"]
        values = []
        self.members_of = {}
        for meta in self.project_meta:
            if meta["consent"] != "given":
                self.members_of[meta["id"]] = []
                continue
            pool = [
                p for p in self.pool[meta["territory_id"]] if p != meta["person_id"]
            ]
            chosen = self.rng.sample(pool, min(4, len(pool)))
            self.members_of[meta["id"]] = []
            for partner_id in chosen:
                active = self.rng.random() > 0.05
                values.append(
                    {
                        "project_id": meta["id"],
                        "partner_id": partner_id,
                        "role": "professional",
                        "role_detail": "Suivi",
                        "is_active": active,
                        "date_left": None if active else self.today,
                    }
                )
                if active:
                    self.members_of[meta["id"]].append(partner_id)
            if self.rng.random() < 0.3:
                structure = self.rng.choice(self.structure_pool[meta["territory_id"]])
                values.append(
                    {
                        "project_id": meta["id"],
                        "partner_id": structure,
                        "role": "structure",
                    }
                )
                self.members_of[meta["id"]].append(structure)
        for batch in chunks(values, 2000):
            Member.create(batch)
            self.env.flush_all()
        return (
            f"{len(values)} professional/structure members "
            "(+ person and coordinator of each project)"
        )

    def needs_goals_actions(self):
        determinants = self.env["coordination.determinant"].search([]).ids
        needs, goals, actions = [], [], []
        for meta in self.project_meta:
            project_id = meta["id"]
            for determinant_id in self.rng.sample(determinants, 3):
                needs.append(
                    {
                        "project_id": project_id,
                        "determinant_id": determinant_id,
                        "description": "Besoin exprimé par la personne.",
                        "is_met": self.rng.random() < 0.4,
                    }
                )
            goals += [
                {
                    "project_id": project_id,
                    "name": "Rester à domicile dans de bonnes conditions",
                },
                {
                    "project_id": project_id,
                    "name": "Reprendre contact avec un médecin traitant",
                },
            ]
            responsibles = self.members_of.get(project_id) or [meta["person_id"]]
            for index in range(4):
                if meta["closed"]:
                    state = self.rng.choice(("done", "done", "cancelled"))
                else:
                    state = self.rng.choices(
                        ("todo", "in_progress", "done", "cancelled"), (40, 20, 35, 5)
                    )[0]
                due = meta["date_start"] + dt.timedelta(
                    days=30 * (index + 1) + self.rng.randint(0, 20)
                )
                if not meta["closed"] and state in ("todo", "in_progress"):
                    due = self.today + dt.timedelta(days=self.rng.randint(-40, 90))
                actions.append(
                    {
                        "project_id": project_id,
                        "name": f"Action {index + 1}",
                        "responsible_partner_id": self.rng.choice(responsibles),
                        "date_due": due,
                        "state": state,
                    }
                )
        for model, values in (
            ("coordination.project.need", needs),
            ("coordination.project.goal", goals),
            ("coordination.project.action", actions),
        ):
            for batch in chunks(values, 4000):
                self.env[model].create(batch)
                self.env.flush_all()
        return f"{len(needs)} needs, {len(goals)} goals, {len(actions)} actions"

    def requests(self):
        Request = self.env["coordination.request"]
        determinants = self.env["coordination.determinant"].search([]).ids
        projects_by_person = {meta["person_id"]: meta for meta in self.project_meta}
        pro_user_partners = {t: [] for t in self.territories.ids}
        for partner in self.professionals.partner_id:
            for territory_id in partner.coordination_territory_ids.ids:
                pro_user_partners[territory_id].append(partner.id)
        three_years = self.now - dt.timedelta(days=3 * 365)
        values = []
        for index in range(self.vol["requests"]):
            territory_id = self.territories[index % len(self.territories)].id
            received = three_years + dt.timedelta(
                seconds=self.rng.randint(
                    0, int((self.now - three_years).total_seconds()) - 3600
                )
            )
            person_id = self.rng.choice(self.residents_by_territory[territory_id])
            requester_type = self.rng.choices(
                (
                    "resident",
                    "relative",
                    "professional",
                    "partner",
                    "elected",
                    "outreach",
                ),
                (35, 20, 25, 10, 3, 7),
            )[0]
            requester = False
            if requester_type == "resident":
                requester = person_id
            elif requester_type == "relative":
                requester = self.rng.choice(self.resident_ids)
            elif requester_type == "professional":
                candidates = pro_user_partners[territory_id] or self.pool[territory_id]
                requester = self.rng.choice(candidates)
            elif requester_type == "partner":
                requester = self.rng.choice(self.structure_pool[territory_id])
            age_days = (self.now - received).days
            if age_days < 30:
                state = self.rng.choices(
                    ("new", "triage", "oriented", "closed"), (35, 30, 15, 20)
                )[0]
            else:
                state = self.rng.choices(
                    ("oriented", "project", "closed"), (20, 15, 65)
                )[0]
            project = projects_by_person.get(person_id)
            if state == "project" and not project:
                state = "oriented"
            vals = {
                "territory_id": territory_id,
                "coordinator_id": self.coordinator_of[territory_id].id,
                "date_received": received,
                "requester_type": requester_type,
                "requester_partner_id": requester,
                "person_id": person_id,
                "channel": self.rng.choice(
                    ("office", "phone", "email", "home_visit", "referral")
                ),
                "priority": self.rng.choices(("0", "1", "2"), (80, 15, 5))[0],
                "theme_ids": [
                    self.Command.set(
                        self.rng.sample(determinants, self.rng.randint(1, 2))
                    )
                ],
                "description": "Demande reçue à l'accueil du pôle santé.",
                "state": state,
            }
            if state != "new":
                contact = received + dt.timedelta(hours=self.rng.randint(1, 240))
                vals["first_contact_date"] = min(contact, self.now)
            if state == "oriented":
                vals["outcome"] = "oriented"
                vals["orientation_partner_ids"] = [
                    self.Command.set([self.rng.choice(self.pool[territory_id])])
                ]
            elif state == "project":
                vals["outcome"] = "project"
                vals["project_id"] = project["id"]
            elif state == "closed":
                vals["outcome"] = self.rng.choice(
                    ("information", "no_follow_up", "declined", "out_of_scope")
                )
                vals["date_closed"] = min(
                    received + dt.timedelta(days=self.rng.randint(1, 60)), self.now
                )
            values.append(vals)
        requests = Request
        for batch in chunks(values, 1000):
            requests |= Request.create(batch)
            self.env.flush_all()
        self.open_requests = [
            (request_id, vals["coordinator_id"])
            for request_id, vals in zip(requests.ids, values, strict=True)
            if vals["state"] in ("new", "triage", "oriented")
        ]
        return f"{len(requests)} requests"

    def activities(self):
        """To-dos on some open files, as the coordinators leave them."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        IrModel = self.env["ir.model"]
        values = []
        for model, files in (
            (
                "coordination.individual.project",
                [
                    (m["id"], self.coordinator_of[m["territory_id"]].id)
                    for m in self.project_meta
                    if not m["closed"]
                ],
            ),
            ("coordination.request", self.open_requests),
        ):
            model_id = IrModel._get_id(model)
            for res_id, user_id in files:
                if self.rng.random() < 0.2:
                    values.append(
                        {
                            "res_model_id": model_id,
                            "res_id": res_id,
                            "activity_type_id": todo.id,
                            "user_id": user_id,
                            "summary": "Rappeler la personne",
                            "date_deadline": self.today
                            + dt.timedelta(days=self.rng.randint(-20, 30)),
                        }
                    )
        Activity = self.env["mail.activity"].with_context(
            mail_activity_quick_update=True
        )
        for batch in chunks(values, 2000):
            Activity.create(batch)
        return f"{len(values)} to-dos on 20% of the open projects and requests"

    def close_projects(self):
        Project = self.env["coordination.individual.project"]
        closed = [meta for meta in self.project_meta if meta["closed"]]
        reasons = (
            "goals_reached",
            "person_choice",
            "handed_over",
            "moved",
            "no_contact",
        )
        for meta in closed:
            date_closed = meta["date_closed"]
            Project.browse(meta["id"]).write(
                {
                    "state": "closed",
                    "closing_reason": self.rng.choice(reasons),
                    "date_closed": date_closed,
                    "review_date": False,
                }
            )
        self.env.flush_all()
        return f"{len(closed)} projects closed"

    def collective(self):
        Command = self.Command
        CollectiveProject = self.env["coordination.collective.project"]
        themes = self.env["coordination.priority.theme"].search([]).ids
        states = (
            "idea",
            "drafting",
            "validated",
            "in_progress",
            "evaluated",
            "abandoned",
        )
        values = []
        for index in range(self.vol["collective_projects"]):
            territory_id = self.territories[index % len(self.territories)].id
            start = self.rand_date(self.today - dt.timedelta(days=900), self.today)
            values.append(
                {
                    "name": f"Fiche action {index + 1}: prévention des chutes",
                    "axis": f"Axe {index % 4 + 1}",
                    "sheet_number": f"{index % 4 + 1}.{index // 4 + 1}",
                    "state": self.rng.choices(states, (5, 10, 15, 45, 20, 5))[0],
                    "territory_id": territory_id,
                    "coordinator_id": self.coordinator_of[territory_id].id,
                    "theme_ids": [
                        Command.set(self.rng.sample(themes, min(2, len(themes))))
                    ],
                    "carrier_ids": [
                        Command.set(
                            self.rng.sample(self.structure_pool[territory_id], 1)
                        )
                    ],
                    "actor_ids": [
                        Command.set(
                            self.rng.sample(
                                self.pool[territory_id],
                                min(4, len(self.pool[territory_id])),
                            )
                        )
                    ],
                    "general_objectives": "<p>Réduire les chutes des aînés.</p>",
                    "cls_year": start.year,
                    "date_start": start,
                    "date_end": start + dt.timedelta(days=365),
                    "indicator_ids": [
                        Command.create(
                            {
                                "name": "Réunions tenues",
                                "computation": "meetings_held",
                                "target": 6,
                            }
                        ),
                        Command.create(
                            {
                                "name": "Partenaires invités",
                                "computation": "partners_invited",
                                "target": 20,
                            }
                        ),
                        Command.create(
                            {
                                "name": "Satisfaction",
                                "computation": "manual",
                                "manual_value": 8,
                                "target": 8,
                            }
                        ),
                    ],
                    "collective_action_ids": [
                        Command.create(
                            {
                                "name": f"Atelier {step + 1}",
                                "date_planned": start + dt.timedelta(days=40 * step),
                                "state": "done"
                                if start + dt.timedelta(days=40 * step) < self.today
                                else "planned",
                                "participant_count": self.rng.randint(5, 25),
                            }
                        )
                        for step in range(5)
                    ],
                    "funding_line_ids": [
                        Command.create(
                            {
                                "funder_id": self.rng.choice(
                                    self.structure_pool[territory_id]
                                ),
                                "name": "Subvention",
                                "amount": self.rng.randint(1000, 20000),
                                "status": self.rng.choice(("existing", "to_develop")),
                            }
                        )
                    ],
                }
            )
        self.collective_projects = CollectiveProject.create(values)
        self.collective_by_territory = {t: [] for t in self.territories.ids}
        for project in self.collective_projects:
            self.collective_by_territory[project.territory_id.id].append(project.id)
        return (
            f"{len(self.collective_projects)} collective projects "
            "(3 indicators, 5 actions, 1 funding line each)"
        )

    def sessions(self):
        Event = self.env["calendar.event"]
        concertation = self.ref("session_type_concertation")
        collective_types = self.env["coordination.session.type"].search(
            [("is_individual", "=", False)]
        )
        values = []
        # Collective sessions: the last two years and the next two months.
        for _index in range(self.vol["collective_sessions"]):
            territory_id = self.rng.choice(self.territories.ids)
            start = self.rand_datetime(
                self.today - dt.timedelta(days=730), self.today + dt.timedelta(days=60)
            )
            pool = self.pool[territory_id] + self.structure_pool[territory_id]
            partners = self.rng.sample(pool, min(len(pool), self.rng.randint(3, 8)))
            coordinator = self.coordinator_of[territory_id]
            collective = self.collective_by_territory.get(territory_id) or []
            values.append(
                {
                    "name": "Groupe de travail",
                    "start": start,
                    "stop": start + dt.timedelta(hours=2),
                    "user_id": coordinator.id,
                    "partner_ids": [
                        self.Command.set([*partners, coordinator.partner_id.id])
                    ],
                    "coordination_session_type_id": self.rng.choice(
                        collective_types
                    ).id,
                    "coordination_territory_id": territory_id,
                    "coordination_collective_project_id": (
                        self.rng.choice(collective)
                        if collective and self.rng.random() < 0.6
                        else False
                    ),
                    "location": "Pôle santé",
                }
            )
        # Sessions about a person: concertations of the circle, private.
        candidates = [
            m for m in self.project_meta if m["consent"] == "given"
        ] or self.project_meta
        for _index in range(self.vol["individual_sessions"]):
            meta = self.rng.choice(candidates)
            end = meta.get("date_closed") or (self.today + dt.timedelta(days=45))
            start = self.rand_datetime(meta["date_start"], max(end, meta["date_start"]))
            partners = {
                meta["person_id"],
                meta["coordinator_partner_id"],
                *self.members_of.get(meta["id"], []),
            }
            values.append(
                {
                    "name": "Concertation",
                    "start": start,
                    "stop": start + dt.timedelta(hours=1),
                    "user_id": self.coordinator_of[meta["territory_id"]].id,
                    "partner_ids": [self.Command.set(sorted(partners))],
                    "coordination_session_type_id": concertation.id,
                    "coordination_project_id": meta["id"],
                }
            )
        events = Event
        for batch in chunks(values, 500):
            events |= Event.create(batch)
            self.env.flush_all()
        # Attendance of the past sessions, in three batched writes.
        past = events.filtered(lambda e: e.start < self.now)
        attendees = past.attendee_ids
        groups = {"present": [], "excused": [], "absent": []}
        for attendee in attendees:
            groups[
                self.rng.choices(("present", "excused", "absent"), (75, 15, 10))[0]
            ].append(attendee.id)
        for value, ids in groups.items():
            for batch in chunks(ids, 5000):
                self.env["calendar.attendee"].browse(batch).write(
                    {"coordination_attendance": value}
                )
        self.env.flush_all()
        return (
            f"{self.vol['collective_sessions']} collective + "
            f"{self.vol['individual_sessions']} individual sessions, "
            f"{len(attendees)} attendances recorded"
        )

    def alerts(self):
        Command = self.Command
        Alert = self.env["coordination.alert"]
        staff_partners = self.staff.partner_id.ids
        values = []
        for index in range(self.vol["alerts"]):
            territories = self.rng.sample(
                self.territories.ids, min(len(self.territories), self.rng.randint(1, 3))
            )
            start = self.rand_date(self.today - dt.timedelta(days=1000), self.today)
            state = self.rng.choices(("draft", "active", "closed"), (10, 15, 75))[0]
            vals = {
                "title": f"Alerte {index + 1}: canicule",
                "alert_type": self.rng.choice(
                    ("epidemiological", "psychosocial", "environmental", "exceptional")
                ),
                "severity": self.rng.choice(("info", "vigilance", "alert")),
                "territory_ids": [Command.set(territories)],
                "date_start": start,
                "date_end": start + dt.timedelta(days=self.rng.randint(3, 30)),
                "message": "<p>Fortes chaleurs: pensez aux personnes isolées.</p>",
                "state": state,
            }
            if state != "draft":
                audience = set(staff_partners)
                for territory_id in territories:
                    audience.update(self.pool[territory_id])
                vals["date_published"] = dt.datetime.combine(start, dt.time(9))
                vals["published_partner_ids"] = [Command.set(sorted(audience))]
            values.append(vals)
        Alert.create(values)
        return f"{len(values)} alerts"


# ====================================================================== measure
class _Rollback(Exception):
    pass


class Bench:
    def __init__(self, env, registry):
        self.env = env
        self.cr = env.cr
        self.registry = registry
        self.trail = {"enabled": True, "queries": 0, "seconds": 0.0, "depth": 0}
        self._patch_trail()

    # -- the access trail, instrumented in this process only
    def _patch_trail(self):
        self.patched = []
        for name in self.registry:
            cls = self.registry[name]
            if name == "coordination.access.trail.mixin" or not hasattr(
                cls, "_coordination_trail"
            ):
                continue
            original = cls._coordination_trail
            trail = self.trail

            def wrapped(record_self, operation, _original=original, _trail=trail):
                if not _trail["enabled"]:
                    return None
                if _trail["depth"]:
                    return _original(record_self, operation)
                _trail["depth"] += 1
                cr = record_self.env.cr
                q0, t0 = cr.sql_log_count, time.perf_counter()
                try:
                    return _original(record_self, operation)
                finally:
                    _trail["queries"] += cr.sql_log_count - q0
                    _trail["seconds"] += time.perf_counter() - t0
                    _trail["depth"] -= 1

            cls._coordination_trail = wrapped
            self.patched.append(name)

    def log_rows(self):
        self.cr.flush()  # the traces buffered by the transaction, if any
        self.cr.execute("SELECT count(*) FROM coordination_access_log")
        return self.cr.fetchone()[0]

    def run(self, func, repeat=REPEAT, trail=True, warmup=True):
        """Median wall time and query count of ``func`` (plus a cold first run)."""
        from odoo.exceptions import AccessError

        self.trail["enabled"] = trail
        runs = []
        try:
            for _index in range(repeat + (1 if warmup else 0)):
                self.env.invalidate_all()
                rows_before = self.log_rows()
                self.trail["queries"], self.trail["seconds"] = 0, 0.0
                q0, t0 = self.cr.sql_log_count, time.perf_counter()
                try:
                    result = func()
                    self.env.flush_all()
                    # the trail's INSERT runs as the transaction flushes (precommit)
                    q1, t1 = self.cr.sql_log_count, time.perf_counter()
                    self.cr.flush()
                    self.trail["queries"] += self.cr.sql_log_count - q1
                    self.trail["seconds"] += time.perf_counter() - t1
                except AccessError:
                    self.env.invalidate_all()
                    return {"denied": True}
                seconds = time.perf_counter() - t0
                queries = self.cr.sql_log_count - q0
                runs.append(
                    {
                        "ms": seconds * 1000,
                        "queries": queries,
                        "trail_rows": self.log_rows() - rows_before,
                        "trail_queries": self.trail["queries"],
                        "trail_ms": self.trail["seconds"] * 1000,
                        "result": result,
                    }
                )
        finally:
            self.trail["enabled"] = True
        cold = runs[0] if warmup else None
        timed = runs[1:] if warmup else runs
        return {
            "denied": False,
            "ms": statistics.median(r["ms"] for r in timed),
            "ms_min": min(r["ms"] for r in timed),
            "queries": int(statistics.median(r["queries"] for r in timed)),
            "queries_all": [r["queries"] for r in timed],
            "cold_queries": cold["queries"] if cold else None,
            "cold_ms": cold["ms"] if cold else None,
            "trail_rows": int(statistics.median(r["trail_rows"] for r in timed)),
            "trail_queries": int(statistics.median(r["trail_queries"] for r in timed)),
            "trail_ms": statistics.median(r["trail_ms"] for r in timed),
            "result": timed[-1]["result"],
        }

    def in_rollback(self, func):
        """Run ``func`` in a savepoint that is rolled back; return its result."""
        holder = {}
        try:
            with self.cr.savepoint():
                holder["result"] = func()
                raise _Rollback
        except _Rollback:
            pass
        self.env.invalidate_all()
        return holder.get("result")


M2O_SPEC = {"fields": {"display_name": {}}}
# mail's list_activity widget reads these fields too (its fieldDependencies).
ACTIVITY_WIDGET_FIELDS = {
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
    "activity_state": {},
    "activity_summary": {},
    "activity_type_icon": {},
    "activity_type_id": M2O_SPEC,
}


def _get_view(model_env, view_xmlid, view_type):
    """(arch element, fields info) of a view, as get_views gives it to the user."""
    from lxml import etree

    from odoo.exceptions import AccessError

    view = model_env.env.ref(view_xmlid)
    try:
        result = model_env.get_views([(view.id, view_type)])
    except AccessError:  # the user may not read the model: the superuser's view
        result = model_env.sudo().get_views([(view.id, view_type)])
    arch = etree.fromstring(result["views"][view_type]["arch"])
    info = result["models"][model_env._name]
    return arch, info.get("fields", info)


def list_spec(model_env, view_xmlid):
    """The web_search_read specification the web client sends for a list view.

    Columns shown by default (not optional="hide"); many2one and many2many_tags
    read the display name; list_activity adds the fields it depends on.
    """
    arch, fields_info = _get_view(model_env, view_xmlid, "list")
    spec = {}
    for node in arch:
        if node.tag != "field" or node.get("optional") == "hide":
            continue
        name = node.get("name")
        ftype = fields_info.get(name, {}).get("type")
        widget = node.get("widget")
        if ftype == "many2one":
            spec[name] = M2O_SPEC
        elif widget == "list_activity":
            spec[name] = {}
            spec.update(ACTIVITY_WIDGET_FIELDS)
        elif widget == "many2many_tags":
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def calendar_fields(model_env, view_xmlid):
    """The fields the calendar view reads (search_read), from its arch."""
    arch, _fields_info = _get_view(model_env, view_xmlid, "calendar")
    names = ["display_name"]
    for attribute in ("date_start", "date_stop", "date_delay", "all_day", "color"):
        if arch.get(attribute):
            names.append(arch.get(attribute))
    names += [node.get("name") for node in arch.iter("field")]
    return list(dict.fromkeys(names))


def readable_spec(model_env, spec):
    """Drop from a web_read specification what the user may not read or is gone."""
    readable = model_env.fields_get(attributes=["type"])
    result = {}
    for name, sub in spec.items():
        if name not in readable:
            continue
        field = model_env._fields[name]
        if sub.get("fields") and field.type in ("one2many", "many2many"):
            comodel = model_env.env[field.comodel_name]
            sub = dict(sub, fields=readable_spec(comodel, sub["fields"]))
        result[name] = sub
    return result


def project_form_spec(coordinator):
    m2o = {"fields": {"display_name": {}}}
    spec = {
        "state": {},
        "display_name": {},
        "name": {},
        "person_id": m2o,
        "territory_id": m2o,
        "coordinator_id": m2o,
        "referent_partner_id": m2o,
        "date_start": {},
        "review_date": {},
        "date_closed": {},
        "closing_reason": {},
        "closing_note": {},
        "problematique": {},
        "request_count": {},
        "session_count": {},
        "consent_state": {},
        "consent_date": {},
        "consent_form": {},
        "consent_expiry_date": {},
        "consent_informed_by_id": m2o,
        "consent_withdrawal_date": {},
        "consent_information_pending": {},
        "consent_scope": {},
        "need_ids": {
            "fields": {
                "sequence": {},
                "determinant_id": m2o,
                "description": {},
                "is_met": {},
            },
            "limit": 40,
        },
        "goal_ids": {"fields": {"sequence": {}, "name": {}, "state": {}}, "limit": 40},
        "action_ids": {
            "fields": {
                "name": {},
                "responsible_partner_id": m2o,
                "date_due": {},
                "is_overdue": {},
                "state": {},
            },
            "limit": 40,
        },
        "circle_member_ids": {
            "fields": {
                "partner_id": m2o,
                "role": {},
                "role_detail": {},
                "structure_id": m2o,
                "access_granted": {},
                "is_active": {},
            },
            "limit": 40,
        },
        "hospital_stay_ids": {
            "fields": {"hospital_id": m2o, "admission_date": {}, "state": {}},
            "limit": 40,
        },
        "consent_ids": {
            "fields": {
                "date": {},
                "state": {},
                "means": {},
                "expiry_date": {},
                "scope_partner_ids": {"fields": {"display_name": {}}},
                "is_urgency": {},
                "person_informed": {},
                "recorded_by_id": m2o,
            },
            "limit": 40,
        },
    }
    if coordinator:
        spec["access_log_count"] = {}
    return spec


def measure(env, registry, build, vol):  # noqa: C901
    from odoo import fields
    from odoo.exceptions import UserError, ValidationError
    from odoo.tools.safe_eval import safe_eval

    bench = Bench(env, registry)
    su_env = env
    # Every read written, as one load would write it on its own: the day below
    # measures the window.
    Param = env["ir.config_parameter"]
    Param.set_param("coordination_microlocale.access_log_window_minutes", "0")
    Project = su_env["coordination.individual.project"]
    today = dt.date.today()

    # -- the roles
    coordinator = build.coordinators[0]
    territory = coordinator.coordination_territory_ids
    env.cr.execute(
        """
        SELECT m.partner_id, count(DISTINCT m.project_id)
          FROM coordination_circle_member m
          JOIN coordination_individual_project p ON p.id = m.project_id
         WHERE m.is_active AND m.in_consent_scope AND p.consent_state = 'given'
           AND m.partner_id = ANY(%s)
         GROUP BY m.partner_id
        """,
        [build.professionals.partner_id.ids],
    )
    circles = dict(env.cr.fetchall())
    professional = min(
        build.professionals,
        key=lambda u: (abs(circles.get(u.partner_id.id, 0) - 20), u.id),
    )
    roles = [
        ("coordinator", coordinator, f"1 territory ({territory.name})"),
        (
            "professional",
            professional,
            f"active in {circles.get(professional.partner_id.id, 0)} circles",
        ),
        ("municipal staff", build.staff[0], "no individual file"),
        ("manager", build.managers[0], "coordinates no territory"),
    ]
    out()
    out("Roles")
    out.table(
        ["role", "login", "scope"],
        [(name, user.login, scope) for name, user, scope in roles],
        ["<", "<", "<"],
    )

    def as_user(model, user):
        return env[model].with_user(user).with_context(**WEB_CONTEXT)

    results = []  # (section, label, role, measure dict, rows)

    def record(section, label, role, res, rows=None):
        results.append((section, label, role, res, rows))
        return res

    # -- 1/2/8. lists, with and without the trail, limit 20 vs 80
    lists = {}
    xmlid = "coordination_microlocale.view_coordination_{}_list"
    for model, view, label in (
        ("coordination.individual.project", "individual_project", "projects list"),
        ("coordination.request", "request", "requests list"),
    ):
        for role, user, _scope in roles:
            spec = list_spec(as_user(model, user), xmlid.format(view))

            def call(model=model, user=user, spec=spec, limit=80):
                res = as_user(model, user).web_search_read(
                    [], spec, limit=limit, count_limit=10001
                )
                return len(res["records"]), res["length"]

            res = bench.run(call)
            rows = None if res["denied"] else res["result"][0]
            record(label, "web_search_read limit=80", role, res, rows)
            if res["denied"]:
                continue
            off = bench.run(call, trail=False)
            record(label, "  same, trail switched off", role, off, rows)
            lists[(label, role)] = (res, off, rows, res["result"][1])
            if role == "coordinator":
                res20 = bench.run(lambda call=call: call(limit=20))
                record(
                    label, "web_search_read limit=20", role, res20, res20["result"][0]
                )
                lists[(label, role, 20)] = res20
            count = bench.run(
                lambda model=model, user=user: as_user(model, user).search_count([])
            )
            record(label, "search_count([])", role, count, count["result"])

    # -- 3. one project form
    coordinator_project = Project.search(
        [
            ("territory_id", "in", territory.ids),
            ("consent_state", "=", "given"),
            ("state", "!=", "closed"),
        ],
        limit=1,
    )
    professional_project = Project.search(
        [
            ("consent_state", "=", "given"),
            (
                "circle_member_ids",
                "any",
                [
                    ("partner_id", "=", professional.partner_id.id),
                    ("is_active", "=", True),
                ],
            ),
        ],
        limit=1,
    )
    for role, user, _scope in roles:
        is_coordinator = user.has_group("coordination_microlocale.group_coordinator")
        project = (
            professional_project if role == "professional" else coordinator_project
        )
        spec = readable_spec(
            as_user(project._name, user), project_form_spec(is_coordinator)
        )
        res = bench.run(
            lambda user=user, project=project, spec=spec: len(
                as_user(project._name, user).browse(project.id).web_read(spec)
            )
        )
        rows = None if res["denied"] else res["result"]
        record(
            "project form",
            f"web_read {project.name} (x2many: circle, actions, needs, consents)",
            role,
            res,
            rows,
        )

    # -- 4. name_search
    for role, user, _scope in roles:
        res = bench.run(
            lambda user=user: len(
                as_user("coordination.individual.project", user).name_search(
                    "PSI", limit=8
                )
            )
        )
        record(
            "project name_search",
            "name_search('PSI', limit=8)",
            role,
            res,
            None if res["denied"] else res["result"],
        )

    # -- 5. sessions calendar, one month and one week
    month_start = dt.datetime.combine(today.replace(day=1), dt.time.min)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1)
    week_start = dt.datetime.combine(
        today - dt.timedelta(days=today.weekday()), dt.time.min
    )
    week_end = week_start + dt.timedelta(days=7)
    calendar = {}
    session_action = env.ref("coordination_microlocale.action_coordination_session")
    for role, user, _scope in roles:
        for period, start, end in (
            ("month", month_start, month_end),
            ("week", week_start, week_end),
        ):
            # the menu's action domain, then the calendar's range, as the client does
            domain = safe_eval(session_action.domain or "[]", {"uid": user.id}) + [
                ("start", "<=", fields.Datetime.to_string(end)),
                ("stop", ">=", fields.Datetime.to_string(start)),
            ]
            names = calendar_fields(
                as_user("calendar.event", user),
                "coordination_microlocale.view_calendar_event_session_calendar",
            )

            def call(user=user, domain=domain, names=names):
                rows = as_user("calendar.event", user).search_read(domain, names)
                return len(rows), sum(
                    1 for row in rows if row["display_name"] == "Busy"
                )

            res = bench.run(call)
            rows = None if res["denied"] else res["result"][0]
            label = f"search_read one {period}"
            if not res["denied"]:
                label += f" ({res['result'][1]} shown as Busy)"
            record("sessions calendar", label, role, res, rows)
            calendar[(role, period)] = (res, rows)

    # -- 6. evaluation report and yearly export
    # Coordinators read the detailed figures of their territories; municipal staff
    # and managers the published cells of coordination.evaluation.statistic, built
    # by the nightly cron (timed here once, as superuser).
    evaluation = {}
    refresh = bench.run(
        lambda: su_env["coordination.evaluation.statistic"]._refresh(),
        trail=False,
    )
    cells = su_env["coordination.evaluation.statistic"].sudo().search_count([])
    record(
        "evaluation",
        f"rebuild of the published cells ({cells})",
        "superuser",
        refresh,
        None,
    )
    for role, user, _scope in roles:
        source = (
            "coordination.evaluation.report"
            if role in ("coordinator", "professional")
            else "coordination.evaluation.statistic"
        )
        res = bench.run(
            lambda user=user, source=source: len(
                as_user(source, user).formatted_read_group(
                    [], ["territory_id", "date:month"], ["record_count:sum", "__count"]
                )
            )
        )
        record(
            "evaluation",
            "formatted_read_group territory x month",
            role,
            res,
            None if res["denied"] else res["result"],
        )
        evaluation[role] = res
        res = bench.run(
            lambda user=user, source=source: len(
                as_user(source, user).formatted_read_grouping_sets(
                    [],
                    [
                        [],
                        ["territory_id"],
                        ["date:month"],
                        ["territory_id", "date:month"],
                    ],
                    ["record_count:sum"],
                )[-1]
            )
        )
        record(
            "evaluation",
            "pivot: formatted_read_grouping_sets (4 sets)",
            role,
            res,
            None if res["denied"] else res["result"],
        )

        def export(user=user):
            wizard = as_user("coordination.evaluation.export", user).create(
                {"year": today.year}
            )
            action = wizard.action_export()
            return len(wizard.file or b"") if action else 0

        res = bench.run(export)
        record(
            "evaluation",
            f"yearly export {today.year} (create + action_export)",
            role,
            res,
            None,
        )

    # -- 7. the daily crons (superuser, like ir.cron), rolled back after each run
    crons = []
    Activity = su_env["mail.activity"]

    def count(model, domain):
        return su_env[model].with_context(active_test=False).search_count(domain)

    due_reviews = count(
        "coordination.individual.project",
        [
            ("state", "!=", "closed"),
            ("review_date", "<=", today),
            ("coordinator_id", "!=", False),
        ],
    )
    overdue_actions = count(
        "coordination.project.action",
        [("is_overdue", "=", True), ("project_id.state", "!=", "closed")],
    )
    expiring = count(
        "coordination.individual.project",
        [("consent_state", "=", "given"), ("consent_expiry_date", "<", today)],
    )
    expiring_open = count(
        "coordination.individual.project",
        [
            ("consent_state", "=", "given"),
            ("consent_expiry_date", "<", today),
            ("state", "!=", "closed"),
        ],
    )
    due_projects = len(
        su_env["coordination.individual.project"]
        .with_context(active_test=False)
        ._due_for_anonymisation()
    )
    due_requests = len(su_env["coordination.request"]._due_for_anonymisation())

    def timed_in_rollback(*steps):
        """[(ms, queries, result, error)] of the steps, in a rolled-back savepoint."""
        figures = []

        def body():
            for step in steps:
                su_env.invalidate_all()
                q0, t0 = env.cr.sql_log_count, time.perf_counter()
                result, error = None, None
                try:
                    result = step()
                    su_env.flush_all()
                except (UserError, ValidationError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                figures.append(
                    (
                        (time.perf_counter() - t0) * 1000,
                        env.cr.sql_log_count - q0,
                        result,
                        error,
                    )
                )
                if error:
                    break

        bench.in_rollback(body)
        return figures

    def cron_row(name, due, runs, index, what):
        done = [run[index] for run in runs if len(run) > index]
        if not done:
            return None
        errors = [error for _ms, _q, _res, error in done if error]
        return {
            "name": name,
            "due": due,
            "ms": statistics.median(ms for ms, _q, _res, _err in done),
            "queries": int(statistics.median(q for _ms, q, _res, _err in done)),
            "result": done[-1][2],
            "what": what,
            "error": errors[0] if errors else None,
        }

    def reminders():
        before = Activity.search_count([])
        su_env["coordination.individual.project"]._cron_daily_reminders()
        return Activity.search_count([]) - before

    runs = [timed_in_rollback(reminders, reminders) for _ in range(REPEAT)]
    crons.append(
        cron_row(
            "individual.project._cron_daily_reminders()",
            f"{due_reviews} reviews due, {overdue_actions} overdue actions",
            runs,
            0,
            "activities created",
        )
    )
    crons.append(
        cron_row(
            "  same, run again (nothing new to do)", "", runs, 1, "activities created"
        )
    )

    def expire():
        su_env["coordination.consent"]._cron_expire()
        return expiring

    runs = [timed_in_rollback(expire) for _ in range(REPEAT)]
    crons.append(
        cron_row(
            "consent._cron_expire()",
            f"{expiring} consents past expiry ({expiring_open} of open projects)",
            runs,
            0,
            "consents expired",
        )
    )
    if crons[-1]["error"]:
        # The cron stops at the first closed project: time what it does for the open
        # ones, its own loop, so that the figure exists.
        def expire_open():
            projects = su_env["coordination.individual.project"].search(
                [
                    ("consent_state", "=", "given"),
                    ("consent_expiry_date", "<", today),
                    ("state", "!=", "closed"),
                ]
            )
            for project in projects:
                project._set_consent("expired", date=today, note="Expired.")
            return len(projects)

        runs = [timed_in_rollback(expire_open) for _ in range(REPEAT)]
        crons.append(
            cron_row(
                "  its loop on the open projects only (emulated)",
                "",
                runs,
                0,
                "consents expired",
            )
        )

    # The cron is these two steps: timed one after the other, in one savepoint.
    def anonymise_projects():
        Projects = su_env["coordination.individual.project"]
        Projects._due_for_anonymisation()._coordination_anonymise()
        return due_projects

    def anonymise_requests():
        Requests = su_env["coordination.request"]
        Requests._due_for_anonymisation()._coordination_anonymise()
        return due_requests

    runs = [
        timed_in_rollback(anonymise_projects, anonymise_requests) for _ in range(REPEAT)
    ]
    totals = [
        [
            (
                sum(step[0] for step in run),
                sum(step[1] for step in run),
                sum(step[2] or 0 for step in run),
                next((step[3] for step in run if step[3]), None),
            )
        ]
        for run in runs
    ]
    crons.append(
        cron_row(
            "individual.project._cron_anonymise_due()",
            f"{due_projects} projects + {due_requests} requests due",
            totals,
            0,
            "files anonymised",
        )
    )
    crons.append(cron_row("  of which the projects", "", runs, 0, "projects"))
    crons.append(cron_row("  of which the requests", "", runs, 1, "requests"))
    crons = [row for row in crons if row]
    env.cr.flush()
    env.cr.execute(
        "SELECT count(*), pg_total_relation_size('coordination_access_log') "
        "FROM coordination_access_log"
    )
    bench.trail_table = env.cr.fetchone()
    bench.day = realistic_day(env, bench, roles, build, as_user)

    return roles, results, lists, calendar, evaluation, crons, bench


# 50 users of an intercommunal deployment: one coordinator per territory (12), the
# professionals working in circles, municipal staff, managers; 250 working days.
DAY_USERS = {"coordinator": 12, "professional": 24, "municipal staff": 10, "manager": 4}
WORKING_DAYS = 250
# the trail's window (minutes): every read, an hour, a working day
DAY_WINDOWS = ("0", "60", "480")


def _day_actions(role):
    """(what, count) of a realistic working day of each role."""
    if role == "coordinator":
        return [
            ("projects list", 20),
            ("requests list", 15),
            ("actions list", 5),
            ("project form", 30),
            ("request search", 10),
            ("calendar week", 10),
            ("chatter", 15),
            ("list grouped by state", 5),
            ("export", 5),
        ]
    if role == "professional":
        return [
            ("projects list", 6),
            ("actions list", 4),
            ("project form", 10),
            ("calendar week", 5),
            ("chatter", 10),
        ]
    if role == "municipal staff":
        return [
            ("collective projects list", 10),
            ("calendar week", 10),
            ("evaluation", 5),
        ]
    return [("collective projects list", 5), ("calendar week", 5), ("evaluation", 10)]


def realistic_day(env, bench, roles, build, as_user):  # noqa: C901
    """Trail rows written by one working day of each role, rolled back after.

    The day's actions are spread from 9:00 to 17:00 (the trail's clock only), so
    that the trail's window (a consultation traced once per user, record and
    window: none, an hour, a working day) applies as it would in a real day.
    """
    from unittest.mock import patch

    from odoo import fields
    from odoo.exceptions import AccessError, UserError
    from odoo.tools.safe_eval import safe_eval

    xmlid = "coordination_microlocale.view_coordination_{}_list"
    session_action = env.ref("coordination_microlocale.action_coordination_session")
    day = dt.date.today() + dt.timedelta(days=1)
    week_start = dt.datetime.combine(day - dt.timedelta(days=day.weekday()), dt.time())
    week_end = week_start + dt.timedelta(days=7)

    def lists(user, model, view, offset=0, domain=()):
        spec = list_spec(as_user(model, user), xmlid.format(view))
        return as_user(model, user).web_search_read(
            list(domain), spec, offset=offset, limit=80, count_limit=10001
        )["records"]

    def do(role, user, what, index):
        Project = as_user("coordination.individual.project", user)
        if what == "projects list":
            lists(user, Project._name, "individual_project", offset=80 * (index % 3))
        elif what == "requests list":
            lists(user, "coordination.request", "request", offset=80 * (index % 2))
        elif what == "actions list":
            lists(user, "coordination.project.action", "project_action")
        elif what == "collective projects list":
            lists(user, "coordination.collective.project", "collective_project")
        elif what == "request search":
            lists(
                user,
                "coordination.request",
                "request",
                domain=[("name", "ilike", f"{index % 10}")],
            )
        elif what == "project form":
            projects = Project.search([], limit=40)
            if projects:
                project = projects[index % len(projects)]
                is_coordinator = role == "coordinator"
                spec = readable_spec(
                    as_user(project._name, user), project_form_spec(is_coordinator)
                )
                project.web_read(spec)
        elif what == "chatter":
            projects = Project.search([], limit=40)
            if projects:
                env["mail.message"].with_user(user)._message_fetch(
                    domain=None, thread=projects[index % len(projects)]
                )
        elif what == "calendar week":
            domain = safe_eval(session_action.domain or "[]", {"uid": user.id}) + [
                ("start", "<=", fields.Datetime.to_string(week_end)),
                ("stop", ">=", fields.Datetime.to_string(week_start)),
            ]
            names = calendar_fields(
                as_user("calendar.event", user),
                "coordination_microlocale.view_calendar_event_session_calendar",
            )
            as_user("calendar.event", user).search_read(domain, names)
        elif what == "list grouped by state":
            Project.formatted_read_group([], ["state"], ["__count"])
        elif what == "export":
            Project.search([], limit=20).export_data(["name", "state", "review_date"])
        elif what == "evaluation":
            as_user("coordination.evaluation.report", user).formatted_read_group(
                [], ["territory_id", "date:month"], ["record_count:sum", "__count"]
            )

    Log = env.registry["coordination.access.log"]

    def table_size():
        env.cr.execute("SELECT pg_total_relation_size('coordination_access_log')")
        return env.cr.fetchone()[0]

    def one_day(role, user):
        actions = [
            (what, index)
            for what, count in _day_actions(role)
            for index in range(count)
        ]
        # interleaved as a day goes, not all lists first
        random.Random(SEED).shuffle(actions)
        step = dt.timedelta(hours=8) / max(len(actions), 1)
        start = dt.datetime.combine(day, dt.time(9, 0))
        # every day starts from the same caches (the rules' included)
        env.registry.clear_cache("stable")  # the parameters too
        env.invalidate_all()
        rows_before = bench.log_rows()
        size_before = table_size()
        q0, t0 = env.cr.sql_log_count, time.perf_counter()
        per_action = {}
        for number, (what, index) in enumerate(actions):
            action_rows = bench.log_rows()
            # the trail's clock only: the access policy keeps the real one
            moment = start + number * step
            clock = functools.partial(lambda moment, *_args: moment, moment)
            with patch.object(Log, "_trail_now", clock, create=True):
                env.invalidate_all()
                try:
                    do(role, user, what, index)
                except (AccessError, UserError):
                    # not this role's (e.g. exports without "allow export")
                    env.invalidate_all()
                # one transaction per request
                env.cr.flush()
            per_action[what] = per_action.get(what, 0) + bench.log_rows() - action_rows
        seconds = time.perf_counter() - t0
        rows = bench.log_rows() - rows_before
        return {
            "actions": len(actions),
            "rows": rows,
            # the table's growth (heap and indexes) for the day's rows
            "bytes": table_size() - size_before,
            "per_action": per_action,
            "queries": env.cr.sql_log_count - q0,
            "seconds": seconds,
        }

    Param = env["ir.config_parameter"]
    result = {}
    for role, user, _scope in roles:
        for window in DAY_WINDOWS:

            def body(role=role, user=user, window=window):
                Param.set_param(
                    "coordination_microlocale.access_log_window_minutes", window
                )
                return one_day(role, user)

            result[(role, window)] = bench.in_rollback(body)
    # Bytes per row: the growth of the table and its indexes for the largest day
    # written (rolled-back rows still hold their pages, so the size of the table
    # divided by its rows would count them too).
    largest = max(
        (res for key, res in result.items() if res), key=lambda res: res["rows"]
    )
    result["bytes_per_row"] = largest["bytes"] / max(largest["rows"], 1)
    return result


def day_rows(day):
    """The report of realistic_day: rows per user-day and the yearly size."""
    bytes_per_row = day["bytes_per_row"]
    rows = []
    yearly = dict.fromkeys(DAY_WINDOWS, 0.0)
    for role, users in DAY_USERS.items():
        if (role, DAY_WINDOWS[0]) not in day:
            continue
        for window in DAY_WINDOWS:
            yearly[window] += (
                day[(role, window)]["rows"] * users * WORKING_DAYS * bytes_per_row
            )
        first = day[(role, DAY_WINDOWS[0])]
        rows.append(
            (
                role,
                users,
                first["actions"],
                *[day[(role, window)]["rows"] for window in DAY_WINDOWS],
                first["queries"],
                round(first["seconds"], 1),
            )
        )
    return rows, yearly, bytes_per_row


# ====================================================================== report
def dataset_summary(env):
    tables = [
        ("coordination_territory", "territories"),
        ("res_users", "users"),
        ("res_partner", "partners"),
        ("coordination_request", "requests"),
        ("coordination_individual_project", "individual projects"),
        ("coordination_consent", "consent history lines"),
        ("coordination_circle_member", "circle members"),
        ("coordination_project_need", "needs"),
        ("coordination_project_goal", "goals"),
        ("coordination_project_action", "actions"),
        ("calendar_event", "sessions (calendar.event)"),
        ("calendar_attendee", "attendees"),
        ("coordination_collective_project", "collective projects"),
        ("coordination_alert", "alerts"),
        ("mail_followers", "followers"),
        ("mail_activity", "activities"),
        ("coordination_access_log", "access trail rows"),
    ]
    rows = []
    for table, label in tables:
        env.cr.execute(f"SELECT count(*) FROM {table}")
        rows.append((label, env.cr.fetchone()[0]))
    env.cr.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
    rows.append(("database size", env.cr.fetchone()[0]))
    return rows


def print_results(roles, results, lists, calendar, evaluation, crons, vol):
    out()
    out("=" * 100)
    for line in LEGEND:
        out(line)
    out("=" * 100)
    header = [
        "measurement",
        "role",
        "rows",
        "ms",
        "min ms",
        "queries",
        "cold q",
        "trail rows",
        "trail q",
        "trail ms",
    ]
    section = None
    table_rows = []

    def flush_section():
        if table_rows:
            out.table(
                header, table_rows, ["<", "<", ">", ">", ">", ">", ">", ">", ">", ">"]
            )
            table_rows.clear()

    for sec, label, role, res, rows in results:
        if sec != section:
            flush_section()
            out()
            out(f"## {sec}")
            section = sec
        if res.get("denied"):
            table_rows.append(
                (label, role, "no access", "-", "-", "-", "-", "-", "-", "-")
            )
            continue
        table_rows.append(
            (
                label,
                role,
                rows if rows is not None else "",
                round(res["ms"], 1),
                round(res["ms_min"], 1),
                res["queries"],
                res["cold_queries"],
                res["trail_rows"],
                res["trail_queries"],
                round(res["trail_ms"], 1),
            )
        )
    flush_section()

    out()
    out("## daily crons (as superuser, like ir.cron)")
    out("   3 runs, each in a rolled-back savepoint; the first run works off")
    out("   the backlog of the whole generated history")
    cron_rows = []
    for row in crons:
        if row["error"]:
            cron_rows.append(
                (
                    row["name"],
                    row["due"],
                    round(row["ms"], 1),
                    row["queries"],
                    "FAILED (see below)",
                    "",
                    "",
                )
            )
            continue
        done = row["result"] or 0
        cron_rows.append(
            (
                row["name"],
                row["due"],
                round(row["ms"], 1),
                row["queries"],
                f"{done} {row['what']}",
                row["ms"] / done if done else None,
                row["queries"] / done if done else None,
            )
        )
    out.table(
        [
            "cron",
            "due before the run",
            "ms",
            "queries",
            "done",
            "ms/item",
            "queries/item",
        ],
        cron_rows,
        ["<", "<", ">", ">", ">", ">", ">"],
    )
    for row in crons:
        if row["error"]:
            out(f"FAILED: {row['name'].strip()}: {row['error']}")

    out()
    out("## ratios")
    out.table(
        ["ratio", "role", "value"],
        ratio_rows(roles, lists, calendar, evaluation),
        ["<", "<", "<"],
    )


def ratio_rows(roles, lists, calendar, evaluation):
    rows = []
    for label in ("projects list", "requests list"):
        for role, _user, _scope in roles:
            if (label, role) not in lists:
                continue
            on, off, count, length = lists[(label, role)]
            share = 100 * on["trail_ms"] / max(on["ms"], 0.001)
            rows.append(
                (
                    f"{label}: the access trail",
                    role,
                    (
                        f"{on['trail_rows']} rows written per load; inside the trail "
                        f"{on['trail_queries']} queries, {on['trail_ms']:.1f} ms "
                        f"= {share:.0f}% of the load"
                    ),
                )
            )
            rows.append(
                (
                    f"{label}: trail on / off",
                    role,
                    (
                        f"{on['queries']} / {off['queries']} queries, "
                        f"{on['ms']:.1f} / {off['ms']:.1f} ms"
                    ),
                )
            )
            if count:
                rows.append(
                    (
                        f"{label}: time per row",
                        role,
                        f"{on['ms'] / count:.2f} ms/row ({count} of {length} rows)",
                    )
                )
            if (label, role, 20) in lists:
                r20 = lists[(label, role, 20)]
                q_ratio = on["queries"] / max(r20["queries"], 1)
                ms_ratio = on["ms"] / max(r20["ms"], 0.001)
                rows.append(
                    (
                        f"{label}: limit=80 / limit=20",
                        role,
                        (
                            f"queries {on['queries']} / {r20['queries']} "
                            f"= {q_ratio:.2f}; "
                            f"ms {on['ms']:.1f} / {r20['ms']:.1f} = {ms_ratio:.2f}"
                        ),
                    )
                )
    for role, _user, _scope in roles:
        month, month_rows = calendar.get((role, "month"), ({}, None))
        week, week_rows = calendar.get((role, "week"), ({}, None))
        if month and not month.get("denied") and month_rows and week_rows:
            extra = (month["queries"] - week["queries"]) / max(
                month_rows - week_rows, 1
            )
            rows.append(
                (
                    "calendar: month / week",
                    role,
                    (
                        f"queries {month['queries']} / {week['queries']} for "
                        f"{month_rows} / {week_rows} sessions "
                        f"({extra:.2f} query per extra session); "
                        f"trail rows {month['trail_rows']} / {week['trail_rows']}"
                    ),
                )
            )
    coord = evaluation.get("coordinator")
    staff = evaluation.get("municipal staff")
    if coord and staff and not coord.get("denied") and not staff.get("denied"):
        rows.append(
            (
                "evaluation: groups",
                "coordinator / staff",
                (
                    f"{coord['result']} (own territory) / {staff['result']} "
                    "(published cells, all territories)"
                ),
            )
        )
    return rows


def module_revision():
    """The commit of the module's repository, and whether the module has changes."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        head = subprocess.run(
            ["git", "-C", repo, "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            [
                "git",
                "-C",
                repo,
                "status",
                "--porcelain",
                "--",
                "coordination_microlocale",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    changed = len(dirty.splitlines())
    suffix = f" + {changed} uncommitted file(s) in the module" if changed else ""
    return f"{head[:70]}{suffix}"


def machine_info(env):
    import odoo.release

    env.cr.execute("SHOW server_version")
    pg_version = env.cr.fetchone()[0]
    cpus = os.cpu_count()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        usable = cpus
    return [
        ("date", dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")),
        ("module", module_revision()),
        ("nproc", f"{usable} (of {cpus} CPUs)"),
        ("python", f"{platform.python_version()} ({sys.executable})"),
        ("odoo", odoo.release.version),
        ("postgresql", pg_version),
        ("platform", platform.platform()),
        (
            "load average",
            " ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min, at start)",
        ),
    ]


# ====================================================================== main
def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    started = time.perf_counter()

    # In 19 `odoo` is a namespace package: odoo.init sets it up (odoo.modules also
    # imports it, but importing it first is what Odoo's own entry points do).
    import odoo.init
    from odoo.tools import config

    odoo_args = [
        "-d",
        args.db,
        f"--addons-path={args.addons_path}",
        "--log-level=warn",
        "--max-cron-threads=0",
        "--no-http",
    ]
    if args.odoo_log:
        odoo_args.append(f"--logfile={args.odoo_log}")
    config.parse_config(odoo_args, setup_logging=True)

    from odoo import api
    from odoo.modules.registry import Registry

    registry = Registry(args.db)
    vol = volumes_for(args.scale)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        module = env["ir.module.module"].search(
            [("name", "=", "coordination_microlocale")]
        )
        if module.state != "installed":
            raise SystemExit(f"coordination_microlocale is not installed in {args.db}")
        if module.demo:
            raise SystemExit(f"{args.db} has demo data: the benchmark needs none")

        out("=" * 100)
        out(f"coordination_microlocale benchmark --scale {args.scale:g} ({args.db})")
        out("=" * 100)
        out.table(["machine", "value"], machine_info(env), ["<", "<"])
        out()
        out("Volumes")
        out.table(["item", "count"], list(vol.items()))
        out()
        out("Build (batched create(), commit after each phase)")

        build = Builder(env, args.scale)
        timer = Timer()
        for name, func in (
            ("territories and users", build.territories_and_users),
            ("directory", build.directory),
            ("residents", build.residents),
            ("individual projects", build.projects),
            ("consents (_set_consent)", build.consents),
            ("circles", build.circles),
            ("needs, goals, actions", build.needs_goals_actions),
            ("requests", build.requests),
            ("to-do activities", build.activities),
            ("closing of old projects", build.close_projects),
            ("collective projects", build.collective),
            ("sessions (calendar.event)", build.sessions),
            ("alerts", build.alerts),
        ):
            timer.phase(name, func)
            build.commit()
        build_seconds = sum(seconds for _name, seconds, _detail in timer.phases)
        cr.execute("ANALYZE")
        out()
        out("Build time per phase")
        out.table(
            ["phase", "seconds", "detail"],
            [
                (name, round(seconds, 1), detail or "")
                for name, seconds, detail in timer.phases
            ]
            + [("total", round(build_seconds, 1), "")],
            ["<", ">", "<"],
        )
        out()
        out("Dataset")
        out.table(["table", "rows"], dataset_summary(env))

        measure_start = time.perf_counter()
        roles, results, lists, calendar, evaluation, crons, _bench = measure(
            env, registry, build, vol
        )
        print_results(roles, results, lists, calendar, evaluation, crons, vol)
        out()
        trail_rows, trail_bytes = _bench.trail_table
        out(
            f"access trail after the measurements: {trail_rows} rows, "
            f"{trail_bytes / 1024 / 1024:.1f} MB with its indexes "
            f"({trail_bytes / max(trail_rows, 1):.0f} bytes per row)"
        )
        rows, yearly, bytes_per_row = day_rows(_bench.day)
        out()
        out(
            "Trail of a realistic working day per role (actions spread from 9:00 to "
            "17:00): trail rows per user-day when a consultation is traced once per "
            "user, record and window of N minutes (0 = every read)"
        )
        out.table(
            ["role", "users", "actions"]
            + [f"rows/day w={window}" for window in DAY_WINDOWS]
            + ["queries", "s"],
            rows,
            ["<"] + [">"] * (len(DAY_WINDOWS) + 4),
        )
        for (role, window), res in sorted(
            (key, res) for key, res in _bench.day.items() if isinstance(key, tuple)
        ):
            detail = ", ".join(f"{what} {n}" for what, n in res["per_action"].items())
            out(f"  {role}, window {window}: {detail}")
        for window in DAY_WINDOWS:
            out(
                f"yearly trail, window {window} min, {sum(DAY_USERS.values())} users "
                f"({', '.join(f'{n} {role}' for role, n in DAY_USERS.items())}) x "
                f"{WORKING_DAYS} days at {bytes_per_row:.0f} bytes per row (table "
                f"and indexes): {yearly[window] / 1e9:.2f} GB (target: under 1 GB)"
            )
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        out(f"load average at the end: {load} (1, 5, 15 min)")
        measured = time.perf_counter() - measure_start
        total = time.perf_counter() - started
        out(
            f"build {build_seconds:.0f} s, measurements {measured:.0f} s, "
            f"total {total:.0f} s"
        )
        cr.rollback()
    if args.output:
        out.write(args.output)
        print(f"Results written to {args.output}", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except BaseException:  # noqa: BLE001 - any failure: traceback and exit 1
        traceback.print_exc()
        print("ERROR: the benchmark failed (see the traceback above)", file=sys.stderr)
        sys.exit(1)
