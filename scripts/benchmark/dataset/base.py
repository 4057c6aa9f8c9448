"""The state shared by the build phases: environment, random source, helpers."""

import datetime as dt
import random

from .names import FIRST_NAMES, LAST_NAMES

SEED = 20261122
# The largest --scale the data set is designed for (argument check of cli.py).
MAX_SCALE = 25
# No mail, no chatter tracking: the data set is loaded, not typed in.
FAST_CONTEXT = {
    "no_mail_to_attendees": True,
    "dont_notify": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "tracking_disable": True,
    "no_reset_password": True,
}


def scaled(base, scale, minimum, cap=None):
    value = max(minimum, round(base * scale))
    return value if cap is None else min(value, cap)


def volumes_for(scale):
    """How many of each kind of record the data set holds at ``scale``."""
    vol = {
        # An intercommunal coordination grows in files over the years faster
        # than in communes, professionals and residents: those are capped at
        # what a department's coordination holds (--scale 25: 50 territories,
        # 5,000 professionals, 1,000 structures, 100,000 residents).
        "territories": scaled(12, scale, 2, 50),
        "professional_users": scaled(150, scale, 12, 1250),
        "staff": 3,
        "managers": 1,
        "structures": scaled(100, scale, 10, 1000),
        "directory_professionals": scaled(300, scale, 30, 3750),
        "residents": scaled(6000, scale, 60, 100_000),
        "requests": scaled(8000, scale, 80),
        "projects": scaled(3000, scale, 30),
        "collective_sessions": scaled(2000, scale, 20),
        "individual_sessions": scaled(3000, scale, 30),
        "collective_projects": scaled(50, scale, 3),
        "alerts": scaled(200, scale, 5),
    }
    vol["projects"] = min(vol["projects"], vol["residents"])
    return vol


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Dataset:
    """What the phases build, and the helpers they share.

    Each phase (``dataset.PHASES``) reads the attributes set by the phases
    before it (``territories``, ``pool``, ``project_meta``...) and adds its own.
    """

    def __init__(self, env, scale):
        from odoo import fields
        from odoo.fields import Command

        self.Command = Command
        self.env = env(context=dict(env.context, **FAST_CONTEXT))
        self.cr = env.cr
        self.vol = volumes_for(scale)
        self.rng = random.Random(SEED)
        self.today = dt.date.today()
        self.now = fields.Datetime.now()
        self.inserted = {}  # {model: ids} of bulk.orm_insert, for consistency.check

    def ref(self, xmlid):
        return self.env.ref(f"coordination_microlocale.{xmlid}")

    def commit(self):
        self.env.flush_all()
        self.cr.commit()
        self.env.invalidate_all()

    def person_name(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def rpps(self, seed):
        return self._with_luhn_key(f"10{seed:08d}")

    def finess(self, seed):
        return self._with_luhn_key(f"85{seed:06d}")

    @staticmethod
    def _with_luhn_key(base):
        from odoo.addons.coordination_microlocale.models.directory.identifiers import (
            luhn_check_digit,
        )

        return base + luhn_check_digit(base)

    def rand_date(self, start, end):
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def rand_datetime(self, start_date, end_date, hours=(8, 18)):
        day = self.rand_date(start_date, end_date)
        return dt.datetime.combine(
            day, dt.time(self.rng.randint(*hours), self.rng.choice((0, 15, 30, 45)))
        )

    def served_territories(self):
        first = self.rng.choice(self.territories.ids)
        if self.rng.random() < 0.3:
            second = self.rng.choice(self.territories.ids)
            return sorted({first, second})
        return [first]

    def territory_name(self, territory_ids):
        return self.territories.browse(territory_ids[0]).name
