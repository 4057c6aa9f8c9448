from odoo import api, models
from odoo.fields import Domain


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _inaccessible_comodel_records(self, model_and_ids, operation):
        yield from super()._inaccessible_comodel_records(model_and_ids, operation)
        if self.env.su or not model_and_ids.get("calendar.event"):
            return
        # Odoo lets anyone read a private event as a busy slot; its attachments must
        # still stay with those who may read its content.
        events = (
            self.env["calendar.event"]
            .browse([res_id for res_id in model_and_ids["calendar.event"] if res_id])
            .exists()
        )
        for event in events:
            if event._check_private_event_conditions():
                yield "calendar.event", event.id

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        if not self.env.su and not kwargs.get("bypass_access"):
            # sudo: builds the sub-query of private events hidden from the user; the
            # domain itself is the user's (see calendar.event).
            hidden_events = (
                self.env["calendar.event"]
                .sudo()
                ._search(
                    self.env["calendar.event"]._coordination_hidden_private_domain()
                )
            )
            domain = Domain(domain) & ~(
                Domain("res_model", "=", "calendar.event")
                & Domain("res_id", "in", hidden_events)
            )
        return super()._search(domain, offset, limit, order, **kwargs)
