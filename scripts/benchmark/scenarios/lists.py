"""The lists of projects and requests: trail on and off, limit 20 and 80, counts."""

from ..webclient import LIST_VIEW, list_spec

LISTS = (
    ("coordination.individual.project", "individual_project", "projects list"),
    ("coordination.request", "request", "requests list"),
)


def lists(ctx):
    for model, view, label in LISTS:
        for role, user, _scope in ctx.roles:
            _one_list(ctx, model, view, label, role, user)


def _one_list(ctx, model, view, label, role, user):
    bench = ctx.bench
    spec = list_spec(ctx.as_user(model, user), LIST_VIEW.format(view))

    def call(limit=80):
        res = ctx.as_user(model, user).web_search_read(
            [], spec, limit=limit, count_limit=10001
        )
        return len(res["records"]), res["length"]

    res = bench.run(call)
    rows = None if res["denied"] else res["result"][0]
    ctx.record(label, "web_search_read limit=80", role, res, rows)
    if res["denied"]:
        return
    off = bench.run(call, trail=False)
    ctx.record(label, "  same, trail switched off", role, off, rows)
    ctx.lists[(label, role)] = (res, off, rows, res["result"][1])
    if role == "coordinator":
        res20 = bench.run(lambda: call(limit=20))
        ctx.record(label, "web_search_read limit=20", role, res20, res20["result"][0])
        ctx.lists[(label, role, 20)] = res20
    count = bench.run(lambda: ctx.as_user(model, user).search_count([]))
    ctx.record(label, "search_count([])", role, count, count["result"])
