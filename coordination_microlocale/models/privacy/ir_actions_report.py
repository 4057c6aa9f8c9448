from odoo import models

from .coordination_access_trail_mixin import is_traced


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_html(self, report_ref, docids, data=None):
        result = super()._render_qweb_html(report_ref, docids, data=data)
        report = self._get_report(report_ref)
        Model = self.env.get(report.model)
        if is_traced(Model) and docids:
            Model.browse(docids)._coordination_trail("print")
        return result
