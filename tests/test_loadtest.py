"""The load test's pure parts (scripts/loadtest/): no Odoo, no server."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "scripts"))

from conftest import functions_over, run_script_package
from loadtest import report, serverlog, specs, stats


def test_percentile_nearest_rank():
    values = list(range(1, 101))  # 1..100
    assert stats.percentile(values, 0.50) == 50
    assert stats.percentile(values, 0.95) == 95
    assert stats.percentile(values, 0.99) == 99
    assert stats.percentile(values, 1.0) == 100
    assert stats.percentile([7.5], 0.99) == 7.5
    assert stats.percentile([3, 1, 2], 0.5) == 2  # unsorted input
    assert stats.percentile([], 0.5) is None
    with pytest.raises(ValueError):
        stats.percentile([1], 1.5)


def test_summarise_counts_errors_and_rate_per_kind():
    calls = [("list", 10.0, True), ("form", 30.0, False), ("list", 20.0, True)]
    rows, total = stats.summarise(calls, elapsed=2.0)
    assert [row["kind"] for row in rows] == ["list", "form"]
    assert rows[0]["count"] == 2 and rows[0]["errors"] == 0
    assert rows[0]["rps"] == 1.0 and rows[0]["p50"] == 10.0 and rows[0]["max"] == 20.0
    assert rows[1]["errors"] == 1
    assert total["count"] == 3 and total["errors"] == 1 and total["rps"] == 1.5


@pytest.mark.parametrize("users", [1, 3, 4, 8, 12, 50])
def test_roles_add_up_with_every_role_from_four_users(users):
    roles = stats.assign_roles(users)
    assert len(roles) == users
    if users >= 4:
        assert set(roles) == {
            "coordinator",
            "professional",
            "municipal staff",
            "manager",
        }
    assert roles.count("coordinator") >= roles.count("manager")


def test_report_table_only_counts_the_load_phase():
    calls = [
        ["setup", "authenticate", 500.0, True],
        ["load", "projects list", 40.0, True],
        ["load", "projects list", 60.0, False],
    ]
    rows = report.call_rows(calls, elapsed=4.0)
    assert rows[0] == ["projects list", 2, 1, 0.5, 40.0, 60.0, 60.0, 60.0]
    assert rows[-1][0] == "all calls" and rows[-1][1] == 2


def test_report_checks_table_and_verdict(capsys):
    text = report.Report()
    passed = report.checks(
        text, [("saves kept", "3 of 3", True), ("traced", "1 short", False)]
    )
    assert not passed
    out = "\n".join(text.lines)
    assert "saves kept" in out and "pass" in out and "FAIL" in out
    assert "post-checks: 1 passed, 1 failed" in out
    assert report.checks(report.Report(), [("ok", "", True)])
    capsys.readouterr()


def test_server_log_retries_and_cron_jobs():
    head = "2026-01-01 10:00:00,000 42 {} db {}: "
    lines = [
        head.format("INFO", "odoo.service.model")
        + "SERIALIZATION_FAILURE, 4 tries left, try again in 0.5000 sec...",
        head.format("INFO", "odoo.service.model")
        + "SERIALIZATION_FAILURE, maximum number of tries reached!",
        head.format("INFO", "odoo.addons.base.models.ir_cron")
        + "Job 'Health coordination: expire consents' (16) fully done "
        + "(#loop 1; done 335; remaining 0; duration 2.10s)",
        head.format("INFO", "odoo.addons.coordination_microlocale.models")
        + "anonymous evaluation figures rebuilt: 1541 cells",
        head.format("ERROR", "odoo.http") + "Exception during request handling.",
    ]
    parsed = serverlog.parse(lines)
    assert parsed["retries"] == {"SERIALIZATION_FAILURE": 1}
    assert parsed["gave_up"] == {"SERIALIZATION_FAILURE": 1}
    (job,) = parsed["jobs"]
    assert job["id"] == 16 and job["done"] == 335 and job["status"] == "fully done"
    assert parsed["rebuilds"] == 1 and len(parsed["errors"]) == 1


def test_list_spec_follows_the_benchmarks_rules():
    arch = (
        '<list><field name="name"/><field name="person_id"/>'
        '<field name="note" optional="hide"/>'
        '<field name="tag_ids" widget="many2many_tags"/>'
        '<field name="activity_ids" widget="list_activity"/></list>'
    )
    fields = {"person_id": {"type": "many2one"}, "tag_ids": {"type": "many2many"}}
    spec = specs.list_spec_from_arch(arch, fields)
    assert spec["name"] == {} and "note" not in spec
    assert spec["person_id"] == {"fields": {"display_name": {}}}
    assert spec["tag_ids"] == {"fields": {"display_name": {}}}
    assert "activity_state" in spec and spec["activity_ids"] == {}


def test_readable_spec_drops_what_the_user_may_not_read():
    fields = {
        "p": {
            "name": {"type": "char"},
            "line_ids": {"type": "one2many", "relation": "l"},
        },
        "l": {"done": {"type": "boolean"}},
    }
    spec = {
        "name": {},
        "secret": {},
        "line_ids": {"fields": {"done": {}, "hidden": {}}},
    }
    assert specs.readable(spec, fields.__getitem__, "p") == {
        "name": {},
        "line_ids": {"fields": {"done": {}}},
    }


def _loadtest(_repo_root, *args):
    return run_script_package("loadtest", *args)


def test_arguments_are_checked_without_odoo(repo_root):
    assert _loadtest(repo_root, "check-args", "--db", "x").returncode == 0
    for bad in (["--users", "0"], ["--duration", "1"], ["--workers", "0"]):
        result = _loadtest(repo_root, "check-args", "--db", "x", *bad)
        assert result.returncode == 2, bad
        assert "must be between" in result.stderr
    assert _loadtest(repo_root, "check-args").returncode == 2  # no --db
    assert _loadtest(repo_root, "run", "--db", "x").returncode == 2  # no --state


def test_loadtest_is_a_package_of_short_functions(repo_root):
    package = repo_root / "scripts" / "loadtest"
    assert (package / "__main__.py").is_file()
    assert (repo_root / "scripts" / "loadtest.sh").is_file()
    too_long = functions_over(package)
    assert not too_long, f"functions over 80 lines: {too_long}"
