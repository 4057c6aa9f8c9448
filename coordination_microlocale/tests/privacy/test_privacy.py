# Message bodies here are test data, not text for users; pylint_odoo exempts only the
# files directly under tests/ from translation-required.
# pylint: disable=translation-required
import base64
import json

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestRightOfAccess(CoordinationCase):
    def _export(self, user, partner):
        action = partner.with_user(user).action_coordination_personal_data()
        wizard = self.env[action["res_model"]].with_user(user).browse(action["res_id"])
        wizard.action_export()
        return wizard, json.loads(base64.b64decode(wizard.json_file))

    def test_export_contains_everything_about_the_person(self):
        self.project.with_user(self.gp).read(["problematique"])
        wizard, data = self._export(self.coordinator, self.person)
        self.assertEqual(data["person"]["name"], self.person.name)
        self.assertEqual(
            [r["reference"] for r in data["requests"]], [self.request.name]
        )
        self.assertEqual(
            [p["reference"] for p in data["projects"]], [self.project.name]
        )
        project = data["projects"][0]
        self.assertIn("Isolement", project["problematique"])
        self.assertIn("Revoir le traitement", [a["action"] for a in project["actions"]])
        self.assertIn(self.gp.partner_id.name, [m["member"] for m in project["circle"]])
        self.assertEqual(project["consent_history"][0]["means"].lower()[:2], "wr")
        self.assertIn(self.gp.name, [t["user"] for t in data["access_trail"]])
        self.assertTrue(wizard.pdf_file)
        self.assertIn(self.person.name.encode(), base64.b64decode(wizard.pdf_file))
        # traced as an export of the files
        self.assertTrue(
            self.env["coordination.access.log"].search(
                [("res_id", "=", self.project.id), ("operation", "=", "export")]
            )
        )

    def test_export_contains_nothing_of_other_people(self):
        _wizard, data = self._export(self.coordinator, self.person)
        dump = json.dumps(data, ensure_ascii=False)
        self.assertNotIn(self.person_other.name, dump)
        self.assertNotIn(self.project_other.name, dump)
        self.assertNotIn(self.request_other.name, dump)

    def test_export_respects_territories(self):
        wizard, data = self._export(self.coordinator_other, self.person)
        self.assertFalse(data["projects"])
        self.assertFalse(data["requests"])
        # Nothing tells that the person has files elsewhere: the export of a contact
        # with no file at all looks the same.
        nobody = self.env["res.partner"].create({"name": self.person.name})
        wizard_nobody, data_nobody = self._export(self.coordinator_other, nobody)
        for key in ("person", "exported_on", "exported_by"):
            data.pop(key, None)
            data_nobody.pop(key, None)
        self.assertEqual(data, data_nobody)
        self.assertEqual(
            wizard.read(["json_filename", "pdf_filename"])[0].keys(),
            wizard_nobody.read(["json_filename", "pdf_filename"])[0].keys(),
        )
        self.assertNotIn("hidden_file_count", wizard._fields)

    def test_only_coordinators_export(self):
        for user in (self.gp, self.staff, self.nurse):
            with self.assertRaises(AccessError, msg=user.login):
                self.person.with_user(user).action_coordination_personal_data()


