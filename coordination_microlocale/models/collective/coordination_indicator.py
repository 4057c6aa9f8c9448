from odoo import api, fields, models

COMPUTATIONS = [
    ("manual", "Entered"),
    ("meetings_held", "Meetings held"),
    ("partners_invited", "Partners invited"),
    ("structures_represented", "Distinct structures represented"),
    ("actions_planned", "Actions planned"),
    ("actions_done", "Actions done"),
    ("participants", "Participants in the actions"),
]


class CoordinationIndicator(models.Model):
    _name = "coordination.indicator"
    _description = "Indicator of a collective project"
    _order = "collective_project_id, kind, sequence, id"

    collective_project_id = fields.Many2one(
        "coordination.collective.project", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Indicator", required=True)
    kind = fields.Selection(
        [("process", "Process"), ("activity", "Activity"), ("result", "Result")],
        required=True,
        default="activity",
    )
    computation = fields.Selection(
        COMPUTATIONS,
        required=True,
        default="manual",
        help="Computed indicators are counted from the project's sessions and actions.",
    )
    target = fields.Float()
    manual_value = fields.Float(string="Value entered")
    measured_value = fields.Float(string="Measured", compute="_compute_measured_value")
    unit = fields.Char()
    note = fields.Text()

    @api.depends(
        "computation",
        "manual_value",
        "collective_project_id.session_ids.start",
        "collective_project_id.session_ids.partner_ids",
        "collective_project_id.session_ids.attendee_ids.coordination_attendance",
        "collective_project_id.collective_action_ids.state",
        "collective_project_id.collective_action_ids.participant_count",
    )
    def _compute_measured_value(self):
        for indicator in self:
            if indicator.computation == "manual":
                indicator.measured_value = indicator.manual_value
            else:
                figures = indicator.collective_project_id._indicator_figures()
                indicator.measured_value = figures.get(indicator.computation, 0)
