import { registry } from "@web/core/registry";
import { calendarView } from "@web/views/calendar/calendar_view";
import { CalendarRenderer } from "@web/views/calendar/calendar_renderer";
import { CalendarCommonRenderer } from "@web/views/calendar/calendar_common/calendar_common_renderer";
import { CalendarCommonPopover } from "@web/views/calendar/calendar_common/calendar_common_popover";

// The calendar of sessions offers to change or delete a session only to those who
// may (Odoo's "user_can_edit": its organiser and attendees); a busy slot of another
// service shows no "Edit" nor "Delete" button.
export class CoordinationSessionCalendarPopover extends CalendarCommonPopover {
    get canEditRecord() {
        return Boolean(this.props.record.rawRecord.user_can_edit);
    }
    get isEventEditable() {
        return super.isEventEditable && this.canEditRecord;
    }
    get isEventDeletable() {
        return super.isEventDeletable && this.canEditRecord;
    }
}

export class CoordinationSessionCalendarCommonRenderer extends CalendarCommonRenderer {
    static components = {
        ...CalendarCommonRenderer.components,
        Popover: CoordinationSessionCalendarPopover,
    };
    convertRecordToEvent(record) {
        return {
            ...super.convertRecordToEvent(record),
            editable: Boolean(record.rawRecord && record.rawRecord.user_can_edit),
        };
    }
}

export class CoordinationSessionCalendarRenderer extends CalendarRenderer {
    static components = {
        ...CalendarRenderer.components,
        day: CoordinationSessionCalendarCommonRenderer,
        week: CoordinationSessionCalendarCommonRenderer,
        month: CoordinationSessionCalendarCommonRenderer,
    };
}

registry.category("views").add("coordination_session_calendar", {
    ...calendarView,
    Renderer: CoordinationSessionCalendarRenderer,
});
