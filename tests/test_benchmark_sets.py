"""The pure parts of the benchmark's "against plain Odoo" table and crons set."""

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest


@pytest.fixture(scope="module")
def bench_pkg(repo_root):
    sys.path.insert(0, str(repo_root / "scripts"))
    try:
        from benchmark.scenarios import backlog, plain

        yield SimpleNamespace(backlog=backlog, plain=plain)
    finally:
        sys.path.remove(str(repo_root / "scripts"))


def _measure(ms, queries, result=None):
    return {"denied": False, "ms": ms, "queries": queries, "result": result}


def _ctx(lists):
    roles = [
        ("coordinator", None, ""),
        ("professional", None, ""),
        ("manager", None, ""),
    ]
    return SimpleNamespace(roles=roles, lists=lists)


def test_each_module_list_is_compared_with_plain_lists_of_its_size(bench_pkg):
    plain = bench_pkg.plain
    section = plain.SECTION
    lists = {
        ("projects list", "coordinator"): (_measure(30.0, 14), {}, 80, 250),
        ("projects list", "professional"): (_measure(25.0, 11), {}, 21, 21),
        # no row: nothing to compare
        ("projects list", "manager"): (_measure(1.0, 1), {}, 0, 0),
        (section, "res.partner", 80): _measure(35.0, 14, 80),
        (section, "calendar.event", 80): _measure(20.0, 10, 80),
        (section, "res.partner", 21): _measure(20.0, 14, 21),
        (section, "calendar.event", 21): _measure(25.0, 10, 21),
    }
    rows = plain.comparison_rows(_ctx(lists))
    contacts, events = "contacts list (res.partner)", "calendar.event list"
    assert [(r[1], r[2], r[5], r[9], r[10]) for r in rows] == [
        ("coordinator", 80, contacts, "0.86", "ok"),
        ("coordinator", 80, events, "1.50", "MISSED"),
        ("professional", 21, contacts, "1.25", "MISSED"),
        ("professional", 21, events, "1.00", "ok"),
    ]
    assert {r[0] for r in rows} == {"projects list"}
    # module queries and plain queries, side by side
    assert (rows[0][4], rows[0][8]) == (14, 14)


def test_list_ratio_never_divides_by_zero(bench_pkg):
    assert bench_pkg.plain.list_ratio(2.0, 0.0) == pytest.approx(2000.0)
    assert bench_pkg.plain.list_ratio(10.0, 20.0) == pytest.approx(0.5)


def test_backlog_is_ten_thousand_files_at_scale_one(bench_pkg):
    backlog = bench_pkg.backlog
    assert backlog.backlog_size(1) == 10000
    assert backlog.backlog_size(0.02) == 200
    assert backlog.backlog_size(0.0001) == 20
    assert backlog.TARGET_SECONDS == 300


def test_crons_set_is_chosen_by_its_flag(repo_root, bench_pkg):
    env = dict(os.environ, PYTHONPATH=str(repo_root / "scripts"), PYTHONSAFEPATH="1")
    code = (
        "from benchmark.cli import parse_args\n"
        "from benchmark.scenarios import SETS\n"
        "a = parse_args(['--db', 'b', '--addons-path', '-', '--crons'])\n"
        "print(a.scenario_set, SETS[a.scenario_set].__module__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["crons", "benchmark.scenarios.backlog"]
    text = (repo_root / "scripts" / "benchmark.sh").read_text(encoding="utf-8")
    assert '[ "$CRONS" -eq 1 ] && BENCH_ARGS=(--crons --scale "$SCALE")' in text
