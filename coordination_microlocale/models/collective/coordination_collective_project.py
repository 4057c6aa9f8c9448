from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

STATES = [
    ("idea", "Idea"),
    ("drafting", "Being written"),
    ("validated", "Validated"),
    ("in_progress", "Under way"),
    ("evaluated", "Evaluated"),
    ("abandoned", "Abandoned"),
]


class CoordinationCollectiveProject(models.Model):
    """A collective or community health project, shaped on the CLS "fiche action"."""

    _name = "coordination.collective.project"
    _description = "Collective health project"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "cls_year desc, axis, sheet_number, id"

    name = fields.Char(string="Title", required=True, tracking=True)
    axis = fields.Char(help="Axis of the local health contract, e.g. Axe 1.")
    sheet_number = fields.Char(string="Sheet number")
    state = fields.Selection(
        STATES, default="idea", required=True, tracking=True, index=True
    )
    territory_id = fields.Many2one(
        "coordination.territory",
        required=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self.env.user.coordination_territory_ids[:1],
    )
    sector_ids = fields.Many2many(
        "coordination.territory",
        "coordination_collective_project_sector_rel",
        "project_id",
        "territory_id",
        string="Geographic sectors",
    )
    coordinator_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
    )
    theme_ids = fields.Many2many(
        "coordination.priority.theme", string="Priority themes"
    )
    local_diagnosis = fields.Html(string="Local diagnosis")
    carrier_ids = fields.Many2many(
        "res.partner",
        "coordination_collective_project_carrier_rel",
        "project_id",
        "partner_id",
        string="Carried by",
    )
    beneficiaries = fields.Text()
    general_objectives = fields.Html(string="General objectives")
    operational_objectives = fields.Html(string="Operational objectives")
    description = fields.Html(string="Description of the action")
    actor_ids = fields.Many2many(
        "res.partner",
        "coordination_collective_project_actor_rel",
        "project_id",
        "partner_id",
        string="Actors involved",
    )
    cls_year = fields.Integer(string="Local health contract year")
    date_start = fields.Date(string="Start")
    date_end = fields.Date(string="End")
    funding_line_ids = fields.One2many(
        "coordination.funding.line", "collective_project_id", string="Funding"
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id, required=True
    )
    funding_existing = fields.Monetary(
        string="Existing funding",
        compute="_compute_funding",
        currency_field="currency_id",
    )
    funding_to_develop = fields.Monetary(
        string="Funding to develop",
        compute="_compute_funding",
        currency_field="currency_id",
    )
    funding_total = fields.Monetary(
        string="Total funding", compute="_compute_funding", currency_field="currency_id"
    )
    indicator_ids = fields.One2many(
        "coordination.indicator", "collective_project_id", string="Indicators"
    )
    collective_action_ids = fields.One2many(
        "coordination.collective.action", "collective_project_id", string="Actions"
    )
    session_ids = fields.One2many(
        "calendar.event", "coordination_collective_project_id", string="Sessions"
    )
    session_count = fields.Integer(compute="_compute_session_count")
    good_practice_ids = fields.Many2many(
        "coordination.good.practice",
        "coordination_good_practice_project_rel",
        "project_id",
        "practice_id",
        string="Good practices",
    )
    active = fields.Boolean(default=True)

    @api.depends("funding_line_ids.amount", "funding_line_ids.status")
    def _compute_funding(self):
        for project in self:
            lines = project.funding_line_ids
            project.funding_existing = sum(
                lines.filtered(lambda line: line.status == "existing").mapped("amount")
            )
            project.funding_to_develop = sum(
                lines.filtered(lambda line: line.status == "to_develop").mapped(
                    "amount"
                )
            )
            project.funding_total = (
                project.funding_existing + project.funding_to_develop
            )

    def _compute_session_count(self):
        for project in self:
            project.session_count = len(project.session_ids)

    def _compute_display_name(self):
        for project in self:
            prefix = " ".join(filter(None, [project.axis, project.sheet_number]))
            project.display_name = (
                f"{prefix} - {project.name}" if prefix else project.name
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for project in self:
            if (
                project.date_start
                and project.date_end
                and project.date_end < project.date_start
            ):
                raise ValidationError(
                    self.env._("A collective project cannot end before it starts.")
                )

    def _indicator_figures(self):
        """Counts an indicator can be computed from: sessions held and actions."""
        self.ensure_one()
        # sudo: aggregate counts only; sessions of a collective project are not about
        # an individual, and no record is returned to the user.
        sessions = self.sudo().session_ids.filtered(
            lambda s: s.start and s.start <= fields.Datetime.now()
        )
        present = sessions.attendee_ids.filtered(
            lambda a: a.coordination_attendance == "present"
        )
        structures = self.env["res.partner"]
        for attendee in present:
            structures |= attendee.partner_id._coordination_structure()
        actions = self.sudo().collective_action_ids.filtered(
            lambda a: a.state != "cancelled"
        )
        done = actions.filtered(lambda a: a.state == "done")
        return {
            "meetings_held": len(sessions),
            "partners_invited": len(sessions.partner_ids),
            "structures_represented": len(structures),
            "actions_planned": len(actions),
            "actions_done": len(done),
            "participants": sum(done.mapped("participant_count")),
        }

    def _set_state(self, state, allowed):
        for project in self:
            if project.state not in allowed:
                raise UserError(
                    self.env._(
                        "This step is not possible from the current state of %(name)s.",
                        name=project.display_name,
                    )
                )
        self.write({"state": state})

    def action_draft(self):
        self._set_state("drafting", ("idea", "abandoned"))

    def action_validate(self):
        for project in self:
            if not project.general_objectives or not project.carrier_ids:
                raise UserError(
                    self.env._(
                        "Give the general objectives and who carries %(name)s before "
                        "validating it.",
                        name=project.display_name,
                    )
                )
        self._set_state("validated", ("idea", "drafting"))

    def action_start(self):
        self._set_state("in_progress", ("validated",))

    def action_evaluate(self):
        for project in self:
            if not project.indicator_ids:
                raise UserError(
                    self.env._(
                        "%(name)s has no indicator: an evaluation needs them.",
                        name=project.display_name,
                    )
                )
        self._set_state("evaluated", ("in_progress",))

    def action_abandon(self):
        self._set_state("abandoned", ("idea", "drafting", "validated", "in_progress"))

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coordination_microlocale.action_coordination_session"
        )
        action["domain"] = [("coordination_collective_project_id", "=", self.id)]
        action["context"] = {
            "default_coordination_collective_project_id": self.id,
            "default_coordination_territory_id": self.territory_id.id,
        }
        return action
