from odoo import api, fields, models

from ..models.individual.coordination_consent import CONSENT_MEANS


class CoordinationConsentWizard(models.TransientModel):
    _name = "coordination.consent.wizard"
    _description = "Record the person's consent"

    project_id = fields.Many2one("coordination.individual.project", required=True)
    consent_state = fields.Selection(related="project_id.consent_state")
    information_pending = fields.Boolean(
        related="project_id.consent_information_pending"
    )
    decision = fields.Selection(
        [
            ("requested", "Consent asked, awaiting the person's answer"),
            ("given", "The person gives their consent"),
            ("refused", "The person refuses"),
            ("withdrawn", "The person withdraws their consent"),
            ("informed", "The person has been informed of what was shared in urgency"),
        ],
        required=True,
        default="given",
    )
    consent_date = fields.Date(
        string="Date", default=fields.Date.context_today, required=True
    )
    consent_form = fields.Selection(
        CONSENT_MEANS,
        string="Given",
        default="oral",
    )
    consent_scope = fields.Text(
        string="Information shared",
        help="What the person agrees to share.",
    )
    scope_partner_ids = fields.Many2many(
        "res.partner",
        string="Only with",
        help="Leave empty to share with the whole circle.",
    )
    circle_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_circle_partner_ids",
    )
    scope_structure_type_ids = fields.Many2many(
        "coordination.structure.type", string="Or with structures of type"
    )
    expiry_date = fields.Date(
        string="Valid until",
        compute="_compute_expiry_date",
        store=True,
        readonly=False,
    )
    person_informed = fields.Boolean(
        string="The person was informed beforehand",
        help="Of what is shared, with whom, and of their right to withdraw.",
    )
    is_urgency = fields.Boolean(
        string="Urgency: share now, inform the person afterwards",
    )
    evidence_file = fields.Binary(string="Evidence")
    evidence_filename = fields.Char()
    note = fields.Text()

    @api.depends("project_id")
    def _compute_circle_partner_ids(self):
        for wizard in self:
            wizard.circle_partner_ids = wizard.project_id.circle_member_ids.filtered(
                "is_active"
            ).partner_id

    @api.depends("consent_date")
    def _compute_expiry_date(self):
        Consent = self.env["coordination.consent"]
        for wizard in self:
            wizard.expiry_date = wizard.consent_date and Consent._default_expiry(
                wizard.consent_date
            )

    def _open_for(self, project):
        if project.consent_information_pending:
            decision = "informed"
        elif project.consent_state == "given":
            decision = "withdrawn"
        else:
            decision = "given"
        wizard = self.create(
            {
                "project_id": project.id,
                "decision": decision,
                "consent_form": project.consent_form or "oral",
                "consent_scope": project.consent_scope,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Person's consent"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_confirm(self):
        self.ensure_one()
        project = self.project_id
        if self.decision == "informed":
            project._record_consent_information(self.consent_date, self.note)
            return {"type": "ir.actions.act_window_close"}
        attachments = self.env["ir.attachment"]
        if self.evidence_file:
            attachments = attachments.create(
                {
                    "name": self.evidence_filename or self.env._("Consent evidence"),
                    "datas": self.evidence_file,
                    "res_model": project._name,
                    "res_id": project.id,
                }
            )
        project._set_consent(
            self.decision,
            date=self.consent_date,
            means=self.consent_form,
            scope_information=self.consent_scope,
            expiry_date=self.expiry_date,
            is_urgency=self.is_urgency,
            person_informed=self.person_informed,
            scope_partner_ids=self.scope_partner_ids,
            scope_structure_type_ids=self.scope_structure_type_ids,
            evidence_attachment_ids=attachments,
            note=self.note,
        )
        return {"type": "ir.actions.act_window_close"}
