from odoo import models

MODULE = "coordination_microlocale"


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _creation_message(self):
        """The creation message of the coordination's records in one language.

        Outside a request (data loading, crons), the environment has no language:
        Odoo translates "%s created" in the user's language but reads the document
        name in English ("Request créé"). For the module's records and sessions, the
        name is read in the language of that sentence. Other records are untouched.
        """
        if self.env.lang or not (
            type(self)._original_module == MODULE
            or (self._name == "calendar.event" and self.coordination_is_session)
        ):
            return super()._creation_message()
        lang = self.env["res.users"].context_get().get("lang")
        return super(MailThread, self.with_context(lang=lang))._creation_message()
