"""What the scenarios of the standard set share and what they leave for the report."""

from dataclasses import dataclass, field

from ..harness import Bench
from ..webclient import as_user


@dataclass
class Context:
    env: object  # superuser environment of the benchmark's cursor
    ds: object  # the data set (dataset.Dataset)
    report: object  # report.Report
    bench: Bench = None
    roles: list = field(default_factory=list)  # [(role, user, scope)]
    # [(section, label, role, measure, rows)], printed by section, in order
    results: list = field(default_factory=list)
    lists: dict = field(default_factory=dict)  # for the ratios
    calendar: dict = field(default_factory=dict)
    evaluation: dict = field(default_factory=dict)
    crons: list = field(default_factory=list)
    trail_table: tuple = None  # (rows, bytes) of the trail after the measurements
    day: dict = None  # scenarios.day

    def __post_init__(self):
        if self.bench is None:
            self.bench = Bench(self.env)

    def as_user(self, model, user):
        return as_user(self.env, model, user)

    def role_user(self, role):
        return next(user for name, user, _scope in self.roles if name == role)

    def record(self, section, label, role, res, rows=None):
        """One row of the report (rows: the figure of its "rows" column)."""
        self.results.append((section, label, role, res, rows))
