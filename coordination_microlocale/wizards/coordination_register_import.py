import base64
import csv
import io
import re
import unicodedata
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.register.coordination_register_entry import CATEGORIES

# Target fields of a column, and the headings that name them in the spreadsheets
# municipalities keep (compared without accents, case or punctuation).
TARGETS = [
    (
        "person_name",
        "Full name",
        ("nom prenom", "nom et prenom", "identite", "nom complet"),
    ),
    ("lastname", "Last name", ("nom", "nom de famille", "nom de naissance")),
    ("firstname", "First name", ("prenom", "prenoms")),
    (
        "birthdate",
        "Date of birth",
        ("date de naissance", "naissance", "ne le", "nee le"),
    ),
    ("category", "Category", ("categorie", "qualite", "motif", "inscrit au titre de")),
    ("street", "Street", ("adresse", "rue", "voie")),
    ("street2", "Address complement", ("complement", "complement d adresse")),
    ("zip", "ZIP", ("code postal", "cp")),
    ("city", "City", ("commune", "ville", "localite")),
    ("phone", "Phone", ("telephone", "tel", "telephone fixe", "tel fixe")),
    ("phone2", "Other phone", ("portable", "mobile", "telephone portable")),
    (
        "contact_time",
        "Preferred contact times",
        ("horaires", "horaires d appel", "joignable"),
    ),
    (
        "emergency_name",
        "Person to warn",
        ("personne a prevenir", "contact urgence", "a prevenir"),
    ),
    (
        "emergency_phone",
        "Phone of the person to warn",
        ("telephone personne a prevenir", "tel urgence", "tel a prevenir"),
    ),
    (
        "emergency_relationship",
        "Relationship of the person to warn",
        ("lien", "lien de parente"),
    ),
    (
        "home_services_note",
        "Services at home",
        ("services", "intervenants", "services a domicile", "aide a domicile"),
    ),
    (
        "request_date",
        "Requested on",
        ("date de demande", "date d inscription", "inscrit le"),
    ),
    ("requester_name", "Requested by", ("demandeur", "inscrit par", "tiers")),
    ("vulnerability", "Vulnerability", ("vulnerabilite", "priorite")),
    ("lives_alone", "Lives alone", ("vit seul", "vit seule", "seul")),
    ("note", "Notes", ("observations", "remarques", "commentaire")),
]
TARGET_SELECTION = [(key, label) for key, label, _aliases in TARGETS]
MAX_ERRORS_SHOWN = 20


