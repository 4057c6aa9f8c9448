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
