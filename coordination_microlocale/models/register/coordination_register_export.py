import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError


class CoordinationRegisterExport(models.Model):
    """The register of a territory handed to the prefect (R121-5 CASF), as dated files.

    Each export is kept: who exported which entries, when, in which files. The files
    are attachments of the export, open to its author only, and their download is
    traced like the export itself.
    """

    _name = "coordination.register.export"
    _description = "Register of vulnerable people: export for the prefect"
    _inherit = ["coordination.access.trail.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    territory_id = fields.Many2one(
        "coordination.territory",
        required=True,
        ondelete="restrict",
        default=lambda self: self.env[
            "coordination.register.entry"
        ]._default_territory(),
    )
    date = fields.Datetime(
        string="Exported on", default=fields.Datetime.now, readonly=True
    )
    entry_ids = fields.Many2many(
        "coordination.register.entry",
        "coordination_register_export_entry_rel",
        "export_id",
        "entry_id",
        string="Entries",
        readonly=True,
    )
    entry_count = fields.Integer(
        string="People", compute="_compute_entry_count", store=True
    )
    pdf_attachment_id = fields.Many2one("ir.attachment", string="PDF", readonly=True)
    xlsx_attachment_id = fields.Many2one(
        "ir.attachment", string="Spreadsheet", readonly=True
    )

    @api.depends("territory_id", "date")
    def _compute_name(self):
        for export in self:
            date = fields.Datetime.context_timestamp(
                export, export.date or fields.Datetime.now()
            )
            export.name = self.env._(
                "Register %(territory)s %(date)s",
                territory=export.territory_id.name or "",
                date=date.strftime("%Y-%m-%d %H:%M"),
            )

    @api.depends("entry_ids")
    def _compute_entry_count(self):
        for export in self:
            export.entry_count = len(export.entry_ids)

    def _coordination_trail_reference(self):
        return self.name

    def _file_stem(self):
        date = fields.Datetime.context_timestamp(self, self.date)
        territory = (self.territory_id.name or "").replace(" ", "-").replace("/", "-")
        return f"registre-{territory}-{date.strftime('%Y-%m-%d-%H%M')}"

    def _selection_label(self, record, fname):
        return dict(record._fields[fname]._description_selection(self.env)).get(
            record[fname], ""
        )

    def _rows(self):
        """The legally expected content (R121-3 CASF), one row per person."""
        self.ensure_one()
        rows = []
        for entry in self.entry_ids:
            rows.append(
                {
                    "reference": entry.name,
                    "name": entry.person_name or "",
                    "birthdate": entry.birthdate
                    and entry.birthdate.strftime("%d/%m/%Y")
                    or "",
                    "age": entry.age or "",
                    "category": self._selection_label(entry, "category"),
                    "address": " ".join(
                        filter(
                            None,
                            (entry.street, entry.street2, entry.zip, entry.city),
                        )
                    ),
                    "phone": " / ".join(filter(None, (entry.phone, entry.phone2))),
                    "services": ", ".join(
                        filter(
                            None,
                            entry.home_service_ids.mapped("name")
                            + [entry.home_services_note or ""],
                        )
                    ),
                    "doctor": entry.doctor_id.name or "",
                    "emergency": " ; ".join(
                        " ".join(filter(None, (c.name, c.relationship, c.phone)))
                        for c in entry.emergency_contact_ids
                    ),
                    "requested": entry.request_date
                    and entry.request_date.strftime("%d/%m/%Y")
                    or "",
                    "requester": self._selection_label(entry, "requester_type"),
                    "contact_time": entry.contact_time or "",
                }
            )
        return rows

    # the keys of _rows, in the order of the columns
    COLUMN_KEYS = (
        "reference",
        "name",
        "birthdate",
        "age",
        "category",
        "address",
        "phone",
        "services",
        "doctor",
        "emergency",
        "requested",
        "requester",
        "contact_time",
    )

    def _columns(self):
        labels = (
            self.env._("Reference"),
            self.env._("Name"),
            self.env._("Date of birth"),
            self.env._("Age"),
            self.env._("Registered as"),
            self.env._("Address"),
            self.env._("Phone"),
            self.env._("Services coming to the home"),
            self.env._("Attending doctor"),
            self.env._("To warn in an emergency"),
            self.env._("Requested on"),
            self.env._("Requested by"),
            self.env._("Preferred contact times"),
        )
        return list(zip(self.COLUMN_KEYS, labels, strict=True))

    def _xlsx(self):
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Register"))
        bold = workbook.add_format({"bold": True})
        title = self.env._(
            "Register of vulnerable people — %(territory)s — exported on %(date)s",
            territory=self.territory_id.display_name,
            date=fields.Datetime.context_timestamp(self, self.date).strftime(
                "%d/%m/%Y %H:%M"
            ),
        )
        sheet.write(0, 0, title, bold)
        columns = self._columns()
        for col, (_key, label) in enumerate(columns):
            sheet.write(2, col, label, bold)
            sheet.set_column(col, col, 22)
        for row_index, row in enumerate(self._rows(), start=3):
            for col, (key, _label) in enumerate(columns):
                sheet.write(row_index, col, row[key])
        workbook.close()
        return output.getvalue()

    def _attach(self, filename, content, mimetype):
        return self.env["ir.attachment"].create(
            {
                "name": filename,
                "raw": content,
                "mimetype": mimetype,
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    def action_export(self):
        """Gather the registered people of the territory and write both files."""
        self.ensure_one()
        if self.entry_ids or self.pdf_attachment_id:
            raise UserError(self.env._("This export is already done."))
        entries = self.env["coordination.register.entry"].search(
            [("territory_id", "=", self.territory_id.id), ("state", "=", "registered")]
        )
        if not entries:
            raise UserError(
                self.env._(
                    "Nobody is registered in the register of %(territory)s.",
                    territory=self.territory_id.display_name,
                )
            )
        # the people handed over: one "export" trace per entry, in the trail
        entries._coordination_trail("export")
        # sudo: the entries the user's own search returned (the rules of the
        # register applied), written on the user's own export.
        self.sudo().entry_ids = entries
        stem = self._file_stem()
        pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            "coordination_microlocale.action_report_register_export", self.ids
        )
        # sudo: the files just made from those entries (see above).
        self.sudo().write(
            {
                "pdf_attachment_id": self._attach(
                    f"{stem}.pdf", pdf, "application/pdf"
                ).id,
                "xlsx_attachment_id": self._attach(
                    f"{stem}.xlsx",
                    self._xlsx(),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ).id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _download(self, attachment):
        self.ensure_one()
        if not attachment:
            raise UserError(self.env._("Export the register first."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_download_pdf(self):
        return self._download(self.pdf_attachment_id)

    def action_download_xlsx(self):
        return self._download(self.xlsx_attachment_id)

    # set by action_export only, from the user's own search of the register
    _PROTECTED_FIELDS = {"entry_ids", "pdf_attachment_id", "xlsx_attachment_id"}

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(self._PROTECTED_FIELDS & set(v) for v in vals_list):
            raise UserError(self.env._("The register itself fills the export."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and (
            self._PROTECTED_FIELDS & set(vals) or self.filtered("pdf_attachment_id")
        ):
            raise UserError(self.env._("A done export cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The exports of the register are kept: they cannot be deleted."
                )
            )
