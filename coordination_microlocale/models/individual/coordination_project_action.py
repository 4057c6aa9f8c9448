from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..privacy.privileged import ANONYMISE, is_privileged


class CoordinationProjectAction(models.Model):
    _name = "coordination.project.action"
    _inherit = ["coordination.access.trail.child.mixin"]
    _description = "Action of an individual project"
    _order = "state_sequence, date_due, id"

    name = fields.Char(string="Action", required=True)
    project_id = fields.Many2one(
        "coordination.individual.project", required=True, index=True, ondelete="cascade"
    )
    territory_id = fields.Many2one(
        related="project_id.territory_id", store=True, index=True
    )
    responsible_partner_id = fields.Many2one(
        "res.partner",
        string="Responsible",
        index=True,
        ondelete="restrict",
        help="The partner, professional or person who carries out the action.",
    )
    session_id = fields.Many2one(
        "calendar.event",
        string="Decided in session",
        index=True,
        ondelete="set null",
    )
    date_due = fields.Date(string="Due date")
    date_done = fields.Date(string="Done on", readonly=True, copy=False)
    state = fields.Selection(
        [
            ("todo", "To do"),
            ("in_progress", "In progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="todo",
        required=True,
        index=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    note = fields.Text()
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"in_progress": 0, "todo": 1, "done": 2, "cancelled": 3}
        for action in self:
            action.state_sequence = order.get(action.state, 9)

    @api.depends("date_due", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = bool(
                action.date_due
                and action.date_due < today
                and action.state in ("todo", "in_progress")
            )

    def _search_is_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = Domain("date_due", "<", fields.Date.context_today(self)) & Domain(
            "state", "in", ("todo", "in_progress")
        )
        return domain if True in value else ~domain

    def _check_project_open(self):
        if is_privileged(self.env, ANONYMISE):
            return
        if self.project_id.filtered(lambda p: p.state == "closed"):
            raise UserError(
                self.env._("The actions of a closed project cannot change.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._check_project_open()
        return actions

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group(
            "coordination_microlocale.group_coordinator"
        ):
            forbidden = set(vals) - self._professional_writable_fields()
            if forbidden:
                raise UserError(
                    self.env._(
                        "You can only update the progress and the notes of the actions "
                        "assigned to you."
                    )
                )
        if set(vals) - {"state", "date_done"} or vals.get("state") != "cancelled":
            self._check_project_open()
        if vals.get("state") == "done" and "date_done" not in vals:
            vals["date_done"] = fields.Date.context_today(self)
        elif vals.get("state") in ("todo", "in_progress", "cancelled"):
            vals["date_done"] = False
        return super().write(vals)

    def _professional_writable_fields(self):
        return {"state", "note", "date_done"}

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def _coordination_anonymise(self):
        """Retention: the text and who carried it go, the state stays counted."""
        self.write({"name": "—", "note": False, "responsible_partner_id": False})
