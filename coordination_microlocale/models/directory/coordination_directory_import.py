"""Import of the national directories (RPPS, FINESS) into the partner directory.

Transactions. The kind of the file is checked on its first line, before anything is
written: a wrong file fails with nothing written. The lines are then applied in
batches; each batch runs in a savepoint, and a batch that fails is replayed line by
line, so that a damaged line is rejected (and listed in the report) alone. In the
background job the batches are committed one by one (``ir.cron._commit_progress``),
which shows the progress and keeps the transaction, the memory and the locks small; an
interrupted import keeps its position and resumes there at the next run of the job,
which is safe because applying a line twice changes nothing (creation or update by
identifier).
"""

import base64
import csv
import io
import logging
import os
import tempfile
import time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..settings.coordination_parameters import get_char_param
from . import directory_files

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500

# G15 profession codes of the RPPS -> profession of the module (xml id)
RPPS_PROFESSIONS = {
    "10": "profession_gp",
    "21": "profession_pharmacist",
    "26": "profession_hearing_aid",
    "28": "profession_optician",
    "31": "profession_dental_assistant",
    "35": "profession_pharmacy_technician",
    "36": "profession_pharmacy_technician",
    "40": "profession_dentist",
    "50": "profession_midwife",
    "60": "profession_nurse",
    "69": "profession_nurse",
    "70": "profession_physio",
    "80": "profession_podiatrist",
    "81": "profession_orthotist",
    "82": "profession_orthotist",
    "83": "profession_orthotist",
    "84": "profession_orthotist",
    "85": "profession_orthotist",
    "86": "profession_lab_technician",
    "91": "profession_speech",
    "92": "profession_orthoptist",
    "93": "profession_psychologist",
    "94": "profession_ot",
    "95": "profession_dietitian",
    "96": "profession_psychomotor",
    "98": "profession_radiographer",
}

# FINESS category of establishment -> structure type (xml id); others: "other"
FINESS_STRUCTURE_TYPES = {
    "124": "structure_type_cds",
    "156": "structure_type_cmp",
    "603": "structure_type_msp",
    "604": "structure_type_cpts",
    "500": "structure_type_ehpad",
    "354": "structure_type_ssiad",
    "209": "structure_type_ssiad",
    "197": "structure_type_csapa",
    "178": "structure_type_caarud",
    "189": "structure_type_cmpp",
    "223": "structure_type_pmi",
    "228": "structure_type_planning",
    "620": "structure_type_pharm",
    "355": "structure_type_hosp",
    "611": "structure_type_medic",
}

MANAGED_FIELDS = {
    "rpps": (
        "name",
        "coordination_profession_id",
        "parent_id",
        "street",
        "street2",
        "zip",
        "city",
        "phone",
        "email",
    ),
    "finess": (
        "name",
        "coordination_structure_type_id",
        "coordination_siret",
        "street",
        "street2",
        "zip",
        "city",
        "phone",
    ),
}

REPORT_HEADER = ["line", "identifier", "outcome", "detail"]


