"""Build phases of the individual files: projects, consents, circles, requests."""

import datetime as dt

from .bulk import orm_insert, sequence_names, subscribe
from .names import PROBLEMATIQUE

PROJECT = "coordination.individual.project"


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
    names = sequence_names(ds, PROJECT, len(values))
    for vals, name in zip(values, names, strict=True):
        vals["name"] = name
    ids = orm_insert(ds, PROJECT, values)
    coordinator_partner = {
        user.id: user.partner_id.id for user in ds.coordinator_of.values()
    }
    for meta, vals, project_id in zip(ds.project_meta, values, ids, strict=True):
        meta["id"] = project_id
        meta["territory_id"] = vals["territory_id"]
        meta["person_id"] = vals["person_id"]
        meta["coordinator_partner_id"] = coordinator_partner[vals["coordinator_id"]]
    core = _core_circle(ds)
    followers = subscribe(
        ds, PROJECT, {m["id"]: m["coordinator_partner_id"] for m in ds.project_meta}
    )
    return f"{len(ids)} projects, {core} core members, {followers} followers"


def _core_circle(ds):
    """What the project's create() adds: the person and the coordinator."""
    values = []
    for meta in ds.project_meta:
        values.append(
            {
                "project_id": meta["id"],
                "partner_id": meta["person_id"],
                "role": "person",
            }
        )
        values.append(
            {
                "project_id": meta["id"],
                "partner_id": meta["coordinator_partner_id"],
                "role": "coordinator",
            }
        )
    return len(orm_insert(ds, "coordination.circle.member", values))


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
    # The member's create() removes followers who lost access: nobody yet.
    orm_insert(ds, "coordination.circle.member", values)
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
    # The action's create() checks that the project is open: they all are yet.
    orm_insert(ds, "coordination.project.need", needs)
    orm_insert(ds, "coordination.project.goal", goals)
    orm_insert(ds, "coordination.project.action", actions)
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


def hospital_stays(ds):
    """Hospital stays of one file in ten: most back home, some in hospital now.

    The stay's create() plans the coordinator's to-dos around the discharge:
    the same method, once, on the stays still in hospital.
    """
    values = []
    for meta in ds.project_meta:
        if ds.rng.random() >= 0.1:
            continue
        end = meta["date_closed"] or ds.today
        admission = ds.rand_date(meta["date_start"], end)
        current = not meta["closed"] and ds.rng.random() < 0.15
        if current:
            admission = ds.today - dt.timedelta(days=ds.rng.randint(0, 10))
        planned = admission + dt.timedelta(days=ds.rng.randint(3, 21))
        values.append(
            {
                "project_id": meta["id"],
                "hospital_id": ds.rng.choice(ds.structure_pool[meta["territory_id"]]),
                "service": "Médecine gériatrique",
                "admission_date": admission,
                "planned_discharge_date": planned,
                "discharge_date": False if current else min(planned, end),
                "state": "in_hospital" if current else "discharged",
            }
        )
    ids = orm_insert(ds, "coordination.hospital.stay", values)
    current = [
        i for i, v in zip(ids, values, strict=True) if v["state"] == "in_hospital"
    ]
    ds.env["coordination.hospital.stay"].browse(
        current
    )._schedule_discharge_activities()
    return f"{len(ids)} stays, {len(current)} in hospital now"
