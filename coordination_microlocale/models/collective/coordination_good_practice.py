from odoo import fields, models


class CoordinationGoodPractice(models.Model):
    """The "fiche de relevé des bonnes pratiques" of the regional guide."""

    _name = "coordination.good.practice"
    _description = "Good practice record sheet"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(string="Title", required=True)
    territory_id = fields.Many2one(
        "coordination.territory", required=True, ondelete="restrict"
    )
    actor_type_ids = fields.Many2many(
        "coordination.structure.type", string="Types of actors"
    )
    actor_ids = fields.Many2many("res.partner", string="Actors")
    practice_type = fields.Selection(
        [
            ("concertation", "Inter-professional concertation"),
            ("pathway", "Health pathway organisation"),
            ("prevention", "Prevention and health promotion"),
            ("access", "Access to rights and care"),
            ("community", "Community health"),
            ("information", "Information and communication"),
            ("other", "Other"),
        ],
        string="Type of practice",
        required=True,
        default="pathway",
    )
    description = fields.Html()
    result = fields.Html(string="Result / improvement of the health pathway")
    evaluation_method = fields.Html(string="Evaluation method")
    deployment = fields.Html(string="Towards deployment?")
    adaptation_conditions = fields.Html(string="Conditions of adaptation elsewhere")
    collective_project_ids = fields.Many2many(
        "coordination.collective.project",
        "coordination_good_practice_project_rel",
        "practice_id",
        "project_id",
        string="Collective projects",
    )
    active = fields.Boolean(default=True)
