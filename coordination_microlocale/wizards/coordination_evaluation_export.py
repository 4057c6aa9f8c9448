import base64
import io
from datetime import date

import xlsxwriter

from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from ..models.evaluation.coordination_evaluation_statistic import (
    DIMENSION_OF_FIELD,
    DONE_STATUS,
    PUBLISHED_SUMS,
)

_lt = LazyTranslate(__name__)


class CoordinationEvaluationExport(models.TransientModel):
    """The yearly evaluation workbook.

    Two sources: the anonymous figures (coordination.evaluation.statistic, the only
    one for municipal staff and managers) or, for coordinators, the detailed figures
    of the territories they coordinate (coordination.evaluation.report, under its
    record rule).
    """

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
    source = fields.Selection(
        [
            ("anonymous", "Anonymous figures (every territory)"),
            ("detailed", "Detailed figures of my territories"),
        ],
        string="Figures",
        required=True,
        default=lambda self: self._default_source(),
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
    def _default_source(self):
        user = self.env.user
        if user.has_group("coordination_microlocale.group_coordinator") and (
            user.coordination_territory_ids
        ):
            return "detailed"
        return "anonymous"

    @api.model
    def _label(self, value):
        if isinstance(value, models.BaseModel):
            return value.display_name or ""
        if value is False or value is None:
            return self.env._("Not set")
        return str(value)

    def _build_rows(self):
        self.ensure_one()
        if self.source == "anonymous":
            return self._build_anonymous_rows()
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
                elif field.name == "status" and key:
                    key = self._status_label(record_type, key)
                elif groupby[0].endswith(":month") and key:
                    key = key.strftime("%Y-%m")
                body.append([self._label(key)] + [value or 0 for value in row[1:]])
            sheets.append((title._translate(self.env.lang), header, body))
        return sheets

    def _build_anonymous_rows(self):
        """The same sheets, from the published cells only.

        The cells are read as superuser: the table holds published cells only, the
        same for every user allowed the figures. Done counts come from the status
        cells (or the met needs), means are the means of the published cells
        weighted by their counts: everything is computed from published figures.
        """
        Statistic = self.env["coordination.evaluation.statistic"]
        domain = [
            ("date", ">=", date(self.year, 1, 1)),
            ("date", "<=", date(self.year, 12, 31)),
        ]
        if self.territory_ids:
            domain.append(("territory_id", "in", self.territory_ids.ids))
        names = [
            name for name in Statistic._fields if name not in ("id", "display_name")
        ]
        cells = Statistic.sudo().search_read(domain, names, load=False)
        Report = self.env["coordination.evaluation.report"]
        sheets = []
        for title, record_type, groupby, aggregates in self.SHEETS:
            key_name = groupby[0].split(":")[0]
            field = Statistic._fields[key_name]
            dimension = DIMENSION_OF_FIELD.get(key_name, "total")
            kind_cells = [c for c in cells if c["record_type"] == record_type]

            def key(cell, key_name=key_name):
                value = cell[key_name]
                if key_name == "date" and value:
                    return value.strftime("%Y-%m")
                return value

            groups = {}
            for cell in kind_cells:
                if cell["dimension"] == dimension:
                    groups.setdefault(key(cell), []).append(cell)
            body = []
            for value, group in sorted(groups.items(), key=lambda kv: str(kv[0])):
                row = [
                    self._label(self._status_label(record_type, value))
                    if key_name == "status" and value
                    else self._anonymous_label(field, value)
                ]
                for spec in aggregates:
                    fname = spec.split(":")[0]
                    row.append(
                        self._anonymous_value(
                            fname, record_type, dimension, value, group, kind_cells, key
                        )
                    )
                body.append(row)
            header = [field._description_string(self.env)] + [
                Report._fields[spec.split(":")[0]]._description_string(self.env)
                for spec in aggregates
            ]
            sheets.append((title._translate(self.env.lang), header, body))
        return sheets

    # The models whose state the status of a kind of figure is.
    STATUS_MODELS = {
        "request": "coordination.request",
        "project": "coordination.individual.project",
        "action": "coordination.project.action",
        "collective_action": "coordination.collective.action",
        "alert": "coordination.alert",
    }

    @api.model
    def _status_label(self, record_type, value):
        """The status as users read it ("Follow-up"), not its code ("follow_up")."""
        model = self.STATUS_MODELS.get(record_type)
        if not model:
            return value
        state = self.env[model]._fields["state"]
        return dict(state._description_selection(self.env)).get(value, value)

    def _anonymous_label(self, field, value):
        if field.type == "selection" and value:
            value = dict(field._description_selection(self.env)).get(value, value)
        elif field.type == "many2one" and value:
            value = self.env[field.comodel_name].browse(value).sudo()
        return self._label(value)

    @api.model
    def _anonymous_value(self, fname, record_type, dimension, value, group, cells, key):
        if fname == "record_count" or fname in PUBLISHED_SUMS:
            return sum(cell[fname] or 0 for cell in group)
        if fname in ("first_contact_delay", "duration_days"):
            weighted = [(c[fname], c["record_count"]) for c in group if c[fname]]
            total = sum(weight for _mean, weight in weighted)
            if not total:
                return 0
            return round(sum(mean * weight for mean, weight in weighted) / total, 1)
        if fname == "done_count":
            if record_type == "need":
                done = [
                    c
                    for c in cells
                    if c["dimension"] == "determinant" and c["is_open"] is False
                ]
            else:
                done = [
                    c
                    for c in cells
                    if c["dimension"] == "status"
                    and c["status"] in DONE_STATUS.get(record_type, ())
                ]
            return sum(c["record_count"] for c in done if key(c) == value)
        return 0

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
