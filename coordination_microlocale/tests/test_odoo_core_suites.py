"""Odoo's own tests of the core models this module overrides, run with it installed.

Most of these Odoo tests are at_install: they run when their module is installed,
before this module's overrides are in the registry, so they never see them. Each
class is re-run here post-install under this module's name (and the extra tag
``coordination_core``), through a subclass created below.

Only the modules are imported, never the classes themselves: Odoo's loader collects
the test classes whose ``__module__`` is this file, so the originals are not run
twice. A subclass inherits its test methods, which the loader only collects with
``allow_inherited_tests_method``.

What each suite covers:

- calendar, every test class: calendar.event (create, write, ``_search``, private
  events), calendar.attendee, res.partner meeting count (``_compute_meeting``);
- base ``TestPermissions``: ir.attachment access (``_search``,
  ``_inaccessible_comodel_records``); ``TestReports``: every QWeb report rendered
  through ir.actions.report ``_render_qweb_html``, this module's reports included;
- mail ``MailCase`` and ``TestPersonalServer``: mail.mail sending
  (``_prepare_outgoing_list``); the discuss attachment and binary controllers:
  attachment access and ir.binary ``_record_to_stream``.

The neutral notification layout (``_notify_by_email_render_layout``) only applies to
this module's models, which Odoo's tests never use: it is tested in test_privacy.
"""

from odoo.tests import TransactionCase, tagged

import odoo.addons.base.tests.test_ir_attachment as base_ir_attachment
import odoo.addons.base.tests.test_reports as base_reports
import odoo.addons.calendar.tests.test_access_rights as calendar_access_rights
import odoo.addons.calendar.tests.test_attendees as calendar_attendees
import odoo.addons.calendar.tests.test_calendar as calendar_calendar
import odoo.addons.calendar.tests.test_calendar_activity as calendar_activity
import odoo.addons.calendar.tests.test_calendar_controller as calendar_controller
import odoo.addons.calendar.tests.test_calendar_recurrent_event_case2 as calendar_case2
import odoo.addons.calendar.tests.test_calendar_tour as calendar_tour
import odoo.addons.calendar.tests.test_event_notifications as calendar_notifications
import odoo.addons.calendar.tests.test_event_recurrence as calendar_recurrence
import odoo.addons.calendar.tests.test_mail_activity_mixin as calendar_activity_mixin
import odoo.addons.calendar.tests.test_recurrence_rule as calendar_recurrence_rule
import odoo.addons.calendar.tests.test_res_partner as calendar_res_partner
import odoo.addons.calendar.tests.test_res_users as calendar_res_users
import odoo.addons.mail.tests.discuss.test_discuss_attachment_controller as discuss_att
import odoo.addons.mail.tests.discuss.test_discuss_binary_controller as discuss_binary
import odoo.addons.mail.tests.test_ir_mail_server as mail_ir_mail_server
import odoo.addons.mail.tests.test_mail_mail as mail_mail

# Name of the re-run class (prefix TestCore, then the Odoo module): Odoo's class.
CORE_SUITES = {
    "TestCoreCalendarAccessRights": calendar_access_rights.TestAccessRights,
    "TestCoreCalendarAttendees": calendar_attendees.TestEventNotifications,
    "TestCoreCalendarCalendar": calendar_calendar.TestCalendar,
    "TestCoreCalendarActivity": calendar_activity.TestCalendarActivity,
    "TestCoreCalendarController": calendar_controller.TestCalendarController,
    "TestCoreCalendarRecurrentEvent": calendar_case2.TestRecurrentEvent,
    "TestCoreCalendarTours": calendar_tour.TestCalendarTours,
    "TestCoreCalendarMail": calendar_notifications.TestCalendarMail,
    "TestCoreCalendarEventNotifications": calendar_notifications.TestEventNotifications,
    "TestCoreCalendarCreateRecurrent": calendar_recurrence.TestCreateRecurrentEvents,
    "TestCoreCalendarUpdateRecurrent": calendar_recurrence.TestUpdateRecurrentEvents,
    "TestCoreCalendarUpdateMultiDayWeekly": (
        calendar_recurrence.TestUpdateMultiDayWeeklyRecurrentEvents
    ),
    "TestCoreCalendarUpdateMonthlyByDay": calendar_recurrence.TestUpdateMonthlyByDay,
    "TestCoreCalendarUpdateMonthlyByDate": calendar_recurrence.TestUpdateMonthlyByDate,
    "TestCoreCalendarMailActivityMixin": calendar_activity_mixin.TestMailActivityMixin,
    "TestCoreCalendarRecurrenceRule": calendar_recurrence_rule.TestRecurrenceRule,
    "TestCoreCalendarResPartner": calendar_res_partner.TestResPartner,
    "TestCoreCalendarResUsers": calendar_res_users.TestResUsers,
    "TestCoreBaseAttachmentPermissions": base_ir_attachment.TestPermissions,
    "TestCoreBaseReports": base_reports.TestReports,
    "TestCoreMailMail": mail_mail.MailCase,
    "TestCoreMailPersonalServer": mail_ir_mail_server.TestPersonalServer,
    "TestCoreMailAttachmentController": discuss_att.TestDiscussAttachmentController,
    "TestCoreMailBinaryController": discuss_binary.TestDiscussBinaryController,
}


class _CoreCase(TransactionCase):
    """Inserted just before TransactionCase: sets the database up for Odoo's tests.

    It runs after the test cursor is opened and before the Odoo class's own class
    setup, which then creates its users and records as it does on Odoo's CI:

    - in English: Odoo's tests compare English texts and their tours click English
      buttons, but scripts/test.sh creates its database with --load-language=fr_FR,
      which leaves English inactive and makes French every partner's language and
      the default of new ones (res.lang ``install_lang``);
    - without the demo data's recurrence (a quarterly commission, demo/
      coordination_demo_sessions.xml): the recurrence tests take "the" recurrence
      with ``search([], limit=1)``.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env["ir.default"].set("res.partner", "lang", "en_US")
        partners = cls.env["res.partner"].with_context(active_test=False)
        partners.search([("lang", "!=", "en_US")]).write({"lang": "en_US"})
        cls.env.registry.clear_cache()  # res.users.context_get keeps the old language
        if issubclass(cls, calendar_recurrence.TestRecurrentEvents):
            cls.env["calendar.recurrence"].search([]).unlink()


def _post_install_rerun(name, odoo_class):
    # Method resolution order: the Odoo class and its bases, _CoreCase, then
    # TransactionCase.
    rerun = type(
        name,
        (odoo_class, _CoreCase),
        {
            "__module__": __name__,
            "__qualname__": name,
            "allow_inherited_tests_method": True,
        },
    )
    return tagged("post_install", "-at_install", "coordination_core")(rerun)


for _name, _odoo_class in CORE_SUITES.items():
    globals()[_name] = _post_install_rerun(_name, _odoo_class)
