"""The sessions calendar of each role, one month and one week."""

import datetime as dt

from ..webclient import SESSION_ACTION, calendar_domain, calendar_fields


def periods(today):
    """[(period, start, end)]: the current month and the current week."""
    month_start = dt.datetime.combine(today.replace(day=1), dt.time.min)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1)
    week_start = dt.datetime.combine(
        today - dt.timedelta(days=today.weekday()), dt.time.min
    )
    week_end = week_start + dt.timedelta(days=7)
    return [("month", month_start, month_end), ("week", week_start, week_end)]


def calendar(ctx):
    session_action = ctx.env.ref(SESSION_ACTION)
    for role, user, _scope in ctx.roles:
        for period, start, end in periods(dt.date.today()):
            domain = calendar_domain(session_action, user, start, end)
            names = calendar_fields(ctx.as_user("calendar.event", user))

            def call(user=user, domain=domain, names=names):
                rows = ctx.as_user("calendar.event", user).search_read(domain, names)
                return len(rows), sum(
                    1 for row in rows if row["display_name"] == "Busy"
                )

            res = ctx.bench.run(call)
            rows = None if res["denied"] else res["result"][0]
            label = f"search_read one {period}"
            if not res["denied"]:
                label += f" ({res['result'][1]} shown as Busy)"
            ctx.record("sessions calendar", label, role, res, rows)
            ctx.calendar[(role, period)] = (res, rows)
