from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ...models.privacy.privileged import ANONYMISE, is_privileged, privileged
from ...models.settings.coordination_parameters import (
    INT_PARAMETERS,
    PREFIX,
    get_int_list_param,
    get_int_param,
)
from ..common import CoordinationCase


@tagged("post_install", "-at_install")
class TestSettings(CoordinationCase):
    """Settings > Coordination santé: every parameter, read and written once."""

    def _param(self, name):
        return self.env["ir.config_parameter"].get_param(PREFIX + name)

    def test_settings_show_the_current_values(self):
        self.env["ir.config_parameter"].set_param(PREFIX + "retention_days", "1095")
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.coordination_retention_days, 1095)
        self.assertEqual(settings.coordination_consent_validity_months, 12)
        self.assertEqual(settings.coordination_discharge_reminder_days, "7,1")

    def test_saving_writes_the_parameters_zero_included(self):
        settings = self.env["res.config.settings"].create(
            {
                "coordination_retention_days": 1825,
                "coordination_access_log_window_minutes": 0,
                "coordination_consent_validity_months": 0,
                "coordination_discharge_reminder_days": "3, 10 ,1",
                "coordination_calendar_feed_validity_days": 90,
            }
        )
        settings.execute()
        self.assertEqual(self._param("retention_days"), "1825")
        # 0 is stored (Odoo's config_parameter would delete it, reading the default)
        self.assertEqual(self._param("access_log_window_minutes"), "0")
        self.assertEqual(get_int_param(self.env, "access_log_window_minutes"), 0)
        self.assertEqual(get_int_param(self.env, "consent_validity_months"), 0)
        self.assertFalse(
            self.env["coordination.consent"]._default_expiry(self.project.date_start),
            "0 months: no expiry",
        )
        self.assertEqual(self._param("discharge_reminder_days"), "10,3,1")
        self.assertEqual(
            self.env["coordination.hospital.stay"]._reminder_offsets(), [10, 3, 1]
        )
        self.assertEqual(self.env["coordination.calendar.feed"]._validity_days(), 90)
        self.assertEqual(
            self.env["coordination.individual.project"]._retention_days(), 1825
        )

    def test_two_factors_can_be_turned_off_and_on_again(self):
        # (the demo data turns them off: start from the installation's value)
        self.env["ir.config_parameter"].set_param(PREFIX + "mfa_required", "True")
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.coordination_mfa_required)
        settings.coordination_mfa_required = False
        settings.execute()
        self.assertEqual(self._param("mfa_required"), "False")
        self.assertFalse(self.coordinator._coordination_mfa_required())
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.coordination_mfa_required)
        settings.coordination_mfa_required = True
        settings.execute()
        self.assertTrue(self.coordinator._coordination_mfa_required())
        self.env["ir.config_parameter"].search(
            [("key", "=", PREFIX + "mfa_required")]
        ).unlink()
        self.assertTrue(
            self.coordinator._coordination_mfa_required(), "deleted: the safe value"
        )

    def test_out_of_range_values_are_refused_in_french_words(self):
        Settings = self.env["res.config.settings"].with_context(lang="fr_FR")
        for vals in (
            {"coordination_retention_days": 0},
            {"coordination_access_log_window_minutes": -5},
            {"coordination_consent_validity_months": 121},
            {"coordination_discharge_reminder_days": "7,demain"},
            {"coordination_discharge_reminder_days": ""},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Settings.create(vals)
        self.assertFalse(self._param("retention_days") == "0")

    def test_damaged_parameters_read_as_their_default(self):
        ICP = self.env["ir.config_parameter"]
        for name, (default, _minimum, maximum) in INT_PARAMETERS.items():
            for raw in ("abc", "-1", str(maximum + 1), " "):
                ICP.set_param(PREFIX + name, raw)
                with self.subTest(name=name, raw=raw):
                    self.assertEqual(get_int_param(self.env, name), default)
        ICP.set_param(PREFIX + "discharge_reminder_days", "x,,y")
        self.assertEqual(
            get_int_list_param(self.env, "discharge_reminder_days"), [7, 1]
        )

    def test_only_administrators_open_the_settings(self):
        menu = self.env.ref(
            "coordination_microlocale.menu_coordination_config_settings"
        )
        self.assertIn(self.env.ref("base.group_system"), menu.group_ids)
        for user in (self.coordinator, self.manager, self.gp, self.staff):
            with self.subTest(user=user.login):
                self.assertFalse(
                    self.env["res.config.settings"].with_user(user).has_access("write")
                )


@tagged("post_install", "-at_install")
class TestPrivilegedGuard(CoordinationCase):
    """One guard for the writes nobody may make but the anonymisation."""

    def test_privileged_needs_both_the_superuser_and_the_reason(self):
        project = self.project
        self.assertTrue(is_privileged(privileged(project, ANONYMISE).env, ANONYMISE))
        as_user = project.with_user(self.coordinator)
        self.assertFalse(
            is_privileged(
                as_user.with_context(coordination_privileged=ANONYMISE).env, ANONYMISE
            ),
            "a client's context key alone",
        )
        self.assertFalse(is_privileged(project.sudo().env, ANONYMISE), "sudo alone")
        self.assertFalse(
            is_privileged(privileged(project, "other").env, ANONYMISE), "other reason"
        )

    def test_consent_history_is_changed_by_the_anonymisation_only(self):
        consent = self.project.consent_ids
        consent.ensure_one()
        with self.assertRaises(AccessError):
            consent.sudo().write({"note": "changé"})
        privileged(consent, ANONYMISE)._coordination_anonymise()
        self.assertFalse(consent.scope_information)
        self.assertEqual(consent.state, "given", "the decision stays counted")