@tagged("post_install", "-at_install")
class TestNeutralNotifications(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gp.partner_id.email = "gp@example.fr"
        for record in (cls.project, cls.request):
            record.message_subscribe(partner_ids=cls.gp.partner_id.ids)

    def _last_mail_to_gp(self):
        return (
            self.env["mail.mail"]
            .sudo()
            .search(
                [("recipient_ids", "in", self.gp.partner_id.ids)],
                order="id desc",
                limit=1,
            )
        )

    def test_emails_carry_no_health_content(self):
        self.project.with_user(self.coordinator).message_post(
            body="Chute à domicile, hospitalisation en psychiatrie",
            subject="Mme Résidente : aggravation",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        mail = self._last_mail_to_gp()
        self.assertTrue(mail, "the GP is notified")
        for secret in ("Chute", "psychiatrie", "Résidente", "aggravation"):
            self.assertNotIn(secret, mail.body_html)
            self.assertNotIn(secret, mail.subject)
        self.assertIn(self.project.name, mail.subject)
        self.assertIn(self.project.name, mail.body_html)

    def test_emails_carry_no_attachment(self):
        attachment = self.env["ir.attachment"].create(
            {
                "name": "bilan.pdf",
                "raw": b"bilan psychiatrique",
                "mimetype": "application/pdf",
            }
        )
        self.project.message_post(
            body="Voir pièce jointe",
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        mail = self._last_mail_to_gp()
        self.assertTrue(mail.attachment_ids, "the message keeps its attachment in Odoo")
        for email in mail._prepare_outgoing_list():
            self.assertEqual(email["attachments"], [])

    def test_follow_up_on_requests_too(self):
        self.request.message_post(
            body="Dépression sévère",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        mail = self._last_mail_to_gp()
        self.assertNotIn("Dépression", mail.body_html)


@tagged("post_install", "-at_install")
class TestHardening(CoordinationCase):
    """Every way to reach individual data, as each role: the attack suite."""

    INDIVIDUAL = (
        "coordination.request",
        "coordination.individual.project",
        "coordination.circle.member",
        "coordination.project.need",
        "coordination.project.goal",
        "coordination.project.action",
        "coordination.consent",
        "coordination.hospital.stay",
        "coordination.access.log",
    )

    def test_attack_suite(self):
        """Nobody outside a project reaches anything of it, by any path."""
        stay = self.env["coordination.hospital.stay"].create(
            {"project_id": self.project.id, "hospital_id": self.hospital.id}
        )
        self.project.with_user(self.coordinator).read(["problematique"])
        records = {
            "coordination.request": self.request,
            "coordination.individual.project": self.project,
            "coordination.circle.member": self.gp_member,
            "coordination.project.need": self.project.need_ids,
            "coordination.project.goal": self.project.goal_ids,
            "coordination.project.action": self.gp_action,
            "coordination.consent": self.project.consent_ids,
            "coordination.hospital.stay": stay,
            "coordination.access.log": self.env["coordination.access.log"].search(
                [("res_id", "=", self.project.id)]
            ),
        }
        outsiders = (self.nurse, self.staff, self.manager, self.coordinator_other)
        for user in outsiders:
            for model, record in records.items():
                label = f"{user.login} {model}"
                Model = self.env[model].with_user(user)
                try:
                    found = Model.search([("id", "in", record.ids)])
                except AccessError:
                    found = Model.browse()
                self.assertFalse(found, label)
                if Model.has_access("read"):
                    groups = Model.formatted_read_group(
                        [("id", "in", record.ids)], [], ["__count"]
                    )
                    self.assertEqual(sum(g["__count"] for g in groups), 0, label)
                with self.assertRaises(AccessError, msg=label):
                    record.with_user(user).read(["display_name"])
                with self.assertRaises(AccessError, msg=label):
                    record.with_user(user).export_data(["id", "display_name"])
                with self.assertRaises(AccessError, msg=label):
                    record.with_user(user).check_access("write")
            # the person's contact says nothing either
            values = self.person.with_user(user).read(["display_name"])[0]
            self.assertEqual(values["display_name"], self.person.display_name)
            person = self.person.with_user(user)
            if "coordination_project_count" in person.fields_get():
                self.assertEqual(person.coordination_project_count, 0, user.login)
                self.assertEqual(person.coordination_request_count, 0, user.login)

    def test_partner_fields_computed_for_the_reader(self):
        """No field of res.partner is computed as superuser about individual files."""
        partner_fields = self.env["res.partner"]._fields
        for name, field in partner_fields.items():
            if name.startswith("coordination_") and field.compute:
                self.assertFalse(field.compute_sudo, name)
                self.assertTrue(field.groups, f"{name} must be limited to groups")

    def test_name_search_and_m2o_display_reveal_no_person(self):
        Action = self.env["coordination.project.action"].with_user(self.gp)
        result = Action.web_read.__self__.browse(self.gp_action.id).web_read(
            {"project_id": {"fields": {"display_name": {}}}}
        )
        self.assertNotIn(self.person.name, json.dumps(result, ensure_ascii=False))
        for user in (self.coordinator, self.gp):
            names = (
                self.env["coordination.individual.project"]
                .with_user(user)
                .name_search("")
            )
            self.assertNotIn(self.person.name, json.dumps(names, ensure_ascii=False))

    def test_group_stacking_manager_and_staff(self):
        self.manager.group_ids = [
            Command.link(self.env.ref("coordination_microlocale.group_professional").id)
        ]
        self.assertFalse(
            self.env["coordination.individual.project"]
            .with_user(self.manager)
            .search([])
        )
