from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_datetime

from ..privacy.coordination_retention_mixin import remove_traces

# Working hours in which new coordination sessions are proposed, on the user's clock.
WORKING_DAY_START = 9
WORKING_DAY_END = 18

# Not secret: a busy slot of the coordination, on its territory, says nothing of whom it
# is about; the sessions menu and calendar filter on them. The session type is not among
# them: "concertation around a situation" would tell a person is concerned.
COORDINATION_PUBLIC_FIELDS = {
    "access_log_count",
    "coordination_is_session",
    "coordination_territory_id",
    "coordination_is_individual",
}


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "coordination.access.trail.mixin"]

    coordination_session_type_id = fields.Many2one(
        "coordination.session.type",
        string="Session type",
        index=True,
        ondelete="restrict",
    )
    coordination_project_id = fields.Many2one(
        "coordination.individual.project",
        string="Individual project",
        index=True,
        ondelete="restrict",
    )
    coordination_collective_project_id = fields.Many2one(
        "coordination.collective.project",
        string="Collective project",
        index=True,
        ondelete="set null",
    )
    # The calendar asks for the sessions of a period (start before its end, stop
    # after its start) and Odoo indexes the start only: PostgreSQL then read every
    # past session (750 ms for a month at scale 25; 80 ms with this index of the
    # sessions' ends, which holds the coordination's sessions only).
    _coordination_session_stop_idx = models.Index(
        "(stop) WHERE coordination_is_session IS TRUE"
    )

    # Precomputed: the access policy reads them as soon as the event is inserted,
    # when its attendees are created.
    coordination_territory_id = fields.Many2one(
        "coordination.territory",
        string="Territory",
        compute="_compute_coordination_territory_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        ondelete="restrict",
    )
    coordination_is_session = fields.Boolean(
        string="Coordination session",
        compute="_compute_coordination_is_individual",
        store=True,
        precompute=True,
        index=True,
    )
    coordination_is_individual = fields.Boolean(
        string="About an individual",
        compute="_compute_coordination_is_individual",
        store=True,
        precompute=True,
        index=True,
    )
    # The professionals' discussion: never to a person's portal account.
    coordination_minutes = fields.Html(
        string="Minutes",
        groups="base.group_user,coordination_microlocale.group_portal_professional",
    )
    coordination_decisions = fields.Html(
        string="Decisions",
        groups="base.group_user,coordination_microlocale.group_portal_professional",
    )
    coordination_action_ids = fields.One2many(
        "coordination.project.action", "session_id", string="Follow-up actions"
    )
    coordination_invited_count = fields.Integer(
        string="Partners invited", compute="_compute_coordination_figures", store=True
    )
    coordination_present_count = fields.Integer(
        string="Partners present", compute="_compute_coordination_figures", store=True
    )
    coordination_structure_count = fields.Integer(
        string="Structures represented",
        compute="_compute_coordination_figures",
        store=True,
    )
    coordination_person_present = fields.Boolean(
        string="Person concerned present",
        compute="_compute_coordination_figures",
        store=True,
    )
    coordination_person_not_invited = fields.Boolean(
        compute="_compute_coordination_person_not_invited"
    )
    coordination_is_past = fields.Boolean(
        string="Has started",
        compute="_compute_coordination_is_past",
        help="Once a session has started, its attendance is recorded; before, the "
        "replies to the invitation are shown.",
    )
    coordination_session_access = fields.Boolean(
        string="Visible to me",
        compute="_compute_coordination_session_access",
        search="_search_coordination_session_access",
        help="Sessions about a person are seen only by those the access policy names.",
    )

    @api.depends(
        "coordination_project_id.territory_id",
        "coordination_collective_project_id.territory_id",
    )
    def _compute_coordination_territory_id(self):
        for event in self:
            territory = (
                event.coordination_project_id.territory_id
                or event.coordination_collective_project_id.territory_id
            )
            if territory:
                event.coordination_territory_id = territory

    @api.depends(
        "coordination_project_id",
        "coordination_collective_project_id",
        "coordination_session_type_id.is_individual",
    )
    def _compute_coordination_is_individual(self):
        for event in self:
            event.coordination_is_session = bool(
                event.coordination_session_type_id
                or event.coordination_project_id
                or event.coordination_collective_project_id
            )
            event.coordination_is_individual = bool(
                event.coordination_project_id
                or event.coordination_session_type_id.is_individual
            )

    @api.depends(
        "attendee_ids.coordination_attendance",
        "attendee_ids.partner_id",
        "coordination_project_id.person_id",
    )
    def _compute_coordination_figures(self):
        for event in self:
            attendees = event.attendee_ids
            present = attendees.filtered(
                lambda a: a.coordination_attendance == "present"
            )
            structures = self.env["res.partner"]
            for attendee in present:
                structures |= attendee.partner_id._coordination_structure()
            event.coordination_invited_count = len(attendees.partner_id)
            event.coordination_present_count = len(present.partner_id)
            event.coordination_structure_count = len(structures)
            person = event.coordination_project_id.person_id
            event.coordination_person_present = bool(
                person and person in present.partner_id
            )

    @api.depends("partner_ids", "coordination_project_id.person_id")
    def _compute_coordination_person_not_invited(self):
        for event in self:
            # Compared by id: in a form being edited, the attendees are new records
            # standing for the saved partners.
            person = event.coordination_project_id.person_id._origin
            event.coordination_person_not_invited = bool(
                person and person.id not in event.partner_ids._origin.ids
            )

    @api.depends("start")
    def _compute_coordination_is_past(self):
        now = fields.Datetime.now()
        for event in self:
            event.coordination_is_past = bool(event.start and event.start <= now)

    # ------------------------------------------------------------------
    # Default times of a new coordination session
    # ------------------------------------------------------------------
    @api.model
    def default_get(self, fields):
        defaults = super().default_get(fields)
        context = self.env.context
        is_session = (
            context.get("coordination_session_form")
            or context.get("default_coordination_session_type_id")
            or context.get("default_coordination_project_id")
        )
        if is_session and "start" in fields and not context.get("default_start"):
            start = self._coordination_default_start()
            defaults["start"] = start
            if "stop" in fields and not context.get("default_stop"):
                defaults["stop"] = start + timedelta(hours=1)
        return defaults

    @api.model
    def _coordination_default_start(self, now=None):
        """The next half hour within working hours, on the user's clock (UTC, naive).

        A session of one hour that would end after the working day, or a time on a
        week-end, moves to the next working morning.
        """
        tz = self.env.tz
        now = pytz.utc.localize(now or fields.Datetime.now()).astimezone(tz)
        local = now.replace(tzinfo=None, second=0, microsecond=0)
        local += (datetime.min - local) % timedelta(minutes=30)
        day_start = datetime.combine(local.date(), time(WORKING_DAY_START))
        local = max(local, day_start)
        if local + timedelta(hours=1) > datetime.combine(
            local.date(), time(WORKING_DAY_END)
        ):
            local = day_start + timedelta(days=1)
        while local.weekday() >= 5:
            local += timedelta(days=1)
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _coordination_sessions_about_a_person(self):
        """The events of self that are sessions about a person.

        The flag is public; it is read as superuser without prefetching, so that no
        private field of an event the user may not read lands in the cache (Odoo
        masks those fields only as it fetches them).
        """
        return (
            self.sudo()
            .with_context(prefetch_fields=False)
            .filtered("coordination_is_individual")
            .with_env(self.env)
        )

    def _coordination_trail_records(self):
        return self._coordination_sessions_about_a_person()

    def _coordination_trail_territory(self):
        return self.coordination_territory_id

    def _coordination_group_has_individual(self, domain):
        # Odoo's own calendar stays as in plain Odoo: a grouped read is traced or
        # refused only when its records include a session about a person.
        return bool(
            self.search_count(
                Domain(domain or []) & Domain("coordination_is_individual", "=", True),
                limit=1,
            )
        )

    @api.model
    def _get_public_fields(self):
        return super()._get_public_fields() | COORDINATION_PUBLIC_FIELDS

    # ------------------------------------------------------------------
    # Privacy of sessions about an individual
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._coordination_prepare_values(vals, self.env.context)
        events = super().create(vals_list)
        events._coordination_check_privacy()
        return events

    def write(self, vals):
        self._coordination_prepare_values(vals)
        res = super().write(vals)
        if {
            "privacy",
            "coordination_project_id",
            "coordination_collective_project_id",
            "coordination_session_type_id",
        } & set(vals):
            self._coordination_check_privacy()
        return res

    @api.model
    def _coordination_prepare_values(self, vals, defaults=None):
        """A session about an individual is private.

        ``defaults``: the context of a create, whose ``default_`` keys apply too.
        """
        defaults = defaults or {}
        project = vals.get(
            "coordination_project_id", defaults.get("default_coordination_project_id")
        )
        session_type = vals.get(
            "coordination_session_type_id",
            defaults.get("default_coordination_session_type_id"),
        )
        if project:
            vals["privacy"] = "private"
        elif session_type:
            session_type = self.env["coordination.session.type"].browse(session_type)
            if session_type.is_individual:
                vals["privacy"] = "private"
        return vals

    def _coordination_check_privacy(self):
        for event in self:
            if (
                event.coordination_project_id
                and event.coordination_collective_project_id
            ):
                raise UserError(
                    self.env._(
                        "A session is either about a person's project or about a "
                        "collective "
                        "project, not both."
                    )
                )
            if event.coordination_is_individual and event.privacy != "private":
                raise UserError(
                    self.env._(
                        "A session about a person's situation is always private: only "
                        "its "
                        "attendees see its content."
                    )
                )
        projects = self.coordination_project_id
        if projects and not self.env.su:
            # The user must be allowed to read the project they link a session to.
            projects.check_access("read")

    def _check_private_event_conditions(self):
        """Who reads the content of a session about a person: whoever may read it.

        Sessions about a person are hidden by the record rule
        ``rule_calendar_event_individual_session`` from everyone the access policy does
        not name; those it lets through (coordinators of the territory, professionals
        who may read the project now) see the content even when they are not on the
        attendee list. Other events keep Odoo's own privacy.
        """
        if self._coordination_sessions_about_a_person():
            return False
        return super()._check_private_event_conditions()

    def _search_coordination_session_access(self, operator, value):
        """Sessions about a person that the current user may see (the access policy).

        The coordinators of the session's territory; for a session about a project,
        whoever may read the project (``coordination_shared``: active in its circle,
        within the person's consent); for a session about a person that is linked to
        no project, its organiser and attendees. Evaluated on the records' side at each
        query, so that a change of coordinators, circle or consent applies at once.
        """
        if operator != "in":
            return NotImplemented
        user = self.env.user
        domain = Domain("coordination_project_id", "=", False) & (
            Domain("user_id", "=", user.id)
            | Domain("partner_ids", "in", user.partner_id.ids)
        )
        if user.has_group("coordination_microlocale.group_coordinator"):
            domain |= Domain("coordination_territory_id.coordinator_ids", "in", user.id)
        if user._coordination_is_professional():
            domain |= Domain("coordination_project_id.coordination_shared", "=", True)
        if user._coordination_is_portal_person():
            # the person, from their own space: the sessions about their projects
            domain |= Domain(
                "coordination_project_id.person_id", "=", user.partner_id.id
            )
        return domain if True in value else ~domain

    @api.depends_context("uid")
    def _compute_coordination_session_access(self):
        # sudo: the search is the current user's policy (see above), not their rights.
        allowed = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("id", "in", [id_ for id_ in self._ids if isinstance(id_, int)]),
                    ("coordination_session_access", "=", True),
                ]
            )
        )
        for event in self:
            event.coordination_session_access = (
                not event.coordination_is_individual
                or not isinstance(event.id, int)
                or event in allowed
            )

    def _mail_get_operation_for_mail_message_operation(self, message_operation):
        # Odoo's calendar reads the privacy and attendees of each document as the user
        # to choose the access to check on its messages; on sessions about a person
        # that the user may not read, that read itself fails and breaks any search of
        # messages. For those sessions only, the choice is made as superuser; the
        # access it chose is then checked as the user, who is refused.
        individual = self._coordination_sessions_about_a_person()
        result = super(
            CalendarEvent, self - individual
        )._mail_get_operation_for_mail_message_operation(message_operation)
        if individual:
            chosen = super(
                CalendarEvent, individual.sudo()
            )._mail_get_operation_for_mail_message_operation(message_operation)
            result.update(
                {event.with_env(self.env): op for event, op in chosen.items()}
            )
        return result

    def _coordination_check_content_access(self):
        """Raise unless the user may read the content of these sessions."""
        self.check_access("read")
        hidden = self.filtered(lambda event: event._check_private_event_conditions())
        if hidden:
            raise AccessError(
                self.env._(
                    "This session is private: only its attendees and the coordinators "
                    "of "
                    "its territory can see its content."
                )
            )

    def _coordination_minutes_when(self):
        """The date and times of the session as the minutes print them.

        "Tuesday 2 June 2026, 14:00 – 15:30", in the language and on the clock of
        the organiser (the municipality's), without seconds.
        """
        self.ensure_one()
        user = self.user_id or self.env.user
        tz = user.tz or self.env.user.tz or "Europe/Paris"
        lang = user.lang or self.env.lang
        start = format_datetime(
            self.env,
            self.start,
            tz=tz,
            dt_format="EEEE d MMMM y, HH:mm",
            lang_code=lang,
        )
        stop = format_datetime(
            self.env, self.stop, tz=tz, dt_format="HH:mm", lang_code=lang
        )
        return f"{start} – {stop}"

    def action_coordination_print_minutes(self):
        self._coordination_check_content_access()
        return self.env.ref(
            "coordination_microlocale.action_report_session_minutes"
        ).report_action(self)

    def _coordination_anonymise(self, person, anonymous):
        """Retention: the person becomes the anonymous partner, the texts go.

        The sessions stay counted, with their attendance: the person's attendee is
        handed over to the anonymous partner rather than replaced. The list of
        partners is updated in its relation table: calendar's ``write`` of
        ``partner_ids`` would delete that attendee (and its attendance) and create
        another, so the ORM cannot express this change.
        """
        if not self:
            return
        if person:
            self.attendee_ids.filtered(lambda a: a.partner_id == person).write(
                {"partner_id": anonymous.id}
            )
            partners = self._fields["partner_ids"]
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE %s = %s AND %s IN %s",
                    SQL.identifier(partners.relation),
                    SQL.identifier(partners.column2),
                    anonymous.id,
                    SQL.identifier(partners.column2),
                    person.id,
                    SQL.identifier(partners.column1),
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset(["partner_ids"])
        for session in self:
            session.write(
                {
                    "name": self.env._(
                        "Concertation %(ref)s", ref=session.coordination_project_id.name
                    ),
                    "coordination_minutes": False,
                    "coordination_decisions": False,
                    "description": False,
                    "location": False,
                }
            )
        remove_traces(self)
