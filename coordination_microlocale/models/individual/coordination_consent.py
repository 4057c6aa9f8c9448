from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import groupby

from ..privacy.privileged import ANONYMISE, is_privileged
from ..settings.coordination_parameters import get_int_param
from ..settings.cron_batches import cron_in_batches

CONSENT_STATES = [
    ("requested", "Requested"),
    ("given", "Given"),
    ("refused", "Refused"),
    ("withdrawn", "Withdrawn"),
    ("expired", "Expired"),
]

CONSENT_MEANS = [("oral", "Oral"), ("written", "Written"), ("electronic", "Electronic")]

# The consent state machine: a new step of the consent may follow the project's current
# consent state ("none" when nothing was recorded yet) listed here.
TRANSITIONS = {
    "requested": ("none", "refused", "withdrawn", "expired"),
    "given": ("none", "requested", "refused", "withdrawn", "expired"),
    "refused": ("none", "requested", "withdrawn", "expired"),
    "withdrawn": ("given",),
    "expired": ("given",),
}

# Once an urgency consent is recorded, only the information of the person may be added
# to it afterwards; nothing else of a consent ever changes.
INFORMATION_FIELDS = {"person_informed", "information_date", "information_note"}


class CoordinationConsent(models.Model):
    """One step of the person's consent: the history of a project's consent.

    Records are never edited nor deleted: a new decision is a new record. The current
    consent of a project is its latest record.
    """

    _name = "coordination.consent"
    _inherit = ["coordination.access.trail.child.mixin"]
    _description = "Consent of the person"
    _order = "date desc, id desc"

    project_id = fields.Many2one(
        "coordination.individual.project",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    territory_id = fields.Many2one(
        related="project_id.territory_id", store=True, index=True
    )
    state = fields.Selection(CONSENT_STATES, required=True, readonly=True)
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    expiry_date = fields.Date(
        readonly=True,
        help="After this date the consent expires and must be asked again.",
    )
    means = fields.Selection(
        CONSENT_MEANS,
        readonly=True,
    )
    evidence_attachment_ids = fields.Many2many(
        "ir.attachment", string="Evidence", readonly=True
    )
    scope_information = fields.Text(
        string="Information shared",
        readonly=True,
        help="The kinds of information the person agrees to share.",
    )
    scope_partner_ids = fields.Many2many(
        "res.partner",
        "coordination_consent_scope_partner_rel",
        "consent_id",
        "partner_id",
        string="Shared with",
        readonly=True,
        help="Circle members the information is shared with; empty means the whole "
        "circle.",
    )
    scope_structure_type_ids = fields.Many2many(
        "coordination.structure.type",
        string="Shared with structures of type",
        readonly=True,
    )
    is_urgency = fields.Boolean(
        string="Urgency",
        readonly=True,
        help="Shared first because of an urgent situation; the person must be informed "
        "afterwards.",
    )
    person_informed = fields.Boolean(
        string="Person informed beforehand",
        readonly=True,
        help="The person was told what is shared and with whom before the sharing.",
    )
    information_date = fields.Date(readonly=True)
    information_note = fields.Text(readonly=True)
    information_pending = fields.Boolean(
        compute="_compute_information_pending", store=True
    )
    recorded_by_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        default=lambda self: self.env.user,
        readonly=True,
    )
    note = fields.Text(readonly=True)

    @api.depends("state", "is_urgency", "person_informed")
    def _compute_information_pending(self):
        for consent in self:
            consent.information_pending = (
                consent.state == "given"
                and consent.is_urgency
                and not consent.person_informed
            )

    def _compute_display_name(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for consent in self:
            consent.display_name = (
                f"{consent.project_id.name} - {labels.get(consent.state)}"
            )

    @api.constrains("date", "expiry_date", "information_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for consent in self:
            if consent.date > today:
                raise ValidationError(
                    self.env._("A consent cannot be dated in the future.")
                )
            if consent.expiry_date and consent.expiry_date <= consent.date:
                raise ValidationError(
                    self.env._("A consent cannot expire before it was given.")
                )
            if consent.information_date and consent.information_date > today:
                raise ValidationError(
                    self.env._("The person cannot be informed in the future.")
                )

    @api.constrains("state", "means", "person_informed", "is_urgency")
    def _check_given(self):
        for consent in self.filtered(lambda c: c.state == "given"):
            if not consent.means:
                raise ValidationError(
                    self.env._(
                        "Say how the person gave their consent (oral, written...)."
                    )
                )
            if not consent.person_informed and not consent.is_urgency:
                raise ValidationError(
                    self.env._(
                        "The person must be informed beforehand of what is shared and "
                        "with "
                        "whom. In an urgent situation, use the urgency path and "
                        "inform them "
                        "afterwards."
                    )
                )

    def write(self, vals):
        # The history cannot be edited: only the information of the person can be
        # added, once, to an urgency consent that lacked it; and the anonymisation
        # removes its free texts after the retention period.
        if is_privileged(self.env, ANONYMISE):
            return super().write(vals)
        if set(vals) - INFORMATION_FIELDS or self.filtered(
            lambda c: not c.information_pending
        ):
            raise AccessError(self.env._("The consent history cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("The consent history cannot be deleted."))

    def _coordination_anonymise(self):
        """The retention anonymisation: free texts, evidence and named scope go."""
        self.evidence_attachment_ids.unlink()
        self.write(
            {
                "scope_information": False,
                "note": False,
                "information_note": False,
                "scope_partner_ids": [Command.clear()],
            }
        )

    # ------------------------------------------------------------------
    # The state machine
    # ------------------------------------------------------------------
    @api.model
    def _record_step(self, projects, state, **values):
        """Record a new step of the consent of ``projects``: a new line of history.

        ``values`` are field values of the new line (``date``, ``means``,
        ``scope_information``, ``expiry_date``, ``is_urgency``, ``person_informed``,
        ``scope_partner_ids``, ``scope_structure_type_ids``,
        ``evidence_attachment_ids``, ``note``); recordsets are accepted for the
        many2many fields. Returns the new lines.
        """
        self._check_transition(projects, state)
        vals = self._step_values(state, values)
        consents = self.create([dict(vals, project_id=p.id) for p in projects])
        projects._sync_circle_followers()
        consents.filtered("information_pending")._schedule_information()
        return consents

    @api.model
    def _check_transition(self, projects, state):
        # Expiry is the calendar's doing, not a decision: it applies to closed projects
        # too, so that no professional keeps access to them past the consent.
        if state != "expired" and projects.filtered(lambda p: p.state == "closed"):
            raise UserError(
                self.env._("The consent of a closed project cannot change.")
            )
        for project in projects:
            if project.consent_state in TRANSITIONS[state]:
                continue
            if state == "withdrawn":
                raise UserError(
                    self.env._("Only a consent that was given can be withdrawn.")
                )
            labels = dict(
                projects._fields["consent_state"]._description_selection(self.env)
            )
            raise UserError(
                self.env._(
                    "The consent of project %(ref)s is %(state)s: it cannot become "
                    "%(new)s.",
                    ref=project.name,
                    state=labels[project.consent_state],
                    new=labels[state],
                )
            )

    @api.model
    def _step_values(self, state, values):
        """The field values of a new step, with the defaults of a given consent."""
        vals = {"date": fields.Date.context_today(self), "state": state}
        vals.update(
            {
                name: [Command.set(value.ids)]
                if isinstance(value, models.BaseModel)
                and self._fields[name].type == "many2many"
                else value
                for name, value in values.items()
                if value is not None
            }
        )
        if state != "given":
            return vals
        if not vals.get("means"):
            raise UserError(
                self.env._("Say how the person gave their consent (oral, written...).")
            )
        vals["expiry_date"] = vals.get("expiry_date") or self._default_expiry(
            vals["date"]
        )
        vals.setdefault("person_informed", not vals.get("is_urgency"))
        if vals["person_informed"]:
            vals.setdefault("information_date", vals["date"])
        return vals

    def _schedule_information(self):
        """Shared in urgency: the coordinator must inform the person within 3 days."""
        for consent in self.filtered("project_id.coordinator_id"):
            project = consent.project_id
            coordinator = project.coordinator_id
            project.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self) + timedelta(days=3),
                user_id=coordinator.id,
                summary=project.with_context(lang=coordinator.lang).env._(
                    "Inform the person of what was shared in urgency, and with whom"
                ),
            )

    def _record_information(self, information_date=None, note=False):
        """The urgency path: the person is informed after the sharing."""
        if self.filtered(lambda c: not c.information_pending):
            raise UserError(
                self.env._("There is no pending information for this consent.")
            )
        self.write(
            {
                "person_informed": True,
                "information_date": information_date or fields.Date.context_today(self),
                "information_note": note,
            }
        )

    @api.model
    def _cron_expire(self):
        """Consents past their expiry date expire: access ends that day.

        In batches committed with their progress (settings/cron_batches.py); an
        expired consent is no longer selected, so an interrupted run resumes.
        """
        today = fields.Date.context_today(self)
        projects = self.env["coordination.individual.project"].search(
            [("consent_state", "=", "given"), ("consent_expiry_date", "<", today)],
            order="consent_expiry_date, id",
        )

        def expire(batch):
            for expiry, group in groupby(batch, key=lambda p: p.consent_expiry_date):
                self._record_step(
                    batch.browse([p.id for p in group]),
                    "expired",
                    date=today,
                    note=self.env._("Expired on %(date)s.", date=expiry),
                )

        return cron_in_batches(self.env, (projects, expire))

    @api.model
    def _default_expiry(self, from_date):
        months = get_int_param(self.env, "consent_validity_months")
        return (
            from_date + timedelta(days=round(months * 365.25 / 12)) if months else False
        )
