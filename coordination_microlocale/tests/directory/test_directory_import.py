import base64
import csv
import io
import json
import os
import tempfile
import zipfile
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from ...models.directory.directory_files import (
    FINESS_FIELDS,
    RPPS_COLUMNS,
    RPPS_MIN_COLUMNS,
)
from ..common import CoordinationCase, make_finess, make_rpps

RPPS_WIDTH = len(RPPS_COLUMNS)
COMMUNE = "85178"  # the territory's INSEE code
OTHER_COMMUNE = "44109"


def rpps_line(
    identifier,
    last="Martin",
    first="Claire",
    profession="10",
    skill="Qualifié en Médecine Générale",
    kind="8",
    commune=COMMUNE,
    zip_code="85000",
    city="LA ROCHE-SUR-YON",
    street="Rue Georges Clemenceau",
    phone="0251000000",
    email="",
    finess_site="",
    siret="",
    columns=RPPS_WIDTH,
):
    cells = [""] * len(RPPS_COLUMNS)
    cells[0] = kind
    cells[1] = identifier
    cells[2] = kind + identifier
    cells[7] = last
    cells[8] = first
    cells[9] = profession
    cells[16] = skill
    cells[19] = siret
    cells[21] = finess_site
    cells[28] = "12"
    cells[31] = ""
    cells[32] = street
    cells[35] = zip_code
    cells[36] = commune
    cells[37] = city
    cells[40] = phone
    cells[43] = email
    cells[44] = commune[:2]
    return "|".join(cells[:columns]) + "|"


def rpps_file(lines, columns=RPPS_WIDTH, encoding="utf-8"):
    header = "|".join(RPPS_COLUMNS[:columns]) + "|"
    return ("\r\n".join([header, *lines]) + "\r\n").encode(encoding)


def finess_record(finess, name, category="124", commune="178", dept="85", **kw):
    record = dict.fromkeys(FINESS_FIELDS, "")
    record.update(
        {
            "nofinesset": finess,
            "nofinessej": "",
            "rs": name[:38],
            "rslongue": name,
            "numvoie": "3",
            "typvoie": "R",
            "voie": "DES HALLES",
            "commune": commune,
            "departement": dept,
            "libdepartement": "VENDEE",
            "ligneacheminement": "85000 LA ROCHE SUR YON CEDEX",
            "telephone": "0251111111",
            "categetab": category,
            "libcategetab": "Centre de Santé",
            "siret": "",
        }
    )
    record.update(kw)
    return record


def finess_csv(records, encoding="latin-1", extra_lines=()):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    buffer.write("finess;etalab;95;2025-01-01\n")
    for record in records:
        writer.writerow(["structureet", *[record[key] for key in FINESS_FIELDS]])
    for line in extra_lines:
        buffer.write(line + "\n")
    buffer.write(
        "geolocalisation;850000001;355000.1;6620000.2;1,ATLASANTE;2024-01-01\n"
    )
    return buffer.getvalue().encode(encoding)


