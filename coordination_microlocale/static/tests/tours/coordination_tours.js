import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");
const followUpMenu = "[data-menu-xmlid='coordination_microlocale.menu_coordination_follow_up']";
const configMenu = "[data-menu-xmlid='coordination_microlocale.menu_coordination_config']";

// The coordinator triages a new request and opens the person's project from it.
tours.add("coordination_coordinator_tour", {
    steps: () => [
        { trigger: `.o_main_navbar ${followUpMenu}` },
        { trigger: ".o_main_navbar:not(:has(" + configMenu + "))" },
        {
            trigger: ".o_form_view button[name='action_start_triage']",
            run: "click",
        },
        { trigger: ".o_statusbar_status button[data-value='triage'][aria-checked='true']" },
        {
            trigger: ".o_form_view button[name='action_open_project']",
            run: "click",
        },
        { trigger: ".o_form_view .o_field_widget[name='person_id']" },
        { trigger: ".o_notebook a[name='circle']", run: "click" },
        { trigger: ".o_field_widget[name='circle_member_ids'] .o_data_row" },
        { trigger: ".o_form_view button[name='action_record_consent']", run: "click" },
        { trigger: ".modal .o_field_widget[name='decision']" },
        // the person must have been told beforehand what is shared, and with whom
        { trigger: ".modal .o_field_widget[name='person_informed'] input", run: "click" },
        { trigger: ".modal .o_field_widget[name='person_informed'] input:checked" },
        { trigger: ".modal button[name='action_confirm']", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_notebook .tab-pane.active:not(:has(.alert-warning))" },
    ],
});

// The GP of the circle sees exactly the one project, reads it, cannot manage it.
tours.add("coordination_professional_tour", {
    steps: () => [
        { trigger: ".o_list_view .o_data_row" },
        { trigger: ".o_list_renderer:not(:has(.o_data_row ~ .o_data_row))" },
        { trigger: ".o_main_navbar:not(:has(" + configMenu + "))" },
        { trigger: ".o_list_view .o_data_row .o_data_cell", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name='problematique']" },
        { trigger: ".o_form_view:not(:has(button[name='action_close']))" },
        { trigger: ".o_form_view:not(:has(button[name='action_record_consent']))" },
    ],
});

// A professional outside every circle sees no project at all.
tours.add("coordination_professional_outside_tour", {
    steps: () => [
        { trigger: ".o_list_view, .o_view_nocontent" },
        { trigger: ".o_action_manager:not(:has(.o_data_row))" },
    ],
});

// Municipal staff: the directory, no follow-up menu, nothing individual.
tours.add("coordination_staff_tour", {
    steps: () => [
        { trigger: ".o_list_view .o_data_row" },
        { trigger: ".o_searchview_input" },
        { trigger: ".o_main_navbar:not(:has(" + followUpMenu + "))" },
        { trigger: ".o_main_navbar:not(:has(" + configMenu + "))" },
    ],
});

// The manager configures the application and sees no individual file.
tours.add("coordination_manager_tour", {
    steps: () => [
        { trigger: `.o_main_navbar ${configMenu}` },
        { trigger: ".o_list_view .o_data_row" },
    ],
});
