"""Applying levers to one year's activity rows: the single implementation used by the
projection (one run) and by the vectorised runs (amounts are numpy arrays over runs).

Rows are keyed by :func:`row_key`; each holds a template activity and its amounts. See
:mod:`xietong.scenarios.scenario` for what each lever kind does.
"""

from __future__ import annotations

from collections.abc import Callable
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


def apply_lever(
    lever: Lever,
    rows: Rows,
    effect: np.ndarray,
    energy_ratio: Callable[[Activity, Activity], float],
) -> Rows:
    """The rows after ``lever`` with ``effect`` = progress × strength (one value per run)."""
    if lever.kind == "emission_factor" or not np.any(effect):
        return rows
    out: Rows = {}

    def add(a: Activity, amount: np.ndarray) -> None:
        k = row_key(a)
        out[k] = (out[k][0], out[k][1] + amount) if k in out else (a, amount)

    for a, amount in rows.values():
        f = row_fields(a)
        if not matches(f, lever.match) or (
            lever.exclude and any(f.get(k, "") in v for k, v in lever.exclude.items())
        ):
            add(a, amount)
            continue
        if lever.kind == "scale":
            add(a, amount * (1 - effect * (1 - lever.factor)))
            continue
        moved = amount * lever.share * effect
        add(a, amount - moved)
        target = {k: v for k, v in lever.to.items() if k != "parameters"}
        new = replace(a, **target)  # type: ignore[arg-type]
        if "parameters" in lever.to:
            new = replace(new, parameters=())
        if lever.kind == "shift" and lever.conversion == "energy" and new.activity != a.activity:
            new = replace(new, unit=new.kind.dimension_unit)
            add(new, moved * energy_ratio(a, new))
        else:
            add(new, moved)
    return out
