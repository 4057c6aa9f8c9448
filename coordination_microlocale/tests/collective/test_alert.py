from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestAlert(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.relay = cls.env["res.partner"].create(
            {"name": "Association des aidants", "email": "aidants@example.fr"}
        )
        # a professional who serves only the other territory
        cls.far_professional = new_test_user(
            cls.env,
            login="t.far",
            groups="coordination_microlocale.group_professional",
            name="Pro Lointain",
        )
        cls.far_professional.partner_id.coordination_territory_ids = [
            Command.set(cls.territory_other.ids)
        ]
        cls.alert = (
            cls.env["coordination.alert"]
            .with_user(cls.coordinator)
            .create(
                {
                    "title": "Canicule : vigilance orange",
                    "alert_type": "environmental",
                    "severity": "alert",
                    "territory_ids": [Command.set(cls.territory.ids)],
                    "audience_professionals": True,
                    "audience_municipal_staff": False,
                    "relay_partner_ids": [Command.set(cls.relay.ids)],
                    "message": "<p>Hydratez les personnes isolées.</p>",
                }
            )
        )

    def test_reference(self):
        self.assertTrue(self.alert.name.startswith("ALR/"))

    def test_publication_reaches_exactly_the_audience(self):
        self.alert.with_user(self.coordinator).action_publish()
        self.assertEqual(self.alert.state, "active")
        notified = self.alert.published_partner_ids
        self.assertIn(self.gp.partner_id, notified)
        self.assertIn(self.nurse.partner_id, notified)
        self.assertIn(self.relay, notified)
        self.assertNotIn(
            self.staff.partner_id, notified, "municipal staff not in the audience"
        )
        self.assertNotIn(self.coordinator_other.partner_id, notified)
        self.assertNotIn(
            self.far_professional.partner_id, notified, "serves another territory"
        )
        message = self.alert.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertEqual(set(message.partner_ids.ids), set(notified.ids))
        self.assertIn("Hydratez", message.body)
        notifications = self.env["mail.notification"].search(
            [("mail_message_id", "=", message.id)]
        )
        self.assertEqual(set(notifications.res_partner_id.ids), set(notified.ids))

    def test_staff_audience(self):
        self.alert.write(
            {"audience_professionals": False, "audience_municipal_staff": True}
        )
        self.alert.action_publish()
        notified = self.alert.published_partner_ids
        self.assertIn(self.staff.partner_id, notified)
        # coordinators and managers are municipal staff too
        self.assertIn(self.coordinator.partner_id, notified)
        self.assertNotIn(self.gp.partner_id, notified)

    def test_staff_audience_follows_territory_and_roles(self):
        """A Saint-Florent-only alert reaches the people of that territory only.

        Seen in the demo: the administrator (a manager coordinating no territory) and
        the coordinator of another territory were among the notified of a heat alert.
        """
        admin = self.env.ref("base.user_admin")
        parent = self.env["coordination.territory"].create(
            {"name": "Intercommunalité Test", "kind": "intercommunality"}
        )
        self.territory.parent_id = parent
        parent_coordinator = new_test_user(
            self.env,
            login="t.coord.parent",
            groups="coordination_microlocale.group_coordinator",
            name="Coordination intercommunale",
        )
        parent.coordinator_ids = [Command.link(parent_coordinator.id)]
        staff_other = new_test_user(
            self.env,
            login="t.staff.b",
            groups="coordination_microlocale.group_municipal_staff",
            name="Agent autre commune",
        )
        staff_other.partner_id.coordination_territory_ids = [
            Command.set(self.territory_other.ids)
        ]
        self.alert.write(
            {"audience_professionals": False, "audience_municipal_staff": True}
        )
        self.alert.action_publish()
        notified = self.alert.published_partner_ids
        self.assertIn(self.coordinator.partner_id, notified)
        self.assertIn(self.staff.partner_id, notified)
        self.assertIn(
            parent_coordinator.partner_id, notified, "coordinates the whole area"
        )
        self.assertNotIn(admin.partner_id, notified, "coordinates no territory")
        self.assertNotIn(self.manager.partner_id, notified, "coordinates no territory")
        self.assertNotIn(self.coordinator_other.partner_id, notified)
        self.assertNotIn(staff_other.partner_id, notified, "works for another commune")
        self.assertNotIn(self.gp.partner_id, notified, "professionals not addressed")

    def test_professional_audience_follows_territory(self):
        """An alert on the intercommunality reaches the professionals of its
        communes; an alert on a commune, those who serve the whole area too."""
        parent = self.env["coordination.territory"].create(
            {"name": "Intercommunalité Test", "kind": "intercommunality"}
        )
        self.territory.parent_id = parent
        self.territory_other.parent_id = parent
        area_professional = new_test_user(
            self.env,
            login="t.area",
            groups="coordination_microlocale.group_professional",
            name="Pro Intercommunal",
        )
        area_professional.partner_id.coordination_territory_ids = [
            Command.set(parent.ids)
        ]
        self.alert.action_publish()
        notified = self.alert.published_partner_ids
        self.assertIn(area_professional.partner_id, notified)
        self.assertNotIn(self.far_professional.partner_id, notified)
        self.assertNotIn(self.coordinator.partner_id, notified, "not a professional")
        area_alert = (
            self.env["coordination.alert"]
            .browse(self.alert.id)
            .copy({"territory_ids": [Command.set(parent.ids)], "state": "draft"})
        )
        area_alert.action_publish()
        self.assertIn(
            self.far_professional.partner_id, area_alert.published_partner_ids
        )

    def test_acknowledge_and_close(self):
        with self.assertRaises(AccessError, msg="a draft is not even visible"):
            self.alert.with_user(self.gp).action_acknowledge()
        with self.assertRaisesRegex(UserError, "published"):
            self.alert.action_acknowledge()
        self.alert.action_publish()
        self.alert.with_user(self.gp).action_acknowledge()
        self.assertIn(self.gp, self.alert.acknowledged_user_ids)
        self.assertTrue(self.alert.with_user(self.gp).is_acknowledged)
        self.assertFalse(self.alert.with_user(self.nurse).is_acknowledged)
        self.assertEqual(self.alert.acknowledged_count, 1)
        with self.assertRaisesRegex(UserError, "not addressed"):
            self.alert.with_user(self.far_professional).action_acknowledge()
        with self.assertRaises(AccessError):
            self.alert.with_user(self.gp).write(
                {"acknowledged_user_ids": [Command.clear()]}
            )
        self.alert.with_user(self.coordinator).action_close()
        self.assertEqual(self.alert.state, "closed")
        with self.assertRaisesRegex(UserError, "Only a published"):
            self.alert.action_close()

    def test_publication_needs_an_audience_and_valid_dates(self):
        self.alert.write(
            {"audience_professionals": False, "relay_partner_ids": [Command.clear()]}
        )
        with self.assertRaisesRegex(UserError, "who the alert is for"):
            self.alert.action_publish()
        self.assertEqual(self.alert.state, "draft")
        with self.assertRaisesRegex(ValidationError, "end before"):
            self.alert.write({"date_start": "2026-07-10", "date_end": "2026-07-01"})

    def test_access(self):
        Alert = self.env["coordination.alert"]
        # a draft is seen by the coordinators of its territory only
        self.assertFalse(Alert.with_user(self.gp).search([("id", "=", self.alert.id)]))
        self.assertFalse(
            Alert.with_user(self.staff).search([("id", "=", self.alert.id)])
        )
        self.assertFalse(
            Alert.with_user(self.coordinator_other).search([("id", "=", self.alert.id)])
        )
        self.alert.action_publish()
        self.assertTrue(Alert.with_user(self.gp).search([("id", "=", self.alert.id)]))
        self.assertFalse(
            Alert.with_user(self.staff).search([("id", "=", self.alert.id)]),
            "not addressed to municipal staff",
        )
        with self.assertRaises(AccessError):
            self.alert.with_user(self.gp).write({"severity": "info"})
        with self.assertRaises(AccessError):
            self.alert.with_user(self.coordinator_other).write({"severity": "info"})
        with self.assertRaises(AccessError):
            Alert.with_user(self.gp).create(
                {"title": "x", "alert_type": "psychosocial", "message": "x",
                 "territory_ids": [Command.set(self.territory.ids)]}
            )  # fmt: skip

    @freeze_time("2026-08-20")
    def test_expired_alerts_are_closed(self):
        self.alert.write({"date_start": "2026-08-01", "date_end": "2026-08-15"})
        self.alert.action_publish()
        self.env["coordination.alert"]._cron_close_expired()
        self.assertEqual(self.alert.state, "closed")
