import base64
import io
from datetime import date

import xlsxwriter

from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class CoordinationEvaluationExport(models.TransientModel):
    """The yearly evaluation workbook, built from the same anonymous aggregates."""

    _name = "coordination.evaluation.export"
    _description = "Yearly evaluation export"

    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    territory_ids = fields.Many2many(
        "coordination.territory",
        string="Territories",
        help="Leave empty for every territory you may see.",
    )
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    # (sheet title, record type, group by, aggregates): the figures of the yearly
    # review.
    SHEETS = [
        (
            _lt("Requests by requester"),
            "request",
            ["requester_type"],
            ["record_count:sum"],
        ),
        (_lt("Requests by channel"), "request", ["channel"], ["record_count:sum"]),
        (
            _lt("Requests by month"),
            "request",
            ["date:month"],
            ["record_count:sum", "first_contact_delay:avg"],
        ),
        (
            _lt("Requests by theme"),
            "request_theme",
            ["determinant_id"],
            ["record_count:sum"],
        ),
        (
            _lt("Individual projects"),
            "project",
            ["status"],
            ["record_count:sum", "duration_days:avg"],
        ),
        (
            _lt("Needs by determinant"),
            "need",
            ["determinant_id"],
            ["record_count:sum", "done_count:sum"],
        ),
        (
            _lt("Sessions"),
            "session",
            ["session_type_id"],
            [
                "record_count:sum",
                "invited_count:sum",
                "present_count:sum",
                "structure_count:sum",
            ],
        ),
        (
            _lt("Actions planned and done"),
            "action",
            ["territory_id"],
            ["record_count:sum", "done_count:sum"],
        ),
        (
            _lt("Collective actions"),
            "collective_action",
            ["territory_id"],
            ["record_count:sum", "done_count:sum", "participant_count:sum"],
        ),
        (_lt("Alerts"), "alert", ["alert_type"], ["record_count:sum"]),
    ]

    @api.model
    def _label(self, value):
        if isinstance(value, models.BaseModel):
            return value.display_name or ""
        if value is False or value is None:
            return self.env._("Not set")
        return str(value)

    def _build_rows(self):
        self.ensure_one()
        Report = self.env["coordination.evaluation.report"]
        base = [
            ("date", ">=", date(self.year, 1, 1)),
            ("date", "<=", date(self.year, 12, 31)),
        ]
        if self.territory_ids:
            base.append(("territory_id", "in", self.territory_ids.ids))
        sheets = []
        for title, record_type, groupby, aggregates in self.SHEETS:
            field = Report._fields[groupby[0].split(":")[0]]
            rows = Report._read_group(
                base + [("record_type", "=", record_type)], groupby, aggregates
            )
            header = [field._description_string(self.env)] + [
                Report._fields[spec.split(":")[0]]._description_string(self.env)
                for spec in aggregates
            ]
            body = []
            for row in rows:
                key = row[0]
                if field.type == "selection" and key:
                    key = dict(field._description_selection(self.env)).get(key, key)
                elif groupby[0].endswith(":month") and key:
                    key = key.strftime("%Y-%m")
                body.append([self._label(key)] + [value or 0 for value in row[1:]])
            sheets.append((title._translate(self.env.lang), header, body))
        return sheets

    def action_export(self):
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        for title, header, body in self._build_rows():
            sheet = workbook.add_worksheet(title[:31])
            sheet.write_row(0, 0, header, bold)
            for index, row in enumerate(body, start=1):
                sheet.write_row(index, 0, row)
            sheet.set_column(0, 0, 36)
            sheet.set_column(1, len(header), 18)
        workbook.close()
        self.write(
            {
                "file": base64.b64encode(output.getvalue()),
                "filename": f"evaluation-coordination-{self.year}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": (
                f"/web/content/?model={self._name}&id={self.id}"
                "&field=file&filename_field=filename&download=true"
            ),
            "target": "self",
        }
