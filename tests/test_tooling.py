"""The project's commands: .ci/run, scripts/, README."""

import os
import re
import shlex
import subprocess

from conftest import functions_over, run_script_package


def _commands(path):
    """Non-blank, non-comment lines of a shell script."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        line.strip()
        for line in lines
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_ci_run_is_an_executable_bash_script(repo_root):
    ci_run = repo_root / ".ci" / "run"
    assert ci_run.is_file()
    assert os.access(ci_run, os.X_OK), ".ci/run must be executable"
    assert ci_run.read_text(encoding="utf-8").splitlines()[0] == "#!/usr/bin/env bash"
    subprocess.run(["bash", "-n", str(ci_run)], check=True)


def test_ci_run_runs_exactly_the_test_script(repo_root):
    commands = _commands(repo_root / ".ci" / "run")
    runs = [c for c in commands if "scripts/" in c or c.startswith(("exec", "bash"))]
    assert len(runs) == 1, (
        f"expected a single command running scripts/test.sh, got {runs}"
    )
    assert shlex.split(runs[0]) == ["exec", "bash", "scripts/test.sh"], (
        "CI must run the whole test command, without options that narrow it"
    )
    # it runs from the repository root, whatever the caller's directory
    assert any(
        re.match(r'cd "\$\(dirname "\$\{BASH_SOURCE\[0\]\}"\)/\.\."', c)
        for c in commands
    )


def test_scripts_exist_and_parse(repo_root):
    for name in ("common.sh", "start.sh", "test.sh"):
        script = repo_root / "scripts" / name
        assert script.is_file(), f"scripts/{name} is missing"
        subprocess.run(["bash", "-n", str(script)], check=True)
        assert "set -euo pipefail" in script.read_text(encoding="utf-8")


def test_test_script_ends_with_the_counts_line(repo_root):
    text = (repo_root / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert 'echo "tests: $PASSED passed, $FAILED failed"' in text


def test_readme_gives_both_commands(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/start.sh" in readme
    assert "bash scripts/test.sh" in readme
    assert "coordination_microlocale" in readme


def test_readme_has_the_privacy_note(repo_root):
    """The note for the data protection officer covers what issue 5 asks of it."""
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    note = readme.split("## Privacy note", 1)[1]
    for topic in (
        "What is stored",
        "Who sees what",
        "Retention",
        "Trail",
        "What the municipality must still do",
        "HDS",
        "impact assessment",
    ):
        assert topic in note, topic


def test_requirements_are_pinned(repo_root):
    lines = [
        line.split("#", 1)[0].strip()
        for line in (repo_root / "requirements-dev.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    requirements = [line for line in lines if line]
    names = {re.split(r"==", line)[0].lower() for line in requirements}
    for line in requirements:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][^\s]*", line), (
            f"not pinned: {line}"
        )
    for name in (
        "ruff",
        "pylint-odoo",
        "oca-odoo-pre-commit-hooks",
        "websocket-client",
        "pytest",
        "pytest-odoo",
    ):
        assert name in names, f"{name} missing from requirements-dev.txt"


# ---------------------------------------------------------------- the benchmark
def _benchmark(_repo_root, *args):
    """``python3 -m benchmark ARGS`` as scripts/benchmark.sh runs it (no Odoo)."""
    return run_script_package("benchmark", *args)


def test_benchmark_is_a_package_of_short_functions(repo_root):
    package = repo_root / "scripts" / "benchmark"
    assert (package / "__main__.py").is_file()
    assert not (repo_root / "scripts" / "benchmark.py").exists()
    assert not (repo_root / "scripts" / "benchmark_import.py").exists()
    too_long = functions_over(package)
    assert not too_long, f"functions over 80 lines: {too_long}"


def test_benchmark_checks_its_arguments_without_odoo(repo_root):
    common = ["--db", "bench", "--addons-path", "-", "--check-args"]
    assert _benchmark(repo_root, *common, "--scale", "0.02").returncode == 0
    assert (
        _benchmark(repo_root, *common, "--import", "--fraction", "0.1").returncode == 0
    )
    for bad in (["--scale", "0"], ["--scale", "26"], ["--fraction", "2"]):
        result = _benchmark(repo_root, *common, *bad)
        assert result.returncode == 2, bad
        assert "must be > 0" in result.stderr


def test_test_command_runs_the_benchmark_smoke_run(repo_root):
    text = (repo_root / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert 'bash "$REPO_ROOT/scripts/benchmark.sh" --scale 0.02' in text
    assert 'step_failed "benchmark smoke run' in text


# ---------------------------------------------------------------- Odoo set-up
def _common(repo_root, script, tmp_path, **env):
    """Run bash code after sourcing scripts/common.sh, in a clean cache."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COORD_")}
    clean.update(XDG_CACHE_HOME=str(tmp_path / "cache"), **env)
    return subprocess.run(
        ["bash", "-c", f'source "{repo_root}/scripts/common.sh"; {script}'],
        check=False,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_odoo_setup_defaults_and_overrides(repo_root, tmp_path):
    show = 'echo "$ODOO_GIT_URL|$ODOO_BRANCH|$ODOO_HOME"'
    result = _common(repo_root, show, tmp_path)
    cache = tmp_path / "cache" / "coordination_microlocale"
    assert result.stdout.strip() == (
        f"https://github.com/odoo/odoo|19.0|{cache}/odoo-19.0"
    )
    result = _common(
        repo_root,
        show,
        tmp_path,
        COORD_ODOO_GIT_URL="https://mirror.example/odoo.git",
        COORD_ODOO_BRANCH="19.0-mirror/x",
    )
    assert result.stdout.strip() == (
        f"https://mirror.example/odoo.git|19.0-mirror/x|{cache}/odoo-19.0-mirror_x"
    )


def test_odoo_clone_url_turns_a_directory_into_a_file_url(repo_root, tmp_path):
    clone = tmp_path / "odoo"
    clone.mkdir()
    for source, expected in (
        (str(clone), f"file://{clone}"),
        ("https://github.com/odoo/odoo", "https://github.com/odoo/odoo"),
        ("git@github.com:odoo/odoo.git", "git@github.com:odoo/odoo.git"),
        ("file:///srv/odoo.git", "file:///srv/odoo.git"),
    ):
        result = _common(repo_root, f'odoo_clone_url "{source}"', tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == expected
    result = _common(repo_root, f'odoo_clone_url "{tmp_path}/missing"', tmp_path)
    assert result.returncode != 0
    assert "neither a URL nor a directory" in result.stderr


def test_odoo_setup_says_what_to_do_without_network(repo_root, tmp_path):
    # nothing listens on port 9 of the loopback: the clone fails at once
    result = _common(
        repo_root,
        "fetch_odoo_source",
        tmp_path,
        COORD_ODOO_GIT_URL="http://127.0.0.1:9/odoo.git",
    )
    assert result.returncode == 2
    for text in (
        "could not fetch the branch 19.0 of http://127.0.0.1:9/odoo.git",
        "COORD_ODOO_GIT_URL=/path/to/odoo",
        "PIP_INDEX_URL",
        "COORD_PYTHON=",
        "pip install -e ./odoo",
    ):
        assert text in result.stderr, text
    assert not (
        tmp_path / "cache" / "coordination_microlocale" / "odoo-19.0" / "src"
    ).exists()


def test_odoo_setup_respects_an_explicit_python(repo_root, tmp_path):
    result = _common(repo_root, "require_odoo", tmp_path, COORD_PYTHON="/bin/false")
    assert result.returncode == 1
    assert "COORD_PYTHON=/bin/false does not import Odoo 19.0" in result.stderr


def test_repository_checks_do_not_load_pytest_odoo(repo_root):
    text = (repo_root / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^addopts = ".*-p no:odoo.*"$', text, re.MULTILINE)
    script = (repo_root / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert 'run_pytest "pytest-odoo" -p odoo --odoo-database="$TEST_DB"' in script
