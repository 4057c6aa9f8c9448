from collections import defaultdict

from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL

from .coordination_access_trail_mixin import is_traced

# The notes of the circle: written and read by its professionals, internal or portal.
PORTAL_NOTE_MODELS = ("coordination.individual.project",)


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _coordination_trail_threads(self):
        """Trace the individual files whose messages the user is given.

        The chatter of a file (``/mail/thread/messages``, the inbox, a search_read of
        mail.message, the store of a message) is a consultation of the file:
        operation "messages", one trace per file, in the transaction's single INSERT.
        """
        ids = [id_ for id_ in self._ids if isinstance(id_, int)]
        if self.env.su or not ids:
            return
        # The thread of each message, without reading the messages into the cache.
        rows = self.env.execute_query(
            SQL(
                "SELECT model, res_id FROM mail_message "
                "WHERE id = ANY(%s) AND model IS NOT NULL AND res_id IS NOT NULL",
                ids,
            )
        )
        threads = defaultdict(set)
        for model, res_id in rows:
            threads[model].add(res_id)
        for model, res_ids in threads.items():
            Model = self.env.get(model)
            if is_traced(Model):
                Model.browse(sorted(res_ids))._coordination_trail("messages")

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if set(fnames) - {"id", "display_name"}:
            self.browse(
                [values["id"] for values in result]
            )._coordination_trail_threads()
        return result

    def _message_fetch(self, domain, *, thread=None, **kwargs):
        res = super()._message_fetch(domain, thread=thread, **kwargs)
        res["messages"]._coordination_trail_threads()
        return res

    # ------------------------------------------------------------------
    # The portal: the circle's notes for portal professionals
    # ------------------------------------------------------------------
    def _coordination_portal_professional(self):
        user = self.env.user
        return not user._is_internal() and user._has_group(
            "coordination_microlocale.group_portal_professional"
        )

    def _get_search_domain_share(self):
        """Odoo hides internal notes from every user who is not an employee.

        The notes of an individual project are the circle's working notes: a
        professional with a portal account reads them as an internal professional
        does. Reading the project is still required (``_find_allowed_doc_ids``), so
        they reach the notes of the projects shared with them only.
        """
        domain = super()._get_search_domain_share()
        if self._coordination_portal_professional():
            domain |= Domain("model", "in", PORTAL_NOTE_MODELS) & Domain(
                "message_type", "=", "comment"
            )
        return domain

    def _get_forbidden_access(self, operation):
        if operation not in ("read", "create") or not (
            self and self._coordination_portal_professional()
        ):
            return super()._get_forbidden_access(operation)
        # The thread of each message, without reading the messages as the user.
        rows = self.env.execute_query(
            SQL(
                "SELECT id, model, res_id FROM mail_message WHERE id = ANY(%s) "
                "AND model = ANY(%s) AND res_id IS NOT NULL "
                "AND message_type = 'comment'",
                [id_ for id_ in self._ids if isinstance(id_, int)],
                list(PORTAL_NOTE_MODELS),
            )
        )
        notes = self.browse()
        for model in PORTAL_NOTE_MODELS:
            res_ids = {res_id for _id, m, res_id in rows if m == model}
            readable = set(self.env[model].browse(res_ids)._filtered_access("read").ids)
            notes += self.browse(
                id_ for id_, m, res_id in rows if m == model and res_id in readable
            )
        return super(MailMessage, self - notes)._get_forbidden_access(operation)
