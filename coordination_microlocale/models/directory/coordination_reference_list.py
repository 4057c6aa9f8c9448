from odoo import fields, models


class CoordinationReferenceList(models.AbstractModel):
    """A list of the configuration: structure types, professions, themes...

    The fields every such list has, declared once: a translated name, a code unique
    within the list (the stable key of data files and imports), an order and an
    archive flag.
    """

    _name = "coordination.reference.list"
    _description = "Reference list of the coordination"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable key of the entry, used by data files and imports.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "This code is already used.")
