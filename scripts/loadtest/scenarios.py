"""What each kind of virtual user does, as the web client would, over HTTP.

Coordinators open the projects and requests lists, a project form, the sessions
calendar (month) and save a new request; professionals open their projects
list, a project form, and mark one of their actions done; municipal staff and
managers read the published evaluation (grouped list and pivot).
"""

import datetime as dt

from . import specs

# The search view's default filters of the actions (search_default_open)
OPEN_PROJECTS = [("state", "!=", "closed")]
OPEN_REQUESTS = [("state", "in", ("new", "triage"))]
OPEN_ACTIONS = [("state", "in", ("todo", "in_progress"))]


def my_sessions(uid):
    """The sessions calendar's default filter (search_default_mine)."""
    return ["|", ("user_id", "=", uid), ("partner_ids.user_ids", "in", [uid])]


# The evaluation pivot's grouping sets (scripts/benchmark/scenarios/evaluation.py)
GROUPING_SETS = [[], ["territory_id"], ["date:month"], ["territory_id", "date:month"]]
REQUEST_SPEC = {
    "territory_id": specs.M2O_SPEC,
    "coordinator_id": specs.M2O_SPEC,
    "requester_type": {},
    "channel": {},
    "priority": {},
    "date_received": {},
    "first_contact_date": {},
    "state": {},
}
# (what, weight) of each role's next step
MIXES = {
    "coordinator": [
        ("projects_list", 3),
        ("requests_list", 2),
        ("project_form", 3),
        ("calendar_month", 1),
        ("save_request", 1),
    ],
    "professional": [("projects_list", 2), ("project_form", 3), ("action_done", 1)],
    "municipal staff": [("evaluation", 1)],
    "manager": [("evaluation", 1)],
}


class VirtualUser:
    """One user of a role, its HTTP client, its random generator and its log.

    ``log`` is the run's shared Journal: saves, actions done, forms read.
    """

    def __init__(self, client, role, user, rng, journal):
        self.client = client
        self.role = role
        self.user = user  # {"login", "uid", "partner_id"} from prepare
        self.rng = rng
        self.journal = journal
        self.screens = {}
        self.project_ids = []
        self.form_spec = None
        self.steps = [name for name, _w in MIXES[role]]
        self.weights = [weight for _n, weight in MIXES[role]]

    def setup(self, password):
        """Log in once, then what the client loads once per session."""
        self.client.authenticate(self.user["login"], password)
        names = {
            "coordinator": ("projects", "requests", "sessions"),
            "professional": ("projects", "actions"),
        }.get(self.role, ("evaluation",))
        for name in names:
            self.screens[name] = specs.open_screen(self.client, name)
        if "projects" in self.screens:
            self.form_spec = specs.project_form_spec(
                self.client, self.role == "coordinator"
            )

    def step(self):
        name = self.rng.choices(self.steps, self.weights)[0]
        if name == "project_form" and not self.project_ids:
            name = "projects_list"
        getattr(self, name)()

    # ------------------------------------------------------------ lists
    def _list(self, kind, screen, domain, limit=80):
        return self.client.call_kw(
            kind,
            screen.model,
            "web_search_read",
            specification=specs.list_spec(screen),
            domain=screen.domain + domain,
            offset=0,
            limit=limit,
            order="",
            count_limit=10001,
        )

    def projects_list(self):
        result = self._list("projects list", self.screens["projects"], OPEN_PROJECTS)
        self.project_ids = [row["id"] for row in result["records"]]

    def requests_list(self):
        self._list("requests list", self.screens["requests"], OPEN_REQUESTS)

    def project_form(self):
        project_id = self.rng.choice(self.project_ids)
        rows = self.client.call_kw(
            "project form (web_read)",
            specs.PROJECT,
            "web_read",
            [[project_id]],
            specification=self.form_spec,
        )
        if rows:
            self.journal.form_read(self.client.uid, project_id)

    def calendar_month(self):
        screen = self.screens["sessions"]
        start, end = specs.month_range(dt.date.today())
        self.client.call_kw(
            "sessions calendar (month)",
            screen.model,
            "search_read",
            domain=screen.domain
            + my_sessions(self.client.uid)
            + [("start", "<=", end), ("stop", ">=", start)],
            fields=specs.calendar_fields(screen),
        )

    # ------------------------------------------------------------ saves
    def save_request(self):
        """A new request: the form's onchange (defaults), then web_save."""
        context = dict(self.client.context, coordination_intake=1)
        defaults = self.client.call_kw(
            "new request: onchange",
            specs.REQUEST,
            "onchange",
            [[], {}, [], REQUEST_SPEC],
            context=context,
        )["value"]
        token = self.journal.token(self.client.uid)
        values = {
            name: (value["id"] if isinstance(value, dict) else value)
            for name, value in defaults.items()
            if name in REQUEST_SPEC and name != "state"
        }
        values.update(
            requester_type="resident",
            channel="phone",
            description=f"Appel d'un habitant (test de charge {token})",
        )
        saved = self.client.call_kw(
            "new request: web_save",
            specs.REQUEST,
            "web_save",
            [[], values],
            specification={"display_name": {}, "state": {}},
            context=context,
        )
        self.journal.saved_request(saved[0]["id"], token)

    def action_done(self):
        """Among the professional's actions to do, one is marked done."""
        screen = self.screens["actions"]
        mine = [("responsible_partner_id", "=", self.user["partner_id"])]
        result = self._list(
            "my actions list",
            screen,
            OPEN_ACTIONS + mine + [("project_id.state", "!=", "closed")],
            limit=20,
        )
        if not result["records"]:
            return
        action_id = self.rng.choice(result["records"])["id"]
        saved = self.client.call_kw(
            "action done: web_save",
            screen.model,
            "web_save",
            [[action_id], {"state": "done"}],
            specification={"state": {}, "date_done": {}},
        )
        if saved and saved[0]["state"] == "done":
            self.journal.action_done(action_id)

    # ------------------------------------------------------------ evaluation
    def evaluation(self):
        model = self.screens["evaluation"].model
        self.client.call_kw(
            "evaluation: formatted_read_group",
            model,
            "formatted_read_group",
            domain=[],
            groupby=["territory_id", "date:month"],
            aggregates=["record_count:sum", "__count"],
        )
        self.client.call_kw(
            "evaluation: pivot (grouping sets)",
            model,
            "formatted_read_grouping_sets",
            domain=[],
            grouping_sets=GROUPING_SETS,
            aggregates=["record_count:sum"],
        )
