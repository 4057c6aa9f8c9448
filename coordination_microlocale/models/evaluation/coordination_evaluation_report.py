from odoo import fields, models, tools
from odoo.tools import SQL

# A cell counting fewer records than this could point to a person in a small commune.
SMALL_CELL_THRESHOLD = 5


# The detailed figures: one row per counted record (request, theme of a request,
# project, need, action, session, collective action, alert), ids made unique per kind.
VIEW_QUERY = """
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
"""


class CoordinationEvaluationReport(models.Model):
    """Anonymous activity figures of the coordination, for the yearly evaluation.

    One row per request, request theme, project, need, session, action or alert, with no
    link to a person. Row ids are computed from the source ids (no window function,
    so that PostgreSQL pushes the territory and date filters into each branch).
    This is the *detailed* source: it is readable by coordinators only (ACL), and a
    global record rule (security/evaluation_rules.xml) keeps each of them, managers
    included, to the territories they coordinate. Municipal staff and managers read
    the published cells of ``coordination.evaluation.statistic`` instead, which hold
    no individual row: filtering the groups of this view at query time could not stop
    differencing (two allowed totals give a hidden cell back) nor aggregates such as
    ``array_agg`` that return the rows themselves.
    """

    _name = "coordination.evaluation.report"
    _inherit = ["coordination.evaluation.figures"]
    _description = "Coordination evaluation"
    _auto = False
    _order = "date desc"

    done_count = fields.Integer(string="Done", readonly=True, aggregator="sum")

    def init(self):
        request_themes = self.env["coordination.request"]._fields["theme_ids"]
        alert_territories = self.env["coordination.alert"]._fields["territory_ids"]
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                VIEW_QUERY,
                view=SQL.identifier(self._table),
                theme_relation=SQL.identifier(request_themes.relation),
                theme_request=SQL.identifier(request_themes.column1),
                theme_column=SQL.identifier(request_themes.column2),
                territory_relation=SQL.identifier(alert_territories.relation),
                territory_alert=SQL.identifier(alert_territories.column1),
                territory_column=SQL.identifier(alert_territories.column2),
            )
        )
