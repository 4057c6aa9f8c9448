from odoo import models


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _record_to_stream(self, record, field_name):
        stream = super()._record_to_stream(record, field_name)
        if record._name == "ir.attachment" and record.res_model and record.res_id:
            Model = self.env.get(record.res_model)
            if Model is not None and hasattr(Model, "_coordination_trail"):
                # sudo not needed: reaching here, the user may read the attachment.
                Model.browse(record.res_id)._coordination_trail("download")
        return stream
