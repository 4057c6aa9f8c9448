"""Attacks over real HTTP, as each role: the suite fails if anything leaks.

Every request goes through the test server (JSON-RPC ``/web/dataset/call_kw``, the
JSON-2 API with a bearer API key, XML-RPC, the mail controllers, ``/web/content``,
``/web/image`` and ``/report``), and its raw body is searched for the secrets of the
fixture: the person's name, the minutes, the description, the chatter message, the
attachment content. Each attack is counted per role and path; the table is logged at
the end of the class ("attacks per role and path").
"""

import json
import logging
import re
import xmlrpc.client
from collections import Counter, namedtuple
from datetime import datetime, timedelta

from odoo.fields import Command
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from ..common import make_rpps

_logger = logging.getLogger(__name__)

PERSON_NAME = "Ysolde Quintavalle"
SESSION_NAME = f"Concertation {PERSON_NAME}"
MINUTES = "Minutes-secret-mn5"
DESCRIPTION = "Description-secret-dq3"
MESSAGE_BODY = "Chatter-secret-kz4"
ATTACHMENT_CONTENT = "Attachment-secret-pw9"
PROBLEMATIQUE = "Problematique-secret-pb8"
REQUEST_TEXT = "Request-secret-rq6"
STAY_NOTE = "Stay-secret-hs2"
INBOX_BODY = "Inbox-secret-ib1"
PRIVATE_EVENT_NAME = "Rendez-vous prive plain-odoo-pe7"
PUBLIC_EVENT_NAME = "Pot de depart plain-odoo-pu4"
SECRETS = (
    PERSON_NAME,
    MINUTES,
    DESCRIPTION,
    MESSAGE_BODY,
    ATTACHMENT_CONTENT,
    PROBLEMATIQUE,
    REQUEST_TEXT,
    STAY_NOTE,
    INBOX_BODY,
)

# role -> login; logins have 8 characters or more, so that the password of
# new_test_user (the login padded to 8) is the login itself.
LOGINS = {
    "coord_a": "atk.coord.a",
    "coord_b": "atk.coord.b",
    "gp": "atk.gp.doctor",
    "nurse": "atk.nurse",
    "staff": "atk.staff",
    "manager": "atk.manager",
    "employee": "atk.employee",
    "colleague": "atk.colleague",
    "outsider": "atk.outsider",
    # portal accounts: a professional of the circle, one outside it, and a person
    # accompanied elsewhere (issue 10: the same policy for portal users)
    "portal_gp": "atk.portal.gp",
    "portal_nurse": "atk.portal.nurse",
    "portal_person": "atk.portal.person",
}
# Nobody of these may reach anything about the person.
OUTSIDERS = (
    "coord_b",
    "nurse",
    "staff",
    "manager",
    "employee",
    "colleague",
    "outsider",
    "portal_nurse",
    "portal_person",
)
INSIDERS = ("coord_a", "gp", "portal_gp")
PORTAL_ROLES = ("portal_gp", "portal_nurse", "portal_person")

Outcome = namedtuple("Outcome", "ok value error raw status")

ATTEMPTS = Counter()


def _normalise(text):
    """An error text without ids, references and names, to compare two refusals."""
    text = re.sub(r"\d+", "N", str(text or ""))
    return re.sub(r"\s+", " ", text).strip()


