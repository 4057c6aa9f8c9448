from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestSessionForm(CoordinationCase):
    """The form of coordination sessions: times, attendees, invitation, attendance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.form_view = cls.env.ref(
            "coordination_microlocale.view_calendar_event_session_form"
        )

    def organise(self):
        action = self.project.with_user(self.coordinator).action_organise_meeting()
        self.assertEqual(action["views"], [(self.form_view.id, "form")])
        events = (
            self.env["calendar.event"]
            .with_user(self.coordinator)
            .with_context(**action["context"], no_mail_to_attendees=True)
        )
        return Form(events, view=self.form_view)

    def test_no_warning_while_the_person_is_invited(self):
        """Seen: "the person concerned is not invited" while she was in the list."""
        with self.organise() as form:
            self.assertIn(self.person, form.partner_ids)
            self.assertFalse(form.coordination_person_not_invited)
            form.partner_ids.remove(id=self.person.id)
            self.assertTrue(form.coordination_person_not_invited)
            form.partner_ids.add(self.person)
            self.assertFalse(form.coordination_person_not_invited)
        session = form.record
        self.assertFalse(session.coordination_person_not_invited)

    @freeze_time("2026-03-10 21:00:00")  # a Tuesday, 22:00 in Paris
    def test_new_session_at_night_starts_next_morning(self):
        with self.organise() as form:
            self.assertEqual(form.start, datetime(2026, 3, 11, 8, 0))  # 9:00 in Paris
            self.assertEqual(form.stop, datetime(2026, 3, 11, 9, 0))

    @freeze_time("2026-03-11 09:10:00")  # 10:10 in Paris
    def test_new_session_in_the_day_starts_at_the_next_half_hour(self):
        with self.organise() as form:
            self.assertEqual(form.start, datetime(2026, 3, 11, 9, 30))

    @freeze_time("2026-03-13 16:40:00")  # a Friday, 17:40 in Paris
    def test_new_session_on_friday_evening_starts_on_monday(self):
        with self.organise() as form:
            self.assertEqual(form.start, datetime(2026, 3, 16, 8, 0))

    @freeze_time("2026-03-10 21:00:00")
    def test_odoo_calendar_defaults_unchanged_outside_sessions(self):
        defaults = self.env["calendar.event"].default_get(["start", "stop"])
        self.assertEqual(defaults["start"], datetime(2026, 3, 10, 21, 0))

    def test_end_follows_the_start(self):
        """Seen: moving the start from 22:00 to 14:00 left a meeting of nine hours."""
        with self.organise() as form:
            start = datetime(2026, 6, 2, 12, 0)
            form.start = start
            self.assertEqual(form.stop, start + timedelta(hours=1))
            form.duration = 1.5
            form.start = start - timedelta(hours=8)
            self.assertEqual(form.stop, start - timedelta(hours=6, minutes=30))
        self.assertEqual(form.record.duration, 1.5)

    def test_attendance_answers_the_invitation(self):
        with self.organise() as form:
            form.start = datetime.now().replace(microsecond=0) - timedelta(days=1)
        session = form.record
        self.assertTrue(session.coordination_is_past)
        attendees = {a.partner_id: a for a in session.attendee_ids}
        with Form(session, view=self.form_view) as form:
            for line in range(len(form.attendee_ids)):
                with form.attendee_ids.edit(line) as attendee:
                    if attendee.partner_id == self.person:
                        attendee.coordination_attendance = "present"
                    elif attendee.partner_id == self.gp.partner_id:
                        attendee.coordination_attendance = "excused"
        self.assertEqual(attendees[self.person].state, "accepted")
        self.assertEqual(attendees[self.gp.partner_id].state, "declined")
        self.assertTrue(session.coordination_person_present)
        upcoming = self.env["calendar.event"].create(
            {
                "name": "À venir",
                "start": datetime.now() + timedelta(days=3),
                "stop": datetime.now() + timedelta(days=3, hours=1),
                "partner_ids": [Command.set(self.person.ids)],
            }
        )
        self.assertFalse(upcoming.coordination_is_past)

    def test_sessions_open_in_the_coordination_form(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coordination_microlocale.action_coordination_session"
        )
        self.assertIn((self.form_view.id, "form"), action["views"])
        action = self.project.with_user(self.coordinator).action_view_sessions()
        self.assertIn((self.form_view.id, "form"), action["views"])

    def test_minutes_fit_to_send(self):
        """The municipality's letterhead, the date and times, the confidentiality."""
        self.env.company.write(
            {"name": "Mairie de Commune Test A", "street": "1 place de la Mairie"}
        )
        self.coordinator.tz = "Europe/Paris"
        with self.organise() as form:
            form.start = datetime(2026, 6, 2, 12, 0, 41)
            form.duration = 1.5
        session = form.record
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.coordinator)
            ._render_qweb_html(
                "coordination_microlocale.report_session_minutes", session.ids
            )
        )
        html = html.decode()
        self.assertIn("Mairie de Commune Test A", html)
        self.assertIn("1 place de la Mairie", html)
        # On the organiser's clock and in their language, start and end, no seconds.
        when = session._coordination_minutes_when()
        self.assertTrue(when.endswith("2026, 14:00 – 15:30"), when)
        self.assertIn(when, html)
        self.assertNotIn("14:00:41", html)
        self.assertIn('class="o_coordination_confidential', html)
        self.assertIn(self.gp.partner_id.name, html)

    def test_professionals_named_as_people(self):
        """Seen: "Maison de santé pluriprofessionnelle de Saint-Fl…" for Dr Martin."""
        msp = self.env["res.partner"].create(
            {"name": "Maison de santé Test", "is_company": True}
        )
        self.gp.partner_id.parent_id = msp
        self.assertEqual(self.gp.partner_id.display_name, "Dr GP")
        self.assertEqual(self.gp.partner_id._coordination_structure(), msp)
        # a contact outside the directory keeps Odoo's name
        contact = self.env["res.partner"].create(
            {"name": "Mme Voisine", "parent_id": msp.id}
        )
        self.assertEqual(contact.display_name, "Maison de santé Test, Mme Voisine")
        # the coordinator at the town hall, a structure of the directory: a person too
        town_hall = self.env["res.partner"].create(
            {
                "name": "Mairie Test",
                "is_company": True,
                "coordination_role": "structure",
            }
        )
        self.coordinator.partner_id.parent_id = town_hall
        self.assertEqual(self.coordinator.partner_id.display_name, "Coordinatrice A")
        self.assertEqual(self.coordinator.partner_id.complete_name, "Coordinatrice A")
