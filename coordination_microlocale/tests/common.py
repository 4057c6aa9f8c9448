import json

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import mute_logger

from ..models.directory.identifiers import luhn_check_digit


def make_rpps(seed):
    """A valid RPPS number built from a 10-digit seed."""
    base = f"10{seed:08d}"
    return base + luhn_check_digit(base)


def make_finess(seed):
    base = f"85{seed:06d}"
    return base + luhn_check_digit(base)


class CoordinationCase(TransactionCase):
    """Two territories, the six roles of the access policy and a few files.

    Built here rather than read from the demo data, so that the tests say what they
    rely on and run the same with or without demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Everybody works on the municipality's clock: the dates of the day ("today")
        # of the superuser and of every test user are those of Europe/Paris, so that
        # no test depends on the hour it runs at (after 23:00 UTC, Paris is already
        # on the next day).
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=False, tz="Europe/Paris")
        )
        cls.env.user.tz = "Europe/Paris"
        Territory = cls.env["coordination.territory"]
        cls.territory = Territory.create(
            {"name": "Commune Test A", "kind": "commune", "population": 3100}
        )
        cls.territory_other = Territory.create(
            {
                "name": "Quartier Test B",
                "kind": "neighbourhood",
                "is_priority_neighbourhood": True,
            }
        )
        group = "coordination_microlocale.group_"
        cls.coordinator = new_test_user(
            cls.env,
            login="t.coord",
            groups=group + "coordinator,base.group_allow_export",
            name="Coordinatrice A",
        )
        cls.coordinator_other = new_test_user(
            cls.env,
            login="t.coord.b",
            groups=group + "coordinator,base.group_allow_export",
            name="Coordinateur B",
        )
        cls.gp = new_test_user(
            cls.env,
            login="t.gp",
            groups=group + "professional,base.group_allow_export",
            name="Dr GP",
        )
        cls.nurse = new_test_user(
            cls.env,
            login="t.nurse",
            groups=group + "professional,base.group_allow_export",
            name="IDE Nurse",
        )
        cls.staff = new_test_user(
            cls.env,
            login="t.staff",
            groups=group + "municipal_staff,base.group_allow_export",
            name="Agent Mairie",
        )
        cls.manager = new_test_user(
            cls.env,
            login="t.manager",
            groups=group + "manager,base.group_allow_export",
            name="Responsable",
        )
        cls.territory.coordinator_ids = [Command.link(cls.coordinator.id)]
        cls.territory_other.coordinator_ids = [Command.link(cls.coordinator_other.id)]
        cls.gp.partner_id.write(
            {
                "coordination_role": "professional",
                "coordination_profession_id": cls.env.ref(
                    "coordination_microlocale.profession_gp"
                ).id,
                "coordination_rpps": make_rpps(1),
            }
        )
        cls.nurse.partner_id.write(
            {
                "coordination_role": "professional",
                "coordination_profession_id": cls.env.ref(
                    "coordination_microlocale.profession_nurse"
                ).id,
            }
        )
        Partner = cls.env["res.partner"]
        cls.person = Partner.create(
            {"name": "Jeanne Résidente", "city": "Commune Test A"}
        )
        cls.person_other = Partner.create({"name": "Marcel Voisin"})
        cls.hospital = Partner.create(
            {
                "name": "Centre hospitalier test",
                "is_company": True,
                "coordination_role": "structure",
                "coordination_structure_type_id": cls.env.ref(
                    "coordination_microlocale.structure_type_hosp"
                ).id,
                "coordination_finess": make_finess(1),
            }
        )
        cls.determinant_housing = cls.env.ref(
            "coordination_microlocale.determinant_housing"
        )
        cls.determinant_isolation = cls.env.ref(
            "coordination_microlocale.determinant_isolation"
        )

        cls.request = cls.env["coordination.request"].create(
            {
                "territory_id": cls.territory.id,
                "coordinator_id": cls.coordinator.id,
                "requester_type": "relative",
                "person_id": cls.person.id,
                "channel": "phone",
                "description": "Sa fille s'inquiète de son isolement.",
                "theme_ids": [Command.set([cls.determinant_isolation.id])],
            }
        )
        cls.project = cls.env["coordination.individual.project"].create(
            {
                "person_id": cls.person.id,
                "territory_id": cls.territory.id,
                "coordinator_id": cls.coordinator.id,
                "problematique": "<p>Isolement après le décès de son mari.</p>",
                "goal_ids": [
                    Command.create({"name": "Sortir de chez moi une fois par semaine"})
                ],
                "need_ids": [
                    Command.create({"determinant_id": cls.determinant_isolation.id})
                ],
            }
        )
        cls.project._set_consent(
            "given", means="written", scope_information="Situation et actions"
        )
        cls.gp_member = cls.env["coordination.circle.member"].create(
            {
                "project_id": cls.project.id,
                "partner_id": cls.gp.partner_id.id,
                "role": "professional",
                "role_detail": "Médecin traitant",
            }
        )
        cls.gp_action = cls.env["coordination.project.action"].create(
            {
                "project_id": cls.project.id,
                "name": "Revoir le traitement",
                "responsible_partner_id": cls.gp.partner_id.id,
            }
        )
        cls.other_action = cls.env["coordination.project.action"].create(
            {
                "project_id": cls.project.id,
                "name": "Visite du CCAS",
                "responsible_partner_id": cls.hospital.id,
            }
        )
        cls.project_other = cls.env["coordination.individual.project"].create(
            {
                "person_id": cls.person_other.id,
                "territory_id": cls.territory_other.id,
                "coordinator_id": cls.coordinator_other.id,
            }
        )
        cls.request_other = cls.env["coordination.request"].create(
            {
                "territory_id": cls.territory_other.id,
                "person_id": cls.person_other.id,
                "description": "Demande de l'autre territoire",
            }
        )
        cls.project_message = cls.project.message_post(
            body="Note confidentielle sur la situation", message_type="comment"
        )
        cls.project_attachment = cls.env["ir.attachment"].create(
            {
                "name": "compte-rendu.txt",
                "raw": b"confidentiel",
                "res_model": "coordination.individual.project",
                "res_id": cls.project.id,
            }
        )
        cls.request_attachment = cls.env["ir.attachment"].create(
            {
                "name": "courrier.txt",
                "raw": b"confidentiel",
                "res_model": "coordination.request",
                "res_id": cls.request.id,
            }
        )


def call_kw(case, model, method, args, kwargs=None):
    """Call ``model.method`` over real HTTP as the user ``case`` is logged in as.

    The web client's JSON-RPC route; refusals are expected (and logged by the
    server), so its log is muted. Returns the ``requests`` response.
    """
    with mute_logger("odoo.http"):
        return case.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
