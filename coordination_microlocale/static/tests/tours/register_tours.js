import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");
const card = (name) => `.o_kanban_record:has(.o_coordination_call_name:contains('${name}'))`;

// A volunteer works their call list on a phone: one person unreachable, one visited,
// then the unreachable one calls back and needs help (a request for the coordinator).
tours.add("coordination_register_agent_tour", {
    steps: () => [
        { trigger: `.o_kanban_view ${card("Nadia Benali")} a[href^='tel:']` },
        // only the people of the volunteer's own list
        { trigger: `.o_kanban_view:not(:has(${card("Yvette Robin")}))` },
        { trigger: `${card("Odette Rabaud")} button[name='action_visit_ok']` },
        { trigger: `${card("Nadia Benali")} button[name='action_outcome_unreachable']`, run: "click" },
        { trigger: `${card("Nadia Benali")} .o_coordination_call_retry` },
        { trigger: `${card("Odette Rabaud")} button[name='action_visit_ok']`, run: "click" },
        { trigger: `.o_kanban_view:not(:has(${card("Odette Rabaud")}))` },
        { trigger: `${card("Nadia Benali")} .o_coordination_call_name`, run: "click" },
        { trigger: ".o_form_view .o_field_widget[name='outcome_note'] input", run: "edit Ses médicaments sont épuisés" },
        { trigger: ".o_form_view button[name='action_outcome_needs_help']", run: "click" },
        { trigger: ".o_form_view:not(:has(button[name='action_outcome_ok']))" },
        { trigger: ".o_form_view .o_field_widget[name='request_id']" },
    ],
});