@tagged("post_install", "-at_install")
class TestHttpAttacks(HttpCase):
    """Each role attacks the individual files of territory A over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.env = env
        group = "coordination_microlocale.group_"
        Territory = env["coordination.territory"]
        cls.territory_a = Territory.create({"name": "Commune Attaque A"})
        cls.territory_b = Territory.create({"name": "Commune Attaque B"})
        groups = {
            "coord_a": group + "coordinator,base.group_allow_export",
            "coord_b": group + "coordinator,base.group_allow_export",
            "gp": group + "professional,base.group_allow_export",
            "nurse": group + "professional,base.group_allow_export",
            "staff": group + "municipal_staff,base.group_allow_export",
            "manager": group + "manager,base.group_allow_export",
            "employee": "base.group_user",
            "colleague": "base.group_user",
            "outsider": "base.group_user",
            "portal_gp": group + "portal_professional",
            "portal_nurse": group + "portal_professional",
            "portal_person": group + "portal_person",
        }
        cls.users = {
            role: new_test_user(
                env,
                login=LOGINS[role],
                groups=groups[role],
                name=f"Attaque {role}",
                tz="Europe/Paris",
                notification_type="email" if role in PORTAL_ROLES else "inbox",
            )
            for role in LOGINS
        }
        cls.admin = env.ref("base.user_admin")
        cls.territory_a.coordinator_ids = [Command.link(cls.users["coord_a"].id)]
        cls.territory_b.coordinator_ids = [Command.link(cls.users["coord_b"].id)]
        cls.gp_partner = cls.users["gp"].partner_id
        cls.gp_partner.write(
            {
                "coordination_role": "professional",
                "coordination_profession_id": env.ref(
                    "coordination_microlocale.profession_gp"
                ).id,
                "coordination_rpps": make_rpps(4242),
            }
        )
        Partner = env["res.partner"]
        cls.person = Partner.create({"name": PERSON_NAME, "city": "Commune A"})
        cls.person_b = Partner.create({"name": "Octave Bertin"})
        cls.hospital = Partner.create({"name": "Hopital Attaque", "is_company": True})
        cls.request = env["coordination.request"].create(
            {
                "territory_id": cls.territory_a.id,
                "coordinator_id": cls.users["coord_a"].id,
                "requester_type": "relative",
                "person_id": cls.person.id,
                "channel": "phone",
                "description": REQUEST_TEXT,
            }
        )
        cls.project = env["coordination.individual.project"].create(
            {
                "person_id": cls.person.id,
                "territory_id": cls.territory_a.id,
                "coordinator_id": cls.users["coord_a"].id,
                "problematique": f"<p>{PROBLEMATIQUE}</p>",
            }
        )
        cls.project._set_consent(
            "given", means="written", scope_information="Situation"
        )
        cls.portal_gp_partner = cls.users["portal_gp"].partner_id
        cls.portal_gp_partner.write(
            {
                "coordination_role": "professional",
                "coordination_profession_id": env.ref(
                    "coordination_microlocale.profession_gp"
                ).id,
            }
        )
        env["coordination.circle.member"].create(
            [
                {
                    "project_id": cls.project.id,
                    "partner_id": partner.id,
                    "role": "professional",
                }
                for partner in (cls.gp_partner, cls.portal_gp_partner)
            ]
        )
        cls.stay = env["coordination.hospital.stay"].create(
            {
                "project_id": cls.project.id,
                "hospital_id": cls.hospital.id,
                "note": STAY_NOTE,
            }
        )
        # a file of territory B: B's own, to compare refusals with
        cls.project_b = env["coordination.individual.project"].create(
            {
                "person_id": cls.person_b.id,
                "territory_id": cls.territory_b.id,
                "coordinator_id": cls.users["coord_b"].id,
            }
        )
        start = datetime.now().replace(microsecond=0) + timedelta(days=10)
        cls.start = start
        attendees = (
            cls.person
            | cls.gp_partner
            | cls.portal_gp_partner
            | cls.users["coord_a"].partner_id
        )
        cls.meeting = (
            env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": SESSION_NAME,
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": cls.users["coord_a"].id,
                    "coordination_project_id": cls.project.id,
                    "coordination_session_type_id": env.ref(
                        "coordination_microlocale.session_type_concertation"
                    ).id,
                    "partner_ids": [Command.set(attendees.ids)],
                    "description": f"<p>{DESCRIPTION}</p>",
                    "coordination_minutes": f"<p>{MINUTES}</p>",
                }
            )
        )
        cls.meeting_message = cls.meeting.message_post(
            body=MESSAGE_BODY, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        cls.meeting_attachment = env["ir.attachment"].create(
            {
                "name": "note-seance.txt",
                "raw": ATTACHMENT_CONTENT.encode(),
                "mimetype": "text/plain",
                "res_model": "calendar.event",
                "res_id": cls.meeting.id,
            }
        )
        cls.project_attachment = env["ir.attachment"].create(
            {
                "name": "bilan.txt",
                "raw": ATTACHMENT_CONTENT.encode(),
                "mimetype": "text/plain",
                "res_model": "coordination.individual.project",
                "res_id": cls.project.id,
            }
        )
        cls.project.message_post(body=MESSAGE_BODY, message_type="comment")
        cls.request.message_post(body=MESSAGE_BODY, message_type="comment")
        # the person and the GP follow every file: who follows is individual data
        for record in (cls.request, cls.project, cls.stay, cls.meeting):
            record.message_subscribe(
                partner_ids=(cls.person | cls.gp_partner | cls.portal_gp_partner).ids
            )
        cls.individual = {
            "coordination.request": cls.request,
            "coordination.individual.project": cls.project,
            "coordination.hospital.stay": cls.stay,
            "calendar.event": cls.meeting,
        }
        # Odoo's own calendar, which must stay as in plain Odoo
        employee = cls.users["employee"]
        colleague = cls.users["colleague"]
        cls.private_event = (
            env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": PRIVATE_EVENT_NAME,
                    "start": start,
                    "stop": start + timedelta(hours=2),
                    "user_id": employee.id,
                    "privacy": "private",
                    "partner_ids": [
                        Command.set((employee.partner_id | colleague.partner_id).ids)
                    ],
                }
            )
        )
        cls.public_event = (
            env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": PUBLIC_EVENT_NAME,
                    "start": start,
                    "stop": start + timedelta(hours=2),
                    "user_id": employee.id,
                    "privacy": "public",
                    "partner_ids": [Command.set(employee.partner_id.ids)],
                }
            )
        )
        # one API key per role, made by the user for themself
        expiration = datetime.now() + timedelta(days=0.5)
        cls.keys = {
            role: env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", f"attack {role}", expiration)
            for role, user in cls.users.items()
        }
        cls.keys["admin"] = (
            env["res.users.apikeys"]
            .with_user(cls.admin)
            ._generate("rpc", "attack admin", expiration)
        )

    @classmethod
    def tearDownClass(cls):
        roles = sorted({role for role, _path in ATTEMPTS})
        paths = sorted({path for _role, path in ATTEMPTS})
        width = max([len(path) for path in paths] + [4])
        lines = [
            f"attacks per role and path ({sum(ATTEMPTS.values())} in all)",
            " ".join(["path".ljust(width)] + [role[:9].rjust(9) for role in roles]),
        ]
        for path in paths:
            lines.append(
                " ".join(
                    [path.ljust(width)]
                    + [str(ATTEMPTS[(role, path)]).rjust(9) for role in roles]
                )
            )
        lines.append(
            " ".join(
                ["TOTAL".ljust(width)]
                + [
                    str(
                        sum(n for (role_, _p), n in ATTEMPTS.items() if role_ == role)
                    ).rjust(9)
                    for role in roles
                ]
            )
        )
        _logger.info("\n".join(lines))
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self._logged_in = None

    # ------------------------------------------------------------------
    # HTTP clients
    # ------------------------------------------------------------------
    def _user(self, role):
        return self.admin if role == "admin" else self.users[role]

    def _attempt(self, role, path):
        ATTEMPTS[(role, path)] += 1

    def _login(self, role):
        if self._logged_in == role:
            return
        user = self._user(role)
        self.authenticate(user.login, user.login)
        self.assertEqual(self.session.uid, user.id, f"login of {role}")
        self._logged_in = role

    def _logout(self):
        self.opener.cookies.pop("session_id", None)
        self._logged_in = None

    def _open(self, url, **kwargs):
        # refusals raise in the server, which logs them: they are expected here, and
        # every answer is checked by the assertions
        with mute_logger("odoo.http", "odoo.addons.rpc.controllers.xmlrpc"):
            return self.url_open(url, **kwargs)

    def _to_outcome(self, response):
        try:
            body = response.json()
        except ValueError:
            return Outcome(
                False, None, response.text, response.text, response.status_code
            )
        if isinstance(body, dict) and "error" in body:
            return Outcome(
                False, None, body["error"], response.text, response.status_code
            )
        if isinstance(body, dict) and "jsonrpc" in body:
            body = body.get("result")
        return Outcome(True, body, None, response.text, response.status_code)

    def jsonrpc(self, role, route, params, path=None):
        self._login(role)
        self._attempt(role, path or route)
        response = self._open(
            route,
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertNotIn(
            response.status_code, (404, 500), f"{role} {route}: {response.text[:300]}"
        )
        return self._to_outcome(response)

    def call_kw(self, role, model, method, args=(), kwargs=None):
        outcome = self.jsonrpc(
            role,
            f"/web/dataset/call_kw/{model}/{method}",
            {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": kwargs or {},
            },
            path=f"call_kw {method}",
        )
        if not outcome.ok:
            self.assertNotEqual(
                outcome.error.get("data", {}).get("name"),
                "odoo.http.SessionExpiredException",
                f"{role} is logged in",
            )
        return outcome

    def json2(self, role, model, method, **payload):
        self._logout()
        self._attempt(role, f"json2 {method}")
        response = self._open(
            f"/json/2/{model}/{method}",
            data=json.dumps(payload),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"bearer {self.keys[role]}",
            },
        )
        self.assertNotEqual(response.status_code, 401, f"{role} key accepted")
        outcome = self._to_outcome(response)
        if response.status_code != 200:
            return outcome._replace(ok=False, error=response.text)
        return outcome

    def xmlrpc(self, role, model, method, args=(), kwargs=None):
        self._logout()
        self._attempt(role, f"xmlrpc {method}")
        user = self._user(role)
        payload = xmlrpc.client.dumps(
            (
                get_db_name(),
                user.id,
                user.login,
                model,
                method,
                list(args),
                kwargs or {},
            ),
            "execute_kw",
            allow_none=True,
        )
        response = self._open(
            "/xmlrpc/2/object", data=payload, headers={"Content-Type": "text/xml"}
        )
        self.assertEqual(response.status_code, 200, f"{role} xmlrpc")
        try:
            value = xmlrpc.client.loads(response.content, use_datetime=True)[0][0]
        except xmlrpc.client.Fault as fault:
            self.assertNotIn(
                "AccessDenied", fault.faultString[:200], f"{role} password accepted"
            )
            return Outcome(False, None, fault.faultString, response.text, 200)
        return Outcome(True, value, None, response.text, 200)

    def get(self, role, url, path):
        self._login(role)
        self._attempt(role, path)
        return self._open(url, allow_redirects=False)

    # ------------------------------------------------------------------
    # assertions
    # ------------------------------------------------------------------
    def assertNoSecret(self, raw, label, secrets=SECRETS):
        raw = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
        for secret in secrets:
            self.assertNotIn(secret, raw, f"{label}: {secret!r} leaks")

    def assertNoFileMessage(self, payload, label):
        """No message of the fixture's individual files in a mail store payload."""
        files = {
            ("coordination.request", self.request.id),
            ("coordination.individual.project", self.project.id),
            ("coordination.hospital.stay", self.stay.id),
            ("calendar.event", self.meeting.id),
        }
        data = (payload or {}).get("data") or {} if isinstance(payload, dict) else {}
        for message in data.get("mail.message", []):
            self.assertNotIn(
                (message.get("model"), message.get("res_id")), files, label
            )
        for thread in data.get("mail.thread", []):
            self.assertNotIn((thread.get("model"), thread.get("id")), files, label)

    def _ids(self, value):
        """The record ids a call returned, whatever its shape."""
        if isinstance(value, dict) and "records" in value:
            value = value["records"]
        if isinstance(value, list):
            return {
                row["id"]
                if isinstance(row, dict)
                else row[0]
                if isinstance(row, list | tuple)
                else row
                for row in value
            }
        return set()

    def assertHiddenCall(self, outcome, record, label):
        self.assertNoSecret(outcome.raw, label)
        if outcome.ok:
            self.assertNotIn(record.id, self._ids(outcome.value), label)

    # ------------------------------------------------------------------
    # positive controls: the suite must not pass because nothing works
    # ------------------------------------------------------------------
    def test_00_positive_controls_rpc(self):
        for role in INSIDERS:
            for model, record in self.individual.items():
                if role in ("gp", "portal_gp") and model == "coordination.request":
                    continue
                label = f"{role} {model}"
                with self.subTest(label=label, path="call_kw"):
                    out = self.call_kw(
                        role,
                        model,
                        "search_read",
                        [[("id", "=", record.id)]],
                        {"fields": ["display_name"]},
                    )
                    self.assertTrue(out.ok, f"{label}: {out.error}")
                    self.assertEqual(self._ids(out.value), {record.id}, label)
                with self.subTest(label=label, path="json2"):
                    out = self.json2(
                        role, model, "read", ids=[record.id], fields=["display_name"]
                    )
                    self.assertTrue(out.ok, f"{label}: {out.error}")
                    self.assertEqual(self._ids(out.value), {record.id}, label)
                with self.subTest(label=label, path="xmlrpc"):
                    out = self.xmlrpc(
                        role,
                        model,
                        "search_read",
                        [[("id", "=", record.id)]],
                        {"fields": ["display_name"]},
                    )
                    self.assertTrue(out.ok, f"{label}: {out.error}")
                    self.assertEqual(self._ids(out.value), {record.id}, label)
            with self.subTest(role=role, path="session content"):
                out = self.call_kw(
                    role,
                    "calendar.event",
                    "read",
                    [[self.meeting.id]],
                    {"fields": ["name", "coordination_minutes", "description"]},
                )
                self.assertTrue(out.ok, out.error)
                self.assertIn(PERSON_NAME, out.value[0]["name"])
                self.assertIn(MINUTES, out.value[0]["coordination_minutes"])
                self.assertIn(DESCRIPTION, out.value[0]["description"])
        out = self.call_kw(
            "coord_a",
            "coordination.individual.project",
            "read",
            [[self.project.id]],
            {"fields": ["problematique", "person_id"]},
        )
        self.assertTrue(out.ok, out.error)
        self.assertIn(PROBLEMATIQUE, out.value[0]["problematique"])
        out = self.call_kw(
            "coord_a",
            "mail.followers",
            "search_read",
            [[("res_model", "=", "calendar.event"), ("res_id", "=", self.meeting.id)]],
            {"fields": ["partner_id"]},
        )
        self.assertTrue(out.ok, out.error)
        self.assertIn(PERSON_NAME, out.raw, "the coordinator sees the followers")
        for role in LOGINS:
            with self.subTest(role=role, path="json2 context_get"):
                out = self.json2(role, "res.users", "context_get")
                self.assertTrue(out.ok, f"{role}: {out.error}")
            with self.subTest(role=role, path="xmlrpc search"):
                out = self.xmlrpc(role, "res.users", "search", [[("id", "=", 1)]])
                self.assertTrue(out.ok, f"{role}: {out.error}")

    def test_00_positive_controls_mail_content_report(self):
        # The portal GP: the notes of the project (the circle's notes), as an
        # internal professional; Odoo opens no attachment, report or session note to
        # portal users through these backend routes (the portal pages do).
        with self.subTest(role="portal_gp", path="/mail/thread/messages"):
            out = self.jsonrpc(
                "portal_gp",
                "/mail/thread/messages",
                {
                    "thread_model": "coordination.individual.project",
                    "thread_id": self.project.id,
                    "fetch_params": {"limit": 30},
                },
            )
            self.assertTrue(out.ok, out.error)
            self.assertIn(MESSAGE_BODY, out.raw)
        for role in INSIDERS:
            if role in PORTAL_ROLES:
                continue
            with self.subTest(role=role, path="/mail/thread/messages"):
                out = self.jsonrpc(
                    role,
                    "/mail/thread/messages",
                    {
                        "thread_model": "calendar.event",
                        "thread_id": self.meeting.id,
                        "fetch_params": {"limit": 30},
                    },
                )
                self.assertTrue(out.ok, out.error)
                self.assertIn(self.meeting_message.id, out.value["messages"])
                self.assertIn(MESSAGE_BODY, out.raw)
            with self.subTest(role=role, path="/mail/data"):
                out = self.jsonrpc(
                    role,
                    "/mail/data",
                    {
                        "fetch_params": [
                            [
                                "mail.thread",
                                {
                                    "thread_model": "calendar.event",
                                    "thread_id": self.meeting.id,
                                    "request_list": ["followers", "attachments"],
                                },
                            ]
                        ]
                    },
                )
                self.assertTrue(out.ok, out.error)
                self.assertIn(PERSON_NAME, out.raw, "followers")
                self.assertIn("note-seance.txt", out.raw, "attachments")
            with self.subTest(role=role, path="/web/content"):
                response = self.get(
                    role,
                    f"/web/content/{self.meeting_attachment.id}?download=true",
                    "/web/content/<id>",
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(ATTACHMENT_CONTENT.encode(), response.content)
            with self.subTest(role=role, path="/report/html"):
                response = self.get(
                    role,
                    "/report/html/coordination_microlocale.report_session_minutes/"
                    f"{self.meeting.id}",
                    "/report/html",
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(MINUTES.encode(), response.content)
        response = self.get(
            "coord_a",
            f"/web/content/{self.project_attachment.id}?download=true",
            "/web/content/<id>",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(ATTACHMENT_CONTENT.encode(), response.content)

    # ------------------------------------------------------------------
    # ORM methods over call_kw, JSON-2 and XML-RPC
    # ------------------------------------------------------------------
    def _orm_attacks(self, record):
        """(method, args, kwargs) that must give nothing of ``record``."""
        model = record._name
        hidden = (
            ["name", "coordination_minutes", "description"]
            if model == "calendar.event"
            else ["display_name"]
        )
        domain = [("id", "=", record.id)]
        attacks = [
            ("search_read", [domain], {"fields": ["display_name"]}),
            ("search", [domain], {}),
            ("search_count", [domain], {}),
            ("read", [[record.id]], {"fields": ["display_name"]}),
            ("web_search_read", [domain], {"specification": {"display_name": {}}}),
            ("web_read", [[record.id]], {"specification": {"display_name": {}}}),
            (
                "formatted_read_group",
                [domain],
                {"groupby": ["create_uid"], "aggregates": ["id:array_agg", "__count"]},
            ),
            (
                "read_group",
                [domain],
                {"fields": ["id:array_agg"], "groupby": ["create_uid"]},
            ),
            ("export_data", [[record.id], ["id", "display_name"]], {}),
            ("name_search", [], {"name": "", "domain": domain}),
            (
                "search_read",
                [domain],
                {"fields": ["id"], "context": {"active_test": False}},
            ),
            (
                "search_read",
                [domain],
                {"fields": ["id"], "context": {"tracking_disable": True}},
            ),
        ]
        if model == "calendar.event":
            attacks += [
                ("name_search", [], {"name": PERSON_NAME}),
                (
                    "search_read",
                    [[("coordination_is_individual", "=", True)]],
                    {"fields": ["id", "display_name"]},
                ),
                (
                    "search_read",
                    [[("partner_ids", "in", self.person.ids)]],
                    {"fields": ["id"]},
                ),
                (
                    "search_read",
                    [[("coordination_project_id", "=", self.project.id)]],
                    {"fields": ["id"]},
                ),
            ]
            attacks += [
                ("search", [domain], {"order": f"{fname} asc"}) for fname in hidden
            ]
        return attacks

    def _oracle_domains(self, record):
        """Pairs of domains whose counts must not differ (bisection oracle)."""
        base = [("id", "=", record.id)]
        if record._name == "calendar.event":
            return [
                (
                    base + [("name", "ilike", "Ysolde")],
                    base + [("name", "ilike", "zzzz")],
                ),
                (
                    base + [("coordination_minutes", "ilike", "Minutes-secret")],
                    base + [("coordination_minutes", "ilike", "zzzz")],
                ),
                (
                    base + [("description", "ilike", "Description-secret")],
                    base + [("description", "ilike", "zzzz")],
                ),
                (
                    base + [("partner_ids.name", "ilike", "Ysolde")],
                    base + [("partner_ids.name", "ilike", "zzzz")],
                ),
            ]
        person = (
            "project_id.person_id.name"
            if record._name == "coordination.hospital.stay"
            else "person_id.name"
        )
        return [
            (
                base + [(person, "ilike", "Ysolde")],
                base + [(person, "ilike", "zzzz")],
            )
        ]

    def _run_orm_attacks(self, client, client_name):
        for role in OUTSIDERS:
            for model, record in self.individual.items():
                for method, args, kwargs in self._orm_attacks(record):
                    label = f"{client_name} {role} {model}.{method} {kwargs}"
                    with self.subTest(label=label):
                        out = client(role, model, method, args, kwargs)
                        self.assertHiddenCall(out, record, label)
                        if out.ok and method in ("search_count",):
                            self.assertEqual(out.value, 0, label)
                        if out.ok and method == "web_search_read":
                            self.assertEqual(out.value["length"], 0, label)
                        if out.ok and method in ("formatted_read_group", "read_group"):
                            self.assertNotIn(f"{record.id}", _group_ids(out.value))
                            counts = sum(
                                group.get("__count", group.get("create_uid_count", 0))
                                for group in out.value
                            )
                            self.assertEqual(counts, 0, label)
                        if out.ok and method == "export_data":
                            self.assertFalse(out.value["datas"], label)
                        if method in ("read", "web_read"):
                            self.assertFalse(out.ok, f"{label}: must raise")
                for found, empty in self._oracle_domains(record):
                    label = f"{client_name} {role} {model} oracle {found[-1]}"
                    with self.subTest(label=label):
                        hit = client(role, model, "search_count", [found], {})
                        miss = client(role, model, "search_count", [empty], {})
                        self.assertEqual(
                            (hit.ok, hit.value), (miss.ok, miss.value), label
                        )

    def _call_kw_client(self, role, model, method, args, kwargs):
        kwargs = dict(kwargs)
        if method == "name_search" and "name" in kwargs:
            return self.call_kw(role, model, method, [], kwargs)
        return self.call_kw(role, model, method, args, kwargs)

    def _json2_client(self, role, model, method, args, kwargs):
        kwargs = dict(kwargs)
        context = kwargs.pop("context", {})
        payload = {"context": context, **kwargs}
        if method in ("read", "web_read", "export_data"):
            payload["ids"] = args[0]
            if method == "export_data":
                payload["fields_to_export"] = args[1]
        elif args:
            payload["domain"] = args[0]
        return self.json2(role, model, method, **payload)

    def _xmlrpc_client(self, role, model, method, args, kwargs):
        return self.xmlrpc(role, model, method, args, kwargs)

    def test_call_kw_individual_records_hidden(self):
        self._run_orm_attacks(self._call_kw_client, "call_kw")

    def test_json2_individual_records_hidden(self):
        self._run_orm_attacks(self._json2_client, "json2")

    def test_xmlrpc_individual_records_hidden(self):
        self._run_orm_attacks(self._xmlrpc_client, "xmlrpc")

    def test_writes_on_the_session_refused(self):
        """Outsiders cannot change, delete, or copy the session."""
        for role in OUTSIDERS:
            for method, args in (
                ("write", [[self.meeting.id], {"name": "pwned"}]),
                ("unlink", [[self.meeting.id]]),
                ("copy", [[self.meeting.id]]),
                ("action_coordination_print_minutes", [[self.meeting.id]]),
            ):
                with self.subTest(role=role, method=method):
                    out = self.call_kw(role, "calendar.event", method, args)
                    self.assertFalse(out.ok, f"{role} {method} must raise")
                    self.assertNoSecret(out.raw, f"{role} {method}")
        self.env.invalidate_all()
        self.assertEqual(self.meeting.name, SESSION_NAME)

    # ------------------------------------------------------------------
    # context keys
    # ------------------------------------------------------------------
    def test_context_anonymising_does_nothing(self):
        other = self.env["res.partner"].create({"name": "Autre personne"})
        context = {"coordination_privileged": "anonymise", "tracking_disable": True}
        for role in ("coord_a", "manager", "coord_b"):
            with self.subTest(role=role, path="call_kw"):
                out = self.call_kw(
                    role,
                    "coordination.individual.project",
                    "write",
                    [[self.project.id], {"person_id": other.id}],
                    {"context": context},
                )
                self.assertFalse(out.ok, f"{role}: person_id changed")
                self.assertNoSecret(out.raw, role)
            with self.subTest(role=role, path="json2"):
                out = self.json2(
                    role,
                    "coordination.individual.project",
                    "write",
                    ids=[self.project.id],
                    vals={"person_id": other.id},
                    context=context,
                )
                self.assertFalse(out.ok, f"{role}: person_id changed")
            with self.subTest(role=role, path="xmlrpc"):
                out = self.xmlrpc(
                    role,
                    "coordination.individual.project",
                    "write",
                    [[self.project.id], {"person_id": other.id}],
                    {"context": context},
                )
                self.assertFalse(out.ok, f"{role}: person_id changed")
            with self.subTest(role=role, path="person unchanged"):
                self.env.invalidate_all()
                self.assertEqual(self.project.person_id, self.person, role)
            # put it back, so that each role's attempt is judged on its own
            self.project.with_context(coordination_privileged="anonymise").write(
                {"person_id": self.person.id}
            )

    # ------------------------------------------------------------------
    # chatter
    # ------------------------------------------------------------------
    def _followers(self, record):
        self.env.invalidate_all()
        return (
            self.env["mail.followers"]
            .sudo()
            .search([("res_model", "=", record._name), ("res_id", "=", record.id)])
            .partner_id
        )

    def test_chatter_routes(self):
        for role in OUTSIDERS:
            partner = self.users[role].partner_id
            for model, record in self.individual.items():
                label = f"{role} {model}"
                thread = {"thread_model": model, "thread_id": record.id}
                with self.subTest(label=label, path="call_kw message_subscribe"):
                    out = self.call_kw(
                        role,
                        model,
                        "message_subscribe",
                        [[record.id]],
                        {"partner_ids": partner.ids},
                    )
                    self.assertNoSecret(out.raw, label)
                    self.assertNotIn(partner, self._followers(record), label)
                with self.subTest(label=label, path="/mail/thread/subscribe"):
                    out = self.jsonrpc(
                        role,
                        "/mail/thread/subscribe",
                        {
                            "res_model": model,
                            "res_id": record.id,
                            "partner_ids": partner.ids,
                        },
                    )
                    self.assertNoSecret(out.raw, label)
                    self.assertNotIn(partner, self._followers(record), label)
                with self.subTest(label=label, path="/mail/message/post"):
                    count = self.env["mail.message"].search_count([])
                    out = self.jsonrpc(
                        role,
                        "/mail/message/post",
                        {
                            **thread,
                            "post_data": {
                                "body": "posted by an outsider",
                                "message_type": "comment",
                                "subtype_xmlid": "mail.mt_comment",
                            },
                        },
                    )
                    self.assertFalse(out.ok, f"{label}: posted")
                    self.assertNoSecret(out.raw, label)
                    self.assertEqual(
                        self.env["mail.message"].search_count([]), count, label
                    )
                with self.subTest(label=label, path="/mail/data mail.thread"):
                    out = self.jsonrpc(
                        role,
                        "/mail/data",
                        {
                            "fetch_params": [
                                [
                                    "mail.thread",
                                    {
                                        **thread,
                                        "request_list": [
                                            "followers",
                                            "suggestedRecipients",
                                            "attachments",
                                            "contact_fields",
                                            "display_name",
                                            "activities",
                                        ],
                                    },
                                ]
                            ]
                        },
                    )
                    self.assertNoSecret(out.raw, label)
                    self.assertNotIn("note-seance.txt", out.raw, label)
                for route, params in (
                    ("/mail/thread/messages", {**thread, "fetch_params": {}}),
                    ("/mail/thread/recipients", thread),
                    (
                        "/mail/thread/recipients/get_suggested_recipients",
                        {**thread, "partner_ids": []},
                    ),
                    (
                        "/mail/thread/unsubscribe",
                        {
                            "res_model": model,
                            "res_id": record.id,
                            "partner_ids": self.person.ids,
                        },
                    ),
                ):
                    with self.subTest(label=label, path=route):
                        out = self.jsonrpc(role, route, params)
                        # The route answers with the latest messages the user may
                        # read anywhere when the thread is refused: the person's own
                        # contact ("Contact created") is among them, as in plain
                        # Odoo, where every employee reads every contact. What must
                        # not come is anything of the files or the session.
                        self.assertNoSecret(
                            out.raw,
                            f"{label} {route}",
                            (SESSION_NAME, *SECRETS[1:]),
                        )
                        self.assertNoFileMessage(out.value, f"{label} {route}")
                with self.subTest(label=label, path="mail.message"):
                    out = self.call_kw(
                        role,
                        "mail.message",
                        "search_read",
                        [[("model", "=", model), ("res_id", "=", record.id)]],
                        {"fields": ["body", "record_name", "author_id", "model"]},
                    )
                    self.assertNoSecret(out.raw, label)
                    if out.ok:
                        self.assertFalse(out.value, label)
                with self.subTest(label=label, path="mail.message read"):
                    message = self.env["mail.message"].search(
                        [("model", "=", model), ("res_id", "=", record.id)], limit=1
                    )
                    out = self.call_kw(
                        role,
                        "mail.message",
                        "read",
                        [message.ids],
                        {"fields": ["body", "record_name"]},
                    )
                    self.assertNoSecret(out.raw, label)
                    self.assertFalse(out.ok, f"{label}: message read")
                with self.subTest(label=label, path="mail.followers"):
                    out = self.call_kw(
                        role,
                        "mail.followers",
                        "search_read",
                        [[("res_model", "=", model), ("res_id", "=", record.id)]],
                        {"fields": ["partner_id", "name", "email"]},
                    )
                    self.assertNoSecret(out.raw, label)
                    if out.ok:
                        self.assertFalse(out.value, label)
                with self.subTest(label=label, path="mail.followers read_group"):
                    out = self.call_kw(
                        role,
                        "mail.followers",
                        "formatted_read_group",
                        [[("res_model", "=", model), ("res_id", "=", record.id)]],
                        {"groupby": ["partner_id"], "aggregates": ["__count"]},
                    )
                    self.assertNoSecret(out.raw, label)
        for record in self.individual.values():
            self.assertIn(self.person, self._followers(record), "unsubscribe refused")

    def test_inbox_after_someone_else_posts(self):
        """An outsider who tried to follow gets nothing in their inbox."""
        for role in OUTSIDERS:
            partner = self.users[role].partner_id
            for model, record in self.individual.items():
                self.call_kw(
                    role,
                    model,
                    "message_subscribe",
                    [[record.id]],
                    {"partner_ids": partner.ids},
                )
        for model, record in self.individual.items():
            out = self.jsonrpc(
                "coord_a",
                "/mail/message/post",
                {
                    "thread_model": model,
                    "thread_id": record.id,
                    "post_data": {
                        "body": INBOX_BODY,
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                    },
                },
            )
            self.assertTrue(out.ok, f"coord_a posts on {model}: {out.error}")
        for role in OUTSIDERS:
            with self.subTest(role=role):
                out = self.jsonrpc(
                    role, "/mail/inbox/messages", {"fetch_params": {"limit": 100}}
                )
                self.assertTrue(out.ok, out.error)
                self.assertNoSecret(out.raw, f"{role} inbox")
                out = self.call_kw(
                    role,
                    "mail.notification",
                    "search_read",
                    [[("res_partner_id", "=", self.users[role].partner_id.id)]],
                    {"fields": ["mail_message_id"]},
                )
                self.assertNoSecret(out.raw, f"{role} notifications")
        out = self.jsonrpc(
            "gp", "/mail/inbox/messages", {"fetch_params": {"limit": 100}}
        )
        self.assertTrue(out.ok, out.error)
        self.assertIn(INBOX_BODY, out.raw, "the following GP is notified")

    # ------------------------------------------------------------------
    # res.partner related fields
    # ------------------------------------------------------------------
    def test_partner_meetings(self):
        partners = [self.person.id, self.gp_partner.id]
        for role in OUTSIDERS:
            with self.subTest(role=role, path="read meeting_ids"):
                out = self.call_kw(
                    role,
                    "res.partner",
                    "read",
                    [partners],
                    {"fields": ["meeting_ids", "meeting_count"]},
                )
                if role in PORTAL_ROLES and not out.ok:
                    # Odoo's own rule: a portal user reads no contact of others
                    self.assertNoSecret(out.raw, role)
                    continue
                self.assertTrue(out.ok, out.error)
                for row in out.value:
                    self.assertNotIn(self.meeting.id, row["meeting_ids"], role)
                    self.assertEqual(row["meeting_count"], 0, role)
            with self.subTest(role=role, path="web_read meeting_ids"):
                out = self.call_kw(
                    role,
                    "res.partner",
                    "web_read",
                    [partners],
                    {
                        "specification": {
                            "meeting_ids": {"fields": {"display_name": {}}},
                            "meeting_count": {},
                        }
                    },
                )
                self.assertNoSecret(out.raw, role)
                if role in PORTAL_ROLES and not out.ok:
                    continue
                self.assertTrue(out.ok, out.error)
                for row in out.value:
                    self.assertNotIn(self.meeting.id, self._ids(row["meeting_ids"]))
                    self.assertEqual(row["meeting_count"], 0, role)
            for domain in (
                [("meeting_ids.coordination_is_individual", "=", True)],
                [("meeting_ids.name", "ilike", PERSON_NAME)],
                [("meeting_ids", "in", self.meeting.ids)],
                [("meeting_ids.coordination_minutes", "ilike", MINUTES)],
            ):
                with self.subTest(role=role, domain=domain):
                    out = self.call_kw(role, "res.partner", "search", [domain], {})
                    if out.ok:
                        self.assertFalse(set(partners) & set(out.value), role)
                    out = self.call_kw(
                        role, "res.partner", "search_count", [domain], {}
                    )
                    if out.ok:
                        self.assertEqual(out.value, 0, f"{role} {domain}")
        out = self.call_kw(
            "coord_a",
            "res.partner",
            "read",
            [[self.person.id]],
            {"fields": ["meeting_ids", "meeting_count"]},
        )
        self.assertTrue(out.ok, out.error)
        self.assertIn(self.meeting.id, out.value[0]["meeting_ids"], "positive")

    def test_partner_meetings_write_refused(self):
        attendees = self.meeting.partner_ids
        fresh = self.env["res.partner"].create({"name": "Contact neuf"})
        for role in ("coord_b", "staff", "nurse", "outsider"):
            own = self.users[role].partner_id
            for partner, command in (
                (fresh, [[4, self.meeting.id, 0]]),
                (own, [[4, self.meeting.id, 0]]),
                (self.person, [[3, self.meeting.id, 0]]),
                (self.gp_partner, [[6, 0, []]]),
                (self.person, [[6, 0, []]]),
            ):
                with self.subTest(role=role, partner=partner.name, command=command):
                    out = self.call_kw(
                        role,
                        "res.partner",
                        "write",
                        [[partner.id], {"meeting_ids": command}],
                    )
                    self.assertFalse(out.ok, f"{role} changed the attendees")
                    self.assertNoSecret(out.raw, role)
                    self.env.invalidate_all()
                    self.assertEqual(self.meeting.partner_ids, attendees, role)
                # put them back, so that each attempt is judged on its own
                self.env.invalidate_all()
                if self.meeting.partner_ids != attendees:
                    self.meeting.with_context(no_mail_to_attendees=True).write(
                        {"partner_ids": [Command.set(attendees.ids)]}
                    )

    # ------------------------------------------------------------------
    # attachments and reports
    # ------------------------------------------------------------------
    def test_content_and_reports(self):
        report = "coordination_microlocale.report_session_minutes"
        for role in OUTSIDERS:
            for attachment in (self.meeting_attachment, self.project_attachment):
                for url, path in (
                    (f"/web/content/{attachment.id}", "/web/content/<id>"),
                    (
                        f"/web/content/{attachment.id}?download=true",
                        "/web/content/<id>",
                    ),
                    (
                        f"/web/content/ir.attachment/{attachment.id}/datas",
                        "/web/content/ir.attachment/<id>/datas",
                    ),
                    (
                        f"/web/content/ir.attachment/{attachment.id}/raw",
                        "/web/content/ir.attachment/<id>/raw",
                    ),
                    (
                        f"/web/image/{attachment.id}",
                        "/web/image/<id>",
                    ),
                    (
                        f"/web/image/ir.attachment/{attachment.id}/datas",
                        "/web/image/ir.attachment/<id>/datas",
                    ),
                ):
                    with self.subTest(role=role, url=url):
                        response = self.get(role, url, path)
                        self.assertNoSecret(response.content, f"{role} {url}")
                        if path.startswith("/web/content"):
                            self.assertNotEqual(response.status_code, 200, url)
            for url, path in (
                (f"/report/html/{report}/{self.meeting.id}", "/report/html"),
                (f"/report/pdf/{report}/{self.meeting.id}", "/report/pdf"),
                (
                    f"/web/content/calendar.event/{self.meeting.id}/name",
                    "/web/content/calendar.event/<id>/<field>",
                ),
            ):
                with self.subTest(role=role, url=url):
                    response = self.get(role, url, path)
                    self.assertNotEqual(response.status_code, 200, f"{role} {url}")
                    self.assertNoSecret(response.content, f"{role} {url}")
            with self.subTest(role=role, path="ir.attachment search_read"):
                out = self.call_kw(
                    role,
                    "ir.attachment",
                    "search_read",
                    [
                        [
                            ("res_model", "=", "calendar.event"),
                            ("res_id", "=", self.meeting.id),
                        ]
                    ],
                    {"fields": ["name", "raw", "datas"]},
                )
                self.assertNoSecret(out.raw, role)
                if out.ok:
                    self.assertFalse(out.value, role)

    # ------------------------------------------------------------------
    # coordinator grants
    # ------------------------------------------------------------------
    def test_self_grant_refused(self):
        coordinators = self.territory_a.coordinator_ids
        for role in ("manager", "admin"):
            user = self._user(role)
            with self.subTest(role=role, side="territory"):
                out = self.call_kw(
                    role,
                    "coordination.territory",
                    "write",
                    [
                        [self.territory_a.id],
                        {"coordinator_ids": [[4, user.id, 0]]},
                    ],
                )
                self.assertFalse(out.ok, f"{role} made himself coordinator")
            with self.subTest(role=role, side="territory set"):
                out = self.call_kw(
                    role,
                    "coordination.territory",
                    "write",
                    [
                        [self.territory_a.id],
                        {
                            "coordinator_ids": [
                                [6, 0, [user.id, self.users["coord_a"].id]]
                            ]
                        },
                    ],
                )
                self.assertFalse(out.ok, f"{role} made himself coordinator")
            with self.subTest(role=role, side="user"):
                out = self.call_kw(
                    role,
                    "res.users",
                    "write",
                    [
                        [user.id],
                        {"coordination_territory_ids": [[4, self.territory_a.id, 0]]},
                    ],
                )
                self.assertFalse(out.ok, f"{role} gave himself a territory")
            with self.subTest(role=role, side="json2"):
                out = self.json2(
                    role,
                    "res.users",
                    "write",
                    ids=[user.id],
                    vals={"coordination_territory_ids": [[4, self.territory_a.id, 0]]},
                )
                self.assertFalse(out.ok, f"{role} gave himself a territory")
            with self.subTest(role=role, side="after the attempts"):
                self.env.invalidate_all()
                self.assertNotIn(user, self.territory_a.coordinator_ids, role)
            # put it back, so that each role's attempt is judged on its own
            self.territory_a.coordinator_ids = [Command.set(coordinators.ids)]
        with self.subTest(role="manager", path="project after attempts"):
            out = self.call_kw(
                "manager",
                "coordination.individual.project",
                "search",
                [[("id", "=", self.project.id)]],
            )
            self.assertTrue(out.ok, out.error)
            self.assertFalse(out.value, "the manager reaches the project")

    def _grant_model_exists(self):
        out = self.call_kw(
            "admin",
            "ir.model",
            "search_count",
            [[("model", "=", "coordination.coordinator.grant")]],
        )
        self.assertTrue(out.ok, out.error)
        return bool(out.value)

    def test_grant_is_recorded(self):
        coord_b = self.users["coord_b"]
        if not self._grant_model_exists():
            self.fail(
                "no model coordination.coordinator.grant: grants are not recorded"
            )
        out = self.call_kw(
            "admin",
            "coordination.territory",
            "write",
            [[self.territory_a.id], {"coordinator_ids": [[4, coord_b.id, 0]]}],
        )
        self.assertTrue(out.ok, f"a legitimate grant by the admin: {out.error}")
        fields = ["territory_id", "user_id", "granted_by_id", "date", "operation"]
        domain = [
            ("territory_id", "=", self.territory_a.id),
            ("user_id", "=", coord_b.id),
        ]
        out = self.call_kw(
            "manager",
            "coordination.coordinator.grant",
            "search_read",
            [domain],
            {"fields": fields},
        )
        self.assertTrue(out.ok, f"managers read grants: {out.error}")
        self.assertEqual(len(out.value), 1, out.value)
        grant = out.value[0]
        self.assertEqual(grant["operation"], "grant")
        self.assertEqual(grant["granted_by_id"][0], self.admin.id)
        self.assertTrue(grant["date"])
        for role in ("admin", "manager"):
            for method, args in (
                ("write", [[grant["id"]], {"operation": "revoke"}]),
                ("write", [[grant["id"]], {"granted_by_id": coord_b.id}]),
                ("unlink", [[grant["id"]]]),
                (
                    "create",
                    [
                        {
                            "territory_id": self.territory_a.id,
                            "user_id": coord_b.id,
                            "granted_by_id": self.admin.id,
                            "operation": "grant",
                        }
                    ],
                ),
            ):
                with self.subTest(role=role, method=method):
                    out = self.call_kw(
                        role, "coordination.coordinator.grant", method, args
                    )
                    self.assertFalse(out.ok, f"{role} {method} on a grant")
                    out = self.json2(
                        role,
                        "coordination.coordinator.grant",
                        method,
                        **(
                            {"vals_list": args[0]}
                            if method == "create"
                            else {
                                "ids": args[0],
                                **({"vals": args[1]} if len(args) > 1 else {}),
                            }
                        ),
                    )
                    self.assertFalse(out.ok, f"{role} {method} on a grant (json2)")
        out = self.call_kw(
            "admin",
            "coordination.territory",
            "write",
            [[self.territory_a.id], {"coordinator_ids": [[3, coord_b.id, 0]]}],
        )
        self.assertTrue(out.ok, out.error)
        out = self.call_kw(
            "manager",
            "coordination.coordinator.grant",
            "search_read",
            [domain],
            {"fields": fields, "order": "id"},
        )
        self.assertEqual(
            [g["operation"] for g in out.value], ["grant", "revoke"], out.value
        )
        for role in ("coord_b", "staff", "employee"):
            with self.subTest(role=role, path="grants are for managers"):
                out = self.call_kw(
                    role,
                    "coordination.coordinator.grant",
                    "search_read",
                    [domain],
                    {"fields": fields},
                )
                if out.ok:
                    self.assertFalse(out.value, role)

    # ------------------------------------------------------------------
    # territory changes apply at the very next request
    # ------------------------------------------------------------------
    def test_territory_change_next_request(self):
        coord_a = self.users["coord_a"]
        coord_b = self.users["coord_b"]
        model = "coordination.individual.project"
        domain = [("id", "=", self.project.id)]
        out = self.json2("coord_a", model, "search_read", domain=domain, fields=["id"])
        self.assertTrue(out.ok, out.error)
        self.assertEqual(self._ids(out.value), {self.project.id}, "before")
        out = self.json2("coord_b", model, "search_read", domain=domain, fields=["id"])
        self.assertTrue(out.ok, out.error)
        self.assertFalse(out.value, "coord_b before")
        out = self.call_kw(
            "admin",
            "coordination.territory",
            "write",
            [
                [self.territory_a.id],
                {
                    "coordinator_ids": [
                        [3, coord_a.id, 0],
                        [4, coord_b.id, 0],
                    ]
                },
            ],
        )
        self.assertTrue(out.ok, out.error)
        with self.subTest(role="coord_a", path="search_read after removal"):
            out = self.json2(
                "coord_a", model, "search_read", domain=domain, fields=["id"]
            )
            self.assertTrue(out.ok, out.error)
            self.assertFalse(out.value, "coord_a still reaches the project")
        with self.subTest(role="coord_a", path="read after removal"):
            out = self.json2(
                "coord_a", model, "read", ids=[self.project.id], fields=["id"]
            )
            self.assertFalse(out.ok, "coord_a still reads the project")
            self.assertNoSecret(out.raw, "coord_a")
        with self.subTest(role="coord_a", path="session after removal"):
            out = self.call_kw(
                "coord_a",
                "calendar.event",
                "search_read",
                [[("id", "=", self.meeting.id)]],
                {"fields": ["name", "coordination_minutes"]},
            )
            self.assertNoSecret(out.raw, "coord_a session")
        with self.subTest(role="coord_b", path="search_read after grant"):
            out = self.json2(
                "coord_b", model, "search_read", domain=domain, fields=["id"]
            )
            self.assertTrue(out.ok, out.error)
            self.assertEqual(
                self._ids(out.value), {self.project.id}, "coord_b does not see it yet"
            )

    # ------------------------------------------------------------------
    # refusals that would tell a file exists
    # ------------------------------------------------------------------
    def _refusal(self, role, partner, method):
        out = self.call_kw(role, "res.partner", method, [[partner.id]])
        if out.ok:
            return ("ok", "")
        data = out.error.get("data", {})
        message = data.get("message", "")
        for name in (partner.name, self.person.name, self.person_b.name):
            message = message.replace(name, "<name>")
        return (data.get("name"), _normalise(message))

    def test_refusals_do_not_tell_existence(self):
        fresh = self.env["res.partner"].create({"name": "Contact sans dossier"})
        with self.subTest(path="anonymise: hidden files vs no file"):
            hidden = self._refusal(
                "coord_b", self.person, "action_coordination_anonymise"
            )
            none = self._refusal("coord_b", fresh, "action_coordination_anonymise")
            self.assertNotEqual(hidden[0], "ok", "B anonymised A's person")
            self.assertEqual(hidden, none, "the refusal tells a hidden file exists")
        with self.subTest(path="unlink: hidden files vs B's own files"):
            hidden = self._refusal("coord_b", self.person, "unlink")
            own = self._refusal("coord_b", self.person_b, "unlink")
            self.assertNotEqual(hidden[0], "ok", "B deleted A's person")
            self.assertEqual(hidden, own, "the refusal tells a hidden file exists")
        self.env.invalidate_all()
        self.assertTrue(self.person.exists())
        self.assertEqual(self.person.name, PERSON_NAME)
        with self.subTest(path="counts"):
            out = self.call_kw(
                "coord_b",
                "res.partner",
                "read",
                [[self.person.id]],
                {
                    "fields": [
                        "coordination_request_count",
                        "coordination_project_count",
                        "coordination_followed",
                        "meeting_count",
                    ]
                },
            )
            self.assertTrue(out.ok, out.error)
            row = out.value[0]
            self.assertEqual(row["coordination_request_count"], 0)
            self.assertEqual(row["coordination_project_count"], 0)
            self.assertFalse(row["coordination_followed"])
            self.assertEqual(row["meeting_count"], 0)
            out = self.call_kw(
                "coord_b",
                "res.partner",
                "search",
                [[("id", "=", self.person.id), ("coordination_followed", "=", True)]],
            )
            self.assertTrue(out.ok, out.error)
            self.assertFalse(out.value)
        out = self.call_kw(
            "coord_a",
            "res.partner",
            "read",
            [[self.person.id]],
            {"fields": ["coordination_project_count", "meeting_count"]},
        )
        self.assertTrue(out.ok, out.error)
        self.assertEqual(out.value[0]["coordination_project_count"], 1, "positive")
        self.assertEqual(out.value[0]["meeting_count"], 1, "positive")

    # ------------------------------------------------------------------
    # Odoo's calendar stays Odoo's
    # ------------------------------------------------------------------
    def test_plain_calendar_untouched(self):
        start = self.start + timedelta(days=1)
        values = {
            "name": "Reunion d'equipe",
            "start": start.strftime("%Y-%m-%d %H:%M:%S"),
            "stop": (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
            "partner_ids": [[6, 0, self.users["colleague"].partner_id.ids]],
        }
        with self.subTest(path="call_kw create"):
            out = self.call_kw(
                "employee",
                "calendar.event",
                "create",
                [values],
                {"context": {"no_mail_to_attendees": True}},
            )
            self.assertTrue(out.ok, out.error)
        with self.subTest(path="xmlrpc create"):
            out = self.xmlrpc(
                "employee",
                "calendar.event",
                "create",
                [values],
                {"context": {"no_mail_to_attendees": True}},
            )
            self.assertTrue(out.ok, out.error)
        domain = [("id", "in", [self.private_event.id, self.public_event.id])]
        for role in LOGINS:
            with self.subTest(role=role):
                out = self.call_kw(
                    role,
                    "calendar.event",
                    "search_read",
                    [domain],
                    {"fields": ["name", "privacy", "start"]},
                )
                self.assertTrue(out.ok, out.error)
                names = {row["id"]: row["name"] for row in out.value}
                if role in PORTAL_ROLES:
                    # as in plain Odoo: a portal user sees the events they attend
                    self.assertFalse(names, role)
                    continue
                self.assertEqual(
                    set(names), {self.private_event.id, self.public_event.id}, role
                )
                self.assertEqual(names[self.public_event.id], PUBLIC_EVENT_NAME)
                if role in ("employee", "colleague"):
                    self.assertEqual(names[self.private_event.id], PRIVATE_EVENT_NAME)
                else:
                    self.assertIn(
                        names[self.private_event.id], ("Busy", "Occupé", "Occupé(e)")
                    )
                    self.assertNotIn(PRIVATE_EVENT_NAME, out.raw, role)
        with self.subTest(path="colleague writes the private event"):
            out = self.call_kw(
                "colleague",
                "calendar.event",
                "write",
                [[self.private_event.id], {"location": "Salle 2"}],
            )
            self.assertTrue(out.ok, out.error)
        with self.subTest(path="others cannot write the private event"):
            out = self.call_kw(
                "outsider",
                "calendar.event",
                "write",
                [[self.private_event.id], {"location": "Salle 3"}],
            )
            self.assertFalse(out.ok)


def _group_ids(groups):
    """The ids aggregated by array_agg in read_group results, as strings."""
    found = set()
    for group in groups or []:
        for key, value in group.items():
            if key.startswith("id") and isinstance(value, list):
                found.update(str(v) for v in value)
    return found
