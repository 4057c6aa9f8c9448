"""Portal accounts (issue 10): professionals outside the municipality and the person.

A portal professional has exactly the rights of an internal professional on the
individual files (the same rules, checked line by line here, and the same attacks in
tests/privacy); the person reads their own project in plain words and nothing else.
"""

import csv
import logging

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import file_open

from ..common import CoordinationCase

_logger = logging.getLogger(__name__)

MODULE = "coordination_microlocale"


class PortalCase(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = f"{MODULE}.group_"
        cls.portal_gp = new_test_user(
            cls.env,
            login="t.portal.gp",
            groups=group + "portal_professional",
            name="Dr Portail",
            notification_type="email",
        )
        cls.portal_nurse = new_test_user(
            cls.env,
            login="t.portal.nurse",
            groups=group + "portal_professional",
            name="IDE Portail",
            notification_type="email",
        )
        for user in cls.portal_gp | cls.portal_nurse:
            user.partner_id.coordination_role = "professional"
        cls.portal_gp_member = cls.env["coordination.circle.member"].create(
            {
                "project_id": cls.project.id,
                "partner_id": cls.portal_gp.partner_id.id,
                "role": "professional",
            }
        )
        cls.portal_gp_action = cls.env["coordination.project.action"].create(
            {
                "project_id": cls.project.id,
                "name": "Passer voir Mme au cabinet",
                "responsible_partner_id": cls.portal_gp.partner_id.id,
            }
        )
        cls.person.email = "jeanne.residente@example.com"
        cls.person_user = new_test_user(
            cls.env,
            login="t.person",
            groups=group + "portal_person",
            partner_id=cls.person.id,
            name=cls.person.name,
            notification_type="email",
        )
        cls.other_person_user = new_test_user(
            cls.env,
            login="t.person.b",
            groups=group + "portal_person",
            partner_id=cls.person_other.id,
            name=cls.person_other.name,
            notification_type="email",
        )
        cls.session = (
            cls.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": "Concertation Jeanne Résidente",
                    "start": "2030-03-04 09:00:00",
                    "stop": "2030-03-04 10:00:00",
                    "coordination_project_id": cls.project.id,
                    "coordination_session_type_id": cls.env.ref(
                        f"{MODULE}.session_type_concertation"
                    ).id,
                    "coordination_minutes": "<p>Compte rendu secret</p>",
                    "partner_ids": [
                        Command.set(
                            (
                                cls.person
                                | cls.portal_gp.partner_id
                                | cls.coordinator.partner_id
                            ).ids
                        )
                    ],
                }
            )
        )


