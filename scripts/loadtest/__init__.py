"""Load test of a multi-worker Odoo server serving the module (scripts/loadtest.sh).

Steps, each a sub-command of ``python3 -m loadtest``:
  prepare  (Odoo registry) the users driven get a known password, two factors and
           the trail's window are set for the run, what the crons have to do is noted
  run      (HTTP only) virtual users make the web client's calls against the server
           while the module's daily crons run on its cron worker
  report   (SQL only, the server stopped) figures, the server log, post-checks
  restore  (SQL only) the settings changed by ``prepare`` are put back
"""
