"""The evaluation report: nightly rebuild of the published cells, grouped reads,
pivot and yearly export, per role.

Coordinators read the detailed figures of their territories; municipal staff and
managers the published cells of coordination.evaluation.statistic, built by the
nightly cron (timed here once, as superuser).
"""

import datetime as dt

SECTION = "evaluation"
GROUPING_SETS = [[], ["territory_id"], ["date:month"], ["territory_id", "date:month"]]


def evaluation(ctx):
    Statistic = ctx.env["coordination.evaluation.statistic"]
    refresh = ctx.bench.run(lambda: Statistic._refresh(), trail=False)
    cells = Statistic.sudo().search_count([])
    ctx.record(
        SECTION, f"rebuild of the published cells ({cells})", "superuser", refresh
    )
    for role, user, _scope in ctx.roles:
        source = (
            "coordination.evaluation.report"
            if role in ("coordinator", "professional")
            else "coordination.evaluation.statistic"
        )
        ctx.evaluation[role] = _grouped_reads(ctx, role, ctx.as_user(source, user))
        _export(ctx, role, user)


def _grouped_reads(ctx, role, source):
    """The report's list grouped by territory and month, then its pivot."""
    res = ctx.bench.run(
        lambda: len(
            source.formatted_read_group(
                [], ["territory_id", "date:month"], ["record_count:sum", "__count"]
            )
        )
    )
    label = "formatted_read_group territory x month"
    ctx.record(SECTION, label, role, res, res.get("result"))
    pivot = ctx.bench.run(
        lambda: len(
            source.formatted_read_grouping_sets(
                [], GROUPING_SETS, ["record_count:sum"]
            )[-1]
        )
    )
    label = "pivot: formatted_read_grouping_sets (4 sets)"
    ctx.record(SECTION, label, role, pivot, pivot.get("result"))
    return res


def _export(ctx, role, user):
    year = dt.date.today().year

    def export():
        wizard = ctx.as_user("coordination.evaluation.export", user).create(
            {"year": year}
        )
        action = wizard.action_export()
        return len(wizard.file or b"") if action else 0

    res = ctx.bench.run(export)
    label = f"yearly export {year} (create + action_export)"
    ctx.record(SECTION, label, role, res)
