import { registry } from "@web/core/registry";

const { DateTime } = luxon;
const tours = registry.category("web_tour.tours");

// The three most frequent tasks of the coordinator's day. Every step that runs
// "click" is one click; every "edit" is one click in a field and one typing: the
// counts reported for the issue are read from these steps.

// A phone call: from "My day", the request of the person on the line, with their
// phone number. 6 clicks, 3 typings.
tours.add("coordination_home_phone_request_tour", {
    steps: () => [
        {
            trigger: ".o_kanban_record:has(.fa-phone)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='person_id'] input",
            run: "edit Paul Appelant",
        },
        {
            trigger: ".o_field_widget[name='person_id'] .o_m2o_dropdown_option_create a, .o_field_widget[name='person_id'] .o_m2o_dropdown_option_create",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='person_phone'] input",
            run: "edit 06 12 34 56 78",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='description'] textarea",
            run: "edit Appelle pour sa mère qui ne sort plus de chez elle.",
        },
        { trigger: ".o_form_view .o_form_button_save", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name='name']:not(:empty)" },
        { trigger: ".o_form_view .o_form_saved" },
    ],
});

// A concertation with the circle, from the person's project: the form comes with
// the circle invited, the type, the project and a time within working hours; the
// coordinator picks the day and saves. 5 clicks, no typing (6 when the day chosen
// falls in the next month: the calendar turns a page).
function concertationDaySteps() {
    const today = DateTime.now();
    let day = today.plus({ days: 7 });
    const steps = [];
    if (day.month !== today.month || day.day < 10 || day.day > 28) {
        // two-digit days only, so that ":contains" names one cell
        day = today.plus({ months: 1 }).set({ day: 15 });
        steps.push({ trigger: ".o_datetime_picker .o_next", run: "click" });
    }
    steps.push({
        trigger: `.o_datetime_picker .o_date_item_cell:not(.o_out_of_range):contains(${day.day})`,
        run: "click",
    });
    return steps;
}

tours.add("coordination_home_concertation_tour", {
    steps: () => [
        {
            trigger: ".o_form_view button[name='action_organise_meeting']",
            run: "click",
        },
        { trigger: ".o_coordination_session_form .o_field_widget[name='partner_ids'] .o_tag" },
        { trigger: ".o_coordination_session_form:not(:has(.alert-warning))" },
        {
            trigger: ".o_coordination_session_form .o_field_widget[name='start'] button",
            run: "click",
        },
        ...concertationDaySteps(),
        { trigger: ".o_datetime_picker ~ * .btn-primary, .o_datetime_picker .btn-primary, .o_popover .btn-primary", run: "click" },
        { trigger: ".o_form_view .o_form_button_save", run: "click" },
        { trigger: ".o_coordination_session_form .o_field_widget[name='attendee_ids'] .o_data_row" },
    ],
});

// A consent: the coordinator sees at once that the person must have been told
// beforehand, ticks it and records. 3 clicks.
tours.add("coordination_home_consent_tour", {
    steps: () => [
        {
            trigger: ".o_form_view button[name='action_record_consent']",
            run: "click",
        },
        { trigger: ".modal .alert-danger" },
        {
            trigger: ".modal .o_field_widget[name='person_informed'] input",
            run: "click",
        },
        { trigger: ".modal:not(:has(.alert-danger))" },
        { trigger: ".modal button[name='action_confirm']", run: "click" },
        { trigger: "body:not(:has(.modal))" },
    ],
});
