from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestFrenchMessages(TransactionCase):
    """What the demo's chatter says, loaded in French without a request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["mail", "calendar", "coordination_microlocale"], ["fr_FR"]
        )
        cls.env.user.lang = "fr_FR"

    def test_creation_message_in_one_language(self):
        """Seen in the demo chatter: "Request créé", "Hospital stay créé"."""
        env = self.env(context={})  # as when data is loaded: no language
        self.assertFalse(env.lang)
        territory = env["coordination.territory"].create({"name": "Commune FR"})
        request = env["coordination.request"].create(
            {"territory_id": territory.id, "description": "Appel de sa fille"}
        )
        body = request.message_ids[-1:].body
        self.assertIn("Demande", body)
        self.assertNotIn("Request", body)
