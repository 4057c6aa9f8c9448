from odoo import models
from odoo.exceptions import AccessError

# Models whose every record is about a person.
INDIVIDUAL_MODELS = {
    "coordination.request",
    "coordination.individual.project",
    "coordination.circle.member",
    "coordination.consent",
    "coordination.project.need",
    "coordination.project.goal",
    "coordination.project.action",
    "coordination.hospital.stay",
    "coordination.access.log",
}
# Models whose every record is about a person of the register of vulnerable people.
REGISTER_MODELS = {
    "coordination.register.entry",
    "coordination.register.contact",
    "coordination.register.history",
    "coordination.register.call",
}


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        """A refusal on an individual file names nothing and tells nothing.

        Odoo's message names the records (and the rules, in debug mode): for a session
        about a person the name often is the person's. Ours says only why, the same
        for every file, so that a refusal does not tell what the file is about.
        """
        if records._name in REGISTER_MODELS:
            records.invalidate_recordset()
            return AccessError(
                self.env._(
                    "The register of vulnerable people is not open to you. It is open "
                    "only to the coordinators and register keepers of its territory, "
                    "and each call only to its agent while the campaign is under way."
                )
            )
        if not self._coordination_is_individual(records):
            if records._name.startswith("coordination."):
                # The other records of the coordination: a plain sentence, not
                # Odoo's joke nor a technical model name.
                records.invalidate_recordset()
                return AccessError(
                    self.env._(
                        "This record of the health coordination is not open to you. "
                        "Ask the coordinator of your territory if you need it."
                    )
                )
            return super()._make_access_error(operation, records)
        records.invalidate_recordset()
        return AccessError(
            self.env._(
                "This file is not open to you. Individual files are open only to the "
                "coordinators of their territory and, while the person's consent "
                "covers them, to the professionals of the person's circle."
            )
        )

    def _coordination_is_individual(self, records):
        if records._name in INDIVIDUAL_MODELS:
            return True
        if records._name == "calendar.event":
            return bool(records._coordination_sessions_about_a_person())
        if records._name == "calendar.attendee":
            # sudo: the event of an attendee, to ask whether it is about a person.
            events = records.sudo().with_context(prefetch_fields=False).event_id
            return bool(
                events.with_env(records.env)._coordination_sessions_about_a_person()
            )
        return False
