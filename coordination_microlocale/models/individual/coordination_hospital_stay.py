from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..privacy.coordination_retention_mixin import remove_traces
from ..settings.coordination_parameters import get_int_list_param, get_int_param

CHECKLIST = [
    ("check_home_help", "Home help organised"),
    ("check_nurse", "Home nurse informed"),
    ("check_pharmacy", "Pharmacy informed"),
    ("check_equipment", "Equipment at home"),
    ("check_meals", "Meals organised"),
    ("check_carer", "Carer informed"),
    ("check_gp", "GP informed"),
]


class CoordinationHospitalStay(models.Model):
    _name = "coordination.hospital.stay"
    _description = "Hospital stay"
    _inherit = [
        "coordination.neutral.notification.mixin",
        "mail.activity.mixin",
        "coordination.access.trail.child.mixin",
    ]
    _order = "planned_discharge_date desc, id desc"
    _mail_post_access = "read"

    project_id = fields.Many2one(
        "coordination.individual.project",
        string="Individual project",
        required=True,
        index=True,
        ondelete="cascade",
    )
    territory_id = fields.Many2one(
        related="project_id.territory_id", store=True, index=True
    )
    hospital_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="restrict",
        domain=[("coordination_role", "=", "structure")],
    )
    contact_partner_id = fields.Many2one(
        "res.partner",
        string="Hospital contact",
        ondelete="restrict",
        help="The ward's social worker, nurse or doctor who prepares the discharge.",
    )
    person_id = fields.Many2one(related="project_id.person_id", string="Person")
    service = fields.Char(string="Ward")
    admission_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    planned_discharge_date = fields.Date(tracking=True)
    discharge_date = fields.Date(string="Actual discharge", tracking=True)
    state = fields.Selection(
        [
            ("planned", "Admission planned"),
            ("in_hospital", "In hospital"),
            ("discharged", "Back home"),
            ("cancelled", "Cancelled"),
        ],
        default="in_hospital",
        required=True,
        tracking=True,
    )
    check_home_help = fields.Boolean(string="Home help organised")
    check_nurse = fields.Boolean(string="Home nurse informed")
    check_pharmacy = fields.Boolean(string="Pharmacy informed")
    check_equipment = fields.Boolean(string="Equipment at home")
    check_meals = fields.Boolean(string="Meals organised")
    check_carer = fields.Boolean(string="Carer informed")
    check_gp = fields.Boolean(string="GP informed")
    checklist_progress = fields.Integer(
        string="Return home prepared (%)", compute="_compute_checklist_progress"
    )
    note = fields.Text()

    @api.depends(*[name for name, _label in CHECKLIST])
    def _compute_checklist_progress(self):
        for stay in self:
            done = sum(bool(stay[name]) for name, _label in CHECKLIST)
            stay.checklist_progress = round(100 * done / len(CHECKLIST))

    def _compute_display_name(self):
        for stay in self:
            stay.display_name = self.env._(
                "Hospital stay %(ref)s", ref=stay.project_id.name or ""
            )

    @api.constrains("admission_date", "planned_discharge_date", "discharge_date")
    def _check_dates(self):
        for stay in self:
            if (
                stay.planned_discharge_date
                and stay.planned_discharge_date < stay.admission_date
            ):
                raise ValidationError(
                    self.env._("The planned discharge cannot precede the admission.")
                )
            if stay.discharge_date and stay.discharge_date < stay.admission_date:
                raise ValidationError(
                    self.env._("The discharge cannot precede the admission.")
                )

    @api.model
    def _reminder_offsets(self):
        """Days before the planned discharge when the coordinator is reminded."""
        return get_int_list_param(self.env, "discharge_reminder_days")

    @api.model
    def _follow_up_delay(self):
        return get_int_param(self.env, "discharge_follow_up_days")

    @api.model_create_multi
    def create(self, vals_list):
        stays = super().create(vals_list)
        stays._schedule_discharge_activities()
        return stays

    def write(self, vals):
        res = super().write(vals)
        if {"planned_discharge_date", "discharge_date", "state"} & set(vals):
            self._schedule_discharge_activities()
        return res

    def _schedule_discharge_activities(self):
        """(Re)plan the coordinator's to-dos around the discharge; idempotent."""
        activity_type = self.env.ref(
            "coordination_microlocale.mail_activity_type_discharge"
        )
        follow_type = self.env.ref(
            "coordination_microlocale.mail_activity_type_follow_up"
        )
        today = fields.Date.context_today(self)
        for stay in self:
            stay.activity_ids.filtered(
                lambda a, types=activity_type | follow_type: a.activity_type_id in types
            ).unlink()
            user = stay.project_id.coordinator_id
            if not user or stay.state == "cancelled":
                continue
            if stay.state in ("planned", "in_hospital") and stay.planned_discharge_date:
                dates = {
                    max(today, stay.planned_discharge_date - timedelta(days=days))
                    for days in self._reminder_offsets()
                }
                for deadline in sorted(dates):
                    stay.activity_schedule(
                        activity_type_id=activity_type.id,
                        date_deadline=deadline,
                        user_id=user.id,
                        summary=stay._discharge_summary(
                            (stay.planned_discharge_date - deadline).days, user
                        ),
                    )
            discharge = stay.discharge_date or (
                stay.state == "discharged" and stay.planned_discharge_date
            )
            if discharge:
                stay.activity_schedule(
                    activity_type_id=follow_type.id,
                    date_deadline=max(
                        today, discharge + timedelta(days=self._follow_up_delay())
                    ),
                    user_id=user.id,
                    summary=self.with_context(lang=user.lang).env._(
                        "Call after the return home"
                    ),
                )

    def _discharge_summary(self, days_left, user):
        """The to-do's title, in the coordinator's language (it is stored)."""
        env = self.with_context(lang=user.lang).env
        if days_left <= 0:
            return env._("Prepare the return home (discharge today)")
        if days_left == 1:
            return env._("Prepare the return home (discharge tomorrow)")
        return env._(
            "Prepare the return home (discharge in %(days)s days)", days=days_left
        )

    def action_discharged(self):
        for stay in self:
            stay.write(
                {
                    "state": "discharged",
                    "discharge_date": stay.discharge_date
                    or fields.Date.context_today(stay),
                }
            )

    def _coordination_anonymise(self):
        """Retention: notes, service and contact go; the dates stay counted."""
        self.write({"note": False, "service": False, "contact_partner_id": False})
        remove_traces(self)
