from odoo import api, fields, models

NEUTRAL_TEMPLATE = "coordination_microlocale.mail_template_session_neutral"


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    coordination_attendance = fields.Selection(
        [
            ("present", "Present"),
            ("excused", "Excused"),
            ("absent", "Absent"),
        ],
        string="Attendance",
    )
    coordination_structure_id = fields.Many2one(
        "res.partner",
        string="Structure",
        compute="_compute_coordination_structure_id",
        help="The structure the attendee represents.",
    )

    # Attendance recorded after the session answers the invitation too, so that a
    # present attendee does not read "needs action" next to "present".
    ATTENDANCE_REPLY = {"present": "accepted", "excused": "declined"}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._coordination_reply_from_attendance(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._coordination_reply_from_attendance(vals)
        return super().write(vals)

    @api.model
    def _coordination_reply_from_attendance(self, vals):
        reply = self.ATTENDANCE_REPLY.get(vals.get("coordination_attendance"))
        if reply and "state" not in vals:
            vals["state"] = reply
        return vals

    def _compute_coordination_structure_id(self):
        for attendee in self:
            attendee.coordination_structure_id = (
                attendee.partner_id._coordination_structure()
            )

    # Sessions about a person: neutral e-mails (see calendar_neutral_invitation.py)

    def _notify_attendees(self, mail_template, notify_author=False, force_send=False):
        individual_events = self.event_id._coordination_sessions_about_a_person()
        neutral = self.filtered(lambda attendee: attendee.event_id in individual_events)
        others = self - neutral
        result = False
        if others:
            result = super(CalendarAttendee, others)._notify_attendees(
                mail_template, notify_author=notify_author, force_send=force_send
            )
        if neutral and mail_template:
            template = self.env.ref(NEUTRAL_TEMPLATE, raise_if_not_found=False)
            kind = self._coordination_neutral_kind(mail_template)
            # The template reads what it shows from the context: a title built here
            # (reference and type), and nothing else of the session.
            values = {
                attendee.id: {
                    "kind": kind,
                    "title": attendee.event_id._coordination_neutral_title(),
                    "subject": attendee.with_context(
                        coordination_neutral_kind=kind
                    )._coordination_neutral_subject(),
                }
                for attendee in neutral
            }
            result = super(CalendarAttendee, neutral)._notify_attendees(
                template.with_context(coordination_neutral_values=values)
                if template
                else mail_template,
                notify_author=notify_author,
                force_send=force_send,
            )
        return result

    def _coordination_neutral_kind(self, mail_template):
        xmlid = mail_template.get_external_id().get(mail_template.id, "")
        return {
            "calendar.calendar_template_meeting_invitation": "invitation",
            "calendar.calendar_template_meeting_changedate": "changedate",
            "calendar.calendar_template_meeting_update": "update",
            "calendar.calendar_template_meeting_reminder": "reminder",
            "calendar.calendar_template_delete_event": "cancel",
        }.get(xmlid, "update")

    def _coordination_neutral_subject(self):
        self.ensure_one()
        title = self.event_id._coordination_neutral_title()
        kind = self.env.context.get("coordination_neutral_kind")
        if kind == "invitation":
            return self.env._("Invitation: %(title)s", title=title)
        if kind == "reminder":
            return self.env._("Reminder: %(title)s", title=title)
        if kind == "cancel":
            return self.env._("Cancelled: %(title)s", title=title)
        return self.env._("Change: %(title)s", title=title)
