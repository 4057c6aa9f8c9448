"""Against plain Odoo: each list of the module next to a plain Odoo list of the
same size and shape, measured the same way in the same run.

The plain lists are those an administrator opens in any Odoo database: the
contacts (``res.partner``, the fields of ``base.view_partner_tree``) and the
calendar events (``calendar.event``, the fields of
``calendar.view_calendar_event_tree``), with the limit that gives the module's
list its number of rows. The administrator (base.user_admin) is subject to
none of the module's rules on contacts; on calendar events, the module's one
global rule (sessions about a person) applies to everybody, administrator
included, and is part of what is measured.

Target: no module list slower than the plain list of the same number of rows
(ratio <= 1.0), for every role.
"""

from ..webclient import as_user, list_spec
from .lists import LISTS

SECTION = "against plain Odoo"
TARGET = 1.0
PLAIN_LISTS = (
    ("res.partner", "base.view_partner_tree", "contacts list (res.partner)"),
    ("calendar.event", "calendar.view_calendar_event_tree", "calendar.event list"),
)


def plain_lists(ctx):
    """A plain list per module list measured (lists.lists): same rows, as admin."""
    admin = ctx.env.ref("base.user_admin")
    for _model, _view, label in LISTS:
        for role, _user, _scope in ctx.roles:
            measured = ctx.lists.get((label, role))
            if not measured or not measured[2]:
                continue  # no access, or no row: nothing to compare
            module_res, _off, rows, _length = measured
            ctx.record(SECTION, f"{label} (module)", role, module_res, rows)
            for model, view, plain_label in PLAIN_LISTS:
                res = _plain(ctx, admin, model, view, rows)
                ctx.record(SECTION, f"  {plain_label}, admin", role, res, rows)


def _plain(ctx, admin, model, view, rows):
    """The plain list of ``rows`` rows, measured once per size and reused."""
    key = (SECTION, model, rows)
    if key not in ctx.lists:
        spec = list_spec(as_user(ctx.env, model, admin), view)

        def call():
            res = as_user(ctx.env, model, admin).web_search_read(
                [], spec, limit=rows, count_limit=10001
            )
            return len(res["records"])

        ctx.lists[key] = ctx.bench.run(call)
    return ctx.lists[key]


def comparison_rows(ctx):
    """[(list, role, rows, module ms, q, plain list, plain ms, q, ratio, target)]"""
    rows = []
    for _model, _view, label in LISTS:
        for role, _user, _scope in ctx.roles:
            measured = ctx.lists.get((label, role))
            if not measured or not measured[2]:
                continue
            module_res, _off, count, _length = measured
            for model, _plain_view, plain_label in PLAIN_LISTS:
                plain = ctx.lists.get((SECTION, model, count))
                if not plain or plain.get("denied"):
                    continue
                rows.append(
                    _comparison_row(label, role, count, module_res, plain_label, plain)
                )
    return rows


def _comparison_row(label, role, count, module_res, plain_label, plain):
    ratio = list_ratio(module_res["ms"], plain["ms"])
    return (
        label,
        role,
        count,
        round(module_res["ms"], 1),
        module_res["queries"],
        plain_label,
        plain["result"],
        round(plain["ms"], 1),
        plain["queries"],
        f"{ratio:.2f}",
        "ok" if ratio <= TARGET else "MISSED",
    )


def list_ratio(module_ms, plain_ms):
    """Module list time over plain list time (a plain time of 0 counts as 0.001)."""
    return module_ms / max(plain_ms, 0.001)


def print_comparison(ctx):
    """The section "against plain Odoo": ratio per role and list, target marked."""
    rows = comparison_rows(ctx)
    if not rows:
        return
    report = ctx.report
    report()
    report(f"## {SECTION}: module list ms / plain list ms (target <= {TARGET:.1f})")
    report("   the plain lists as the administrator (base.user_admin), with the")
    report("   fields of Odoo's own list views, the same number of rows")
    report.table(
        [
            "module list",
            "role",
            "rows",
            "ms",
            "queries",
            "plain list",
            "rows",
            "plain ms",
            "plain q",
            "ratio",
            "target",
        ],
        rows,
        ["<", "<", ">", ">", ">", "<", ">", ">", ">", ">", "<"],
    )
    missed = [f"{row[0]} ({row[1]}) vs {row[5]}" for row in rows if row[-1] != "ok"]
    report(
        f"   {len(rows) - len(missed)} of {len(rows)} comparisons within the target"
        + (f"; missed: {'; '.join(missed)}" if missed else "")
    )
