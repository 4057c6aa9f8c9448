from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain

from ..privacy.coordination_retention_mixin import remove_traces
from ..request.coordination_request import PERSONAL_REQUESTER_TYPES
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
    # A person accompanied: how to reach them, and who may speak with or for them.
    coordination_preferred_contact = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("post", "Letter"),
            ("visit", "Home visit"),
            ("carer", "Through a relative or carer"),
        ],
        string="Preferred contact",
        # Personal data of a person accompanied: the coordinators only, so that it
        # shows on no contact for anybody else.
        groups="coordination_microlocale.group_coordinator",
    )
    coordination_trusted_person_id = fields.Many2one(
        "res.partner",
        string="Trusted person",
        ondelete="set null",
        groups="coordination_microlocale.group_coordinator",
        help='The "personne de confiance" the person designated (article L1111-6 '
        "of the public health code).",
    )
    coordination_legal_representative_id = fields.Many2one(
        "res.partner",
        string="Legal representative",
        ondelete="set null",
        groups="coordination_microlocale.group_coordinator",
        help="Guardian or curator under a legal protection measure, if any.",
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

    def _coordination_files(self):
        """The files about these people, read with the current user's rights.

        Defined once, for the counts and the search of people accompanied, the right
        of access and the right to erasure: the requests where they are the person
        concerned or the resident, relative or outreach requester, and the projects
        of which they are the person. Returns ``(requests, projects)``; a model the
        user has no right on gives an empty recordset.
        """
        Request = self.env["coordination.request"]
        Project = self.env["coordination.individual.project"]
        requests, projects = Request.browse(), Project.browse()
        if Request.has_access("read"):
            requests = Request.search(self._coordination_files_domain(Request))
        if Project.has_access("read"):
            projects = Project.search(self._coordination_files_domain(Project))
        return requests, projects

    def _coordination_files_domain(self, model):
        ids = self.ids
        if model._name == "coordination.request":
            return Domain("person_id", "in", ids) | (
                Domain("requester_partner_id", "in", ids)
                & Domain("requester_type", "in", PERSONAL_REQUESTER_TYPES)
            )
        return Domain("person_id", "in", ids)

    @api.depends_context("uid")
    def _compute_coordination_counts(self):
        requests, projects = self._coordination_files()
        for partner in self:
            partner.coordination_request_count = len(
                requests.filtered(
                    lambda r, p=partner: p in (r.person_id | r.requester_partner_id)
                )
            )
            partner.coordination_project_count = len(
                projects.filtered(lambda r, p=partner: r.person_id == p)
            )
            partner.coordination_followed = bool(
                partner.coordination_request_count or partner.coordination_project_count
            )

    def _search_coordination_followed(self, operator, value):
        if operator != "in":
            return NotImplemented
        # Searched with the reader's own rights (_search applies the record rules):
        # only the files they may read count. Subqueries, not lists of ids, so that
        # the condition costs the same with 200,000 requests.
        conditions = [
            ("coordination.request", Domain("person_id", "!=", False), "person_id"),
            (
                "coordination.request",
                Domain("requester_type", "in", PERSONAL_REQUESTER_TYPES)
                & Domain("requester_partner_id", "!=", False),
                "requester_partner_id",
            ),
            (
                "coordination.individual.project",
                Domain("person_id", "!=", False),
                "person_id",
            ),
        ]
        domain = Domain.FALSE
        for model, files, column in conditions:
            Model = self.env[model]
            if Model.has_access("read"):
                domain |= Domain("id", "in", Model._search(files).subselect(column))
        return domain if True in value else ~domain

    def _coordination_action(self, model, name):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            f"coordination_microlocale.action_{model.replace('.', '_')}"
        )
        action["domain"] = list(self._coordination_files_domain(self.env[model]))
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
        Entry = self.env["coordination.register.entry"]
        requests, projects = self._coordination_files()
        request_domain = self._coordination_files_domain(Request)
        project_domain = self._coordination_files_domain(Project)
        # the register of vulnerable people: the person is struck off it too
        entry_domain = [("partner_id", "=", self.id), ("state", "!=", "struck_off")]
        entries = Entry.search(entry_domain) if Entry.has_access("read") else Entry
        # sudo: counts only, to refuse when some files are out of the user's reach.
        # The refusal is the same as for open files and for a contact the user holds
        # no file of, so that it does not tell whether files exist elsewhere.
        if (
            not (requests or projects)
            or Request.sudo().search_count(request_domain) != len(requests)
            or Project.sudo().search_count(project_domain) != len(projects)
            or Entry.sudo().search_count(entry_domain) != len(entries)
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
        entries._strike_off("request", note=self.env._("Right to erasure."))
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
                "coordination_preferred_contact": False,
                "coordination_trusted_person_id": False,
                "coordination_legal_representative_id": False,
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

    # A professional, and anybody working in a structure of the directory (the
    # coordinator at the town hall, a CCAS social worker), is named as a person ("Dr
    # Paul Martin"), not after their structure ("Maison de santé…, Dr Paul Martin"):
    # the structure shows beside them where it matters (circle, attendance, minutes).
    # Other contacts keep Odoo's names.
    def _get_complete_name(self):
        named_as_person = self.coordination_role == "professional" or (
            not self.is_company and self.parent_id.coordination_role == "structure"
        )
        if (
            named_as_person
            and self.name
            and not (self.env.context.get("formatted_display_name"))
        ):
            return self.name.strip()
        return super()._get_complete_name()

    @api.depends("coordination_role", "parent_id.coordination_role")
    def _compute_complete_name(self):
        return super()._compute_complete_name()

    @api.depends("coordination_role", "parent_id.coordination_role")
    def _compute_display_name(self):
        return super()._compute_display_name()

    def _coordination_structure(self):
        """The structure a contact represents: itself if a company, else its company."""
        self.ensure_one()
        if self.is_company:
            return self
        return self.parent_id if self.parent_id.is_company else self.browse()

    # ------------------------------------------------------------------
    # The portal: the contacts a portal user of the coordination reads
    # ------------------------------------------------------------------
    coordination_portal_visible = fields.Boolean(
        compute="_compute_coordination_portal_visible",
        search="_search_coordination_portal_visible",
        groups="coordination_microlocale.group_portal_professional,"
        "coordination_microlocale.group_portal_person",
        help="Technical: the contacts a portal user of the coordination may read, "
        "the directory and the members of the circles of the files they may see.",
    )

    @api.model
    def _coordination_portal_partner_ids(self):
        """The contacts of the files the current portal user may see.

        A professional: the circles and action carriers of the projects shared with
        them (the access policy, ``coordination_shared``); a person: those of their own
        projects. Nobody else gets any.
        """
        user = self.env.user
        Project = self.env["coordination.individual.project"]
        domain = Domain.FALSE
        if user._coordination_is_professional():
            domain |= Project._coordination_shared_domain()
        if user._coordination_is_portal_person():
            domain |= Domain("person_id", "=", user.partner_id.id)
        if domain.is_false():
            return []
        # sudo: the domain is the current user's own access policy, not their input.
        projects = Project.sudo().search(domain)
        partners = (
            projects.person_id
            | projects.circle_member_ids.filtered("is_active").partner_id
            | projects.action_ids.responsible_partner_id
            | projects.coordinator_id.partner_id
        )
        return partners.ids

    def _search_coordination_portal_visible(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = Domain("id", "in", self._coordination_portal_partner_ids())
        if self.env.user._coordination_is_professional():
            # the directory: partner structures and professionals, never residents
            domain |= Domain("coordination_role", "!=", False)
        return domain if True in value else ~domain

    @api.depends_context("uid")
    def _compute_coordination_portal_visible(self):
        visible = set(self._coordination_portal_partner_ids())
        professional = self.env.user._coordination_is_professional()
        for partner in self:
            partner.coordination_portal_visible = partner.id in visible or bool(
                professional and partner.coordination_role
            )
