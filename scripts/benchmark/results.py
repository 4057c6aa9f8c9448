"""The figures of a standard run as JSON, for the growth comparison (growth.py).

A measurement is keyed by its section, its label without what depends on the
data set (references such as PSI/2026/0042, counts in parentheses) and its role,
so that the same call at two scales has the same key.
"""

import json
import re

_REFERENCE = re.compile(r"\b[A-Z]{3}/\d{4}/\d+\b")
_COUNT = re.compile(r"\s*\([^()]*\d[^()]*\)")


def key(section, label, role):
    label = _COUNT.sub("", _REFERENCE.sub("<ref>", label)).strip()
    return f"{section} | {label} | {role}"


def measurements(ctx):
    rows = []
    for section, label, role, res, rows_shown in ctx.results:
        if res.get("denied"):
            continue
        rows.append(
            {
                "key": key(section, label, role),
                "section": section,
                "label": label.strip(),
                "role": role,
                "ms": round(res["ms"], 2),
                "queries": res["queries"],
                "rows": rows_shown if isinstance(rows_shown, int) else None,
            }
        )
    return rows


def crons(ctx):
    rows = []
    for row in ctx.crons:
        done = row["result"] or 0
        rows.append(
            {
                "key": key("crons", row["name"], "superuser"),
                "name": row["name"].strip(),
                "ms": round(row["ms"], 2),
                "queries": row["queries"],
                "done": done,
                "error": row["error"],
            }
        )
    return rows


def write(path, ctx, scale, timings, volumes, load):
    data = {
        "scale": scale,
        "volumes": volumes,
        "build": [
            {"phase": name, "seconds": round(seconds, 2), "detail": detail}
            for name, seconds, detail in timings
        ],
        "measurements": measurements(ctx),
        "crons": crons(ctx),
        "load_average": load,
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, default=str)


def read(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
