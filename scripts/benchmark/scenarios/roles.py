"""The users measured: one of each role, the professional in about 20 circles."""


def choose_roles(ctx):
    ds = ctx.ds
    coordinator = ds.coordinators[0]
    territory = coordinator.coordination_territory_ids
    circles = _circles_per_partner(ctx.env, ds.professionals.partner_id.ids)
    professional = min(
        ds.professionals,
        key=lambda u: (abs(circles.get(u.partner_id.id, 0) - 20), u.id),
    )
    ctx.roles = [
        ("coordinator", coordinator, f"1 territory ({territory.name})"),
        (
            "professional",
            professional,
            f"active in {circles.get(professional.partner_id.id, 0)} circles",
        ),
        ("municipal staff", ds.staff[0], "no individual file"),
        ("manager", ds.managers[0], "coordinates no territory"),
    ]
    ctx.report()
    ctx.report("Roles")
    ctx.report.table(
        ["role", "login", "scope"],
        [(name, user.login, scope) for name, user, scope in ctx.roles],
        ["<", "<", "<"],
    )


def _circles_per_partner(env, partner_ids):
    """{partner: projects whose circle they are an active member of, consent given}"""
    env.cr.execute(
        """
        SELECT m.partner_id, count(DISTINCT m.project_id)
          FROM coordination_circle_member m
          JOIN coordination_individual_project p ON p.id = m.project_id
         WHERE m.is_active AND m.in_consent_scope AND p.consent_state = 'given'
           AND m.partner_id = ANY(%s)
         GROUP BY m.partner_id
        """,
        [partner_ids],
    )
    return dict(env.cr.fetchall())
