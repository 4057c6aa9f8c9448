/** @odoo-module ignore **/
// A page of an individual file open on the portal checks, every 30 seconds and
// whenever it is shown again, that its reader still has access to the file. When
// the circle or the consent no longer allows it, the page's content is removed.
(function () {
    "use strict";

    function start() {
        const node = document.querySelector("[data-coordination-check]");
        if (!node) {
            return;
        }
        const url = node.dataset.coordinationCheck;
        let gone = false;

        async function check() {
            if (gone || document.visibilityState === "hidden") {
                return;
            }
            let response;
            try {
                response = await fetch(url, {
                    credentials: "same-origin",
                    cache: "no-store",
                    redirect: "manual",
                });
            } catch {
                // offline: the next check will tell
                return;
            }
            if (response.ok) {
                return;
            }
            gone = true;
            const notice = node.querySelector(".o_coordination_gone");
            for (const child of [...node.children]) {
                if (child !== notice) {
                    child.remove();
                }
            }
            if (notice) {
                notice.classList.remove("d-none");
            }
        }

        document.addEventListener("visibilitychange", check);
        window.setInterval(check, 30000);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
