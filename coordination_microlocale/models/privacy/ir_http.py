import time

from odoo import models
from odoo.http import STORED_SESSION_BYTES, request

from ..directory.res_users import MFA_REQUIRED_GROUPS

LOGIN_TIME_KEY = "coordination-login-time"


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _coordination_login_time(cls):
        """When the current session was opened by a login.

        auth_timeout measures the maximum session length (``lock_timeout``) from
        the session's ``create_time``, which Odoo resets at each soft rotation of
        the session id (every 3 hours, ``SESSION_ROTATION_INTERVAL`` in
        odoo/http.py): a user active at least every few hours would never reach
        a longer limit. The login time is kept in the session together with the
        part of the session id that a soft rotation keeps; a new login (hard
        rotation, new identifier) starts again from its ``create_time``.
        """
        session = request.session
        prefix = session.sid[:STORED_SESSION_BYTES]
        stored = session.get(LOGIN_TIME_KEY)
        if stored and stored[0] == prefix:
            return stored[1]
        login_time = session.get("create_time") or time.time()
        session[LOGIN_TIME_KEY] = [prefix, login_time]
        return login_time

    @classmethod
    def _must_check_identity(cls):
        """auth_timeout's check, with the maximum session length counted from
        the login rather than from the last rotation of the session id."""
        result = super()._must_check_identity()
        if (result and result.get("logout")) or request.session.uid is None:
            return result
        user = request.env(user=request.session.uid).user
        # Only the accounts that reach individual files: for every other user the
        # limits keep auth_timeout's own meaning.
        if not any(user._has_group(group) for group in MFA_REQUIRED_GROUPS):
            return result
        login_time = cls._coordination_login_time()
        for timeout, mfa in user._get_lock_timeouts().get("lock_timeout", []):
            if login_time <= time.time() - timeout:
                return {"logout": True, "mfa": mfa}
        return result
