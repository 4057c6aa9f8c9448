import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL

from .coordination_evaluation_report import SMALL_CELL_THRESHOLD

_logger = logging.getLogger(__name__)

DIMENSIONS = [
    ("total", "Territory and month"),
    ("requester_type", "Requester"),
    ("channel", "Channel"),
    ("status", "Status"),
    ("determinant", "Theme / determinant"),
    ("session_type", "Session type"),
    ("alert_type", "Alert type"),
]
# The field holding the value of each published dimension. ``is_open`` is part of
# the determinant cells of needs (unmet needs by determinant is one breakdown, not a
# margin of another one: a margin would be a second breakdown of the same records).
DIMENSION_OF_FIELD = {
    "requester_type": "requester_type",
    "channel": "channel",
    "status": "status",
    "determinant_id": "determinant",
    "is_open": "determinant",
    "session_type_id": "session_type",
    "alert_type": "alert_type",
}
# What may be summed: counts of published cells, and the attendance sums of the
# published session-type cells. Nothing else is aggregated (see _read_group_select).
PUBLISHED_SUMS = (
    "record_count",
    "invited_count",
    "present_count",
    "structure_count",
    "participant_count",
)
GROUPABLE = frozenset({"territory_id", "date", "record_type", "dimension"}) | set(
    DIMENSION_OF_FIELD
)
# Which statuses count as done, for the yearly export.
DONE_STATUS = {
    "request": ("closed",),
    "project": ("closed",),
    "action": ("done",),
    "collective_action": ("done",),
    "alert": ("closed",),
}


# The published cells, from the detailed figures: every breakdown of every month
# closed, with the small cells suppressed (primary and secondary suppression).
REFRESH_QUERY = """
WITH src AS (
    SELECT r.*, date_trunc('month', r.date)::date AS month
      FROM %(report)s r
     WHERE r.date < %(cutoff)s AND r.territory_id IS NOT NULL
), cells AS (
    SELECT territory_id, month, record_type, 'total' AS dimension,
           NULL::varchar AS requester_type, NULL::varchar AS channel,
           NULL::varchar AS status, NULL::integer AS determinant_id,
           NULL::boolean AS is_open, NULL::integer AS session_type_id,
           NULL::varchar AS alert_type, COUNT(*) AS n,
           COUNT(first_contact_delay) AS delay_n,
           AVG(first_contact_delay) AS delay, NULL::float AS duration,
           0::bigint AS invited, 0::bigint AS present, 0::bigint AS structures,
           SUM(participant_count) AS participants
      FROM src GROUP BY territory_id, month, record_type
    UNION ALL
    SELECT territory_id, month, record_type, 'requester_type', requester_type,
           NULL, NULL, NULL, NULL, NULL, NULL, COUNT(*), 0, NULL, NULL, 0, 0, 0, 0
      FROM src WHERE record_type = 'request'
     GROUP BY territory_id, month, record_type, requester_type
    UNION ALL
    SELECT territory_id, month, record_type, 'channel', NULL, channel,
           NULL, NULL, NULL, NULL, NULL, COUNT(*), 0, NULL, NULL, 0, 0, 0, 0
      FROM src WHERE record_type = 'request'
     GROUP BY territory_id, month, record_type, channel
    UNION ALL
    SELECT territory_id, month, record_type, 'status', NULL, NULL, status,
           NULL, NULL, NULL, NULL, COUNT(*), 0, NULL, AVG(duration_days),
           0, 0, 0, 0
      FROM src
     WHERE record_type IN
           ('request', 'project', 'need', 'action', 'collective_action', 'alert')
     GROUP BY territory_id, month, record_type, status
    UNION ALL
    SELECT territory_id, month, record_type, 'determinant', NULL, NULL, NULL,
           determinant_id, CASE WHEN record_type = 'need' THEN is_open END,
           NULL, NULL, COUNT(*), 0, NULL, NULL, 0, 0, 0, 0
      FROM src WHERE record_type IN ('request_theme', 'need')
     GROUP BY territory_id, month, record_type, determinant_id,
              CASE WHEN record_type = 'need' THEN is_open END
    UNION ALL
    SELECT territory_id, month, record_type, 'session_type', NULL, NULL, NULL,
           NULL, NULL, session_type_id, NULL, COUNT(*), 0, NULL, NULL,
           SUM(invited_count), SUM(present_count), SUM(structure_count), 0
      FROM src WHERE record_type = 'session'
     GROUP BY territory_id, month, record_type, session_type_id
    UNION ALL
    SELECT territory_id, month, record_type, 'alert_type', NULL, NULL, NULL,
           NULL, NULL, NULL, alert_type, COUNT(*), 0, NULL, NULL, 0, 0, 0, 0
      FROM src WHERE record_type = 'alert'
     GROUP BY territory_id, month, record_type, alert_type
), ranked AS (
    SELECT cells.*,
           ROW_NUMBER() OVER sorted AS rank,
           SUM(n) OVER sorted AS cumulated,
           COUNT(*) FILTER (WHERE n < %(threshold)s) OVER breakdown AS small
      FROM cells
    WINDOW breakdown AS (PARTITION BY territory_id, month, record_type, dimension),
           sorted AS (breakdown ORDER BY n, requester_type, channel, status,
                      determinant_id, is_open, session_type_id, alert_type
                      ROWS UNBOUNDED PRECEDING)
)
INSERT INTO %(table)s (
    territory_id, date, record_type, dimension, requester_type, channel, status,
    determinant_id, is_open, session_type_id, alert_type, record_count,
    invited_count, present_count, structure_count, participant_count,
    first_contact_delay, duration_days, create_uid, create_date, write_uid,
    write_date)
SELECT territory_id, month, record_type, dimension, requester_type, channel,
       status, determinant_id, is_open, session_type_id, alert_type, n,
       invited, present, structures, participants,
       CASE WHEN delay_n >= %(threshold)s THEN ROUND(delay::numeric, 1) END,
       ROUND(duration::numeric, 1), %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
       NOW() AT TIME ZONE 'UTC'
  FROM ranked
 -- a cell is published when its breakdown has no small cell, or when the cells
 -- before it (the hidden ones) are at least max(small, 2) and hold at least
 -- (threshold - 1) records more than their number
 WHERE small = 0
    OR (rank - 1 >= GREATEST(small, 2)
        AND (cumulated - n) - (rank - 1) >= %(margin)s)
"""


