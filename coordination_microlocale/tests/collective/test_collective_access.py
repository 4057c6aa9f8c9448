# Message bodies here are test data, not text for users; pylint_odoo exempts only the
# files directly under tests/ from translation-required.
# pylint: disable=translation-required
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestCollectiveAccess(CoordinationCase):
    """Collective work: all roles read it by every path; its coordinators change it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collective = cls.env["coordination.collective.project"].create(
            {
                "name": "Projet collectif test",
                "territory_id": cls.territory.id,
                "funding_line_ids": [
                    Command.create({"funder_id": cls.hospital.id, "amount": 100})
                ],
                "indicator_ids": [Command.create({"name": "Réunions"})],
                "collective_action_ids": [Command.create({"name": "Atelier"})],
            }
        )
        cls.practice = cls.env["coordination.good.practice"].create(
            {"name": "Bonne pratique test", "territory_id": cls.territory.id}
        )
        cls.charter = cls.env["coordination.charter"].create(
            {
                "name": "Charte test",
                "territory_id": cls.territory.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "signatory_ids": [Command.create({"partner_id": cls.gp.partner_id.id})],
            }
        )
        cls.records = [
            cls.collective,
            cls.collective.funding_line_ids,
            cls.collective.indicator_ids,
            cls.collective.collective_action_ids,
            cls.practice,
            cls.charter,
            cls.charter.signatory_ids,
        ]

    def test_every_role_reads_by_every_path(self):
        for user in (
            self.staff,
            self.gp,
            self.nurse,
            self.coordinator_other,
            self.manager,
        ):
            for record in self.records:
                label = f"{user.login} {record._name}"
                Model = self.env[record._name].with_user(user)
                self.assertEqual(Model.search([("id", "=", record.id)]), record, label)
                self.assertTrue(record.with_user(user).read(["display_name"]), label)
                ids = [
                    rec_id for rec_id, _name in Model.name_search(record.display_name)
                ]
                self.assertIn(record.id, ids, label)
                groups = Model.formatted_read_group(
                    [("id", "=", record.id)], [], ["__count"]
                )
                self.assertEqual(groups[0]["__count"], 1, label)
                exported = record.with_user(user).export_data(["display_name"])
                self.assertEqual(len(exported["datas"]), 1, label)

    def test_only_the_territory_coordinators_change_it(self):
        for user in (self.staff, self.gp, self.nurse, self.coordinator_other):
            for record in self.records:
                label = f"{user.login} {record._name}"
                with self.assertRaises(AccessError, msg=label):
                    record.with_user(user).check_access("write")
                with self.assertRaises(AccessError, msg=label):
                    record.with_user(user).check_access("unlink")
            with self.assertRaises(AccessError, msg=user.login):
                self.collective.with_user(user).message_post(
                    body="x", message_type="comment"
                )
        for record in self.records[:4]:
            record.with_user(self.coordinator).check_access("write")
        self.collective.with_user(self.coordinator).message_post(
            body="Compte-rendu", message_type="comment"
        )
        for record in self.records:
            record.with_user(self.manager).check_access("unlink")
