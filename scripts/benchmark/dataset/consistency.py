"""Consistency of the data set: stored computed fields against a fresh compute.

Records inserted in bulk (bulk.orm_insert) get their stored computed fields
from the ORM's recomputation at flush; the consents, closings and attendances
written afterwards change what those fields depend on. On a sample of every
model built, each stored computed field (related fields included) is read
from the database, then computed again from scratch in a savepoint that is
rolled back: any difference is an inconsistency of the data set.
"""

from .bulk import computed_stored_fields

SAMPLE = 200
# Models built with create() or write() that the bulk inserts depend on.
ALSO_CHECKED = (
    "coordination.consent",
    "coordination.collective.project",
    "coordination.alert",
    "mail.activity",
)


class _Rollback(Exception):
    pass


def check(ds, sample_size=SAMPLE):
    """[(model, records, fields, mismatches, examples)] for every model built."""
    models = dict(ds.inserted)
    for model in ALSO_CHECKED:
        models.setdefault(
            model, ds.env[model].with_context(active_test=False).search([]).ids
        )
    rows = []
    for model, ids in models.items():
        if not ids:
            continue
        Model = ds.env[model].with_context(active_test=False)
        fields = computed_stored_fields(Model)
        sample = Model.browse(sorted(ds.rng.sample(ids, min(sample_size, len(ids)))))
        mismatches = compare(ds, sample, fields)
        examples = "; ".join(
            f"{fname} of #{rid}: {stored!r} stored, {fresh!r} computed"
            for rid, fname, stored, fresh in mismatches[:3]
        )
        rows.append((model, len(sample), len(fields), len(mismatches), examples))
    return rows


def compare(ds, records, fields):
    """[(id, field, stored, fresh)] where the stored value is not the computed one."""
    env = ds.env
    env.flush_all()
    env.invalidate_all()
    stored = _values(records, fields)
    fresh = {}
    try:
        with env.cr.savepoint():
            env.invalidate_all()
            for field in fields:
                env.add_to_compute(field, records)
            fresh = _values(records, fields)
            env.flush_all()
            raise _Rollback
    except _Rollback:
        pass
    env.invalidate_all()
    return [
        (rid, fname, value, fresh[rid, fname])
        for (rid, fname), value in stored.items()
        if not _same(value, fresh[rid, fname])
    ]


def _values(records, fields):
    values = {}
    for record in records:
        for field in fields:
            value = record[field.name]
            if hasattr(value, "_ids"):
                value = tuple(sorted(value.ids))
            values[record.id, field.name] = value
    return values


def _same(left, right):
    if isinstance(left, float) or isinstance(right, float):
        return abs((left or 0.0) - (right or 0.0)) < 1e-6
    return (left or False) == (right or False)
