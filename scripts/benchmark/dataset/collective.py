"""Build phases of the collective work: collective projects, sessions, alerts."""

import datetime as dt

from .bulk import orm_insert

COLLECTIVE_STATES = (
    "idea",
    "drafting",
    "validated",
    "in_progress",
    "evaluated",
    "abandoned",
)
COLLECTIVE_WEIGHTS = (5, 10, 15, 45, 20, 5)
INDICATORS = (
    {"name": "Réunions tenues", "computation": "meetings_held", "target": 6},
    {"name": "Partenaires invités", "computation": "partners_invited", "target": 20},
    {"name": "Satisfaction", "computation": "manual", "manual_value": 8, "target": 8},
)


def collective(ds):
    themes = ds.env["coordination.priority.theme"].search([]).ids
    values = []
    for index in range(ds.vol["collective_projects"]):
        territory_id = ds.territories[index % len(ds.territories)].id
        start = ds.rand_date(ds.today - dt.timedelta(days=900), ds.today)
        values.append(_collective_project(ds, index, territory_id, start, themes))
    records = ds.env["coordination.collective.project"].create(values)
    ds.collective_by_territory = {t: [] for t in ds.territories.ids}
    for project in records:
        ds.collective_by_territory[project.territory_id.id].append(project.id)
    return (
        f"{len(records)} collective projects "
        "(3 indicators, 5 actions, 1 funding line each)"
    )


def _collective_project(ds, index, territory_id, start, themes):
    Command = ds.Command
    pool = ds.pool[territory_id]
    return {
        "name": f"Fiche action {index + 1}: prévention des chutes",
        "axis": f"Axe {index % 4 + 1}",
        "sheet_number": f"{index % 4 + 1}.{index // 4 + 1}",
        "state": ds.rng.choices(COLLECTIVE_STATES, COLLECTIVE_WEIGHTS)[0],
        "territory_id": territory_id,
        "coordinator_id": ds.coordinator_of[territory_id].id,
        "theme_ids": [Command.set(ds.rng.sample(themes, min(2, len(themes))))],
        "carrier_ids": [Command.set(ds.rng.sample(ds.structure_pool[territory_id], 1))],
        "actor_ids": [Command.set(ds.rng.sample(pool, min(4, len(pool))))],
        "general_objectives": "<p>Réduire les chutes des aînés.</p>",
        "cls_year": start.year,
        "date_start": start,
        "date_end": start + dt.timedelta(days=365),
        "indicator_ids": [Command.create(dict(indicator)) for indicator in INDICATORS],
        "collective_action_ids": [
            Command.create(
                {
                    "name": f"Atelier {step + 1}",
                    "date_planned": start + dt.timedelta(days=40 * step),
                    "state": "done"
                    if start + dt.timedelta(days=40 * step) < ds.today
                    else "planned",
                    "participant_count": ds.rng.randint(5, 25),
                }
            )
            for step in range(5)
        ],
        "funding_line_ids": [
            Command.create(
                {
                    "funder_id": ds.rng.choice(ds.structure_pool[territory_id]),
                    "name": "Subvention",
                    "amount": ds.rng.randint(1000, 20000),
                    "status": ds.rng.choice(("existing", "to_develop")),
                }
            )
        ],
    }


def sessions(ds):
    """Sessions, their attendees and the attendance of the past ones.

    calendar.event's create() turns ``partner_ids`` into attendees, writes the
    organiser's details into the description and sends the invitations of the
    future sessions (the data set sends none); the module's makes the sessions
    about a person private. Here: the module's rule on the values, the core
    create, then the attendees in bulk.
    """
    Event = ds.env["calendar.event"]
    values = _collective_sessions(ds) + _individual_sessions(ds)
    for vals in values:
        Event._coordination_prepare_values(vals)
    ids = orm_insert(ds, "calendar.event", values)
    attendees, recorded = _attendees(ds, ids, values)
    orm_insert(ds, "calendar.attendee", attendees)
    return (
        f"{ds.vol['collective_sessions']} collective + "
        f"{ds.vol['individual_sessions']} individual sessions, "
        f"{len(attendees)} attendees, {recorded} attendances recorded"
    )


