"""Shared fixtures for the repository checks (no Odoo import needed)."""

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
MODULE_NAME = "coordination_microlocale"
MODULE_DIR = REPO_ROOT / MODULE_NAME


@pytest.fixture(scope="session")
def repo_root():
    return REPO_ROOT


@pytest.fixture(scope="session")
def module_dir():
    assert MODULE_DIR.is_dir(), f"module directory {MODULE_DIR} is missing"
    return MODULE_DIR


@pytest.fixture(scope="session")
def manifest(module_dir):
    path = module_dir / "__manifest__.py"
    assert path.is_file(), f"{path} is missing"
    value = ast.literal_eval(path.read_text(encoding="utf-8"))
    assert isinstance(value, dict), "__manifest__.py must be a single dict literal"
    return value


def run_script_package(package, *args):
    """``python3 -m PACKAGE ARGS`` from scripts/, as the project's scripts run it."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "scripts"), PYTHONSAFEPATH="1")
    return subprocess.run(
        [sys.executable, "-m", package, *args],
        check=False,
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def functions_over(package_dir, lines=80):
    """``file:function`` of the functions of a package longer than ``lines``."""
    too_long = []
    for path in sorted(package_dir.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and node.end_lineno - node.lineno + 1 > lines
            ):
                too_long.append(f"{path.relative_to(REPO_ROOT)}:{node.name}")
    return too_long
