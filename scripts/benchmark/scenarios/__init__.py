"""The measurements, in sets: ``standard`` (the default: the data set at
``--scale``, then lists, forms, calendar, evaluation, crons and the trail of a
day, see standard.SCENARIOS) and ``import`` (``--import``: the national
directory import and the calendar feed, see imports.SCENARIOS) and ``register``
(``--register``: the register of vulnerable people, see register.py) and
``crons`` (``--crons``: 10,000 files worked off by each daily cron, see
backlog.py).

A set is ``run(args, registry, report, started)``; a new set is one more entry
in SETS and a way to choose it in cli.py.
"""

from . import backlog, imports, register, standard

SETS = {
    "standard": standard.run,
    "import": imports.run,
    "register": register.run,
    "crons": backlog.run,
}