def _attendees(ds, event_ids, values):
    """An attendee per partner of each session; attendance of the past ones."""
    Attendee = ds.env["calendar.attendee"]
    attendees, recorded = [], 0
    for event_id, vals in zip(event_ids, values, strict=True):
        past = vals["start"] < ds.now
        for partner_id in vals["partner_ids"][0][2]:
            attendee = {
                "event_id": event_id,
                "partner_id": partner_id,
                # the invitation's token, a default that differs per attendee
                "access_token": f"{ds.rng.getrandbits(128):032x}",
            }
            if past:
                attendee["coordination_attendance"] = ds.rng.choices(
                    ("present", "excused", "absent"), (75, 15, 10)
                )[0]
                # the reply that goes with the attendance (the attendee's create())
                Attendee._coordination_reply_from_attendance(attendee)
                recorded += 1
            attendees.append(attendee)
    return attendees, recorded


def _collective_sessions(ds):
    """Collective sessions: the last two years and the next two months."""
    types = ds.env["coordination.session.type"].search([("is_individual", "=", False)])
    values = []
    for _index in range(ds.vol["collective_sessions"]):
        territory_id = ds.rng.choice(ds.territories.ids)
        start = ds.rand_datetime(
            ds.today - dt.timedelta(days=730), ds.today + dt.timedelta(days=60)
        )
        pool = ds.pool[territory_id] + ds.structure_pool[territory_id]
        partners = ds.rng.sample(pool, min(len(pool), ds.rng.randint(3, 8)))
        coordinator = ds.coordinator_of[territory_id]
        collective = ds.collective_by_territory.get(territory_id) or []
        values.append(
            {
                "name": "Groupe de travail",
                "start": start,
                "stop": start + dt.timedelta(hours=2),
                "user_id": coordinator.id,
                "partner_ids": [ds.Command.set([*partners, coordinator.partner_id.id])],
                "coordination_session_type_id": ds.rng.choice(types).id,
                "coordination_territory_id": territory_id,
                "coordination_collective_project_id": (
                    ds.rng.choice(collective)
                    if collective and ds.rng.random() < 0.6
                    else False
                ),
                "location": "Pôle santé",
            }
        )
    return values


def _individual_sessions(ds):
    """Sessions about a person: concertations of the circle, private."""
    concertation = ds.ref("session_type_concertation")
    candidates = [
        m for m in ds.project_meta if m["consent"] == "given"
    ] or ds.project_meta
    values = []
    for _index in range(ds.vol["individual_sessions"]):
        meta = ds.rng.choice(candidates)
        end = meta.get("date_closed") or (ds.today + dt.timedelta(days=45))
        start = ds.rand_datetime(meta["date_start"], max(end, meta["date_start"]))
        partners = {
            meta["person_id"],
            meta["coordinator_partner_id"],
            *ds.members_of.get(meta["id"], []),
        }
        values.append(
            {
                "name": "Concertation",
                "start": start,
                "stop": start + dt.timedelta(hours=1),
                "user_id": ds.coordinator_of[meta["territory_id"]].id,
                "partner_ids": [ds.Command.set(sorted(partners))],
                "coordination_session_type_id": concertation.id,
                "coordination_project_id": meta["id"],
            }
        )
    return values


def alerts(ds):
    staff_partners = ds.staff.partner_id.ids
    values = []
    for index in range(ds.vol["alerts"]):
        territories = ds.rng.sample(
            ds.territories.ids, min(len(ds.territories), ds.rng.randint(1, 3))
        )
        start = ds.rand_date(ds.today - dt.timedelta(days=1000), ds.today)
        state = ds.rng.choices(("draft", "active", "closed"), (10, 15, 75))[0]
        vals = {
            "title": f"Alerte {index + 1}: canicule",
            "alert_type": ds.rng.choice(
                ("epidemiological", "psychosocial", "environmental", "exceptional")
            ),
            "severity": ds.rng.choice(("info", "vigilance", "alert")),
            "territory_ids": [ds.Command.set(territories)],
            "date_start": start,
            "date_end": start + dt.timedelta(days=ds.rng.randint(3, 30)),
            "message": "<p>Fortes chaleurs: pensez aux personnes isolées.</p>",
            "state": state,
        }
        if state != "draft":
            audience = set(staff_partners)
            for territory_id in territories:
                audience.update(ds.pool[territory_id])
            vals["date_published"] = dt.datetime.combine(start, dt.time(9))
            vals["published_partner_ids"] = [ds.Command.set(sorted(audience))]
        values.append(vals)
    ds.env["coordination.alert"].create(values)
    return f"{len(values)} alerts"
