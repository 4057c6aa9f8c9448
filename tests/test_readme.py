"""The module's README.rst renders without any docutils message.

Odoo renders module descriptions with docutils; an error there shows as
"Unexpected indentation" lines in the server log while installing.
"""

import io

import pytest

docutils_core = pytest.importorskip("docutils.core")


def test_module_readme_renders_cleanly(module_dir):
    source = (module_dir / "README.rst").read_text(encoding="utf-8")
    messages = io.StringIO()
    docutils_core.publish_string(
        source,
        writer_name="html",
        settings_overrides={
            "warning_stream": messages,
            "report_level": 1,  # info and above: nothing at all may be reported
            "halt_level": 5,
        },
    )
    assert not messages.getvalue(), messages.getvalue()


def test_module_readme_says_where_things_are(module_dir):
    source = (module_dir / "README.rst").read_text(encoding="utf-8")
    assert "Where things are" in source
    for part in ("directory", "request", "individual", "session", "collective"):
        assert f"``models/{part}/``" in source, part
