from odoo import api, fields, models


class CoordinationReferenceMixin(models.AbstractModel):
    """A reference from a sequence, which is also the record's whole display name.

    The display name of an individual file shows up in messages, notifications,
    activities and many2one fields, seen by people who may not know whom the file is
    about: it is the reference, never the person.
    """

    _name = "coordination.reference.mixin"
    _description = "Reference from a sequence"
    _coordination_sequence_code = None

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                # sudo: sequences are configuration; professionals sending a request
                # and coordinators have no access to ir.sequence.
                vals["name"] = (
                    self.env["ir.sequence"]
                    .sudo()
                    .next_by_code(self._coordination_sequence_code)
                )
        return super().create(vals_list)

    def _compute_display_name(self):
        for record in self:
            record.display_name = record.name
