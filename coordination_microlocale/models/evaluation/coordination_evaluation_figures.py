from odoo import fields, models

from ..collective.coordination_alert import ALERT_TYPES
from ..request.coordination_request import CHANNELS, REQUESTER_TYPES

RECORD_TYPES = [
    ("request", "Request"),
    ("request_theme", "Request theme"),
    ("project", "Individual project"),
    ("need", "Need"),
    ("session", "Session"),
    ("action", "Individual action"),
    ("collective_action", "Collective action"),
    ("alert", "Alert"),
]


class CoordinationEvaluationFigures(models.AbstractModel):
    """The dimensions and the figures of the evaluation, declared once.

    Shared by the detailed figures (``coordination.evaluation.report``, one row per
    counted record) and the published cells (``coordination.evaluation.statistic``).
    """

    _name = "coordination.evaluation.figures"
    _description = "Dimensions and figures of the evaluation"

    record_type = fields.Selection(RECORD_TYPES, string="Kind", readonly=True)
    date = fields.Date(readonly=True)
    territory_id = fields.Many2one("coordination.territory", readonly=True)
    requester_type = fields.Selection(
        REQUESTER_TYPES, string="Requester", readonly=True
    )
    channel = fields.Selection(CHANNELS, readonly=True)
    determinant_id = fields.Many2one(
        "coordination.determinant", string="Theme / determinant", readonly=True
    )
    status = fields.Char(readonly=True)
    is_open = fields.Boolean(string="Open / unmet", readonly=True)
    session_type_id = fields.Many2one(
        "coordination.session.type", string="Session type", readonly=True
    )
    alert_type = fields.Selection(ALERT_TYPES, readonly=True)
    record_count = fields.Integer(string="Count", readonly=True, aggregator="sum")
    invited_count = fields.Integer(
        string="Partners invited", readonly=True, aggregator="sum"
    )
    present_count = fields.Integer(
        string="Partners present", readonly=True, aggregator="sum"
    )
    structure_count = fields.Integer(
        string="Structures represented", readonly=True, aggregator="sum"
    )
    participant_count = fields.Integer(
        string="Participants", readonly=True, aggregator="sum"
    )
    first_contact_delay = fields.Float(
        string="First-contact delay (days)", readonly=True, aggregator="avg"
    )
    duration_days = fields.Float(
        string="Duration (days)", readonly=True, aggregator="avg"
    )
