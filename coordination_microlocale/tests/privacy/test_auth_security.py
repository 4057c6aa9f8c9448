import base64
import json
import time
from unittest.mock import patch

import lxml.html

import odoo.http
from odoo.http import STORED_SESSION_BYTES
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ...models.directory.res_users import MFA_REQUIRED_PARAM
from ...models.privacy.ir_http import LOGIN_TIME_KEY

GROUP = "coordination_microlocale.group_"
PASSKEY_ID = "Zm9v"  # base64url of b"foo"


class MfaUsersMixin:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coordinator = new_test_user(
            cls.env, login="mfa.coord", groups=GROUP + "coordinator"
        )
        cls.manager = new_test_user(
            cls.env, login="mfa.manager", groups=GROUP + "manager"
        )
        cls.professional = new_test_user(
            cls.env, login="mfa.professional", groups=GROUP + "professional"
        )
        cls.staff = new_test_user(
            cls.env, login="mfa.staff", groups=GROUP + "municipal_staff"
        )
        cls.employee = new_test_user(cls.env, login="mfa.employee")
        cls.portal = new_test_user(
            cls.env, login="mfa.portal", groups="base.group_portal"
        )
        # The demo data turns the enforcement off: the tests say which setting they use.
        cls.set_mfa_required("True")

    @classmethod
    def set_mfa_required(cls, value):
        cls.env["ir.config_parameter"].sudo().set_param(MFA_REQUIRED_PARAM, value)


class TestMfaPolicy(MfaUsersMixin, TransactionCase):
    def test_parameter_installed_on(self):
        param = self.env.ref("coordination_microlocale.config_mfa_required")
        self.assertEqual(param.key, MFA_REQUIRED_PARAM)

    def test_users_reaching_files_get_the_mail_code(self):
        for user in (self.coordinator, self.manager, self.professional):
            with self.subTest(login=user.login):
                self.assertEqual(user._mfa_type(), "totp_mail")
                self.assertEqual(user._mfa_url(), "/web/login/totp")
                # as with Odoo's own policy: no password-based RPC, API keys only
                self.assertTrue(user._rpc_api_keys_only())

    def test_other_users_unchanged(self):
        for user in (self.staff, self.employee, self.portal):
            with self.subTest(login=user.login):
                self.assertIsNone(user._mfa_type())
                self.assertIsNone(user._mfa_url())

    def test_authenticator_app_kept(self):
        self.coordinator.totp_secret = base64.b32encode(b"0123456789").decode()
        self.assertEqual(self.coordinator._mfa_type(), "totp")
        self.assertEqual(self.coordinator._mfa_url(), "/web/login/totp")

    def test_missing_parameter_means_enforced(self):
        self.env.ref("coordination_microlocale.config_mfa_required").unlink()
        self.assertEqual(self.coordinator._mfa_type(), "totp_mail")
        self.set_mfa_required(False)  # set_param(False) deletes the parameter
        self.assertEqual(self.professional._mfa_type(), "totp_mail")

    def test_parameter_off_is_plain_odoo(self):
        for value in ("False", "0", "false"):
            self.set_mfa_required(value)
            with self.subTest(value=value):
                self.assertIsNone(self.coordinator._mfa_type())
                self.assertIsNone(self.professional._mfa_type())
        # Odoo's own policy still applies on top
        self.env["ir.config_parameter"].sudo().set_param(
            "auth_totp.policy", "employee_required"
        )
        self.assertEqual(self.staff._mfa_type(), "totp_mail")
        self.assertEqual(self.coordinator._mfa_type(), "totp_mail")
        self.assertIsNone(self.portal._mfa_type())

    def test_passkey_offered_with_the_code(self):
        self.env["auth.passkey.key"].with_user(self.coordinator).sudo().create(
            {"name": "Clé", "credential_identifier": PASSKEY_ID, "public_key": "x"}
        )
        self.assertEqual(
            self.coordinator._get_auth_methods(), ["webauthn", "totp_mail", "password"]
        )

    def test_auth_methods_offered_on_screen_lock(self):
        self.assertEqual(
            self.coordinator._get_auth_methods(), ["totp_mail", "password"]
        )
        self.assertEqual(self.staff._get_auth_methods(), ["password"])


