from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_html(self, report_ref, docids, data=None):
        result = super()._render_qweb_html(report_ref, docids, data=data)
        report = self._get_report(report_ref)
        Model = self.env.get(report.model)
        if Model is not None and hasattr(Model, "_coordination_trail") and docids:
            Model.browse(docids)._coordination_trail("print")
        return result
