from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..privacy.privileged import ANONYMISE, is_privileged, privileged
from ..settings.cron_batches import cron_in_batches

PROJECT_STATES = [
    ("intake", "Intake"),
    ("analysis", "Situation analysis"),
    ("in_progress", "Project under way"),
    ("follow_up", "Follow-up"),
    ("closed", "Closed"),
]

CLOSING_REASONS = [
    ("goals_reached", "Goals reached"),
    ("person_choice", "The person's choice"),
    ("handed_over", "Handed over to another service"),
    ("moved", "Moved out of the territory"),
    ("no_contact", "No more contact"),
    ("deceased", "Deceased"),
    ("other", "Other"),
]


class CoordinationIndividualProject(models.Model):
    _name = "coordination.individual.project"
    _description = "Individual health project"
    _inherit = [
        "coordination.neutral.notification.mixin",
        "coordination.reference.mixin",
        "coordination.access.trail.mixin",
        # brings mail.thread and mail.activity.mixin, whose traces it removes
        "coordination.retention.mixin",
    ]
    _order = "state_sequence, review_date, id desc"
    # Circle professionals may read the project and write notes on it, not edit it.
    _mail_post_access = "read"
    _coordination_sequence_code = "coordination.individual.project"

    person_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        help="The person whose project it is: they stay master of it.",
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
        default=lambda self: self.env.user,
    )
    referent_partner_id = fields.Many2one(
        "res.partner",
        string="Référent",
        ondelete="restrict",
        tracking=True,
        help="The professional the person chose as referent for their project.",
    )
    request_ids = fields.One2many(
        "coordination.request", "project_id", string="Requests"
    )
    request_count = fields.Integer(compute="_compute_request_count")
    circle_member_ids = fields.One2many(
        "coordination.circle.member", "project_id", string="Circle", copy=False
    )
    state = fields.Selection(
        PROJECT_STATES,
        default="intake",
        required=True,
        tracking=True,
        index=True,
        group_expand=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    date_start = fields.Date(
        string="Started on", default=fields.Date.context_today, required=True
    )
    review_date = fields.Date(string="Next review", tracking=True)
    date_closed = fields.Date(string="Closed on", readonly=True, copy=False)
    closing_reason = fields.Selection(
        CLOSING_REASONS, tracking=True, copy=False, readonly=True
    )
    closing_note = fields.Text(copy=False, readonly=True)

    # Consent of the person to share information with the professionals of the circle:
    # the latest record of its history (coordination.consent) is the current consent.
    consent_ids = fields.One2many(
        "coordination.consent", "project_id", string="Consent history", copy=False
    )
    current_consent_id = fields.Many2one(
        "coordination.consent", compute="_compute_consent", store=True, index=True
    )
    consent_state = fields.Selection(
        [
            ("none", "Not recorded"),
            ("requested", "Requested"),
            ("given", "Given"),
            ("refused", "Refused"),
            ("withdrawn", "Withdrawn"),
            ("expired", "Expired"),
        ],
        string="Consent",
        compute="_compute_consent",
        store=True,
        tracking=True,
        index=True,
    )
    coordination_shared = fields.Boolean(
        string="Shared with me",
        compute="_compute_coordination_shared",
        search="_search_coordination_shared",
        help="The current user is an active member of the circle and the person's "
        "consent covers them: the only way a professional sees the project.",
    )
    consent_date = fields.Date(related="current_consent_id.date")
    consent_form = fields.Selection(
        related="current_consent_id.means", string="Consent given"
    )
    consent_scope = fields.Text(related="current_consent_id.scope_information")
    consent_informed_by_id = fields.Many2one(
        related="current_consent_id.recorded_by_id", string="Recorded by"
    )
    consent_expiry_date = fields.Date(
        compute="_compute_consent", store=True, string="Consent expires on"
    )
    consent_withdrawal_date = fields.Date(compute="_compute_consent", store=True)
    consent_information_pending = fields.Boolean(
        compute="_compute_consent",
        store=True,
        string="Person to be informed",
        help="Shared in urgency: the person must now be told what was shared and with "
        "whom.",
    )

    problematique = fields.Html(
        string="Problématique",
        help="The situation as the person and the circle understand it; no diagnosis.",
    )
    need_ids = fields.One2many(
        "coordination.project.need", "project_id", string="Needs"
    )
    goal_ids = fields.One2many(
        "coordination.project.goal", "project_id", string="Goals"
    )
    action_ids = fields.One2many(
        "coordination.project.action", "project_id", string="Actions"
    )
    hospital_stay_ids = fields.One2many(
        "coordination.hospital.stay", "project_id", string="Hospital stays"
    )
    session_count = fields.Integer(compute="_compute_session_count")
    action_count = fields.Integer(compute="_compute_action_stats")
    action_done_count = fields.Integer(compute="_compute_action_stats")
    active = fields.Boolean(default=True)

    _closing_reason_required = models.Constraint(
        "CHECK(state != 'closed' OR closing_reason IS NOT NULL)",
        "A closed project needs a closing reason.",
    )

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {key: index for index, (key, _label) in enumerate(PROJECT_STATES)}
        for project in self:
            project.state_sequence = order.get(project.state, 0)

    @api.depends_context("uid")
    def _compute_request_count(self):
        counts = dict(
            self.env["coordination.request"]._read_group(
                [("project_id", "in", self.ids)], ["project_id"], ["__count"]
            )
        )
        for project in self:
            project.request_count = counts.get(project, 0)

    @api.depends_context("uid")
    def _compute_session_count(self):
        # search, not _read_group: Odoo's calendar leaves private events out of
        # groupings
        # even for their attendees. Counted among the sessions the reader may see.
        events = self.env["calendar.event"].search(
            [("coordination_project_id", "in", self.ids)]
        )
        counts = {}
        # sudo: only to read the project of sessions the search found for the reader.
        for event in events.sudo():
            project_id = event.coordination_project_id.id
            counts[project_id] = counts.get(project_id, 0) + 1
        for project in self:
            project.session_count = counts.get(project.id, 0)

    @api.depends("action_ids.state")
    def _compute_action_stats(self):
        for project in self:
            actions = project.action_ids.filtered(lambda a: a.state != "cancelled")
            project.action_count = len(actions)
            project.action_done_count = len(
                actions.filtered(lambda a: a.state == "done")
            )

    @api.constrains("date_start", "review_date", "date_closed")
    def _check_dates(self):
        for project in self:
            if project.review_date and project.review_date < project.date_start:
                raise ValidationError(
                    self.env._(
                        "The review date of project %(ref)s cannot precede its start.",
                        ref=project.name,
                    )
                )
            if project.date_closed and project.date_closed < project.date_start:
                raise ValidationError(
                    self.env._(
                        "Project %(ref)s cannot be closed before it started.",
                        ref=project.name,
                    )
                )

    @api.model
    def _coordination_shared_domain(self):
        """The projects shared with the current user: the access policy of the circle.

        Written once: the record rules of the project and of everything that belongs
        to it (circle, consents, needs, goals, actions, hospital stays, sessions) say
        ``coordination_shared``. The condition is on the records' side, evaluated at
        each query, so a withdrawal or a departure from the circle applies at once.
        """
        return Domain("consent_state", "=", "given") & Domain(
            "circle_member_ids",
            "any",
            Domain("partner_id", "=", self.env.user.partner_id.id)
            & Domain("access_granted", "=", True),
        )

    def _search_coordination_shared(self, operator, value):
        if operator != "in":
            return NotImplemented
        # One subquery of the projects shared with the current user. sudo: the
        # condition is the user's own circle membership and the person's consent,
        # nothing the client chose; without it, the circle's own record rules (which
        # say coordination_shared themselves) would nest in every search, and at
        # 3,000 projects PostgreSQL took 25 s to count a professional's 49. The
        # search that uses this condition still applies the user's record rules.
        shared = (
            self.sudo()
            .with_context(active_test=False)
            ._search(self._coordination_shared_domain())
        )
        domain = Domain("id", "in", shared)
        return domain if True in value else ~domain

    @api.depends_context("uid")
    def _compute_coordination_shared(self):
        # sudo: the domain is the current user's own circle membership. Saved
        # projects in one query: the access checks of their activities and messages
        # compute it for a whole page of a list (in Python, it read every circle).
        saved = [id_ for id_ in self._ids if isinstance(id_, int)]
        shared = set(
            self.sudo()
            .with_context(active_test=False)
            .search(Domain("id", "in", saved) & self._coordination_shared_domain())
            .ids
        )
        # Projects being edited in a form: their circle as it stands in the form.
        new = self.filtered(lambda project: not isinstance(project.id, int))
        shared.update(
            new.sudo().filtered_domain(self._coordination_shared_domain())._ids
        )
        for project in self:
            project.coordination_shared = project.id in shared

    @api.model_create_multi
    def create(self, vals_list):
        projects = super().create(vals_list)
        projects._ensure_core_circle()
        return projects

    def write(self, vals):
        if (
            "person_id" in vals
            and not is_privileged(self.env, ANONYMISE)
            and any(project.person_id.id != vals["person_id"] for project in self)
        ):
            raise UserError(
                self.env._(
                    "The person of an individual project cannot be changed: open a new "
                    "project for another person."
                )
            )
        res = super().write(vals)
        if "territory_id" in vals:
            # Record rules are checked before a write, not after: without this a
            # coordinator could hand a file over to a territory they do not coordinate.
            self.check_access("write")
        if "coordinator_id" in vals:
            self._ensure_core_circle()
        return res

    def _ensure_core_circle(self):
        """The person and the coordinator are always members of the circle."""
        Member = self.env["coordination.circle.member"]
        for project in self:
            partners = project.circle_member_ids.mapped("partner_id")
            to_create = []
            if project.person_id not in partners:
                to_create.append({"partner_id": project.person_id.id, "role": "person"})
            coordinator_partner = project.coordinator_id.partner_id
            if coordinator_partner and coordinator_partner not in partners:
                to_create.append(
                    {"partner_id": coordinator_partner.id, "role": "coordinator"}
                )
            if to_create:
                Member.create([dict(vals, project_id=project.id) for vals in to_create])
            if (
                coordinator_partner
                and coordinator_partner not in project.message_partner_ids
            ):
                project.message_subscribe(partner_ids=coordinator_partner.ids)

    # ------------------------------------------------------------------
    # Consent
    # ------------------------------------------------------------------
    def action_record_consent(self):
        self.ensure_one()
        return self.env["coordination.consent.wizard"]._open_for(self)

    @api.depends(
        "consent_ids.state",
        "consent_ids.date",
        "consent_ids.expiry_date",
        "consent_ids.information_pending",
    )
    def _compute_consent(self):
        for project in self:
            current = project.consent_ids.sorted(lambda c: (c.date, c.id))[-1:]
            project.current_consent_id = current
            project.consent_state = current.state or "none"
            project.consent_expiry_date = (
                current.state == "given" and current.expiry_date
            )
            project.consent_withdrawal_date = (
                current.state == "withdrawn" and current.date
            )
            project.consent_information_pending = bool(
                project.consent_ids.filtered("information_pending")
            )

    def _set_consent(self, state, **values):
        """Record a new step of the person's consent on these projects.

        The state machine is the consent's own (``coordination.consent._record_step``);
        ``values`` are field values of the new line of history.
        """
        return self.env["coordination.consent"]._record_step(self, state, **values)

    def _record_consent_information(self, information_date=None, note=False):
        pending = self.consent_ids.filtered("information_pending")
        if not pending:
            raise UserError(
                self.env._("There is no pending information for this consent.")
            )
        pending._record_information(information_date, note)

    def _sync_circle_followers(self):
        """Remove from the followers everyone who lost access, at once.

        Followers receive the project's messages by e-mail: someone who left the circle
        or whose access ended with the consent must stop receiving them.
        """
        # Attendees follow their sessions: the same people stop following them.
        # sudo: the sessions of the projects, whatever the calendar privacy of the
        # user. One search for all the projects (consent recorded for a batch).
        sessions_of = defaultdict(lambda: self.env["calendar.event"].sudo())
        for session in (
            self.env["calendar.event"]
            .sudo()
            .search([("coordination_project_id", "in", self.ids)])
        ):
            sessions_of[session.coordination_project_id.id] |= session
        for project in self:
            allowed = (
                project.circle_member_ids.filtered(
                    lambda m: m._grants_access()
                ).partner_id
                | project.coordinator_id.partner_id
            )
            to_remove = project.message_partner_ids - allowed
            if to_remove:
                project.message_unsubscribe(partner_ids=to_remove.ids)
            for session in sessions_of[project.id]:
                lost = session.message_partner_ids - allowed - project.person_id
                if lost:
                    session.message_unsubscribe(partner_ids=lost.ids)

    # ------------------------------------------------------------------
    # States
    # ------------------------------------------------------------------
    def _check_not_closed(self):
        closed = self.filtered(lambda p: p.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "Project %(ref)s is closed: reopen it first.", ref=closed[0].name
                )
            )

    def action_start_analysis(self):
        self._check_not_closed()
        self.write({"state": "analysis"})

    def action_start_project(self):
        self._check_not_closed()
        for project in self:
            if not project.goal_ids:
                raise UserError(
                    self.env._(
                        "Project %(ref)s has no goal yet: write down the goals the "
                        "person "
                        "sets before starting the project.",
                        ref=project.name,
                    )
                )
        self.write({"state": "in_progress"})

    def action_follow_up(self):
        self._check_not_closed()
        self.write({"state": "follow_up"})

    def action_close(self):
        self.ensure_one()
        self._check_not_closed()
        return self.env["coordination.project.close.wizard"]._open_for(self)

    def _close(self, reason, note=False):
        self._check_not_closed()
        if self.filtered("consent_information_pending"):
            raise UserError(
                self.env._(
                    "The person has not yet been informed of what was shared in "
                    "urgency: "
                    "record that information before closing the project."
                )
            )
        if not reason:
            raise UserError(self.env._("Give the reason for closing the project."))
        open_actions = self.action_ids.filtered(
            lambda a: a.state in ("todo", "in_progress")
        )
        open_actions.write({"state": "cancelled"})
        self.write(
            {
                "state": "closed",
                "closing_reason": reason,
                "closing_note": note,
                "date_closed": fields.Date.context_today(self),
            }
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_reopen(self):
        for project in self.filtered(lambda p: p.state == "closed"):
            project.write(
                {"state": "follow_up", "date_closed": False, "closing_reason": False}
            )

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "coordination.individual.project",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Sessions
    # ------------------------------------------------------------------
    def action_organise_meeting(self):
        """A concertation around the person's situation, with the person invited."""
        self.ensure_one()
        self._check_not_closed()
        partners = (
            self.circle_member_ids.filtered(lambda m: m._grants_access()).partner_id
            | self.person_id
            | self.coordinator_id.partner_id
        )
        session_type = self.env.ref(
            "coordination_microlocale.session_type_concertation"
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Organise a meeting"),
            "res_model": "calendar.event",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "coordination_microlocale.view_calendar_event_session_form"
                    ).id,
                    "form",
                )
            ],
            "context": {
                "default_name": self.env._("Concertation %(ref)s", ref=self.name),
                "default_coordination_project_id": self.id,
                "default_coordination_territory_id": self.territory_id.id,
                "default_coordination_session_type_id": session_type.id,
                "default_partner_ids": partners.ids,
                "default_privacy": "private",
                "default_user_id": (self.coordinator_id or self.env.user).id,
                "default_res_model": self._name,
                "default_res_id": self.id,
            },
        }

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coordination_microlocale.action_coordination_session"
        )
        action["domain"] = [("coordination_project_id", "=", self.id)]
        action["context"] = {"default_coordination_project_id": self.id}
        action["view_mode"] = "list,calendar,form"
        action["views"] = [
            (self.env.ref(f"coordination_microlocale.{xmlid}").id, view_type)
            for xmlid, view_type in (
                ("view_calendar_event_session_list", "list"),
                ("view_calendar_event_session_calendar", "calendar"),
                ("view_calendar_event_session_form", "form"),
            )
        ]
        return action

    def action_new_hospital_stay(self, hospital=False):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hospital stay"),
            "res_model": "coordination.hospital.stay",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_project_id": self.id,
                "default_hospital_id": hospital and hospital.id,
            },
        }

    # ------------------------------------------------------------------
    # Daily reminders
    # ------------------------------------------------------------------
    @api.model
    def _cron_daily_reminders(self):
        """Reviews due and overdue actions become to-dos for the coordinator, once.

        In batches committed with their progress: a project that got its to-do is
        not selected again, so an interrupted run resumes.
        """
        today = fields.Date.context_today(self)
        review_type = self.env.ref("coordination_microlocale.mail_activity_type_review")
        overdue_type = self.env.ref(
            "coordination_microlocale.mail_activity_type_overdue"
        )
        # The coordinators find these to-dos in their activities: no e-mail for each.
        projects = self.with_context(mail_activity_quick_update=True)
        due = projects.search(
            [
                ("state", "!=", "closed"),
                ("review_date", "<=", today),
                ("coordinator_id", "!=", False),
                (
                    "activity_ids",
                    "not any",
                    [("activity_type_id", "=", review_type.id)],
                ),
            ]
        )
        overdue = projects.search(
            [
                ("state", "!=", "closed"),
                ("coordinator_id", "!=", False),
                ("action_ids", "any", [("is_overdue", "=", True)]),
                (
                    "activity_ids",
                    "not any",
                    [("activity_type_id", "=", overdue_type.id)],
                ),
            ]
        )
        return cron_in_batches(
            self.env,
            (due, lambda batch: batch._schedule_review_reminder(review_type)),
            (overdue, lambda batch: batch._schedule_overdue_reminder(overdue_type)),
        )

    def _schedule_review_reminder(self, review_type):
        for project in self:
            project.activity_schedule(
                activity_type_id=review_type.id,
                date_deadline=project.review_date,
                user_id=project.coordinator_id.id,
                summary=project.with_context(lang=project.coordinator_id.lang).env._(
                    "Review the project with the person"
                ),
            )

    def _schedule_overdue_reminder(self, overdue_type):
        today = fields.Date.context_today(self)
        for project in self:
            count = len(project.action_ids.filtered("is_overdue"))
            project.activity_schedule(
                activity_type_id=overdue_type.id,
                date_deadline=today,
                user_id=project.coordinator_id.id,
                summary=project.with_context(lang=project.coordinator_id.lang).env._(
                    "%(count)s overdue action(s)", count=count
                ),
            )

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------
    def _coordination_anonymise(self):
        """Replace the person, remove the free texts and traces; keep what is counted.

        Each model anonymises its own data; this orders them, for a whole batch of
        projects at once. Runs in the privileged environment (the retention cron, or
        a coordinator's action that checked their access to every file of the person
        first).
        """
        projects = privileged(self, ANONYMISE)
        if not projects:
            return
        anonymous = self._anonymous_partner()
        sessions = projects.env["calendar.event"].search(
            [("coordination_project_id", "in", projects.ids)]
        )
        for person in projects.person_id:
            sessions.filtered(
                lambda s, p=person: s.coordination_project_id.person_id == p
            )._coordination_anonymise(person, anonymous)
        projects.circle_member_ids.unlink()
        for children in (
            projects.need_ids,
            projects.goal_ids,
            projects.action_ids,
            projects.hospital_stay_ids,
            projects.consent_ids,
        ):
            children._coordination_anonymise()
        projects.write(
            {
                "person_id": anonymous.id,
                "referent_partner_id": False,
                "problematique": False,
                "closing_note": False,
                "is_anonymised": True,
                "date_anonymised": fields.Date.context_today(self),
            }
        )
        projects._coordination_remove_traces()

    @api.model
    def _cron_anonymise_due(self):
        """Anonymise the closed projects and requests past their retention period.

        In batches, each committed with its progress: an interrupted run loses one
        batch at most, and the next run resumes where it stopped, since the files
        already anonymised are no longer due. When the cron's time is up, Odoo runs
        it again at once for the rest.
        """
        return cron_in_batches(
            self.env,
            (self._due_for_anonymisation(), self._anonymise_batch),
            (
                self.env["coordination.request"]._due_for_anonymisation(),
                self._anonymise_batch,
            ),
        )

    @api.model
    def _anonymise_batch(self, files):
        files._coordination_anonymise()

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coordination_microlocale.action_coordination_request"
        )
        action["domain"] = [("project_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
