"""What the web client sends: its context, and the specs of lists, forms, calendar."""

# What the web client sends with every call.
WEB_CONTEXT = {"lang": "en_US", "tz": "Europe/Paris", "bin_size": True}
LIST_VIEW = "coordination_microlocale.view_coordination_{}_list"
CALENDAR_VIEW = "coordination_microlocale.view_calendar_event_session_calendar"
SESSION_ACTION = "coordination_microlocale.action_coordination_session"
M2O_SPEC = {"fields": {"display_name": {}}}
# mail's list_activity widget reads these fields too (its fieldDependencies).
ACTIVITY_WIDGET_FIELDS = {
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
    "activity_state": {},
    "activity_summary": {},
    "activity_type_icon": {},
    "activity_type_id": M2O_SPEC,
}


def as_user(env, model, user):
    return env[model].with_user(user).with_context(**WEB_CONTEXT)


def _get_view(model_env, view_xmlid, view_type):
    """(arch element, fields info) of a view, as get_views gives it to the user."""
    from lxml import etree

    from odoo.exceptions import AccessError

    view = model_env.env.ref(view_xmlid)
    try:
        result = model_env.get_views([(view.id, view_type)])
    except AccessError:  # the user may not read the model: the superuser's view
        result = model_env.sudo().get_views([(view.id, view_type)])
    arch = etree.fromstring(result["views"][view_type]["arch"])
    info = result["models"][model_env._name]
    return arch, info.get("fields", info)


def list_spec(model_env, view_xmlid):
    """The web_search_read specification the web client sends for a list view.

    Columns shown by default (not optional="hide"); many2one and many2many_tags
    read the display name; list_activity adds the fields it depends on.
    """
    arch, fields_info = _get_view(model_env, view_xmlid, "list")
    return spec_of_list_arch(arch, fields_info)


def spec_of_list_arch(arch, fields_info):
    """list_spec() of a parsed list arch (lxml or ElementTree) and its fields."""
    spec = {}
    for node in arch:
        if node.tag != "field" or node.get("optional") == "hide":
            continue
        name = node.get("name")
        ftype = fields_info.get(name, {}).get("type")
        widget = node.get("widget")
        if ftype == "many2one":
            spec[name] = M2O_SPEC
        elif widget == "list_activity":
            spec[name] = {}
            spec.update(ACTIVITY_WIDGET_FIELDS)
        elif widget == "many2many_tags":
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def web_search_read(env, model, view, user, domain=(), offset=0, limit=80):
    """A list view's load: its records and the total count (``length``)."""
    model_env = as_user(env, model, user)
    spec = list_spec(model_env, LIST_VIEW.format(view))
    return model_env.web_search_read(
        list(domain), spec, offset=offset, limit=limit, count_limit=10001
    )


def calendar_fields(model_env):
    """The fields the sessions calendar view reads (search_read), from its arch."""
    arch, _fields_info = _get_view(model_env, CALENDAR_VIEW, "calendar")
    return fields_of_calendar_arch(arch)


def fields_of_calendar_arch(arch):
    """calendar_fields() of a parsed calendar arch (lxml or ElementTree)."""
    names = ["display_name"]
    for attribute in ("date_start", "date_stop", "date_delay", "all_day", "color"):
        if arch.get(attribute):
            names.append(arch.get(attribute))
    names += [node.get("name") for node in arch.iter("field")]
    return list(dict.fromkeys(names))


def calendar_domain(session_action, user, start, end):
    """The sessions calendar's domain between two datetimes, as the client sends
    it: the menu's action domain (``env.ref(SESSION_ACTION)``), the filters of
    its search view that its context turns on (``search_default_<name>``), then
    the calendar's range."""
    from odoo import fields
    from odoo.tools.safe_eval import safe_eval

    values = {"uid": user.id, "context_today": fields.Date.context_today}
    domain = safe_eval(session_action.domain or "[]", values)
    for filter_domain in default_filters(session_action, values):
        domain += filter_domain
    return domain + [
        ("start", "<=", fields.Datetime.to_string(end)),
        ("stop", ">=", fields.Datetime.to_string(start)),
    ]


def default_filters(action, values):
    """The domains of the filters an action's context turns on by default."""
    from lxml import etree

    from odoo.tools.safe_eval import safe_eval

    context = safe_eval(action.context or "{}", values)
    names = {
        key[15:]
        for key, on in context.items()
        if key.startswith("search_default_") and on
    }
    if not names or not action.search_view_id:
        return []
    arch = etree.fromstring(action.search_view_id.arch)
    return [
        safe_eval(node.get("domain"), values)
        for node in arch.iter("filter")
        if node.get("name") in names and node.get("domain")
    ]


def readable_spec(model_env, spec):
    """Drop from a web_read specification what the user may not read or is gone."""
    readable = model_env.fields_get(attributes=["type"])
    result = {}
    for name, sub in spec.items():
        if name not in readable:
            continue
        field = model_env._fields[name]
        if sub.get("fields") and field.type in ("one2many", "many2many"):
            comodel = model_env.env[field.comodel_name]
            sub = dict(sub, fields=readable_spec(comodel, sub["fields"]))
        result[name] = sub
    return result


def _lines(limit=40, **fields):
    return {"fields": fields, "limit": limit}


# The individual project's form: its fields and the x2many lists of its tabs.
PROJECT_FORM_SPEC = {
    "state": {},
    "display_name": {},
    "name": {},
    "person_id": M2O_SPEC,
    "territory_id": M2O_SPEC,
    "coordinator_id": M2O_SPEC,
    "referent_partner_id": M2O_SPEC,
    "date_start": {},
    "review_date": {},
    "date_closed": {},
    "closing_reason": {},
    "closing_note": {},
    "problematique": {},
    "request_count": {},
    "session_count": {},
    "consent_state": {},
    "consent_date": {},
    "consent_form": {},
    "consent_expiry_date": {},
    "consent_informed_by_id": M2O_SPEC,
    "consent_withdrawal_date": {},
    "consent_information_pending": {},
    "consent_scope": {},
    "need_ids": _lines(sequence={}, determinant_id=M2O_SPEC, description={}, is_met={}),
    "goal_ids": _lines(sequence={}, name={}, state={}),
    "action_ids": _lines(
        name={},
        responsible_partner_id=M2O_SPEC,
        date_due={},
        is_overdue={},
        state={},
    ),
    "circle_member_ids": _lines(
        partner_id=M2O_SPEC,
        role={},
        role_detail={},
        structure_id=M2O_SPEC,
        access_granted={},
        is_active={},
    ),
    "hospital_stay_ids": _lines(hospital_id=M2O_SPEC, admission_date={}, state={}),
    "consent_ids": _lines(
        date={},
        state={},
        means={},
        expiry_date={},
        scope_partner_ids={"fields": {"display_name": {}}},
        is_urgency={},
        person_informed={},
        recorded_by_id=M2O_SPEC,
    ),
}


def project_form_spec(env, project, user, coordinator):
    """The form's web_read spec as the user's client sends it (coordinators see
    "who consulted this file"), without what the user may not read."""
    spec = dict(PROJECT_FORM_SPEC)
    if coordinator:
        spec["access_log_count"] = {}
    return readable_spec(as_user(env, project._name, user), spec)
