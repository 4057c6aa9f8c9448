from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL

# A cell counting fewer records than this could point to a person in a small commune.
SMALL_CELL_THRESHOLD = 5

RECORD_TYPES = [
    ("request", "Request"),
    ("request_theme", "Request theme"),
    ("project", "Individual project"),
    ("need", "Need"),
    ("session", "Session"),
    ("action", "Individual action"),
    ("collective_action", "Collective action"),
    ("alert", "Alert"),
]


class CoordinationEvaluationReport(models.Model):
    """Anonymous activity figures of the coordination, for the yearly evaluation.

    One row per request, request theme, project, need, session, action or alert, with no
    link to a person. Row ids are computed from the source ids (no window function,
    so that PostgreSQL pushes the territory and date filters into each branch).
    Coordinators see the rows of the territories they coordinate; municipal staff and
    managers see only aggregates, where every group of fewer than
    ``SMALL_CELL_THRESHOLD`` records is left out.
    """

    _name = "coordination.evaluation.report"
    _description = "Coordination evaluation"
    _auto = False
    _order = "date desc"

    record_type = fields.Selection(RECORD_TYPES, string="Kind", readonly=True)
    date = fields.Date(readonly=True)
    territory_id = fields.Many2one("coordination.territory", readonly=True)
    requester_type = fields.Selection(
        [
            ("resident", "Resident"),
            ("relative", "Relative or carer"),
            ("professional", "Professional"),
            ("partner", "Partner structure"),
            ("elected", "Elected official"),
            ("outreach", "Outreach by the coordinator"),
        ],
        string="Requester",
        readonly=True,
    )
    channel = fields.Selection(
        [
            ("office", "Health office"),
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("home_visit", "Home visit / outreach"),
            ("referral", "Referral by a partner"),
        ],
        readonly=True,
    )
    determinant_id = fields.Many2one(
        "coordination.determinant", string="Theme / determinant", readonly=True
    )
    status = fields.Char(readonly=True)
    is_open = fields.Boolean(string="Open / unmet", readonly=True)
    session_type_id = fields.Many2one(
        "coordination.session.type", string="Session type", readonly=True
    )
    alert_type = fields.Selection(
        [
            ("epidemiological", "Epidemiological"),
            ("psychosocial", "Psychosocial"),
            ("environmental", "Environmental"),
            ("exceptional", "Exceptional health situation"),
        ],
        readonly=True,
    )
    record_count = fields.Integer(string="Count", readonly=True, aggregator="sum")
    done_count = fields.Integer(string="Done", readonly=True, aggregator="sum")
    first_contact_delay = fields.Float(
        string="First-contact delay (days)", readonly=True, aggregator="avg"
    )
    duration_days = fields.Float(
        string="Duration (days)", readonly=True, aggregator="avg"
    )
    invited_count = fields.Integer(
        string="Partners invited", readonly=True, aggregator="sum"
    )
    present_count = fields.Integer(
        string="Partners present", readonly=True, aggregator="sum"
    )
    structure_count = fields.Integer(
        string="Structures represented", readonly=True, aggregator="sum"
    )
    participant_count = fields.Integer(
        string="Participants", readonly=True, aggregator="sum"
    )

    def init(self):
        request_themes = self.env["coordination.request"]._fields["theme_ids"]
        alert_territories = self.env["coordination.alert"]._fields["territory_ids"]
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(view)s AS (
        SELECT r.id::bigint * 16 AS id, 'request' AS record_type,
               r.date_received::date AS date,
               r.territory_id, r.requester_type, r.channel,
               NULL::integer AS determinant_id, r.state AS status,
               r.state IN ('new', 'triage') AS is_open,
               NULL::integer AS session_type_id, NULL::varchar AS alert_type,
               1 AS record_count, (r.state = 'closed')::int AS done_count,
               r.first_contact_delay, NULL::float AS duration_days,
               0 AS invited_count, 0 AS present_count, 0 AS structure_count,
               0 AS participant_count
          FROM coordination_request r
        UNION ALL
        SELECT (r.id::bigint * 100000 + rel.%(theme_column)s) * 16 + 1,
               'request_theme', r.date_received::date, r.territory_id,
               r.requester_type, r.channel, rel.%(theme_column)s, r.state,
               r.state IN ('new', 'triage'), NULL, NULL, 1, 0, NULL, NULL,
               0, 0, 0, 0
          FROM coordination_request r
          JOIN %(theme_relation)s rel
            ON rel.%(theme_request)s = r.id
        UNION ALL
        SELECT p.id::bigint * 16 + 2, 'project', p.date_start, p.territory_id,
               NULL, NULL, NULL, p.state,
               p.state != 'closed', NULL, NULL, 1, (p.state = 'closed')::int,
               NULL, (COALESCE(p.date_closed, CURRENT_DATE) - p.date_start)::float,
               0, 0, 0, 0
          FROM coordination_individual_project p
        UNION ALL
        SELECT n.id::bigint * 16 + 3, 'need', p.date_start, p.territory_id,
               NULL, NULL, n.determinant_id,
               p.state, NOT COALESCE(n.is_met, FALSE), NULL, NULL, 1,
               COALESCE(n.is_met, FALSE)::int, NULL, NULL, 0, 0, 0, 0
          FROM coordination_project_need n
          JOIN coordination_individual_project p ON p.id = n.project_id
        UNION ALL
        SELECT e.id::bigint * 16 + 4, 'session', e.start::date,
               e.coordination_territory_id, NULL, NULL,
               NULL, NULL, e.start > NOW(), e.coordination_session_type_id, NULL,
               1, (e.start <= NOW())::int, NULL, NULL,
               COALESCE(e.coordination_invited_count, 0),
               COALESCE(e.coordination_present_count, 0),
               COALESCE(e.coordination_structure_count, 0), 0
          FROM calendar_event e
         WHERE e.coordination_session_type_id IS NOT NULL AND e.active
        UNION ALL
        SELECT a.id::bigint * 16 + 5, 'action',
               COALESCE(a.date_due, a.create_date::date), a.territory_id,
               NULL, NULL, NULL, a.state, a.state IN ('todo', 'in_progress'),
               NULL, NULL, 1, (a.state = 'done')::int, NULL, NULL, 0, 0, 0, 0
          FROM coordination_project_action a
         WHERE a.state != 'cancelled'
        UNION ALL
        SELECT a.id::bigint * 16 + 6, 'collective_action',
               COALESCE(a.date_planned, a.create_date::date),
               cp.territory_id, NULL, NULL, NULL, a.state, a.state = 'planned',
               NULL, NULL, 1, (a.state = 'done')::int, NULL, NULL, 0, 0, 0,
               COALESCE(a.participant_count, 0)
          FROM coordination_collective_action a
          JOIN coordination_collective_project cp ON cp.id = a.collective_project_id
         WHERE a.state != 'cancelled'
        UNION ALL
        SELECT (al.id::bigint * 100000 + rel.%(territory_column)s) * 16 + 7,
               'alert', al.date_start, rel.%(territory_column)s, NULL, NULL,
               NULL, al.state, al.state = 'active', NULL, al.alert_type, 1,
               (al.state = 'closed')::int, NULL, NULL, 0, 0, 0, 0
          FROM coordination_alert al
          JOIN %(territory_relation)s rel
            ON rel.%(territory_alert)s = al.id
         WHERE al.state != 'draft'
            )
            """,
                view=SQL.identifier(self._table),
                theme_relation=SQL.identifier(request_themes.relation),
                theme_request=SQL.identifier(request_themes.column1),
                theme_column=SQL.identifier(request_themes.column2),
                territory_relation=SQL.identifier(alert_territories.relation),
                territory_alert=SQL.identifier(alert_territories.column1),
                territory_column=SQL.identifier(alert_territories.column2),
            )
        )

    # ------------------------------------------------------------------
    # Who sees what
    # ------------------------------------------------------------------
    @api.model
    def _is_suppressed(self):
        """Municipal staff and managers get aggregates only, without small cells."""
        if self.env.su:
            return False
        user = self.env.user
        return user.has_group(
            "coordination_microlocale.group_manager"
        ) or not user.has_group("coordination_microlocale.group_coordinator")

    def _raise_if_suppressed(self):
        if self._is_suppressed():
            raise AccessError(
                self.env._(
                    "The evaluation figures can only be consulted as aggregates "
                    "(pivot and "
                    "graph), so that no figure points to a person."
                )
            )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        if not self.env.su and not self._is_suppressed():
            territories = self.env.user.coordination_territory_ids
            domain = Domain(domain) & Domain("territory_id", "in", territories.ids)
        return super()._search(domain, offset, limit, order, **kwargs)

    def search_fetch(self, domain, field_names=None, offset=0, limit=None, order=None):
        self._raise_if_suppressed()
        return super().search_fetch(domain, field_names, offset, limit, order)

    def search_count(self, domain, limit=None):
        self._raise_if_suppressed()
        return super().search_count(domain, limit=limit)

    def _fetch_query(self, query, fields):
        self._raise_if_suppressed()
        return super()._fetch_query(query, fields)

    @api.model
    def _suppress_small_cells(self, rows, aggregates, added_count):
        """Drop the groups counting fewer than the threshold; strip the added count."""
        count_index = len(rows[0]) - 1 if added_count else None
        if count_index is None:
            count_index = (len(rows[0]) - len(aggregates)) + list(aggregates).index(
                "__count"
            )
        kept = [row for row in rows if (row[count_index] or 0) >= SMALL_CELL_THRESHOLD]
        if added_count:
            kept = [row[:-1] for row in kept]
        return kept

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
        if not self._is_suppressed():
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        aggregates = list(aggregates)
        added_count = "__count" not in aggregates
        rows = super()._read_group(
            domain,
            groupby,
            aggregates + (["__count"] if added_count else []),
            having,
            offset,
            limit,
            order,
        )
        if not rows:
            return rows
        return self._suppress_small_cells(rows, aggregates, added_count)

    @api.model
    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        if not self._is_suppressed():
            return super()._read_grouping_sets(domain, grouping_sets, aggregates, order)
        aggregates = list(aggregates)
        added_count = "__count" not in aggregates
        result = super()._read_grouping_sets(
            domain,
            grouping_sets,
            aggregates + (["__count"] if added_count else []),
            order,
        )
        return [
            self._suppress_small_cells(rows, aggregates, added_count) if rows else rows
            for rows in result
        ]
