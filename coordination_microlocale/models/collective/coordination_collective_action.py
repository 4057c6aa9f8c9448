from odoo import fields, models


class CoordinationCollectiveAction(models.Model):
    _name = "coordination.collective.action"
    _description = "Action of a collective project"
    _order = "date_planned, id"

    collective_project_id = fields.Many2one(
        "coordination.collective.project", required=True, index=True, ondelete="cascade"
    )
    name = fields.Char(string="Action", required=True)
    responsible_partner_id = fields.Many2one(
        "res.partner", string="Responsible", ondelete="restrict"
    )
    date_planned = fields.Date(string="Planned on")
    date_done = fields.Date(string="Done on")
    participant_count = fields.Integer(string="Participants")
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
    )

    _participants_positive = models.Constraint(
        "CHECK(participant_count >= 0)",
        "The number of participants cannot be negative.",
    )
