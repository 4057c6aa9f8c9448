"""One project form (web_read with its x2many tabs) and the project name_search."""

from ..webclient import project_form_spec


def project_form(ctx):
    Project = ctx.env["coordination.individual.project"]
    territory = ctx.role_user("coordinator").coordination_territory_ids
    professional = ctx.role_user("professional")
    coordinator_project = Project.search(
        [
            ("territory_id", "in", territory.ids),
            ("consent_state", "=", "given"),
            ("state", "!=", "closed"),
        ],
        limit=1,
    )
    # Open projects for both roles: the same shape of form at every scale.
    professional_project = Project.search(
        [
            ("consent_state", "=", "given"),
            ("state", "!=", "closed"),
            (
                "circle_member_ids",
                "any",
                [
                    ("partner_id", "=", professional.partner_id.id),
                    ("is_active", "=", True),
                ],
            ),
        ],
        limit=1,
    )
    for role, user, _scope in ctx.roles:
        project = (
            professional_project if role == "professional" else coordinator_project
        )
        _one_form(ctx, project, role, user)


def _one_form(ctx, project, role, user):
    coordinator = user.has_group("coordination_microlocale.group_coordinator")
    spec = project_form_spec(ctx.env, project, user, coordinator)
    res = ctx.bench.run(
        lambda: len(ctx.as_user(project._name, user).browse(project.id).web_read(spec))
    )
    ctx.record(
        "project form",
        f"web_read {project.name} (x2many: circle, actions, needs, consents)",
        role,
        res,
        res.get("result"),
    )


def name_search(ctx):
    for role, user, _scope in ctx.roles:
        res = ctx.bench.run(
            lambda user=user: len(
                ctx.as_user("coordination.individual.project", user).name_search(
                    "PSI", limit=8
                )
            )
        )
        ctx.record(
            "project name_search",
            "name_search('PSI', limit=8)",
            role,
            res,
            res.get("result"),
        )
