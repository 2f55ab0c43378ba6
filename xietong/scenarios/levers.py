"""Applying levers to one year's activity rows: the single implementation used by the
projection (one run) and by the vectorised runs (amounts are numpy arrays over runs).

Rows are keyed by :func:`row_key`; each holds a template activity and its amounts. See
:mod:`xietong.scenarios.scenario` for what each lever kind does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

import numpy as np

from xietong.accounting.activity import Activity
from xietong.accounting.methods.base import Context
from xietong.scenarios.scenario import DriverRule, Drivers, Lever, matches

Key = tuple[str, str, str, str, str, str, str]
Rows = dict[Key, tuple[Activity, np.ndarray]]


def row_fields(a: Activity) -> dict[str, str]:
    """The fields a lever or driver rule can match."""
    return {
        "sector": a.sector,
        "subsector": a.subsector,
        "activity": a.activity,
        "technology": a.technology,
        "control": a.control,
        "district": a.district,
    }


def row_key(a: Activity) -> Key:
    """Identity of a row within a year (its unit included)."""
    return (a.district, a.sector, a.subsector, a.activity, a.technology, a.control, a.unit)


def driver_rule(drivers: Drivers, a: Activity) -> DriverRule | None:
    """The most specific driver rule of a row (an activity rule beats a sector rule)."""
    rules = [r for r in drivers.rules if matches(row_fields(a), r.match)]
    if not rules:
        return None
    return max(rules, key=lambda r: ("activity" in r.match, len(r.match)))


def ncv_gj(ctx: Context, a: Activity) -> float:
    """GJ per unit of the activity's own unit (net calorific value from the factor library)."""
    f = ctx.factor("NCV", a)
    return float((a.quantity / a.amount * f.quantity).to("GJ").magnitude) if a.amount else 0.0


def energy_ratio_by(ctx: Context) -> Callable[[Activity, Activity], float]:
    """A cached function: units of ``b`` with the heat of one unit of ``a``."""
    cache: dict[tuple[Key, Key], float] = {}

    def ratio(a: Activity, b: Activity) -> float:
        k = (row_key(a), row_key(b))
        if k not in cache:
            cache[k] = ncv_gj(ctx, replace(a, amount=1.0)) / ncv_gj(ctx, replace(b, amount=1.0))
        return cache[k]

    return ratio


def group_rows(activities: Iterable[Activity]) -> dict[Key, tuple[Activity, float]]:
    """Rows summed by :func:`row_key`: the first row of each key as its template and the
    total amount (rows of several entities or periods share a key)."""
    groups: dict[Key, tuple[Activity, float]] = {}
    for a in activities:
        k = row_key(a)
        groups[k] = (groups[k][0], groups[k][1] + a.amount) if k in groups else (a, a.amount)
    return groups


def hit(lever: Lever, a: Activity) -> bool:
    """Whether ``lever`` changes the row ``a`` (its ``match`` and not its ``exclude``)."""
    f = row_fields(a)
    return matches(f, lever.match) and not (
        lever.exclude and any(f.get(k, "") in v for k, v in lever.exclude.items())
    )


def cap_share(
    lever: Lever,
    rows: Rows,
    base: Mapping[Key, tuple[Activity, float]],
    energy_ratio: Callable[[Activity, Activity], float],
) -> np.ndarray | None:
    """A ``cap`` lever's share of the matched rows to remove: the heat of the matched rows
    above ``factor`` × their heat in the base year ``base``, as a share of their heat now (0
    where under the cap); None where no row matches."""
    now = [(a, amount) for a, amount in rows.values() if hit(lever, a)]
    if not now:
        return None
    ref = now[0][0]
    heat_now = sum(amount * energy_ratio(a, ref) for a, amount in now)
    heat_base = sum(amount * energy_ratio(a, ref) for a, amount in base.values() if hit(lever, a))
    excess = np.maximum(0.0, heat_now - lever.factor * heat_base)
    return np.divide(excess, heat_now, out=np.zeros_like(excess), where=heat_now > 0)


def apply_lever(
    lever: Lever,
    rows: Rows,
    effect: np.ndarray,
    energy_ratio: Callable[[Activity, Activity], float],
    base: Mapping[Key, tuple[Activity, float]] | None = None,
) -> Rows:
    """The rows after ``lever`` with ``effect`` = progress × strength (one value per run);
    ``base`` (the base year's rows, by key) is what a ``cap`` lever holds the rows to."""
    if lever.kind == "emission_factor" or not np.any(effect):
        return rows
    share: float | np.ndarray = lever.share
    if lever.kind == "cap":
        if base is None:
            raise ValueError(f"lever {lever.id}: a cap needs the base year's rows")
        found = cap_share(lever, rows, base, energy_ratio)
        if found is None:
            return rows
        share = found
    out: Rows = {}

    def add(a: Activity, amount: np.ndarray) -> None:
        k = row_key(a)
        out[k] = (out[k][0], out[k][1] + amount) if k in out else (a, amount)

    for a, amount in rows.values():
        if not hit(lever, a):
            add(a, amount)
            continue
        if lever.kind == "scale":
            add(a, amount * (1 - effect * (1 - lever.factor)))
            continue
        moved = amount * share * effect
        add(a, amount - moved)
        if lever.kind == "cap" and not lever.to:
            continue  # removed, not moved
        target = {k: v for k, v in lever.to.items() if k != "parameters"}
        new = replace(a, **target)  # type: ignore[arg-type]
        if "parameters" in lever.to:
            new = replace(new, parameters=())
        if (
            lever.kind in ("shift", "cap")
            and lever.conversion == "energy"
            and new.activity != a.activity
        ):
            new = replace(new, unit=new.kind.dimension_unit)
            add(new, moved * energy_ratio(a, new))
        else:
            add(new, moved)
    return out