def normalise(text):
    """Lower case, without accents or punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def name_key(name):
    """A name whatever the order of its words: "DUPONT Jeanne" = "Jeanne Dupont"."""
    return " ".join(sorted(normalise(name).split()))


def phone_key(phone):
    digits = re.sub(r"\D", "", str(phone or ""))
    return digits[-9:] if len(digits) >= 9 else ""


# The contact fields an imported line fills on the new contact and on the entry.
PARTNER_FIELDS = ("street", "street2", "zip", "city", "phone")
# Bulk creation: no creation message nor tracking for each of thousands of records.
QUIET = {"mail_create_nolog": True, "tracking_disable": True}


class CoordinationRegisterImport(models.TransientModel):
    """Import an existing register from a spreadsheet (CSV or XLSX).

    1. the file is read and each column is mapped to a field (guessed from its
       heading); 2. the preview checks every line and looks for the same people
       among the existing contacts and in the register, writing nothing; 3. the
       import writes everything or, on any error, nothing.
    """

    _name = "coordination.register.import"
    _description = "Import of a register of vulnerable people"

    state = fields.Selection(
        [
            ("upload", "File"),
            ("mapping", "Columns"),
            ("preview", "Preview"),
            ("done", "Done"),
        ],
        default="upload",
        required=True,
    )
    territory_id = fields.Many2one(
        "coordination.territory",
        required=True,
        default=lambda self: self.env[
            "coordination.register.entry"
        ]._default_territory(),
    )
    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()
    rights_informed = fields.Boolean(
        string="The people were informed of their rights",
        default=True,
        help="The previous register was kept with the people informed: the entries "
        "are registered at once. Otherwise they are created to confirm.",
    )
    default_category = fields.Selection(
        CATEGORIES,
        string="Category when the file gives none",
        default="elderly",
    )
    column_ids = fields.One2many("coordination.register.import.column", "import_id")
    line_ids = fields.One2many("coordination.register.import.line", "import_id")
    line_count = fields.Integer(compute="_compute_counts")
    error_count = fields.Integer(compute="_compute_counts")
    duplicate_count = fields.Integer(compute="_compute_counts")
    registered_count = fields.Integer(compute="_compute_counts")
    report = fields.Text(readonly=True)

    @api.depends("line_ids.error", "line_ids.match_state")
    def _compute_counts(self):
        for wizard in self:
            lines = wizard.line_ids
            wizard.line_count = len(lines)
            wizard.error_count = len(lines.filtered("error"))
            wizard.duplicate_count = len(
                lines.filtered(lambda line: line.match_state == "contact")
            )
            wizard.registered_count = len(
                lines.filtered(lambda line: line.match_state == "registered")
            )

    # ------------------------------------------------------------------
    # 1. Reading the file
    # ------------------------------------------------------------------
    def _read_rows(self):
        """The header and the rows of the file, as lists of strings or dates."""
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose the file of the register to import."))
        content = base64.b64decode(self.file)
        name = (self.filename or "").lower()
        if name.endswith(".xlsx") or content[:2] == b"PK":
            rows = self._read_xlsx(content)
        else:
            rows = self._read_csv(content)
        rows = [row for row in rows if any(str(cell or "").strip() for cell in row)]
        if len(rows) < 2:
            raise UserError(
                self.env._(
                    "The file has no line to import: a header line, then one line "
                    "per person."
                )
            )
        return rows[0], rows[1:]

    def _read_xlsx(self, content):
        try:
            import openpyxl  # optional library, used only here
        except ImportError as error:
            raise UserError(
                self.env._("Reading XLSX files needs the openpyxl library.")
            ) from error
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=True
            )
        except Exception as error:
            raise UserError(
                self.env._("This file cannot be read as an XLSX spreadsheet.")
            ) from error
        sheet = workbook.worksheets[0]
        rows = [
            ["" if cell is None else cell for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
        return rows

    def _read_csv(self, content):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UserError(self.env._("This file cannot be read as a CSV file."))
        sample = text[:4096]
        delimiter = max((";", ",", "\t"), key=sample.count)
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))

    def action_read_file(self):
        self.ensure_one()
        header, _rows = self._read_rows()
        aliases = {}
        for key, _label, names in TARGETS:
            for alias in names:
                aliases.setdefault(alias, key)
        used = set()
        commands = [fields.Command.clear()]
        for index, heading in enumerate(header):
            target = aliases.get(normalise(heading))
            if target in used:
                target = False
            used.add(target)
            commands.append(
                fields.Command.create(
                    {
                        "sequence": index,
                        "column_index": index,
                        "heading": str(heading or "").strip()
                        or self.env._("Column %(number)s", number=index + 1),
                        "target": target or False,
                    }
                )
            )
        self.write({"column_ids": commands, "state": "mapping"})
        return self._reopen()

    # ------------------------------------------------------------------
    # 2. Preview: every line checked, the same people found, nothing written
    # ------------------------------------------------------------------
    def _parse_date(self, value):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value or "").strip()
        if not text:
            return False
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
            try:
                parsed = datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            if parsed.year > fields.Date.today().year:
                parsed -= relativedelta(years=100)
            return parsed
        raise ValueError(text)

    def _parse_category(self, value):
        text = normalise(value)
        if not text:
            return self.default_category
        if "handicap" in text or any(
            word in text.split() for word in ("aah", "pch", "rqth", "actp", "cmi")
        ):
            return "disabled"
        if "inapte" in text or "60" in text:
            return "unfit_for_work"
        if "65" in text or "age" in text:
            return "elderly"
        if "isol" in text or "autre" in text:
            return "isolated"
        raise ValueError(value)

    def _parse_benefit(self, value):
        words = normalise(value).split()
        for key, keywords in (
            ("aah", ("aah",)),
            ("actp", ("actp",)),
            ("cmi", ("cmi", "invalidite")),
            ("rqth", ("rqth",)),
            ("pch", ("pch",)),
            ("invalidity_pension", ("pension",)),
        ):
            if any(word in words for word in keywords):
                return key
        return False

    def _parse_bool(self, value):
        return normalise(value) in ("oui", "o", "x", "1", "vrai", "yes", "true")

    def _parse_vulnerability(self, value):
        text = normalise(value)
        if not text or text in ("0", "normale", "habituelle", "faible"):
            return "0"
        if text in ("2", "tres haute", "tres elevee", "tres forte", "maximale"):
            return "2"
        return "1"

    def _text_values(self, raw):
        """The free columns, as strings (spreadsheets give numbers for phones)."""
        values = {}
        for key in (
            "street",
            "street2",
            "zip",
            "city",
            "phone",
            "phone2",
            "contact_time",
            "home_services_note",
            "requester_name",
            "note",
            "emergency_name",
            "emergency_phone",
            "emergency_relationship",
        ):
            value = raw.get(key)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            values[key] = str(value).strip() if value not in (None, "") else False
        return values

    def _line_values(self, row, mapping):
        """The values of one row, and the French errors found in it."""
        raw = {}
        for index, target in mapping.items():
            if index < len(row):
                raw[target] = row[index]
        errors = []
        values = {}
        name = str(raw.get("person_name") or "").strip()
        if not name:
            name = " ".join(
                filter(
                    None,
                    (
                        str(raw.get("lastname") or "").strip(),
                        str(raw.get("firstname") or "").strip(),
                    ),
                )
            )
        if not name:
            errors.append(self.env._("the name is missing"))
        values["person_name"] = name
        for key in ("birthdate", "request_date"):
            try:
                values[key] = self._parse_date(raw.get(key))
            except ValueError:
                errors.append(
                    self.env._(
                        "the date “%(value)s” is not a date (DD/MM/YYYY)",
                        value=raw[key],
                    )
                )
                values[key] = False
        if values.get("birthdate") and values["birthdate"] > fields.Date.today():
            errors.append(self.env._("the date of birth is in the future"))
        try:
            values["category"] = self._parse_category(raw.get("category"))
        except ValueError:
            errors.append(
                self.env._(
                    "the category “%(value)s” is not one of the register's (65 and "
                    "over, over 60 and unfit for work, disabled adult, isolated)",
                    value=raw.get("category"),
                )
            )
        values["disability_benefit"] = self._parse_benefit(raw.get("category"))
        category = values.get("category")
        if category == "disabled" and not values["disability_benefit"]:
            errors.append(
                self.env._(
                    "a disabled adult is registered with the benefit received (AAH, "
                    "ACTP, CMI, RQTH, invalidity pension, PCH)"
                )
            )
        birthdate = values.get("birthdate")
        if birthdate and category in ("elderly", "unfit_for_work"):
            age = relativedelta(fields.Date.context_today(self), birthdate).years
            if age < (65 if category == "elderly" else 60):
                errors.append(
                    self.env._(
                        "%(age)s years old: the category does not apply",
                        age=age,
                    )
                )
        values.update(self._text_values(raw))
        if values.get("zip") and re.fullmatch(r"\d{4}", values["zip"]):
            values["zip"] = "0" + values["zip"]  # a spreadsheet dropped the zero
        values["vulnerability"] = self._parse_vulnerability(raw.get("vulnerability"))
        values["lives_alone"] = self._parse_bool(raw.get("lives_alone"))
        if not (values.get("phone") or values.get("phone2")):
            errors.append(self.env._("no phone number: the person could not be called"))
        if values.get("emergency_name") and not values.get("emergency_phone"):
            errors.append(self.env._("the person to warn has no phone number"))
        return values, errors

    def _contacts_index(self):
        """Existing people (not companies) by name key and by phone, one query."""
        Partner = self.env["res.partner"]
        by_name, by_phone = {}, {}
        for partner in Partner.search_fetch(
            [("is_company", "=", False), ("type", "=", "contact")],
            ["name", "phone"],
        ):
            by_name.setdefault(name_key(partner.name), []).append(partner.id)
            key = phone_key(partner.phone)
            if key:
                by_phone.setdefault(key, []).append(partner.id)
        return by_name, by_phone

    def action_preview(self):
        self.ensure_one()
        mapping = {
            column.column_index: column.target
            for column in self.column_ids
            if column.target
        }
        targets = set(mapping.values())
        if not ({"person_name", "lastname"} & targets):
            raise UserError(
                self.env._("Map a column to the name (full name or last name).")
            )
        _header, rows = self._read_rows()
        by_name, by_phone = self._contacts_index()
        # the people already registered, with the user's own rights (a keeper of the
        # territory reads all of them; the import itself is checked by the rules)
        registered = {
            entry.partner_id.id
            for entry in self.env["coordination.register.entry"].search(
                [
                    ("territory_id", "=", self.territory_id.id),
                    ("state", "!=", "struck_off"),
                ]
            )
        }
        seen = {}
        lines = []
        for number, row in enumerate(rows, start=2):
            values, errors = self._line_values(row, mapping)
            key = name_key(values["person_name"])
            previous = seen.get((key, values.get("birthdate")))
            if key and previous:
                errors.append(self.env._("same person as line %(line)s", line=previous))
            seen.setdefault((key, values.get("birthdate")), number)
            candidates = list(by_name.get(key, []))
            for partner_id in by_phone.get(phone_key(values.get("phone")), []):
                if partner_id not in candidates:
                    candidates.append(partner_id)
            match_state = "new"
            partner_id = False
            if set(candidates) & registered:
                match_state = "registered"
                partner_id = next(p for p in candidates if p in registered)
            elif candidates:
                match_state = "contact"
                partner_id = candidates[0]
            lines.append(
                {
                    "line_number": number,
                    "person_name": values["person_name"],
                    "birthdate": values.get("birthdate") or False,
                    "phone": values.get("phone") or values.get("phone2") or False,
                    "city": values.get("city") or False,
                    "values": {
                        k: v.isoformat() if isinstance(v, date) else v
                        for k, v in values.items()
                    },
                    "error": "; ".join(errors) or False,
                    "match_state": match_state,
                    "partner_id": partner_id,
                    "candidate_count": len(candidates),
                    "decision": "skip"
                    if match_state == "registered"
                    else "link"
                    if match_state == "contact"
                    else "create",
                }
            )
        self.line_ids.unlink()
        self.env["coordination.register.import.line"].create(
            [{**line, "import_id": self.id} for line in lines]
        )
        self.state = "preview"
        return self._reopen()

    # ------------------------------------------------------------------
    # 3. Import: everything or nothing
    # ------------------------------------------------------------------
    def action_import(self):
        self.ensure_one()
        if self.state != "preview":
            raise UserError(self.env._("Preview the import before running it."))
        self._check_no_error()
        to_create = self.line_ids.filtered(lambda line: line.decision == "create")
        to_link = self.line_ids.filtered(lambda line: line.decision == "link")
        skipped = self.line_ids.filtered(lambda line: line.decision == "skip")
        if to_link.filtered(lambda line: not line.partner_id):
            raise UserError(
                self.env._("Choose the existing contact of every line to link.")
            )
        new_partners = self._create_partners(to_create)
        partner_by_line = dict(zip(to_create.ids, new_partners.ids, strict=True))
        partner_by_line.update({line.id: line.partner_id.id for line in to_link})
        today = fields.Date.context_today(self)
        entry_vals = [
            self._entry_values(line, partner_by_line[line.id], today)
            for line in to_create | to_link
        ]
        self._draw_references(entry_vals)
        entries = (
            self.env["coordination.register.entry"]
            .with_context(**QUIET)
            .create(entry_vals)
        )
        entries._add_history("imported")
        self.write(
            {
                "state": "done",
                "report": self.env._(
                    "%(entries)s people registered in %(territory)s: %(new)s new "
                    "contacts created, %(linked)s linked to existing contacts; "
                    "%(skipped)s lines left out (already registered).",
                    entries=len(entries),
                    territory=self.territory_id.display_name,
                    new=len(new_partners),
                    linked=len(to_link),
                    skipped=len(skipped),
                ),
            }
        )
        return self._reopen()

    def _check_no_error(self):
        """All or nothing: one line in error and nothing is written."""
        errors = self.line_ids.filtered("error")
        if not errors:
            return
        details = "\n".join(
            self.env._(
                "Line %(line)s: %(error)s", line=line.line_number, error=line.error
            )
            for line in errors[:MAX_ERRORS_SHOWN]
        )
        more = len(errors) - MAX_ERRORS_SHOWN
        if more > 0:
            details += "\n" + self.env._("… and %(count)s more.", count=more)
        raise UserError(
            self.env._(
                "Nothing was imported: %(count)s lines have errors. Correct the "
                "file and import it again.\n%(details)s",
                count=len(errors),
                details=details,
            )
        )

    def _create_partners(self, lines):
        return (
            self.env["res.partner"]
            .with_context(**QUIET)
            .create(
                [
                    {
                        "name": line.values["person_name"],
                        **{
                            key: line.values.get(key) or False for key in PARTNER_FIELDS
                        },
                    }
                    for line in lines
                ]
            )
        )

    def _entry_values(self, line, partner_id, today):
        values = line.values
        emergency = []
        if values.get("emergency_name"):
            emergency.append(
                fields.Command.create(
                    {
                        "name": values["emergency_name"],
                        "phone": values["emergency_phone"],
                        "relationship": values.get("emergency_relationship"),
                    }
                )
            )
        vals = {
            "territory_id": self.territory_id.id,
            "partner_id": partner_id,
            "person_name": values["person_name"],
            "birthdate": values.get("birthdate") or False,
            "category": values.get("category"),
            "disability_benefit": values.get("disability_benefit"),
            "vulnerability": values.get("vulnerability") or "0",
            "lives_alone": values.get("lives_alone"),
            "phone2": values.get("phone2"),
            "contact_time": values.get("contact_time"),
            "home_services_note": values.get("home_services_note"),
            "requester_name": values.get("requester_name"),
            "requester_type": "other" if values.get("requester_name") else "person",
            "request_date": values.get("request_date") or today,
            "request_channel": "import",
            "note": values.get("note"),
            "rights_informed": self.rights_informed,
            "emergency_contact_ids": emergency,
        }
        vals.update({key: values[key] for key in PARTNER_FIELDS if values.get(key)})
        if self.rights_informed:
            vals.update(
                {
                    "state": "registered",
                    "rights_informed_date": today,
                    "date_registered": values.get("request_date") or today,
                    "review_date": today + relativedelta(years=1),
                }
            )
        return vals

    def _draw_references(self, entry_vals):
        """The references drawn from the sequence at once, not searched per entry."""
        # sudo: sequences are configuration, which keepers cannot read.
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search([("code", "=", "coordination.register.entry")], limit=1)
        )
        if sequence:
            for vals in entry_vals:
                vals["name"] = sequence._next()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_back(self):
        self.ensure_one()
        self.write({"state": "mapping", "line_ids": [fields.Command.clear()]})
        return self._reopen()


class CoordinationRegisterImportColumn(models.TransientModel):
    _name = "coordination.register.import.column"
    _description = "Import of a register: column"
    _order = "sequence, id"

    import_id = fields.Many2one(
        "coordination.register.import", required=True, ondelete="cascade"
    )
    sequence = fields.Integer()
    column_index = fields.Integer(required=True)
    heading = fields.Char(string="Column", readonly=True)
    target = fields.Selection(TARGET_SELECTION, string="Field")


class CoordinationRegisterImportLine(models.TransientModel):
    _name = "coordination.register.import.line"
    _description = "Import of a register: line"
    _order = "error, line_number"

    import_id = fields.Many2one(
        "coordination.register.import", required=True, ondelete="cascade"
    )
    line_number = fields.Integer(string="Line", readonly=True)
    person_name = fields.Char(string="Name", readonly=True)
    birthdate = fields.Date(string="Date of birth", readonly=True)
    phone = fields.Char(readonly=True)
    city = fields.Char(readonly=True)
    values = fields.Json(readonly=True)
    error = fields.Char(readonly=True)
    match_state = fields.Selection(
        [
            ("new", "New person"),
            ("contact", "Same person among the contacts"),
            ("registered", "Already in the register"),
        ],
        string="Found",
        readonly=True,
    )
    candidate_count = fields.Integer(string="Contacts found", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Existing contact")
    decision = fields.Selection(
        [
            ("create", "Create a contact"),
            ("link", "Use the existing contact"),
            ("skip", "Leave out"),
        ],
        required=True,
        default="create",
    )
