import unicodedata

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


def _collation_key(name):
    """Alphabetical order as a French reader expects it: accents and case ignored."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(
        char for char in decomposed if not unicodedata.combining(char)
    ).casefold()


class CoordinationCharter(models.Model):
    """The partnership convention of the coordination (seed 000)."""

    _name = "coordination.charter"
    _description = "Partnership charter"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    territory_id = fields.Many2one(
        "coordination.territory", required=True, ondelete="restrict"
    )
    commune_partner_id = fields.Many2one(
        "res.partner", string="Commune", ondelete="restrict"
    )
    commune_signatory = fields.Char(help="e.g. the mayor, with their title.")
    intercommunality_partner_id = fields.Many2one(
        "res.partner", string="Intercommunality", ondelete="restrict"
    )
    intercommunality_signatory = fields.Char()
    preamble = fields.Html()
    commitments = fields.Html()
    date_start = fields.Date(string="Experimental period from", required=True)
    date_end = fields.Date(string="to", required=True)
    place = fields.Char(string="Signed at")
    signatory_ids = fields.One2many(
        "coordination.charter.signatory", "charter_id", string="Professionals"
    )
    state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed"), ("ended", "Ended")],
        default="draft",
        required=True,
        tracking=True,
    )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for charter in self:
            if charter.date_end < charter.date_start:
                raise ValidationError(
                    self.env._("The experimental period cannot end before it starts.")
                )

    def _professionals_in_order(self):
        """The professionals listed alphabetically, as the convention requires."""
        self.ensure_one()
        return self.signatory_ids.sorted(
            lambda s: (_collation_key(s.partner_id.name), s.id)
        )

    def action_sign(self):
        for charter in self:
            if not charter.signatory_ids:
                raise UserError(
                    self.env._("Add the professionals who sign the charter.")
                )
        self.write({"state": "signed"})

    def action_end(self):
        self.write({"state": "ended"})