class CoordinationDirectoryImport(models.Model):
    _name = "coordination.directory.import"
    _description = "Import of a national directory"
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    source = fields.Selection(
        [
            ("rpps", "RPPS (health professionals)"),
            ("finess", "FINESS (establishments)"),
        ],
        string="Directory",
        required=True,
        default="rpps",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
    )
    file = fields.Binary(attachment=True, copy=False)
    filename = fields.Char(copy=False)
    server_path = fields.Char(
        string="File on the server",
        copy=False,
        help="A file in the directory the administrator allows (system parameter "
        "coordination_microlocale.directory_import_path), for the national files "
        "too big to upload.",
    )
    territory_ids = fields.Many2many(
        "coordination.territory",
        string="Territories",
        help="Lines whose commune (INSEE code) or, for a territory without commune "
        "code, whose department is that of one of these territories.",
    )
    department_codes = fields.Char(
        string="Whole departments",
        help="Comma-separated department numbers (e.g. 85, 44), managers only.",
    )
    profession_ids = fields.Many2many(
        "coordination.profession",
        string="Professions",
        help="RPPS: only these professions (all when empty).",
    )
    structure_type_ids = fields.Many2many(
        "coordination.structure.type",
        string="Structure types",
        help="FINESS: only these types of structure (all when empty).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Run by",
        default=lambda self: self.env.user,
        readonly=True,
        required=True,
        index=True,
    )
    progress = fields.Float(readonly=True, copy=False, aggregator=None)
    position = fields.Integer(
        readonly=True, copy=False, help="Last line applied, to resume an import."
    )
    lines_read = fields.Integer(readonly=True, copy=False)
    count_created = fields.Integer(string="Created", readonly=True, copy=False)
    count_updated = fields.Integer(string="Updated", readonly=True, copy=False)
    count_unchanged = fields.Integer(string="Unchanged", readonly=True, copy=False)
    count_conflicts = fields.Integer(
        string="Local changes kept",
        readonly=True,
        copy=False,
        help="Contacts on which a value typed by hand since the last import differs "
        "from the directory: the local value is kept and reported.",
    )
    count_missing = fields.Integer(string="No longer listed", readonly=True, copy=False)
    count_rejected = fields.Integer(string="Rejected lines", readonly=True, copy=False)
    count_skipped = fields.Integer(
        string="Out of the filters", readonly=True, copy=False
    )
    encoding = fields.Char(readonly=True, copy=False)
    started_at = fields.Datetime(readonly=True, copy=False)
    finished_at = fields.Datetime(readonly=True, copy=False)
    duration = fields.Float(string="Duration (s)", readonly=True, copy=False)
    message = fields.Text(string="Result", readonly=True, copy=False)
    report_rows = fields.Text(readonly=True, copy=False)
    report_file = fields.Binary(
        string="Report", attachment=True, readonly=True, copy=False
    )
    report_filename = fields.Char(readonly=True, copy=False)

    @api.depends("source", "create_date")
    def _compute_name(self):
        labels = dict(self._fields["source"]._description_selection(self.env))
        for record in self:
            record.name = self.env._(
                "%(directory)s import of %(date)s",
                directory=labels.get(record.source, ""),
                date=fields.Date.to_string(
                    (record.create_date or fields.Datetime.now()).date()
                ),
            )

    # ------------------------------------------------------------------
    # Checks and access
    # ------------------------------------------------------------------
    def _is_manager(self):
        return self.env.su or self.env.user.has_group(
            "coordination_microlocale.group_manager"
        )

    @api.constrains("territory_ids", "department_codes", "user_id")
    def _check_scope(self):
        for record in self:
            if record.env.su and record.user_id.has_group(
                "coordination_microlocale.group_manager"
            ):
                continue
            user = record.user_id if record.env.su else record.env.user
            if user.has_group("coordination_microlocale.group_manager"):
                continue
            if record.department_codes:
                raise ValidationError(
                    self.env._(
                        "Only managers import whole departments: choose your "
                        "territories."
                    )
                )
            if not record.territory_ids:
                raise ValidationError(
                    self.env._("Choose the territories the import is for.")
                )
            # sudo: the coordinators of a territory, to compare with the user
            foreign = record.territory_ids.sudo().filtered(
                lambda territory, user=user: user not in territory.coordinator_ids
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "You can import only for the territories you coordinate "
                        "(not %(territories)s).",
                        territories=", ".join(foreign.mapped("complete_name")),
                    )
                )

    @api.model
    def _allowed_directory(self):
        path = get_char_param(self.env, "directory_import_path")
        return os.path.realpath(path) if path else False

    def _check_server_path(self):
        self.ensure_one()
        allowed = self._allowed_directory()
        if not allowed:
            raise UserError(
                self.env._(
                    "No directory on the server is open to imports: the administrator "
                    "sets it in the system parameter "
                    "coordination_microlocale.directory_import_path."
                )
            )
        path = os.path.realpath(self.server_path)
        if os.path.commonpath([allowed, path]) != allowed or not os.path.isfile(path):
            raise UserError(
                self.env._(
                    "The file %(path)s is not a file of the directory open to "
                    "imports (%(allowed)s).",
                    path=self.server_path,
                    allowed=allowed,
                )
            )
        return path

    def action_start(self):
        for record in self:
            if record.state not in ("draft", "failed"):
                continue
            if not record.file and not record.server_path:
                raise UserError(
                    self.env._(
                        "Upload the directory file or name a file on the server."
                    )
                )
            if record.server_path:
                record._check_server_path()
            record._check_scope()
            record.write(
                {
                    "state": "queued",
                    "message": self.env._("Waiting for the background job."),
                    "progress": 0.0,
                    "position": 0,
                    "report_rows": False,
                    "report_file": False,
                    **{name: 0 for name in self._counter_fields()},
                }
            )
        self.env.ref(
            "coordination_microlocale.ir_cron_coordination_directory_import"
        )._trigger()
        return True

    def action_refresh(self):
        return True

    def action_reset(self):
        self.filtered(lambda r: r.state in ("failed", "done")).write({"state": "draft"})

    @api.model
    def _counter_fields(self):
        return [
            "lines_read",
            "count_created",
            "count_updated",
            "count_unchanged",
            "count_conflicts",
            "count_missing",
            "count_rejected",
            "count_skipped",
        ]

    # ------------------------------------------------------------------
    # Background job
    # ------------------------------------------------------------------
    @api.model
    def _cron_process(self):
        imports = self.search([("state", "in", ("queued", "running"))], order="id")
        for record in imports:
            try:
                record._run(commit=True)
            except Exception:
                # An unexpected error: the batches committed so far stay, the import
                # is marked failed instead of being retried at every run of the job.
                _logger.exception("Directory import %s failed", record.id)
                self.env.cr.rollback()
                record.sudo().write(
                    {
                        "state": "failed",
                        "message": self.env._(
                            "The import stopped on an unexpected error after line "
                            "%(line)s; the lines before it are imported. Start it "
                            "again, or tell the administrator if it fails again.",
                            line=record.position,
                        ),
                        "finished_at": fields.Datetime.now(),
                    }
                )
                self.env["ir.cron"]._commit_progress(1)

    def _open(self):
        """(stream, size, filename) of the file to import."""
        self.ensure_one()
        if self.server_path:
            return directory_files.open_file(self._check_server_path())
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("res_field", "=", "file"),
                ],
                limit=1,
            )
        )
        if attachment.store_fname:
            path = attachment._full_path(attachment.store_fname)
        else:  # stored in the database: copied to a temporary file
            with tempfile.NamedTemporaryFile(
                prefix="coordination_import_", delete=False
            ) as tmp:
                tmp.write(attachment.raw or b"")
            try:
                return directory_files.open_file(tmp.name, self.filename)
            finally:
                os.unlink(tmp.name)  # the open file stays readable until closed
        return directory_files.open_file(path, self.filename)

    def _file_filter(self):
        communes, departments = set(), set()
        for territory in self.sudo().territory_ids:
            codes = territory | territory.child_ids
            with_code = codes.filtered("insee_code")
            communes.update(with_code.mapped("insee_code"))
            if not with_code:
                departments.update(
                    codes.filtered("department_code").mapped("department_code")
                )
        if self.department_codes:
            departments.update(
                code.strip() for code in self.department_codes.split(",") if code
            )
        categories = set()
        if self.source == "rpps" and self.profession_ids:
            wanted = set(self.profession_ids.ids)
            for code, xmlid in RPPS_PROFESSIONS.items():
                profession = self.env.ref(
                    f"coordination_microlocale.{xmlid}", raise_if_not_found=False
                )
                if profession and profession.id in wanted:
                    categories.add(code)
            if not categories:
                categories.add("none")
        if self.source == "finess" and self.structure_type_ids:
            wanted = set(self.structure_type_ids.ids)
            other = self.env.ref("coordination_microlocale.structure_type_other")
            if other.id not in wanted:  # else every category, filtered by type later
                for code, xmlid in FINESS_STRUCTURE_TYPES.items():
                    if self.env.ref(f"coordination_microlocale.{xmlid}").id in wanted:
                        categories.add(code)
        return directory_files.Filter(communes, departments, categories)

    def _run(self, commit=False, batch_size=BATCH_SIZE):
        """Import the file. ``commit``: commit after each batch (background job)."""
        self.ensure_one()
        # sudo: the import writes the public directory on behalf of a coordinator
        # or a manager whose scope was checked when it was started (_check_scope).
        record = self.sudo()
        start = time.monotonic()
        started_at = record.started_at if record.state == "running" else False
        values = {"state": "running", "message": False}
        if not started_at:
            values["started_at"] = fields.Datetime.now()
        record.write(values)
        try:
            stream, size, _filename = record._open()
        except (directory_files.DirectoryFileError, OSError, UserError) as exc:
            record._fail(exc)
            return
        try:
            with stream:
                try:
                    reader = directory_files.reader_for(
                        stream, record.source, record._file_filter()
                    )
                    record._consume(reader, stream, size, commit, batch_size)
                except directory_files.DirectoryFileError as exc:
                    # Raised on the first line (nothing written) or, for a JSON
                    # file that breaks off, after the batches already applied.
                    record._fail(exc)
                    return
        finally:
            record.duration += time.monotonic() - start

    def _fail(self, exc):
        """A file that cannot be imported: nothing was written but the message."""
        message = self._file_error_message(exc)
        if self.position:
            message = self.env._(
                "%(message)s The import stopped after line %(line)s: the lines before "
                "it are imported.",
                message=message,
                line=self.position,
            )
        self.write(
            {
                "state": "failed",
                "progress": 0.0,
                "message": message,
                "finished_at": fields.Datetime.now(),
            }
        )

    def _file_error_message(self, exc):
        if isinstance(exc, UserError):
            return exc.args[0]
        if isinstance(exc, OSError):
            return self.env._("The file cannot be read: %(error)s", error=str(exc))
        code = exc.code
        messages = {
            "empty": self.env._("The file is empty."),
            "bad_zip": self.env._("The zip archive is damaged."),
            "empty_zip": self.env._(
                "The zip archive holds no directory file (.txt, .csv or .json)."
            ),
            "unknown": self.env._(
                "This file is neither an RPPS extraction nor a FINESS file: its first "
                "line is not that of the national directories."
            ),
            "not_rpps": self.env._(
                "This file is not an RPPS extraction "
                "(PS_LibreAcces_Personne_activite): it looks like a FINESS file. "
                "Choose the FINESS directory or the right file."
            ),
            "not_finess": self.env._(
                "This file is not a FINESS file: it looks like an RPPS extraction. "
                "Choose the RPPS directory or the right file."
            ),
            "rpps_header": self.env._(
                "The first line of this file is not the header of the RPPS "
                "extraction (%(columns)s columns read, 48 to 56 expected).",
                columns=exc.params.get("columns", 0),
            ),
            "finess_header": self.env._(
                "The first line of this file is not that of the FINESS extraction "
                "(finess;etalab;...)."
            ),
            "finess_json": self.env._(
                "This JSON file does not hold FINESS establishments (objects with a "
                "nofinesset field)."
            ),
            "json_encoding": self.env._("This JSON file is not encoded in UTF-8."),
        }
        return messages.get(code, code)

    def _line_error_message(self, error):
        params = error.params
        messages = {
            "columns": self.env._(
                "Damaged line: %(found)s columns instead of %(expected)s.",
                found=params.get("found"),
                expected=params.get("expected"),
            ),
            "rpps": self.env._(
                "Invalid RPPS number (11 digits with their check key expected)."
            ),
            "adeli": self.env._("Invalid ADELI number (9 characters expected)."),
            "finess": self.env._(
                "Invalid FINESS number (9 characters with their check key expected)."
            ),
            "id_type": self.env._(
                "Unknown type of identifier %(value)s (8 RPPS or 0 ADELI expected).",
                value=params.get("value"),
            ),
            "name": self.env._("The name is missing."),
            "line_kind": self.env._(
                "Unknown kind of line %(value)s.", value=params.get("value")
            ),
            "json_object": self.env._("Damaged JSON object."),
        }
        return messages.get(error.code, error.code)

    def _consume(self, reader, stream, size, commit, batch_size):
        resume = self.position
        batch = []
        report = []
        counters = dict.fromkeys(self._counter_fields(), 0)
        last_line = resume
        for line_number, row, error in reader:
            if line_number <= resume:
                continue
            last_line = line_number
            if error:
                counters["count_rejected"] += 1
                report.append(
                    [
                        line_number,
                        error.identifier,
                        "rejected",
                        self._line_error_message(error),
                    ]
                )
            elif row is not None:
                batch.append((line_number, row))
            if len(batch) >= batch_size:
                self._apply_batch(batch, counters, report)
                batch = []
                self._save_progress(
                    reader, stream, size, counters, report, last_line, commit
                )
                counters = dict.fromkeys(self._counter_fields(), 0)
                report = []
        if batch:
            self._apply_batch(batch, counters, report)
        self._save_progress(reader, stream, size, counters, report, last_line, False)
        self._finish(commit)

    def _save_progress(self, reader, stream, size, counters, report, line, commit):
        values = {
            name: self[name] + counters[name]
            for name in counters
            if name not in ("lines_read", "count_skipped")
        }
        values["lines_read"] = reader.stats["lines"]
        values["count_skipped"] = reader.stats["skipped"] + counters["count_skipped"]
        values["position"] = line
        values["encoding"] = reader.encoding
        values["progress"] = (
            min(99.0, 100.0 * directory_files.bytes_read(stream) / size) if size else 0
        )
        if report:
            values["report_rows"] = (self.report_rows or "") + _csv_rows(report)
        self.write(values)
        if commit:
            self.env["ir.cron"]._commit_progress(len(report) or 1)

    # ------------------------------------------------------------------
    # Applying the lines
    # ------------------------------------------------------------------
    def _apply_batch(self, batch, counters, report):
        try:
            with self.env.cr.savepoint():
                local_counters = dict.fromkeys(counters, 0)
                local_report = []
                self._apply_rows(batch, local_counters, local_report)
        except Exception:
            # replayed line by line, each in its own savepoint
            _logger.info("Batch failed, replayed line by line", exc_info=True)
            self.env.invalidate_all()
            for item in batch:
                try:
                    with self.env.cr.savepoint():
                        self._apply_rows([item], counters, report)
                except Exception as exc:  # noqa: BLE001 pylint: disable=broad-except
                    self.env.invalidate_all()
                    counters["count_rejected"] += 1
                    report.append(
                        [item[0], item[1]["identifier"], "rejected", str(exc)]
                    )
            return
        for key, value in local_counters.items():
            counters[key] += value
        report.extend(local_report)

    def _apply_rows(self, batch, counters, report):
        Partner = self.env["res.partner"].with_context(
            active_test=False, tracking_disable=True, mail_create_nolog=True
        )
        source = self.source
        if source == "rpps":
            rpps = [r["identifier"] for _n, r in batch if r["id_kind"] == "rpps"]
            adeli = [r["identifier"] for _n, r in batch if r["id_kind"] == "adeli"]
            partners = Partner.search(
                [
                    "|",
                    ("coordination_rpps", "in", rpps),
                    ("coordination_adeli", "in", adeli),
                ]
            )
            by_key = {}
            for partner in partners:
                if partner.coordination_rpps:
                    by_key.setdefault(partner.coordination_rpps, partner)
                if partner.coordination_adeli:
                    by_key.setdefault(partner.coordination_adeli, partner)
            structures = self._structures_for(batch)
        else:
            partners = Partner.search(
                [("coordination_finess", "in", [r["identifier"] for _n, r in batch])]
            )
            by_key = {p.coordination_finess: p for p in partners}
            structures = {}
        marks = {}
        territories = self._territories_by_place()
        for line_number, row in batch:
            partner = by_key.get(row["identifier"])
            if (
                partner
                and marks.get(partner.id)
                or (partner and partner.coordination_import_run == self.id)
            ):
                continue  # another activity of the same professional: first kept
            if source == "rpps":
                vals = self._rpps_values(row, structures)
            else:
                vals = self._finess_values(row)
                if vals is None:  # not one of the structure types chosen
                    counters["count_skipped"] += 1
                    continue
            if partner:
                self._update_partner(partner, vals, row, line_number, counters, report)
            else:
                partner = Partner.create(self._create_values(vals, row, territories))
                by_key[row["identifier"]] = partner
                counters["count_created"] += 1
            marks[partner.id] = row.get("commune") or ""
        if marks:
            # A technical mark of the partners this import lists, written in SQL so
            # that it does not count as a change of the contact (no write_date).
            self.env.cr.execute(
                """
                UPDATE res_partner AS p
                   SET coordination_import_run = %s,
                       coordination_import_commune = v.commune
                  FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::text[]) AS commune) v
                 WHERE p.id = v.id
                """,
                (self.id, list(marks), list(marks.values())),
            )
            Partner.browse(list(marks)).invalidate_recordset(
                ["coordination_import_run", "coordination_import_commune"]
            )

    def _territories_by_place(self):
        result = {}
        for territory in self.territory_ids:
            if territory.insee_code:
                result.setdefault(territory.insee_code, territory)
        return result

    def _structures_for(self, batch):
        finess = {r["finess_site"] for _n, r in batch if r["finess_site"]}
        finess |= {r["finess_ej"] for _n, r in batch if r["finess_ej"]}
        sirets = {r["siret"] for _n, r in batch if r["siret"]}
        Partner = self.env["res.partner"]
        result = {}
        if finess or sirets:
            for partner in Partner.search(
                [
                    ("is_company", "=", True),
                    "|",
                    ("coordination_finess", "in", list(finess)),
                    ("coordination_siret", "in", list(sirets)),
                ]
            ):
                if partner.coordination_finess:
                    result.setdefault(
                        ("finess", partner.coordination_finess), partner.id
                    )
                if partner.coordination_siret:
                    result.setdefault(("siret", partner.coordination_siret), partner.id)
        return result

    def _profession_for(self, row):
        code = row["profession_code"]
        xmlid = RPPS_PROFESSIONS.get(code)
        if code == "10":
            skill = (row["skill_label"] or "").lower()
            if "psychiatr" in skill:
                xmlid = "profession_psychiatrist"
            elif skill and "général" not in skill and "generale" not in skill:
                xmlid = "profession_spec"
        profession = self.env.ref(
            f"coordination_microlocale.{xmlid or 'profession_other'}",
            raise_if_not_found=False,
        )
        return profession.id if profession else False

    def _rpps_values(self, row, structures):
        parent = (
            structures.get(("finess", row["finess_site"]))
            or structures.get(("finess", row["finess_ej"]))
            or structures.get(("siret", row["siret"]))
            or False
        )
        name = " ".join(part for part in (row["first_name"], row["last_name"]) if part)
        vals = {
            "name": name,
            "coordination_profession_id": self._profession_for(row),
            "parent_id": parent,
            "phone": row["phone"] or False,
            "email": row["email"] or False,
        }
        if not parent:
            # Linked to its structure, a contact takes the structure's address.
            vals.update(
                {
                    "street": row["street"] or False,
                    "street2": row["street2"] or False,
                    "zip": row["zip"] or False,
                    "city": row["city"] or False,
                }
            )
        return vals

    def _finess_values(self, row):
        xmlid = FINESS_STRUCTURE_TYPES.get(row["category"], "structure_type_other")
        structure_type = self.env.ref(f"coordination_microlocale.{xmlid}")
        if self.structure_type_ids and structure_type not in self.structure_type_ids:
            return None
        return {
            "name": row["name"],
            "coordination_structure_type_id": structure_type.id,
            "coordination_siret": row["siret"] or False,
            "street": row["street"] or False,
            "street2": row["street2"] or False,
            "zip": row["zip"] or False,
            "city": row["city"] or False,
            "phone": row["phone"] or False,
        }

    def _create_values(self, vals, row, territories):
        values = dict(vals)
        values["coordination_import_source"] = self.source
        values["coordination_import_values"] = vals
        territory = territories.get(row.get("commune"))
        if territory:
            values["coordination_territory_ids"] = [(4, territory.id)]
        if self.source == "rpps":
            values["coordination_role"] = "professional"
            values[f"coordination_{row['id_kind']}"] = row["identifier"]
        else:
            values["coordination_role"] = "structure"
            values["is_company"] = True
            values["coordination_finess"] = row["identifier"]
            structure_type = self.env["coordination.structure.type"].browse(
                vals["coordination_structure_type_id"]
            )
            values["coordination_field_of_action_ids"] = [
                (6, 0, structure_type.field_of_action_ids.ids)
            ]
            values["coordination_level"] = structure_type.level or False
        country = self.env.ref("base.fr", raise_if_not_found=False)
        if country and "street" in vals:
            values["country_id"] = country.id
        return values

    @api.model
    def _partner_value(self, partner, name):
        value = partner[name]
        if isinstance(value, models.BaseModel):
            return value.id or False
        return value or False

    def _update_partner(self, partner, vals, row, line_number, counters, report):
        last = partner.coordination_import_values or {}
        to_write = {}
        kept = []
        for name, new in vals.items():
            current = self._partner_value(partner, name)
            if current == (new or False):
                continue
            if current and (name not in last or current != last[name]):
                # typed here since the last import (or before the first one)
                kept.append((name, current, new))
                continue
            to_write[name] = new
        if kept:
            counters["count_conflicts"] += 1
            for name, current, new in kept:
                field = partner._fields[name]
                report.append(
                    [
                        line_number,
                        row["identifier"],
                        "local change kept",
                        self.env._(
                            "%(field)s: kept %(current)s, the directory says %(new)s",
                            field=field._description_string(self.env),
                            current=_display(partner, name, current),
                            new=_display(partner, name, new),
                        ),
                    ]
                )
        if to_write:
            counters["count_updated"] += 1
        else:
            counters["count_unchanged"] += 1
        if partner.coordination_import_values != vals:
            to_write["coordination_import_values"] = vals
        if partner.coordination_import_source != self.source:
            to_write["coordination_import_source"] = self.source
        if not partner.coordination_role:
            to_write["coordination_role"] = (
                "professional" if self.source == "rpps" else "structure"
            )
        if to_write:
            partner.write(to_write)

    def _finish(self, commit):
        missing = self._missing_partners()
        rows = [
            [
                "",
                partner.coordination_rpps
                or partner.coordination_adeli
                or partner.coordination_finess,
                "no longer listed",
                partner.name,
            ]
            for partner in missing
        ]
        report_rows = (self.report_rows or "") + _csv_rows(rows)
        content = ",".join(REPORT_HEADER) + "\r\n" + report_rows
        values = {
            "count_missing": len(missing),
            "state": "done",
            "progress": 100.0,
            "finished_at": fields.Datetime.now(),
            "report_rows": report_rows,
            "report_file": base64.b64encode(content.encode("utf-8-sig")),
            "report_filename": f"import_{self.source}_{self.id}_report.csv",
        }
        self.write(values)
        self.message = self._summary()
        if commit:
            self.env["ir.cron"]._commit_progress(1)

    def _summary(self):
        if not (self.count_created or self.count_updated):
            head = self.env._("Nothing changed: the directory is up to date.")
        else:
            head = self.env._("Import done.")
        return self.env._(
            "%(head)s %(created)s created, %(updated)s updated, %(unchanged)s "
            "unchanged, %(conflicts)s with local changes kept, %(missing)s no longer "
            "listed, %(rejected)s rejected lines, %(skipped)s lines out of the filters "
            "(encoding %(encoding)s).",
            head=head,
            created=self.count_created,
            updated=self.count_updated,
            unchanged=self.count_unchanged,
            conflicts=self.count_conflicts,
            missing=self.count_missing,
            rejected=self.count_rejected,
            skipped=self.count_skipped,
            encoding=self.encoding or "",
        )

    def _missing_partners(self):
        file_filter = self._file_filter()
        domain = [
            ("coordination_import_source", "=", self.source),
            ("coordination_import_run", "!=", self.id),
        ]
        Partner = self.env["res.partner"]
        geo = []
        if file_filter.communes:
            geo.append(
                [("coordination_import_commune", "in", list(file_filter.communes))]
            )
        for department in file_filter.departments:
            geo.append([("coordination_import_commune", "=like", f"{department}%")])
        if geo:
            domain += ["|"] * (len(geo) - 1) + [leaf for part in geo for leaf in part]
        if self.source == "rpps" and self.profession_ids:
            domain.append(("coordination_profession_id", "in", self.profession_ids.ids))
        if self.source == "finess" and self.structure_type_ids:
            domain.append(
                ("coordination_structure_type_id", "in", self.structure_type_ids.ids)
            )
        return Partner.search(domain, order="id")

    def action_download_report(self):
        self.ensure_one()
        if not self.report_file:
            raise UserError(self.env._("The report is ready once the import is done."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/report_file/"
            f"{self.report_filename}?download=true",
            "target": "self",
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running(self):
        if not self._is_manager() and self.filtered(lambda r: r.state == "running"):
            raise AccessError(self.env._("A running import cannot be deleted."))


def _csv_rows(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def _display(partner, name, value):
    field = partner._fields[name]
    if field.type == "many2one":
        return (
            partner.env[field.comodel_name].browse(value).display_name if value else "-"
        )
    return value or "-"