@tagged("post_install", "-at_install")
class TestPortalAccess(PortalCase):
    # -- the same rights as internal professionals -------------------------------
    # Back-office screens only: a portal account has its own home (/my), not the
    # counters of My day (coordination.home.tile).
    BACK_OFFICE_ONLY = ("model_coordination_home_tile",)

    def test_every_professional_rule_names_portal_professionals(self):
        rules = self.env["ir.rule"].search(
            [("model_id.model", "not in", ("coordination.home.tile",))]
        )
        internal = self.env.ref(f"{MODULE}.group_professional")
        portal = self.env.ref(f"{MODULE}.group_portal_professional")
        checked = 0
        for rule in rules.filtered(lambda r: internal in r.groups):
            with self.subTest(rule=rule.name):
                self.assertIn(portal, rule.groups)
                checked += 1
        self.assertGreaterEqual(checked, 10)

    def test_every_professional_access_line_has_its_portal_twin(self):
        with file_open(f"{MODULE}/security/ir.model.access.csv") as handle:
            rows = list(csv.DictReader(handle))
        perms = ("perm_read", "perm_write", "perm_create", "perm_unlink")
        portal = {
            row["model_id:id"]: tuple(row[p] for p in perms)
            for row in rows
            if row["group_id:id"] == "group_portal_professional"
        }
        internal = [
            row
            for row in rows
            if row["group_id:id"] == "group_professional"
            and row["model_id:id"] not in self.BACK_OFFICE_ONLY
        ]
        self.assertTrue(internal)
        for row in internal:
            with self.subTest(model=row["model_id:id"]):
                self.assertEqual(
                    portal.get(row["model_id:id"]), tuple(row[p] for p in perms)
                )

    def test_portal_professional_sees_what_an_internal_one_sees(self):
        self.assertTrue(self.portal_gp.share)
        models = (
            "coordination.individual.project",
            "coordination.circle.member",
            "coordination.project.goal",
            "coordination.project.need",
            "coordination.project.action",
            "coordination.consent",
            "coordination.request",
            "calendar.event",
        )
        for model in models:
            with self.subTest(model=model):
                internal = self.env[model].with_user(self.gp).search([])
                portal = self.env[model].with_user(self.portal_gp).search([])
                if model == "calendar.event":
                    # Odoo's calendar shows a portal user the events they attend
                    self.assertIn(self.session, portal)
                    continue
                self.assertEqual(portal, internal, model)
        Project = self.env["coordination.individual.project"]
        self.assertEqual(Project.with_user(self.portal_gp).search([]), self.project)
        self.assertFalse(Project.with_user(self.portal_nurse).search([]))
        with self.assertRaises(AccessError):
            self.project_other.with_user(self.portal_gp).read(["person_id"])
        with self.assertRaises(AccessError):
            self.project.with_user(self.portal_nurse).read(["problematique"])

    def test_leaving_the_circle_removes_access_at_once(self):
        Project = self.env["coordination.individual.project"].with_user(self.portal_gp)
        self.assertTrue(Project.search([("id", "=", self.project.id)]))
        self.portal_gp_member.write({"is_active": False})
        self.assertFalse(Project.search([("id", "=", self.project.id)]))
        with self.assertRaises(AccessError):
            self.session.with_user(self.portal_gp).read(["name"])

    def test_portal_professional_writes_only_their_actions(self):
        self.portal_gp_action.with_user(self.portal_gp).action_portal_done(
            "Vue au cabinet, va mieux."
        )
        self.assertEqual(self.portal_gp_action.state, "done")
        self.assertIn("Vue au cabinet", self.portal_gp_action.note)
        with self.assertRaises(AccessError):
            self.gp_action.with_user(self.portal_gp).action_portal_done("pwned")
        with self.assertRaises(UserError):
            self.portal_gp_action.with_user(self.portal_gp).write({"name": "pwned"})
        with self.assertRaises(AccessError):
            self.project.with_user(self.portal_gp).write({"problematique": "x"})

    def test_notes_of_the_circle(self):
        # a note posted by the portal GP: read by the internal GP and the coordinator
        note = self.project.with_user(self.portal_gp).action_portal_post_note(
            "Note du médecin libéral"
        )
        self.assertTrue(note.sudo().subtype_id.internal)
        text = "Note du médecin salarié"
        internal_note = self.project.with_user(self.gp).message_post(
            body=text,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        Message = self.env["mail.message"]
        thread = [("model", "=", self.project._name), ("res_id", "=", self.project.id)]
        for user in (self.gp, self.coordinator, self.portal_gp):
            with self.subTest(user=user.login):
                found = Message.with_user(user).search(thread)
                self.assertIn(note, found)
                self.assertIn(internal_note, found)
                internal_note.with_user(user).read(["body"])
        # the person, a portal professional outside the circle: nothing
        for user in (self.person_user, self.portal_nurse):
            with self.subTest(user=user.login):
                found = Message.with_user(user).search(thread)
                self.assertFalse(found & (note | internal_note))
                with self.assertRaises(AccessError):
                    internal_note.with_user(user).read(["body"])
        with self.assertRaises(AccessError):
            self.project.with_user(self.portal_nurse).action_portal_post_note("x")
        with self.assertRaises(AccessError):
            self.project.with_user(self.person_user).action_portal_post_note("x")
        # notes of other documents stay hidden from portal users, as in plain Odoo
        other = self.env["res.partner"].create({"name": "Fiche quelconque"})
        text = "Interne"
        other_note = other.message_post(body=text, subtype_xmlid="mail.mt_note")
        self.assertFalse(
            Message.with_user(self.portal_gp).search([("id", "=", other_note.id)])
        )

    def test_contacts_and_menus_reached(self):
        Partner = self.env["res.partner"]
        internal = Partner.with_user(self.gp).search_count([])
        portal = Partner.with_user(self.portal_gp).search([])
        self.assertLess(len(portal), internal)
        self.assertIn(self.person, portal, "the person of a shared project")
        self.assertIn(self.hospital, portal, "the directory")
        self.assertNotIn(self.person_other, portal, "a resident of another file")
        self.assertNotIn(self.person, Partner.with_user(self.portal_nurse).search([]))
        self.assertFalse(
            self.env["ir.ui.menu"].with_user(self.portal_gp).has_access("read")
        )
        menus = len(self.env["ir.ui.menu"].with_user(self.gp)._visible_menu_ids())
        _logger.info(
            "contacts reached: internal professional %s, portal professional %s "
            "(of %s); menus: internal %s, portal none (no access to menus)",
            internal,
            len(portal),
            Partner.search_count([]),
            menus,
        )

    def test_two_factors_required_for_portal_professionals(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param(f"{MODULE}.mfa_required", "True")
        self.assertEqual(self.portal_gp._mfa_type(), "totp_mail")
        self.assertIsNone(self.person_user._mfa_type())
        ICP.set_param(f"{MODULE}.mfa_required", "False")
        self.assertIsNone(self.portal_gp._mfa_type())

    def test_alerts_reach_portal_professionals(self):
        alert = self.env["coordination.alert"].create(
            {
                "title": "Canicule",
                "alert_type": "environmental",
                "message": "<p>Vigilance</p>",
                "territory_ids": [Command.set(self.territory.ids)],
                "audience_professionals": True,
            }
        )
        alert.with_user(self.coordinator).action_publish()
        self.assertIn(self.portal_gp.partner_id, alert.published_partner_ids)
        alert.with_user(self.portal_gp).action_acknowledge()
        self.assertIn(self.portal_gp, alert.acknowledged_user_ids)
        self.assertFalse(
            self.env["coordination.alert"]
            .with_user(self.person_user)
            .has_access("read")
        )

    # -- the person -------------------------------------------------------------
    def test_person_reads_their_own_project_in_plain_words(self):
        Project = self.env["coordination.individual.project"]
        self.assertEqual(Project.with_user(self.person_user).search([]), self.project)
        self.assertEqual(
            Project.with_user(self.other_person_user).search([]), self.project_other
        )
        project = self.project.with_user(self.person_user)
        self.assertTrue(project.goal_ids.mapped("name"))
        self.assertTrue(project.action_ids.responsible_partner_id.mapped("name"))
        self.assertTrue(project.circle_member_ids.partner_id.mapped("name"))
        self.assertEqual(project.consent_ids.mapped("state"), ["given"])
        sessions = self.env["calendar.event"].with_user(self.person_user).search([])
        self.assertIn(self.session, sessions)
        for model in (
            "coordination.project.need",
            "coordination.hospital.stay",
            "coordination.request",
            "coordination.access.log",
        ):
            with self.subTest(model=model):
                self.assertFalse(
                    self.env[model].with_user(self.person_user).has_access("read")
                )
        with self.assertRaises(AccessError):
            self.session.with_user(self.person_user).read(["coordination_minutes"])
        with self.assertRaises(AccessError):
            self.project.with_user(self.person_user).write({"state": "closed"})
        with self.assertRaises(AccessError):
            self.project.with_user(self.other_person_user).read(["person_id"])
        with self.assertRaises(AccessError):
            self.session.with_user(self.other_person_user).read(["name"])

    def test_person_withdraws_consent_at_once(self):
        Project = self.env["coordination.individual.project"]
        for user in (self.gp, self.portal_gp):
            self.assertTrue(
                Project.with_user(user).search([("id", "=", self.project.id)])
            )
        self.project.with_user(self.person_user).action_portal_withdraw_consent(
            "Je préfère en parler d'abord avec ma fille."
        )
        self.assertEqual(self.project.consent_state, "withdrawn")
        self.assertEqual(
            self.project.current_consent_id.recorded_by_id, self.person_user
        )
        for user in (self.gp, self.portal_gp):
            with self.subTest(user=user.login):
                self.assertFalse(
                    Project.with_user(user).search([("id", "=", self.project.id)])
                )
                with self.assertRaises(AccessError):
                    self.session.with_user(user).read(["name"])
        # the coordinator is told (inbox) and has a to-do
        message = self.project.message_ids.filtered(
            lambda m: "withdrew their consent" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.person)
        self.assertIn(self.coordinator.partner_id, message.partner_ids)
        self.assertIn(
            self.coordinator,
            self.project.activity_ids.user_id,
        )
        # only once, and only by the person
        with self.assertRaises(UserError):
            self.project.with_user(self.person_user).action_portal_withdraw_consent()

    def test_only_the_person_withdraws_from_the_portal(self):
        for user in (self.portal_gp, self.gp, self.other_person_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.project.with_user(user).action_portal_withdraw_consent()
        self.assertEqual(self.project.consent_state, "given")

    def test_invitation_gives_the_right_space(self):
        Partner = self.env["res.partner"]
        pro = Partner.create(
            {
                "name": "Kiné Libéral",
                "email": "kine@example.com",
                "coordination_role": "professional",
            }
        )
        mine = Partner.create({"name": "Résident A", "email": "ra@example.com"})
        elsewhere = Partner.create({"name": "Résident B", "email": "rb@example.com"})
        Project = self.env["coordination.individual.project"]
        Project.create(
            {
                "person_id": mine.id,
                "territory_id": self.territory.id,
                "coordinator_id": self.coordinator.id,
            }
        )
        Project.create(
            {
                "person_id": elsewhere.id,
                "territory_id": self.territory_other.id,
                "coordinator_id": self.coordinator_other.id,
            }
        )
        Wizard = self.env["portal.wizard"].with_user(self.coordinator)
        for partner, group in (
            (pro, "portal_professional"),
            (mine, "portal_person"),
            (elsewhere, None),
        ):
            wizard = Wizard.create({"partner_ids": [Command.set(partner.ids)]})
            wizard.user_ids.action_grant_access()
            user = wizard.user_ids.user_id
            with self.subTest(partner=partner.name):
                self.assertTrue(user.share)
                if group:
                    self.assertTrue(user.has_group(f"{MODULE}.group_{group}"))
                else:
                    self.assertFalse(user._coordination_is_portal_person())
                    self.assertFalse(user._coordination_is_professional())
            wizard.user_ids.action_revoke_access()
            self.assertFalse(
                user.with_context(active_test=False)._coordination_is_professional()
            )