class TestSessionLock(MfaUsersMixin, TransactionCase):
    def test_values_on_the_module_groups(self):
        for xmlid in ("coordinator", "manager", "professional"):
            group = self.env.ref(GROUP + xmlid)
            with self.subTest(group=xmlid):
                self.assertEqual(group.lock_timeout_inactivity, 30)
                self.assertFalse(group.lock_timeout_inactivity_mfa)
                self.assertEqual(group.lock_timeout, 12 * 60)
                self.assertTrue(group.lock_timeout_mfa)
        self.assertFalse(
            self.env.ref(GROUP + "municipal_staff").lock_timeout_inactivity
        )

    def test_timeouts_of_the_users(self):
        expected = {
            "lock_timeout": [(12 * 3600, True)],
            "lock_timeout_inactivity": [(30 * 60, False)],
        }
        for user in (self.coordinator, self.manager, self.professional):
            with self.subTest(login=user.login):
                self.assertEqual(user._get_lock_timeouts(), expected)
                self.assertEqual(user._get_lock_timeout_inactivity(), 30 * 60)
        # the default groups of a plain employee carry no timeout
        self.assertEqual(
            self.staff._get_lock_timeouts(),
            {"lock_timeout": [], "lock_timeout_inactivity": []},
        )

    def test_trusted_device_limited_to_a_working_day(self):
        Device = self.env["auth_totp.device"]
        self.assertEqual(
            Device.with_user(self.coordinator)._get_trusted_device_age(), 12 * 3600
        )
        self.assertGreater(
            Device.with_user(self.staff)._get_trusted_device_age(), 12 * 3600
        )


