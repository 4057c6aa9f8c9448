# Message bodies here are test data, not text for users; pylint_odoo exempts only the
# files directly under tests/ from translation-required.
# pylint: disable=translation-required
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..common import CoordinationCase

INDIVIDUAL_MODELS = (
    "coordination.request",
    "coordination.individual.project",
    "coordination.circle.member",
    "coordination.project.need",
    "coordination.project.goal",
    "coordination.project.action",
)


@tagged("post_install", "-at_install")
class TestAccess(CoordinationCase):
    """Every way to reach an individual record, as each role of the access policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sfdb_records = {
            "coordination.request": cls.request,
            "coordination.individual.project": cls.project,
            "coordination.circle.member": cls.gp_member,
            "coordination.project.need": cls.project.need_ids[:1],
            "coordination.project.goal": cls.project.goal_ids[:1],
            "coordination.project.action": cls.gp_action,
        }
        cls.other_records = {
            "coordination.request": cls.request_other,
            "coordination.individual.project": cls.project_other,
            "coordination.circle.member": cls.project_other.circle_member_ids[:1],
        }

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _search_ids(self, user, model, domain):
        try:
            return set(self.env[model].with_user(user).search(domain).ids)
        except AccessError:
            return set()

    def assertHidden(self, user, record):
        """No path gives ``user`` anything of ``record``."""
        model = record._name
        Model = self.env[model].with_user(user)
        label = f"{user.login} / {model}"
        self.assertFalse(self._search_ids(user, model, [("id", "=", record.id)]), label)
        with self.assertRaises(AccessError, msg=label), mute_logger("odoo.models"):
            record.with_user(user).read(["display_name"])
        with self.assertRaises(AccessError, msg=label):
            record.with_user(user).export_data(["id", "display_name"])
        if Model.has_access("read"):
            if record.display_name:
                names = [name for _id, name in Model.name_search(record.display_name)]
                self.assertNotIn(record.display_name, names, label)
            groups = Model.formatted_read_group(
                [("id", "=", record.id)], [], ["__count"]
            )
            self.assertEqual(sum(group["__count"] for group in groups), 0, label)
            web = Model.web_search_read([("id", "=", record.id)], {"display_name": {}})
            self.assertEqual(web["length"], 0, label)
        else:
            with self.assertRaises(AccessError, msg=label):
                Model.name_search(record.display_name or "x")
        with self.assertRaises(AccessError, msg=label):
            record.with_user(user).check_access("write")
        with self.assertRaises(AccessError, msg=label):
            record.with_user(user).check_access("unlink")
        # chatter and attachments of the record
        for attached_model, domain in (
            ("mail.message", [("model", "=", model), ("res_id", "=", record.id)]),
            ("ir.attachment", [("res_model", "=", model), ("res_id", "=", record.id)]),
        ):
            self.assertFalse(self._search_ids(user, attached_model, domain), label)

    def assertVisible(self, user, record):
        model = record._name
        label = f"{user.login} / {model}"
        self.assertEqual(
            self._search_ids(user, model, [("id", "=", record.id)]), {record.id}, label
        )
        record.with_user(user).read(["display_name"])
        exported = record.with_user(user).export_data(["id", "display_name"])
        self.assertEqual(len(exported["datas"]), 1, label)
        term = (
            record.partner_id.name
            if model == "coordination.circle.member"
            else record.display_name
        )
        found_ids = [
            rec_id
            for rec_id, _name in self.env[model].with_user(user).name_search(term)
        ]
        self.assertIn(record.id, found_ids, label)
        groups = (
            self.env[model]
            .with_user(user)
            .formatted_read_group([("id", "=", record.id)], [], ["__count"])
        )
        self.assertEqual(groups[0]["__count"], 1, label)

    # ------------------------------------------------------------------
    # role by role
    # ------------------------------------------------------------------
    def test_coordinator_sees_own_territory_only(self):
        for record in self.sfdb_records.values():
            self.assertVisible(self.coordinator, record)
        for record in self.other_records.values():
            self.assertHidden(self.coordinator, record)
        for record in self.other_records.values():
            self.assertVisible(self.coordinator_other, record)
        for record in self.sfdb_records.values():
            self.assertHidden(self.coordinator_other, record)

    def test_coordinator_cannot_move_a_file_to_another_territory(self):
        with self.assertRaises(AccessError):
            self.project.with_user(self.coordinator).write(
                {"territory_id": self.territory_other.id}
            )
        with self.assertRaises(AccessError):
            self.env["coordination.request"].with_user(self.coordinator).create(
                {"territory_id": self.territory_other.id, "description": "x"}
            )

    def test_professional_in_circle_with_consent(self):
        for model, record in self.sfdb_records.items():
            if model == "coordination.request":
                self.assertHidden(self.gp, record)
            else:
                self.assertVisible(self.gp, record)
        for record in self.other_records.values():
            self.assertHidden(self.gp, record)
        project = self.project.with_user(self.gp)
        with self.assertRaises(AccessError):
            project.write({"review_date": "2030-01-01"})
        with self.assertRaises(AccessError):
            self.gp_member.with_user(self.gp).write({"role": "carer"})
        # notes on the project, and the project's messages and attachments
        project.message_post(body="Vu ce jour", message_type="comment")
        messages = (
            self.env["mail.message"]
            .with_user(self.gp)
            .search([("model", "=", project._name), ("res_id", "=", project.id)])
        )
        self.assertIn(self.project_message, messages)
        self.assertTrue(
            self.env["ir.attachment"]
            .with_user(self.gp)
            .search([("res_model", "=", project._name), ("res_id", "=", project.id)])
        )

    def test_professional_outside_the_circle_sees_nothing(self):
        for record in list(self.sfdb_records.values()) + list(
            self.other_records.values()
        ):
            self.assertHidden(self.nurse, record)
        self.assertHidden(self.nurse, self.project_attachment)
        self.assertHidden(self.nurse, self.project_message)

    def test_municipal_staff_sees_nothing_individual(self):
        for model in INDIVIDUAL_MODELS:
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.staff).search([])
        for record in list(self.sfdb_records.values()) + list(
            self.other_records.values()
        ):
            self.assertHidden(self.staff, record)
        self.assertHidden(self.staff, self.project_message)
        self.assertHidden(self.staff, self.project_attachment)
        self.assertHidden(self.staff, self.request_attachment)
        # the directory and the territories remain readable
        self.assertTrue(
            self.env["res.partner"]
            .with_user(self.staff)
            .search([("id", "=", self.hospital.id)])
        )
        self.assertTrue(
            self.territory.with_user(self.staff).read(["name", "population"])
        )

    def test_manager_without_territory_sees_nothing_individual(self):
        for record in list(self.sfdb_records.values()) + list(
            self.other_records.values()
        ):
            self.assertHidden(self.manager, record)
        # configuration is theirs
        territory = (
            self.env["coordination.territory"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Nouvelle commune",
                    "coordinator_ids": [Command.set(self.coordinator.ids)],
                }
            )
        )
        self.assertIn(territory, self.coordinator.coordination_territory_ids)
        self.env["coordination.structure.type"].with_user(self.manager).create(
            {"name": "Maison France services", "code": "MFS"}
        )
        with self.assertRaises(AccessError):
            self.env["coordination.structure.type"].with_user(self.coordinator).create(
                {"name": "Autre", "code": "AUT"}
            )
        with self.assertRaises(AccessError):
            self.territory.with_user(self.coordinator).write({"population": 1})

    def test_manager_coordinating_a_territory_sees_that_territory(self):
        self.territory.coordinator_ids = [Command.link(self.manager.id)]
        for record in self.sfdb_records.values():
            self.assertVisible(self.manager, record)
        for record in self.other_records.values():
            self.assertHidden(self.manager, record)

    def test_consent_withdrawal_removes_access_at_once(self):
        self.assertVisible(self.gp, self.project)
        self.project._set_consent("withdrawn")
        for record in self.sfdb_records.values():
            self.assertHidden(self.gp, record)
        self.assertHidden(self.gp, self.project_message)
        self.assertHidden(self.gp, self.project_attachment)
        self.assertEqual(
            self.gp.partner_id.with_user(self.gp).coordination_project_count, 0
        )

    def test_leaving_the_circle_removes_access_at_once(self):
        self.gp_member.action_leave()
        for record in self.sfdb_records.values():
            self.assertHidden(self.gp, record)

    def test_stacked_groups_give_only_the_union(self):
        both = new_test_user(
            self.env,
            login="t.both",
            groups="coordination_microlocale.group_professional,"
            "coordination_microlocale.group_municipal_staff,base.group_allow_export",
        )
        for record in list(self.sfdb_records.values()) + list(
            self.other_records.values()
        ):
            self.assertHidden(both, record)
        self.env["coordination.circle.member"].create(
            {"project_id": self.project.id, "partner_id": both.partner_id.id}
        )
        self.assertVisible(both, self.project)
        self.assertHidden(both, self.project_other)
        self.assertHidden(both, self.request)
        # a coordinator who is also a professional of another territory's circle
        self.project_other._set_consent("given", means="oral")
        self.env["coordination.circle.member"].create(
            {
                "project_id": self.project_other.id,
                "partner_id": self.coordinator.partner_id.id,
            }
        )
        self.coordinator.group_ids = [
            Command.link(self.env.ref("coordination_microlocale.group_professional").id)
        ]
        self.assertVisible(self.coordinator, self.project_other)
        with self.assertRaises(AccessError):
            self.project_other.with_user(self.coordinator).write(
                {"review_date": "2030-01-01"}
            )
        self.assertHidden(self.coordinator, self.request_other)

    def test_resident_partner_reveals_nothing(self):
        partner_fields = self.env["res.partner"]._fields
        for user in (self.staff, self.nurse, self.manager, self.coordinator_other):
            person = self.person.with_user(user)
            readable = [
                name
                for name in person.fields_get(attributes=["type"])
                if name.startswith("coordination_")
                or name in ("display_name", "comment")
            ]
            values = person.read(readable)[0]
            self.assertNotIn(self.project.name, str(values), user.login)
            self.assertNotIn(self.request.name, str(values), user.login)
            for field_name in (
                "coordination_request_count",
                "coordination_project_count",
            ):
                if field_name in values:
                    self.assertEqual(
                        values[field_name], 0, f"{user.login} {field_name}"
                    )
            followed = self.env["res.partner"].with_user(user)
            if "coordination_followed" in followed.fields_get():
                self.assertNotIn(
                    self.person, followed.search([("coordination_followed", "=", True)])
                )
        # the fields are not even there for municipal staff
        self.assertNotIn(
            "coordination_project_count", self.person.with_user(self.staff).fields_get()
        )
        self.assertTrue(partner_fields["coordination_project_count"].groups)
        # the coordinator of the territory sees the counts and the person as accompanied
        person = self.person.with_user(self.coordinator)
        self.assertEqual(person.coordination_project_count, 1)
        self.assertEqual(person.coordination_request_count, 1)
        self.assertIn(
            self.person,
            self.env["res.partner"]
            .with_user(self.coordinator)
            .search([("coordination_followed", "=", True)]),
        )
        # and the GP of the circle sees the project, not the request
        self.assertEqual(self.person.with_user(self.gp).coordination_project_count, 1)
        self.assertEqual(self.person.with_user(self.gp).coordination_request_count, 0)

    def test_smart_button_actions_respect_rules(self):
        action = self.person.with_user(
            self.coordinator_other
        ).action_view_coordination_projects()
        visible = (
            self.env[action["res_model"]]
            .with_user(self.coordinator_other)
            .search(action["domain"])
        )
        self.assertFalse(visible)

    def test_display_names_reveal_no_person(self):
        for record in self.sfdb_records.values():
            if record._name in (
                "coordination.request",
                "coordination.individual.project",
            ):
                self.assertNotIn(self.person.name, record.display_name)
        self.assertNotIn(self.person.name, self.project_message.record_name or "")

    def test_rpc_paths_go_through_the_same_rules(self):
        """What the web client and external RPC call: web_read, read_group, export."""
        Project = self.env["coordination.individual.project"].with_user(self.nurse)
        self.assertEqual(Project.search_count([]), 0)
        self.assertEqual(
            Project.web_search_read(
                [], {"person_id": {"fields": {"display_name": {}}}}
            )["length"],
            0,
        )
        with self.assertRaises(AccessError):
            self.project.with_user(self.nurse).web_read({"problematique": {}})
        groups = (
            self.env["coordination.project.need"]
            .with_user(self.nurse)
            .formatted_read_group([], ["determinant_id"], ["__count"])
        )
        self.assertFalse(groups)

    def test_unlink_rights(self):
        with self.assertRaises(AccessError):
            self.project.with_user(self.coordinator).unlink()
        with self.assertRaises(AccessError):
            self.request.with_user(self.coordinator).unlink()
        self.project.with_user(self.coordinator).action_archive()
        self.assertFalse(self.project.active)

    def test_wizards_are_private(self):
        action = self.project.with_user(self.coordinator).action_record_consent()
        wizard = self.env["coordination.consent.wizard"].browse(action["res_id"])
        with self.assertRaises(AccessError):
            wizard.with_user(self.coordinator_other).read(["decision"])
        with self.assertRaises(AccessError):
            wizard.with_user(self.coordinator_other).action_confirm()
        # a dialog of one's own pointing at another territory's project changes nothing
        own = (
            self.env["coordination.consent.wizard"]
            .with_user(self.coordinator_other)
            .create({"project_id": self.project.id, "decision": "withdrawn"})
        )
        with self.assertRaises(AccessError):
            own.action_confirm()
        self.assertEqual(self.project.consent_state, "given")
