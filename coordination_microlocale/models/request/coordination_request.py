from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html

from ..privacy.privileged import ANONYMISE, privileged

REQUESTER_TYPES = [
    ("resident", "Resident"),
    ("relative", "Relative or carer"),
    ("professional", "Professional"),
    ("partner", "Partner structure"),
    ("elected", "Elected official"),
    ("outreach", "Outreach by the coordinator"),
]

# Requesters who are (or speak for) the person concerned: their request is about them.
PERSONAL_REQUESTER_TYPES = ("resident", "relative", "outreach")

CHANNELS = [
    ("office", "Health office"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("home_visit", "Home visit / outreach"),
    ("referral", "Referral by a partner"),
]

PRIORITIES = [
    ("0", "Normal"),
    ("1", "Vulnerable situation"),
    ("2", "Urgent"),
]


class CoordinationRequest(models.Model):
    _name = "coordination.request"
    _description = "Request"
    _inherit = [
        "coordination.neutral.notification.mixin",
        "coordination.reference.mixin",
        "coordination.access.trail.mixin",
        # brings mail.thread and mail.activity.mixin, whose traces it removes
        "coordination.retention.mixin",
    ]
    _order = "priority desc, date_received desc, id desc"
    _mail_post_access = "read"
    _coordination_sequence_code = "coordination.request"
    # The professionals' rule ("the requests I sent": created by me or in my name)
    # is an OR: without an index on each side, PostgreSQL reads every request
    # (100 ms at 200,000 requests for a professional's list; 1 ms with it).
    _create_uid_idx = models.Index("(create_uid)")

    date_received = fields.Datetime(
        string="Received on", required=True, default=fields.Datetime.now, tracking=True
    )
    territory_id = fields.Many2one(
        "coordination.territory",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        default=lambda self: self.env.user.coordination_territory_ids[:1],
    )
    coordinator_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        default=lambda self: self._default_coordinator(),
    )
    requester_type = fields.Selection(
        REQUESTER_TYPES,
        string="Requester",
        required=True,
        default="resident",
        tracking=True,
    )
    requester_partner_id = fields.Many2one(
        "res.partner",
        string="Requested by",
        ondelete="restrict",
        index=True,
        default=lambda self: self._default_requester_partner(),
    )
    person_id = fields.Many2one(
        "res.partner",
        string="Person concerned",
        ondelete="restrict",
        index=True,
        tracking=True,
    )
    channel = fields.Selection(CHANNELS, required=True, default="office", tracking=True)
    theme_ids = fields.Many2many("coordination.determinant", string="Themes")
    description = fields.Text(help="The request as it was expressed.")
    priority = fields.Selection(PRIORITIES, default="0", required=True, tracking=True)
    state = fields.Selection(
        [
            ("new", "New"),
            ("triage", "Triage"),
            ("oriented", "Oriented"),
            ("project", "Individual project opened"),
            ("closed", "Closed"),
        ],
        default="new",
        required=True,
        tracking=True,
        index=True,
    )
    triage_note = fields.Text(
        string="Triage notes",
        help="First understanding of the problématique; no diagnosis.",
    )
    orientation_partner_ids = fields.Many2many(
        "res.partner",
        "coordination_request_orientation_rel",
        "request_id",
        "partner_id",
        string="Oriented to",
    )
    orientation_note = fields.Text()
    outcome = fields.Selection(
        [
            ("information", "Information given"),
            ("oriented", "Oriented to a partner"),
            ("project", "Individual project"),
            ("no_follow_up", "No follow-up needed"),
            ("declined", "Declined by the person"),
            ("out_of_scope", "Outside the coordination's scope"),
        ],
        tracking=True,
    )
    outcome_note = fields.Text()
    first_contact_date = fields.Datetime(tracking=True)
    first_contact_delay_label = fields.Char(
        string="First-contact delay", compute="_compute_first_contact_delay_label"
    )
    person_phone = fields.Char(
        related="person_id.phone", string="Phone of the person", readonly=False
    )
    first_contact_delay = fields.Float(
        string="First-contact delay (days)",
        compute="_compute_first_contact_delay",
        store=True,
        aggregator="avg",
    )
    date_closed = fields.Datetime(readonly=True, copy=False)
    project_id = fields.Many2one(
        "coordination.individual.project",
        string="Individual project",
        index=True,
        ondelete="set null",
        copy=False,
        tracking=True,
    )

    def _default_coordinator(self):
        user = self.env.user
        return (
            user
            if user.has_group("coordination_microlocale.group_coordinator")
            else False
        )

    def _default_requester_partner(self):
        if self.env.user._coordination_is_professional():
            return self.env.user.partner_id
        return False

    # Received in person or on the phone: the first contact is the intake itself.
    LIVE_CHANNELS = ("office", "phone", "home_visit")

    @api.model
    def default_get(self, field_names):
        """At the intake screen, a request received live is first contact too."""
        defaults = super().default_get(field_names)
        if (
            self.env.context.get("coordination_intake")
            and "first_contact_date" in field_names
            and not defaults.get("first_contact_date")
            and defaults.get("channel") in self.LIVE_CHANNELS
            and self.env.user.has_group("coordination_microlocale.group_coordinator")
        ):
            defaults["first_contact_date"] = (
                defaults.get("date_received") or fields.Datetime.now()
            )
        return defaults

    @api.onchange("channel")
    def _onchange_channel_first_contact(self):
        for request in self:
            if (
                request.channel in self.LIVE_CHANNELS
                and not request.first_contact_date
                and request.state == "new"
                and self.env.user.has_group(
                    "coordination_microlocale.group_coordinator"
                )
            ):
                request.first_contact_date = (
                    request.date_received or fields.Datetime.now()
                )

    @api.depends("first_contact_delay")
    def _compute_first_contact_delay_label(self):
        for request in self:
            if not request.first_contact_date:
                request.first_contact_delay_label = False
                continue
            days = request.first_contact_delay
            if days < 1:
                minutes = round(days * 24 * 60)
                request.first_contact_delay_label = (
                    self.env._("Same time")
                    if minutes < 1
                    else self.env._(
                        "%(hours)s h %(minutes)02d",
                        hours=minutes // 60,
                        minutes=minutes % 60,
                    )
                )
            else:
                request.first_contact_delay_label = self.env._(
                    "%(days)s day(s)", days=round(days)
                )

    @api.depends("date_received", "first_contact_date")
    def _compute_first_contact_delay(self):
        for request in self:
            if request.date_received and request.first_contact_date:
                delta = request.first_contact_date - request.date_received
                request.first_contact_delay = round(delta.total_seconds() / 86400, 2)
            else:
                request.first_contact_delay = 0.0

    @api.constrains("date_received", "first_contact_date", "date_closed")
    def _check_dates(self):
        now = fields.Datetime.now()
        for request in self:
            if request.date_received and request.date_received > now:
                raise ValidationError(
                    self.env._("A request cannot be received in the future.")
                )
            if (
                request.first_contact_date
                and request.first_contact_date < request.date_received
            ):
                raise ValidationError(
                    self.env._(
                        "The first contact of request %(ref)s cannot precede its "
                        "reception.",
                        ref=request.name,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if "territory_id" in vals:
            # Record rules are checked before a write, not after: without this a
            # coordinator could hand a request over to a territory they do not
            # coordinate.
            self.check_access("write")
        return res

    def _check_state(self, allowed):
        for request in self:
            if request.state not in allowed:
                state_label = dict(
                    self._fields["state"]._description_selection(self.env)
                )[request.state]
                raise UserError(
                    self.env._(
                        "Request %(ref)s is in the state %(state)s: this step is not "
                        "possible from there.",
                        ref=request.name,
                        state=state_label,
                    )
                )

    def action_start_triage(self):
        self._check_state(("new",))
        for request in self:
            request.write(
                {
                    "state": "triage",
                    "first_contact_date": request.first_contact_date
                    or fields.Datetime.now(),
                    "coordinator_id": request.coordinator_id.id or self.env.user.id,
                }
            )

    def action_orient(self):
        self._check_state(("new", "triage"))
        for request in self:
            if not request.orientation_partner_ids:
                raise UserError(
                    self.env._(
                        "Choose the partner or professional request %(ref)s is "
                        "oriented to.",
                        ref=request.name,
                    )
                )
            request.write(
                {
                    "state": "oriented",
                    "outcome": "oriented",
                    "first_contact_date": request.first_contact_date
                    or fields.Datetime.now(),
                }
            )

    def action_close(self):
        self._check_state(("new", "triage", "oriented"))
        for request in self:
            if not request.outcome:
                raise UserError(
                    self.env._(
                        "Record the outcome of request %(ref)s before closing it.",
                        ref=request.name,
                    )
                )
        self.write({"state": "closed", "date_closed": fields.Datetime.now()})

    def action_reopen(self):
        self._check_state(("closed",))
        self.write({"state": "triage", "date_closed": False})

    def action_open_project(self):
        """Open an individual project for the person concerned, or join theirs."""
        self.ensure_one()
        self._check_state(("new", "triage", "oriented"))
        if not self.person_id:
            raise UserError(
                self.env._(
                    "Request %(ref)s has no person concerned: an individual project "
                    "is the "
                    "person's own project.",
                    ref=self.name,
                )
            )
        Project = self.env["coordination.individual.project"]
        project = Project.search(
            [
                ("person_id", "=", self.person_id.id),
                ("territory_id", "=", self.territory_id.id),
                ("state", "!=", "closed"),
            ],
            limit=1,
        )
        if not project:
            project = Project.create(self._prepare_project_values())
        self.write(
            {
                "project_id": project.id,
                "state": "project",
                "outcome": "project",
                "first_contact_date": self.first_contact_date or fields.Datetime.now(),
            }
        )
        return project._get_form_action()

    def _prepare_project_values(self):
        coordinator = self.coordinator_id or self.env.user
        return {
            "person_id": self.person_id.id,
            "territory_id": self.territory_id.id,
            "coordinator_id": coordinator.id,
            "problematique": plaintext2html(self.description or ""),
            "need_ids": [
                fields.Command.create({"determinant_id": theme.id})
                for theme in self.theme_ids
            ],
        }

    def action_anticipate_discharge(self):
        """A hospital announces a discharge: open the project and its hospital stay."""
        self.ensure_one()
        self.action_open_project()
        requester = self.requester_partner_id
        hospital = requester._coordination_structure() if requester else requester
        return self.project_id.action_new_hospital_stay(hospital=hospital)

    def _coordination_anonymise(self):
        """Retention: the person and personal requesters go, with the free texts.

        For a whole batch at once, in the privileged environment (see
        coordination.individual.project._coordination_anonymise).
        """
        requests = privileged(self, ANONYMISE)
        if not requests:
            return
        anonymous = self._anonymous_partner()
        requests.filtered("person_id").write({"person_id": anonymous.id})
        requests.filtered(
            lambda r: (
                r.requester_partner_id and r.requester_type in PERSONAL_REQUESTER_TYPES
            )
        ).write({"requester_partner_id": anonymous.id})
        requests.write(
            {
                "description": False,
                "triage_note": False,
                "orientation_note": False,
                "outcome_note": False,
                "is_anonymised": True,
                "date_anonymised": fields.Date.context_today(self),
            }
        )
        requests._coordination_remove_traces()

    def action_view_project(self):
        self.ensure_one()
        return self.project_id._get_form_action()
