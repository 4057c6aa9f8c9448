from odoo import models

from .coordination_access_trail_mixin import is_traced


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _record_to_stream(self, record, field_name):
        stream = super()._record_to_stream(record, field_name)
        if record._name == "ir.attachment" and record.res_model and record.res_id:
            Model = self.env.get(record.res_model)
            if is_traced(Model):
                # sudo not needed: reaching here, the user may read the attachment.
                Model.browse(record.res_id)._coordination_trail("download")
        return stream
