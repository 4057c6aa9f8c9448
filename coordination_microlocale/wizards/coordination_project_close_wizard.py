from odoo import fields, models

from ..models.individual.coordination_individual_project import CLOSING_REASONS


class CoordinationProjectCloseWizard(models.TransientModel):
    _name = "coordination.project.close.wizard"
    _description = "Close an individual project"

    project_id = fields.Many2one("coordination.individual.project", required=True)
    closing_reason = fields.Selection(CLOSING_REASONS, required=True)
    closing_note = fields.Text()

    def _open_for(self, project):
        wizard = self.create(
            {"project_id": project.id, "closing_reason": "goals_reached"}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close the project"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_confirm(self):
        self.ensure_one()
        self.project_id._close(self.closing_reason, self.closing_note)
        return {"type": "ir.actions.act_window_close"}
