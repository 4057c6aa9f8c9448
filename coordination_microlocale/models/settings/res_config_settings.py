from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .coordination_parameters import (
    BOOL_PARAMETERS,
    INT_LIST_PARAMETERS,
    INT_PARAMETERS,
    PREFIX,
    get_bool_param,
    get_int_list_param,
    get_int_param,
    parse_int_list,
)

# Settings field -> parameter name (coordination_parameters). The fields are read and
# written here rather than with ``config_parameter``: Odoo would delete a parameter set
# to 0, and 0 is meaningful for some (no expiry, trace every read).
FIELD_PARAMETERS = {f"coordination_{name}": name for name in INT_PARAMETERS}
LIST_FIELD_PARAMETERS = {f"coordination_{name}": name for name in INT_LIST_PARAMETERS}
BOOL_FIELD_PARAMETERS = {f"coordination_{name}": name for name in BOOL_PARAMETERS}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    coordination_mfa_required = fields.Boolean(
        string="Two factors for individual files",
        default=BOOL_PARAMETERS["mfa_required"],
        help="Coordinators, managers and professionals log in with a second factor "
        "(a code by e-mail, an authenticator app or a passkey). Turn it off only "
        "where no e-mail can be sent, never in production.",
    )
    coordination_retention_days = fields.Integer(
        string="Keep closed files (days)",
        default=INT_PARAMETERS["retention_days"][0],
        help="Days a closed project or request is kept before it is anonymised: the "
        "person, the free texts, the messages and the attachments go, the figures "
        "stay.",
    )
    coordination_access_log_retention_days = fields.Integer(
        string="Keep the access trail (days)",
        default=INT_PARAMETERS["access_log_retention_days"][0],
        help="Days each trace of a consultation of an individual file is kept.",
    )
    coordination_access_log_window_minutes = fields.Integer(
        string="Trace again after (minutes)",
        default=INT_PARAMETERS["access_log_window_minutes"][0],
        help="A user who reads the same file again within this time is not traced "
        "again; 0 traces every read.",
    )
    coordination_consent_validity_months = fields.Integer(
        string="Consent valid for (months)",
        default=INT_PARAMETERS["consent_validity_months"][0],
        help="Default validity of a consent the person gives; 0: no expiry.",
    )
    coordination_discharge_reminder_days = fields.Char(
        string="Discharge reminders (days before)",
        default=",".join(map(str, INT_LIST_PARAMETERS["discharge_reminder_days"][0])),
        help="Days before a planned hospital discharge when the coordinator gets a "
        "to-do, separated by commas (e.g. 7,1).",
    )
    coordination_discharge_follow_up_days = fields.Integer(
        string="Call after a discharge (days)",
        default=INT_PARAMETERS["discharge_follow_up_days"][0],
        help="Days after the discharge when the coordinator calls the person back.",
    )
    coordination_calendar_feed_validity_days = fields.Integer(
        string="Calendar subscriptions valid for (days)",
        default=INT_PARAMETERS["calendar_feed_validity_days"][0],
        help="Days a calendar subscription address works before it must be renewed.",
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        for field_name, name in FIELD_PARAMETERS.items():
            res[field_name] = get_int_param(self.env, name)
        for field_name, name in LIST_FIELD_PARAMETERS.items():
            res[field_name] = ",".join(map(str, get_int_list_param(self.env, name)))
        for field_name, name in BOOL_FIELD_PARAMETERS.items():
            res[field_name] = get_bool_param(self.env, name)
        return res

    def set_values(self):
        res = super().set_values()
        # sudo: res.config.settings is for administrators (base.group_system) only.
        parameters = self.env["ir.config_parameter"].sudo()
        for field_name, name in FIELD_PARAMETERS.items():
            parameters.set_param(PREFIX + name, str(self[field_name]))
        for field_name, name in LIST_FIELD_PARAMETERS.items():
            _default, minimum, maximum = INT_LIST_PARAMETERS[name]
            values = parse_int_list(self[field_name], minimum, maximum)
            parameters.set_param(PREFIX + name, ",".join(map(str, values)))
        for field_name, name in BOOL_FIELD_PARAMETERS.items():
            # written out: a deleted parameter would read as its (safe) default
            parameters.set_param(PREFIX + name, str(bool(self[field_name])))
        return res

    @api.constrains(*FIELD_PARAMETERS, *LIST_FIELD_PARAMETERS)
    def _check_coordination_parameters(self):
        for settings in self:
            for field_name, name in FIELD_PARAMETERS.items():
                _default, minimum, maximum = INT_PARAMETERS[name]
                if not minimum <= settings[field_name] <= maximum:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s must be between %(min)s and %(max)s.",
                            setting=self._fields[field_name].get_description(self.env)[
                                "string"
                            ],
                            min=minimum,
                            max=maximum,
                        )
                    )
            for field_name, name in LIST_FIELD_PARAMETERS.items():
                _default, minimum, maximum = INT_LIST_PARAMETERS[name]
                raw = settings[field_name] or ""
                parts = [part for part in raw.split(",") if part.strip()]
                if not parts or len(parse_int_list(raw, minimum, maximum)) != len(
                    {part.strip() for part in parts}
                ):
                    raise ValidationError(
                        self.env._(
                            "%(setting)s: give whole numbers of days between %(min)s "
                            "and %(max)s, separated by commas (e.g. 7,1).",
                            setting=self._fields[field_name].get_description(self.env)[
                                "string"
                            ],
                            min=minimum,
                            max=maximum,
                        )
                    )
