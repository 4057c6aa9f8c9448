from datetime import timedelta

from psycopg2.errors import ReadOnlySqlTransaction

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..settings.coordination_parameters import get_int_param

OPERATIONS = [
    ("read", "Read"),
    ("messages", "Messages read"),
    ("create", "Create"),
    ("write", "Change"),
    ("unlink", "Delete"),
    ("export", "Data export"),
    ("print", "Print"),
    ("download", "Attachment download"),
]
# Consultations: traced once per user, record and window (see _trail_flush); every
# change, export, print and download is traced each time.
CONSULTATIONS = ("read", "messages")
BUFFER_KEY = "coordination_microlocale.access_trail"


class CoordinationAccessLog(models.Model):
    """Who read or changed an individual file, when: the access trail.

    Written by the ORM hooks of coordination.access.trail.mixin, never by hand: nobody
    may create, change or delete a trace. The traces of a transaction are buffered on
    its cursor and written by one INSERT before it commits (or before anyone reads the
    trail in the same transaction). Only the retention purge removes traces older
    than the configured period.
    """

    _name = "coordination.access.log"
    _description = "Access trail"
    _order = "date desc, id desc"
    # date and user_id say who and when; the four magic columns would only repeat them
    # in every row of the largest table of the module.
    _log_access = False

    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    operation = fields.Selection(OPERATIONS, required=True, readonly=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True)
    reference = fields.Char(readonly=True)
    territory_id = fields.Many2one("coordination.territory", readonly=True, index=True)

    # "who consulted this file" and the window check of _log, in one index
    _record_user_date_idx = models.Index("(res_id, user_id, date)")

    def write(self, vals):
        if self:
            raise AccessError(self.env._("The access trail cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("The access trail cannot be deleted."))

    @api.model
    def _window_minutes(self):
        return get_int_param(self.env, "access_log_window_minutes")

    @api.model
    def _trail_now(self):
        return fields.Datetime.now()

    @api.model
    def _log(self, records, operation):
        """Buffer one trace per record; the transaction writes them in one INSERT."""
        # Records being edited in a form, not yet saved, are not consultations.
        records = records.filtered(lambda record: isinstance(record.id, int))
        if self.env.su or not records:
            return
        if self.env.cr.readonly:
            # Requests are first served on a read-only cursor (downloads, some
            # controllers); Odoo serves the request again on a read/write one when it
            # meets this error, and the trace is written then, in the same
            # transaction as the read.
            raise ReadOnlySqlTransaction("the access trail needs a read/write cursor")
        now = self._trail_now()
        uid = self.env.uid
        buffer = self._trail_buffer()
        window = timedelta(minutes=self._window_minutes())
        # sudo: the reference and territory of records the user is reading or changing.
        for record in records.sudo():
            traces = buffer.setdefault((uid, operation, record._name, record.id), [])
            if traces and (
                operation not in CONSULTATIONS or now - traces[-1][0] < window
            ):
                continue  # already traced by this transaction
            parent = record._coordination_trail_parent()
            traces.append(
                (
                    now,
                    record._coordination_trail_reference() or None,
                    record._coordination_trail_territory().id or None,
                    (parent._name, parent.id) if parent else None,
                )
            )

    def _trail_buffer(self):
        cr = self.env.cr
        buffer = cr.precommit.data.get(BUFFER_KEY)
        if buffer is None:
            buffer = cr.precommit.data[BUFFER_KEY] = {}
            window = self._window_minutes()
            cr.precommit.add(lambda: self._trail_flush(cr, window))
        return buffer

    @api.model
    def _trail_flush(self, cr=None, window=None):
        """Write the buffered traces of the transaction in one INSERT, however many.

        A consultation (read, messages) that the same user already made of the same
        record within the window (parameter
        ``coordination_microlocale.access_log_window_minutes``, default 480, a working
        day; 0 traces every one) is not written again: the trail says who
        consulted a file and when, to the window; changes, exports, prints and
        downloads are all written.
        """
        cr = cr or self.env.cr
        buffer = cr.precommit.data.pop(BUFFER_KEY, None)
        if not buffer:
            return
        if window is None:
            window = self._window_minutes()
        # A part of a file (a need, a stay...) consulted with the file itself, in the
        # same request, is the file's consultation: its trace says so.
        rows = [
            SQL(
                "(%s::timestamp, %s::int4, %s::varchar, %s::varchar, %s::int4, "
                "%s::varchar, %s::int4)",
                date,
                uid,
                operation,
                model,
                res_id,
                reference,
                territory_id,
            )
            for (uid, operation, model, res_id), traces in buffer.items()
            for date, reference, territory_id, parent in traces
            if not (
                parent
                and operation in CONSULTATIONS
                and (uid, operation, *parent) in buffer
            )
        ]
        if not rows:
            return
        cr.execute(
            SQL(
                """INSERT INTO %(table)s
                       (date, user_id, operation, res_model, res_id, reference,
                        territory_id)
                   SELECT v.date, v.user_id, v.operation, v.res_model, v.res_id,
                          v.reference, v.territory_id
                     FROM (VALUES %(rows)s) AS v(date, user_id, operation, res_model,
                                                res_id, reference, territory_id)
                    WHERE v.operation NOT IN %(consultations)s
                       OR NOT EXISTS (
                           SELECT 1 FROM %(table)s t
                            WHERE t.res_id = v.res_id
                              AND t.user_id = v.user_id
                              AND t.date > v.date - make_interval(mins => %(window)s)
                              AND t.res_model = v.res_model
                              AND t.operation = v.operation)""",
                table=SQL.identifier(self._table),
                rows=SQL(", ").join(rows),
                consultations=CONSULTATIONS,
                window=window,
            )
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        # The traces of the current transaction are part of the trail.
        if not self.env.context.get("coordination_trail_pending"):
            self._trail_flush()
        return super()._search(
            domain, offset=offset, limit=limit, order=order, **kwargs
        )

    def flush_model(self, fnames=None):
        if not self.env.context.get("coordination_trail_pending"):
            self._trail_flush()
        return super().flush_model(fnames)

    @api.model
    def _retention_days(self):
        return get_int_param(self.env, "access_log_retention_days")

    @api.model
    def _cron_purge(self):
        """The only way a trace goes: older than the retention period.

        The limit is computed with the clock that dates the traces (Odoo's, in UTC),
        not PostgreSQL's now(): both must agree for a trace to live exactly its period.
        """
        limit = fields.Datetime.now() - timedelta(days=self._retention_days())
        self._trail_flush()
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE date < %s",
                SQL.identifier(self._table),
                limit,
            )
        )
        return True
