"""The growth comparison of the benchmark (scripts/benchmark/growth.py), no Odoo."""

import json
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def bench_modules(repo_root):
    sys.path.insert(0, str(repo_root / "scripts"))
    try:
        from benchmark import growth, results

        yield growth, results
    finally:
        sys.path.remove(str(repo_root / "scripts"))


def _run(section, label, role, ms, queries):
    from benchmark.results import key

    return {
        "key": key(section, label, role),
        "section": section,
        "label": label,
        "role": role,
        "ms": ms,
        "queries": queries,
        "rows": None,
    }


def _results(scale, measurements, build=300.0):
    return {
        "scale": scale,
        "volumes": {"projects": int(3000 * scale)},
        "build": [{"phase": "requests", "seconds": build, "detail": ""}],
        "measurements": measurements,
        "crons": [
            {
                "key": "crons | consent._cron_expire() | superuser",
                "name": "consent._cron_expire()",
                "ms": 2000.0 * scale,
                "queries": 2000 * scale,
                "done": 1000 * scale,
                "error": None,
            }
        ],
        "load_average": "1.00 1.00 1.00",
    }


def test_keys_ignore_what_depends_on_the_data_set(bench_modules):
    _growth, results = bench_modules
    assert results.key(
        "project form", "web_read PSI/2026/2485 (x2many: circle)", "coordinator"
    ) == results.key(
        "project form", "web_read PSI/2027/61230 (x2many: circle)", "coordinator"
    )
    assert results.key(
        "portal pages", "portal home /my (counters) (49 circles)", "portal prof."
    ) == results.key(
        "portal pages", "portal home /my (counters) (1220 circles)", "portal prof."
    )
    assert results.key("lists", "a", "coordinator") != results.key(
        "lists", "a", "professional"
    )


def test_targets_of_lists_forms_and_evaluation(bench_modules):
    growth, _results_module = bench_modules
    small = _results(
        1,
        [
            _run("projects list", "web_search_read limit=80", "coordinator", 30, 14),
            _run("project form", "web_read PSI/2026/1 (x2many)", "coordinator", 30, 32),
            _run("evaluation", "pivot: formatted_read_grouping_sets", "manager", 20, 2),
            _run("requests list", "search_count([])", "coordinator", 1, 1),
        ],
    )
    large = _results(
        25,
        [
            # 1.6 times slower and one more query: both targets missed
            _run("projects list", "web_search_read limit=80", "coordinator", 48, 15),
            # same queries: ok (a form has no time ratio target)
            _run("project form", "web_read PSI/2027/9 (x2many)", "coordinator", 90, 32),
            _run(
                "evaluation", "pivot: formatted_read_grouping_sets", "manager", 310, 2
            ),
            # counts grow with the data: no target
            _run("requests list", "search_count([])", "coordinator", 9, 1),
        ],
    )
    rows, missed = growth.compare(small, large)
    verdicts = {row[0]: row[-1] for row in rows}
    assert verdicts["projects list"] == "same queries MISSED, ms x1.5 MISSED"
    assert verdicts["project form"] == "same queries ok"
    assert verdicts["evaluation"] == "< 300 ms MISSED"
    assert verdicts["requests list"] == ""
    assert missed == 3
    assert rows[0][5] == 1.6  # the ratio of the times


def test_growth_table_and_exit_status(bench_modules, repo_root, tmp_path):
    measurement = _run(
        "projects list", "web_search_read limit=80", "coordinator", 30, 14
    )
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    small.write_text(json.dumps(_results(1, [measurement])))
    large.write_text(json.dumps(_results(25, [dict(measurement, ms=33.0)], 800.0)))
    output = tmp_path / "growth.txt"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmark.growth",
            str(small),
            str(large),
            "--output",
            str(output),
        ],
        cwd=repo_root / "scripts",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = output.read_text(encoding="utf-8")
    assert "build at scale 25: 800 s, target under 900 s: ok" in text
    assert "same queries ok, ms x1.5 ok" in text
    assert "targets missed: 0" in text
    # the cron's cost per item, at both scales
    assert "consent._cron_expire()" in text
    large.write_text(json.dumps(_results(25, [dict(measurement, ms=33.0)], 1000.0)))
    done = subprocess.run(
        [sys.executable, "-m", "benchmark.growth", str(small), str(large)],
        cwd=repo_root / "scripts",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert "target under 900 s: MISSED" in done.stdout
