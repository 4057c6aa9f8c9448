from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.orm.models import parse_read_group_spec

from .coordination_access_log import BUFFER_KEY

# Free texts: the content of a file itself. No grouped read returns them: grouping
# or aggregating them (array_agg, max, a "having" or an order on them) is refused,
# since a trace could not say which text of which record was read, and no view of
# Odoo needs it.
FREE_TEXT_TYPES = ("text", "html", "binary", "json", "properties")
# Short texts (a goal, an action, a ward) returned by a group or an aggregate are a
# consultation of the records of those groups: they are traced.
TRACED_TYPES = ("char",)
# Aggregates that return a figure, not the values themselves.
FIGURE_FUNCTIONS = ("count", "count_distinct")


def is_traced(model):
    """Whether the records of ``model`` (a recordset, possibly empty) are traced."""
    return model is not None and isinstance(
        model, model.pool["coordination.access.trail.mixin"]
    )


class CoordinationAccessTrailMixin(models.AbstractModel):
    """Trace every read, change, export of individual records by real users.

    Reads are traced where the ORM formats them for the caller (read, search_read,
    web_read...), once per call and record, so that a list view costs one insert.
    Reading a record's name only (a many2one elsewhere) is not a consultation.
    """

    _name = "coordination.access.trail.mixin"
    _description = "Access trail of individual records"

    access_log_count = fields.Integer(
        string="Consultations",
        compute="_compute_access_log_count",
        groups="coordination_microlocale.group_coordinator",
    )

    def _compute_access_log_count(self):
        # Without writing the traces of the transaction first, so that a form still
        # costs one INSERT: those it has buffered are counted from the buffer (a
        # consultation the window will not write again counts once more until then).
        counts = dict(
            self.env["coordination.access.log"]
            .with_context(coordination_trail_pending=True)
            ._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        pending = self.env.cr.precommit.data.get(BUFFER_KEY) or {}
        for (_uid, _operation, model, res_id), traces in pending.items():
            if model == self._name:
                counts[res_id] = counts.get(res_id, 0) + len(traces)
        for record in self:
            record.access_log_count = counts.get(record.id, 0)

    def _coordination_trail_records(self):
        """The records of self that are individual data (all, unless overridden)."""
        return self

    def _coordination_trail_reference(self):
        return self.display_name

    def _coordination_trail_territory(self):
        # Every traced model has a territory_id, but sessions (calendar.event), which
        # override this method.
        return self.territory_id

    def _coordination_trail_parent(self):
        """The file a record is part of: read with it, the file's trace covers it."""
        return self.browse()

    def _coordination_trail(self, operation):
        if self.env.su or not self:
            return
        records = self._coordination_trail_records()
        if records:
            self.env["coordination.access.log"]._log(records, operation)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if set(fnames) - {"id", "display_name"}:
            self.browse([values["id"] for values in result])._coordination_trail("read")
        return result

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._coordination_trail("create")
        return records

    def write(self, vals):
        self._coordination_trail("write")
        return super().write(vals)

    def unlink(self):
        self._coordination_trail("unlink")
        return super().unlink()

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._coordination_trail("export")
        # the files' children exported through them (hospital_stay_ids/note...)
        for fname in {path.split("/")[0] for path in fields_to_export}:
            field = self._fields.get(fname)
            if field is not None and field.relational:
                children = self[fname]
                if is_traced(children):
                    children._coordination_trail("export")
        return result

    # ------------------------------------------------------------------
    # Grouped reads
    # ------------------------------------------------------------------
    def _coordination_group_kind(self, spec, aggregate):
        """'refuse', 'trace' or None for one groupby or aggregate spec."""
        if spec == "__count":
            return None
        fname, _property, func = parse_read_group_spec(spec)
        field = self._fields.get(fname)
        if field is None:
            return None
        if field.type in FREE_TEXT_TYPES:
            return "refuse"
        if field.type in TRACED_TYPES and not (aggregate and func in FIGURE_FUNCTIONS):
            return "trace"
        return None

    def _coordination_group_check(self, domain, groupby, aggregates, having, order):
        """What a grouped read of individual contents needs: None, 'trace' (or raise).

        Counts, figures and groups by states, dates, territories, people... are not
        consultations (a group by person gives names and counts, as a many2one does).
        """
        if self.env.su:
            return None
        # who may not read the model at all is refused as before, not told more
        self.browse().check_access("read")
        specs = [(spec, False) for spec in groupby]
        specs += [(spec, True) for spec in aggregates]
        for term in having or ():
            if isinstance(term, (list, tuple)) and term:
                specs.append((term[0], True))
        for term in (order or "").split(","):
            if term.strip():
                specs.append((term.split()[0], ":" in term.split()[0]))
        kinds = {self._coordination_group_kind(spec, agg) for spec, agg in specs}
        kinds.discard(None)
        if not kinds or not self._coordination_group_has_individual(domain):
            return None
        if "refuse" in kinds:
            raise UserError(
                self.env._(
                    "The free texts of individual files (problématique, description, "
                    "notes, minutes...) cannot be grouped or aggregated: open the "
                    "files to read them."
                )
            )
        return "trace"

    def _coordination_group_has_individual(self, domain):
        """Whether the records of ``domain`` may hold individual data (all, here)."""
        return True

    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        need = self._coordination_group_check(
            domain, groupby, aggregates, having, order
        )
        if need != "trace":
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        # The records of the groups returned, from the same query.
        rows = super()._read_group(
            domain,
            groupby,
            [*aggregates, "id:array_agg_distinct"],
            having,
            offset,
            limit,
            order,
        )
        ids = {id_ for row in rows for id_ in (row[-1] or ())}
        self.browse(sorted(ids))._coordination_trail("read")
        return [row[:-1] for row in rows]

    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        need = self._coordination_group_check(
            domain,
            [spec for groupby in grouping_sets for spec in groupby],
            aggregates,
            (),
            order,
        )
        if need != "trace":
            return super()._read_grouping_sets(domain, grouping_sets, aggregates, order)
        result = super()._read_grouping_sets(
            domain, grouping_sets, [*aggregates, "id:array_agg_distinct"], order
        )
        ids = {id_ for rows in result for row in rows for id_ in (row[-1] or ())}
        self.browse(sorted(ids))._coordination_trail("read")
        return [[row[:-1] for row in rows] for rows in result]

    def action_view_access_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coordination_microlocale.action_coordination_access_log"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"create": False}
        return action


class CoordinationAccessTrailChildMixin(models.AbstractModel):
    """The parts of an individual project (consents, needs, goals, actions, stays).

    Traced as the project is: under the project's reference and territory.
    """

    _name = "coordination.access.trail.child.mixin"
    _inherit = ["coordination.access.trail.mixin"]
    _description = "Access trail of the parts of an individual project"

    # What the mixin reads; each model refines it (required, ondelete...).
    project_id = fields.Many2one("coordination.individual.project", index=True)

    def _coordination_trail_reference(self):
        return self.project_id.name

    def _coordination_trail_territory(self):
        return self.project_id.territory_id

    def _coordination_trail_parent(self):
        return self.project_id