class CoordinationEvaluationStatistic(models.Model):
    """The published cells of the anonymous evaluation figures.

    Municipal staff and managers read only this table; it holds no individual row.
    Each row is one cell: (territory, month, kind of record, one published dimension
    and its value) with the number of records in it. Each dimension is published as
    its own breakdown of the records of a (territory, month, kind), never crossed with
    another one, so that cells stay large.

    Publication rule, applied to each breakdown (the cells of one territory, month,
    kind and dimension) when the table is built:

    - primary suppression: a cell of 1 to 4 records is not published;
    - secondary suppression: when a breakdown has a hidden cell, its smallest other
      cells are hidden too, until the hidden cells are at least two and hold at least
      4 records more than their number (so at least 6 records), whatever their split;
    - a hidden cell is left out of the table (no row: a row would say that the cell
      is not empty); published cells carry their exact count.

    Why no combination of queries gives a hidden cell back: every query on this model
    is a sum of published cells (see _read_group_select), so it tells nothing beyond
    the published cells. From those, the records of a breakdown add up to the total of
    its (territory, month, kind) at most; the hidden cells of a breakdown are then
    known only as a sum of at least 6 records spread over at least two unknown
    categories, so each of them may hold anything from 0 to that sum: no hidden cell
    can be computed, nor even told to be under 5. Breakdowns of different dimensions
    are linked only by their common total (no breakdown is a margin of another one),
    and different territories, months and kinds hold different records.

    The current month is not published: a month's cells appear at the first refresh
    after it ends, so that the daily refresh does not show each new request.
    """

    _name = "coordination.evaluation.statistic"
    _inherit = ["coordination.evaluation.figures"]
    _description = "Anonymous evaluation figures"
    _order = "date desc, territory_id, record_type, dimension"

    territory_id = fields.Many2one(index=True, ondelete="cascade")
    date = fields.Date(string="Month", index=True)
    dimension = fields.Selection(DIMENSIONS, string="Breakdown", readonly=True)
    # Means of one published cell (5 records or more), for the yearly export; never
    # aggregated by users (no aggregator).
    first_contact_delay = fields.Float(aggregator=None)
    duration_days = fields.Float(aggregator=None)

    # ------------------------------------------------------------------
    # Build
    # ------------------------------------------------------------------
    @api.model
    def _refresh(self):
        """Rebuild every published cell from the detailed figures (cron, install).

        One DELETE and one INSERT … SELECT … GROUP BY over the detailed view, run as
        superuser SQL (no record rule: the whole point is to aggregate every
        territory); idempotent.
        """
        self.env.flush_all()
        Report = self.env["coordination.evaluation.report"]
        cutoff = fields.Date.today().replace(day=1)
        self.env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(self._table)))
        self.env.cr.execute(
            SQL(
                REFRESH_QUERY,
                report=SQL.identifier(Report._table),
                table=SQL.identifier(self._table),
                cutoff=cutoff,
                threshold=SMALL_CELL_THRESHOLD,
                margin=SMALL_CELL_THRESHOLD - 1,
                uid=self.env.uid,
            )
        )
        _logger.info(
            "anonymous evaluation figures rebuilt: %s cells", self.env.cr.rowcount
        )
        self.env.invalidate_all()
        return True

    @api.model
    def _cron_refresh(self):
        self.sudo()._refresh()

    # ------------------------------------------------------------------
    # What users may ask
    # ------------------------------------------------------------------
    def _refuse(self):
        raise AccessError(
            self.env._(
                "The anonymous figures can only be consulted as sums of counts "
                "(pivot and graph), so that no figure points to a person."
            )
        )

    # Rows are refused to everyone but the superuser. They are published cells, so
    # reading them would leak nothing today; refusing keeps one audited interface
    # (sums, below) whatever fields are added later.
    def search_fetch(self, domain, field_names=None, offset=0, limit=None, order=None):
        if not self.env.su:
            self._refuse()
        return super().search_fetch(domain, field_names, offset, limit, order)

    def search_count(self, domain, limit=None):
        if not self.env.su:
            self._refuse()
        return super().search_count(domain, limit=limit)

    def _fetch_query(self, query, fields):
        if not self.env.su:
            self._refuse()
        return super()._fetch_query(query, fields)

    # A record rule filters rows, it cannot restrict what is computed over them:
    # the aggregate functions and group-by terms are checked here, where _read_group,
    # _read_grouping_sets, their order and their having clauses all build them.
    def _read_group_select(self, aggregate_spec, query):
        if not self.env.su and aggregate_spec != "__count":
            fname, _sep, function = aggregate_spec.partition(":")
            if function != "sum" or fname not in PUBLISHED_SUMS:
                self._refuse()
        return super()._read_group_select(aggregate_spec, query)

    def _read_group_groupby(self, alias, groupby_spec, query):
        if not self.env.su:
            fname = groupby_spec.split(":")[0].split(".")[0]
            if fname not in GROUPABLE:
                self._refuse()
        return super()._read_group_groupby(alias, groupby_spec, query)

    @api.model
    def _dimension_domain(self, domain, groupby):
        """The domain restricted to the one breakdown the question is about.

        Every breakdown counts the same records again; summing cells of several
        breakdowns would count them several times. A question naming a dimension (in
        its domain or group-by) reads that breakdown's cells; naming none, the total
        cells; naming two, nothing (crossed dimensions are not published).
        """
        domain = Domain(domain)
        named = set()
        fields_used = [spec.split(":")[0].split(".")[0] for spec in groupby]
        fields_used += [
            condition.field_expr.split(".")[0] for condition in domain.iter_conditions()
        ]
        for fname in fields_used:
            if fname == "dimension":
                return domain
            if fname in DIMENSION_OF_FIELD:
                named.add(DIMENSION_OF_FIELD[fname])
        if len(named) > 1:
            return Domain.FALSE
        return domain & Domain("dimension", "=", named.pop() if named else "total")

    @api.model
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
        return super()._read_group(
            self._dimension_domain(domain, groupby),
            groupby,
            aggregates,
            having,
            offset,
            limit,
            order,
        )

    @api.model
    def _order_of_sets(self, order, sets, all_specs):
        """The order of a pivot, kept to the group-bys of one breakdown's query.

        A pivot orders by all its group-bys; the query of the total cells groups by
        none of the dimensions, and Odoo would take a group-by it does not have for
        an aggregate (and refuse it).
        """
        if not order:
            return order
        specs = {spec for groupby in sets for spec in groupby}
        parts = [
            part
            for part in order.split(",")
            if part.split()
            and (part.split()[0] in specs or part.split()[0] not in all_specs)
        ]
        return ",".join(parts) or None

    @api.model
    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        # one query per breakdown named by the sets (one for the usual pivot)
        by_domain = {}
        for index, groupby in enumerate(grouping_sets):
            key = self._dimension_domain(domain, groupby)
            by_domain.setdefault(repr(key), (key, []))[1].append(index)
        result = [None] * len(grouping_sets)
        all_specs = {spec for groupby in grouping_sets for spec in groupby}
        for key, indexes in by_domain.values():
            sets = [grouping_sets[i] for i in indexes]
            rows = super()._read_grouping_sets(
                key, sets, aggregates, self._order_of_sets(order, sets, all_specs)
            )
            for index, set_rows in zip(indexes, rows, strict=True):
                result[index] = set_rows
        return result
