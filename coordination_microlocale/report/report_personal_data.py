from odoo import api, models


class ReportPersonalData(models.AbstractModel):
    _name = "report.coordination_microlocale.report_personal_data"
    _description = "Personal data (right of access)"

    @api.model
    def _get_report_values(self, docids, data=None):
        # The data was gathered by the export wizard with the user's own rights.
        docs = self.env["coordination.personal.data.export"].browse(docids)
        docs.check_access("read")
        return {"docs": docs, "export": (data or {}).get("export") or {}}
