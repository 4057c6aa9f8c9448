from odoo import api, models


class ReportSessionMinutes(models.AbstractModel):
    _name = "report.coordination_microlocale.report_session_minutes"
    _description = "Minutes of a collective session"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["calendar.event"].browse(docids)
        docs.check_access("read")
        # Printing obeys the same rule as reading the content: a busy slot prints
        # nothing.
        docs._coordination_check_content_access()
        no_structure = self.env._("Without structure")
        attendee_groups = {}
        for doc in docs:
            by_structure = {}
            for attendee in doc.attendee_ids:
                structure = attendee.partner_id._coordination_structure()
                by_structure.setdefault(structure.name or no_structure, []).append(
                    attendee
                )
            attendee_groups[doc.id] = [
                {
                    "structure": name,
                    "attendees": sorted(
                        attendees, key=lambda a: a.partner_id.name or ""
                    ),
                }
                for name, attendees in sorted(
                    by_structure.items(),
                    key=lambda item: (item[0] == no_structure, item[0]),
                )
            ]
        can_read_actions = self.env["coordination.project.action"].has_access("read")
        return {
            "when": {doc.id: doc._coordination_minutes_when() for doc in docs},
            "actions": {
                doc.id: doc.coordination_action_ids if can_read_actions else []
                for doc in docs
            },
            "doc_ids": docids,
            "doc_model": "calendar.event",
            "docs": docs,
            "attendee_groups": attendee_groups,
        }
