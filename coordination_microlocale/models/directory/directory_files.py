"""Readers of the national directory files (RPPS and FINESS), without Odoo.

Both readers stream their file line by line (memory bounded by one line, or one JSON
object), decode each line as UTF-8 or, failing that, Windows-1252 (ISO-8859-1 for the
bytes Windows-1252 leaves undefined), check it and yield ``(line_number, row, error)``:
``row`` is a dict of the useful columns, ``error`` a :class:`LineError` for a damaged
line. Lines outside the filter are counted, not yielded. A file of the wrong kind
raises :class:`DirectoryFileError` before the first row is yielded, so that the caller
writes nothing.
"""

import codecs
import csv
import io
import json
import re
import zipfile

from . import identifiers

RPPS_COLUMNS = [
    "Type d'identifiant PP",
    "Identifiant PP",
    "Identification nationale PP",
    "Code civilité d'exercice",
    "Libellé civilité d'exercice",
    "Code civilité",
    "Libellé civilité",
    "Nom d'exercice",
    "Prénom d'exercice",
    "Code profession",
    "Libellé profession",
    "Code catégorie professionnelle",
    "Libellé catégorie professionnelle",
    "Code type savoir-faire",
    "Libellé type savoir-faire",
    "Code savoir-faire",
    "Libellé savoir-faire",
    "Code mode exercice",
    "Libellé mode exercice",
    "Numéro SIRET site",
    "Numéro SIREN site",
    "Numéro FINESS site",
    "Numéro FINESS établissement juridique",
    "Identifiant technique de la structure",
    "Raison sociale site",
    "Enseigne commerciale site",
    "Complément destinataire (coord. structure)",
    "Complément point géographique (coord. structure)",
    "Numéro Voie (coord. structure)",
    "Indice répétition voie (coord. structure)",
    "Code type de voie (coord. structure)",
    "Libellé type de voie (coord. structure)",
    "Libellé Voie (coord. structure)",
    "Mention distribution (coord. structure)",
    "Bureau cedex (coord. structure)",
    "Code postal (coord. structure)",
    "Code commune (coord. structure)",
    "Libellé commune (coord. structure)",
    "Code pays (coord. structure)",
    "Libellé pays (coord. structure)",
    "Téléphone (coord. structure)",
    "Téléphone 2 (coord. structure)",
    "Télécopie (coord. structure)",
    "Adresse e-mail (coord. structure)",
    "Code Département (structure)",
    "Libellé Département (structure)",
    "Ancien identifiant de la structure",
    "Autorité d'enregistrement",
    "Code secteur d'activité",
    "Libellé secteur d'activité",
    "Code section tableau pharmaciens",
    "Libellé section tableau pharmaciens",
    "Code rôle",
    "Libellé rôle",
    "Code genre activité",
    "Libellé genre activité",
]
# Older extractions stop after "Autorité d'enregistrement" (48 columns); some stop
# after the pharmacists' section (52): any prefix of at least 48 columns is accepted.
RPPS_MIN_COLUMNS = RPPS_COLUMNS.index("Autorité d'enregistrement") + 1

# Positions of the columns used (0-based)
R_TYPE, R_ID = 0, 1
R_LAST, R_FIRST = 7, 8
R_PROF_CODE, R_PROF_LABEL = 9, 10
R_SKILL_LABEL = 16
R_SIRET, R_FINESS_SITE, R_FINESS_EJ = 19, 21, 22
R_SITE_NAME = 24
R_COMPL_DEST, R_COMPL_GEO = 26, 27
R_NUM, R_REP, R_STREET_TYPE, R_STREET = 28, 29, 31, 32
R_DISTRIB = 33
R_ZIP, R_COMMUNE, R_CITY = 35, 36, 37
R_PHONE, R_PHONE2, R_EMAIL = 40, 41, 43
R_DEPT = 44

FINESS_FIELDS = [
    "nofinesset",
    "nofinessej",
    "rs",
    "rslongue",
    "complrs",
    "compldistrib",
    "numvoie",
    "typvoie",
    "voie",
    "compvoie",
    "lieuditbp",
    "commune",
    "departement",
    "libdepartement",
    "ligneacheminement",
    "telephone",
    "telecopie",
    "categetab",
    "libcategetab",
    "categagretab",
    "libcategagretab",
    "siret",
    "codeape",
    "codemft",
    "libmft",
    "codesph",
    "libsph",
    "dateouv",
    "dateautor",
    "datemaj",
    "numuai",
]

# FINESS writes the overseas departments 971..976 as 9A..9F.
FINESS_OVERSEAS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9F": "976"}

ZIP_MEMBER_PATTERNS = (
    re.compile(r"PS_LibreAcces_Personne_activite.*\.txt$", re.IGNORECASE),
    re.compile(r"etalab_cs1100507_stock.*\.csv$", re.IGNORECASE),
    re.compile(r".*\.(txt|csv|json|jsonl)$", re.IGNORECASE),
)


class DirectoryFileError(Exception):
    """The file as a whole cannot be imported. ``code`` names the reason."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


class LineError:
    """A damaged line: ``code`` names the reason, ``params`` its details."""

    __slots__ = ("code", "identifier", "params")

    def __init__(self, code, identifier="", **params):
        self.code = code
        self.identifier = identifier
        self.params = params

    def __repr__(self):
        return f"LineError({self.code!r}, {self.identifier!r}, {self.params!r})"


def decode_line(raw, stats=None):
    """Decode one line: UTF-8, else Windows-1252, else ISO-8859-1."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        if stats is not None:
            stats["legacy_lines"] = stats.get("legacy_lines", 0) + 1
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class CountingStream(io.RawIOBase):
    """Wrap a binary stream and count the bytes read, for the progress bar."""

    def __init__(self, stream):
        super().__init__()
        self._stream = stream
        self.bytes_read = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._stream.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.bytes_read += size
        return size

    def close(self):
        self._stream.close()
        return super().close()


def open_file(path, filename=None):
    """Open a directory file (or the directory file inside an official zip).

    Returns ``(binary_stream, uncompressed_size, member_name)``.
    """
    filename = filename or path
    with open(path, "rb") as probe:
        magic = probe.read(4)
    if magic.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise DirectoryFileError("bad_zip") from exc
        names = [info for info in archive.infolist() if not info.is_dir()]
        for pattern in ZIP_MEMBER_PATTERNS:
            members = [info for info in names if pattern.search(info.filename)]
            if members:
                member = members[0]
                stream = io.BufferedReader(
                    CountingStream(archive.open(member)), buffer_size=1 << 16
                )
                return stream, member.file_size, member.filename
        raise DirectoryFileError("empty_zip")
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    raw.seek(0, io.SEEK_END)
    size = raw.tell()
    raw.seek(0)
    stream = io.BufferedReader(CountingStream(raw), buffer_size=1 << 16)
    return stream, size, filename


def bytes_read(stream):
    raw = getattr(stream, "raw", None)
    return getattr(raw, "bytes_read", 0)


def detect_kind(stream):
    """'rpps', 'finess_csv', 'finess_json' or None, from the first bytes."""
    head = stream.peek(4096)[:4096]
    head = head.removeprefix(codecs.BOM_UTF8)
    first = decode_line(head.split(b"\n", 1)[0]).strip().lower()
    if first.startswith(("type d'identifiant pp|", "type d’identifiant pp|")):
        return "rpps"
    if first.startswith(("finess;etalab", '"finess";"etalab"')):
        return "finess_csv"
    if first[:1] in ("[", "{"):
        return "finess_json"
    return None


def _strip_bom(line):
    return line.removeprefix("\ufeff")


def department_of_commune(commune_code):
    """Department of an INSEE commune code (97x for the overseas departments)."""
    commune_code = (commune_code or "").strip().upper()
    if commune_code.startswith(("97", "98")):
        return commune_code[:3]
    return commune_code[:2]


class Filter:
    """Which lines to import: communes, departments, professions or categories.

    Empty sets accept everything of that kind.
    """

    def __init__(self, communes=(), departments=(), categories=()):
        self.communes = {c.strip().upper() for c in communes if c}
        self.departments = {d.strip().upper() for d in departments if d}
        self.categories = {str(c).strip() for c in categories if c}

    def place(self, commune, department):
        if not (self.communes or self.departments):
            return True
        commune = (commune or "").strip().upper()
        if commune and commune in self.communes:
            return True
        department = (department or department_of_commune(commune)).strip().upper()
        return bool(department) and department in self.departments

    def category(self, code):
        return not self.categories or (code or "").strip() in self.categories


class RppsReader:
    """The RPPS "extraction en libre accès" (PS_LibreAcces_Personne_activite)."""

    kind = "rpps"

    def __init__(self, stream, file_filter=None):
        self.stream = stream
        self.filter = file_filter or Filter()
        self.stats = {"lines": 0, "skipped": 0, "legacy_lines": 0}
        header = stream.readline()
        if not header:
            raise DirectoryFileError("empty")
        names = _strip_bom(decode_line(header, self.stats)).rstrip("\r\n").split("|")
        if names and names[-1] == "":
            names.pop()
        names = [name.strip() for name in names]
        if (
            len(names) < RPPS_MIN_COLUMNS
            or len(names) > len(RPPS_COLUMNS)
            or names[R_ID].lower() != "identifiant pp"
            or names[R_PROF_CODE].lower() != "code profession"
        ):
            raise DirectoryFileError("rpps_header", columns=len(names))
        self.columns = len(names)

    @property
    def encoding(self):
        return "Windows-1252" if self.stats["legacy_lines"] else "UTF-8"

    def __iter__(self):
        columns = self.columns
        place = self.filter.place
        category = self.filter.category
        line_number = 1
        for raw in self.stream:
            line_number += 1
            self.stats["lines"] += 1
            line = decode_line(raw, self.stats).rstrip("\r\n")
            if not line.strip():
                continue
            cells = line.split("|")
            if len(cells) == columns + 1 and cells[-1] == "":
                cells.pop()
            if len(cells) != columns:
                yield (
                    line_number,
                    None,
                    LineError(
                        "columns",
                        cells[R_ID].strip() if len(cells) > R_ID else "",
                        found=len(cells),
                        expected=columns,
                    ),
                )
                continue
            if not place(cells[R_COMMUNE], cells[R_DEPT]) or not category(
                cells[R_PROF_CODE]
            ):
                self.stats["skipped"] += 1
                continue
            yield self._row(line_number, cells)

    def _row(self, line_number, cells):
        cells = [cell.strip() for cell in cells]
        kind, identifier = cells[R_TYPE], identifiers.normalize_identifier(cells[R_ID])
        if kind == "8":
            if not identifiers.is_valid_rpps(identifier):
                return line_number, None, LineError("rpps", identifier)
        elif kind == "0":
            if not identifiers.is_valid_adeli(identifier):
                return line_number, None, LineError("adeli", identifier)
        else:
            return line_number, None, LineError("id_type", identifier, value=kind)
        if not cells[R_LAST]:
            return line_number, None, LineError("name", identifier)
        street = " ".join(
            part
            for part in (
                cells[R_NUM],
                cells[R_REP],
                cells[R_STREET_TYPE],
                cells[R_STREET],
            )
            if part
        )
        street2 = " ".join(
            part
            for part in (cells[R_COMPL_DEST], cells[R_COMPL_GEO], cells[R_DISTRIB])
            if part
        )
        commune = cells[R_COMMUNE]
        return (
            line_number,
            {
                "id_kind": "rpps" if kind == "8" else "adeli",
                "identifier": identifier,
                "last_name": cells[R_LAST],
                "first_name": cells[R_FIRST],
                "profession_code": cells[R_PROF_CODE],
                "profession_label": cells[R_PROF_LABEL],
                "skill_label": cells[R_SKILL_LABEL],
                "siret": re.sub(r"\D", "", cells[R_SIRET]),
                "finess_site": identifiers.normalize_identifier(cells[R_FINESS_SITE]),
                "finess_ej": identifiers.normalize_identifier(cells[R_FINESS_EJ]),
                "site_name": cells[R_SITE_NAME],
                "street": street,
                "street2": street2,
                "zip": cells[R_ZIP],
                "city": cells[R_CITY],
                "commune": commune,
                "department": cells[R_DEPT] or department_of_commune(commune),
                "phone": cells[R_PHONE] or cells[R_PHONE2],
                "email": cells[R_EMAIL],
            },
            None,
        )


def finess_row(line_number, record):
    """Check and convert one FINESS establishment (the structureet fields)."""
    record = {key: (record.get(key) or "") for key in FINESS_FIELDS}
    record = {
        key: value.strip() if isinstance(value, str) else str(value)
        for key, value in record.items()
    }
    finess = identifiers.normalize_identifier(record["nofinesset"])
    if not identifiers.is_valid_finess(finess):
        return line_number, None, LineError("finess", finess)
    if not (record["rslongue"] or record["rs"]):
        return line_number, None, LineError("name", finess)
    department = record["departement"].upper()
    commune = record["commune"]
    insee = ""
    if department and commune:
        if department in FINESS_OVERSEAS:
            department = FINESS_OVERSEAS[department]
            insee = department + commune[-2:]
        else:
            insee = department + commune[-3:]
    routing = record["ligneacheminement"]
    match = re.match(r"^(\d{5})\s+(.*)$", routing)
    zip_code, city = (match.group(1), match.group(2)) if match else ("", routing)
    city = re.sub(r"\s+CEDEX.*$", "", city, flags=re.IGNORECASE)
    street = " ".join(
        part
        for part in (
            record["numvoie"],
            record["compvoie"],
            record["typvoie"],
            record["voie"],
        )
        if part
    )
    street2 = " ".join(
        part
        for part in (record["complrs"], record["compldistrib"], record["lieuditbp"])
        if part
    )
    return (
        line_number,
        {
            "identifier": finess,
            "finess_ej": identifiers.normalize_identifier(record["nofinessej"]),
            "name": record["rslongue"] or record["rs"],
            "street": street,
            "street2": street2,
            "zip": zip_code,
            "city": city,
            "commune": insee,
            "department": department,
            "phone": record["telephone"],
            "category": record["categetab"],
            "category_label": record["libcategetab"],
            "siret": re.sub(r"\D", "", record["siret"]),
        },
        None,
    )


class FinessCsvReader:
    """The FINESS establishments of data.gouv.fr (etalab_cs1100507_stock_*.csv)."""

    kind = "finess"

    def __init__(self, stream, file_filter=None):
        self.stream = stream
        self.filter = file_filter or Filter()
        self.stats = {"lines": 0, "skipped": 0, "legacy_lines": 0, "other_lines": 0}
        first = stream.readline()
        cells = next(
            csv.reader([_strip_bom(decode_line(first)).strip()], delimiter=";")
        )
        if len(cells) < 2 or cells[0].lower() != "finess" or cells[1] != "etalab":
            raise DirectoryFileError("finess_header")

    @property
    def encoding(self):
        return "ISO-8859-1 / Windows-1252" if self.stats["legacy_lines"] else "UTF-8"

    def _lines(self):
        for raw in self.stream:
            self.stats["lines"] += 1
            yield decode_line(raw, self.stats)

    def __iter__(self):
        reader = csv.reader(self._lines(), delimiter=";", quotechar='"')
        expected = len(FINESS_FIELDS) + 1
        place = self.filter.place
        category = self.filter.category
        for cells in reader:
            line_number = reader.line_num + 1  # the first line was read before
            if not cells or not any(cells):
                continue
            kind = cells[0]
            if kind != "structureet":
                if kind == "geolocalisation":
                    self.stats["other_lines"] += 1
                    continue
                yield line_number, None, LineError("line_kind", value=kind[:30])
                continue
            if len(cells) == expected + 1 and cells[-1] == "":
                cells.pop()
            if len(cells) != expected:
                yield (
                    line_number,
                    None,
                    LineError(
                        "columns",
                        cells[1] if len(cells) > 1 else "",
                        found=len(cells) - 1,
                        expected=expected - 1,
                    ),
                )
                continue
            record = dict(zip(FINESS_FIELDS, cells[1:], strict=True))
            department = record["departement"].strip().upper()
            commune = department + record["commune"].strip()[-3:]
            department = FINESS_OVERSEAS.get(department, department)
            if not place(commune, department) or not category(record["categetab"]):
                self.stats["skipped"] += 1
                continue
            yield finess_row(line_number, record)


class FinessJsonReader:
    """FINESS establishments as JSON.

    Two layouts are read, both streamed object by object:

    - the published "FINESS - Structures" file (ansforge/finess,
      flux/out/data.gouv/structure/schema-structures-v1.json): one object whose
      ``pmej`` array lists the legal entities, each with its establishments
      (``ege``: identification, category, SIRET, addresses, contacts);
    - an array of objects, or JSON lines, keyed by the fields of the CSV's
      structureet lines.
    """

    kind = "finess"
    chunk_size = 1 << 16

    def __init__(self, stream, file_filter=None):
        self.stream = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict")
        self.filter = file_filter or Filter()
        self.stats = {"lines": 0, "skipped": 0, "legacy_lines": 0}
        self._buffer = ""
        self._fill()
        self._buffer = self._buffer.lstrip()
        if self._buffer[:1] not in ("[", "{"):
            raise DirectoryFileError("finess_json")
        # The published layout: {"pmej": [ ... ], "gco": ..., "gcc": ...}. Its entities
        # are read one by one from the array; what follows it is not needed.
        while len(self._buffer) < 64 and self._fill():
            self._buffer = self._buffer.lstrip()
        published = PUBLISHED_FINESS_START.match(self._buffer)
        self._published = bool(published)
        if published:
            self._buffer = self._buffer[published.end() :]
        self._array = self._published or self._buffer.startswith("[")
        if self._array and not self._published:
            self._buffer = self._buffer[1:]

    encoding = "UTF-8"

    def _fill(self):
        try:
            chunk = self.stream.read(self.chunk_size)
        except UnicodeDecodeError as exc:
            raise DirectoryFileError("json_encoding") from exc
        self._buffer += chunk
        return bool(chunk)

    def _objects(self):
        decoder = json.JSONDecoder()
        number = 0
        while True:
            self._buffer = self._buffer.lstrip().lstrip(",").lstrip()
            if not self._buffer and not self._fill():
                return
            if self._buffer.startswith("]"):
                return
            try:
                value, end = decoder.raw_decode(self._buffer)
            except json.JSONDecodeError:
                if self._fill():
                    continue
                number += 1
                yield number, None
                return
            number += 1
            self._buffer = self._buffer[end:]
            yield number, value

    def _records(self):
        """(number, structureet-like dict) pairs, whichever layout the file has."""
        if not self._published:
            yield from self._objects()
            return
        number = 0
        for _entity_number, entity in self._objects():
            if not isinstance(entity, dict):
                number += 1
                yield number, entity
                continue
            for record in published_establishments(entity):
                number += 1
                yield number, record

    def __iter__(self):
        place = self.filter.place
        category = self.filter.category
        for number, value in self._records():
            self.stats["lines"] += 1
            if not isinstance(value, dict):
                yield number, None, LineError("json_object")
                continue
            if "nofinesset" not in value:
                if number == 1:
                    raise DirectoryFileError("finess_json")
                yield number, None, LineError("json_object")
                continue
            department = str(value.get("departement") or "").strip().upper()
            commune = department + str(value.get("commune") or "").strip()[-3:]
            department = FINESS_OVERSEAS.get(department, department)
            if not place(commune, department) or not category(
                str(value.get("categetab") or "")
            ):
                self.stats["skipped"] += 1
                continue
            yield finess_row(number, value)


PUBLISHED_FINESS_START = re.compile(r'^\{\s*"pmej"\s*:\s*\[')


def _first(items):
    return items[0] if isinstance(items, list) and items else {}


def _code(value):
    return value.get("code", "") if isinstance(value, dict) else value or ""


def published_establishments(entity):
    """The structureet fields of each establishment of a published legal entity."""
    if not isinstance(entity, dict):
        return
    legal = entity.get("informationsGeneralesPmej") or {}
    for establishment in entity.get("ege") or ():
        if not isinstance(establishment, dict):
            yield None
            continue
        general = establishment.get("informationsGeneralesEGE") or {}
        address = _first(establishment.get("adresse"))
        telecom = (_first(establishment.get("contact")) or {}).get("telecom") or {}
        cog = str(address.get("cogCommune") or "")
        split = 3 if cog.startswith("97") else 2
        yield {
            # The schema leaves informationsGeneralesEGE undefined; FINESS's own
            # model (database/ddl) names the establishment's number NumFinessEge.
            "nofinesset": general.get("numFinessEge")
            or general.get("numFinessEg")
            or general.get("numFinessEt")
            or "",
            "nofinessej": legal.get("numFinessPm") or "",
            "rs": general.get("nomEgeCourt") or general.get("denominationEge") or "",
            "rslongue": general.get("nomEgeLong") or "",
            "complrs": general.get("complementDenominationEg") or "",
            "numvoie": address.get("numeroVoie") or "",
            "typvoie": address.get("typeVoie") or "",
            "voie": address.get("libelleVoie") or "",
            "compvoie": address.get("complementVoie") or "",
            "lieuditbp": address.get("lieuDit") or "",
            "commune": cog[split:],
            "departement": cog[:split],
            "ligneacheminement": address.get("ligneAcheminement") or "",
            "telephone": telecom.get("telephone") or "",
            "telecopie": telecom.get("telecopie") or "",
            "categetab": _code(
                establishment.get("categorieEntiteGeographiqueExercice")
            ),
            "siret": establishment.get("siret") or "",
        }


def reader_for(stream, source, file_filter=None):
    """The reader of ``stream``, checked against the expected ``source``."""
    kind = detect_kind(stream)
    if kind is None:
        raise DirectoryFileError("unknown")
    if source == "rpps" and kind != "rpps":
        raise DirectoryFileError("not_rpps")
    if source == "finess" and kind == "rpps":
        raise DirectoryFileError("not_finess")
    if kind == "rpps":
        return RppsReader(stream, file_filter)
    if kind == "finess_csv":
        return FinessCsvReader(stream, file_filter)
    return FinessJsonReader(stream, file_filter)