@tagged("post_install", "-at_install")
class TestMfaLogin(MfaUsersMixin, HttpCase):
    """The real login form, as a browser posts it."""

    def csrf_token(self, url="/web/login", response=None):
        content = (response or self.url_open(url)).content
        return (
            lxml.html.fromstring(content)
            .xpath('//input[@name="csrf_token"]')[0]
            .get("value")
        )

    def login(self, login, password=None, **extra):
        data = {
            "login": login,
            "password": login if password is None else password,
            "csrf_token": self.csrf_token(),
            **extra,
        }
        return self.url_open("/web/login", data=data)

    def assertInBackend(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("/web/login", response.url)
        self.assertEqual(
            self.url_open("/web/session/get_session_info", json={}).status_code, 200
        )
        self.assertTrue(self.url_open("/odoo").url.endswith("/odoo"))

    def assertNotInBackend(self):
        response = self.url_open("/odoo")
        self.assertIn("/web/login", response.url)

    def test_coordinator_lands_on_the_code_page(self):
        sent = []
        Users = self.env.registry["res.users"]
        with patch.object(
            Users,
            "_send_totp_mail_code",
            lambda user: sent.append(user.id),
            create=False,
        ):
            response = self.login(self.coordinator.login)
        self.assertIn("/web/login/totp", response.url)
        self.assertEqual(sent, [self.coordinator.id], "the code is sent by e-mail")
        self.assertNotInBackend()

        # the e-mailed code opens the session
        code, _expiration = self.coordinator._get_totp_mail_code()
        response = self.url_open(
            "/web/login/totp",
            data={"totp_token": code, "csrf_token": self.csrf_token(response=response)},
        )
        self.assertInBackend(response)

    def test_professional_and_manager_land_on_the_code_page(self):
        Users = self.env.registry["res.users"]
        for user in (self.professional, self.manager):
            with self.subTest(login=user.login):
                self.opener.cookies.clear()
                with patch.object(Users, "_send_totp_mail_code", lambda user: None):
                    response = self.login(user.login)
                self.assertIn("/web/login/totp", response.url)
                self.assertNotInBackend()

    def test_wrong_code_refused(self):
        Users = self.env.registry["res.users"]
        with patch.object(Users, "_send_totp_mail_code", lambda user: None):
            response = self.login(self.coordinator.login)
        code, _expiration = self.coordinator._get_totp_mail_code()
        wrong = str((int(code) + 1) % 1000000).zfill(6)
        with mute_logger("odoo.addons.auth_totp_mail.models.res_users"):
            response = self.url_open(
                "/web/login/totp",
                data={
                    "totp_token": wrong,
                    "csrf_token": self.csrf_token(response=response),
                },
            )
        self.assertIn("/web/login/totp", response.url)
        self.assertNotInBackend()

    def test_staff_logs_in_with_password(self):
        self.assertInBackend(self.login(self.staff.login))

    def test_parameter_off_logs_in_with_password(self):
        self.set_mfa_required("False")
        self.assertInBackend(self.login(self.coordinator.login))

    def test_passkey_skips_the_second_step(self):
        """A passkey is itself two factors: Odoo's `mfa: skip`, kept for our users."""
        Passkey = self.env.registry["auth.passkey.key"]
        # created by the coordinator: auth_passkey finds the owner by create_uid
        self.env["auth.passkey.key"].with_user(self.coordinator).sudo().create(
            {
                "name": "Clé de test",
                "credential_identifier": PASSKEY_ID,
                "public_key": PASSKEY_ID,
            }
        )
        with patch.object(Passkey, "_verify_auth", lambda *args: 1):
            response = self.login(
                "",
                password="",
                type="webauthn",
                webauthn_response=json.dumps({"id": PASSKEY_ID}),
            )
        self.assertInBackend(response)


@tagged("post_install", "-at_install")
class TestSessionLockHttp(MfaUsersMixin, HttpCase):
    """auth_timeout's enforcement on a coordinator, as in auth_timeout's own tests."""

    def rpc_read(self, user):
        return self.url_open(
            "/web/dataset/call_kw",
            json={
                "params": {
                    "model": "res.users",
                    "method": "read",
                    "args": [[user.id], ["login"]],
                    "kwargs": {},
                }
            },
        ).json()

    def error_name(self, result):
        return result.get("error", {}).get("data", {}).get("name")

    def set_session(self, session_id, **values):
        session = odoo.http.root.session_store.get(session_id)
        session.update(values)
        odoo.http.root.session_store.save(session)

    def test_inactivity_locks_the_coordinator(self):
        session_id = self.authenticate(
            self.coordinator.login, self.coordinator.login
        ).sid
        self.assertTrue(self.rpc_read(self.coordinator).get("result"))
        # 30 minutes of inactivity reported by the web client
        self.env["ir.http"].with_user(self.coordinator)._set_session_inactivity(
            odoo.http.root.session_store.get(session_id),
            inactivity_period=30 * 60 * 1000,
        )
        self.assertEqual(
            self.error_name(self.rpc_read(self.coordinator)),
            "odoo.addons.auth_timeout.models.ir_http.CheckIdentityException",
        )
        self.url_open(
            "/auth-timeout/session/check-identity",
            json={"params": {"type": "password", "password": self.coordinator.login}},
        )
        self.assertTrue(self.rpc_read(self.coordinator).get("result"))

    def test_short_inactivity_does_not_lock(self):
        session_id = self.authenticate(
            self.coordinator.login, self.coordinator.login
        ).sid
        self.env["ir.http"].with_user(self.coordinator)._set_session_inactivity(
            odoo.http.root.session_store.get(session_id),
            inactivity_period=29 * 60 * 1000,
        )
        self.assertTrue(self.rpc_read(self.coordinator).get("result"))

    def test_session_within_a_working_day(self):
        session_id = self.authenticate(
            self.coordinator.login, self.coordinator.login
        ).sid
        self.set_session(session_id, create_time=time.time() - 11 * 3600)
        self.assertTrue(self.rpc_read(self.coordinator).get("result"))

    def test_session_ends_after_a_working_day(self):
        session_id = self.authenticate(
            self.coordinator.login, self.coordinator.login
        ).sid
        self.set_session(session_id, create_time=time.time() - 12 * 3600 - 60)
        self.assertEqual(
            self.error_name(self.rpc_read(self.coordinator)),
            "odoo.http.SessionExpiredException",
        )

    def test_municipal_staff_not_locked(self):
        session_id = self.authenticate(self.staff.login, self.staff.login).sid
        self.set_session(
            session_id,
            create_time=time.time() - 13 * 3600,
            **{"identity-check-next": time.time() - 3600},
        )
        self.assertTrue(self.rpc_read(self.staff).get("result"))

    def test_session_length_counted_from_the_login(self):
        """Odoo renews the session id, and its create_time, every 3 hours: the
        12-hour limit still counts from the login."""
        session_id = self.authenticate(
            self.coordinator.login, self.coordinator.login
        ).sid
        login_time = time.time() - 4 * 3600
        self.set_session(session_id, create_time=login_time)
        self.assertTrue(self.rpc_read(self.coordinator).get("result"))
        new_sid = self.opener.cookies["session_id"]
        self.assertNotEqual(new_sid, session_id, "the session id was rotated")
        session = odoo.http.root.session_store.get(new_sid)
        self.assertGreater(session["create_time"], time.time() - 60)
        self.assertEqual(session[LOGIN_TIME_KEY][1], login_time)

        # 12 hours after the login, although the last rotation is recent
        self.set_session(
            new_sid,
            **{
                LOGIN_TIME_KEY: [
                    new_sid[:STORED_SESSION_BYTES],
                    time.time() - 12 * 3600 - 60,
                ]
            },
        )
        self.assertEqual(
            self.error_name(self.rpc_read(self.coordinator)),
            "odoo.http.SessionExpiredException",
        )


@tagged("post_install", "-at_install")
class TestDemoLogins(HttpCase):
    """README: the demo logins pass with their password alone."""

    def test_demo_logins_pass_with_password(self):
        if not self.env.ref("coordination_microlocale.user_coordinatrice", False):
            raise AssertionError("This test needs the demo data (--with-demo).")
        param = self.env["ir.config_parameter"].sudo().get_param(MFA_REQUIRED_PARAM)
        self.assertEqual(param, "False", "the demo turns the enforcement off")
        for login in ("coordinatrice", "dr.martin", "responsable"):
            with self.subTest(login=login):
                self.opener.cookies.clear()
                page = self.url_open("/web/login").content
                csrf = (
                    lxml.html.fromstring(page)
                    .xpath('//input[@name="csrf_token"]')[0]
                    .get("value")
                )
                response = self.url_open(
                    "/web/login",
                    data={"login": login, "password": login, "csrf_token": csrf},
                )
                self.assertEqual(response.status_code, 200)
                # the GP has a portal account: Odoo takes portal users to /my
                home = "/my" if login == "dr.martin" else "/odoo"
                self.assertTrue(response.url.endswith(home), response.url)
