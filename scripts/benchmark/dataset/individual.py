"""Build phases of the individual files: projects, consents, circles, requests."""

import datetime as dt

from .names import PROBLEMATIQUE


def projects(ds):
    three_years = ds.today - dt.timedelta(days=3 * 365)
    values = []
    ds.project_meta = []
    person_cursor = {t: 0 for t in ds.territories.ids}
    for index in range(ds.vol["projects"]):
        territory_id = ds.territories[index % len(ds.territories)].id
        people = ds.residents_by_territory[territory_id]
        person_id = people[person_cursor[territory_id] % len(people)]
        person_cursor[territory_id] += 1
        meta, review, state = _project_dates(ds, ds.rand_date(three_years, ds.today))
        values.append(
            {
                "person_id": person_id,
                "territory_id": territory_id,
                "coordinator_id": ds.coordinator_of[territory_id].id,
                "referent_partner_id": ds.rng.choice(ds.pool[territory_id]),
                "date_start": meta["date_start"],
                "review_date": review,
                "problematique": PROBLEMATIQUE,
                # closed ones are closed by close_projects, once their parts exist
                "state": "in_progress" if meta["closed"] else state,
            }
        )
        ds.project_meta.append(meta)
    records = ds.create("coordination.individual.project", values, 500)
    for meta, project in zip(ds.project_meta, records, strict=True):
        meta["id"] = project.id
        meta["territory_id"] = project.territory_id.id
        meta["person_id"] = project.person_id.id
        meta["coordinator_partner_id"] = project.coordinator_id.partner_id.id
    return f"{len(records)} projects"


def _project_dates(ds, date_start):
    """(meta, review date, state) of a project: old ones mostly closed."""
    age = (ds.today - date_start).days
    closed = age > 120 and ds.rng.random() < min(0.85, age / 900)
    state = (
        "closed"
        if closed
        else ds.rng.choices(
            ("intake", "analysis", "in_progress", "follow_up"), (10, 15, 45, 30)
        )[0]
    )
    review = None
    date_closed = None
    if closed:
        span = age - 1
        date_closed = date_start + dt.timedelta(
            days=ds.rng.randint(min(60, span), min(span, 400))
        )
    else:
        review = max(date_start, ds.today + dt.timedelta(days=ds.rng.randint(-45, 120)))
    meta = {"closed": closed, "date_start": date_start, "date_closed": date_closed}
    return meta, review, state


def consents(ds):
    Project = ds.env["coordination.individual.project"]
    by_date = {}
    requested = []
    for meta in ds.project_meta:
        roll = ds.rng.random()
        if roll < 0.87:
            by_date.setdefault(_consent_date(ds, meta), []).append(meta["id"])
            meta["consent"] = "given"
        elif roll < 0.95:
            requested.append(meta["id"])
            meta["consent"] = "requested"
        else:
            meta["consent"] = "none"
    for consent_date, ids in sorted(by_date.items()):
        Project.browse(ids)._set_consent("given", date=consent_date, means="oral")
    ds.env.flush_all()
    if requested:
        Project.browse(requested)._set_consent("requested")
    given = sum(len(ids) for ids in by_date.values())
    none = len(ds.project_meta) - given - len(requested)
    return (
        f"{given} given, {len(requested)} requested, {none} none; "
        f"{len(by_date)} batches"
    )


def _consent_date(ds, meta):
    """When the consent was given, batched per week.

    Open projects: given (or renewed) within the last 13 months. Closed projects:
    given while the project was open, never withdrawn.
    """
    if meta["closed"]:
        lower, upper = meta["date_start"], meta["date_closed"]
    else:
        lower = max(meta["date_start"], ds.today - dt.timedelta(days=390))
        upper = ds.today
    # The first Monday from `lower`, plus whole weeks.
    monday = lower + dt.timedelta(days=(7 - lower.weekday()) % 7)
    weeks = max((upper - monday).days // 7, 0)
    consent_date = monday + dt.timedelta(weeks=ds.rng.randint(0, weeks))
    return min(consent_date, upper)


def circles(ds):
    values = []
    ds.members_of = {}
    for meta in ds.project_meta:
        ds.members_of[meta["id"]] = []
        if meta["consent"] != "given":
            continue
        pool = [p for p in ds.pool[meta["territory_id"]] if p != meta["person_id"]]
        for partner_id in ds.rng.sample(pool, min(4, len(pool))):
            active = ds.rng.random() > 0.05
            values.append(
                {
                    "project_id": meta["id"],
                    "partner_id": partner_id,
                    "role": "professional",
                    "role_detail": "Suivi",
                    "is_active": active,
                    "date_left": None if active else ds.today,
                }
            )
            if active:
                ds.members_of[meta["id"]].append(partner_id)
        if ds.rng.random() < 0.3:
            structure = ds.rng.choice(ds.structure_pool[meta["territory_id"]])
            values.append(
                {"project_id": meta["id"], "partner_id": structure, "role": "structure"}
            )
            ds.members_of[meta["id"]].append(structure)
    ds.create("coordination.circle.member", values, 2000)
    return (
        f"{len(values)} professional/structure members "
        "(+ person and coordinator of each project)"
    )


GOALS = (
    "Rester à domicile dans de bonnes conditions",
    "Reprendre contact avec un médecin traitant",
)


def needs_goals_actions(ds):
    determinants = ds.env["coordination.determinant"].search([]).ids
    needs, goals, actions = [], [], []
    for meta in ds.project_meta:
        project_id = meta["id"]
        for determinant_id in ds.rng.sample(determinants, 3):
            needs.append(
                {
                    "project_id": project_id,
                    "determinant_id": determinant_id,
                    "description": "Besoin exprimé par la personne.",
                    "is_met": ds.rng.random() < 0.4,
                }
            )
        goals += [{"project_id": project_id, "name": name} for name in GOALS]
        actions += _actions(ds, meta)
    ds.create("coordination.project.need", needs, 4000)
    ds.create("coordination.project.goal", goals, 4000)
    ds.create("coordination.project.action", actions, 4000)
    return f"{len(needs)} needs, {len(goals)} goals, {len(actions)} actions"


def _actions(ds, meta):
    """Four actions of a project, done or cancelled when it is closed."""
    responsibles = ds.members_of.get(meta["id"]) or [meta["person_id"]]
    actions = []
    for index in range(4):
        if meta["closed"]:
            state = ds.rng.choice(("done", "done", "cancelled"))
        else:
            state = ds.rng.choices(
                ("todo", "in_progress", "done", "cancelled"), (40, 20, 35, 5)
            )[0]
        due = meta["date_start"] + dt.timedelta(
            days=30 * (index + 1) + ds.rng.randint(0, 20)
        )
        if not meta["closed"] and state in ("todo", "in_progress"):
            due = ds.today + dt.timedelta(days=ds.rng.randint(-40, 90))
        actions.append(
            {
                "project_id": meta["id"],
                "name": f"Action {index + 1}",
                "responsible_partner_id": ds.rng.choice(responsibles),
                "date_due": due,
                "state": state,
            }
        )
    return actions
