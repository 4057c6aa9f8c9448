from odoo import api, fields, models
from odoo.exceptions import ValidationError

CIRCLE_ROLES = [
    ("person", "Person concerned"),
    ("carer", "Carer / relative"),
    ("trusted_person", "Trusted person"),
    ("professional", "Professional"),
    ("structure", "Partner structure"),
    ("coordinator", "Coordinator"),
    ("other", "Other"),
]

# Roles that receive information about the person: they need the person's consent.
ROLES_NEEDING_CONSENT = (
    "carer",
    "trusted_person",
    "professional",
    "structure",
    "other",
)


class CoordinationCircleMember(models.Model):
    _name = "coordination.circle.member"
    _inherit = ["coordination.access.trail.mixin"]
    _description = "Circle member"
    _order = "project_id, is_active desc, role_sequence, id"
    _rec_names_search = ["partner_id", "project_id"]

    project_id = fields.Many2one(
        "coordination.individual.project",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, index=True, ondelete="restrict"
    )
    phone = fields.Char(related="partner_id.phone")
    email = fields.Char(related="partner_id.email", string="E-mail")
    role = fields.Selection(CIRCLE_ROLES, required=True, default="professional")
    role_sequence = fields.Integer(compute="_compute_role_sequence", store=True)
    role_detail = fields.Char(
        string="Role in the project", help="E.g. attending GP, daughter, home nurse."
    )
    structure_id = fields.Many2one(
        "res.partner",
        compute="_compute_structure_id",
        store=True,
        readonly=False,
    )
    is_active = fields.Boolean(string="Active", default=True, index=True)
    date_joined = fields.Date(default=fields.Date.context_today, required=True)
    date_left = fields.Date()
    territory_id = fields.Many2one(
        related="project_id.territory_id", store=True, index=True
    )
    in_consent_scope = fields.Boolean(
        string="Within the consent",
        compute="_compute_in_consent_scope",
        store=True,
        index=True,
        help="The person's current consent covers sharing with this member.",
    )
    access_granted = fields.Boolean(
        string="Access",
        compute="_compute_access_granted",
        store=True,
        index=True,
        help="A professional sees the project only while active in the circle and "
        "while the person's consent is given.",
    )

    _partner_project_uniq = models.UniqueIndex(
        "(project_id, partner_id) WHERE is_active",
        "This contact is already an active member of the circle.",
    )

    @api.depends("role")
    def _compute_role_sequence(self):
        order = {key: index for index, (key, _label) in enumerate(CIRCLE_ROLES)}
        for member in self:
            member.role_sequence = order.get(member.role, 99)

    @api.depends("partner_id")
    def _compute_structure_id(self):
        for member in self:
            parent = member.partner_id.parent_id
            member.structure_id = parent if parent.is_company else False

    @api.depends(
        "partner_id.parent_id",
        "partner_id.coordination_structure_type_id",
        "role",
        "project_id.current_consent_id",
    )
    def _compute_in_consent_scope(self):
        for member in self:
            consent = member.project_id.current_consent_id
            if member.role not in ROLES_NEEDING_CONSENT:
                member.in_consent_scope = True
            elif consent.state != "given":
                member.in_consent_scope = False
            elif not consent.scope_partner_ids and not consent.scope_structure_type_ids:
                member.in_consent_scope = True
            else:
                partner = member.partner_id
                structure = partner._coordination_structure()
                types = (
                    partner.coordination_structure_type_id
                    | structure.coordination_structure_type_id
                )
                member.in_consent_scope = bool(
                    partner in consent.scope_partner_ids
                    or (structure and structure in consent.scope_partner_ids)
                    or types & consent.scope_structure_type_ids
                )

    @api.depends("is_active", "role", "project_id.consent_state", "in_consent_scope")
    def _compute_access_granted(self):
        for member in self:
            member.access_granted = member._grants_access()

    def _grants_access(self):
        self.ensure_one()
        if not self.is_active:
            return False
        if self.role not in ROLES_NEEDING_CONSENT:
            return True
        return self.project_id.consent_state == "given" and self.in_consent_scope

    def _coordination_trail_parent(self):
        return self.project_id

    def _compute_display_name(self):
        for member in self:
            member.display_name = f"{member.project_id.name} - {member.partner_id.name}"

    @api.constrains("role", "is_active", "project_id")
    def _check_consent(self):
        for member in self:
            if (
                member.is_active
                and member.role in ROLES_NEEDING_CONSENT
                and member.project_id.consent_state != "given"
            ):
                raise ValidationError(
                    self.env._(
                        "%(member)s cannot join the circle of project %(ref)s: the "
                        "person has "
                        "not given their consent to share information with the "
                        "circle. Record "
                        "the consent first.",
                        member=member.partner_id.name,
                        ref=member.project_id.name,
                    )
                )

    @api.constrains("date_joined", "date_left")
    def _check_dates(self):
        for member in self:
            if member.date_left and member.date_left < member.date_joined:
                raise ValidationError(
                    self.env._(
                        "%(member)s cannot leave the circle before joining it.",
                        member=member.partner_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        members.project_id._sync_circle_followers()
        return members

    def write(self, vals):
        if vals.get("is_active") is False and "date_left" not in vals:
            vals["date_left"] = fields.Date.context_today(self)
        res = super().write(vals)
        if "is_active" in vals or "role" in vals or "partner_id" in vals:
            self.project_id._sync_circle_followers()
        return res

    def action_leave(self):
        self.write({"is_active": False})

    def action_rejoin(self):
        self.write({"is_active": True, "date_left": False})
