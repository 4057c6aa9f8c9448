"""The text report: printed as it goes and written to the result file."""

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
RULE = "=" * 100


class Report:
    """Print to stdout and keep the lines for the result file."""

    def __init__(self):
        self.lines = []

    def __call__(self, text=""):
        print(text, flush=True)
        self.lines.append(text)

    def table(self, header, rows, align=None):
        """A table of left- (``<``) or right-aligned (``>``) columns."""
        rows = [[cell(value) for value in row] for row in rows]
        widths = [len(h) for h in header]
        for row in rows:
            for index, value in enumerate(row):
                widths[index] = max(widths[index], len(value))
        align = align or ["<"] + [">"] * (len(header) - 1)

        def fmt(row):
            return "  ".join(
                f"{value:{align[i]}{widths[i]}}" for i, value in enumerate(row)
            ).rstrip()

        self(fmt(header))
        self("  ".join("-" * w for w in widths))
        for row in rows:
            self(fmt(row))

    def write(self, path):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(self.lines) + "\n")


def cell(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value)


def module_revision():
    """The commit of the module's repository, and whether the module has changes."""

    def git(*args):
        return subprocess.run(
            ["git", "-C", str(REPO_ROOT), *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    try:
        head = git("log", "-1", "--format=%h %s")
        dirty = git("status", "--porcelain", "--", "coordination_microlocale")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    changed = len(dirty.splitlines())
    suffix = f" + {changed} uncommitted file(s) in the module" if changed else ""
    return f"{head[:70]}{suffix}"


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine_info(env):
    import odoo.release

    env.cr.execute("SHOW server_version")
    pg_version = env.cr.fetchone()[0]
    cpus = os.cpu_count()
    return [
        ("date", dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")),
        ("module", module_revision()),
        ("nproc", f"{len(os.sched_getaffinity(0))} (of {cpus} CPUs)"),
        ("python", f"{platform.python_version()} ({sys.executable})"),
        ("odoo", odoo.release.version),
        ("postgresql", pg_version),
        ("platform", platform.platform()),
        ("load average", load_average() + " (1, 5, 15 min, at start)"),
    ]
