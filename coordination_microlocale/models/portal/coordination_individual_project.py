from markupsafe import Markup, escape

from odoo import models
from odoo.exceptions import AccessError, UserError


class CoordinationIndividualProject(models.Model):
    _inherit = "coordination.individual.project"

    def _coordination_check_person(self):
        """Raise unless the current user is the person of these projects.

        The record rules give the person their own projects; the check repeats it for
        the operations they may do themselves, which are done as superuser.
        """
        self.check_access("read")
        if self.person_id != self.env.user.partner_id:
            raise AccessError(
                self.env._("Only the person can do this from their own space.")
            )

    def action_portal_withdraw_consent(self, note=False):
        """The person withdraws their consent from their space: at once for everyone.

        Through the consent's own logic (``_set_consent``): professionals lose the
        project at once (``coordination_shared``) and leave its followers; the
        coordinator is notified (inbox) and gets a to-do.
        """
        self.ensure_one()
        self._coordination_check_person()
        if self.consent_state != "given":
            raise UserError(
                self.env._("Only a consent that was given can be withdrawn.")
            )
        # sudo: the person has no right to write their project; they may withdraw
        # their own consent, checked just above, and nothing else is written.
        project = self.sudo()
        project._set_consent(
            "withdrawn",
            note=note or self.env._("Withdrawn by the person from their own space."),
        )
        coordinator = project.coordinator_id
        body = Markup("<p>%s</p>") % self.env._(
            "%(person)s withdrew their consent from their own space: the "
            "professionals of the circle no longer see the project.",
            person=self.env.user.partner_id.name,
        )
        if note:
            body += Markup("<p>%s</p>") % note
        project.message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
            partner_ids=coordinator.partner_id.ids,
        )
        if coordinator:
            project.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=coordinator.id,
                summary=project.with_context(lang=coordinator.lang).env._(
                    "Consent withdrawn by the person: review the circle and the project"
                ),
            )
        return True

    def action_portal_post_note(self, body):
        """A professional of the circle posts a note, as in the backend's chatter.

        A note (internal subtype): the circle's professionals read it, the person
        does not. Posted with the user's rights (``_mail_post_access`` is read).
        """
        self.ensure_one()
        self.check_access("read")
        if not self.env.user._coordination_is_professional():
            raise AccessError(
                self.env._("Only the professionals of the circle post notes.")
            )
        text = (body or "").strip()
        if not text:
            raise UserError(self.env._("Write the note before posting it."))
        html = Markup("<br/>").join(escape(line) for line in text.splitlines())
        return self.message_post(
            body=html, message_type="comment", subtype_xmlid="mail.mt_note"
        )


class CoordinationProjectAction(models.Model):
    _inherit = "coordination.project.action"

    def action_portal_done(self, comment=False):
        """Mark an action assigned to the user done, with a comment on the project.

        Written with the user's rights: the record rules let a professional change
        only the actions they carry, of the projects shared with them.
        """
        self.ensure_one()
        comment = (comment or "").strip()
        vals = {"state": "done"}
        if comment:
            vals["note"] = f"{self.note}\n{comment}" if self.note else comment
        self.write(vals)
        body = self.env._("Action done: %(action)s", action=self.name)
        if comment:
            body = f"{body}\n{comment}"
        self.project_id.action_portal_post_note(body)
        return True
