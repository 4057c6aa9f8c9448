"""The specs the web client sends, built over HTTP from the user's own views.

The same specs as scripts/benchmark/webclient.py: list_spec_from_arch() is
webclient.spec_of_list_arch() on the arch that get_views returns to the user, and the
project form is webclient.PROJECT_FORM_SPEC without what the user may not read
(webclient.readable_spec(), with fields_get over HTTP).
"""

import ast
import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from benchmark.webclient import (
    M2O_SPEC,  # noqa: F401 - the scenarios read it here (specs.M2O_SPEC)
    PROJECT_FORM_SPEC,
    SESSION_ACTION,
    fields_of_calendar_arch,
    spec_of_list_arch,
)

PROJECT = "coordination.individual.project"
REQUEST = "coordination.request"


def list_spec_from_arch(arch, fields_info):
    """webclient.list_spec() on an arch string and its fields (get_views)."""
    return spec_of_list_arch(ET.fromstring(arch), fields_info)


def calendar_fields_from_arch(arch):
    """webclient.calendar_fields() on an arch string."""
    return fields_of_calendar_arch(ET.fromstring(arch))


def readable(spec, fields_of, model):
    """webclient.readable_spec() given ``fields_of(model)``: the user's fields_get()."""
    fields = fields_of(model)
    result = {}
    for name, sub in spec.items():
        if name not in fields:
            continue
        if sub.get("fields") and fields[name]["type"] in ("one2many", "many2many"):
            comodel = fields[name]["relation"]
            sub = dict(sub, fields=readable(sub["fields"], fields_of, comodel))
        result[name] = sub
    return result


ACTIONS = {
    "projects": "coordination_microlocale.action_coordination_individual_project",
    "requests": "coordination_microlocale.action_coordination_request",
    "sessions": SESSION_ACTION,
    "actions": "coordination_microlocale.action_coordination_project_action",
    "evaluation": "coordination_microlocale.action_coordination_evaluation_statistic",
}


@dataclass
class Screen:
    """An action opened from the menu: its model, domain and views."""

    model: str
    domain: list
    context: dict
    views: dict = field(default_factory=dict)  # view type: (arch, fields)


def open_screen(client, name):
    """What the web client does when a menu opens an action: load the action,
    then get_views of its views (with the search view)."""
    action = client.load_action(f"{name}: action load", ACTIONS[name])
    model = action["res_model"]
    views = [list(view) for view in action["views"]] + [[False, "search"]]
    result = client.call_kw(
        f"{name}: get_views",
        model,
        "get_views",
        views=views,
        options={"action_id": action["id"], "load_filters": True, "toolbar": True},
    )
    fields = result["models"][model]["fields"]
    screen = Screen(model, _domain(action.get("domain")), {})
    for view_type, view in result["views"].items():
        screen.views[view_type] = (view["arch"], fields)
    return screen


def _domain(text):
    """An action's domain: a literal (the module's actions use no variable)."""
    if not text:
        return []
    if isinstance(text, list):
        return text
    return ast.literal_eval(text)


def list_spec(screen):
    arch, fields = screen.views["list"]
    return list_spec_from_arch(arch, fields)


def calendar_fields(screen):
    return calendar_fields_from_arch(screen.views["calendar"][0])


def project_form_spec(client, coordinator):
    """webclient.project_form_spec(): the form's spec, without what the user may
    not read (fields_get of the project and of the models of its tabs)."""
    cache = {}

    def fields_of(model):
        if model not in cache:
            cache[model] = client.call_kw(
                "setup: fields_get",
                model,
                "fields_get",
                attributes=["type", "relation"],
            )
        return cache[model]

    spec = dict(PROJECT_FORM_SPEC)
    if coordinator:
        spec["access_log_count"] = {}
    return readable(spec, fields_of, PROJECT)


def month_range(today):
    """The calendar's month view range, as the client sends it (UTC strings)."""
    start = dt.datetime.combine(today.replace(day=1), dt.time.min)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S")
