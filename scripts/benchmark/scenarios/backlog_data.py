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
