from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CoordinationTerritory(models.Model):
    _name = "coordination.territory"
    _description = "Territory"
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=False)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    kind = fields.Selection(
        [
            ("intercommunality", "Intercommunality"),
            ("commune", "Commune"),
            ("neighbourhood", "Neighbourhood"),
        ],
        required=True,
        default="commune",
    )
    insee_code = fields.Char(string="INSEE code")
    department_code = fields.Char(
        string="Department",
        compute="_compute_department_code",
        store=True,
        readonly=False,
        help="Department number (85, 2A, 974...): the imports of the national "
        "directories filter on the communes of the territories or, without a commune "
        "code, on their department.",
    )
    parent_id = fields.Many2one(
        "coordination.territory",
        string="Part of",
        index=True,
        ondelete="restrict",
        help="Intercommunality of a commune, commune of a neighbourhood.",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        "coordination.territory", "parent_id", string="Sub-territories"
    )
    population = fields.Integer()
    is_priority_neighbourhood = fields.Boolean(
        string="Priority neighbourhood",
        help="Quartier prioritaire de la politique de la ville (QPV).",
    )
    coordinator_ids = fields.Many2many(
        "res.users",
        "coordination_territory_res_users_rel",
        "territory_id",
        "user_id",
        string="Coordinators",
        domain=[("share", "=", False)],
    )
    active = fields.Boolean(default=True)
    note = fields.Html()

    _check_population = models.Constraint(
        "CHECK(population >= 0)", "The population cannot be negative."
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for territory in self:
            if territory.parent_id:
                territory.complete_name = (
                    f"{territory.parent_id.complete_name} / {territory.name}"
                )
            else:
                territory.complete_name = territory.name

    @api.depends("insee_code")
    def _compute_department_code(self):
        for territory in self:
            code = (territory.insee_code or "").strip().upper()
            if code:
                territory.department_code = (
                    code[:3] if code.startswith(("97", "98")) else code[:2]
                )

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A territory cannot be part of itself."))

    @api.model_create_multi
    def create(self, vals_list):
        Grant = self.env["coordination.coordinator.grant"]
        territories = super().create(vals_list)
        Grant._record_changes(set(), Grant._coordination_pairs(territories))
        return territories

    def write(self, vals):
        if "coordinator_ids" not in vals:
            return super().write(vals)
        Grant = self.env["coordination.coordinator.grant"]
        before = Grant._coordination_pairs(self)
        res = super().write(vals)
        Grant._record_changes(before, Grant._coordination_pairs(self))
        return res
