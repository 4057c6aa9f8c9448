from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.fields import Domain

HOME_AUDIENCES = [
    ("coordinator", "Coordinator"),
    ("professional", "Professional"),
]

# What each tile counts: its model and the method giving its domain.
HOME_TILES = {
    "sessions_today": "calendar.event",
    "sessions_week": "calendar.event",
    "overdue_actions": "coordination.project.action",
    "reviews_due": "coordination.individual.project",
    "discharges": "coordination.hospital.stay",
    "consents_missing": "coordination.individual.project",
    "consents_to_inform": "coordination.individual.project",
    "consents_expiring": "coordination.individual.project",
    "requests_new": "coordination.request",
    "my_activities": "mail.activity",
    "my_actions": "coordination.project.action",
    "my_overdue_actions": "coordination.project.action",
    "my_sessions": "calendar.event",
    "my_projects": "coordination.individual.project",
    "new_phone_request": "coordination.request",
}

# Lists opened from a tile: the views of the module, where it has its own.
HOME_ACTIONS = {
    "calendar.event": "coordination_microlocale.action_coordination_session",
    "coordination.project.action": (
        "coordination_microlocale.action_coordination_project_action"
    ),
    "coordination.individual.project": (
        "coordination_microlocale.action_coordination_individual_project"
    ),
    "coordination.hospital.stay": (
        "coordination_microlocale.action_coordination_hospital_stay"
    ),
    "coordination.request": "coordination_microlocale.action_coordination_request",
}


class CoordinationHomeTile(models.Model):
    """A counter of "My day": what waits for the user today, one click from it.

    Tiles are data of the module. Each counts, with the user's own rights (record rules
    apply to every count and to the list it opens), the records that call for them
    today: sessions, overdue actions, reviews, discharges, consents, new requests.
    """

    _name = "coordination.home.tile"
    _description = "Counter of my day"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Char(translate=True)
    sequence = fields.Integer(default=10)
    audience = fields.Selection(HOME_AUDIENCES, required=True, index=True)
    code = fields.Selection(
        [(code, code.replace("_", " ").capitalize()) for code in HOME_TILES],
        required=True,
    )
    icon = fields.Char(default="fa-circle-o", help="Font Awesome icon class.")
    is_warning = fields.Boolean(
        string="Calls for attention",
        help="Shown in red when it counts something: late or missing.",
    )
    is_shortcut = fields.Boolean(
        string="Shortcut",
        help="Opens a new record to fill in rather than counting records.",
    )
    count = fields.Integer(compute="_compute_count")

    _code_audience_uniq = models.UniqueIndex("(code, audience)")

    # ------------------------------------------------------------------
    # Domains, on the user's clock (the municipality's time zone)
    # ------------------------------------------------------------------
    def _today(self):
        return fields.Date.context_today(self)

    def _local_day_start(self, day):
        """The UTC datetime at which ``day`` starts for the user."""
        local = self.env.tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _sessions_between(self, first_day, days):
        user = self.env.user
        return (
            Domain("coordination_is_session", "=", True)
            & Domain("start", ">=", self._local_day_start(first_day))
            & Domain("start", "<", self._local_day_start(first_day + timedelta(days)))
            & (
                Domain("user_id", "=", user.id)
                | Domain("partner_ids", "in", user.partner_id.ids)
                | Domain(
                    "coordination_territory_id",
                    "in",
                    user.coordination_territory_ids.ids,
                )
            )
        )

    def _domain_sessions_today(self):
        return self._sessions_between(self._today(), 1)

    def _domain_sessions_week(self):
        return self._sessions_between(self._today(), 7)

    def _domain_overdue_actions(self):
        return Domain("is_overdue", "=", True) & Domain(
            "project_id.state", "!=", "closed"
        )

    def _domain_reviews_due(self):
        return Domain("state", "!=", "closed") & Domain(
            "review_date", "<=", self._today() + timedelta(days=7)
        )

    def _domain_discharges(self):
        return Domain("state", "in", ("planned", "in_hospital")) & Domain(
            "planned_discharge_date", "<=", self._today() + timedelta(days=7)
        )

    def _domain_consents_missing(self):
        return Domain("state", "!=", "closed") & Domain(
            "consent_state", "in", ("none", "requested", "withdrawn", "expired")
        )

    def _domain_consents_to_inform(self):
        return Domain("consent_information_pending", "=", True)

    def _domain_consents_expiring(self):
        return (
            Domain("state", "!=", "closed")
            & Domain("consent_state", "=", "given")
            & Domain("consent_expiry_date", "<=", self._today() + timedelta(days=30))
        )

    def _domain_requests_new(self):
        return Domain("state", "=", "new")

    def _domain_my_activities(self):
        return Domain("user_id", "=", self.env.uid) & Domain(
            "date_deadline", "<=", self._today()
        )

    def _domain_my_actions(self):
        return Domain(
            "responsible_partner_id", "=", self.env.user.partner_id.id
        ) & Domain("state", "in", ("todo", "in_progress"))

    def _domain_my_overdue_actions(self):
        return self._domain_my_actions() & Domain("is_overdue", "=", True)

    def _domain_my_sessions(self):
        return (
            Domain("coordination_is_session", "=", True)
            & Domain("start", ">=", self._local_day_start(self._today()))
            & Domain("partner_ids", "in", self.env.user.partner_id.ids)
        )

    def _domain_new_phone_request(self):
        return Domain.FALSE

    def _shortcut_new_phone_request(self):
        """A new request received on the phone now: first contact made."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coordination_microlocale.action_coordination_request"
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "coordination.request",
            "views": [(False, "form")],
            "view_mode": "form",
            "target": "current",
            "context": {
                "coordination_intake": 1,
                "default_channel": "phone",
                "default_requester_type": "resident",
            },
            "help": action.get("help"),
        }

    def _domain_my_projects(self):
        return Domain("coordination_shared", "=", True) & Domain(
            "state", "!=", "closed"
        )

    def _get_domain(self):
        self.ensure_one()
        return getattr(self, f"_domain_{self.code}")()

    def _get_model(self):
        self.ensure_one()
        return self.env[HOME_TILES[self.code]]

    # ------------------------------------------------------------------
    @api.depends_context("uid", "tz")
    def _compute_count(self):
        for tile in self:
            # Counted as the user: their record rules apply.
            tile.count = (
                0
                if tile.is_shortcut
                else tile._get_model().search_count(tile._get_domain())
            )

    def action_open(self):
        """The list of what the tile counts, or the file itself when it is alone."""
        self.ensure_one()
        if self.is_shortcut:
            return getattr(self, f"_shortcut_{self.code}")()
        model = self._get_model()
        domain = list(self._get_domain())
        xmlid = HOME_ACTIONS.get(model._name)
        if xmlid:
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        else:
            action = {"type": "ir.actions.act_window", "res_model": model._name}
        views = [
            (view_id, view_type)
            for view_id, view_type in action.get("views") or []
            if view_type in ("list", "form")
        ] or [(False, "list"), (False, "form")]
        if model._name == "calendar.event":
            views = [
                (
                    self.env.ref(
                        "coordination_microlocale.view_calendar_event_session_list"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ]
        action.update(
            {
                "name": self.name,
                "domain": domain,
                "context": {"create": False},
                "views": views,
                "view_mode": ",".join(view_type for _id, view_type in views),
                "target": "current",
            }
        )
        records = model.search(domain, limit=2)
        if len(records) == 1 and model._name != "mail.activity":
            action.update(
                {
                    "res_id": records.id,
                    "views": [(False, "form")],
                    "view_mode": "form",
                }
            )
        return action
