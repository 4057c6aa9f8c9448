from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain

from ..privacy.coordination_retention_mixin import remove_traces

# Code de l'action sociale et des familles, R121-2: who may be registered.
CATEGORIES = [
    ("elderly", "65 and over"),
    ("unfit_for_work", "Over 60 and unfit for work"),
    ("disabled", "Disabled adult"),
    ("isolated", "Other isolated person (municipality's decision)"),
]
# R121-2, 3°: the benefits that open the register to a disabled adult.
DISABILITY_BENEFITS = [
    ("aah", "Adult disability allowance (AAH)"),
    ("actp", "Compensatory allowance for third-party assistance (ACTP)"),
    ("cmi", "Mobility inclusion card, invalidity (CMI)"),
    ("rqth", "Recognised disabled worker (RQTH)"),
    ("invalidity_pension", "Invalidity pension"),
    ("pch", "Disability compensation benefit (PCH)"),
]
VULNERABILITY = [
    ("0", "Usual"),
    ("1", "High"),
    ("2", "Very high"),
]
REQUESTERS = [
    ("person", "The person"),
    ("relative", "A relative"),
    ("professional", "A professional"),
    ("service", "A service (home help, CCAS...)"),
    ("other", "Another third party"),
]
REQUEST_CHANNELS = [
    ("form", "Written form"),
    ("mail", "Letter"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("office", "At the town hall / CCAS"),
    ("online", "Online form"),
    ("import", "Import of a previous register"),
]
STRIKE_REASONS = [
    ("request", "At the person's request"),
    ("objection", "The person objects to the registration"),
    ("moved", "Moved out of the territory"),
    ("institution", "Moved into an institution"),
    ("deceased", "Deceased"),
    ("other", "Other reason"),
]
# What the register holds about the person: erased when the entry is struck off.
PERSONAL_FIELDS = (
    "partner_id",
    "birthdate",
    "category",
    "disability_benefit",
    "vulnerability",
    "lives_alone",
    "street",
    "street2",
    "zip",
    "city",
    "phone",
    "phone2",
    "access_note",
    "contact_time",
    "home_service_ids",
    "home_services_note",
    "doctor_id",
    "requester_type",
    "requester_name",
    "request_channel",
    "note",
    "last_contact_date",
)
COPIED_FROM_PARTNER = ("street", "street2", "zip", "city", "phone")


class CoordinationRegisterEntry(models.Model):
    """An entry of the register of vulnerable people living at home (L121-6-1 CASF).

    The register keeps its own copy of the identity and the address: it links to the
    contact without adding anything to it, and striking the entry off erases that
    copy, the emergency contacts, the messages and the activities; only the history
    lines (dates, steps, reason) remain, under the entry's reference.
    """

    _name = "coordination.register.entry"
    _description = "Register of vulnerable people: entry"
    _inherit = [
        "coordination.neutral.notification.mixin",
        "coordination.reference.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "coordination.access.trail.mixin",
    ]
    _order = "person_name, id"
    _mail_post_access = "read"
    _coordination_sequence_code = "coordination.register.entry"

    territory_id = fields.Many2one(
        "coordination.territory",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        default=lambda self: self._default_territory(),
    )
    state = fields.Selection(
        [
            ("draft", "To confirm"),
            ("registered", "Registered"),
            ("struck_off", "Struck off"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        help="To confirm: the person has not yet been informed of their rights (a "
        "third party's request). Struck off: the personal data are erased; only the "
        "history remains.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        index=True,
        ondelete="restrict",
        help="The person's contact. Nothing of the register is added to it.",
    )
    person_name = fields.Char(
        string="Name",
        compute="_compute_from_partner",
        store=True,
        readonly=False,
        precompute=True,
    )
    birthdate = fields.Date(string="Date of birth")
    age = fields.Integer(compute="_compute_age")
    category = fields.Selection(
        CATEGORIES,
        help="The categories of article R121-2 of the code de l'action sociale et "
        "des familles.",
    )
    disability_benefit = fields.Selection(
        DISABILITY_BENEFITS, help="For a disabled adult: the benefit received."
    )
    vulnerability = fields.Selection(
        VULNERABILITY,
        default="0",
        help="Called first in a campaign: very high, then high, then usual.",
    )
    lives_alone = fields.Boolean()
    street = fields.Char(
        compute="_compute_from_partner", store=True, readonly=False, precompute=True
    )
    street2 = fields.Char(
        compute="_compute_from_partner", store=True, readonly=False, precompute=True
    )
    zip = fields.Char(
        compute="_compute_from_partner", store=True, readonly=False, precompute=True
    )
    city = fields.Char(
        compute="_compute_from_partner", store=True, readonly=False, precompute=True
    )
    phone = fields.Char(
        compute="_compute_from_partner", store=True, readonly=False, precompute=True
    )
    phone2 = fields.Char(string="Other phone")
    access_note = fields.Char(
        string="Access to the home", help="Door code, floor, key holder..."
    )
    contact_time = fields.Char(
        string="Preferred contact times", help="e.g. mornings before 11 a.m."
    )
    emergency_contact_ids = fields.One2many(
        "coordination.register.contact",
        "entry_id",
        string="To warn in an emergency",
    )
    home_service_ids = fields.Many2many(
        "res.partner",
        "coordination_register_entry_service_rel",
        "entry_id",
        "partner_id",
        string="Services coming to the home",
        help="Home nursing (SSIAD), home help (SAAD), meals on wheels...",
    )
    home_services_note = fields.Char(string="Other help at home")
    doctor_id = fields.Many2one(
        "res.partner",
        string="Attending doctor",
        ondelete="set null",
        help="Only if the person gave it.",
    )
    request_date = fields.Date(
        string="Requested on", default=fields.Date.context_today, required=True
    )
    request_channel = fields.Selection(
        REQUEST_CHANNELS, string="Request channel", default="form"
    )
    requester_type = fields.Selection(
        REQUESTERS, string="Requested by", default="person"
    )
    requester_name = fields.Char(
        string="Name of the third party", help="Who asked, for a third party."
    )
    rights_informed = fields.Boolean(
        string="Informed of their rights",
        help="The person was told what the register is for, who reads it, that "
        "they may object, consult and correct it and be struck off at any time.",
    )
    rights_informed_date = fields.Date(string="Informed on")
    date_registered = fields.Date(string="Registered on", readonly=True, copy=False)
    last_review_date = fields.Date(string="Last review", readonly=True, copy=False)
    review_date = fields.Date(
        string="Next review",
        readonly=True,
        copy=False,
        index=True,
        help="The register is reviewed every year with the person.",
    )
    last_contact_date = fields.Datetime(
        string="Last contact",
        readonly=True,
        copy=False,
        help="The last campaign call that reached the person.",
    )
    keeper_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="Who receives the yearly review reminder.",
    )
    note = fields.Text()
    date_struck_off = fields.Date(string="Struck off on", readonly=True, copy=False)
    strike_reason = fields.Selection(
        STRIKE_REASONS, string="Reason", readonly=True, copy=False
    )
    history_ids = fields.One2many(
        "coordination.register.history", "entry_id", readonly=True
    )
    call_ids = fields.One2many(
        "coordination.register.call", "entry_id", string="Campaign calls"
    )

    _partner_territory_uniq = models.UniqueIndex(
        "(partner_id, territory_id) WHERE state != 'struck_off'",
        "This person is already in the register of this territory.",
    )

    def _default_territory(self):
        user = self.env.user
        return user.coordination_territory_ids[:1] or self.env[
            "coordination.territory"
        ].search([("register_keeper_ids", "in", user.id)], limit=1)

    @api.depends("partner_id")
    def _compute_from_partner(self):
        for entry in self:
            # sudo not needed: the contact is one the user chose or may read.
            partner = entry.partner_id
            if not partner:
                continue
            entry.person_name = partner.name
            for fname in COPIED_FROM_PARTNER:
                entry[fname] = partner[fname] or entry[fname]

    @api.depends("birthdate")
    @api.depends_context("tz")
    def _compute_age(self):
        today = fields.Date.context_today(self)
        for entry in self:
            entry.age = (
                relativedelta(today, entry.birthdate).years if entry.birthdate else 0
            )

    @api.constrains("category", "birthdate", "disability_benefit", "state")
    def _check_category(self):
        for entry in self:
            if entry.state == "struck_off":
                continue
            if not entry.category:
                raise ValidationError(
                    self.env._(
                        "Choose the category under which %(name)s is registered.",
                        name=entry.person_name or entry.name,
                    )
                )
            age = entry.age
            if entry.birthdate and entry.category == "elderly" and age < 65:
                raise ValidationError(
                    self.env._(
                        "%(name)s is %(age)s: the category “65 and over” does not "
                        "apply.",
                        name=entry.person_name,
                        age=age,
                    )
                )
            if entry.birthdate and entry.category == "unfit_for_work" and age < 60:
                raise ValidationError(
                    self.env._(
                        "%(name)s is %(age)s: the category “over 60 and unfit for "
                        "work” does not apply.",
                        name=entry.person_name,
                        age=age,
                    )
                )
            if entry.category == "disabled" and not entry.disability_benefit:
                raise ValidationError(
                    self.env._(
                        "Give the benefit that opens the register to %(name)s as a "
                        "disabled adult (AAH, ACTP, CMI, RQTH, invalidity pension, "
                        "PCH).",
                        name=entry.person_name,
                    )
                )

    @api.constrains("partner_id", "person_name", "state")
    def _check_person(self):
        for entry in self:
            if entry.state != "struck_off" and not (
                entry.partner_id and entry.person_name
            ):
                raise ValidationError(
                    self.env._("An entry of the register needs the person's contact.")
                )

    @api.constrains("rights_informed_date", "request_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for entry in self:
            if entry.request_date and entry.request_date > today:
                raise ValidationError(
                    self.env._("A registration cannot be requested in the future.")
                )
            if entry.rights_informed_date and entry.rights_informed_date > today:
                raise ValidationError(
                    self.env._(
                        "The person cannot have been informed of their rights in the "
                        "future."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        entries = super().create(vals_list)
        entries._add_history("created")
        return entries

    def write(self, vals):
        if not self.env.su and self.filtered(lambda e: e.state == "struck_off"):
            raise UserError(
                self.env._(
                    "A struck-off entry is kept only as history: register the "
                    "person again with a new entry."
                )
            )
        res = super().write(vals)
        if "territory_id" in vals:
            # Rules are checked before a write, not after: without this an entry could
            # be handed to a territory the user does not keep.
            self.check_access("write")
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda e: e.state != "draft"):
            raise UserError(
                self.env._(
                    "A registered entry is not deleted: strike it off, which erases "
                    "the personal data and keeps the history."
                )
            )

    def _add_history(self, kind, reason=False, note=False):
        History = self.env["coordination.register.history"]
        # sudo: the history is written only by these steps, never by hand (no user
        # has create rights on it); the entries were checked by the step itself.
        History.sudo().create(
            [
                {
                    "entry_id": entry.id,
                    "kind": kind,
                    "strike_reason": reason,
                    "note": note,
                    "user_id": self.env.uid,
                }
                for entry in self
            ]
        )

    def _check_state(self, allowed):
        for entry in self:
            if entry.state not in allowed:
                raise UserError(
                    self.env._(
                        "Entry %(ref)s is %(state)s: this step is not possible.",
                        ref=entry.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[entry.state],
                    )
                )

    def action_register(self):
        """Confirm the registration: the person was informed and does not object."""
        self._check_state(("draft",))
        for entry in self:
            if not entry.rights_informed:
                raise UserError(
                    self.env._(
                        "%(name)s must first be informed of their rights (purpose of "
                        "the register, who reads it, right to object, to consult, to "
                        "correct and to be struck off).",
                        name=entry.person_name,
                    )
                )
        today = fields.Date.context_today(self)
        self.write(
            {
                "state": "registered",
                "date_registered": today,
                "review_date": today + relativedelta(years=1),
            }
        )
        for entry in self.filtered(lambda e: not e.rights_informed_date):
            entry.rights_informed_date = today
        self._add_history("registered")

    def action_review(self):
        """The yearly review with the person: the register is up to date."""
        self._check_state(("registered",))
        today = fields.Date.context_today(self)
        self.write(
            {"last_review_date": today, "review_date": today + relativedelta(years=1)}
        )
        self.activity_feedback(
            ["coordination_microlocale.mail_activity_register_review"]
        )
        self._add_history("reviewed")

    def action_strike_off_wizard(self):
        self._check_state(("draft", "registered"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Strike off the register"),
            "res_model": "coordination.register.strike.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_entry_ids": [Command.set(self.ids)]},
        }

    def _strike_off(self, reason, note=False):
        """Strike off: the history keeps the date and reason, the data are erased."""
        self._check_state(("draft", "registered"))
        self.check_access("write")
        if not reason:
            raise UserError(self.env._("Give the reason for striking off."))
        self._add_history("struck_off", reason=reason, note=note)
        today = fields.Date.context_today(self)
        erase = {fname: False for fname in PERSONAL_FIELDS}
        erase["home_service_ids"] = [Command.clear()]
        erase.update(
            {
                "person_name": False,
                "state": "struck_off",
                "date_struck_off": today,
                "strike_reason": reason,
                "rights_informed": False,
                "rights_informed_date": False,
                "review_date": False,
                "keeper_id": False,
            }
        )
        # sudo: the user was allowed to change these entries (checked above); the
        # erasure itself must not be tracked in the chatter, which goes next.
        self.sudo().with_context(tracking_disable=True).write(erase)
        # sudo: the parts of entries the user was just allowed to change.
        self.sudo().emergency_contact_ids.unlink()
        self.sudo().call_ids.write({"outcome_note": False})
        # messages (with their tracking values), attachments, activities, followers
        remove_traces(self)
        return True

    def _register_priority(self, now=None):
        """The order of the calls of a campaign: the most vulnerable first, then
        those living alone, the oldest and those not reached for the longest."""
        now = now or fields.Datetime.now()
        self.ensure_one()
        score = int(self.vulnerability or 0) * 10000
        score += 5000 if self.lives_alone else 0
        age = self.age
        score += 2000 if age >= 85 else 1000 if age >= 75 else 0
        if self.last_contact_date:
            score += min((now - self.last_contact_date).days, 999)
        else:
            score += 999
        return score

    @api.model
    def _cron_review_reminders(self):
        """A to-do for the keeper a month before an entry's yearly review."""
        limit = fields.Date.context_today(self) + relativedelta(months=1)
        activity_type = self.env.ref(
            "coordination_microlocale.mail_activity_register_review"
        )
        entries = self.search(
            [
                ("state", "=", "registered"),
                ("review_date", "<=", limit),
                (
                    "activity_ids",
                    "not any",
                    [("activity_type_id", "=", activity_type.id)],
                ),
            ]
        )
        for entry in entries:
            user = (
                entry.keeper_id
                or entry.territory_id.register_keeper_ids[:1]
                or entry.territory_id.coordinator_ids[:1]
            )
            entry.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=entry.review_date,
                user_id=user.id or self.env.uid,
            )
        return True

    @api.model
    def _register_domain_for(self, territory):
        return Domain("territory_id", "=", territory.id) & Domain(
            "state", "=", "registered"
        )


class CoordinationRegisterContact(models.Model):
    _name = "coordination.register.contact"
    _description = "Register of vulnerable people: person to warn"
    _inherit = ["coordination.access.trail.mixin"]
    _order = "sequence, id"

    entry_id = fields.Many2one(
        "coordination.register.entry",
        required=True,
        index=True,
        ondelete="cascade",
    )
    territory_id = fields.Many2one(related="entry_id.territory_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    relationship = fields.Char(help="Daughter, neighbour, guardian...")
    phone = fields.Char(required=True)

    def _coordination_trail_reference(self):
        return self.entry_id.name

    def _coordination_trail_parent(self):
        return self.entry_id

    def write(self, vals):
        res = super().write(vals)
        if "entry_id" in vals:
            # rules are checked before a write: the new entry must be open too
            self.check_access("write")
        return res


class CoordinationRegisterHistory(models.Model):
    """The steps of an entry: what stays once it is struck off (no personal data)."""

    _name = "coordination.register.history"
    _description = "Register of vulnerable people: history"
    _order = "date desc, id desc"

    entry_id = fields.Many2one(
        "coordination.register.entry",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    territory_id = fields.Many2one(related="entry_id.territory_id", store=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    kind = fields.Selection(
        [
            ("created", "Entry created"),
            ("imported", "Imported"),
            ("registered", "Registered"),
            ("reviewed", "Yearly review"),
            ("struck_off", "Struck off"),
        ],
        string="Step",
        required=True,
        readonly=True,
    )
    strike_reason = fields.Selection(STRIKE_REASONS, string="Reason", readonly=True)
    note = fields.Char(readonly=True)
