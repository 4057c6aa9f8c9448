"""Bulk insertion, then the ORM's own recomputation, for the large tables.

``create()`` of a model runs the overrides of every module in its inheritance
chain (mail.thread's messages and followers, calendar's attendees and
invitations, the module's sequences, circles and trail) and, even in Odoo's
core, works record by record before its single INSERT: the defaults of each
record, its precomputed fields through a new() record, its values in the cache.
Loaded that way, the data set took 66 s at scale 1 (24 s now), and a ten-year
history (``--scale 25``: 200,000 requests, 75,000 projects, 125,000 sessions)
half an hour or more (11 minutes now).

``orm_insert`` inserts the rows with one statement per batch, the values
converted by the fields themselves (``convert_to_column_insert``), the
many2many relations written by the fields (``Field.create``, as ``_create``
does), then hands the rest to the ORM: ``modified(create=True)`` and
``add_to_compute`` mark every stored computed field of the new rows, and of
the records that depend on them (a session's attendance counts, a project's
circle), the flush recomputes them in batches, and the Python constraints are
checked (``_validate_fields``). The effects of the create() overrides that
matter for the data (references from the sequence, the person and the
coordinator in the circle, the coordinator following the file, the session's
attendees) are added by the phases with ``sequence_names``, ``subscribe`` and
their own inserts. ``consistency.check`` then compares, on a sample, every
stored computed field with a fresh computation.
"""

from .base import chunks


def computed_stored_fields(Model):
    """The stored computed fields of a model the bulk insert leaves to the ORM.

    Not the resized images (binary fields related to ``image_1920``, stored as
    attachments): no row of the data set has an image, and computing them
    writes one attachment per record and size.
    """
    return [
        field
        for field in Model._fields.values()
        if field.store and field.compute and field.type not in ("one2many", "binary")
    ]


BATCH = 5000


def orm_insert(ds, model, vals_list, batch_size=BATCH):
    """Insert ``vals_list`` and let the ORM compute the rest, in flushed batches.

    Values are in create()'s format; defaults apply to the fields no row
    gives (computed once per batch: a default that must differ per row, such
    as a token, is given in the values). Returns the ids in order.
    """
    ids = []
    for batch in chunks(vals_list, batch_size):
        records = _insert_batch(ds.env[model], batch)
        ids += records.ids
        ds.env.flush_all()
        ds.env.invalidate_all()
    ds.inserted.setdefault(model, []).extend(ids)
    return ids


def _insert_batch(Model, vals_list):
    from psycopg2.extras import execute_values

    given = {fname for vals in vals_list for fname in vals}
    defaults = Model.default_get([f for f in Model._fields if f not in given])
    now, uid = Model.env.cr.now(), Model.env.uid
    magic = {"create_uid": uid, "create_date": now, "write_uid": uid, "write_date": now}
    rows = [{**defaults, **magic, **vals} for vals in vals_list]
    fields = [Model._fields[fname] for fname in sorted({f for r in rows for f in r})]
    columns = [f for f in fields if f.store and f.column_type]
    relations = [f for f in fields if f.store and f.type == "many2many"]
    query = 'INSERT INTO "{}" ({}) VALUES %s RETURNING id'.format(
        Model._table, ", ".join(f'"{f.name}"' for f in columns)
    )
    values = [
        tuple(f.convert_to_column_insert(row.get(f.name), Model, row) for f in columns)
        for row in rows
    ]
    inserted = execute_values(
        Model.env.cr._obj, query, values, page_size=1000, fetch=True
    )
    records = Model.browse([row[0] for row in inserted])
    records._parent_store_create()
    for field in relations:
        field.create(
            [
                (record, row[field.name])
                for record, row in zip(records, rows, strict=True)
                if field.name in row
            ]
        )
    # The fields given, modified: what depends on them elsewhere (a session's
    # counts on its attendees, a project's circle) is recomputed. The records
    # are new: nothing else refers to them yet. Their own computed fields are
    # marked below (_create marks every field modified, the images included).
    records.modified(sorted(given), create=True)
    for field in computed_stored_fields(Model):
        if field.name not in given:
            Model.env.add_to_compute(field, records)
    records._validate_fields(given)
    return records


def sequence_names(ds, code, count):
    """``count`` references of the sequence ``code``, as next_by_code gives them.

    The sequence is moved past them, so that the files created afterwards (by
    the measurements, by the users of a kept database) follow on.
    """
    sequence = ds.env["ir.sequence"].search([("code", "=", code)], limit=1)
    prefix, suffix = sequence._get_prefix_suffix()
    first = sequence.number_next_actual
    names = [
        f"{prefix}{number:0{sequence.padding}d}{suffix}"
        for number in range(first, first + count)
    ]
    sequence.write({"number_next": first + count})
    return names


def subscribe(ds, model, partner_of):
    """Followers ``{res_id: partner_id}`` with their default subtypes, in batches.

    mail's ``_insert_followers``, which ``message_subscribe`` uses, once per
    partner for all the records they follow.
    """
    by_partner = {}
    for res_id, partner_id in partner_of.items():
        by_partner.setdefault(partner_id, []).append(res_id)
    Followers = ds.env["mail.followers"]
    for partner_id, res_ids in by_partner.items():
        for batch in chunks(res_ids, BATCH):
            Followers._insert_followers(model, batch, [partner_id])
    ds.env.flush_all()
    return sum(len(res_ids) for res_ids in by_partner.values())
