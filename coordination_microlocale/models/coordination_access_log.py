from datetime import timedelta

from psycopg2.errors import ReadOnlySqlTransaction

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

OPERATIONS = [
    ("read", "Read"),
    ("create", "Create"),
    ("write", "Change"),
    ("unlink", "Delete"),
    ("export", "Data export"),
    ("print", "Print"),
    ("download", "Attachment download"),
]


class CoordinationAccessLog(models.Model):
    """Who read or changed an individual file, when: the access trail.

    Written by the ORM hooks of coordination.access.trail.mixin (one INSERT per call),
    never by hand: nobody may create, change or delete a trace. Only the
    retention purge removes traces older than the configured period.
    """

    _name = "coordination.access.log"
    _description = "Access trail"
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    operation = fields.Selection(OPERATIONS, required=True, readonly=True)
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Integer(
        string="Record ID", required=True, readonly=True, index=True
    )
    reference = fields.Char(readonly=True)
    territory_id = fields.Many2one("coordination.territory", readonly=True, index=True)

    def write(self, vals):
        if self:
            raise AccessError(self.env._("The access trail cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("The access trail cannot be deleted."))

    @api.model
    def _log(self, records, operation):
        """Record one trace per record, in a single insert."""
        # Records being edited in a form, not yet saved, are not consultations.
        records = records.filtered(lambda record: isinstance(record.id, int))
        if self.env.su or not records:
            return
        now = fields.Datetime.now()
        uid = self.env.uid
        # sudo: the reference and territory of records the user is reading or changing.
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                now,
                uid,
                operation,
                record._name,
                record.id,
                record._coordination_trail_reference(),
                record._coordination_trail_territory().id or None,
                uid,
                now,
                uid,
                now,
            )
            for record in records.sudo()
        ]
        if self.env.cr.readonly:
            # Downloads are first served on a read-only cursor; Odoo serves the request
            # again on a read/write one when it meets this error, and the trace is
            # written then, in the same transaction as the download.
            raise ReadOnlySqlTransaction("the access trail needs a read/write cursor")
        # One plain INSERT for the whole batch: the trail must not slow lists down, and
        # nobody (not even through sudo) creates traces through the ORM.
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (date, user_id, operation, res_model, res_id, "
                "reference, territory_id, create_uid, create_date, write_uid, "
                "write_date) VALUES %s",
                SQL.identifier(self._table),
                SQL(", ").join(rows),
            )
        )

    @api.model
    def _retention_days(self):
        raw = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("coordination_microlocale.access_log_retention_days", "365")
        )
        return int(raw) if raw.strip().isdigit() else 365

    @api.model
    def _cron_purge(self):
        """The only way a trace goes: older than the retention period.

        The limit is computed with the clock that dates the traces (Odoo's, in UTC),
        not PostgreSQL's now(): both must agree for a trace to live exactly its period.
        """
        limit = fields.Datetime.now() - timedelta(days=self._retention_days())
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE date < %s",
                SQL.identifier(self._table),
                limit,
            )
        )
        return True
