"""The module's settings: system parameters, each declared once here.

Every setting is an ``ir.config_parameter`` named ``coordination_microlocale.<name>``,
set in Settings > Coordination santé (``res.config.settings``) and read by the models
through ``get_int_param`` / ``get_int_list_param``: a missing, damaged or out-of-range
value reads as the default, so that no typing error in the technical menu stops a cron.
"""

PREFIX = "coordination_microlocale."

# name: (default, minimum, maximum)
INT_PARAMETERS = {
    # days a closed individual file is kept before it is anonymised
    "retention_days": (730, 1, 36500),
    # days the access trail is kept
    "access_log_retention_days": (365, 1, 3650),
    # minutes during which reading the same file again is not traced again
    "access_log_window_minutes": (480, 0, 1440),
    # months a consent is valid by default (0: no expiry)
    "consent_validity_months": (12, 0, 120),
    # days a calendar subscription address stays valid
    "calendar_feed_validity_days": (365, 1, 3650),
    # days after a discharge when the coordinator calls the person
    "discharge_follow_up_days": (2, 0, 60),
}
# name: (default, minimum, maximum of each value)
INT_LIST_PARAMETERS = {
    # days before a planned discharge when the coordinator is reminded
    "discharge_reminder_days": ((7, 1), 0, 60),
}
# name: default. Only an explicit "False", "0", "no" or "off" is false, so that a
# deleted parameter keeps the safe value.
BOOL_PARAMETERS = {
    # coordinators, managers and professionals log in with two factors
    "mfa_required": True,
}
FALSE_VALUES = ("0", "false", "no", "off")
# name: default
CHAR_PARAMETERS = {
    # the server folder from which the national directories may be imported
    "directory_import_path": "",
}


def _raw(env, name):
    # sudo: reading the module's own configuration, open to every user of the module.
    return env["ir.config_parameter"].sudo().get_param(PREFIX + name)


def _parse_int(raw, minimum, maximum):
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if minimum <= value <= maximum else None


def get_int_param(env, name):
    """The integer setting ``name``, or its default if missing or invalid."""
    default, minimum, maximum = INT_PARAMETERS[name]
    value = _parse_int(_raw(env, name), minimum, maximum)
    return default if value is None else value


def parse_int_list(raw, minimum, maximum):
    """The distinct valid integers of a comma-separated list, largest first."""
    values = {_parse_int(part, minimum, maximum) for part in str(raw or "").split(",")}
    return sorted(values - {None}, reverse=True)


def get_int_list_param(env, name):
    """The list setting ``name``, or its default if missing or without valid value."""
    default, minimum, maximum = INT_LIST_PARAMETERS[name]
    return parse_int_list(_raw(env, name), minimum, maximum) or list(default)


def get_bool_param(env, name):
    """The yes/no setting ``name``: its default unless explicitly false (or true)."""
    raw = _raw(env, name)
    if raw is None or raw is False or not str(raw).strip():
        return BOOL_PARAMETERS[name]
    return str(raw).strip().lower() not in FALSE_VALUES


def get_char_param(env, name):
    """The text setting ``name``, stripped, or its default."""
    raw = _raw(env, name)
    return str(raw).strip() if raw else CHAR_PARAMETERS[name]
