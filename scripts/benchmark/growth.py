"""Growth between two scales: the same measurements side by side, with ratios.

    PYTHONPATH=scripts python3 -m benchmark.growth SMALL.json LARGE.json [--output FILE]

``bash scripts/benchmark.sh --growth 1,25`` runs the standard set at both
scales (one database each) and then this. The targets of a measurement:

- lists, forms, name search, calendar and portal pages: the same number of SQL
  queries at both scales (nothing per row or per file held);
- lists (the list views, the portal's list of shared projects): the large
  scale's time within 1.5 times the small one's;
- the evaluation's grouped reads and pivot: under 300 ms at the large scale,
  for every role;
- the module's lists no slower than the plain Odoo list of the same size
  (section "against plain Odoo", when the run has it).
"""

import argparse
import sys

from .report import Report
from .results import read

SAME_QUERIES = (
    "projects list",
    "requests list",
    "project form",
    "project name_search",
    "sessions calendar",
    "portal pages",
)
# The lists: the module's list views and the portal's list of shared projects
# (the calendar shows every session of the month: it grows with the data shown).
LIST_LABELS = ("web_search_read", "portal list")
LIST_RATIO = 1.5
EVALUATION_MS = 300
BUILD_SECONDS = 15 * 60


def targets(row):
    """[(name, check(small, large) -> bool)] that apply to a measurement."""
    found = []
    section, label = row["section"], row["label"]
    if section.startswith(SAME_QUERIES) and not label.startswith("search_count"):
        found.append(("same queries", lambda a, b: a["queries"] == b["queries"]))
        if label.startswith(LIST_LABELS) and "switched off" not in label:
            found.append(
                (f"ms x{LIST_RATIO}", lambda a, b: b["ms"] <= LIST_RATIO * a["ms"])
            )
    if section == "evaluation" and "read_group" in label and row["role"] != "superuser":
        found.append((f"< {EVALUATION_MS} ms", lambda _a, b: b["ms"] < EVALUATION_MS))
    return found


def compare(small, large):
    """Rows of the comparison table and the number of targets missed."""
    by_key = {row["key"]: row for row in small["measurements"]}
    rows, missed = [], 0
    for row in large["measurements"]:
        before = by_key.get(row["key"])
        if before is None:
            continue
        checks = targets(row)
        verdicts = [(name, check(before, row)) for name, check in checks]
        missed += sum(1 for _name, ok in verdicts if not ok)
        rows.append(
            (
                row["section"],
                row["label"][:48],
                row["role"],
                before["ms"],
                row["ms"],
                ratio(row["ms"], before["ms"]),
                before["queries"],
                row["queries"],
                ", ".join(
                    f"{name} {'ok' if ok else 'MISSED'}" for name, ok in verdicts
                ),
            )
        )
    return rows, missed


def cron_rows(small, large):
    by_key = {row["key"]: row for row in small["crons"]}
    rows = []
    for row in large["crons"]:
        before = by_key.get(row["key"])
        if before is None or not row["done"] or not before["done"]:
            continue
        per_item = (before["ms"] / before["done"], row["ms"] / row["done"])
        rows.append(
            (
                row["name"],
                before["done"],
                row["done"],
                before["ms"],
                row["ms"],
                per_item[0],
                per_item[1],
                ratio(per_item[1], per_item[0]),
                before["queries"] / before["done"],
                row["queries"] / row["done"],
            )
        )
    return rows


def build_rows(small, large):
    before = {row["phase"]: row["seconds"] for row in small["build"]}
    rows = [
        (row["phase"], before.get(row["phase"]), row["seconds"])
        for row in large["build"]
    ]
    totals = (sum(before.values()), sum(row["seconds"] for row in large["build"]))
    rows.append(("total", *totals))
    return [(*row, ratio(row[2], row[1])) for row in rows], totals[1]


def ratio(value, base):
    return round(value / base, 2) if base else None


def print_growth(report, small, large):
    a, b = f"{small['scale']:g}", f"{large['scale']:g}"
    report(f"Growth between --scale {a} and --scale {b}")
    report(
        f"load average at the end: {small['load_average']} / {large['load_average']}"
    )
    report()
    report.table(
        ["item", f"scale {a}", f"scale {b}", "ratio"],
        [
            (item, small["volumes"][item], count, ratio(count, small["volumes"][item]))
            for item, count in large["volumes"].items()
        ],
    )
    report()
    report("## build (seconds)")
    rows, build_total = build_rows(small, large)
    report.table(["phase", f"scale {a}", f"scale {b}", "ratio"], rows)
    build_ok = build_total <= BUILD_SECONDS
    report(
        f"build at scale {b}: {build_total:.0f} s, target under {BUILD_SECONDS} s: "
        f"{'ok' if build_ok else 'MISSED'}"
    )
    report()
    report("## measurements (ms = median of 3 warm runs; q = SQL queries)")
    rows, missed = compare(small, large)
    report.table(
        [
            "section",
            "measurement",
            "role",
            f"ms {a}",
            f"ms {b}",
            "ratio",
            f"q {a}",
            f"q {b}",
            "targets",
        ],
        rows,
        ["<", "<", "<", ">", ">", ">", ">", ">", "<"],
    )
    report()
    report("## crons (the whole backlog of the history, in one run)")
    report.table(
        [
            "cron",
            f"done {a}",
            f"done {b}",
            f"ms {a}",
            f"ms {b}",
            f"ms/item {a}",
            f"ms/item {b}",
            "ratio",
            f"q/item {a}",
            f"q/item {b}",
        ],
        cron_rows(small, large),
    )
    report()
    report(f"targets missed: {missed + (0 if build_ok else 1)}")
    return missed + (0 if build_ok else 1)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="benchmark.growth")
    parser.add_argument("small", help="JSON results of the small scale")
    parser.add_argument("large", help="JSON results of the large scale")
    parser.add_argument("--output", help="also write the comparison to this file")
    args = parser.parse_args(argv)
    report = Report()
    missed = print_growth(report, read(args.small), read(args.large))
    if args.output:
        report.write(args.output)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
