"""Odoo's invitations and .ics files say nothing of the person a session is about.

For sessions about a person (``coordination_is_individual``) only: the e-mails sent to
the attendees (invitation, change of date, update, reminder, cancellation) use a
neutral template, and the attached .ics carries the neutral title, without
description, location or attendees. Other events keep Odoo's own mails. The choice of
the template is in calendar_attendee.py (``_notify_attendees``).
"""

try:
    import vobject
except ImportError:  # pragma: no cover - a dependency of Odoo's calendar
    vobject = None

from odoo import models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    def _coordination_neutral_title(self):
        """Reference and type of a session, nothing else."""
        self.ensure_one()
        # sudo: the session type is configuration, readable by every internal user,
        # and the feed or the mail may be built for a reader of the busy slot only.
        session_type = self.sudo().coordination_session_type_id
        if session_type:
            return self.env._(
                "Coordination session no. %(number)s (%(type)s)",
                number=self.id,
                type=session_type.with_env(self.env).display_name,
            )
        return self.env._("Coordination session no. %(number)s", number=self.id)

    def _notify_by_email_prepare_rendering_context(
        self,
        message,
        msg_vals=False,
        model_description=False,
        force_email_company=False,
        force_email_lang=False,
        force_record_name=False,
    ):
        # The layout of the e-mail shows the record's name: the neutral title instead.
        if len(self) == 1 and self._coordination_sessions_about_a_person():
            force_record_name = self._coordination_neutral_title()
        return super()._notify_by_email_prepare_rendering_context(
            message,
            msg_vals=msg_vals,
            model_description=model_description,
            force_email_company=force_email_company,
            force_email_lang=force_email_lang,
            force_record_name=force_record_name,
        )

    def _notify_by_web_push_prepare_payload(
        self, message, msg_vals=False, force_record_name=False
    ):
        # Browser notifications show the record's name as their title: neutral too.
        if len(self) == 1 and self._coordination_sessions_about_a_person():
            force_record_name = self._coordination_neutral_title()
        return super()._notify_by_web_push_prepare_payload(
            message, msg_vals=msg_vals, force_record_name=force_record_name
        )

    def _get_ics_file(self):
        result = super()._get_ics_file()
        if vobject is None:  # pragma: no cover
            return result
        for event in self._coordination_sessions_about_a_person():
            if event.id not in result:
                continue
            cal = vobject.readOne(result[event.id].decode())
            vevent = cal.vevent
            for name in ("description", "location", "attendee", "comment", "url"):
                while name in vevent.contents:
                    del vevent.contents[name]
            vevent.summary.value = event._coordination_neutral_title()
            vevent.add("class").value = "CONFIDENTIAL"
            result[event.id] = cal.serialize().encode()
        return result
