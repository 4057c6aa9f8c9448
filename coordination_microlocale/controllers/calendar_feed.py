from odoo import http
from odoo.http import request


class CoordinationCalendarFeed(http.Controller):
    @http.route(
        "/coordination/feed/<string:token>.ics",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def coordination_feed(self, token, **kwargs):
        # sudo only to find the feed of the token (a hash lookup, nothing of the
        # caller's choosing but the token itself); the sessions are then searched
        # and read as the feed's owner, whose record rules decide (_events).
        feed = request.env["coordination.calendar.feed"]._from_token(token)
        if not feed:
            raise request.not_found()
        body = feed.with_user(feed.user_id)._render()
        return request.make_response(
            body,
            headers=[
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", 'inline; filename="coordination.ics"'),
                ("Cache-Control", "private, no-store"),
                ("X-Robots-Tag", "noindex"),
            ],
        )
