from collections import defaultdict

from odoo import models
from odoo.tools import SQL


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
            if Model is not None and hasattr(Model, "_coordination_trail"):
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
