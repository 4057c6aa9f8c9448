"""The portal pages over real HTTP, as each portal role (issue 10).

Other people's projects by id, with a token, by search; sessions and their .ics;
attachments and messages of the files; the person's withdrawal and export.
"""

import json
import logging
import time

import lxml.html

from odoo.fields import Command
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

MODULE = "coordination_microlocale"
PERSON = "Ysaline Portailrésidente"
OTHER_PERSON = "Octavie Voisinportail"
PROBLEMATIQUE = "Problematique-secret-pt7"
MINUTES = "Minutes-secret-pm3"
NOTE = "Note-secret-pn5"
ATTACHMENT = "Attachment-secret-pa1"


@tagged("post_install", "-at_install")
class TestPortalHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        group = f"{MODULE}.group_"
        Territory = env["coordination.territory"]
        cls.territory = Territory.create({"name": "Commune Portail"})
        cls.territory_b = Territory.create({"name": "Commune Portail B"})
        cls.coordinator = new_test_user(
            env, login="ptl.coord", groups=group + "coordinator", name="Coord Portail"
        )
        cls.territory.coordinator_ids = [Command.link(cls.coordinator.id)]
        cls.gp = new_test_user(
            env,
            login="ptl.gp.doctor",
            groups=group + "portal_professional",
            name="Dr Portail",
            notification_type="email",
        )
        cls.nurse = new_test_user(
            env,
            login="ptl.nurse.out",
            groups=group + "portal_professional",
            name="IDE Hors cercle",
            notification_type="email",
        )
        (cls.gp | cls.nurse).partner_id.write({"coordination_role": "professional"})
        Partner = env["res.partner"]
        cls.person = Partner.create({"name": PERSON, "email": "ys@example.com"})
        cls.other = Partner.create({"name": OTHER_PERSON, "email": "oc@example.com"})
        cls.person_user = new_test_user(
            env,
            login="ptl.person",
            groups=group + "portal_person",
            partner_id=cls.person.id,
            name=PERSON,
            notification_type="email",
        )
        cls.other_user = new_test_user(
            env,
            login="ptl.person.b",
            groups=group + "portal_person",
            partner_id=cls.other.id,
            name=OTHER_PERSON,
            notification_type="email",
        )
        Project = env["coordination.individual.project"]
        cls.project = Project.create(
            {
                "person_id": cls.person.id,
                "territory_id": cls.territory.id,
                "coordinator_id": cls.coordinator.id,
                "problematique": f"<p>{PROBLEMATIQUE}</p>",
                "goal_ids": [Command.create({"name": "Retrouver le sommeil"})],
            }
        )
        cls.project._set_consent(
            "given", means="written", scope_information="Situation"
        )
        env["coordination.circle.member"].create(
            {
                "project_id": cls.project.id,
                "partner_id": cls.gp.partner_id.id,
                "role": "professional",
                "role_detail": "Médecin traitant",
            }
        )
        cls.action = env["coordination.project.action"].create(
            {
                "project_id": cls.project.id,
                "name": "Revoir le traitement",
                "responsible_partner_id": cls.gp.partner_id.id,
            }
        )
        cls.project_b = Project.create(
            {
                "person_id": cls.other.id,
                "territory_id": cls.territory.id,
                "coordinator_id": cls.coordinator.id,
            }
        )
        cls.project_b._set_consent(
            "given", means="written", scope_information="Situation"
        )
        cls.action_b = env["coordination.project.action"].create(
            {
                "project_id": cls.project_b.id,
                "name": "Action d'un autre dossier",
                "responsible_partner_id": cls.gp.partner_id.id,
            }
        )
        cls.project.message_post(
            body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        cls.project_b.message_post(
            body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        cls.attachment = env["ir.attachment"].create(
            {
                "name": "courrier.txt",
                "raw": b"Courrier du CHD",
                "res_model": "coordination.individual.project",
                "res_id": cls.project.id,
            }
        )
        cls.attachment_b = env["ir.attachment"].create(
            {
                "name": "bilan.txt",
                "raw": ATTACHMENT.encode(),
                "res_model": "coordination.individual.project",
                "res_id": cls.project_b.id,
            }
        )
        Event = env["calendar.event"].with_context(no_mail_to_attendees=True)
        session_type = env.ref(f"{MODULE}.session_type_concertation").id
        cls.meeting = Event.create(
            {
                "name": f"Concertation {PERSON}",
                "start": "2031-05-06 09:00:00",
                "stop": "2031-05-06 10:00:00",
                "coordination_project_id": cls.project.id,
                "coordination_session_type_id": session_type,
                "coordination_minutes": f"<p>{MINUTES}</p>",
                "partner_ids": [Command.set((cls.person | cls.gp.partner_id).ids)],
            }
        )
        cls.meeting_b = Event.create(
            {
                "name": f"Concertation {OTHER_PERSON}",
                "start": "2031-05-07 09:00:00",
                "stop": "2031-05-07 10:00:00",
                "coordination_project_id": cls.project_b.id,
                "coordination_session_type_id": session_type,
                "coordination_minutes": f"<p>{MINUTES}</p>",
                "partner_ids": [Command.set((cls.other | cls.nurse.partner_id).ids)],
            }
        )

    def _get(self, login, url, **kwargs):
        self.authenticate(login, login)
        with mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http"):
            return self.url_open(
                url, allow_redirects=kwargs.pop("allow_redirects", True), **kwargs
            )

    def _post(self, login, url, data):
        self.authenticate(login, login)
        with mute_logger("odoo.http"):
            return self.url_open(
                url,
                data=dict(data, csrf_token=self.csrf_token()),
                allow_redirects=False,
            )

    def csrf_token(self):
        # the test session's token, as Odoo's own portal tests get it
        return Request.csrf_token(self)

    def assertHidden(self, response, label, secrets=(OTHER_PERSON,)):
        self.assertIn(response.status_code, (303, 403, 404), label)
        for secret in secrets + (MINUTES, ATTACHMENT):
            self.assertNotIn(secret, response.text, label)

    # ------------------------------------------------------------------
    def test_professional_pages(self):
        response = self._get(self.gp.login, "/my/coordination/projects")
        self.assertEqual(response.status_code, 200)
        self.assertIn(PERSON, response.text)
        self.assertNotIn(OTHER_PERSON, response.text)
        self.assertIn("no-store", response.headers.get("Cache-Control", ""))
        response = self._get(
            self.gp.login, f"/my/coordination/projects/{self.project.id}"
        )
        self.assertEqual(response.status_code, 200)
        for text in (
            PERSON,
            PROBLEMATIQUE,
            NOTE,
            "Revoir le traitement",
            "Retrouver le sommeil",
        ):
            self.assertIn(text, response.text)
        self.assertTrue(
            self.env["coordination.access.log"].search(
                [
                    ("user_id", "=", self.gp.id),
                    ("res_model", "=", self.project._name),
                    ("res_id", "=", self.project.id),
                ]
            ),
            "the page is a consultation, traced",
        )
        for url in (
            "/my/coordination/sessions",
            f"/my/coordination/sessions/{self.meeting.id}",
            "/my/coordination/requests",
            "/my/coordination/alerts",
            "/my/coordination/directory?search=Dr",
            "/my/coordination/collective",
            "/my",
        ):
            with self.subTest(url=url):
                response = self._get(self.gp.login, url)
                self.assertEqual(response.status_code, 200, url)
                self.assertNotIn(OTHER_PERSON, response.text)
        response = self._get(
            self.gp.login, f"/my/coordination/sessions/{self.meeting.id}"
        )
        self.assertIn(MINUTES, response.text, "the professional reads the minutes")
        url = f"/my/coordination/projects/{self.project.id}/files/{self.attachment.id}"
        response = self._get(self.gp.login, url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"Courrier du CHD")

    def test_other_files_by_id_token_search_attachment_ics(self):
        gp, nurse = self.gp.login, self.nurse.login
        attempts = [
            (gp, f"/my/coordination/projects/{self.project_b.id}"),
            (gp, f"/my/coordination/projects/{self.project_b.id}?access_token=x"),
            (gp, f"/my/coordination/projects/{self.project_b.id + 1000}"),
            (gp, f"/my/coordination/sessions/{self.meeting_b.id}"),
            (gp, f"/my/coordination/sessions/{self.meeting_b.id}/session.ics"),
            (gp, f"/my/coordination/mine/{self.project_b.id}"),
            (gp, "/my/coordination/mine/data.json"),
            (gp, f"/web/content/{self.attachment_b.id}?download=true"),
            (
                gp,
                f"/my/coordination/projects/{self.project_b.id}/files/{self.attachment_b.id}",
            ),
            (
                gp,
                f"/my/coordination/projects/{self.project.id}/files/{self.attachment_b.id}",
            ),
            (
                nurse,
                f"/my/coordination/projects/{self.project.id}/files/{self.attachment.id}",
            ),
            (nurse, f"/my/coordination/projects/{self.project.id}"),
            (nurse, f"/my/coordination/sessions/{self.meeting.id}/session.ics"),
            (self.person_user.login, f"/my/coordination/mine/{self.project_b.id}"),
            (self.person_user.login, f"/my/coordination/projects/{self.project.id}"),
            (self.person_user.login, f"/my/coordination/sessions/{self.meeting_b.id}"),
            (self.other_user.login, f"/my/coordination/mine/{self.project.id}"),
            (self.other_user.login, f"/my/coordination/sessions/{self.meeting.id}"),
        ]
        for login, url in attempts:
            with self.subTest(login=login, url=url):
                response = self._get(login, url, allow_redirects=False)
                # everyone's own name is on their pages (the user menu)
                own = {
                    self.person_user.login: PERSON,
                    self.other_user.login: OTHER_PERSON,
                }
                secrets = tuple(
                    name for name in (PERSON, OTHER_PERSON) if name != own.get(login)
                )
                if login == gp:
                    secrets = (OTHER_PERSON,)
                self.assertHidden(response, f"{login} {url}", secrets)
        # by search: the directory holds no resident, the lists no other file
        response = self._get(
            gp, f"/my/coordination/directory?search={OTHER_PERSON[:6]}"
        )
        self.assertNotIn(OTHER_PERSON, response.text)
        response = self._get(nurse, "/my/coordination/projects")
        self.assertNotIn(PERSON, response.text)
        # messages of another file, over the mail controllers
        self.authenticate(gp, gp)
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/mail/thread/messages",
                data=json.dumps(
                    {
                        "params": {
                            "thread_model": self.project_b._name,
                            "thread_id": self.project_b.id,
                            "fetch_params": {"limit": 30},
                        }
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        messages = response.json()["result"]["data"].get("mail.message", [])
        self.assertFalse(
            [
                m
                for m in messages
                if (m["model"], m["res_id"])
                == (self.project_b._name, self.project_b.id)
            ]
        )
        self.assertNotIn(OTHER_PERSON, response.text)

    def test_posts_on_other_files_refused(self):
        before = self.action_b.state
        response = self._post(
            self.gp.login,
            f"/my/coordination/actions/{self.action_b.id}/done",
            {"comment": "x"},
        )
        self.assertHidden(response, "action of another file")
        response = self._post(
            self.gp.login,
            f"/my/coordination/projects/{self.project_b.id}/note",
            {"body": "x"},
        )
        self.assertHidden(response, "note on another file")
        response = self._post(
            self.gp.login,
            f"/my/coordination/mine/{self.project.id}/withdraw",
            {"confirm": "1"},
        )
        self.assertHidden(response, "withdrawal by a professional", ())
        response = self._post(
            self.other_user.login,
            f"/my/coordination/mine/{self.project.id}/withdraw",
            {"confirm": "1"},
        )
        self.assertHidden(response, "withdrawal by another person", (PERSON,))
        self.env.invalidate_all()
        self.assertEqual(self.action_b.state, before)
        self.assertEqual(self.project.consent_state, "given")

    def test_action_done_note_and_answer(self):
        response = self._post(
            self.gp.login,
            f"/my/coordination/actions/{self.action.id}/done",
            {"comment": "Traitement revu"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.action.state, "done")
        response = self._post(
            self.gp.login,
            f"/my/coordination/projects/{self.project.id}/note",
            {"body": "Je la revois dans un mois"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("Je la revois", self.project.message_ids[0].body)
        response = self._post(
            self.gp.login,
            f"/my/coordination/sessions/{self.meeting.id}/answer",
            {"answer": "accept"},
        )
        self.assertEqual(response.status_code, 303)
        attendee = self.meeting.attendee_ids.filtered(
            lambda a: a.partner_id == self.gp.partner_id
        )
        self.assertEqual(attendee.state, "accepted")
        # a meeting that is over takes no answer any more
        past = (
            self.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": "Réunion passée",
                    "start": "2020-01-06 09:00:00",
                    "stop": "2020-01-06 10:00:00",
                    "partner_ids": [Command.set(self.gp.partner_id.ids)],
                }
            )
        )
        self._post(
            self.gp.login,
            f"/my/coordination/sessions/{past.id}/answer",
            {"answer": "decline"},
        )
        self.assertNotEqual(past.attendee_ids.state, "declined")
        response = self._get(
            self.gp.login, f"/my/coordination/sessions/{self.meeting.id}/session.ics"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("BEGIN:VEVENT", response.text)
        self.assertNotIn(PERSON, response.text, "a neutral title in one's agenda")

    def test_person_space_withdrawal_and_export(self):
        login = self.person_user.login
        response = self._get(login, f"/my/coordination/mine/{self.project.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Retrouver le sommeil", response.text)
        self.assertIn("Dr Portail", response.text, "who is in the circle")
        self.assertNotIn(PROBLEMATIQUE, response.text)
        self.assertNotIn(NOTE, response.text)
        response = self._get(login, f"/my/coordination/sessions/{self.meeting.id}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(MINUTES, response.text, "no minutes for the person")
        response = self._get(login, "/my/coordination/mine/data.json")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["person"]["name"], PERSON)
        self.assertNotIn(OTHER_PERSON, response.text)
        # without the confirmation box: nothing changes
        self._post(login, f"/my/coordination/mine/{self.project.id}/withdraw", {})
        self.assertEqual(self.project.consent_state, "given")
        # the GP's page is open; the person withdraws; the GP's next request fails
        url = f"/my/coordination/projects/{self.project.id}"
        self.assertEqual(self._get(self.gp.login, url).status_code, 200)
        check = self._get(self.gp.login, f"{url}/check", allow_redirects=False)
        self.assertEqual(check.status_code, 204)
        response = self._post(
            login,
            f"/my/coordination/mine/{self.project.id}/withdraw",
            {"confirm": "1", "note": "Pas maintenant"},
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(self.project.consent_state, "withdrawn")
        self.assertHidden(
            self._get(self.gp.login, url, allow_redirects=False),
            "after withdrawal",
            (PERSON,),
        )
        # the page left open asks, and is told the file is gone
        check = self._get(self.gp.login, f"{url}/check", allow_redirects=False)
        self.assertEqual(check.status_code, 404)
        response = self._post(
            self.gp.login,
            f"/my/coordination/projects/{self.project.id}/note",
            {"body": "encore là ?"},
        )
        self.assertHidden(response, "note after withdrawal", (PERSON,))

    def test_query_count_and_time_of_the_professional_pages(self):
        """Figures for the closing note; ceilings so that a regression shows."""
        self.authenticate(self.gp.login, self.gp.login)
        figures = {}
        for label, url, ceiling in (
            ("home", "/my", 80),
            ("projects", "/my/coordination/projects", 60),
            ("project", f"/my/coordination/projects/{self.project.id}", 120),
        ):
            self.url_open(url)  # warm-up
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            start = time.perf_counter()
            response = self.url_open(url)
            elapsed = time.perf_counter() - start
            queries = self.cr.sql_log_count - before
            self.assertEqual(response.status_code, 200)
            figures[label] = (queries, round(elapsed * 1000))
            self.assertLessEqual(queries, ceiling, label)
        _logger.info("portal pages of a professional (queries, ms): %s", figures)

    def _login_form(self, login):
        self.opener.cookies.clear()
        page = self.url_open("/web/login").content
        csrf = lxml.html.fromstring(page).xpath('//input[@name="csrf_token"]')[0]
        return self.url_open(
            "/web/login",
            data={"login": login, "password": login, "csrf_token": csrf.get("value")},
        )

    def test_two_factors_for_portal_professionals(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param(f"{MODULE}.mfa_required", "True")
        with mute_logger("odoo.addons.auth_totp_mail.models.res_users"):
            response = self._login_form(self.gp.login)
        self.assertIn(
            "/web/login/totp", response.url, "the GP is asked a second factor"
        )
        response = self._login_form(self.person_user.login)
        self.assertTrue(response.url.endswith("/my"), response.url)
        ICP.set_param(f"{MODULE}.mfa_required", "False")
        response = self._login_form(self.gp.login)
        self.assertTrue(response.url.endswith("/my"), response.url)

    def test_person_pdf_export(self):
        response = self._get(self.person_user.login, "/my/coordination/mine/data.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertIn(PERSON, response.content.decode("utf-8", "replace"))
        self.assertNotIn(OTHER_PERSON, response.content.decode("utf-8", "replace"))
