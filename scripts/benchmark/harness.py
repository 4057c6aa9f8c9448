"""Timing and SQL query counts of a call, the access trail instrumented.

Nothing of the module is changed: the trail is switched off for the "trail
off" comparison, and its own cost measured, by wrapping its hook in this
process only.
"""

import statistics
import time

REPEAT = 3  # timed runs of each call, after a cold one


class _Rollback(Exception):
    pass


class Bench:
    def __init__(self, env):
        self.env = env
        self.cr = env.cr
        self.trail = {"enabled": True, "queries": 0, "seconds": 0.0, "depth": 0}
        for name in env.registry:
            cls = env.registry[name]
            if name != "coordination.access.trail.mixin" and hasattr(
                cls, "_coordination_trail"
            ):
                cls._coordination_trail = self._wrap_trail(cls._coordination_trail)

    def _wrap_trail(self, original):
        trail = self.trail

        def wrapped(record_self, operation):
            if not trail["enabled"]:
                return None
            if trail["depth"]:
                return original(record_self, operation)
            trail["depth"] += 1
            cr = record_self.env.cr
            q0, t0 = cr.sql_log_count, time.perf_counter()
            try:
                return original(record_self, operation)
            finally:
                trail["queries"] += cr.sql_log_count - q0
                trail["seconds"] += time.perf_counter() - t0
                trail["depth"] -= 1

        return wrapped

    def log_rows(self):
        self.cr.flush()  # the traces buffered by the transaction, if any
        self.cr.execute("SELECT count(*) FROM coordination_access_log")
        return self.cr.fetchone()[0]

    def run(self, func, trail=True):
        """Median wall time and query count of ``func`` (plus a cold first run).

        ``{"denied": True}`` when it raises AccessError.
        """
        from odoo.exceptions import AccessError

        self.trail["enabled"] = trail
        runs = []
        try:
            for _index in range(REPEAT + 1):
                runs.append(self._run_once(func))
        except AccessError:
            self.env.invalidate_all()
            return {"denied": True}
        finally:
            self.trail["enabled"] = True
        cold, timed = runs[0], runs[1:]

        def median(key):
            return statistics.median(r[key] for r in timed)

        return {
            "denied": False,
            "ms": median("ms"),
            "ms_min": min(r["ms"] for r in timed),
            "queries": int(median("queries")),
            "cold_queries": cold["queries"],
            "trail_rows": int(median("trail_rows")),
            "trail_queries": int(median("trail_queries")),
            "trail_ms": median("trail_ms"),
            "result": timed[-1]["result"],
        }

    def _run_once(self, func):
        self.env.invalidate_all()
        rows_before = self.log_rows()
        self.trail["queries"], self.trail["seconds"] = 0, 0.0
        q0, t0 = self.cr.sql_log_count, time.perf_counter()
        result = func()
        self.env.flush_all()
        # the trail's INSERT runs as the transaction flushes (precommit)
        q1, t1 = self.cr.sql_log_count, time.perf_counter()
        self.cr.flush()
        self.trail["queries"] += self.cr.sql_log_count - q1
        self.trail["seconds"] += time.perf_counter() - t1
        seconds = time.perf_counter() - t0
        return {
            "ms": seconds * 1000,
            "queries": self.cr.sql_log_count - q0,
            "trail_rows": self.log_rows() - rows_before,
            "trail_queries": self.trail["queries"],
            "trail_ms": self.trail["seconds"] * 1000,
            "result": result,
        }

    def in_rollback(self, func):
        """Run ``func`` in a savepoint that is rolled back; return its result."""
        holder = {}
        try:
            with self.cr.savepoint():
                holder["result"] = func()
                raise _Rollback
        except _Rollback:
            pass
        self.env.invalidate_all()
        return holder.get("result")

    def steps_in_rollback(self, *steps):
        """[(ms, queries, result, error)] of the steps, in one rolled-back savepoint.

        A step that raises UserError or ValidationError stops the sequence.
        """
        from odoo.exceptions import UserError, ValidationError

        figures = []

        def body():
            for step in steps:
                self.env.invalidate_all()
                q0, t0 = self.cr.sql_log_count, time.perf_counter()
                result, error = None, None
                try:
                    result = step()
                    self.env.flush_all()
                except (UserError, ValidationError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                ms = (time.perf_counter() - t0) * 1000
                figures.append((ms, self.cr.sql_log_count - q0, result, error))
                if error:
                    break

        self.in_rollback(body)
        return figures
