from odoo import models
from odoo.exceptions import AccessError

# Models whose every record is about a registered person.
REGISTER_MODELS = {
    "coordination.register.entry",
    "coordination.register.contact",
    "coordination.register.history",
    "coordination.register.call",
}


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        """A refusal on the register names nobody: the same words for every entry."""
        if records._name not in REGISTER_MODELS:
            return super()._make_access_error(operation, records)
        records.invalidate_recordset()
        return AccessError(
            self.env._(
                "The register of vulnerable people is not open to you. It is open "
                "only to the coordinators and register keepers of its territory, and "
                "each call only to its agent while the campaign is under way."
            )
        )
