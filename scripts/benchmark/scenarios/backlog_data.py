"""The backlogs of the daily crons, built with batched ``create()``.

``size`` closed individual projects past their retention (persons, given
consents, circles, needs, actions, one session each) and as many closed
requests past their retention: due for anonymisation. ``size`` open projects
whose consent is past its expiry, whose review is due and that have an overdue
action: due for consent expiry and for the two reminders. The closed files'
consents are given until next year, so that each cron has its own backlog.
"""

import datetime as dt
import random

SEED = 20261202
TERRITORIES = 5
PROFESSIONALS = 60
CIRCLE = 4  # professionals in the circle of each project
BATCH = 1000
GROUP = "coordination_microlocale.group_coordinator"
# No mail, no chatter tracking: the backlog is loaded, not typed in.
FAST_CONTEXT = {
    "no_mail_to_attendees": True,
    "dont_notify": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "tracking_disable": True,
    "no_reset_password": True,
}


class Backlog:
    """What the phases build: the ids of each part, per territory."""

    def __init__(self, env, size):
        from odoo.fields import Command

        self.Command = Command
        self.env = env(context=dict(env.context, **FAST_CONTEXT))
        self.size = size
        self.rng = random.Random(SEED)
        self.today = dt.date.today()
        retention = int(
            env["ir.config_parameter"].get_param(
                "coordination_microlocale.retention_days", 730
            )
        )
        self.closed_before = self.today - dt.timedelta(days=retention + 1)

    def create(self, model, values):
        records = self.env[model]
        for start in range(0, len(values), BATCH):
            records |= self.env[model].create(values[start : start + BATCH])
            self.env.flush_all()
        return records

    def territory(self, index):
        return self.territories[index % len(self.territories)]


def directory(bl):
    """Territories, their coordinators and the professionals of the circles."""
    bl.territories = bl.env["coordination.territory"].create(
        [
            {"name": f"Commune backlog {i + 1}", "kind": "commune"}
            for i in range(TERRITORIES)
        ]
    )
    group = bl.env.ref(GROUP)
    bl.coordinators = bl.env["res.users"].create(
        [
            {
                "name": f"Coordinatrice {territory.name}",
                "login": f"backlog.coord.{index}",
                "notification_type": "inbox",
                "group_ids": [bl.Command.set(group.ids)],
                "coordination_territory_ids": [bl.Command.set(territory.ids)],
            }
            for index, territory in enumerate(bl.territories)
        ]
    )
    bl.professionals = bl.create(
        "res.partner",
        [
            {"name": f"Professionnel {i + 1}", "coordination_role": "professional"}
            for i in range(PROFESSIONALS)
        ],
    ).ids
    return f"{TERRITORIES} territories and coordinators, {PROFESSIONALS} professionals"


def persons(bl):
    """One person per project, open and closed, and per request."""
    partners = bl.create(
        "res.partner",
        [
            {"name": f"Personne {i + 1}", "city": "La Roche-sur-Yon"}
            for i in range(3 * bl.size)
        ],
    )
    ids = partners.ids
    bl.closed_persons = ids[: bl.size]
    bl.open_persons = ids[bl.size : 2 * bl.size]
    bl.request_persons = ids[2 * bl.size :]
    return f"{len(ids)} persons"


def _projects(bl, persons, date_start, review):
    values = []
    for index, person_id in enumerate(persons):
        values.append(
            {
                "person_id": person_id,
                "territory_id": bl.territory(index).id,
                "coordinator_id": bl.coordinators[index % TERRITORIES].id,
                "date_start": date_start - dt.timedelta(days=index % 60),
                "review_date": review,
                "problematique": "Isolement, difficultés d'accès aux soins.",
                "state": "in_progress",
            }
        )
    return bl.create("coordination.individual.project", values)


def closed_projects(bl):
    """Projects to close later, their consent given until next year."""
    start = bl.closed_before - dt.timedelta(days=500)
    bl.closed = _projects(bl, bl.closed_persons, start, None)
    bl.closed._set_consent(
        "given",
        date=start,
        means="oral",
        expiry_date=bl.today + dt.timedelta(days=365),
    )
    bl.env.flush_all()
    return f"{len(bl.closed)} projects, consent given"


def open_projects(bl):
    """Open projects, their consent past expiry and their review due."""
    start = bl.today - dt.timedelta(days=500)
    review = bl.today - dt.timedelta(days=7)
    bl.open = _projects(bl, bl.open_persons, start, review)
    given = bl.today - dt.timedelta(days=400)
    bl.open._set_consent(
        "given", date=given, means="oral", expiry_date=given + dt.timedelta(days=365)
    )
    bl.env.flush_all()
    return f"{len(bl.open)} projects, consent expired, review due"


