from odoo import api, fields, models
from odoo.exceptions import UserError


class CoordinationRegisterCampaignWizard(models.TransientModel):
    """From an alert that triggers the plan: a call campaign over the register."""

    _name = "coordination.register.campaign.wizard"
    _description = "Call campaign of the register from an alert"

    alert_id = fields.Many2one("coordination.alert", required=True)
    alert_territory_ids = fields.Many2many(related="alert_id.territory_ids")
    territory_id = fields.Many2one(
        "coordination.territory",
        required=True,
        compute="_compute_territory_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('id', 'in', alert_territory_ids)]",
    )
    title = fields.Char(
        compute="_compute_title", store=True, readonly=False, precompute=True
    )
    agent_ids = fields.Many2many(
        "res.users",
        "coordination_register_campaign_wizard_user_rel",
        "wizard_id",
        "user_id",
        string="Agents and volunteers",
        required=True,
    )
    registered_count = fields.Integer(
        string="Registered people", compute="_compute_registered_count"
    )
    max_attempts = fields.Integer(string="Calls before a home visit", default=3)
    retry_delay_hours = fields.Float(string="Delay between calls (hours)", default=2.0)
    visit_delay_hours = fields.Float(string="Home visit within (hours)", default=4.0)
    start = fields.Boolean(string="Start at once", default=True)

    @api.depends("alert_id")
    def _compute_territory_id(self):
        for wizard in self:
            territories = wizard.alert_id.territory_ids
            mine = territories.filtered(
                lambda t: self.env.user in t.coordinator_ids | t.register_keeper_ids
            )
            wizard.territory_id = (mine or territories)[:1]

    @api.depends("alert_id", "territory_id")
    def _compute_title(self):
        for wizard in self:
            wizard.title = " — ".join(
                filter(None, (wizard.alert_id.title, wizard.territory_id.name))
            )

    @api.depends("territory_id")
    def _compute_registered_count(self):
        Entry = self.env["coordination.register.entry"]
        for wizard in self:
            wizard.registered_count = (
                Entry.search_count(
                    [
                        ("territory_id", "=", wizard.territory_id.id),
                        ("state", "=", "registered"),
                    ]
                )
                if wizard.territory_id
                else 0
            )

    def action_create(self):
        self.ensure_one()
        if self.territory_id not in self.alert_id.territory_ids:
            raise UserError(
                self.env._("The campaign is about one of the alert's territories.")
            )
        campaign = self.env["coordination.register.campaign"].create(
            {
                "title": self.title,
                "alert_id": self.alert_id.id,
                "territory_id": self.territory_id.id,
                "agent_ids": [fields.Command.set(self.agent_ids.ids)],
                "max_attempts": self.max_attempts,
                "retry_delay_hours": self.retry_delay_hours,
                "visit_delay_hours": self.visit_delay_hours,
            }
        )
        if self.start:
            campaign.action_start()
        else:
            campaign._generate_calls()
        # the proposal made when the alert was published is answered
        self.alert_id.activity_ids.filtered(
            lambda a: (
                a.user_id == self.env.user
                and a.activity_type_id
                == self.env.ref(
                    "coordination_microlocale.mail_activity_register_campaign"
                )
            )
        ).action_feedback(
            feedback=self.env._("Campaign %(ref)s created.", ref=campaign.name)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": campaign._name,
            "res_id": campaign.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
