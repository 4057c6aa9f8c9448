from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ...models.directory import identifiers
from ..common import make_finess, make_rpps


@tagged("post_install", "-at_install")
class TestIdentifiers(TransactionCase):
    def test_luhn(self):
        self.assertTrue(identifiers.luhn_is_valid("79927398713"))
        self.assertFalse(identifiers.luhn_is_valid("79927398710"))
        self.assertEqual(identifiers.luhn_check_digit("7992739871"), "3")

    def test_rpps(self):
        valid = make_rpps(12345)
        self.assertTrue(identifiers.is_valid_rpps(valid))
        self.assertTrue(
            identifiers.is_valid_rpps(f"{valid[:3]} {valid[3:7]} {valid[7:]}")
        )
        wrong_key = valid[:-1] + str((int(valid[-1]) + 1) % 10)
        self.assertFalse(identifiers.is_valid_rpps(wrong_key))
        self.assertFalse(identifiers.is_valid_rpps(valid[:-1]))
        self.assertFalse(identifiers.is_valid_rpps("1000000000A"))

    def test_finess_and_adeli(self):
        valid = make_finess(42)
        self.assertTrue(identifiers.is_valid_finess(valid))
        self.assertFalse(
            identifiers.is_valid_finess(valid[:-1] + str((int(valid[-1]) + 1) % 10))
        )
        self.assertTrue(identifiers.is_valid_finess("2A0000123"))
        self.assertFalse(identifiers.is_valid_finess("85000012"))
        self.assertTrue(identifiers.is_valid_adeli("851234567"))
        self.assertTrue(identifiers.is_valid_adeli("2B1234567"))
        self.assertFalse(identifiers.is_valid_adeli("85123456"))
        self.assertFalse(identifiers.is_valid_adeli("8512345AB"))

    def test_partner_constraints_give_clear_messages(self):
        Partner = self.env["res.partner"]
        with self.assertRaisesRegex(ValidationError, "RPPS"):
            Partner.create({"name": "Dr Faux", "coordination_rpps": "10000000001"})
        with self.assertRaisesRegex(ValidationError, "FINESS"):
            Partner.create(
                {"name": "Structure fausse", "coordination_finess": "850000000"}
            )
        with self.assertRaisesRegex(ValidationError, "ADELI"):
            Partner.create({"name": "Psy faux", "coordination_adeli": "12"})
        partner = Partner.create(
            {"name": "Dr Juste", "coordination_rpps": make_rpps(7)}
        )
        self.assertEqual(partner.coordination_rpps, make_rpps(7))
        spaced = make_rpps(8)
        partner.coordination_rpps = f"{spaced[:5]} {spaced[5:]}"
        self.assertEqual(partner.coordination_rpps, spaced, "spaces are stripped")

    def test_rpps_unique_among_active(self):
        Partner = self.env["res.partner"]
        number = make_rpps(99)
        first = Partner.create({"name": "Dr Un", "coordination_rpps": number})
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            Partner.create({"name": "Dr Deux", "coordination_rpps": number})
        first.active = False
        Partner.create({"name": "Dr Deux", "coordination_rpps": number})
