"""Percentiles and the per-kind summary of the calls (pure, tested in tests/)."""

import math


def percentile(values, fraction):
    """The nearest-rank percentile (``fraction`` in 0..1) of ``values``, or None."""
    if not values:
        return None
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must be between 0 and 1")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarise(calls, elapsed):
    """Rows per kind of call, in first-seen order, and the overall row.

    ``calls``: [(kind, ms, ok)], ``elapsed``: seconds of the load. Each row is a
    dict: kind, count, errors, rps, p50, p95, p99, max (ms over every call).
    """
    kinds = {}
    for kind, ms, ok in calls:
        times, errors = kinds.setdefault(kind, ([], [0]))
        times.append(ms)
        errors[0] += 0 if ok else 1
    rows = [
        _row(kind, times, errors[0], elapsed) for kind, (times, errors) in kinds.items()
    ]
    total = _row(
        "all calls",
        [ms for _kind, ms, _ok in calls],
        sum(1 for _kind, _ms, ok in calls if not ok),
        elapsed,
    )
    return rows, total


def _row(kind, times, errors, elapsed):
    return {
        "kind": kind,
        "count": len(times),
        "errors": errors,
        "rps": len(times) / elapsed if elapsed > 0 else 0.0,
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "max": max(times) if times else None,
    }


def assign_roles(users):
    """The role of each of ``users`` virtual users: 40 % coordinators, 35 %
    professionals, 15 % municipal staff, 10 % managers (largest remainders), at
    least one of each from 4 users on."""
    weights = [
        ("coordinator", 0.40),
        ("professional", 0.35),
        ("municipal staff", 0.15),
        ("manager", 0.10),
    ]
    counts = {role: int(users * weight) for role, weight in weights}
    by_remainder = sorted(
        weights,
        key=lambda rw: (-(users * rw[1] - int(users * rw[1])), weights.index(rw)),
    )
    for role, _weight in by_remainder[: users - sum(counts.values())]:
        counts[role] += 1
    if users >= 4:
        for role, _weight in weights:
            if counts[role] == 0:
                donor = max(counts, key=counts.get)
                counts[donor] -= 1
                counts[role] = 1
    return [role for role, _weight in weights for _ in range(counts[role])]
