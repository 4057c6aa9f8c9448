"""The project's commands: .ci/run, scripts/, README."""

import os
import re
import shlex
import subprocess


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
    ):
        assert name in names, f"{name} missing from requirements-dev.txt"
