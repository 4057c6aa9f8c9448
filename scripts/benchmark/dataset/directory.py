"""Build phases of the directory: territories, users, structures, residents."""

from .bulk import orm_insert
from .names import COMMUNES

GROUP = "coordination_microlocale.group_"


def territories_and_users(ds):
    _territories(ds)
    ds.coordinators = _coordinators(ds)
    ds.coordinator_of = {
        territory.id: user
        for territory, user in zip(ds.territories, ds.coordinators, strict=True)
    }
    ds.staff = _plain_users(ds, "municipal_staff", "Agent mairie", "staff")
    ds.managers = _plain_users(ds, "manager", "Responsable", "managers")
    ds.professionals = _professional_users(ds)
    users = (
        len(ds.coordinators) + len(ds.staff) + len(ds.managers) + len(ds.professionals)
    )
    return f"{len(ds.territories)} territories + 1 intercommunality, {users} users"


def _territories(ds):
    Territory = ds.env["coordination.territory"]
    parent = Territory.create(
        {
            "name": "CC Pays de l'Yon (bench)",
            "kind": "intercommunality",
            "population": 98000,
        }
    )
    names = list(COMMUNES)
    while len(names) < ds.vol["territories"]:
        names.append((f"Commune {len(names) + 1}", "commune", "85000"))
    names = names[: ds.vol["territories"]]
    ds.territories = Territory.create(
        [
            {
                "name": name,
                "kind": kind,
                "parent_id": parent.id,
                "insee_code": f"85{index:03d}",
                "population": ds.rng.randint(1500, 25000),
                "is_priority_neighbourhood": kind == "neighbourhood",
            }
            for index, (name, kind, _zip) in enumerate(names)
        ]
    )
    ds.zips = {t.id: names[i][2] for i, t in enumerate(ds.territories)}


def _coordinators(ds):
    group = ds.env.ref(GROUP + "coordinator")
    return ds.env["res.users"].create(
        [
            {
                "name": f"Coordinatrice {territory.name}",
                "login": f"bench.coord.{index:02d}",
                "email": f"bench.coord.{index:02d}@example.org",
                "tz": "Europe/Paris",
                "notification_type": "inbox",
                "group_ids": [ds.Command.set(group.ids)],
                "coordination_territory_ids": [ds.Command.set(territory.ids)],
            }
            for index, territory in enumerate(ds.territories)
        ]
    )


def _plain_users(ds, group_name, name, volume):
    """Municipal staff or managers: ``ds.vol[volume]`` users of one group."""
    group = ds.env.ref(GROUP + group_name)
    login = volume.removesuffix("s")  # bench.staff.0, bench.manager.0
    return ds.env["res.users"].create(
        [
            {
                "name": f"{name} {index + 1}",
                "login": f"bench.{login}.{index}",
                "email": f"bench.{login}.{index}@example.org",
                "notification_type": "inbox",
                "group_ids": [ds.Command.set(group.ids)],
            }
            for index in range(ds.vol[volume])
        ]
    )


def _professional_users(ds):
    """Professional users: their partner is a professional of the directory."""
    ds.professions = ds.env["coordination.profession"].search(
        [("identifier_kind", "=", "rpps")]
    )
    ds.rpps_seed = 0
    values = []
    for index in range(ds.vol["professional_users"]):
        ds.rpps_seed += 1
        served = ds.served_territories()
        values.append(
            {
                "name": f"Dr {ds.person_name()} {index}",
                "email": f"bench.pro.{index:03d}@example.org",
                "coordination_role": "professional",
                "coordination_profession_id": ds.rng.choice(ds.professions).id,
                "coordination_rpps": ds.rpps(ds.rpps_seed),
                "coordination_territory_ids": [ds.Command.set(served)],
                "city": ds.territory_name(served),
            }
        )
    partners = ds.env["res.partner"].create(values)
    group = ds.env.ref(GROUP + "professional")
    return ds.env["res.users"].create(
        [
            {
                "partner_id": partner.id,
                "login": f"bench.pro.{index:03d}",
                "notification_type": "inbox",
                "group_ids": [ds.Command.set(group.ids)],
            }
            for index, partner in enumerate(partners)
        ]
    )


