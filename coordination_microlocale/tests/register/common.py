from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import new_test_user

from ..common import CoordinationCase

GROUP = "coordination_microlocale.group_"


class RegisterCase(CoordinationCase):
    """Territory A's register (three people), one person in B's, a keeper of A, two
    agents and a campaign that has not started yet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keeper = new_test_user(
            cls.env,
            login="t.keeper",
            groups=GROUP + "register_keeper,base.group_allow_export",
            name="Gestionnaire A",
            tz="Europe/Paris",
        )
        cls.keeper_other = new_test_user(
            cls.env,
            login="t.keeper.b",
            groups=GROUP + "register_keeper,base.group_allow_export",
            name="Gestionnaire B",
            tz="Europe/Paris",
        )
        cls.agent = new_test_user(
            cls.env,
            login="t.agent",
            groups=GROUP + "register_agent,base.group_allow_export",
            name="Bénévole Un",
            tz="Europe/Paris",
        )
        cls.agent_two = new_test_user(
            cls.env,
            login="t.agent.two",
            groups=GROUP + "register_agent,base.group_allow_export",
            name="Bénévole Deux",
            tz="Europe/Paris",
        )
        cls.territory.register_keeper_ids = [Command.link(cls.keeper.id)]
        cls.territory_other.register_keeper_ids = [Command.link(cls.keeper_other.id)]
        today = fields.Date.context_today(cls.env["coordination.register.entry"])
        Partner = cls.env["res.partner"]
        cls.reg_partners = Partner.create(
            [
                {"name": "Germaine Inscrite", "phone": "02 51 00 00 01"},
                {"name": "Marcel Inscrit", "phone": "02 51 00 00 02"},
                {"name": "Odette Inscrite", "phone": "02 51 00 00 03"},
                {"name": "Roger Autreterritoire", "phone": "02 51 00 00 04"},
            ]
        )
        Entry = cls.env["coordination.register.entry"]
        cls.entries = Entry.create(
            [
                {
                    "partner_id": cls.reg_partners[0].id,
                    "territory_id": cls.territory.id,
                    "birthdate": today - relativedelta(years=91),
                    "category": "elderly",
                    "vulnerability": "2",
                    "lives_alone": True,
                    "rights_informed": True,
                    "contact_time": "Le matin",
                    "emergency_contact_ids": [
                        Command.create(
                            {
                                "name": "Sylvie Fille",
                                "relationship": "fille",
                                "phone": "06 00 00 00 01",
                            }
                        )
                    ],
                },
                {
                    "partner_id": cls.reg_partners[1].id,
                    "territory_id": cls.territory.id,
                    "birthdate": today - relativedelta(years=70),
                    "category": "elderly",
                    "vulnerability": "0",
                    "rights_informed": True,
                },
                {
                    "partner_id": cls.reg_partners[2].id,
                    "territory_id": cls.territory.id,
                    "birthdate": today - relativedelta(years=80),
                    "category": "elderly",
                    "vulnerability": "1",
                    "rights_informed": True,
                },
            ]
        )
        cls.entries.action_register()
        cls.entry_other = Entry.create(
            {
                "partner_id": cls.reg_partners[3].id,
                "territory_id": cls.territory_other.id,
                "category": "isolated",
                "rights_informed": True,
            }
        )
        cls.entry_other.action_register()
        cls.alert = cls.env["coordination.alert"].create(
            {
                "title": "Canicule test",
                "alert_type": "heatwave",
                "territory_ids": [Command.set(cls.territory.ids)],
                "message": "<p>Vigilance orange</p>",
            }
        )
        cls.campaign = cls.env["coordination.register.campaign"].create(
            {
                "title": "Canicule A",
                "alert_id": cls.alert.id,
                "territory_id": cls.territory.id,
                "agent_ids": [Command.set((cls.agent | cls.agent_two).ids)],
            }
        )

    def start_campaign(self):
        self.campaign.action_start()
        return self.campaign.call_ids
