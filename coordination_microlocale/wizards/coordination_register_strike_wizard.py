from odoo import fields, models

from ..models.register.coordination_register_entry import STRIKE_REASONS


class CoordinationRegisterStrikeWizard(models.TransientModel):
    _name = "coordination.register.strike.wizard"
    _description = "Strike off the register of vulnerable people"

    entry_ids = fields.Many2many(
        "coordination.register.entry",
        "coordination_register_strike_wizard_entry_rel",
        "wizard_id",
        "entry_id",
        required=True,
    )
    reason = fields.Selection(STRIKE_REASONS, required=True, default="request")
    note = fields.Char(
        help="Kept in the history: no personal data, it stays once they are erased."
    )

    def action_confirm(self):
        self.ensure_one()
        self.entry_ids._strike_off(self.reason, self.note)
        return {"type": "ir.actions.act_window_close"}
