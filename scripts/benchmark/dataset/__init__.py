"""The intercommunal data set: territories, users, directory, residents,
individual files, sessions, collective work, built phase by phase.

``build(env, scale, report)`` runs the phases in order, committing after each,
and prints their times. A new phase is a function ``phase(ds) -> detail`` added
to ``PHASES`` after the phases whose records it uses.
"""

import time

from . import collective, directory, individual, requests
from .base import MAX_SCALE, Dataset, volumes_for

PHASES = [
    ("territories and users", directory.territories_and_users),
    ("directory", directory.directory),
    ("residents", directory.residents),
    ("individual projects", individual.projects),
    ("consents (_set_consent)", individual.consents),
    ("circles", individual.circles),
    ("needs, goals, actions", individual.needs_goals_actions),
    ("hospital stays", individual.hospital_stays),
    ("requests", requests.requests),
    ("to-do activities", requests.activities),
    ("closing of old projects", requests.close_projects),
    ("collective projects", collective.collective),
    ("sessions and attendees", collective.sessions),
    ("alerts", collective.alerts),
]

__all__ = ["MAX_SCALE", "PHASES", "Dataset", "build", "volumes_for"]


def build(env, scale, report):
    """The data set at ``scale``, and [(phase, seconds, detail)]."""
    ds = Dataset(env, scale)
    timings = []
    for name, phase in PHASES:
        report(f"  build: {name} ...")
        start = time.perf_counter()
        detail = phase(ds)
        seconds = time.perf_counter() - start
        timings.append((name, seconds, detail))
        report(f"  build: {name}: {seconds:.1f} s{f' ({detail})' if detail else ''}")
        ds.commit()
    return ds, timings
