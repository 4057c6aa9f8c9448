"""The professionals' and the person's own space, on Odoo's portal (``/my/...``).

Every page reads through the user's own rights: the records are searched or browsed
as the user, whose record rules decide (``coordination_shared`` for professionals,
``person_id`` for the person). A record the user may not read answers "not found",
the same answer as a record that does not exist, so that no id tells anything.
No route takes an access token: there is no way in but the user's own account.
"""

import json
from datetime import timedelta

import pytz

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

try:
    import vobject
except ImportError:  # pragma: no cover - a dependency of Odoo's calendar
    vobject = None

PAGE_SIZE = 20
NO_STORE = [("Cache-Control", "no-store, private"), ("X-Robots-Tag", "noindex")]


class CoordinationPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _coordination_user(self):
        return request.env.user

    def _coordination_require(self, professional=False, person=False):
        user = self._coordination_user()
        if professional and user._coordination_is_professional():
            return
        if person and user._coordination_is_portal_person():
            return
        raise request.not_found()

    def _coordination_record(self, model, record_id):
        """The record as the user, or "not found" (absent or not theirs alike)."""
        record = request.env[model].browse(record_id).exists()
        if not record:
            raise request.not_found()
        try:
            record.check_access("read")
        except (AccessError, MissingError):
            raise request.not_found() from None
        return record

    def _coordination_render(self, template, values):
        response = request.render(template, values)
        response.headers.extend(NO_STORE)
        return response

    def _coordination_redirect(self, url, message=None, error=None):
        if message:
            request.session["coordination_portal_message"] = message
        if error:
            request.session["coordination_portal_error"] = error
        return request.redirect(url)

    def _coordination_values(self, page_name, **values):
        values.update(self._prepare_portal_layout_values())
        values.update(
            page_name=page_name,
            coordination_message=request.session.pop(
                "coordination_portal_message", None
            ),
            coordination_error=request.session.pop("coordination_portal_error", None),
        )
        return values

    def _coordination_sessions_domain(self, upcoming=True):
        partner = self._coordination_user().partner_id
        domain = [
            ("coordination_is_session", "=", True),
            ("partner_ids", "in", partner.ids),
        ]
        if upcoming:
            domain.append(("stop", ">=", fields.Datetime.now() - timedelta(days=1)))
        return domain

    def _coordination_my_attendee(self, event):
        """The user's own answer to a session they may read.

        sudo: portal users have no access to attendees in Odoo; the event was read
        with the user's rights first, and only the user's own attendee is returned.
        """
        partner = self._coordination_user().partner_id
        return event.sudo().attendee_ids.filtered(lambda a: a.partner_id == partner)[:1]

    # ------------------------------------------------------------------
    # home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        user = request.env.user
        professional = user._coordination_is_professional()
        person = user._coordination_is_portal_person()
        env = request.env
        if "coordination_project_count" in counters:
            values["coordination_project_count"] = (
                env["coordination.individual.project"].search_count(
                    [("coordination_shared", "=", True)]
                )
                if professional
                else 0
            )
        if "coordination_session_count" in counters:
            values["coordination_session_count"] = (
                env["calendar.event"].search_count(self._coordination_sessions_domain())
                if professional or person
                else 0
            )
        if "coordination_request_count" in counters:
            values["coordination_request_count"] = (
                env["coordination.request"].search_count([]) if professional else 0
            )
        if "coordination_alert_count" in counters:
            values["coordination_alert_count"] = (
                env["coordination.alert"].search_count([("state", "=", "active")])
                if professional
                else 0
            )
        if "coordination_own_project_count" in counters:
            values["coordination_own_project_count"] = (
                env["coordination.individual.project"].search_count(
                    [("person_id", "=", user.partner_id.id)]
                )
                if person
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # the professional: projects shared with them
    # ------------------------------------------------------------------
    @http.route(
        ["/my/coordination/projects", "/my/coordination/projects/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def coordination_projects(self, page=1, **kw):
        self._coordination_require(professional=True)
        Project = request.env["coordination.individual.project"]
        domain = [("coordination_shared", "=", True)]
        total = Project.search_count(domain)
        pager = portal_pager(
            url="/my/coordination/projects", total=total, page=page, step=PAGE_SIZE
        )
        projects = Project.search(
            domain, limit=PAGE_SIZE, offset=pager["offset"], order="review_date, id"
        )
        return self._coordination_render(
            "coordination_microlocale.portal_my_coordination_projects",
            self._coordination_values(
                "coordination_projects", projects=projects, pager=pager
            ),
        )

    @http.route(
        "/my/coordination/projects/<int:project_id>",
        type="http",
        auth="user",
        website=True,
    )
    def coordination_project(self, project_id, **kw):
        self._coordination_require(professional=True)
        project = self._coordination_record(
            "coordination.individual.project", project_id
        )
        project._coordination_trail("read")
        partner = request.env.user.partner_id
        # The notes of the project, read with the user's rights (mail's own rules).
        notes = request.env["mail.message"].search(
            [
                ("model", "=", project._name),
                ("res_id", "=", project.id),
                ("message_type", "=", "comment"),
            ],
            order="date desc, id desc",
            limit=50,
        )
        if notes:
            notes._coordination_trail_threads()
        sessions = request.env["calendar.event"].search(
            [
                ("coordination_project_id", "=", project.id),
                ("stop", ">=", fields.Datetime.now() - timedelta(days=1)),
            ],
            order="start",
            limit=10,
        )
        return self._coordination_render(
            "coordination_microlocale.portal_my_coordination_project",
            self._coordination_values(
                "coordination_project",
                project=project,
                my_actions=project.action_ids.filtered(
                    lambda a: a.responsible_partner_id == partner
                ),
                other_actions=project.action_ids.filtered(
                    lambda a: a.responsible_partner_id != partner
                ),
                notes=notes,
                sessions=sessions,
                attachments=self._coordination_project_attachments(project),
            ),
        )

    def _coordination_project_attachments(self, project, attachment_id=None):
        """The files of a project the user was allowed to read (its record rules).

        sudo: Odoo gives portal users no access to attachments; these are those of
        the project just read with the user's rights, which is what ir.attachment's
        own rule requires of an internal user.
        """
        domain = [("res_model", "=", project._name), ("res_id", "=", project.id)]
        if attachment_id is not None:
            domain.append(("id", "=", attachment_id))
        return request.env["ir.attachment"].sudo().search(domain, order="id desc")

    @http.route(
        "/my/coordination/projects/<int:project_id>/files/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
    )
    def coordination_project_file(self, project_id, attachment_id, **kw):
        self._coordination_require(professional=True)
        project = self._coordination_record(
            "coordination.individual.project", project_id
        )
        attachment = self._coordination_project_attachments(project, attachment_id)
        if not attachment:
            raise request.not_found()
        # the download is traced as the user (ir.binary, models/privacy)
        stream = request.env["ir.binary"]._get_stream_from(attachment)
        response = stream.get_response(as_attachment=True)
        response.headers.extend(NO_STORE)
        return response

    @http.route(
        [
            "/my/coordination/projects/<int:project_id>/check",
            "/my/coordination/sessions/<int:event_id>/check",
        ],
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
    )
    def coordination_check(self, project_id=None, event_id=None, **kw):
        """Whether the user still reads the file of a page left open (a script of
        the page asks): 204, or "not found" once the circle or the consent ended."""
        if project_id:
            self._coordination_record("coordination.individual.project", project_id)
        else:
            self._coordination_record("calendar.event", event_id)
        return request.make_response("", status=204, headers=NO_STORE)

    @http.route(
        "/my/coordination/projects/<int:project_id>/note",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def coordination_project_note(self, project_id, body="", **kw):
        self._coordination_require(professional=True)
        project = self._coordination_record(
            "coordination.individual.project", project_id
        )
        url = f"/my/coordination/projects/{project.id}"
        try:
            project.action_portal_post_note(body)
        except (UserError, ValidationError) as error:
            return self._coordination_redirect(url, error=str(error))
        return self._coordination_redirect(
            url, message=request.env._("Your note was posted.")
        )

    @http.route(
        "/my/coordination/actions/<int:action_id>/done",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def coordination_action_done(self, action_id, comment="", **kw):
        self._coordination_require(professional=True)
        action = self._coordination_record("coordination.project.action", action_id)
        url = f"/my/coordination/projects/{action.project_id.id}"
        try:
            action.action_portal_done(comment)
        except AccessError:
            return self._coordination_redirect(
                url, error=request.env._("This action is not assigned to you.")
            )
        except (UserError, ValidationError) as error:
            return self._coordination_redirect(url, error=str(error))
        return self._coordination_redirect(
            url, message=request.env._("The action is marked done.")
        )

    # ------------------------------------------------------------------
    # sessions (professionals and the person)
    # ------------------------------------------------------------------
    @http.route(
        ["/my/coordination/sessions", "/my/coordination/sessions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def coordination_sessions(self, page=1, past=False, **kw):
        self._coordination_require(professional=True, person=True)
        Event = request.env["calendar.event"]
        domain = self._coordination_sessions_domain(upcoming=not past)
        total = Event.search_count(domain)
        pager = portal_pager(
            url="/my/coordination/sessions",
            total=total,
            page=page,
            step=PAGE_SIZE,
            url_args={"past": 1} if past else None,
        )
        sessions = Event.search(
            domain,
            limit=PAGE_SIZE,
            offset=pager["offset"],
            order="start desc" if past else "start",
        )
        return self._coordination_render(
            "coordination_microlocale.portal_my_coordination_sessions",
            self._coordination_values(
                "coordination_sessions",
                sessions=sessions,
                answers={
                    s.id: self._coordination_my_attendee(s).state for s in sessions
                },
                pager=pager,
                past=past,
            ),
        )

    @http.route(
        "/my/coordination/sessions/<int:event_id>",
        type="http",
        auth="user",
        website=True,
    )
    def coordination_session(self, event_id, **kw):
        self._coordination_require(professional=True, person=True)
        event = self._coordination_record("calendar.event", event_id)
        attendee = self._coordination_my_attendee(event)
        if not attendee and not event.coordination_is_session:
            raise request.not_found()
        content_allowed = not event._check_private_event_conditions()
        if content_allowed and event.coordination_is_individual:
            event._coordination_trail("read")
        minutes = False
        if content_allowed and request.env.user._coordination_is_professional():
            minutes = event.coordination_minutes or event.coordination_decisions
        return self._coordination_render(
            "coordination_microlocale.portal_my_coordination_session",
            self._coordination_values(
                "coordination_session",
                event=event,
                attendee=attendee,
                content_allowed=content_allowed,
                minutes=minutes,
                upcoming=bool(event.stop and event.stop >= fields.Datetime.now()),
            ),
        )

    @http.route(
        "/my/coordination/sessions/<int:event_id>/answer",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def coordination_session_answer(self, event_id, answer="", **kw):
        self._coordination_require(professional=True, person=True)
        event = self._coordination_record("calendar.event", event_id)
        attendee = self._coordination_my_attendee(event)
        url = f"/my/coordination/sessions/{event.id}"
        if not attendee:
            return self._coordination_redirect(
                url, error=request.env._("You are not invited to this session.")
            )
        if event.stop and event.stop < fields.Datetime.now():
            return self._coordination_redirect(
                url, error=request.env._("This meeting is over.")
            )
        if answer == "accept":
            attendee.do_accept()
            message = request.env._("You accepted the invitation.")
        elif answer == "decline":
            attendee.do_decline()
            message = request.env._("You declined the invitation.")
        else:
            return self._coordination_redirect(
                url, error=request.env._("Choose to accept or to decline.")
            )
        return self._coordination_redirect(url, message=message)

    @http.route(
        "/my/coordination/sessions/<int:event_id>/session.ics",
        type="http",
        auth="user",
        website=True,
    )
    def coordination_session_ics(self, event_id, **kw):
        self._coordination_require(professional=True, person=True)
        event = self._coordination_record("calendar.event", event_id)
        if vobject is None:  # pragma: no cover
            raise request.not_found()
        user = request.env.user
        tz = pytz.timezone(user.tz or "Europe/Paris")
        cal = vobject.iCalendar()
        cal.add("prodid").value = "-//coordination_microlocale//Odoo//FR"
        cal.add("method").value = "PUBLISH"
        uid_domain = (
            request.env["ir.config_parameter"].sudo().get_param("database.uuid", "odoo")
        )
        # A file for the user's own agenda, which may sync to any phone: the
        # sessions about a person under a neutral title, as in the calendar feed.
        neutral = bool(event._coordination_sessions_about_a_person())
        request.env["coordination.calendar.feed"]._add_event(
            cal, event, tz, uid_domain, neutral
        )
        return request.make_response(
            cal.serialize().encode(),
            headers=[
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", content_disposition(f"seance-{event.id}.ics")),
                *NO_STORE,
            ],
        )

    # ------------------------------------------------------------------
    # requests sent by the professional
    # ------------------------------------------------------------------
    @http.route(
        ["/my/coordination/requests", "/my/coordination/requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def coordination_requests(self, page=1, **kw):
        self._coordination_require(professional=True)
        Request = request.env["coordination.request"]
        total = Request.search_count([])
        pager = portal_pager(
            url="/my/coordination/requests", total=total, page=page, step=PAGE_SIZE
        )
        requests_ = Request.search(
            [], limit=PAGE_SIZE, offset=pager["offset"], order="date_received desc"
        )
        territories = request.env["coordination.territory"].search([])
        return self._coordination_render(
            "coordination_microlocale.portal_my_coordination_requests",
            self._coordination_values(
                "coordination_requests",
                coordination_requests=requests_,
                territories=territories,
                pager=pager,
            ),
        )

    @http.route(
        "/my/coordination/requests/new",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def coordination_request_new(
        self, territory_id=None, person_name="", description="", **kw
    ):
        self._coordination_require(professional=True)
        url = "/my/coordination/requests"
        description = (description or "").strip()
        if not description:
            return self._coordination_redirect(
                url, error=request.env._("Describe the request before sending it.")
            )
        try:
            territory = self._coordination_record(
                "coordination.territory", int(territory_id or 0)
            )
        except (ValueError, TypeError):
            territory = None
        if not territory:
            return self._coordination_redirect(
                url, error=request.env._("Choose the territory of the person.")
            )
        text = description
        if (person_name or "").strip():
            text = request.env._(
                "Person: %(name)s\n%(text)s", name=person_name.strip(), text=text
            )
        try:
            # with the user's rights: professionals may create requests (their
            # access line) and read only those they sent (their record rule)
            request.env["coordination.request"].create(
                {
                    "territory_id": territory.id,
                    "requester_type": "professional",
                    "requester_partner_id": request.env.user.partner_id.id,
                    "channel": "referral",
                    "description": text,
                }
            )
        except (UserError, ValidationError) as error:
            return self._coordination_redirect(url, error=str(error))
        return self._coordination_redirect(
            url,
            message=request.env._(
                "Your request was sent to the coordinator of %(territory)s.",
                territory=territory.display_name,
            ),
        )

    # ------------------------------------------------------------------
    # alerts, directory, collective projects (read only)
    # ------------------------------------------------------------------
    @http.route("/my/coordination/alerts", type="http", auth="user", website=True)
    def coordination_alerts(self, **kw):
        self._coordination_require(professional=True)
        alerts = request.env["coordination.alert"].search(
            [("state", "!=", "draft")], order="date_start desc, id desc", limit=50
        )
        return self._coordination_render(
            "coordination_microlocale.portal_my_coordination_alerts",
            self._coordination_values("coordination_alerts", alerts=alerts),
        )

    @http.route(
        "/my/coordination/alerts/<int:alert_id>/acknowledge",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def coordination_alert_acknowledge(self, alert_id, **kw):
        self._coordination_require(professional=True)
        alert = self._coordination_record("coordination.alert", alert_id)
        url = "/my/coordination/alerts"
        try:
            alert.action_acknowledge()
        except UserError as error:
            return self._coordination_redirect(url, error=str(error))
        return self._coordination_redirect(
            url, message=request.env._("Acknowledgement recorded.")
        )

    @http.route(
        ["/my/coordination/directory", "/my/coordination/directory/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def coordination_directory(self, page=1, search="", **kw):
        self._coordination_require(professional=True)
        Partner = request.env["res.partner"]
        domain = [("coordination_role", "!=", False)]
        if search:
            domain += [
                "|",
                "|",
                ("name", "ilike", search),
                ("city", "ilike", search),
                "|",
                ("coordination_profession_id.name", "ilike", search),
                ("coordination_structure_type_id.name", "ilike", search),
            ]
        total = Partner.search_count(domain)
        pager = portal_pager(
            url="/my/coordination/directory",
            total=total,
            page=page,
            step=PAGE_SIZE,
            url_args={"search": search} if search else None,
        )
        partners = Partner.search(
            domain, limit=PAGE_SIZE, offset=pager["offset"], order="name"
        )
        return self._coordination_render(
            "coordination_microlocale.portal_my_coordination_directory",
            self._coordination_values(
                "coordination_directory", partners=partners, pager=pager, search=search
            ),
        )

    @http.route(
        ["/my/coordination/collective", "/my/coordination/collective/<int:project_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def coordination_collective(self, project_id=None, **kw):
        self._coordination_require(professional=True)
        if project_id:
            project = self._coordination_record(
                "coordination.collective.project", project_id
            )
            return self._coordination_render(
                "coordination_microlocale.portal_my_coordination_collective_project",
                self._coordination_values("coordination_collective", project=project),
            )
        projects = request.env["coordination.collective.project"].search([], limit=100)
        return self._coordination_render(
            "coordination_microlocale.portal_my_coordination_collective",
            self._coordination_values("coordination_collective", projects=projects),
        )

    # ------------------------------------------------------------------
    # the person's own space
    # ------------------------------------------------------------------
    @http.route("/my/coordination/mine", type="http", auth="user", website=True)
    def coordination_own_projects(self, **kw):
        self._coordination_require(person=True)
        projects = request.env["coordination.individual.project"].search(
            [("person_id", "=", request.env.user.partner_id.id)]
        )
        if len(projects) == 1:
            return request.redirect(f"/my/coordination/mine/{projects.id}")
        return self._coordination_render(
            "coordination_microlocale.portal_my_coordination_own_projects",
            self._coordination_values("coordination_own", projects=projects),
        )

    @http.route(
        "/my/coordination/mine/<int:project_id>",
        type="http",
        auth="user",
        website=True,
    )
    def coordination_own_project(self, project_id, **kw):
        self._coordination_require(person=True)
        project = self._coordination_record(
            "coordination.individual.project", project_id
        )
        if project.person_id != request.env.user.partner_id:
            raise request.not_found()
        project._coordination_trail("read")
        sessions = request.env["calendar.event"].search(
            [
                ("coordination_project_id", "=", project.id),
                ("stop", ">=", fields.Datetime.now()),
            ],
            order="start",
            limit=10,
        )
        return self._coordination_render(
            "coordination_microlocale.portal_my_coordination_own_project",
            self._coordination_values(
                "coordination_own",
                project=project,
                sessions=sessions,
                circle=project.circle_member_ids.filtered("is_active"),
                consents=project.consent_ids.sorted(lambda c: (c.date, c.id), True),
            ),
        )

    @http.route(
        "/my/coordination/mine/<int:project_id>/withdraw",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def coordination_own_project_withdraw(self, project_id, note="", confirm="", **kw):
        self._coordination_require(person=True)
        project = self._coordination_record(
            "coordination.individual.project", project_id
        )
        url = f"/my/coordination/mine/{project.id}"
        if not confirm:
            return self._coordination_redirect(
                url,
                error=request.env._(
                    "Tick the box to confirm that you withdraw your consent."
                ),
            )
        try:
            project.action_portal_withdraw_consent((note or "").strip() or False)
        except AccessError:
            raise request.not_found() from None
        except UserError as error:
            return self._coordination_redirect(url, error=str(error))
        return self._coordination_redirect(
            url,
            message=request.env._(
                "Your consent is withdrawn: the professionals of your circle no "
                "longer see your project. Your coordinator is informed."
            ),
        )

    @http.route(
        "/my/coordination/mine/data.<string:fmt>",
        type="http",
        auth="user",
        website=True,
    )
    def coordination_own_data(self, fmt, **kw):
        """The right of access: everything the module holds about the person."""
        self._coordination_require(person=True)
        if fmt not in ("json", "pdf"):
            raise request.not_found()
        partner = request.env.user.partner_id
        # sudo: the person's own data (their own partner, never a parameter), as
        # their coordinator would export it for them; the export traces itself.
        wizard = (
            request.env["coordination.personal.data.export"]
            .sudo()
            .create({"partner_id": partner.id})
        )
        data, records = wizard._collect()
        for recordset in records.values():
            # traced as the person (the superuser's reads are not traced); every
            # kind of record of the export has the access trail
            recordset.with_env(request.env)._coordination_trail("export")
        slug = "".join(c if c.isalnum() else "-" for c in partner.name or "personne")
        if fmt == "json":
            body = json.dumps(data, ensure_ascii=False, indent=2).encode()
            mimetype = "application/json"
        else:
            body, _format = (
                request.env["ir.actions.report"]
                .sudo()
                ._render_qweb_pdf(
                    "coordination_microlocale.report_personal_data",
                    wizard.ids,
                    data={"export": data},
                )
            )
            mimetype = "application/pdf"
        return request.make_response(
            body,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Disposition", content_disposition(f"donnees-{slug}.{fmt}")),
                *NO_STORE,
            ],
        )
