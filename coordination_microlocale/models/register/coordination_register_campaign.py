from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

AGENT_GROUPS = (
    "coordination_microlocale.group_register_agent",
    "coordination_microlocale.group_register_keeper",
    "coordination_microlocale.group_coordinator",
)
CALL_STATES = [
    ("to_call", "To call"),
    ("retry", "Unreachable, call again"),
    ("home_visit", "Home visit to make"),
    ("ok", "All right"),
    ("needs_help", "Needs help"),
    ("absent", "Not found at home"),
]
DONE_STATES = ("ok", "needs_help", "absent")
# What an agent may change on a call of their list by hand: the note. The outcome
# goes through the buttons (which also open requests and schedule visits).
AGENT_FIELDS = {"outcome_note"}


class CoordinationRegisterCampaign(models.Model):
    """Calls to the registered people of a territory while an alert plan runs.

    The calls are split among the agents; each agent sees the people of their own
    list only, and only while the campaign runs (record rules on the call).
    """

    _name = "coordination.register.campaign"
    _description = "Register of vulnerable people: call campaign"
    _inherit = [
        "coordination.reference.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_start desc, id desc"
    _coordination_sequence_code = "coordination.register.campaign"

    title = fields.Char(required=True, tracking=True)
    alert_id = fields.Many2one("coordination.alert", index=True, ondelete="restrict")
    territory_id = fields.Many2one(
        "coordination.territory",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Prepared"),
            ("running", "Under way"),
            ("done", "Finished"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
    )
    date_start = fields.Datetime(string="Started on", readonly=True, copy=False)
    date_end = fields.Datetime(string="Finished on", readonly=True, copy=False)
    agent_ids = fields.Many2many(
        "res.users",
        "coordination_register_campaign_agent_rel",
        "campaign_id",
        "user_id",
        string="Agents and volunteers",
    )
    max_attempts = fields.Integer(
        string="Calls before a home visit",
        default=3,
        help="After this many unanswered calls, a home visit is asked for.",
    )
    retry_delay_hours = fields.Float(
        string="Delay between calls (hours)",
        default=2.0,
    )
    visit_delay_hours = fields.Float(
        string="Home visit within (hours)",
        default=4.0,
        help="A home visit not made within this delay is escalated to the "
        "coordinators of the territory.",
    )
    call_ids = fields.One2many("coordination.register.call", "campaign_id")
    call_count = fields.Integer(string="Calls", compute="_compute_counts")
    done_count = fields.Integer(string="Calls done", compute="_compute_counts")
    ok_count = fields.Integer(string="All right", compute="_compute_counts")
    help_count = fields.Integer(string="Needs help", compute="_compute_counts")
    pending_count = fields.Integer(string="To call", compute="_compute_counts")
    retry_count = fields.Integer(string="To call again", compute="_compute_counts")
    visit_count = fields.Integer(string="Home visits", compute="_compute_counts")
    absent_count = fields.Integer(string="Not found at home", compute="_compute_counts")
    progress = fields.Float(compute="_compute_counts")

    _check_attempts = models.Constraint(
        "CHECK(max_attempts >= 1)", "A campaign calls each person at least once."
    )

    @api.depends("call_ids.state")
    def _compute_counts(self):
        counts = {}
        if self.ids:
            for campaign, state, count in self.env[
                "coordination.register.call"
            ]._read_group(
                [("campaign_id", "in", self.ids)],
                ["campaign_id", "state"],
                ["__count"],
            ):
                counts.setdefault(campaign.id, {})[state] = count
        for campaign in self:
            by_state = counts.get(campaign.id, {})
            total = sum(by_state.values())
            done = sum(by_state.get(state, 0) for state in DONE_STATES)
            campaign.call_count = total
            campaign.done_count = done
            campaign.ok_count = by_state.get("ok", 0)
            campaign.help_count = by_state.get("needs_help", 0)
            campaign.pending_count = by_state.get("to_call", 0)
            campaign.retry_count = by_state.get("retry", 0)
            campaign.visit_count = by_state.get("home_visit", 0)
            campaign.absent_count = by_state.get("absent", 0)
            campaign.progress = 100.0 * done / total if total else 0.0

    @api.constrains("retry_delay_hours", "visit_delay_hours")
    def _check_delays(self):
        for campaign in self:
            if campaign.retry_delay_hours < 0 or campaign.visit_delay_hours < 0:
                raise ValidationError(self.env._("A delay cannot be negative."))

    def write(self, vals):
        if "territory_id" in vals and self.call_ids:
            raise UserError(
                self.env._(
                    "The calls of a campaign are those of its territory: it cannot "
                    "move to another one."
                )
            )
        res = super().write(vals)
        if "territory_id" in vals:
            self.check_access("write")
        return res

    def _check_agents(self):
        for campaign in self:
            if not campaign.agent_ids:
                raise UserError(
                    self.env._("Choose the agents and volunteers who make the calls.")
                )
            # sudo: group membership of the chosen users, to refuse an agent who
            # could not open their list.
            outsiders = campaign.agent_ids.sudo().filtered(
                lambda user: not any(user.has_group(g) for g in AGENT_GROUPS)
            )
            if outsiders:
                raise UserError(
                    self.env._(
                        "%(names)s cannot make calls: add them to the group “Call "
                        "campaign agent” (or register keeper) first.",
                        names=", ".join(outsiders.mapped("name")),
                    )
                )

    def _generate_calls(self):
        """One call per registered person, the most urgent first, dealt in turn to
        each agent so that every list starts with its most vulnerable people."""
        self.ensure_one()
        if self.call_ids:
            return self.call_ids
        self._check_agents()
        entries = self.env["coordination.register.entry"].search(
            [("territory_id", "=", self.territory_id.id), ("state", "=", "registered")]
        )
        if not entries:
            raise UserError(
                self.env._(
                    "Nobody is registered in the register of %(territory)s.",
                    territory=self.territory_id.display_name,
                )
            )
        now = fields.Datetime.now()
        ranked = sorted(
            ((entry._register_priority(now), entry.id) for entry in entries),
            key=lambda pair: (-pair[0], pair[1]),
        )
        agents = self.agent_ids.ids
        return self.env["coordination.register.call"].create(
            [
                {
                    "campaign_id": self.id,
                    "entry_id": entry_id,
                    "priority": priority,
                    "agent_user_id": agents[index % len(agents)],
                }
                for index, (priority, entry_id) in enumerate(ranked)
            ]
        )

    def action_start(self):
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(self.env._("Only a prepared campaign can start."))
            campaign._check_agents()
            campaign._generate_calls()
            campaign.write({"state": "running", "date_start": fields.Datetime.now()})
            campaign.message_post(
                body=self.env._(
                    "Campaign started: %(count)s people to call by %(agents)s agents.",
                    count=len(campaign.call_ids),
                    agents=len(campaign.agent_ids),
                )
            )
        return True

    def action_done(self):
        if self.filtered(lambda c: c.state != "running"):
            raise UserError(self.env._("Only a campaign under way can be finished."))
        self.write({"state": "done", "date_end": fields.Datetime.now()})
        return True

    def action_cancel(self):
        if self.filtered(lambda c: c.state not in ("draft", "running")):
            raise UserError(self.env._("This campaign is already over."))
        self.write({"state": "cancelled", "date_end": fields.Datetime.now()})
        return True

    def action_redistribute(self):
        """Deal the calls still to make again among the agents (one joined or left)."""
        for campaign in self:
            campaign._check_agents()
            todo = campaign.call_ids.filtered(lambda c: c.state not in DONE_STATES)
            agents = campaign.agent_ids.ids
            for index, call in enumerate(todo.sorted(lambda c: (-c.priority, c.id))):
                call.agent_user_id = agents[index % len(agents)]
        return True

    def _calls_action(self, name, view_mode):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coordination_microlocale.action_coordination_register_call_live"
        )
        action["name"] = name
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id, "create": False}
        return action

    def action_view_calls(self):
        return self._calls_action(
            self.env._("Calls of %(ref)s", ref=self.name), "kanban,list"
        )

    @api.model
    def _cron_escalate(self):
        """Home visits not made in time are escalated to the coordinators."""
        now = fields.Datetime.now()
        calls = self.env["coordination.register.call"].search(
            [
                ("campaign_id.state", "=", "running"),
                ("state", "=", "home_visit"),
                ("visit_deadline", "<", now),
                ("escalated", "=", False),
            ]
        )
        calls._escalate()
        return True


