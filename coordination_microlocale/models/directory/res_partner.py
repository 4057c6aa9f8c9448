from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain

from ..privacy.coordination_retention_mixin import remove_traces
from . import identifiers

LEVELS = [
    ("local", "Local"),
    ("territorial", "Territorial"),
    ("regional", "Regional"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    coordination_role = fields.Selection(
        [
            ("structure", "Partner structure"),
            ("professional", "Professional"),
        ],
        string="Directory",
        index=True,
        help="Partner structures and professionals form the directory. Residents "
        "are not marked: being accompanied must not show on a contact.",
    )
    coordination_structure_type_id = fields.Many2one(
        "coordination.structure.type", string="Structure type", index=True
    )
    coordination_profession_id = fields.Many2one(
        "coordination.profession", string="Profession", index=True
    )
    coordination_field_of_action_ids = fields.Many2many(
        "coordination.field.of.action",
        string="Fields of action",
    )
    coordination_level = fields.Selection(LEVELS, string="Level of action")
    coordination_territory_ids = fields.Many2many(
        "coordination.territory",
        "coordination_territory_res_partner_rel",
        "partner_id",
        "territory_id",
        string="Territories served",
    )
    coordination_rpps = fields.Char(string="RPPS number", index=True)
    coordination_adeli = fields.Char(string="ADELI number")
    coordination_finess = fields.Char(string="FINESS number", index=True)
    coordination_siret = fields.Char(
        string="SIRET number", index=True, help="Links professionals to their site."
    )
    # Set by the import of the national directories (coordination.directory.import):
    # what the directory said at the last import, to tell a local change from a
    # change of the directory.
    coordination_import_source = fields.Selection(
        [("rpps", "RPPS"), ("finess", "FINESS")],
        string="Imported from",
        readonly=True,
        copy=False,
    )
    coordination_import_values = fields.Json(
        string="Last imported values", readonly=True, copy=False
    )
    coordination_import_commune = fields.Char(
        string="INSEE code (directory)", readonly=True, copy=False, index=True
    )
    coordination_import_run = fields.Integer(
        string="Last import listing it", readonly=True, copy=False, index=True
    )
    coordination_services = fields.Text(
        string="Services offered", help="What this partner can do for people."
    )
    # Computed in the reader's own environment so that record rules apply: a user who
    # may not see a request or project of this person gets 0, never a hint.
    coordination_request_count = fields.Integer(
        compute="_compute_coordination_counts",
        compute_sudo=False,
        groups="coordination_microlocale.group_coordinator,coordination_microlocale.group_professional",
    )
    coordination_project_count = fields.Integer(
        compute="_compute_coordination_counts",
        compute_sudo=False,
        groups="coordination_microlocale.group_coordinator,coordination_microlocale.group_professional",
    )

    coordination_followed = fields.Boolean(
        string="Accompanied by the coordination",
        compute="_compute_coordination_counts",
        search="_search_coordination_followed",
        compute_sudo=False,
        groups="coordination_microlocale.group_coordinator,coordination_microlocale.group_professional",
    )

    _rpps_uniq = models.UniqueIndex(
        "(coordination_rpps) WHERE coordination_rpps IS NOT NULL AND active",
        "Another active contact already has this RPPS number.",
    )

    @api.onchange("coordination_structure_type_id")
    def _onchange_coordination_structure_type_id(self):
        structure_type = self.coordination_structure_type_id
        if structure_type:
            self.coordination_role = "structure"
            self.is_company = True
            if not self.coordination_field_of_action_ids:
                self.coordination_field_of_action_ids = (
                    structure_type.field_of_action_ids
                )
            if not self.coordination_level and structure_type.level:
                self.coordination_level = structure_type.level

    @api.onchange("coordination_profession_id")
    def _onchange_coordination_profession_id(self):
        if self.coordination_profession_id and not self.coordination_role:
            self.coordination_role = "professional"

    @api.model
    def _normalize_coordination_identifiers(self, vals):
        for field_name in (
            "coordination_rpps",
            "coordination_adeli",
            "coordination_finess",
        ):
            if vals.get(field_name):
                vals[field_name] = identifiers.normalize_identifier(vals[field_name])
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_coordination_identifiers(vals)
            if "meeting_ids" in vals:
                self.browse()._coordination_check_meeting_commands(vals["meeting_ids"])
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_coordination_identifiers(vals)
        if "meeting_ids" in vals:
            self._coordination_check_meeting_commands(vals["meeting_ids"])
        return super().write(vals)

    def _coordination_check_meeting_commands(self, commands):
        """Changing a contact's meetings changes the attendees of those events.

        Odoo checks the events a contact is linked to, not those it is unlinked from
        (a removal or a replacement of the whole list): the sessions about a person
        touched either way must be open to the user for writing.
        """
        if self.env.su:
            return
        event_ids = set()
        for command in commands or ():
            if not isinstance(command, list | tuple) or not command:
                continue
            if command[0] in (
                Command.UPDATE,
                Command.DELETE,
                Command.UNLINK,
                Command.LINK,
            ):
                event_ids.add(command[1])
            elif command[0] in (Command.CLEAR, Command.SET):
                if command[0] == Command.SET:
                    event_ids.update(command[2])
                # sudo: the events the command would detach, hidden ones included;
                # the user's own rights are checked on them below.
                event_ids.update(self.sudo().meeting_ids.ids)
        events = self.env["calendar.event"].browse(event_ids).exists()
        events._coordination_sessions_about_a_person().check_access("write")

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        # Odoo matches a many2many against record ids (or against "empty") in its
        # relation table alone, without the rules of the comodel: ('meeting_ids', 'in',
        # [id]) would tell who attends a session about a person that the user may not
        # read. A rule cannot reach that condition; it is rewritten through the events
        # themselves ('any'), so that their rules apply. Every other condition, and
        # every search as superuser, is Odoo's own.
        if not self.env.su:
            domain = Domain(domain).map_conditions(self._coordination_meeting_condition)
        return super()._search(domain, offset, limit, order, **kwargs)

    @api.model
    def _coordination_meeting_condition(self, condition):
        if condition.field_expr != "meeting_ids" or condition.operator not in (
            "=",
            "!=",
            "in",
            "not in",
        ):
            return condition
        positive = condition.operator in ("=", "in")
        values = condition.value
        if not isinstance(values, list | tuple | set | frozenset):
            values = [values]
        ids = [value for value in values if isinstance(value, int) and value]
        domain = Domain.FALSE
        if ids:
            domain |= Domain("meeting_ids", "any", Domain("id", "in", ids))
        if any(value is False or value is None for value in values):
            # "no meeting": none that the user may see
            domain |= Domain("meeting_ids", "not any", Domain.TRUE)
        if len(ids) + sum(v is False or v is None for v in values) != len(values):
            return condition
        return domain if positive else ~domain

    @api.constrains("coordination_rpps")
    def _check_coordination_rpps(self):
        for partner in self.filtered("coordination_rpps"):
            if not identifiers.is_valid_rpps(partner.coordination_rpps):
                raise ValidationError(
                    self.env._(
                        "The RPPS number %(number)s of %(name)s is invalid: it must "
                        "have 11 "
                        "digits and end with its check key.",
                        number=partner.coordination_rpps,
                        name=partner.name,
                    )
                )

    @api.constrains("coordination_adeli")
    def _check_coordination_adeli(self):
        for partner in self.filtered("coordination_adeli"):
            if not identifiers.is_valid_adeli(partner.coordination_adeli):
                raise ValidationError(
                    self.env._(
                        "The ADELI number %(number)s of %(name)s is invalid: it must "
                        "have 9 "
                        "characters, the department then 7 digits.",
                        number=partner.coordination_adeli,
                        name=partner.name,
                    )
                )

    @api.constrains("coordination_finess")
    def _check_coordination_finess(self):
        for partner in self.filtered("coordination_finess"):
            if not identifiers.is_valid_finess(partner.coordination_finess):
                raise ValidationError(
                    self.env._(
                        "The FINESS number %(number)s of %(name)s is invalid: it must "
                        "have 9 "
                        "characters, the department then 7 digits, the last one being "
                        "its "
                        "check key.",
                        number=partner.coordination_finess,
                        name=partner.name,
                    )
                )

    @api.depends_context("uid")
    def _compute_coordination_counts(self):
        Request = self.env["coordination.request"]
        Project = self.env["coordination.individual.project"]
        can_read_requests = Request.has_access("read")
        can_read_projects = Project.has_access("read")
        request_counts = {}
        project_counts = {}
        if can_read_requests and self.ids:
            request_counts = dict(
                Request._read_group(
                    [("person_id", "in", self.ids)], ["person_id"], ["__count"]
                )
            )
        if can_read_projects and self.ids:
            project_counts = dict(
                Project._read_group(
                    [("person_id", "in", self.ids)], ["person_id"], ["__count"]
                )
            )
        for partner in self:
            partner.coordination_request_count = request_counts.get(partner, 0)
            partner.coordination_project_count = project_counts.get(partner, 0)
            partner.coordination_followed = bool(
                partner.coordination_request_count or partner.coordination_project_count
            )

    def _search_coordination_followed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on accompanied people."))
        # Searched with the reader's own rights: only the files they may read count.
        partner_ids = set()
        for model in ("coordination.request", "coordination.individual.project"):
            Model = self.env[model]
            if Model.has_access("read"):
                partner_ids.update(
                    Model.search([("person_id", "!=", False)]).person_id.ids
                )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", list(partner_ids))]

    def _coordination_action(self, model, name):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            f"coordination_microlocale.action_{model.replace('.', '_')}"
        )
        action["domain"] = [("person_id", "=", self.id)]
        action["context"] = {"default_person_id": self.id}
        action["name"] = name
        return action

    def action_view_coordination_requests(self):
        return self._coordination_action("coordination.request", self.env._("Requests"))

    def action_view_coordination_projects(self):
        return self._coordination_action(
            "coordination.individual.project", self.env._("Individual health projects")
        )

    def action_coordination_personal_data(self):
        """Right of access: export what the module holds about this person."""
        self.ensure_one()
        wizard = self.env["coordination.personal.data.export"].create(
            {"partner_id": self.id}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Personal data"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_coordination_anonymise(self):
        """Right to erasure, when the law allows it: no open file, all readable."""
        self.ensure_one()
        Request = self.env["coordination.request"]
        Project = self.env["coordination.individual.project"]
        request_domain = [
            "|",
            ("person_id", "=", self.id),
            "&",
            ("requester_partner_id", "=", self.id),
            ("requester_type", "in", ("resident", "relative")),
        ]
        project_domain = [("person_id", "=", self.id)]
        requests = Request.search(request_domain)
        projects = Project.search(project_domain)
        # sudo: counts only, to refuse when some files are out of the user's reach.
        # The refusal is the same as for open files and for a contact the user holds
        # no file of, so that it does not tell whether files exist elsewhere.
        if (
            not (requests or projects)
            or Request.sudo().search_count(request_domain) != len(requests)
            or Project.sudo().search_count(project_domain) != len(projects)
            or requests.filtered(lambda r: r.state != "closed")
            or projects.filtered(lambda p: p.state != "closed")
        ):
            raise UserError(
                self.env._(
                    "This person cannot be anonymised here yet: the files about them "
                    "must all be in the territories you coordinate, and all closed."
                )
            )
        projects.check_access("write")
        requests.check_access("write")
        projects._coordination_anonymise()
        requests._coordination_anonymise()
        # sudo: the contact of a person whose every file the user was allowed to change.
        self.sudo().write(
            {
                "name": self.env._("Anonymised person"),
                "street": False,
                "street2": False,
                "zip": False,
                "city": False,
                "email": False,
                "phone": False,
                "comment": False,
                "active": False,
            }
        )
        remove_traces(self)
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_except_coordination_file(self):
        # sudo: the check must see every file, including those the deleting user may not
        # read; the message names no file, so it reveals nothing of them.
        partner_ids = self.ids
        Sudo = (
            self.env["coordination.circle.member"]
            .sudo()
            .with_context(active_test=False)
        )
        linked = (
            Sudo.search_count([("partner_id", "in", partner_ids)], limit=1)
            or self.env["coordination.request"]
            .sudo()
            .search_count(
                [
                    "|",
                    "|",
                    ("person_id", "in", partner_ids),
                    ("requester_partner_id", "in", partner_ids),
                    ("orientation_partner_ids", "in", partner_ids),
                ],
                limit=1,
            )
            or self.env["coordination.individual.project"]
            .sudo()
            .search_count(
                [
                    "|",
                    ("person_id", "in", partner_ids),
                    ("referent_partner_id", "in", partner_ids),
                ],
                limit=1,
            )
            or self.env["coordination.project.action"]
            .sudo()
            .search_count([("responsible_partner_id", "in", partner_ids)], limit=1)
            or self.env["coordination.register.entry"]
            .sudo()
            .search_count(
                [
                    "|",
                    "|",
                    ("partner_id", "in", partner_ids),
                    ("doctor_id", "in", partner_ids),
                    ("home_service_ids", "in", partner_ids),
                ],
                limit=1,
            )
        )
        if linked:
            # The same words whatever holds the contact, and for every user: they tell
            # neither that files exist nor of what kind.
            raise UserError(
                self.env._(
                    "This contact is used by other records and cannot be deleted, so "
                    "that nothing is lost. Archive it instead."
                )
            )

    def _coordination_structure(self):
        """The structure a contact represents: itself if a company, else its company."""
        self.ensure_one()
        if self.is_company:
            return self
        return self.parent_id if self.parent_id.is_company else self.browse()
