# Message bodies here are test data, not text for users; pylint_odoo exempts only the
# files directly under tests/ from translation-required.
# pylint: disable=translation-required
from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestSession(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.msp = cls.env["res.partner"].create(
            {"name": "MSP Test", "is_company": True, "coordination_role": "structure"}
        )
        cls.gp.partner_id.parent_id = cls.msp
        cls.start = datetime.now().replace(microsecond=0) + timedelta(days=7)
        action = cls.project.with_user(cls.coordinator).action_organise_meeting()
        cls.session = (
            cls.env["calendar.event"]
            .with_user(cls.coordinator)
            .with_context(**action["context"])
            .create({"start": cls.start, "stop": cls.start + timedelta(hours=1)})
        )
        cls.session.coordination_minutes = "<p>Mot secret dans le compte-rendu</p>"
        cls.collective = cls.env["calendar.event"].create(
            {
                "name": "Groupe de travail prévention des chutes",
                "start": cls.start,
                "stop": cls.start + timedelta(hours=2),
                "coordination_session_type_id": cls.env.ref(
                    "coordination_microlocale.session_type_working_group"
                ).id,
                "coordination_territory_id": cls.territory.id,
                "partner_ids": [
                    Command.set([cls.coordinator.partner_id.id, cls.hospital.id])
                ],
                "coordination_minutes": "<p>Compte-rendu public du groupe</p>",
            }
        )
        cls.session_attachment = cls.env["ir.attachment"].create(
            {
                "name": "ordonnance.pdf",
                "raw": b"secret",
                "res_model": "calendar.event",
                "res_id": cls.session.id,
            }
        )
        cls.session.message_post(body="Échange confidentiel", message_type="comment")

    def test_meeting_from_project(self):
        session = self.session
        self.assertEqual(session.coordination_project_id, self.project)
        self.assertEqual(session.privacy, "private")
        self.assertTrue(session.coordination_is_individual)
        self.assertEqual(session.coordination_territory_id, self.territory)
        self.assertEqual(
            session.coordination_session_type_id,
            self.env.ref("coordination_microlocale.session_type_concertation"),
        )
        self.assertEqual(
            set(session.partner_ids.ids),
            {self.person.id, self.gp.partner_id.id, self.coordinator.partner_id.id},
        )
        self.assertNotIn(self.person.name, session.name)
        self.assertIn(self.project.name, session.name)
        self.assertFalse(session.coordination_person_not_invited)
        self.assertEqual(self.project.with_user(self.coordinator).session_count, 1)

    def test_meeting_invites_only_members_with_access(self):
        self.project._set_consent("withdrawn")
        action = self.project.with_user(self.coordinator).action_organise_meeting()
        self.assertNotIn(
            self.gp.partner_id.id, action["context"]["default_partner_ids"]
        )
        self.assertIn(self.person.id, action["context"]["default_partner_ids"])

    def test_warning_when_the_person_is_not_invited(self):
        with Form(self.session.with_user(self.coordinator)) as form:
            form.partner_ids.remove(id=self.person.id)
            self.assertTrue(form.coordination_person_not_invited)

    def test_individual_session_stays_private(self):
        with self.assertRaisesRegex(UserError, "always private"):
            self.session.privacy = "public"
        event = self.env["calendar.event"].create(
            {
                "name": "Concertation",
                "start": self.start,
                "stop": self.start + timedelta(hours=1),
                "coordination_session_type_id": self.env.ref(
                    "coordination_microlocale.session_type_concertation"
                ).id,
            }
        )
        self.assertEqual(event.privacy, "private")

    def test_cannot_link_a_session_to_a_project_one_cannot_read(self):
        with self.assertRaises(AccessError):
            self.env["calendar.event"].with_user(self.coordinator_other).create(
                {
                    "name": "Intrusion",
                    "start": self.start,
                    "stop": self.start + timedelta(hours=1),
                    "coordination_project_id": self.project.id,
                }
            )

    def test_attendance_and_figures(self):
        attendees = {a.partner_id: a for a in self.session.attendee_ids}
        attendees[self.gp.partner_id].coordination_attendance = "present"
        attendees[self.person].coordination_attendance = "present"
        attendees[self.coordinator.partner_id].coordination_attendance = "excused"
        session = self.session
        self.assertEqual(session.coordination_invited_count, 3)
        self.assertEqual(session.coordination_present_count, 2)
        self.assertEqual(
            session.coordination_structure_count, 1, "the GP represents the MSP"
        )
        self.assertTrue(session.coordination_person_present)
        self.assertEqual(
            attendees[self.gp.partner_id].coordination_structure_id, self.msp
        )
        attendees[self.person].coordination_attendance = "absent"
        self.assertFalse(session.coordination_person_present)

    def test_actions_decided_in_a_meeting(self):
        self.session.with_user(self.coordinator).write(
            {
                "coordination_decisions": "<p>Portage de repas</p>",
                "coordination_action_ids": [
                    Command.create(
                        {
                            "project_id": self.project.id,
                            "name": "Mettre en place le portage de repas",
                            "responsible_partner_id": self.hospital.id,
                            "date_due": self.start.date() + timedelta(days=14),
                        }
                    )
                ],
            }
        )
        action = self.session.coordination_action_ids
        self.assertEqual(action.project_id, self.project)
        self.assertIn(action, self.project.action_ids)
        self.assertEqual(action.session_id, self.session)

    def test_recurring_commission(self):
        next_month = (self.start.date().replace(day=1) + timedelta(days=32)).replace(
            day=15
        )
        start = datetime.combine(next_month, datetime.min.time()).replace(hour=14)
        commission = (
            self.env["calendar.event"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Commission santé mentale",
                    "start": start,
                    "stop": start + timedelta(hours=2),
                    "coordination_session_type_id": self.env.ref(
                        "coordination_microlocale.session_type_commission"
                    ).id,
                    "coordination_territory_id": self.territory.id,
                    "recurrency": True,
                    "rrule_type": "monthly",
                    "interval": 3,
                    "month_by": "date",
                    "day": 15,
                    "end_type": "count",
                    "count": 4,
                    "partner_ids": [
                        Command.set([self.gp.partner_id.id, self.hospital.id])
                    ],
                }
            )
        )
        events = commission.recurrence_id.calendar_event_ids
        self.assertEqual(len(events), 4)
        self.assertEqual(
            set(events.mapped("coordination_session_type_id.code")), {"commission"}
        )
        self.assertEqual(
            set(events.mapped("coordination_territory_id").ids), {self.territory.id}
        )
        months = sorted(event.start.month for event in events)
        self.assertEqual(len(set(months)), 4, "one commission a quarter")

    def test_invitations_by_email_without_mail_server(self):
        self.gp.partner_id.email = "gp@example.fr"
        start = self.start + timedelta(days=1)
        event = (
            self.env["calendar.event"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Temps d'interconnaissance",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "coordination_session_type_id": self.env.ref(
                        "coordination_microlocale.session_type_get_to_know"
                    ).id,
                    "partner_ids": [Command.set([self.gp.partner_id.id])],
                }
            )
        )
        mails = self.env["mail.mail"].sudo().search(
            [("recipient_ids", "in", self.gp.partner_id.ids)]
        ) | self.env["mail.mail"].sudo().search(
            [("email_to", "ilike", "gp@example.fr")]
        )
        self.assertTrue(mails, "Odoo's calendar invitation is queued for the GP")
        self.assertTrue(
            event.attendee_ids.filtered(lambda a: a.partner_id == self.gp.partner_id)
        )

    def test_minutes_pdf(self):
        attendees = {a.partner_id: a for a in self.session.attendee_ids}
        attendees[self.gp.partner_id].coordination_attendance = "present"
        self.session.write(
            {
                "coordination_decisions": "<p>Décision commune</p>",
                "coordination_action_ids": [
                    Command.create(
                        {"project_id": self.project.id, "name": "Appeler le CCAS"}
                    )
                ],
            }
        )
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.coordinator)
            ._render_qweb_html(
                "coordination_microlocale.report_session_minutes", self.session.ids
            )
        )
        html = html.decode()
        for text in (
            "MSP Test",
            self.gp.partner_id.name,
            "Mot secret dans le compte-rendu",
            "Décision commune",
            "Appeler le CCAS",
        ):
            self.assertIn(text, html)
        self.assertLess(html.index("MSP Test"), html.index(self.gp.partner_id.name))
        pdf = self.session.with_user(
            self.coordinator
        ).action_coordination_print_minutes()
        self.assertEqual(
            pdf["report_name"], "coordination_microlocale.report_session_minutes"
        )

    def test_minutes_pdf_refused_to_those_who_may_not_read(self):
        for user in (self.nurse, self.staff, self.coordinator_other):
            with self.assertRaises(AccessError, msg=user.login):
                self.env["ir.actions.report"].with_user(user)._render_qweb_html(
                    "coordination_microlocale.report_session_minutes", self.session.ids
                )
            with self.assertRaises(AccessError, msg=user.login):
                self.session.with_user(user).action_coordination_print_minutes()

    # ------------------------------------------------------------------
    # access
    # ------------------------------------------------------------------
    def assertSessionHidden(self, user):
        # each request starts with an empty cache: do not read what the superuser cached
        self.env.invalidate_all()
        Event = self.env["calendar.event"].with_user(user)
        session = self.session.with_user(user)
        for fnames in (
            ["name"],
            ["display_name"],
            ["coordination_minutes"],
            ["partner_ids"],
            ["start"],
        ):
            with self.assertRaises(AccessError, msg=f"{user.login} {fnames}"):
                session.read(fnames)
        for domain in (
            [("coordination_minutes", "ilike", "Mot secret")],
            [("name", "ilike", self.project.name)],
            [("partner_ids", "in", self.person.ids)],
            [("coordination_project_id", "=", self.project.id)],
        ):
            self.assertNotIn(
                self.session, Event.search(domain), f"{user.login} {domain}"
            )
        groups = Event.formatted_read_group(
            [("id", "=", self.session.id)], ["coordination_project_id"], ["__count"]
        )
        self.assertFalse(groups, user.login)
        with self.assertRaises(AccessError, msg=user.login):
            session.export_data(["name", "coordination_minutes", "partner_ids/name"])
        self.assertFalse(
            self.env["mail.message"]
            .with_user(user)
            .search(
                [("model", "=", "calendar.event"), ("res_id", "=", self.session.id)]
            ),
            user.login,
        )
        self.assertFalse(
            self.env["ir.attachment"]
            .with_user(user)
            .search(
                [("res_model", "=", "calendar.event"), ("res_id", "=", self.session.id)]
            ),
            user.login,
        )
        with self.assertRaises(AccessError, msg=user.login):
            self.session_attachment.with_user(user).read(["datas"])
        self.assertFalse(
            self.env["calendar.attendee"]
            .with_user(user)
            .search([("event_id", "=", self.session.id)]),
            user.login,
        )

    def test_outsiders_do_not_get_the_session_at_all(self):
        """No busy slot either: nothing of the session is reachable through it."""
        for user in (self.nurse, self.staff, self.coordinator_other, self.manager):
            self.assertSessionHidden(user)
            self.env.invalidate_all()
            self.assertEqual(self.person.with_user(user).meeting_count, 0, user.login)
            self.assertNotIn(
                self.session,
                self.env["calendar.event"]
                .with_user(user)
                .search([("start", "=", self.session.start)]),
            )

    def test_sessions_menu(self):
        """Sessions about a person for those the policy names, the others for all."""
        action = self.env.ref("coordination_microlocale.action_coordination_session")
        domain = safe_eval(action.domain)
        for user in (self.staff, self.nurse, self.coordinator_other, self.coordinator):
            found = self.env["calendar.event"].with_user(user).search(domain)
            self.assertIn(self.collective, found, user.login)
            self.assertEqual(
                self.session in found, user == self.coordinator, user.login
            )

    def test_sessions_calendar_opens_on_my_sessions(self):
        """The calendar opens on the user's own sessions (a department holds
        thousands a month); the others are one click away."""
        action = self.env.ref("coordination_microlocale.action_coordination_session")
        self.assertEqual(safe_eval(action.context).get("search_default_mine"), 1)
        search_view = action.search_view_id.get_combined_arch()
        self.assertIn('name="mine"', search_view)
        mine = [
            "|",
            ("user_id", "=", self.coordinator.id),
            ("partner_ids.user_ids", "in", [self.coordinator.id]),
        ]
        domain = safe_eval(action.domain) + mine
        Event = self.env["calendar.event"]
        self.assertIn(self.collective, Event.with_user(self.coordinator).search(domain))
        domain = safe_eval(action.domain) + [
            "|",
            ("user_id", "=", self.staff.id),
            ("partner_ids.user_ids", "in", [self.staff.id]),
        ]
        self.assertNotIn(self.collective, Event.with_user(self.staff).search(domain))

    def test_meeting_count_of_the_person(self):
        self.env.invalidate_all()
        self.assertEqual(self.person.with_user(self.coordinator).meeting_count, 1)
        self.env.invalidate_all()
        self.assertEqual(self.person.with_user(self.gp).meeting_count, 1)
        self.env.invalidate_all()
        self.assertEqual(self.project.with_user(self.gp).session_count, 1)

    def test_attendees_and_coordinators_read_the_session(self):
        colleague = self.env["res.users"].create(
            {
                "name": "Seconde coordinatrice",
                "login": "t.coord2",
                "group_ids": [
                    Command.link(
                        self.env.ref("coordination_microlocale.group_coordinator").id
                    )
                ],
                "coordination_territory_ids": [Command.set(self.territory.ids)],
            }
        )
        for user in (self.gp, self.coordinator, colleague):
            session = self.session.with_user(user)
            self.assertIn("Mot secret", session.coordination_minutes, user.login)
            self.assertIn(
                self.session,
                self.env["calendar.event"]
                .with_user(user)
                .search([("coordination_minutes", "ilike", "Mot secret")]),
            )
            self.assertEqual(len(session.attendee_ids), 3, user.login)

    def test_non_individual_sessions_are_open_to_staff(self):
        event = self.collective.with_user(self.staff)
        self.assertIn("Compte-rendu public", event.coordination_minutes)
        self.assertEqual(len(event.attendee_ids), 2)
        found = (
            self.env["calendar.event"]
            .with_user(self.staff)
            .search([("coordination_minutes", "ilike", "Compte-rendu public")])
        )
        self.assertEqual(found, self.collective)
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.staff)
            ._render_qweb_html(
                "coordination_microlocale.report_session_minutes", event.ids
            )
        )
        self.assertIn("Compte-rendu public", html.decode())

    def test_professional_loses_the_session_content_when_leaving_the_circle(self):
        """Being on the attendee list is not enough once out of the circle."""
        self.gp_member.action_leave()
        self.assertIn(self.gp.partner_id, self.session.partner_ids, "history is kept")
        self.env["mail.message"].search(
            [("model", "=", "calendar.event"), ("res_id", "=", self.session.id)]
        ).unlink()
        self.assertSessionHidden(self.gp)
        with self.assertRaises(AccessError):
            self.session.with_user(self.gp).write({"coordination_minutes": "<p>x</p>"})

    def test_professional_loses_the_session_content_when_consent_is_withdrawn(self):
        self.session.message_subscribe(partner_ids=self.gp.partner_id.ids)
        self.project._set_consent("withdrawn")
        self.assertNotIn(self.gp.partner_id, self.session.message_partner_ids)
        # what is said after the withdrawal does not reach the professional any more
        self.env["mail.message"].search(
            [("model", "=", "calendar.event"), ("res_id", "=", self.session.id)]
        ).unlink()
        self.session.message_post(body="Après le retrait", message_type="comment")
        self.assertSessionHidden(self.gp)