class CoordinationRegisterCall(models.Model):
    """One person to call in a campaign, on one agent's list."""

    _name = "coordination.register.call"
    _description = "Register of vulnerable people: call"
    _inherit = ["coordination.access.trail.mixin"]
    _order = "is_done, priority desc, next_attempt_date, id"
    _rec_name = "entry_reference"

    campaign_id = fields.Many2one(
        "coordination.register.campaign",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    entry_id = fields.Many2one(
        "coordination.register.entry",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    territory_id = fields.Many2one(
        related="campaign_id.territory_id", store=True, index=True
    )
    agent_user_id = fields.Many2one(
        "res.users", string="Agent", index=True, domain=[("share", "=", False)]
    )
    priority = fields.Integer(readonly=True)
    state = fields.Selection(
        CALL_STATES,
        default="to_call",
        required=True,
        index=True,
        readonly=True,
        group_expand=True,
        string="Outcome",
    )
    is_done = fields.Boolean(compute="_compute_is_done", store=True)
    attempt_count = fields.Integer(string="Calls made", default=0, readonly=True)
    last_attempt_date = fields.Datetime(string="Last call", readonly=True)
    next_attempt_date = fields.Datetime(string="Call again from", readonly=True)
    visit_deadline = fields.Datetime(string="Home visit before", readonly=True)
    escalated = fields.Boolean(readonly=True, copy=False)
    outcome_note = fields.Char(string="Note", help="What the person said they need.")
    request_id = fields.Many2one(
        "coordination.request", string="Request opened", readonly=True, copy=False
    )
    # What the agent needs to make the call, read from the entry: the agent has no
    # access to the register itself, only to these fields of the calls of their list.
    entry_reference = fields.Char(related="entry_id.name", string="Reference")
    person_name = fields.Char(related="entry_id.person_name", string="Name")
    phone = fields.Char(related="entry_id.phone")
    phone2 = fields.Char(related="entry_id.phone2", string="Other phone")
    street = fields.Char(related="entry_id.street")
    zip = fields.Char(related="entry_id.zip")
    city = fields.Char(related="entry_id.city")
    access_note = fields.Char(related="entry_id.access_note")
    contact_time = fields.Char(related="entry_id.contact_time")
    age = fields.Integer(related="entry_id.age")
    vulnerability = fields.Selection(related="entry_id.vulnerability")
    lives_alone = fields.Boolean(related="entry_id.lives_alone")
    emergency_contacts = fields.Char(
        string="To warn", compute="_compute_emergency_contacts", compute_sudo=True
    )

    _campaign_entry_uniq = models.UniqueIndex(
        "(campaign_id, entry_id)", "A person is called once per campaign."
    )

    @api.depends("state")
    def _compute_is_done(self):
        for call in self:
            call.is_done = call.state in DONE_STATES

    @api.depends(
        "entry_id.emergency_contact_ids.name", "entry_id.emergency_contact_ids.phone"
    )
    def _compute_emergency_contacts(self):
        for call in self:
            call.emergency_contacts = " · ".join(
                " ".join(
                    filter(
                        None,
                        (
                            contact.name,
                            contact.relationship and f"({contact.relationship})",
                            contact.phone,
                        ),
                    )
                )
                for contact in call.entry_id.emergency_contact_ids
            )

    def _coordination_trail_reference(self):
        return self.entry_id.name

    def _coordination_trail_parent(self):
        return self.entry_id

    def _is_register_keeper(self):
        """Whether the user keeps the register of every call's territory."""
        user = self.env.user
        # sudo: the keepers and coordinators of the calls' territories.
        for territory in self.sudo().territory_id:
            if user not in territory.register_keeper_ids | territory.coordinator_ids:
                return False
        return True

    @api.constrains("entry_id", "campaign_id")
    def _check_entry_territory(self):
        # sudo: the territories of the entry and campaign, to refuse a call about a
        # person of another register (its name would show through the call).
        for call in self.sudo():
            if call.entry_id.territory_id != call.campaign_id.territory_id:
                raise ValidationError(
                    self.env._(
                        "A campaign calls the people of its own territory's register."
                    )
                )

    def write(self, vals):
        if not self.env.su and {"entry_id", "campaign_id"} & set(vals):
            raise UserError(
                self.env._("A call stays about its person, in its campaign.")
            )
        if not self.env.su and not self._is_register_keeper():
            forbidden = set(vals) - AGENT_FIELDS
            if forbidden:
                raise UserError(
                    self.env._(
                        "An agent records the outcome of their calls with the "
                        "buttons; the lists themselves are set by the register "
                        "keepers."
                    )
                )
        return super().write(vals)

    def _check_running(self):
        self.check_access("write")
        self._coordination_trail("write")
        for call in self:
            if call.campaign_id.state != "running":
                raise UserError(
                    self.env._(
                        "The campaign %(ref)s is not under way: its calls cannot "
                        "change.",
                        ref=call.campaign_id.name,
                    )
                )

    def _outcome(self, vals):
        # sudo: the outcome of calls the user may change (_check_running), with
        # values computed here, never taken from the client.
        self.sudo().write(vals)

    def _reached(self, state):
        now = fields.Datetime.now()
        self._outcome(
            {
                "state": state,
                "attempt_count": self.attempt_count + 1
                if self.state != "home_visit"
                else self.attempt_count,
                "last_attempt_date": now,
                "next_attempt_date": False,
            }
        )
        # sudo: the date of the last contact of the entries of calls the user
        # could change; agents have no access to the register itself.
        self.entry_id.sudo().write({"last_contact_date": now})

    def action_outcome_ok(self):
        self._check_running()
        for call in self:
            call._reached("ok")
        return True

    def action_outcome_needs_help(self):
        self._check_running()
        for call in self:
            call._reached("needs_help")
            call._open_request()
        return True

    def action_outcome_unreachable(self):
        self._check_running()
        now = fields.Datetime.now()
        for call in self:
            if call.state not in ("to_call", "retry"):
                raise UserError(
                    self.env._("This call already has an outcome or awaits a visit.")
                )
            attempts = call.attempt_count + 1
            campaign = call.campaign_id
            if attempts >= campaign.max_attempts:
                call._outcome(
                    {
                        "state": "home_visit",
                        "attempt_count": attempts,
                        "last_attempt_date": now,
                        "next_attempt_date": False,
                        "visit_deadline": now
                        + timedelta(hours=campaign.visit_delay_hours),
                    }
                )
            else:
                call._outcome(
                    {
                        "state": "retry",
                        "attempt_count": attempts,
                        "last_attempt_date": now,
                        "next_attempt_date": now
                        + timedelta(hours=campaign.retry_delay_hours),
                    }
                )
        return True

    def action_visit_ok(self):
        self._check_running()
        for call in self:
            if call.state != "home_visit":
                raise UserError(self.env._("No home visit is asked for this call."))
            call._reached("ok")
        return True

    def action_visit_absent(self):
        """Nobody opened: the coordinator is told at once (urgent request)."""
        self._check_running()
        for call in self:
            if call.state != "home_visit":
                raise UserError(self.env._("No home visit is asked for this call."))
            call._outcome(
                {"state": "absent", "last_attempt_date": fields.Datetime.now()}
            )
            call._open_request(urgent=True)
        return True

    def _open_request(self, urgent=False):
        """A request for the coordinator of the territory, about the person."""
        self.ensure_one()
        entry = self.entry_id.sudo()
        campaign = self.campaign_id.sudo()
        coordinator = campaign.territory_id.coordinator_ids[:1]
        if urgent:
            summary = self.env._(
                "Campaign %(campaign)s: not found at home after %(count)s calls.",
                campaign=campaign.name,
                count=self.attempt_count,
            )
        else:
            summary = self.env._(
                "Campaign %(campaign)s: the person needs help.",
                campaign=campaign.name,
            )
        description = summary
        if self.outcome_note:
            description += "\n" + self.outcome_note
        # As superuser (who made the call is in the trail and the call): the agent
        # has no access to requests, and the request must not become one of "the
        # requests they sent". The values come from the call the agent was allowed
        # to change, never from the client.
        request = (
            self.env["coordination.request"]
            .with_user(SUPERUSER_ID)
            .create(
                {
                    "territory_id": campaign.territory_id.id,
                    "coordinator_id": coordinator.id,
                    "requester_type": "outreach",
                    "channel": "home_visit" if urgent else "phone",
                    "person_id": entry.partner_id.id,
                    "priority": "2" if urgent else "1",
                    "description": description,
                    "requester_partner_id": False,
                }
            )
        )
        if coordinator:
            request.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                user_id=coordinator.id,
            )
        self.sudo().request_id = request
        return request

    def _escalate(self):
        for call in self:
            coordinators = call.territory_id.coordinator_ids
            for user in coordinators:
                call.campaign_id.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._(
                        "Home visit overdue: %(ref)s",
                        ref=call.entry_id.name,
                    ),
                    user_id=user.id,
                )
        self.write({"escalated": True})