@tagged("post_install", "-at_install")
class TestDirectoryImport(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.territory.insee_code = COMMUNE
        cls.Import = cls.env["coordination.directory.import"]

    def _import(
        self, content, source="rpps", filename="PS_LibreAcces.txt", user=None, **values
    ):
        user = user or self.manager
        record = self.Import.with_user(user).create(
            {
                "source": source,
                "file": base64.b64encode(content),
                "filename": filename,
                "territory_ids": [Command.set(self.territory.ids)],
                **values,
            }
        )
        record.action_start()
        record._run()
        return record

    def _report(self, record):
        text = base64.b64decode(record.report_file).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    def _partner(self, identifier):
        return self.env["res.partner"].search(
            [
                "|",
                ("coordination_rpps", "=", identifier),
                ("coordination_adeli", "=", identifier),
            ]
        )

    def test_rpps_import_then_second_run_changes_nothing(self):
        gp, nurse, other = make_rpps(101), make_rpps(102), make_rpps(103)
        bad_key = make_rpps(104)[:-1] + str((int(make_rpps(104)[-1]) + 1) % 10)
        content = rpps_file(
            [
                rpps_line(gp, email="c.martin@example.org"),
                rpps_line(gp, street="Autre site"),  # 2nd activity: first one kept
                rpps_line(nurse, "Durand", "Hélène", profession="60", skill=""),
                rpps_line("851234567", "Petit", "Luc", profession="94", kind="0"),
                rpps_line(other, "Loin", commune=OTHER_COMMUNE),
                rpps_line(bad_key, "Faux"),
                "8|" + make_rpps(105) + "|damaged|",
            ]
        )
        first = self._import(content)
        self.assertEqual(first.state, "done", first.message)
        self.assertEqual(
            (first.count_created, first.count_rejected, first.count_skipped),
            (3, 2, 1),
        )
        partner = self._partner(gp)
        self.assertEqual(partner.name, "Claire Martin")
        self.assertEqual(partner.coordination_role, "professional")
        self.assertEqual(
            partner.coordination_profession_id,
            self.env.ref("coordination_microlocale.profession_gp"),
        )
        self.assertEqual(partner.street, "12 Rue Georges Clemenceau")
        self.assertEqual(
            (partner.zip, partner.email), ("85000", "c.martin@example.org")
        )
        self.assertIn(self.territory, partner.coordination_territory_ids)
        self.assertEqual(self._partner(nurse).name, "Hélène Durand")
        self.assertEqual(
            self._partner("851234567").coordination_profession_id,
            self.env.ref("coordination_microlocale.profession_ot"),
        )
        self.assertFalse(self._partner(other))
        rejected = {row["line"]: row for row in self._report(first)}
        self.assertEqual(set(rejected), {"7", "8"})
        self.assertIn("RPPS", rejected["7"]["detail"])
        self.assertEqual(rejected["7"]["identifier"], bad_key)
        write_date = partner.write_date

        second = self._import(content)
        self.assertEqual(
            (second.count_created, second.count_updated, second.count_unchanged),
            (0, 0, 3),
        )
        self.assertEqual(second.count_missing, 0)
        self.assertIn("Nothing changed", second.message)
        self.assertEqual(partner.write_date, write_date)

    def test_local_change_is_kept_and_reported(self):
        rpps = make_rpps(111)
        self._import(rpps_file([rpps_line(rpps, phone="0251000001")]))
        partner = self._partner(rpps)
        partner.with_user(self.coordinator).phone = "0600000000"  # typed by hand
        again = self._import(
            rpps_file([rpps_line(rpps, phone="0251000002", street="Place Napoléon")])
        )
        self.assertEqual((again.count_updated, again.count_conflicts), (1, 1))
        self.assertEqual(partner.phone, "0600000000")
        self.assertEqual(partner.street, "12 Place Napoléon")
        rows = [row for row in self._report(again) if row["outcome"] != "rejected"]
        self.assertEqual(len(rows), 1)
        self.assertIn("0600000000", rows[0]["detail"])
        self.assertIn("0251000002", rows[0]["detail"])
        # a contact typed by hand before any import keeps its values too
        hand = make_rpps(112)
        self.env["res.partner"].create(
            {"name": "Dr Saisi", "coordination_rpps": hand, "phone": "0611111111"}
        )
        third = self._import(rpps_file([rpps_line(hand, phone="0252222222")]))
        self.assertEqual(third.count_conflicts, 1)
        self.assertEqual(self._partner(hand).phone, "0611111111")
        self.assertEqual(self._partner(hand).street, "12 Rue Georges Clemenceau")

    def test_no_longer_listed(self):
        kept, gone = make_rpps(121), make_rpps(122)
        self._import(rpps_file([rpps_line(kept), rpps_line(gone, "Parti")]))
        again = self._import(rpps_file([rpps_line(kept)]))
        self.assertEqual(again.count_missing, 1)
        missing = [r for r in self._report(again) if r["outcome"] == "no longer listed"]
        self.assertEqual([r["identifier"] for r in missing], [gone])
        self.assertTrue(self._partner(gone).active, "reported, not archived")

    def test_windows_1252_and_older_layouts(self):
        for columns, seed in ((52, 131), (RPPS_MIN_COLUMNS, 132)):
            rpps = make_rpps(seed)
            content = rpps_file(
                [rpps_line(rpps, "Lefèvre", "Zoé", columns=columns)],
                columns=columns,
                encoding="cp1252",
            )
            record = self._import(content)
            self.assertEqual(record.count_created, 1, record.message)
            self.assertEqual(record.encoding, "Windows-1252")
            self.assertEqual(self._partner(rpps).name, "Zoé Lefèvre")

    def test_official_zip(self):
        rpps = make_rpps(141)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("Lisez-moi.pdf", b"%PDF")
            archive.writestr(
                "PS_LibreAcces_Personne_activite_202501010000.txt",
                rpps_file([rpps_line(rpps)]),
            )
        record = self._import(buffer.getvalue(), filename="PS_LibreAcces_202501.zip")
        self.assertEqual(record.count_created, 1, record.message)
        self.assertEqual(record.progress, 100)

    def test_wrong_file_writes_nothing(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        count = Partner.search_count([])
        finess = finess_csv([finess_record(make_finess(201), "Centre de santé")])
        for content, source, expected in (
            (finess, "rpps", "not an RPPS extraction"),
            (b"Nom;Prenom\nDupont;Jean\n", "rpps", "neither an RPPS"),
            (rpps_file([rpps_line(make_rpps(202))]), "finess", "not a FINESS"),
            (b"Type d'identifiant PP|Identifiant PP|\n", "rpps", "header"),
            (b"PK\x03\x04damaged", "rpps", "zip"),
        ):
            record = self._import(content, source=source)
            self.assertEqual(record.state, "failed")
            self.assertIn(expected, record.message)
            self.assertEqual(Partner.search_count([]), count)
            self.assertFalse(record.report_file)

    def test_finess_csv_and_link_of_professionals(self):
        cds, msp, lab = make_finess(211), make_finess(212), make_finess(213)
        records = [
            finess_record(
                cds, 'Centre de santé "Les Halles"; municipal', siret="21850191400011"
            ),
            finess_record(msp, "Maison de santé du Bourg", category="603"),
            finess_record(lab, "Institut médico-éducatif", category="183"),
            finess_record(
                make_finess(214), "Hors territoire", commune="109", dept="44"
            ),
            finess_record("850000000", "Clé fausse"),
        ]
        record = self._import(
            finess_csv(records),
            source="finess",
            filename="etalab_cs1100507_stock_20250101.csv",
        )
        self.assertEqual(record.state, "done", record.message)
        self.assertEqual(
            (record.count_created, record.count_rejected, record.count_skipped),
            (3, 1, 1),
        )
        Partner = self.env["res.partner"]
        centre = Partner.search([("coordination_finess", "=", cds)])
        self.assertEqual(centre.name, 'Centre de santé "Les Halles"; municipal')
        self.assertTrue(centre.is_company)
        self.assertEqual(
            centre.coordination_structure_type_id,
            self.env.ref("coordination_microlocale.structure_type_cds"),
        )
        self.assertEqual((centre.zip, centre.city), ("85000", "LA ROCHE SUR YON"))
        self.assertEqual(centre.street, "3 R DES HALLES")
        self.assertEqual(
            Partner.search(
                [("coordination_finess", "=", msp)]
            ).coordination_structure_type_id,
            self.env.ref("coordination_microlocale.structure_type_msp"),
        )
        self.assertEqual(
            Partner.search(
                [("coordination_finess", "=", lab)]
            ).coordination_structure_type_id,
            self.env.ref("coordination_microlocale.structure_type_other"),
        )
        # professionals are linked to their site by FINESS or SIRET
        by_finess, by_siret = make_rpps(215), make_rpps(216)
        self._import(
            rpps_file(
                [
                    rpps_line(by_finess, finess_site=msp),
                    rpps_line(by_siret, "Roux", siret="21850191400011"),
                ]
            )
        )
        self.assertEqual(self._partner(by_finess).parent_id.coordination_finess, msp)
        self.assertEqual(self._partner(by_siret).parent_id, centre)
        again = self._import(finess_csv(records), source="finess")
        self.assertEqual((again.count_created, again.count_updated), (0, 0))

    def test_finess_structure_type_filter(self):
        records = [
            finess_record(make_finess(221), "Centre", category="124"),
            finess_record(make_finess(222), "Ehpad Les Tilleuls", category="500"),
        ]
        record = self._import(
            finess_csv(records, encoding="utf-8"),
            source="finess",
            structure_type_ids=[
                Command.set(
                    self.env.ref("coordination_microlocale.structure_type_ehpad").ids
                )
            ],
        )
        self.assertEqual((record.count_created, record.count_skipped), (1, 1))

    def test_finess_json(self):
        one, two = make_finess(231), make_finess(232)
        array = json.dumps(
            [
                finess_record(one, "Centre JSON"),
                finess_record(two, "CMP", category="156"),
            ]
        ).encode()
        record = self._import(array, source="finess", filename="finess.json")
        self.assertEqual(record.count_created, 2, record.message)
        lines = "\n".join(
            json.dumps(r) for r in (finess_record(one, "Centre JSON"), {"foo": 1})
        ).encode()
        again = self._import(lines, source="finess", filename="finess.jsonl")
        self.assertEqual((again.count_unchanged, again.count_rejected), (1, 1))
        wrong = self._import(b'[{"nom": "x"}]', source="finess")
        self.assertEqual(wrong.state, "failed")

    def test_finess_published_json_layout(self):
        """The "FINESS - Structures" file of ansforge/finess: legal entities (pmej)
        and their establishments (ege), streamed entity by entity."""
        one, two, legal = make_finess(241), make_finess(242), make_finess(243)

        def establishment(finess, name, category, cog):
            return {
                "informationsGeneralesEGE": {
                    "numFinessEge": finess,
                    "nomEgeCourt": name[:38],
                    "nomEgeLong": name,
                },
                "etatObjet": {"code": "ACTIF"},
                "categorieEntiteGeographiqueExercice": {
                    "code": category,
                    "system": "https://mos.esante.gouv.fr/NOS/tre_r66",
                },
                "siret": "12345678900011",
                "adresse": [
                    {
                        "numeroVoie": "3",
                        "typeVoie": "R",
                        "libelleVoie": "DES HALLES",
                        "complementVoie": "",
                        "complementPointGeographique": "",
                        "lieuDit": "",
                        "cogCommune": cog,
                        "ligneAcheminement": "85000 LA ROCHE SUR YON",
                        "codePostal": "85000",
                        "coordonneesGeographique": {},
                    }
                ],
                "contact": [
                    {
                        "typeContact": {"roleContact": "ACCUEIL"},
                        "telecom": {
                            "telephone": "0251222222",
                            "telecopie": "",
                            "courriel": "accueil@example.org",
                        },
                    }
                ],
                "roleEge": {"code": ""},
            }

        published = {
            "pmej": [
                {
                    "informationsGeneralesPmej": {
                        "numFinessPm": legal,
                        "denominationPm": "Association de santé",
                    },
                    "ege": [
                        establishment(one, "Centre de santé publié", "124", COMMUNE),
                        establishment(two, "CMP publié", "156", COMMUNE),
                        establishment(make_finess(244), "Ailleurs", "124", "44109"),
                    ],
                }
            ],
            "gco": {},
            "gcc": {},
        }
        content = json.dumps(published, ensure_ascii=False, indent=1).encode()
        record = self._import(content, source="finess", filename="structures.json")
        self.assertEqual(record.state, "done", record.message)
        self.assertEqual((record.count_created, record.count_skipped), (2, 1))
        centre = self.env["res.partner"].search([("coordination_finess", "=", one)])
        self.assertEqual(centre.name, "Centre de santé publié")
        self.assertEqual(
            centre.coordination_structure_type_id,
            self.env.ref("coordination_microlocale.structure_type_cds"),
        )
        self.assertEqual((centre.zip, centre.phone), ("85000", "0251222222"))
        again = self._import(content, source="finess", filename="structures.json")
        self.assertEqual(again.count_unchanged, 2, again.message)

    def test_scope_of_coordinators(self):
        Import = self.Import.with_user(self.coordinator)
        with self.assertRaises(ValidationError):
            Import.create(
                {
                    "source": "rpps",
                    "territory_ids": [Command.set(self.territory_other.ids)],
                }
            )
        with self.assertRaises(ValidationError):
            Import.create(
                {
                    "source": "rpps",
                    "department_codes": "85",
                    "territory_ids": [Command.set(self.territory.ids)],
                }
            )
        with self.assertRaises(ValidationError):
            Import.create({"source": "rpps"})
        rpps = make_rpps(241)
        mine = self._import(rpps_file([rpps_line(rpps)]), user=self.coordinator)
        self.assertEqual(mine.count_created, 1)
        self.assertFalse(
            self.Import.with_user(self.coordinator_other).search([("id", "=", mine.id)])
        )
        self.assertTrue(
            self.Import.with_user(self.manager).search([("id", "=", mine.id)])
        )
        with self.assertRaises(AccessError):
            self.Import.with_user(self.staff).create({"source": "rpps"})
        with self.assertRaises(AccessError):
            self.Import.with_user(self.gp).search([])
        # managers may import whole departments
        dept = self._import(
            rpps_file([rpps_line(make_rpps(242), commune=OTHER_COMMUNE)]),
            territory_ids=[Command.clear()],
            department_codes="44",
        )
        self.assertEqual(dept.count_created, 1)

    def test_server_path(self):
        directory = tempfile.mkdtemp()
        path = os.path.join(directory, "PS_LibreAcces_Personne_activite_2025.txt")
        with open(path, "wb") as handle:
            handle.write(rpps_file([rpps_line(make_rpps(251))]))
        record = self.Import.with_user(self.manager).create(
            {
                "source": "rpps",
                "server_path": path,
                "territory_ids": [Command.set(self.territory.ids)],
            }
        )
        with self.assertRaises(UserError):
            record.action_start()  # no directory allowed yet
        params = self.env["ir.config_parameter"]
        params.set_param(
            "coordination_microlocale.directory_import_path", tempfile.mkdtemp()
        )
        with self.assertRaises(UserError):
            record.action_start()  # outside the allowed directory
        record.server_path = os.path.join(
            directory, "..", os.path.basename(directory), "..", "..", "etc", "passwd"
        )
        with self.assertRaises(UserError):
            record.action_start()
        params.set_param("coordination_microlocale.directory_import_path", directory)
        record.server_path = path
        record.action_start()
        record._run()
        self.assertEqual(record.count_created, 1, record.message)

    def test_background_job(self):
        rpps = make_rpps(261)
        record = self.Import.with_user(self.coordinator).create(
            {
                "source": "rpps",
                "file": base64.b64encode(rpps_file([rpps_line(rpps)] * 3)),
                "filename": "x.txt",
                "territory_ids": [Command.set(self.territory.ids)],
            }
        )
        cron = self.env.ref(
            "coordination_microlocale.ir_cron_coordination_directory_import"
        )
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        record.action_start()
        self.assertEqual(record.state, "queued")
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)
        commits = []
        with patch.object(
            type(self.env["ir.cron"]),
            "_commit_progress",
            lambda cron_self, processed=0, **kw: commits.append(processed) or 60.0,
        ):
            self.Import._cron_process()
        self.assertTrue(commits)
        self.assertEqual(record.state, "done")
        self.assertEqual(record.count_created, 1)
        self.assertTrue(record.with_user(self.coordinator).action_download_report())

    def test_batches_and_resume(self):
        lines = [rpps_line(make_rpps(300 + i), f"Nom{i}") for i in range(12)]
        content = rpps_file(lines)
        record = self.Import.with_user(self.manager).create(
            {
                "source": "rpps",
                "file": base64.b64encode(content),
                "filename": "x.txt",
                "territory_ids": [Command.set(self.territory.ids)],
            }
        )
        record.action_start()
        record._run(batch_size=5)
        self.assertEqual(record.count_created, 12)
        # an interrupted import resumes after its last line applied
        resumed = self.Import.create(
            {
                "source": "rpps",
                "file": base64.b64encode(content),
                "filename": "x.txt",
                "territory_ids": [Command.set(self.territory.ids)],
            }
        )
        resumed.action_start()
        resumed.write({"state": "running", "position": 6})
        resumed._run(batch_size=5)
        self.assertEqual(resumed.count_unchanged, 7)  # lines 7 to 13

    def test_unexpected_error_fails_the_import(self):
        record = self.Import.with_user(self.manager).create(
            {
                "source": "rpps",
                "file": base64.b64encode(rpps_file([rpps_line(make_rpps(271))])),
                "filename": "x.txt",
                "territory_ids": [Command.set(self.territory.ids)],
            }
        )
        record.action_start()
        Import = type(self.Import)
        with (
            patch.object(Import, "_run", side_effect=RuntimeError("boom")),
            patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=0),
            patch.object(self.env.cr, "rollback", lambda: None),
            mute_logger(
                "odoo.addons.coordination_microlocale.models.directory.coordination_directory_import"
            ),
        ):
            self.Import._cron_process()
        self.assertEqual(record.state, "failed")
        self.assertIn("unexpected error", record.message)