def circles(bl):
    """Four professionals in the circle of every project, open and closed."""
    values = []
    bl.members_of = {}
    for project in bl.closed | bl.open:
        members = bl.rng.sample(bl.professionals, CIRCLE)
        bl.members_of[project.id] = members
        values += [
            {
                "project_id": project.id,
                "partner_id": partner_id,
                "role": "professional",
                "role_detail": "Suivi",
            }
            for partner_id in members
        ]
    bl.create("coordination.circle.member", values)
    return f"{len(values)} members (+ person and coordinator of each project)"


def needs_and_actions(bl):
    """A need and two actions per project; on open ones an action is overdue."""
    determinants = bl.env["coordination.determinant"].search([]).ids
    needs, actions = [], []
    for projects, states in ((bl.closed, ("done", "cancelled")), (bl.open, ("todo",))):
        for project in projects:
            needs.append(
                {
                    "project_id": project.id,
                    "determinant_id": bl.rng.choice(determinants),
                    "description": "Besoin exprimé par la personne.",
                }
            )
            for index, state in enumerate(states):
                actions.append(
                    {
                        "project_id": project.id,
                        "name": f"Action {index + 1}",
                        "responsible_partner_id": bl.members_of[project.id][0],
                        "date_due": bl.today - dt.timedelta(days=10),
                        "state": state,
                    }
                )
    bl.create("coordination.project.need", needs)
    bl.create("coordination.project.action", actions)
    return f"{len(needs)} needs, {len(actions)} actions ({len(bl.open)} overdue)"


def sessions(bl):
    """A concertation about each closed project: the anonymisation rewrites it."""
    concertation = bl.env.ref("coordination_microlocale.session_type_concertation")
    values = []
    for index, project in enumerate(bl.closed):
        start = dt.datetime.combine(
            bl.closed_before - dt.timedelta(days=200 + index % 100), dt.time(10, 0)
        )
        partners = [project.person_id.id, *bl.members_of[project.id]]
        values.append(
            {
                "name": "Concertation",
                "start": start,
                "stop": start + dt.timedelta(hours=1),
                "user_id": project.coordinator_id.id,
                "partner_ids": [bl.Command.set(partners)],
                "coordination_session_type_id": concertation.id,
                "coordination_project_id": project.id,
            }
        )
    bl.create("calendar.event", values)
    return f"{len(values)} individual sessions"


def close(bl):
    """The closed projects, closed before the retention, one write per date."""
    by_date = {}
    for index, project_id in enumerate(bl.closed.ids):
        closed_on = bl.closed_before - dt.timedelta(days=1 + index % 30)
        by_date.setdefault(closed_on, []).append(project_id)
    Project = bl.env["coordination.individual.project"]
    for closed_on, ids in by_date.items():
        Project.browse(ids).write(
            {
                "state": "closed",
                "closing_reason": "goals_reached",
                "date_closed": closed_on,
                "review_date": False,
            }
        )
    bl.env.flush_all()
    return f"{len(bl.closed)} projects closed in {len(by_date)} writes"


def requests(bl):
    """Closed requests, closed before the retention period."""
    determinants = bl.env["coordination.determinant"].search([]).ids
    values = []
    for index, person_id in enumerate(bl.request_persons):
        received = dt.datetime.combine(
            bl.closed_before - dt.timedelta(days=60 + index % 300), dt.time(9, 0)
        )
        values.append(
            {
                "territory_id": bl.territory(index).id,
                "coordinator_id": bl.coordinators[index % TERRITORIES].id,
                "date_received": received,
                "requester_type": "resident",
                "requester_partner_id": person_id,
                "person_id": person_id,
                "channel": "phone",
                "theme_ids": [bl.Command.set([bl.rng.choice(determinants)])],
                "description": "Demande reçue à l'accueil du pôle santé.",
                "state": "closed",
                "first_contact_date": received + dt.timedelta(hours=2),
                "outcome": "information",
                "date_closed": received + dt.timedelta(days=5),
            }
        )
    bl.requests = bl.create("coordination.request", values)
    return f"{len(bl.requests)} requests closed"


PHASES = [
    ("territories, coordinators, professionals", directory),
    ("persons", persons),
    ("closed projects, consents", closed_projects),
    ("open projects, consents", open_projects),
    ("circles", circles),
    ("needs and actions", needs_and_actions),
    ("sessions (calendar.event)", sessions),
    ("closing", close),
    ("requests", requests),
]


def build(env, size, report):
    """The backlogs, committed after each phase; (backlog, [(phase, s, detail)])."""
    import time

    bl = Backlog(env, size)
    timings = []
    for name, phase in PHASES:
        start = time.perf_counter()
        detail = phase(bl)
        bl.env.flush_all()
        env.cr.commit()
        seconds = time.perf_counter() - start
        timings.append((name, seconds, detail))
        report(f"  build: {name}: {seconds:.1f} s ({detail})")
    return bl, timings
