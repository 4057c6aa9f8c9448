import base64
import json

from odoo import fields, models


class CoordinationPersonalDataExport(models.TransientModel):
    """Right of access (RGPD art. 15): everything the module holds about a person.

    Gathered with the rights of the user who runs it: a coordinator exports what their
    territories hold; the files of another territory are exported by its coordinator.
    """

    _name = "coordination.personal.data.export"
    _description = "Personal data export (right of access)"

    partner_id = fields.Many2one("res.partner", string="Person", required=True)
    json_file = fields.Binary(string="Data (JSON)", readonly=True, attachment=False)
    json_filename = fields.Char(readonly=True)
    pdf_file = fields.Binary(string="Data (PDF)", readonly=True, attachment=False)
    pdf_filename = fields.Char(readonly=True)

    def _selection_label(self, record, field_name):
        field = record._fields[field_name]
        value = record[field_name]
        return dict(field._description_selection(self.env)).get(value, value or "")

    def _attendance(self, session, partner):
        attendee = session.attendee_ids.filtered(lambda a: a.partner_id == partner)[:1]
        return (
            self._selection_label(attendee, "coordination_attendance")
            if attendee
            else ""
        )

    def _collect(self):
        """The person's data, with the current user's rights."""
        self.ensure_one()
        partner = self.partner_id
        env = self.env
        requests, projects = partner._coordination_files()
        memberships = env["coordination.circle.member"].search(
            [("partner_id", "=", partner.id)]
        )
        sessions = env["calendar.event"].search(
            [
                "|",
                ("coordination_project_id", "in", projects.ids),
                "&",
                ("coordination_is_individual", "=", True),
                ("partner_ids", "in", partner.ids),
            ]
        )
        trail = env["coordination.access.log"].search(
            [
                "|",
                "|",
                "&",
                ("res_model", "=", "coordination.request"),
                ("res_id", "in", requests.ids),
                "&",
                ("res_model", "=", "coordination.individual.project"),
                ("res_id", "in", projects.ids),
                "&",
                ("res_model", "=", "calendar.event"),
                ("res_id", "in", sessions.ids),
            ]
        )
        Entry = env["coordination.register.entry"]
        entries = (
            Entry.search([("partner_id", "=", partner.id)])
            if Entry.has_access("read")
            else Entry
        )
        data = {
            "person": {
                "name": partner.name,
                "street": partner.street or "",
                "zip": partner.zip or "",
                "city": partner.city or "",
                "email": partner.email or "",
                "phone": partner.phone or "",
            },
            "requests": [self._export_request(r) for r in requests],
            "register_of_vulnerable_people": [
                self._export_register_entry(e) for e in entries
            ],
            "projects": [self._export_project(p) for p in projects],
            "circle_memberships": [
                {"project": m.project_id.name, "role": self._selection_label(m, "role")}
                for m in memberships
                if m.project_id not in projects
            ],
            "sessions": [
                {
                    "session": s.name,
                    "date": fields.Datetime.to_string(s.start),
                    "type": s.coordination_session_type_id.name or "",
                    "attendance": self._attendance(s, partner),
                }
                for s in sessions
            ],
            "access_trail": [
                {
                    "date": fields.Datetime.to_string(t.date),
                    "user": t.user_id.name,
                    "operation": self._selection_label(t, "operation"),
                    "file": t.reference or "",
                }
                for t in trail
            ],
        }
        records = {
            "register_entries": entries,
            "requests": requests,
            "projects": projects,
            "sessions": sessions,
            "memberships": memberships,
        }
        return data, records

    def _export_request(self, request):
        r = request
        return {
            "reference": r.name,
            "received_on": fields.Datetime.to_string(r.date_received),
            "territory": r.territory_id.complete_name,
            "requester": self._selection_label(r, "requester_type"),
            "channel": self._selection_label(r, "channel"),
            "themes": r.theme_ids.mapped("name"),
            "description": r.description or "",
            "state": self._selection_label(r, "state"),
            "outcome": self._selection_label(r, "outcome"),
            "oriented_to": r.orientation_partner_ids.mapped("name"),
        }

    def _export_project(self, project):
        p = project
        label = self._selection_label
        return {
            "reference": p.name,
            "territory": p.territory_id.complete_name,
            "coordinator": p.coordinator_id.name or "",
            "state": label(p, "state"),
            "started_on": fields.Date.to_string(p.date_start),
            "closed_on": fields.Date.to_string(p.date_closed) or "",
            "problematique": p.problematique and str(p.problematique) or "",
            "needs": [
                {
                    "determinant": n.determinant_id.name,
                    "description": n.description or "",
                }
                for n in p.need_ids
            ],
            "goals": [g.name for g in p.goal_ids],
            "actions": [
                {
                    "action": a.name,
                    "responsible": a.responsible_partner_id.name or "",
                    "due": fields.Date.to_string(a.date_due) or "",
                    "state": label(a, "state"),
                }
                for a in p.action_ids
            ],
            "circle": [
                {
                    "member": m.partner_id.name,
                    "role": label(m, "role"),
                    "active": m.is_active,
                }
                for m in p.circle_member_ids
            ],
            "consent_history": [
                self._export_consent(c)
                for c in p.consent_ids.sorted(lambda c: (c.date, c.id))
            ],
            "hospital_stays": [
                {
                    "hospital": s.hospital_id.name,
                    "admission": fields.Date.to_string(s.admission_date),
                    "discharge": fields.Date.to_string(
                        s.discharge_date or s.planned_discharge_date
                    )
                    or "",
                }
                for s in p.hospital_stay_ids
            ],
        }

    def _export_register_entry(self, entry):
        e = entry
        label = self._selection_label
        return {
            "reference": e.name,
            "territory": e.territory_id.complete_name,
            "state": label(e, "state"),
            "category": label(e, "category"),
            "registered_on": fields.Date.to_string(e.date_registered) or "",
            "next_review": fields.Date.to_string(e.review_date) or "",
            "requested_by": e.requester_name or label(e, "requester_type"),
            "contact_time": e.contact_time or "",
            "persons_to_warn": [
                {"name": c.name, "relationship": c.relationship or ""}
                for c in e.emergency_contact_ids
            ],
            "calls": [
                {
                    "campaign": c.campaign_id.name,
                    "last_call": fields.Datetime.to_string(c.last_attempt_date) or "",
                    "state": label(c, "state"),
                }
                for c in e.call_ids
            ],
        }

    def _export_consent(self, consent):
        c = consent
        return {
            "date": fields.Date.to_string(c.date),
            "state": self._selection_label(c, "state"),
            "means": self._selection_label(c, "means"),
            "information_shared": c.scope_information or "",
            "shared_with": c.scope_partner_ids.mapped("name"),
            "urgency": c.is_urgency,
            "person_informed": c.person_informed,
            "recorded_by": c.recorded_by_id.name or "",
        }

    def action_export(self):
        self.ensure_one()
        data, records = self._collect()
        payload = json.dumps(data, ensure_ascii=False, indent=2)
        pdf, _format = self.env["ir.actions.report"]._render_qweb_pdf(
            "coordination_microlocale.report_personal_data",
            self.ids,
            data={"export": data},
        )
        slug = "".join(
            c if c.isalnum() else "-" for c in self.partner_id.name or "personne"
        )
        self.write(
            {
                "json_file": base64.b64encode(payload.encode()),
                "json_filename": f"donnees-{slug}.json",
                "pdf_file": base64.b64encode(pdf),
                "pdf_filename": f"donnees-{slug}.pdf",
            }
        )
        for recordset in records.values():
            # every kind of record of the export has the access trail
            recordset._coordination_trail("export")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Personal data"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }
