import base64
import datetime
import io

import openpyxl
import xlsxwriter

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RegisterCase

HEADER = (
    "Nom;Prénom;Date de naissance;Adresse;Code postal;Commune;Téléphone;Catégorie;"
    "Personne à prévenir;Tél urgence;Vit seul"
)


def csv_file(*lines):
    text = "\n".join((HEADER, *lines)) + "\n"
    return base64.b64encode(text.encode("cp1252"))


@tagged("post_install", "-at_install")
class TestRegisterExport(RegisterCase):
    """The register of a territory for the prefect: dated PDF and spreadsheet."""

    def test_export_for_the_prefect(self):
        export = (
            self.env["coordination.register.export"]
            .with_user(self.keeper)
            .create({"territory_id": self.territory.id})
        )
        export.action_export()
        self.assertEqual(export.entry_ids, self.entries)
        self.assertRegex(
            export.xlsx_attachment_id.name,
            r"^registre-Commune-Test-A-\d{4}-\d\d-\d\d-\d{4}\.xlsx$",
        )
        self.assertTrue(export.pdf_attachment_id.name.endswith(".pdf"))
        # the spreadsheet holds the legal content, one line per person
        workbook = openpyxl.load_workbook(
            io.BytesIO(export.xlsx_attachment_id.raw), read_only=True
        )
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        self.assertIn("Register of vulnerable people", rows[0][0])
        self.assertEqual(rows[2][:2], ("Reference", "Name"))
        names = {row[1] for row in rows[3:]}
        self.assertEqual(names, set(self.entries.mapped("person_name")))
        germaine = next(row for row in rows[3:] if row[1] == "Germaine Inscrite")
        self.assertIn("Sylvie Fille", germaine[9])
        # what the PDF shows (rendered as HTML in tests)
        html = export.pdf_attachment_id.raw.decode()
        self.assertIn("Germaine Inscrite", html)
        self.assertNotIn("Roger Autreterritoire", html)
        # the export itself is traced, for each person handed over
        Log = self.env["coordination.access.log"]
        Log._trail_flush()
        traced = Log.search(
            [
                ("res_model", "=", "coordination.register.entry"),
                ("operation", "=", "export"),
                ("user_id", "=", self.keeper.id),
            ]
        )
        self.assertEqual(set(traced.mapped("res_id")), set(self.entries.ids))
        with self.assertRaisesRegex(UserError, "already done"):
            export.action_export()
        with self.assertRaises(UserError):
            export.unlink()

    def test_export_refused_to_others(self):
        export = (
            self.env["coordination.register.export"]
            .with_user(self.keeper)
            .create({"territory_id": self.territory.id})
        )
        export.action_export()
        for user in (self.coordinator_other, self.keeper_other, self.staff, self.agent):
            with self.assertRaises(AccessError, msg=user.login):
                export.pdf_attachment_id.with_user(user).read(["raw"])
            with self.assertRaises(AccessError, msg=user.login):
                export.with_user(user).read(["name"])
        # a keeper of B exports B only, even when asking for A
        other = (
            self.env["coordination.register.export"]
            .with_user(self.keeper_other)
            .create({"territory_id": self.territory.id})
        )
        with self.assertRaisesRegex(UserError, "Nobody is registered"):
            other.action_export()


@tagged("post_install", "-at_install")
class TestRegisterImport(RegisterCase):
    """Bulk entry from a spreadsheet: mapping, duplicates shown first, all or
    nothing."""

    def _wizard(self, content, filename="registre.csv"):
        wizard = (
            self.env["coordination.register.import"]
            .with_user(self.keeper)
            .create(
                {
                    "territory_id": self.territory.id,
                    "file": content,
                    "filename": filename,
                }
            )
        )
        wizard.action_read_file()
        return wizard

    def test_mapping_guessed_from_headings(self):
        wizard = self._wizard(
            csv_file("DUPONT;Jeanne;01/02/1940;1 rue;85310;A;0251;;;;")
        )
        self.assertEqual(
            wizard.column_ids.mapped("target"),
            [
                "lastname",
                "firstname",
                "birthdate",
                "street",
                "zip",
                "city",
                "phone",
                "category",
                "emergency_name",
                "emergency_phone",
                "lives_alone",
            ],
        )

    def test_preview_shows_duplicates_and_writes_nothing(self):
        Entry = self.env["coordination.register.entry"]
        Partner = self.env["res.partner"]
        entries_before = Entry.search_count([])
        partners_before = Partner.search_count([])
        wizard = self._wizard(
            csv_file(
                "DUPONT;Jeanne;01/02/1938;1 rue des Lilas;85310;Commune A;"
                "02 51 99 00 01;65 ans et plus;Paul Dupont;06 00 00 00 09;oui",
                # the contact of the fixture, written the other way round
                "RÉSIDENTE;Jeanne;03/04/1941;2 rue;85310;Commune A;02 51 99 00 02;;;;",
                # already in the register of A
                "INSCRITE;Germaine;;;;;02 51 00 00 01;;;;",
                "SANSTEL;Léon;05/06/1939;3 rue;85310;Commune A;;;;;",
            )
        )
        wizard.action_preview()
        lines = {line.person_name: line for line in wizard.line_ids}
        self.assertEqual(lines["DUPONT Jeanne"].match_state, "new")
        self.assertEqual(lines["RÉSIDENTE Jeanne"].match_state, "contact")
        self.assertEqual(lines["RÉSIDENTE Jeanne"].partner_id, self.person)
        self.assertEqual(lines["RÉSIDENTE Jeanne"].decision, "link")
        self.assertEqual(lines["INSCRITE Germaine"].match_state, "registered")
        self.assertEqual(lines["INSCRITE Germaine"].decision, "skip")
        self.assertIn("no phone number", lines["SANSTEL Léon"].error)
        self.assertEqual(
            (wizard.error_count, wizard.duplicate_count, wizard.registered_count),
            (1, 1, 1),
        )
        self.assertEqual(Entry.search_count([]), entries_before, "nothing written")
        self.assertEqual(Partner.search_count([]), partners_before)
        with self.assertRaisesRegex(UserError, r"(?s)Nothing was imported.*Line 5"):
            wizard.action_import()
        self.assertEqual(Entry.search_count([]), entries_before)
        self.assertEqual(Partner.search_count([]), partners_before)

    def test_import_everything(self):
        wizard = self._wizard(
            csv_file(
                "DUPONT;Jeanne;01/02/1938;1 rue des Lilas;85310;Commune A;"
                "02 51 99 00 01;65 ans et plus;Paul Dupont;06 00 00 00 09;oui",
                "RÉSIDENTE;Jeanne;03/04/1941;2 rue;85310;Commune A;02 51 99 00 02;;;;",
                "INSCRITE;Germaine;;;;;02 51 00 00 01;;;;",
                "MARTIN;Paul;07/08/1960;4 rue;85310;Commune A;06 11 22 33 44;"
                "handicap (AAH);;;",
            )
        )
        wizard.action_preview()
        self.assertFalse(wizard.error_count)
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertIn("3 people registered", wizard.report)
        self.assertIn("2 new contacts created, 1 linked", wizard.report)
        Entry = self.env["coordination.register.entry"]
        jeanne = Entry.search([("person_name", "=", "DUPONT Jeanne")])
        self.assertEqual(jeanne.state, "registered")
        self.assertEqual(jeanne.request_channel, "import")
        self.assertEqual(jeanne.emergency_contact_ids.phone, "06 00 00 00 09")
        self.assertTrue(jeanne.lives_alone)
        self.assertIn("imported", jeanne.history_ids.mapped("kind"))
        linked = Entry.search([("partner_id", "=", self.person.id)])
        self.assertEqual(linked.territory_id, self.territory)
        self.assertEqual(linked.partner_id.name, "Jeanne Résidente", "left as it was")
        paul = Entry.search([("person_name", "=", "MARTIN Paul")])
        self.assertEqual((paul.category, paul.disability_benefit), ("disabled", "aah"))

    def test_same_person_twice_in_the_file(self):
        wizard = self._wizard(
            csv_file(
                "DUPONT;Jeanne;01/02/1938;1 rue;85310;A;02 51 99 00 01;;;;",
                "Dupont;JEANNE;01/02/1938;1 rue;85310;A;02 51 99 00 01;;;;",
            )
        )
        wizard.action_preview()
        self.assertIn("same person as line 2", wizard.line_ids.filtered("error").error)

    def test_bad_values_in_french(self):
        wizard = self._wizard(
            csv_file("DUPONT;Jeanne;31/31/1938;1 rue;85310;A;02 51 99 00 01;chat;;;")
        )
        wizard.action_preview()
        error = wizard.line_ids.error
        self.assertIn("is not a date", error)
        self.assertIn("is not one of the register's", error)

    def test_xlsx(self):
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet()
        for col, heading in enumerate(("Nom prénom", "Téléphone", "Date de naissance")):
            sheet.write(0, col, heading)
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        sheet.write(1, 0, "Lucienne Tableur")
        sheet.write(1, 1, "0251000077")
        sheet.write_datetime(1, 2, datetime.datetime(1936, 5, 4), date_format)
        workbook.close()
        wizard = self._wizard(
            base64.b64encode(output.getvalue()), filename="registre.xlsx"
        )
        self.assertEqual(
            wizard.column_ids.mapped("target"), ["person_name", "phone", "birthdate"]
        )
        wizard.action_preview()
        self.assertFalse(wizard.error_count)
        wizard.action_import()
        entry = self.env["coordination.register.entry"].search(
            [("person_name", "=", "Lucienne Tableur")]
        )
        self.assertEqual(str(entry.birthdate), "1936-05-04")
        self.assertEqual(entry.category, "elderly")

    def test_refused_outside_the_territory(self):
        wizard = (
            self.env["coordination.register.import"]
            .with_user(self.keeper_other)
            .create(
                {
                    "territory_id": self.territory.id,
                    "file": csv_file(
                        "DUPONT;Jeanne;01/02/1938;1 rue;85310;A;02 51 99 00 01;;;;"
                    ),
                    "filename": "r.csv",
                }
            )
        )
        wizard.action_read_file()
        wizard.action_preview()
        with self.assertRaises(AccessError):
            wizard.action_import()
