from odoo import api, fields, models


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
        counts = dict(
            self.env["coordination.access.log"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for record in self:
            record.access_log_count = counts.get(record.id, 0)

    def _coordination_trail_records(self):
        """The records of self that are individual data (all, unless overridden)."""
        return self

    def _coordination_trail_reference(self):
        return self.display_name

    def _coordination_trail_territory(self):
        return self.territory_id

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
        return result

    def action_view_access_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coordination_microlocale.action_coordination_access_log"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
