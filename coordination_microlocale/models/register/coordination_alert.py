from odoo import api, fields, models

# Alerts that trigger the prefect's alert and emergency plan, whatever their severity
# (L116-3 CASF: heatwave, cold wave); other kinds only at the "alert" severity.
PLAN_ALERT_TYPES = ("heatwave", "cold_wave")
PLAN_ALERT_TYPES_AT_ALERT = ("epidemiological", "exceptional")


class CoordinationAlert(models.Model):
    _inherit = "coordination.alert"

    register_plan = fields.Boolean(
        string="Triggers the register's plan",
        compute="_compute_register_plan",
        help="Heatwaves and cold waves, and epidemics or exceptional situations at "
        "the “alert” severity: the registered people of the territories are called.",
    )
    register_campaign_ids = fields.One2many(
        "coordination.register.campaign",
        "alert_id",
        string="Call campaigns",
        groups="coordination_microlocale.group_register_keeper,"
        "coordination_microlocale.group_coordinator",
    )
    register_campaign_count = fields.Integer(
        string="Campaigns",
        compute="_compute_register_campaign_count",
        groups="coordination_microlocale.group_register_keeper,"
        "coordination_microlocale.group_coordinator",
    )

    @api.depends("alert_type", "severity")
    def _compute_register_plan(self):
        for alert in self:
            alert.register_plan = alert.alert_type in PLAN_ALERT_TYPES or (
                alert.alert_type in PLAN_ALERT_TYPES_AT_ALERT
                and alert.severity == "alert"
            )

    @api.depends("register_campaign_ids")
    def _compute_register_campaign_count(self):
        for alert in self:
            alert.register_campaign_count = len(alert.register_campaign_ids)

    def action_publish(self):
        res = super().action_publish()
        self.filtered("register_plan")._propose_register_campaign()
        return res

    def _propose_register_campaign(self):
        """A to-do for the keepers and coordinators of each territory: start the
        call campaign of the register (the alert's form has the button)."""
        activity_type = self.env.ref(
            "coordination_microlocale.mail_activity_register_campaign"
        )
        for alert in self:
            # sudo: who keeps the register of the alert's territories, to address
            # them the proposal; the activity names the alert only.
            territories = alert.territory_ids.sudo()
            users = territories.register_keeper_ids | territories.coordinator_ids
            for user in users.filtered("active"):
                alert.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._("Start the call campaign of the register"),
                    note=self.env._(
                        "This alert triggers the alert and emergency plan: call the "
                        "people of the register of vulnerable people."
                    ),
                    user_id=user.id,
                )

    def action_register_campaign_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Call campaign of the register"),
            "res_model": "coordination.register.campaign.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_alert_id": self.id},
        }

    def action_view_register_campaigns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coordination_microlocale.action_coordination_register_campaign"
        )
        action["domain"] = [("alert_id", "=", self.id)]
        action["context"] = {"default_alert_id": self.id}
        return action
