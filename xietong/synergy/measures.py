"""Measure-level co-benefits: each quantifiable plan measure as a change of activity, its
ΔCO2e and Δpollutants computed by the accounting engine, its place on the co-control
coordinates, its cost per t CO2e and per t APeq, and a marginal abatement cost (MAC) curve
that counts the air-quality co-benefit.

Data: ``data/synergy/measures.yaml`` — per measure, activity rows removed and added (one year
at full implementation), the basis of every size, and an annual cost (CNY/yr, negative = a
saving) with its basis. The effect of a measure is ``E(added rows) − E(removed rows)`` by the
same methods and factors as the inventory (no second set of formulas); reductions are
reported positive.

- ``cost_per_t_co2e = cost / CO2e reduced`` (CO2e under the file's explicit GWP set, direct +
  indirect, since e.g. PV and electric buses cut indirect CO2);
- ``net_cost = cost − APeq reduced × co-benefit value`` (the file's value per t APeq, a
  tax-rate floor), ``net_cost_per_t_co2e`` ranks the MAC curve (cheapest first); a measure that
  cuts no CO2e is listed with an infinite cost per t and stays off the curve.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from xietong.accounting.activity import Activity, catalogue
from xietong.accounting.factors import FactorLibrary, GWPSet, load_gwp
from xietong.accounting.grid_regions import DEFAULT_GRID_REGION
from xietong.accounting.methods import METHODS
from xietong.accounting.methods.base import GHGS, Context
from xietong.accounting.potentials import potential
from xietong.datafiles import data_path
from xietong.errors import XietongError
from xietong.synergy.coordinates import CoControl, co_control
from xietong.synergy.env_tax import TaxRates, load_tax_rates, outlet_tax
from xietong.synergy.equivalents import apeq
from xietong.synergy.penalties import penalty_emissions
from xietong.units import convert


class MeasureError(XietongError, ValueError):
    """The measures file is malformed (names the measure and the field)."""


@dataclass(frozen=True)
class Measure:
    """A plan measure as removed and added activity rows, with its size and annual cost."""

    id: str
    plan_measure: int
    zh: str
    en: str
    size: Mapping[str, Any]
    remove: tuple[Activity, ...]
    add: tuple[Activity, ...]
    basis: str
    cost_cny: float | None
    cost_basis: str
    basis_zh: str = ""
    cost_basis_zh: str = ""


@dataclass(frozen=True)
class MeasureSet:
    """The measures of a file, the year their factors are taken for, the GWP set and the
    value per t APeq of the co-benefit."""

    year: int
    gwp: str
    tax_province: str
    """The province whose environmental-tax rates value the pollutants a measure avoids."""
    co_benefit_basis: str
    measures: tuple[Measure, ...]
    co_benefit_basis_zh: str = ""


@dataclass(frozen=True)
class Effect:
    """Reductions (t, positive = less emitted) of one measure and its costs."""

    measure: Measure
    reduction: Mapping[str, float]
    co2e_reduction: float
    co2e_reduction_direct: float
    apeq_reduction: float
    cost_per_t_co2e: float | None
    cost_per_t_apeq: float | None
    net_cost: float | None
    net_cost_per_t_co2e: float | None
    coordinates: CoControl | None = None
    co_benefit_cny: float = 0.0
    """The environmental tax avoided, CNY per year (negative where the measure adds some)."""
    factor_ids: tuple[str, ...] = field(default_factory=tuple)


def _activity(entry: Mapping[str, Any], year: int, where: str) -> Activity:
    try:
        act = Activity(
            year=year,
            district=str(entry.get("district", "city")),
            sector=str(entry["sector"]),
            subsector=str(entry.get("subsector", "")),
            activity=str(entry["activity"]),
            technology=str(entry.get("technology", "")),
            control=str(entry.get("control", "")),
            amount=float(entry["amount"]),
            unit=str(entry["unit"]),
            source=where,
            quality="estimate",
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise MeasureError(f"{where}: {exc}") from None
    if act.activity not in catalogue():
        raise MeasureError(f"{where}: unknown activity '{act.activity}'")
    if act.amount < 0:
        raise MeasureError(f"{where}: amounts are positive (use remove: for less activity)")
    return act


def load_measures(path: Path | None = None) -> MeasureSet:
    """The measures file (default: the shipped one); MeasureError names a bad entry."""
    file = path or data_path("synergy", "measures.yaml")
    raw: dict[str, Any] = yaml.safe_load(file.read_text(encoding="utf-8"))
    year = int(raw["year"])
    out = []
    for entry in raw.get("measures", []):
        mid = entry.get("id", "?")
        where = f"{file.name}: measure {mid}"
        try:
            cost = entry.get("cost") or {}
            cost_cny = (
                convert(float(cost["value"]), str(cost["unit"]), "CNY / year") if cost else None
            )
            out.append(
                Measure(
                    id=str(mid),
                    plan_measure=int(entry["plan_measure"]),
                    zh=str(entry["zh"]),
                    en=str(entry["en"]),
                    size=dict(entry.get("size", {})),
                    remove=tuple(
                        _activity(a, year, f"{where}, remove {i}")
                        for i, a in enumerate(entry.get("remove", []), start=1)
                    ),
                    add=tuple(
                        _activity(a, year, f"{where}, add {i}")
                        for i, a in enumerate(entry.get("add", []), start=1)
                    ),
                    basis=str(entry.get("basis", "")),
                    cost_cny=cost_cny,
                    cost_basis=str(cost.get("basis", "")),
                    basis_zh=str(entry.get("basis_zh", "")),
                    cost_basis_zh=str(cost.get("basis_zh", "")),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, MeasureError):
                raise
            raise MeasureError(f"{where}: {exc}") from None
    value = raw["co_benefit"]
    try:
        load_tax_rates(str(value["tax_rates"]))
    except KeyError as exc:
        raise MeasureError(f"{file.name}: co_benefit.tax_rates: {exc}") from None
    return MeasureSet(
        year,
        str(raw["gwp"]),
        str(value["tax_rates"]),
        str(value.get("basis", "")),
        tuple(out),
        str(value.get("basis_zh", "")),
    )


def _emissions(
    acts: Sequence[Activity], ctx: Context
) -> tuple[dict[tuple[str, str, str], float], set[str]]:
    """Tonnes by substance, scope and activity code (the GWP of methane depends on the
    activity's origin), and the factors used; a row's control adds its electricity and
    reagent CO2 (:mod:`xietong.synergy.penalties`)."""
    total: dict[tuple[str, str, str], float] = defaultdict(float)
    ids: set[str] = set()
    for act in acts:
        own = METHODS[act.kind.method](act, ctx)
        for e in (*own, *penalty_emissions(act, ctx, own)):
            total[(e.substance, e.scope, act.activity)] += e.tonnes
            ids.update(e.factor_ids)
    return total, ids


def effect(
    measure: Measure,
    library: FactorLibrary,
    gwp: GWPSet,
    tax_rates: TaxRates,
    *,
    city_totals: tuple[float, float] | None = None,
    grid_region: str = DEFAULT_GRID_REGION,
) -> Effect:
    """The reductions and costs of one measure. The co-benefit is the environmental tax the
    measure avoids (:mod:`xietong.synergy.env_tax`: the tax of the direct pollutants of the rows
    it removes less that of the rows it adds, each taken as one outlet, first three air and
    water pollutants by equivalents, at ``tax_rates``); net cost = cost − co-benefit.
    ``city_totals`` (CO2e t, APeq t of the city) places the measure on the co-control
    coordinates relative to the city."""
    ctx = Context(library, grid_region=grid_region)
    before, ids_b = _emissions(measure.remove, ctx)
    after, ids_a = _emissions(measure.add, ctx)
    keys = set(before) | set(after)
    reduction: dict[str, float] = defaultdict(float)
    co2e = co2e_direct = 0.0
    for substance, scope, activity in keys:
        key = (substance, scope, activity)
        cut = before.get(key, 0.0) - after.get(key, 0.0)
        if scope == "direct":
            reduction[substance] += cut
        if substance in GHGS:
            co2e += cut * potential(gwp, substance, activity)
            if scope == "direct":
                co2e_direct += cut * potential(gwp, substance, activity)
    ap = apeq(reduction)
    cost = measure.cost_cny
    co_benefit = _tax(before, tax_rates) - _tax(after, tax_rates)
    net = cost - co_benefit if cost is not None else None
    coords = None
    if city_totals is not None:
        g0, p0 = city_totals
        coords = co_control((g0, g0 - co2e), (p0, p0 - ap))
    return Effect(
        measure=measure,
        reduction=dict(reduction),
        co2e_reduction=co2e,
        co2e_reduction_direct=co2e_direct,
        apeq_reduction=ap,
        cost_per_t_co2e=_per(cost, co2e),
        cost_per_t_apeq=_per(cost, ap),
        net_cost=net,
        net_cost_per_t_co2e=_per(net, co2e),
        co_benefit_cny=co_benefit,
        coordinates=coords,
        factor_ids=tuple(sorted(ids_b | ids_a)),
    )


def _tax(emitted: Mapping[tuple[str, str, str], float], rates: TaxRates) -> float:
    """The environmental tax (CNY/yr) of the direct air and water pollutants of some rows."""
    by: dict[str, float] = defaultdict(float)
    for (substance, scope, _), tonnes in emitted.items():
        if scope == "direct":
            by[substance] += tonnes
    return sum(outlet_tax(by, medium, rates).total for medium in ("air", "water"))


def _per(cost: float | None, amount: float) -> float | None:
    if cost is None:
        return None
    return cost / amount if amount > 0 else math.inf


def effects(
    measures: MeasureSet | None = None,
    library: FactorLibrary | None = None,
    *,
    city_totals: tuple[float, float] | None = None,
    grid_region: str = DEFAULT_GRID_REGION,
) -> list[Effect]:
    """Effects of every measure of the set (default: the shipped set and factor library)."""
    ms = measures or load_measures()
    lib = library or FactorLibrary.load()
    gwp = load_gwp(ms.gwp)
    rates = load_tax_rates(ms.tax_province)
    return [
        effect(m, lib, gwp, rates, city_totals=city_totals, grid_region=grid_region)
        for m in ms.measures
    ]


@dataclass(frozen=True)
class CurveStep:
    """One bar of the MAC curve: width in t CO2e, height in CNY per t, cumulative start."""

    measure_id: str
    start: float
    width: float
    height: float


def mac_curve(items: Sequence[Effect], *, net: bool = True) -> list[CurveStep]:
    """Marginal abatement cost curve: measures that cut CO2e, cheapest first; heights are the
    net cost per t CO2e (after the co-benefit) or the gross cost with ``net=False``."""
    usable = [
        e
        for e in items
        if e.co2e_reduction > 0
        and (e.net_cost_per_t_co2e if net else e.cost_per_t_co2e) is not None
    ]
    usable.sort(key=lambda e: float((e.net_cost_per_t_co2e if net else e.cost_per_t_co2e) or 0.0))
    steps, start = [], 0.0
    for e in usable:
        height = float((e.net_cost_per_t_co2e if net else e.cost_per_t_co2e) or 0.0)
        steps.append(CurveStep(e.measure.id, start, e.co2e_reduction, height))
        start += e.co2e_reduction
    return steps
