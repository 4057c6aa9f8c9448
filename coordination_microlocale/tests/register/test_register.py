from datetime import timedelta

import psycopg2
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RegisterCase


@tagged("post_install", "-at_install")
class TestRegisterEntry(RegisterCase):
    """The register itself: categories, registration, review, striking off."""

    def test_categories_of_the_law(self):
        Entry = self.env["coordination.register.entry"]
        today = fields.Date.context_today(Entry)
        partner = self.env["res.partner"].create({"name": "Jeune Personne"})
        with self.assertRaisesRegex(ValidationError, "65 and over"):
            Entry.create(
                {
                    "partner_id": partner.id,
                    "territory_id": self.territory.id,
                    "birthdate": today - relativedelta(years=50),
                    "category": "elderly",
                }
            )
        partner = self.env["res.partner"].create({"name": "Jeune Personne"})
        with self.assertRaisesRegex(ValidationError, "AAH"):
            Entry.create(
                {
                    "partner_id": partner.id,
                    "territory_id": self.territory.id,
                    "category": "disabled",
                }
            )
        partner = self.env["res.partner"].create({"name": "Jeune Personne"})
        entry = Entry.create(
            {
                "partner_id": partner.id,
                "territory_id": self.territory.id,
                "category": "disabled",
                "disability_benefit": "aah",
            }
        )
        self.assertEqual(entry.state, "draft")
        self.assertEqual(entry.person_name, "Jeune Personne")
        self.assertTrue(entry.name.startswith("REG/"))
        self.assertEqual(entry.display_name, entry.name, "the reference, not the name")

    def test_one_entry_per_person_and_territory(self):
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["coordination.register.entry"].create(
                {
                    "partner_id": self.reg_partners[0].id,
                    "territory_id": self.territory.id,
                    "category": "elderly",
                }
            )

    def test_registration_needs_the_person_informed(self):
        partner = self.env["res.partner"].create({"name": "Henri Tiers"})
        entry = (
            self.env["coordination.register.entry"]
            .with_user(self.keeper)
            .create(
                {
                    "partner_id": partner.id,
                    "territory_id": self.territory.id,
                    "category": "elderly",
                    "requester_type": "relative",
                    "requester_name": "Sa fille",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "informed of their rights"):
            entry.action_register()
        entry.rights_informed = True
        entry.action_register()
        today = fields.Date.context_today(entry)
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.review_date, today + relativedelta(years=1))
        self.assertEqual(entry.rights_informed_date, today)
        self.assertEqual(
            set(entry.history_ids.mapped("kind")), {"registered", "created"}
        )

    def test_yearly_review_reminder(self):
        entry = self.entries[0]
        Entry = self.env["coordination.register.entry"]
        review_type = self.env.ref(
            "coordination_microlocale.mail_activity_register_review"
        )
        Entry._cron_review_reminders()
        self.assertFalse(entry.activity_ids, "a review a year away is not reminded")
        with freeze_time(fields.Date.today() + relativedelta(months=11, days=15)):
            Entry._cron_review_reminders()
            Entry._cron_review_reminders()
            activity = entry.activity_ids
            self.assertEqual(activity.activity_type_id, review_type, "once")
            self.assertEqual(
                activity.user_id, self.env.user
            )  # the keeper who created it
            entry.with_user(self.keeper).action_review()
            self.assertFalse(entry.activity_ids)
            self.assertEqual(
                entry.review_date,
                fields.Date.context_today(entry) + relativedelta(years=1),
            )
            self.assertEqual(entry.history_ids[0].kind, "reviewed")

    def test_strike_off_erases_and_keeps_history(self):
        entry = self.entries[0]
        note = "Fille jointe, tout va bien"
        entry.message_post(body=note)
        entry.activity_schedule("mail.mail_activity_data_todo", summary="Rappeler")
        calls = self.start_campaign()
        call = calls.filtered(lambda c: c.entry_id == entry)
        call.outcome_note = "Besoin de courses"
        partner = entry.partner_id
        wizard = (
            self.env["coordination.register.strike.wizard"]
            .with_user(self.keeper)
            .create(
                {
                    "entry_ids": [Command.set(entry.ids)],
                    "reason": "request",
                    "note": "Demande par courrier",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(entry.state, "struck_off")
        for fname in (
            "partner_id",
            "person_name",
            "birthdate",
            "phone",
            "street",
            "contact_time",
            "emergency_contact_ids",
            "activity_ids",
            "category",
        ):
            self.assertFalse(entry[fname], fname)
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", entry._name), ("res_id", "=", entry.id)]
            ),
            "messages and their tracking values are erased",
        )
        self.assertFalse(call.outcome_note)
        struck = entry.history_ids.filtered(lambda h: h.kind == "struck_off")
        self.assertEqual(struck.strike_reason, "request")
        self.assertEqual(struck.user_id, self.keeper)
        self.assertEqual(entry.date_struck_off, fields.Date.context_today(entry))
        self.assertTrue(partner.exists(), "the contact itself stays")
        with self.assertRaisesRegex(UserError, "history"):
            entry.with_user(self.keeper).write({"person_name": "Revenue"})
        # the person may be registered again, in a new entry
        self.env["coordination.register.entry"].create(
            {
                "partner_id": partner.id,
                "territory_id": self.territory.id,
                "category": "elderly",
            }
        )

    def test_registered_entry_is_not_deleted(self):
        with self.assertRaisesRegex(UserError, "strike it off"):
            self.entries[0].with_user(self.keeper).unlink()


@tagged("post_install", "-at_install")
class TestRegisterAccess(RegisterCase):
    """Who sees the register: the coordinators and designated keepers of its territory,
    nobody else, by any path; reads and exports traced."""

    def assertHidden(self, user, records):
        Model = records.with_user(user).browse()
        ids = records.ids
        domain = [("id", "in", ids)]
        if Model.has_access("read"):
            self.assertFalse(Model.search(domain), f"search as {user.login}")
            self.assertFalse(
                Model.search_read(domain, ["display_name"]), f"search_read {user.login}"
            )
            found = {pair[0] for pair in Model.name_search(records[:1].display_name)}
            self.assertFalse(found & set(ids), f"name_search {user.login}")
            groups = Model.formatted_read_group(domain, ["territory_id"], ["__count"])
            self.assertFalse(groups, f"read_group as {user.login}")
        for record in records.with_user(user):
            with self.assertRaises(AccessError, msg=f"read as {user.login}"):
                record.read(["display_name"])
            with self.assertRaises(AccessError, msg=f"export as {user.login}"):
                record.export_data(["display_name"])
            with self.assertRaises(AccessError, msg=f"write as {user.login}"):
                record.write({"note": "x"} if "note" in record._fields else {})

    def test_keeper_and_coordinator_of_the_territory(self):
        for user in (self.keeper, self.coordinator):
            Entry = self.env["coordination.register.entry"].with_user(user)
            self.assertEqual(Entry.search([]), self.entries, user.login)
            self.assertEqual(
                self.env["coordination.register.contact"].with_user(user).search([]),
                self.entries.emergency_contact_ids,
            )
        for user in (self.keeper_other, self.coordinator_other):
            Entry = self.env["coordination.register.entry"].with_user(user)
            self.assertEqual(Entry.search([]), self.entry_other, user.login)

    def test_nobody_else(self):
        outsiders = (
            self.coordinator_other,
            self.keeper_other,
            self.gp,
            self.nurse,
            self.staff,
            self.manager,
            self.agent,
        )
        for user in outsiders:
            self.assertHidden(user, self.entries)
            self.assertHidden(user, self.entries.emergency_contact_ids)
            self.assertHidden(user, self.entries.history_ids)

    def test_refusal_names_nobody(self):
        with self.assertRaises(AccessError) as refusal:
            self.entries[0].with_user(self.coordinator_other).read(["person_name"])
        message = str(refusal.exception)
        self.assertIn("register of vulnerable people is not open to you", message)
        self.assertNotIn("Germaine", message)
        self.assertNotIn(self.entries[0].name, message)

    def test_a_keeper_cannot_move_an_entry_out_of_reach(self):
        with self.assertRaises(AccessError):
            self.entries[0].with_user(self.keeper).write(
                {"territory_id": self.territory_other.id}
            )

    def test_no_call_about_a_person_of_another_register(self):
        """A call shows its person's name: it cannot be made to point elsewhere."""
        calls = self.start_campaign()
        Call = self.env["coordination.register.call"].with_user(self.keeper)
        with self.assertRaisesRegex(ValidationError, "its own territory"):
            Call.create(
                {
                    "campaign_id": self.campaign.id,
                    "entry_id": self.entry_other.id,
                    "agent_user_id": self.keeper.id,
                }
            )
        with self.assertRaisesRegex(UserError, "stays about its person"):
            calls[0].with_user(self.keeper).write({"entry_id": self.entry_other.id})
        with self.assertRaisesRegex(UserError, "cannot move"):
            self.campaign.with_user(self.coordinator).write(
                {"territory_id": self.territory_other.id}
            )
        with self.assertRaisesRegex(UserError, "fills the export"):
            self.env["coordination.register.export"].with_user(self.keeper).create(
                {
                    "territory_id": self.territory.id,
                    "entry_ids": [Command.set(self.entry_other.ids)],
                }
            )
        contact = self.entries[0].emergency_contact_ids.with_user(self.keeper)
        with self.assertRaises(AccessError):
            contact.write({"entry_id": self.entry_other.id})

    def test_reads_and_exports_are_traced(self):
        Log = self.env["coordination.access.log"]
        entry = self.entries[0].with_user(self.keeper)
        entry.read(["person_name", "phone"])
        entry.export_data(["person_name", "emergency_contact_ids/phone"])
        Log._trail_flush()
        logs = Log.search(
            [
                ("res_model", "=", entry._name),
                ("res_id", "=", entry.id),
                ("user_id", "=", self.keeper.id),
            ]
        )
        self.assertEqual(set(logs.mapped("operation")), {"read", "export"})
        self.assertEqual(set(logs.mapped("reference")), {entry.name})
        self.assertEqual(logs.territory_id, self.territory)
        contacts = Log.search([("res_model", "=", "coordination.register.contact")])
        self.assertEqual(contacts.mapped("operation"), ["export"])
        # the free texts are not grouped
        with self.assertRaises(UserError):
            entry.formatted_read_group([], ["note"], ["__count"])

    def test_contact_is_not_marked(self):
        """Nothing of the register shows on the contact, for anyone."""
        partner = self.reg_partners[0]
        register_fields = [
            name
            for name, field in self.env["res.partner"]._fields.items()
            if field.comodel_name
            and field.comodel_name.startswith("coordination.register")
        ]
        self.assertFalse(register_fields)
        entry = self.entries[0]
        entry.message_subscribe(partner_ids=self.keeper.partner_id.ids)
        Followers = self.env["mail.followers"]
        domain = [("res_model", "=", entry._name), ("res_id", "=", entry.id)]
        self.assertFalse(Followers.with_user(self.staff).search(domain))
        self.assertTrue(Followers.with_user(self.keeper).search(domain))
        # deleting the contact is refused with the words used for any other file
        with self.assertRaisesRegex(UserError, "used by other records"):
            partner.unlink()
        plain = self.env["res.partner"].create({"name": "Jamais inscrit"})
        plain.unlink()

    def test_mfa_for_keepers(self):
        self.env["ir.config_parameter"].set_param(
            "coordination_microlocale.mfa_required", "True"
        )
        self.assertTrue(self.keeper._coordination_mfa_required())
        self.assertFalse(self.agent._coordination_mfa_required())


@tagged("post_install", "-at_install")
class TestRegisterCampaign(RegisterCase):
    """Campaigns from an alert: lists, outcomes, escalation, the agent's view."""

    def test_alert_proposes_a_campaign(self):
        self.assertTrue(self.alert.register_plan)
        self.alert.action_publish()
        proposal = self.env.ref(
            "coordination_microlocale.mail_activity_register_campaign"
        )
        activities = self.alert.activity_ids.filtered(
            lambda a: a.activity_type_id == proposal
        )
        self.assertEqual(activities.user_id, self.keeper | self.coordinator)
        info = self.env["coordination.alert"].create(
            {
                "title": "Grippe, information",
                "alert_type": "epidemiological",
                "severity": "info",
                "territory_ids": [Command.set(self.territory.ids)],
                "message": "<p>Info</p>",
            }
        )
        self.assertFalse(info.register_plan)
        info.severity = "alert"
        self.assertTrue(info.register_plan)
        # the keeper answers it with the wizard
        wizard = (
            self.env["coordination.register.campaign.wizard"]
            .with_user(self.keeper)
            .create(
                {
                    "alert_id": self.alert.id,
                    "agent_ids": [Command.set((self.agent | self.keeper).ids)],
                }
            )
        )
        self.assertEqual(wizard.territory_id, self.territory)
        self.assertEqual(wizard.registered_count, 3)
        action = wizard.action_create()
        campaign = self.env["coordination.register.campaign"].browse(action["res_id"])
        self.assertEqual(campaign.state, "running")
        self.assertEqual(len(campaign.call_ids), 3)
        self.assertEqual(activities.filtered("active").user_id, self.coordinator)

    def test_calls_split_by_priority(self):
        calls = self.start_campaign()
        self.assertEqual(self.campaign.state, "running")
        ordered = calls.sorted(lambda c: -c.priority)
        self.assertEqual(
            ordered.entry_id, self.entries[0] | self.entries[2] | self.entries[1]
        )
        # dealt in turn: each list starts with its most vulnerable person
        first, second = self.campaign.agent_ids
        self.assertEqual(ordered.agent_user_id, first | second)
        self.assertEqual(ordered[0].agent_user_id, first)
        self.assertEqual(ordered[1].agent_user_id, second)
        self.assertEqual(ordered[2].agent_user_id, first)
        self.assertEqual(self.campaign.pending_count, 3)

    def test_agent_sees_own_list_while_running(self):
        Call = self.env["coordination.register.call"]
        self.assertFalse(Call.with_user(self.agent).search([]), "not before it starts")
        calls = self.start_campaign()
        mine = calls.filtered(lambda c: c.agent_user_id == self.agent)
        theirs = calls - mine
        self.assertEqual(Call.with_user(self.agent).search([]), mine)
        data = (
            mine[0]
            .with_user(self.agent)
            .read(["person_name", "phone", "emergency_contacts", "contact_time"])[0]
        )
        self.assertEqual(data["person_name"], mine[0].entry_id.person_name)
        self.assertIn("Sylvie Fille", data["emergency_contacts"])
        with self.assertRaises(AccessError):
            theirs.with_user(self.agent).read(["person_name"])
        with self.assertRaises(AccessError):
            mine.entry_id.with_user(self.agent).read(["person_name"])
        with self.assertRaisesRegex(UserError, "buttons"):
            mine[0].with_user(self.agent).write({"agent_user_id": self.agent_two.id})
        with self.assertRaisesRegex(UserError, "buttons"):
            mine[0].with_user(self.agent).write({"state": "ok"})
        # the agent's reads are traced under the entry's reference
        self.env["coordination.access.log"]._trail_flush()
        log = self.env["coordination.access.log"].search(
            [
                ("res_model", "=", "coordination.register.call"),
                ("user_id", "=", self.agent.id),
            ]
        )
        self.assertEqual(log.reference, mine[0].entry_id.name)
        self.campaign.action_done()
        self.assertFalse(Call.with_user(self.agent).search([]), "over: nothing left")
        with self.assertRaises(AccessError):
            mine.with_user(self.agent).read(["person_name"])
        with self.assertRaises(AccessError):
            mine[0].with_user(self.agent).action_outcome_ok()

    def test_outcomes_and_escalation(self):
        calls = self.start_campaign()
        germaine = calls.filtered(lambda c: c.entry_id == self.entries[0])
        marcel = calls.filtered(lambda c: c.entry_id == self.entries[1])
        odette = calls.filtered(lambda c: c.entry_id == self.entries[2])
        as_agent = germaine.with_user(germaine.agent_user_id)
        as_agent.outcome_note = "Plus d'eau, ne peut pas sortir"
        as_agent.action_outcome_needs_help()
        self.assertEqual(germaine.state, "needs_help")
        request = germaine.request_id
        self.assertEqual(request.person_id, self.reg_partners[0])
        self.assertEqual(request.territory_id, self.territory)
        self.assertEqual(request.coordinator_id, self.coordinator)
        self.assertEqual(request.requester_type, "outreach")
        self.assertIn("Plus d'eau", request.description)
        self.assertEqual(request.activity_ids.user_id, self.coordinator)
        self.assertIn(
            request,
            self.env["coordination.request"].with_user(self.coordinator).search([]),
        )
        self.assertFalse(
            self.env["coordination.request"]
            .with_user(germaine.agent_user_id)
            .has_access("read")
        )
        self.assertTrue(self.entries[0].last_contact_date)

        marcel.with_user(marcel.agent_user_id).action_outcome_ok()
        self.assertEqual(marcel.state, "ok")
        self.assertEqual(marcel.attempt_count, 1)

        agent = odette.with_user(odette.agent_user_id)
        agent.action_outcome_unreachable()
        self.assertEqual(odette.state, "retry")
        self.assertTrue(odette.next_attempt_date)
        agent.action_outcome_unreachable()
        agent.action_outcome_unreachable()
        self.assertEqual(odette.state, "home_visit")
        self.assertEqual(odette.attempt_count, 3)
        with self.assertRaisesRegex(UserError, "already has an outcome"):
            agent.action_outcome_unreachable()
        # the visit not made in time goes to the coordinators
        with freeze_time(fields.Datetime.now() + timedelta(hours=5)):
            self.env["coordination.register.campaign"]._cron_escalate()
        self.assertTrue(odette.escalated)
        self.assertEqual(self.campaign.activity_ids.user_id, self.coordinator)
        agent.action_visit_absent()
        self.assertEqual(odette.state, "absent")
        self.assertEqual(odette.request_id.priority, "2")
        self.campaign.invalidate_recordset()
        self.assertEqual(
            (
                self.campaign.done_count,
                self.campaign.help_count,
                self.campaign.progress,
            ),
            (3, 1, 100.0),
        )

    def test_agents_must_be_in_the_group(self):
        self.campaign.agent_ids = [Command.link(self.staff.id)]
        with self.assertRaisesRegex(UserError, "Agent Mairie"):
            self.campaign.action_start()

    def test_coordinator_of_another_territory_cannot_start(self):
        with self.assertRaises(AccessError):
            self.env["coordination.register.campaign"].with_user(
                self.coordinator_other
            ).create(
                {
                    "title": "Intrusion",
                    "territory_id": self.territory.id,
                    "agent_ids": [Command.set(self.agent.ids)],
                }
            )
        self.assertFalse(
            self.env["coordination.register.campaign"]
            .with_user(self.coordinator_other)
            .search([])
        )


@tagged("post_install", "-at_install")
class TestRegisterQueries(RegisterCase):
    """An agent's call list and a campaign's creation do not grow with the people."""

    SPEC = {
        "person_name": {},
        "phone": {},
        "phone2": {},
        "street": {},
        "city": {},
        "contact_time": {},
        "emergency_contacts": {},
        "vulnerability": {},
        "attempt_count": {},
        "next_attempt_date": {},
        "visit_deadline": {},
        "state": {},
        "is_done": {},
        "agent_user_id": {"fields": {"display_name": {}}},
    }

    def _register(self, count):
        partners = self.env["res.partner"].create(
            [{"name": f"Personne {index}", "phone": "0251"} for index in range(count)]
        )
        entries = self.env["coordination.register.entry"].create(
            [
                {
                    "partner_id": partner.id,
                    "territory_id": self.territory.id,
                    "category": "elderly",
                    "rights_informed": True,
                    "emergency_contact_ids": [
                        Command.create({"name": "Proche", "phone": "06"})
                    ],
                }
                for partner in partners
            ]
        )
        entries.action_register()

    def _list_queries(self):
        Call = self.env["coordination.register.call"].with_user(self.agent)
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.cr.sql_log_count
        result = Call.web_search_read([("is_done", "=", False)], self.SPEC, limit=300)
        return self.cr.sql_log_count - before, result["length"]

    def _campaign(self):
        campaign = self.campaign.copy({"title": "Autre"})
        self.env.flush_all()
        before = self.cr.sql_log_count
        campaign.with_user(self.keeper).action_start()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_agent_list_does_not_grow(self):
        self.campaign.action_start()
        self._list_queries()  # warm-up: the user's groups and rules
        small, small_length = self._list_queries()
        self.campaign.action_done()
        self._register(60)
        self.campaign.copy({"title": "Deuxième"}).action_start()
        big, big_length = self._list_queries()
        self.assertGreater(big_length, small_length + 25)
        self.assertEqual(big, small, "one page of the list, whatever its length")

    def test_campaign_creation_does_not_grow(self):
        small = self._campaign()
        self._register(60)
        big = self._campaign()
        self.assertLessEqual(big, small + 2)


@tagged("post_install", "-at_install")
class TestRegisterAndThePersonsRights(RegisterCase):
    """The right of access includes the register; the right to erasure strikes off."""

    def test_right_of_access_includes_the_register(self):
        person = self.reg_partners[0]
        wizard = (
            self.env["coordination.personal.data.export"]
            .with_user(self.coordinator)
            .create({"partner_id": person.id})
        )
        data, _records = wizard._collect()
        entries = data["register_of_vulnerable_people"]
        self.assertEqual([e["reference"] for e in entries], [self.entries[0].name])
        self.assertEqual(entries[0]["persons_to_warn"][0]["name"], "Sylvie Fille")

    def test_right_to_erasure_strikes_the_person_off(self):
        person = self.reg_partners[0]
        project = self.env["coordination.individual.project"].create(
            {"person_id": person.id, "territory_id": self.territory.id}
        )
        project._close("goals_reached")
        person.with_user(self.coordinator).action_coordination_anonymise()
        entry = self.entries[0]
        self.assertEqual(entry.state, "struck_off")
        self.assertFalse(entry.person_name)
        self.assertFalse(entry.emergency_contact_ids)
        self.assertEqual(entry.strike_reason, "request")
