# Message bodies here are test data, not text for users; pylint_odoo exempts only the
# files directly under tests/ from translation-required.
# pylint: disable=translation-required
"""The access policy on the paths Odoo's core models open around our records.

Each test here reproduces a leak or a breakage seen on the first version (issue
"Individual data closed on every Odoo path"): it failed then and must never pass
again if the policy stops being enforced by the record rules.
"""

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestAccessPolicy(CoordinationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env, login="t.employee", groups="base.group_user", name="Employé"
        )
        cls.colleague = new_test_user(
            cls.env, login="t.colleague", groups="base.group_user", name="Collègue"
        )
        # portal accounts (issue 10): a professional outside the circle, and the
        # person of another project
        cls.portal_nurse = new_test_user(
            cls.env,
            login="t.portal.out",
            groups="coordination_microlocale.group_portal_professional",
            name="IDE libérale",
            notification_type="email",
        )
        cls.portal_neighbour = new_test_user(
            cls.env,
            login="t.portal.neighbour",
            groups="coordination_microlocale.group_portal_person",
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
                        "coordination_microlocale.session_type_concertation"
                    ).id,
                    "coordination_minutes": "<p>Compte rendu secret</p>",
                    "partner_ids": [
                        Command.set(
                            [
                                cls.person.id,
                                cls.gp.partner_id.id,
                                cls.coordinator.partner_id.id,
                            ]
                        )
                    ],
                }
            )
        )
        cls.private_event = (
            cls.env["calendar.event"]
            .with_user(cls.colleague)
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": "Rendez-vous personnel",
                    "start": "2030-03-05 09:00:00",
                    "stop": "2030-03-05 10:00:00",
                    "privacy": "private",
                    "partner_ids": [Command.set([cls.colleague.partner_id.id])],
                }
            )
        )

    def _outsiders(self):
        return (
            self.coordinator_other,
            self.nurse,
            self.staff,
            self.manager,
            self.employee,
            self.portal_nurse,
            self.portal_neighbour,
        )

    # 1. Chatter and followers ----------------------------------------------------
    def test_outsiders_cannot_follow_or_post_on_a_session(self):
        for user in self._outsiders():
            session = self.session.with_user(user)
            with self.subTest(user=user.login):
                self.assertFalse(
                    session.message_subscribe(partner_ids=user.partner_id.ids)
                )
                with self.assertRaises(AccessError):
                    session.message_post(body="Je suis là", message_type="comment")
        self.assertFalse(
            self.session.message_partner_ids
            & (self.staff | self.employee | self.nurse).partner_id
        )

    def test_outsiders_get_no_suggested_recipients(self):
        for user in self._outsiders():
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.session.with_user(user)._message_get_suggested_recipients()

    def test_followers_of_files_hidden(self):
        self.project.message_subscribe(partner_ids=self.coordinator.partner_id.ids)
        self.request.message_subscribe(partner_ids=self.coordinator.partner_id.ids)
        self.session.message_subscribe(partner_ids=self.coordinator.partner_id.ids)
        files = {
            "coordination.individual.project": self.project.id,
            "coordination.request": self.request.id,
            "calendar.event": self.session.id,
        }
        for user in self._outsiders():
            Followers = self.env["mail.followers"].with_user(user)
            if user.share:
                # Odoo gives portal users no access to followers at all
                self.assertFalse(Followers.has_access("read"), user.login)
                continue
            for model, res_id in files.items():
                with self.subTest(user=user.login, model=model):
                    self.assertFalse(
                        Followers.search(
                            [("res_model", "=", model), ("res_id", "=", res_id)]
                        )
                    )
        # those who may read the file still see its followers
        Followers = self.env["mail.followers"].with_user(self.coordinator)
        for model, res_id in files.items():
            self.assertTrue(
                Followers.search([("res_model", "=", model), ("res_id", "=", res_id)])
            )
        # followers of other documents stay as Odoo has them
        self.assertTrue(
            self.env["mail.followers"]
            .with_user(self.employee)
            .search(
                [
                    ("res_model", "=", "calendar.event"),
                    ("res_id", "=", self.private_event.id),
                ]
            )
        )

    # 2. Contacts' meetings -------------------------------------------------------
    def test_contacts_meetings_hide_sessions_about_a_person(self):
        for user in self._outsiders():
            self.env.invalidate_all()
            person = self.person.with_user(user)
            with self.subTest(user=user.login):
                if user.share:
                    # a portal user reads no contact outside their circles
                    with self.assertRaises(AccessError):
                        person.read(["meeting_ids"])
                else:
                    self.assertFalse(person.meeting_ids)
                    self.assertEqual(person.meeting_count, 0)
                self.assertFalse(
                    self.env["res.partner"]
                    .with_user(user)
                    .search([("meeting_ids.coordination_is_individual", "=", True)])
                )
        self.env.invalidate_all()
        self.assertEqual(self.person.with_user(self.coordinator).meeting_count, 1)
        self.env.invalidate_all()
        self.assertEqual(self.person.with_user(self.gp).meeting_count, 1)

    def test_contacts_meetings_cannot_be_written_to_reach_a_session(self):
        attendees = self.session.partner_ids
        for user in (self.coordinator_other, self.manager):
            contact = user.partner_id.with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    contact.write({"meeting_ids": [Command.link(self.session.id)]})
                for commands in (
                    [Command.clear()],
                    [Command.set([])],
                    [Command.unlink(self.session.id)],
                ):
                    with self.assertRaises(AccessError):
                        self.person.with_user(user).write({"meeting_ids": commands})
        self.session.invalidate_recordset()
        self.assertEqual(self.session.partner_ids, attendees)

    # 3. Private fields as an oracle ----------------------------------------------
    def test_no_oracle_on_session_fields(self):
        for user in self._outsiders():
            Event = self.env["calendar.event"].with_user(user)
            with self.subTest(user=user.login):
                for domain in (
                    [("name", "ilike", "Jeanne")],
                    [("coordination_minutes", "ilike", "secret")],
                    [("partner_ids", "in", self.person.ids)],
                    [("coordination_is_individual", "=", True)],
                ):
                    if (
                        domain[0][0] == "coordination_minutes"
                        and not user.has_group("base.group_user")
                        and not user.has_group(
                            "coordination_microlocale.group_portal_professional"
                        )
                    ):
                        # the minutes are no field of a person's portal account
                        with self.assertRaises(AccessError):
                            Event.search(domain)
                        continue
                    self.assertFalse(Event.search(domain))
                ordered = Event.search([], order="name")
                self.assertNotIn(self.session, ordered)
                groups = Event.formatted_read_group(
                    [], ["coordination_project_id"], ["__count"]
                )
                self.assertFalse(
                    [g for g in groups if g["coordination_project_id"]],
                )

    # 4. Territory changes apply at once ------------------------------------------
    def test_territory_changes_apply_to_the_next_request(self):
        Project = self.env["coordination.individual.project"]
        self.assertIn(self.project, Project.with_user(self.coordinator).search([]))
        self.assertNotIn(
            self.project, Project.with_user(self.coordinator_other).search([])
        )
        # one side of the relation
        self.territory.coordinator_ids = [
            Command.unlink(self.coordinator.id),
            Command.link(self.coordinator_other.id),
        ]
        self.assertNotIn(self.project, Project.with_user(self.coordinator).search([]))
        self.assertIn(
            self.project, Project.with_user(self.coordinator_other).search([])
        )
        self.assertIn(
            self.session,
            self.env["calendar.event"].with_user(self.coordinator_other).search([]),
        )
        # the other side
        self.coordinator.coordination_territory_ids = [Command.link(self.territory.id)]
        self.coordinator_other.coordination_territory_ids = [
            Command.unlink(self.territory.id)
        ]
        self.assertIn(self.project, Project.with_user(self.coordinator).search([]))
        self.assertNotIn(
            self.project, Project.with_user(self.coordinator_other).search([])
        )

    # 5. Granting access ----------------------------------------------------------
    def test_nobody_grants_himself_a_territory(self):
        admin = self.env.ref("base.user_admin")
        for user in (self.manager, admin):
            link = {"coordinator_ids": [Command.link(user.id)]}
            own = {"coordination_territory_ids": [Command.link(self.territory.id)]}
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    self.territory.with_user(user).write(link)
                with self.assertRaises(UserError if user == admin else AccessError):
                    user.with_user(user).write(own)
                with self.assertRaises(UserError):
                    self.env["coordination.territory"].with_user(user).create(
                        {"name": "Nouvelle commune", **link}
                    )
        self.assertFalse((self.manager | admin) & self.territory.coordinator_ids)
        self.assertFalse(
            self.env["coordination.territory"].search(
                [("name", "=", "Nouvelle commune")]
            )
        )

    def test_grants_are_recorded_and_cannot_be_erased(self):
        Grant = self.env["coordination.coordinator.grant"]
        admin = self.env.ref("base.user_admin")
        self.territory.with_user(admin).write(
            {"coordinator_ids": [Command.link(self.manager.id)]}
        )
        self.manager.with_user(admin).write(
            {"coordination_territory_ids": [Command.unlink(self.territory.id)]}
        )
        grants = Grant.search(
            [
                ("territory_id", "=", self.territory.id),
                ("user_id", "=", self.manager.id),
            ],
            order="id",
        )
        self.assertEqual(grants.mapped("operation"), ["grant", "revoke"])
        self.assertEqual(grants.granted_by_id, admin)
        self.assertTrue(
            Grant.with_user(self.manager).search([("id", "in", grants.ids)])
        )
        for user in (self.manager, admin, self.coordinator):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    grants.with_user(user).write({"operation": "grant"})
                with self.assertRaises(AccessError):
                    grants.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    Grant.with_user(user).create(
                        {
                            "date": "2026-01-01 00:00:00",
                            "territory_id": self.territory.id,
                            "user_id": user.id,
                            "granted_by_id": user.id,
                            "operation": "grant",
                        }
                    )
        for user in (self.coordinator, self.staff, self.gp):
            with self.assertRaises(AccessError):
                Grant.with_user(user).search([])

    # 6. Context keys from a client lift no guard ---------------------------------
    def test_context_key_does_not_move_a_project(self):
        project = self.project.with_user(self.coordinator).with_context(
            coordination_privileged="anonymise"
        )
        with self.assertRaises(UserError):
            project.write({"person_id": self.person_other.id})
        self.assertEqual(self.project.person_id, self.person)

    # 7. Odoo's calendar for everybody else ---------------------------------------
    def test_employee_without_coordination_group_creates_events(self):
        event = (
            self.env["calendar.event"]
            .with_user(self.employee)
            .create(
                {
                    "name": "Réunion de service",
                    "start": "2030-03-06 09:00:00",
                    "stop": "2030-03-06 10:00:00",
                }
            )
        )
        self.assertTrue(event.exists())

    def test_colleagues_private_events_stay_busy_slots(self):
        for user in (self.employee, self.staff, self.coordinator, self.gp):
            Event = self.env["calendar.event"].with_user(user)
            self.env.invalidate_all()
            with self.subTest(user=user.login):
                found = Event.search(
                    [
                        ("start", "<=", "2030-03-31 00:00:00"),
                        ("stop", ">=", "2030-03-01 00:00:00"),
                        ("partner_ids", "in", self.colleague.partner_id.ids),
                    ]
                )
                self.assertIn(self.private_event, found)
                name = self.private_event.with_user(user).read(["name"])[0]["name"]
                self.assertNotEqual(name, "Rendez-vous personnel")

    # 9. Refusals tell nothing ----------------------------------------------------
    def test_refusals_do_not_tell_existence(self):
        nobody = self.env["res.partner"].create({"name": "Sans dossier"})
        messages = []
        for partner in (self.person, nobody):
            with self.assertRaises(UserError) as caught:
                partner.with_user(
                    self.coordinator_other
                ).action_coordination_anonymise()
            messages.append(str(caught.exception))
        self.assertEqual(messages[0], messages[1])
        with self.assertRaises(AccessError) as caught:
            self.session.with_user(self.staff).read(["name"])
        self.assertNotIn("Jeanne", str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            self.project.with_user(self.nurse).read(["problematique"])
        self.assertNotIn(self.project.name, str(caught.exception))
        for user in self._outsiders():
            person = self.person.with_user(user)
            with self.subTest(user=user.login):
                if "coordination_project_count" in person._fields and user.has_group(
                    "coordination_microlocale.group_coordinator"
                ):
                    self.assertEqual(person.coordination_project_count, 0)


@tagged("post_install", "-at_install")
class TestSharedPolicyQuery(CoordinationCase):
    """The professionals' policy is one subquery, not the circle's rules nested."""

    def test_shared_projects_are_searched_without_nested_rules(self):
        Project = self.env["coordination.individual.project"].with_user(self.gp)
        query = Project._search([("coordination_shared", "=", True)])
        sql = query.select().code
        # once for the condition, once for the record rule: at 3,000 projects the
        # nested form (the circle's own rules inside the condition) took 25 s
        self.assertLessEqual(sql.count('FROM "coordination_circle_member"'), 2, sql)
        self.assertEqual(
            Project.search([("coordination_shared", "=", True)]), self.project
        )
        self.assertNotIn(
            self.project, Project.search([("coordination_shared", "=", False)])
        )
