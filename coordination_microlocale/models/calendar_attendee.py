from odoo import fields, models


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

    def _compute_coordination_structure_id(self):
        for attendee in self:
            attendee.coordination_structure_id = (
                attendee.partner_id._coordination_structure()
            )