def directory(ds):
    ds.structures = _structures(ds)
    ds.directory_professionals = _directory_professionals(ds)
    _pools(ds)
    return (
        f"{len(ds.structures)} structures, "
        f"{len(ds.directory_professionals)} professionals"
    )


def _structures(ds):
    structure_types = ds.env["coordination.structure.type"].search([])
    values = []
    for index in range(ds.vol["structures"]):
        served = ds.served_territories()
        stype = ds.rng.choice(structure_types)
        values.append(
            {
                "name": f"{stype.code} {ds.territory_name(served)} {index}",
                "is_company": True,
                "coordination_role": "structure",
                "coordination_structure_type_id": stype.id,
                "coordination_level": ds.rng.choice(
                    ("local", "territorial", "regional")
                ),
                "coordination_finess": ds.finess(index + 1)
                if ds.rng.random() < 0.6
                else False,
                "coordination_territory_ids": [ds.Command.set(served)],
                "coordination_services": "Accueil, orientation, accompagnement.",
                "city": ds.territory_name(served),
                "phone": f"02 51 {index % 100:02d} {index % 97:02d} 00",
            }
        )
    return ds.env["res.partner"].create(values)


def _directory_professionals(ds):
    values = []
    structures_of = {}  # {territory: first structure serving it}
    for structure in ds.structures:
        for territory_id in structure.coordination_territory_ids.ids:
            structures_of.setdefault(territory_id, structure.id)
    for index in range(ds.vol["directory_professionals"]):
        ds.rpps_seed += 1
        served = ds.served_territories()
        in_structure = structures_of.get(served[0])
        values.append(
            {
                "name": f"{ds.person_name()} (pro {index})",
                "coordination_role": "professional",
                "coordination_profession_id": ds.rng.choice(ds.professions).id,
                "coordination_rpps": ds.rpps(ds.rpps_seed),
                "coordination_territory_ids": [ds.Command.set(served)],
                "parent_id": in_structure
                if in_structure and ds.rng.random() < 0.5
                else False,
                "city": ds.territory_name(served),
            }
        )
    return ds.env["res.partner"].create(values)


def _pools(ds):
    """The professionals and structures a circle draws from, per territory."""
    ds.pool = {t: [] for t in ds.territories.ids}
    ds.structure_pool = {t: [] for t in ds.territories.ids}
    for partner in ds.professionals.partner_id | ds.directory_professionals:
        for territory_id in partner.coordination_territory_ids.ids:
            ds.pool[territory_id].append(partner.id)
    for partner in ds.structures:
        for territory_id in partner.coordination_territory_ids.ids:
            ds.structure_pool[territory_id].append(partner.id)
    for territory_id in ds.territories.ids:  # never an empty pool
        if len(ds.pool[territory_id]) < 6:
            ds.pool[territory_id] += ds.rng.sample(ds.directory_professionals.ids, 6)
        if not ds.structure_pool[territory_id]:
            ds.structure_pool[territory_id].append(ds.structures[:1].id)


def residents(ds):
    values = []
    for index in range(ds.vol["residents"]):
        territory = ds.territories[index % len(ds.territories)]
        values.append(
            {
                "name": ds.person_name(),
                "street": f"{ds.rng.randint(1, 120)} rue des Lilas",
                "zip": ds.zips[territory.id],
                "city": territory.name,
                "phone": f"06 {ds.rng.randint(10, 99)} {index % 100:02d} 00 00",
            }
        )
    # res.partner's create() overrides: address sync with a parent company,
    # identifiers of professionals, none of which a resident has.
    ids = orm_insert(ds, "res.partner", values)
    ds.residents_by_territory = {t: [] for t in ds.territories.ids}
    for index, partner_id in enumerate(ids):
        territory_id = ds.territories[index % len(ds.territories)].id
        ds.residents_by_territory[territory_id].append(partner_id)
    ds.resident_ids = ids
    return f"{len(ids)} residents"
