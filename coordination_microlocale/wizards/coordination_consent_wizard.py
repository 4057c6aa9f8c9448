from odoo import fields, models


class CoordinationConsentWizard(models.TransientModel):
    _name = "coordination.consent.wizard"
    _description = "Record the person's consent"

    project_id = fields.Many2one("coordination.individual.project", required=True)
    decision = fields.Selection(
        [
            ("given", "The person gives their consent"),
            ("refused", "The person refuses"),
            ("withdrawn", "The person withdraws their consent"),
        ],
        required=True,
        default="given",
    )
    consent_date = fields.Date(default=fields.Date.context_today, required=True)
    consent_form = fields.Selection(
        [("oral", "Oral"), ("written", "Written"), ("electronic", "Electronic")],
        string="Given",
        default="oral",
    )
    consent_scope = fields.Text(
        string="Scope",
        help="What the person agrees to share, and with whom in the circle.",
    )

    def _open_for(self, project):
        wizard = self.create(
            {
                "project_id": project.id,
                "decision": "withdrawn"
                if project.consent_state == "given"
                else "given",
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
        self.project_id._set_consent(
            self.decision,
            consent_date=self.consent_date,
            form=self.consent_form,
            scope=self.consent_scope,
        )
        return {"type": "ir.actions.act_window_close"}
