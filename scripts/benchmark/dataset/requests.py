"""Build phases of the requests, of the coordinators' to-dos and of the closings."""

import datetime as dt

from .base import chunks
from .bulk import orm_insert, sequence_names

REQUESTER_TYPES = (
    "resident",
    "relative",
    "professional",
    "partner",
    "elected",
    "outreach",
)
REQUESTER_WEIGHTS = (35, 20, 25, 10, 3, 7)
CLOSED_OUTCOMES = ("information", "no_follow_up", "declined", "out_of_scope")
CLOSING_REASONS = (
    "goals_reached",
    "person_choice",
    "handed_over",
    "moved",
    "no_contact",
)


def requests(ds):
    ds.determinant_ids = ds.env["coordination.determinant"].search([]).ids
    ds.projects_by_person = {meta["person_id"]: meta for meta in ds.project_meta}
    ds.pro_user_partners = {t: [] for t in ds.territories.ids}
    for partner in ds.professionals.partner_id:
        for territory_id in partner.coordination_territory_ids.ids:
            ds.pro_user_partners[territory_id].append(partner.id)
    three_years = ds.now - dt.timedelta(days=3 * 365)
    span = int((ds.now - three_years).total_seconds()) - 3600
    values = []
    for index in range(ds.vol["requests"]):
        territory_id = ds.territories[index % len(ds.territories)].id
        received = three_years + dt.timedelta(seconds=ds.rng.randint(0, span))
        values.append(_request(ds, territory_id, received))
    names = sequence_names(ds, "coordination.request", len(values))
    for vals, name in zip(values, names, strict=True):
        vals["name"] = name
    # The request's create() overrides: the reference (above) and the trail,
    # which does not trace the superuser.
    ids = orm_insert(ds, "coordination.request", values)
    ds.open_requests = [
        (request_id, vals["coordinator_id"])
        for request_id, vals in zip(ids, values, strict=True)
        if vals["state"] in ("new", "triage", "oriented")
    ]
    return f"{len(ids)} requests"


def _request(ds, territory_id, received):
    person_id = ds.rng.choice(ds.residents_by_territory[territory_id])
    requester_type = ds.rng.choices(REQUESTER_TYPES, REQUESTER_WEIGHTS)[0]
    requester = _requester(ds, requester_type, person_id, territory_id)
    if (ds.now - received).days < 30:
        state = ds.rng.choices(
            ("new", "triage", "oriented", "closed"), (35, 30, 15, 20)
        )[0]
    else:
        state = ds.rng.choices(("oriented", "project", "closed"), (20, 15, 65))[0]
    project = ds.projects_by_person.get(person_id)
    if state == "project" and not project:
        state = "oriented"
    vals = {
        "territory_id": territory_id,
        "coordinator_id": ds.coordinator_of[territory_id].id,
        "date_received": received,
        "requester_type": requester_type,
        "requester_partner_id": requester,
        "person_id": person_id,
        "channel": ds.rng.choice(
            ("office", "phone", "email", "home_visit", "referral")
        ),
        "priority": ds.rng.choices(("0", "1", "2"), (80, 15, 5))[0],
        "theme_ids": [
            ds.Command.set(ds.rng.sample(ds.determinant_ids, ds.rng.randint(1, 2)))
        ],
        "description": "Demande reçue à l'accueil du pôle santé.",
        "state": state,
    }
    _request_outcome(ds, vals, received, project)
    return vals


def _requester(ds, requester_type, person_id, territory_id):
    """The partner who made the request (none for elected members and outreach)."""
    if requester_type == "resident":
        return person_id
    if requester_type == "relative":
        return ds.rng.choice(ds.resident_ids)
    if requester_type == "professional":
        candidates = ds.pro_user_partners[territory_id] or ds.pool[territory_id]
        return ds.rng.choice(candidates)
    if requester_type == "partner":
        return ds.rng.choice(ds.structure_pool[territory_id])
    return False


def _request_outcome(ds, vals, received, project):
    """First contact, orientation, project or closing of a request, by its state."""
    state = vals["state"]
    if state != "new":
        contact = received + dt.timedelta(hours=ds.rng.randint(1, 240))
        vals["first_contact_date"] = min(contact, ds.now)
    if state == "oriented":
        vals["outcome"] = "oriented"
        vals["orientation_partner_ids"] = [
            ds.Command.set([ds.rng.choice(ds.pool[vals["territory_id"]])])
        ]
    elif state == "project":
        vals["outcome"] = "project"
        vals["project_id"] = project["id"]
    elif state == "closed":
        vals["outcome"] = ds.rng.choice(CLOSED_OUTCOMES)
        vals["date_closed"] = min(
            received + dt.timedelta(days=ds.rng.randint(1, 60)), ds.now
        )


def activities(ds):
    """To-dos on some open files, as the coordinators leave them."""
    todo = ds.env.ref("mail.mail_activity_data_todo")
    IrModel = ds.env["ir.model"]
    open_projects = [
        (meta["id"], ds.coordinator_of[meta["territory_id"]].id)
        for meta in ds.project_meta
        if not meta["closed"]
    ]
    values = []
    for model, files in (
        ("coordination.individual.project", open_projects),
        ("coordination.request", ds.open_requests),
    ):
        model_id = IrModel._get_id(model)
        for res_id, user_id in files:
            if ds.rng.random() < 0.2:
                values.append(
                    {
                        "res_model_id": model_id,
                        "res_id": res_id,
                        "activity_type_id": todo.id,
                        "user_id": user_id,
                        "summary": "Rappeler la personne",
                        "date_deadline": ds.today
                        + dt.timedelta(days=ds.rng.randint(-20, 30)),
                    }
                )
    Activity = ds.env["mail.activity"].with_context(mail_activity_quick_update=True)
    for batch in chunks(values, 2000):
        Activity.create(batch)
    return f"{len(values)} to-dos on 20% of the open projects and requests"


def close_projects(ds):
    Project = ds.env["coordination.individual.project"]
    closed = [meta for meta in ds.project_meta if meta["closed"]]
    for meta in closed:
        Project.browse(meta["id"]).write(
            {
                "state": "closed",
                "closing_reason": ds.rng.choice(CLOSING_REASONS),
                "date_closed": meta["date_closed"],
                "review_date": False,
            }
        )
    ds.env.flush_all()
    return f"{len(closed)} projects closed"
