from odoo import api, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_coordination_register(self):
        # sudo: the check must see every entry, including those the deleting user may
        # not read; the message is the one of the other files, so that it tells
        # neither that the person is registered nor of what kind the record is.
        Entry = self.env["coordination.register.entry"].sudo()
        if Entry.search_count(
            [
                "|",
                "|",
                ("partner_id", "in", self.ids),
                ("doctor_id", "in", self.ids),
                ("home_service_ids", "in", self.ids),
            ],
            limit=1,
        ):
            raise UserError(
                self.env._(
                    "This contact is used by other records and cannot be deleted, so "
                    "that nothing is lost. Archive it instead."
                )
            )
