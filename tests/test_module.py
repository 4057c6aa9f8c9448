"""Static checks of the coordination_microlocale addon (no Odoo import needed)."""

import ast
import csv
import re

import polib

MANIFEST_FILE_KEYS = ("data", "demo")


def test_manifest_version_and_dependencies(manifest):
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", manifest.get("version", "")), (
        f"version must be 19.0.x.y.z, got {manifest.get('version')!r}"
    )
    depends = set(manifest.get("depends", []))
    missing = {"base", "mail", "calendar", "contacts"} - depends
    assert not missing, f"depends lacks {sorted(missing)}"
    assert manifest.get("license"), "the manifest needs a license"
    assert manifest.get("installable", True) is True


def test_manifest_files_exist(manifest, module_dir):
    missing = []
    for key in MANIFEST_FILE_KEYS:
        files = manifest.get(key, [])
        assert len(files) == len(set(files)), f"duplicate entries in {key}"
        missing += [f"{key}: {f}" for f in files if not (module_dir / f).is_file()]
    assert not missing, "files listed in the manifest are missing:\n" + "\n".join(
        missing
    )


def test_manifest_assets_match_files(manifest, module_dir):
    root = module_dir.parent
    empty = []
    for bundle, entries in manifest.get("assets", {}).items():
        for entry in entries:
            path = entry[-1] if isinstance(entry, (list, tuple)) else entry
            if not path.startswith(f"{module_dir.name}/"):
                continue  # another module's asset
            if not any(p.is_file() for p in root.glob(path)):
                empty.append(f"{bundle}: {path}")
    assert not empty, "asset entries matching no file:\n" + "\n".join(empty)


def _declared_models(module_dir):
    """Models created by the module: `_name` in a class that is not a plain
    abstract model and does not just extend a model of the same name."""
    files = [
        p
        for d in ("models", "wizard", "wizards")
        for p in sorted((module_dir / d).glob("**/*.py"))
    ]
    assert files, "no Python model file found"
    models = {}
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            attrs = {}
            for stmt in cls.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    target = stmt.targets[0]
                    if isinstance(target, ast.Name):
                        try:
                            attrs[target.id] = ast.literal_eval(stmt.value)
                        except ValueError:
                            pass
            name = attrs.get("_name")
            if not isinstance(name, str):
                continue
            inherit = attrs.get("_inherit") or []
            if isinstance(inherit, str):
                inherit = [inherit]
            if name in inherit:
                continue
            bases = {ast.unparse(b).split(".")[-1] for b in cls.bases}
            if "AbstractModel" in bases and not attrs.get("_auto"):
                continue
            models[name] = f"{path.relative_to(module_dir)}:{cls.lineno}"
    return models


def test_every_model_has_access_rules(module_dir, manifest):
    csv_path = module_dir / "security" / "ir.model.access.csv"
    assert csv_path.is_file(), "security/ir.model.access.csv is missing"
    assert "security/ir.model.access.csv" in manifest.get("data", [])
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows, "ir.model.access.csv has no rule"
    assert "model_id:id" in rows[0], "ir.model.access.csv needs a model_id:id column"
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), "duplicate ids in ir.model.access.csv"
    covered = {row["model_id:id"].split(".")[-1] for row in rows}
    models = _declared_models(module_dir)
    assert models, "no model declared with _name in models/"
    missing = [
        f"{name} ({where})"
        for name, where in sorted(models.items())
        if "model_" + name.replace(".", "_") not in covered
    ]
    assert not missing, "models without a line in ir.model.access.csv:\n" + "\n".join(
        missing
    )


def test_french_translation_is_complete(module_dir):
    po_path = module_dir / "i18n" / "fr.po"
    assert po_path.is_file(), "i18n/fr.po is missing"
    po = polib.pofile(str(po_path))
    entries = [e for e in po if not e.obsolete]
    assert entries, "i18n/fr.po has no entry"
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries in fr.po: {fuzzy[:10]}"
    empty = [
        e.msgid
        for e in entries
        if (e.msgid_plural and not all(e.msgstr_plural.values()))
        or (not e.msgid_plural and not e.msgstr)
    ]
    assert not empty, f"{len(empty)} untranslated entries in fr.po, e.g. {empty[:10]}"


def test_module_icon(module_dir):
    icon = module_dir / "static" / "description" / "icon.png"
    assert icon.is_file(), "static/description/icon.png is missing"
    assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "icon.png is not a PNG file"


def test_french_covers_the_template(module_dir):
    """Every string of the exported template has its French translation."""
    pot = polib.pofile(str(module_dir / "i18n" / "coordination_microlocale.pot"))
    po = polib.pofile(str(module_dir / "i18n" / "fr.po"))
    translated = {entry.msgid for entry in po if entry.msgstr and not entry.obsolete}
    missing = [entry.msgid for entry in pot if entry.msgid not in translated]
    assert not missing, f"{len(missing)} strings missing from fr.po: {missing[:10]}"
