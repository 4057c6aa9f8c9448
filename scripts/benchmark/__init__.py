"""Performance benchmark of coordination_microlocale.

The package is run by ``bash scripts/benchmark.sh``, which creates a database
with the module installed without demo data, runs ``python3 -m benchmark`` (with
``scripts/`` on ``PYTHONPATH``) against it and drops it. Its parts:

- ``dataset``: the builder of an intercommunal data set, phase by phase, its
  volumes proportional to ``--scale`` (``dataset.volumes_for``), the large
  tables inserted in bulk then recomputed by the ORM (``dataset.bulk``), and
  checked (``dataset.consistency``: stored computed fields = a fresh compute);
- ``harness``: timing and SQL query counting of a call, the instrumented access
  trail, rolled-back savepoints;
- ``webclient``: what the web client sends (list, form and calendar specs);
- ``scenarios``: the measurements, in two sets (``scenarios.SETS``): the default
  one on the data set, and ``import`` (national directory import, ICS feed);
- ``report``: the text report, printed and written to ``logs/benchmark-*.txt``;
- ``results`` / ``growth``: the figures as JSON (``--json``) and the comparison
  of two scales (``bash scripts/benchmark.sh --growth 1,25``).

A new scale needs nothing but ``--scale``; a new measurement is a function
``scenario(ctx)`` added to a set in ``scenarios/__init__.py`` (the standard
ones record their rows with ``ctx.record``, which the report prints by section).
"""
