import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// The self-employed GP, on the portal: opens the shared project, marks one of their
// actions done with a comment, and posts a note for the circle.
tours.add("coordination_portal_professional_tour", {
    url: "/my/coordination/projects",
    steps: () => [
        {
            content: "Open the project shared with the GP",
            trigger: ".o_coordination_projects a:first",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Comment on the first action still to do",
            trigger: ".o_coordination_my_action form textarea[name='comment']:first",
            run: "edit Vue au cabinet ce matin, traitement ajusté.",
        },
        {
            content: "Mark it done",
            trigger: ".o_coordination_my_action form .o_coordination_action_done:first",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".alert-success" },
        {
            content: "Write a note for the circle",
            trigger: ".o_coordination_note_form textarea[name='body']",
            run: "edit Je la revois lundi au cabinet.",
        },
        {
            trigger: ".o_coordination_note_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".o_coordination_note:contains('Je la revois lundi au cabinet.')" },
        {
            content: "The page left open asks again whether the file is still shared",
            trigger: ".o_coordination_project[data-coordination-check]",
            run: () => document.dispatchEvent(new Event("visibilitychange")),
        },
        { trigger: ".o_coordination_project:has(.o_coordination_gone.d-none)" },
        { trigger: ".o_coordination_project:has(.o_coordination_my_action)" },
    ],
});

// The person, in her own space, withdraws her consent.
tours.add("coordination_portal_person_withdraws_tour", {
    url: "/my/coordination/mine",
    steps: () => [
        { trigger: ".o_coordination_own_project" },
        { trigger: ".o_coordination_withdraw_form #withdraw_confirm", run: "click" },
        {
            trigger: ".o_coordination_withdraw_form .o_coordination_withdraw",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".alert-success" },
        { trigger: ".o_coordination_consent:not(:has(.o_coordination_withdraw_form))" },
    ],
});

// The GP, just after: the project is gone from their space.
tours.add("coordination_portal_professional_lost_tour", {
    url: "/my/coordination/projects",
    steps: () => [
        { trigger: "#wrap h3" },
        { trigger: "#wrap:not(:has(.o_coordination_projects))" },
    ],
});
