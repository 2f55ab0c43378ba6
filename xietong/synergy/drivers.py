"""Drivers of the change in a city's combustion emissions between two years: the LMDI-I Kaya
decomposition (:func:`xietong.synergy.decomposition.kaya`) fed from an inventory and the city
statistics.

Scope: direct emissions of fuel combustion (all sectors; the activities whose CO2 carries an
NCV in its trace), by fuel. ``V = P × (G/P) × (E/G) × (E_f/E) × (V_f/E_f)`` with population P,
GDP at 2020 prices G, fuel energy E (GJ, ``AD × NCV``) and the emission V of a substance
(CO2 or a pollutant: then the last factor is the emission factor including end-of-pipe
control).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from xietong.accounting.activity import Activity
from xietong.accounting.indicators import Statistic, compute_indicators, energy_of
from xietong.accounting.inventory import Inventory
from xietong.synergy.decomposition import Decomposition, kaya, lmdi


def combustion_by_fuel(inv: Inventory, substance: str, year: int) -> dict[str, tuple[float, float]]:
    """(energy GJ, emission t of ``substance``) of fuel combustion by fuel in ``year``."""
    energy: dict[str, float] = defaultdict(float)
    emission: dict[str, float] = defaultdict(float)
    for r in inv.rows:
        a, e = r.activity, r.emission
        if a.year != year or e.scope != "direct":
            continue
        fuel = a.kind.fuel
        if fuel is None or a.kind.method != "fuel_combustion":
            continue
        gj = energy_of(e)
        if gj is not None:
            energy[fuel] += gj
        if e.substance == substance:
            emission[fuel] += e.tonnes
    return {f: (energy[f], emission[f]) for f in energy}


def decompose(
    inv: Inventory, statistics: Sequence[Statistic], substance: str, year0: int, year1: int
) -> Decomposition:
    """LMDI-I drivers of the change in combustion ``substance`` from ``year0`` to ``year1``."""
    pop = {s.year: s.to("person") for s in statistics if s.indicator == "population"}
    ind = compute_indicators(inv, statistics)
    gdp = {
        int(y): float(v)
        for y, i, v in ind[["year", "indicator_id", "value"]].itertuples(index=False)
        if i == "gdp_real_2020"
    }
    for y in (year0, year1):
        if y not in pop or y not in gdp:
            raise ValueError(f"{y}: population or GDP missing from the statistics")
    f0, f1 = combustion_by_fuel(inv, substance, year0), combustion_by_fuel(inv, substance, year1)
    for y, f in ((year0, f0), (year1, f1)):
        if not any(v[0] > 0 for v in f.values()):
            raise ValueError(f"{y}: the inventory has no fuel combustion to decompose")
    fuels = sorted(set(f0) | set(f1))
    e0 = sum(v[0] for v in f0.values())
    e1 = sum(v[0] for v in f1.values())
    by_fuel = {
        f: (
            (f0.get(f, (0.0, 0.0))[0], f1.get(f, (0.0, 0.0))[0]),
            (f0.get(f, (0.0, 0.0))[1], f1.get(f, (0.0, 0.0))[1]),
        )
        for f in fuels
    }
    return kaya((pop[year0], pop[year1]), (gdp[year0], gdp[year1]), (e0, e1), by_fuel)


INDUSTRIES = {
    "agriculture": "primary",
    "energy_industries": "secondary",
    "industry": "secondary",
    "industrial_processes": "secondary",
    "transport": "tertiary",
    "buildings": "tertiary",
    "waste": "tertiary",
    "wastewater": "tertiary",
}
"""The 三次产业 each inventory sector's emissions belong to (the national industry
classification, GB/T 4754: transport, services and the public utilities of waste and
wastewater are tertiary); households (buildings / residential) and forestry sinks aside."""

OUTPUTS = {"primary": "gdp_primary", "secondary": "gdp_secondary", "tertiary": "gdp_tertiary"}
"""The statistic of each industry's value added."""

STRUCTURAL_FACTORS = (
    "activity",
    "structure",
    "intensity",
    "population",
    "household_intensity",
    "energy_mix",
    "emission_factor",
)
"""The factors of :func:`structural_drivers`, in order."""


def industry_of(a: Activity) -> str | None:
    """The 三次产业 of an activity row, ``households`` for residential buildings, None for
    forestry (sinks, outside the decomposition)."""
    if a.sector == "buildings" and a.subsector == "residential":
        return "households"
    return INDUSTRIES.get(a.sector)


def _sources(inv: Inventory, substance: str, year: int) -> dict[tuple[str, str], list[float]]:
    """(industry, source) → [energy GJ, emission t of ``substance``] of ``year``'s direct
    emissions: a fuel's combustion rows (energy ``AD × NCV`` from each row's CO2) or, for a
    row without fuel energy, its activity as a process source (a negative term of a mass
    balance, e.g. the carbon kept in steel, nets within its source). Forestry (sinks) is left
    out; a source whose net is negative is refused (ValueError)."""
    rows = [r for r in inv.rows if r.activity.year == year and r.emission.scope == "direct"]
    burnt = {
        id(r.activity)
        for r in rows
        if r.activity.kind.fuel is not None and energy_of(r.emission) is not None
    }
    out: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in rows:
        a, e = r.activity, r.emission
        group = industry_of(a)
        if group is None:
            continue
        if id(a) in burnt:
            key = (group, f"fuel:{a.kind.fuel}")
            gj = energy_of(e)
            if gj is not None:
                out[key][0] += gj
        else:
            key = (group, f"process:{a.activity}")
        if e.substance == substance:
            out[key][1] += e.tonnes
    negative = sorted(f"{g} {src}" for (g, src), (_, c) in out.items() if c < 0)
    if negative:
        raise ValueError(f"{year}: net negative {substance} of {', '.join(negative)}")
    return dict(out)


def structural_drivers(
    inv: Inventory, statistics: Sequence[Statistic], substance: str, year0: int, year1: int
) -> Decomposition:
    """LMDI-I of :func:`structural_terms` (factors :data:`STRUCTURAL_FACTORS`)."""
    return lmdi(STRUCTURAL_FACTORS, *structural_terms(inv, statistics, substance, year0, year1))


def structural_terms(
    inv: Inventory, statistics: Sequence[Statistic], substance: str, year0: int, year1: int
) -> tuple[list[list[float]], list[list[float]]]:
    """Multi-sector LMDI-I of all direct emissions of ``substance`` (every category but
    forestry sinks) between two years, with the structure of the economy (Ang 2015, the IDA
    identity; ``docs/methods/synergy.md``). Production, by 三次产业 ``g`` and source ``f``:
    ``Q × Q_g/Q × E_g/Q_g × E_gf/E_g × C_gf/E_gf`` (Q real GDP, Q_g its share by the
    industries' value added at current prices, E fuel energy GJ); a process source (no fuel
    energy) is ``Q × Q_g/Q × C/Q_g``. Households (residential buildings): ``P × E_h/P ×
    E_hf/E_h × C_hf/E_hf``. Returns the factor values of every (group, source) term in the
    base and the final year, in the order of :data:`STRUCTURAL_FACTORS`; their LMDI effects
    sum exactly to the change. ValueError names what is missing (a year's value added by
    industry, population or real GDP)."""
    pop = {
        s.year: s.to("person")
        for s in statistics
        if s.indicator == "population" and s.district == "city"
    }
    ind = compute_indicators(inv, statistics)
    gdp = {
        int(y): float(v)
        for y, i, v in ind[["year", "indicator_id", "value"]].itertuples(index=False)
        if i == "gdp_real_2020"
    }
    added = {
        (s.year, s.indicator): s.to("yi * CNY")
        for s in statistics
        if s.district == "city" and s.indicator in OUTPUTS.values()
    }
    output: dict[int, dict[str, float]] = {}
    for y in (year0, year1):
        lacking = [v for v in OUTPUTS.values() if (y, v) not in added]
        if lacking or y not in gdp or y not in pop:
            what = ", ".join(
                [
                    *lacking,
                    *(["real GDP"] if y not in gdp else []),
                    *(["population"] if y not in pop else []),
                ]
            )
            raise ValueError(f"{y}: the statistics lack {what} (value added by 三次产业)")
        nominal = {g: added[(y, v)] for g, v in OUTPUTS.items()}
        total = sum(nominal.values())
        output[y] = {g: gdp[y] * v / total for g, v in nominal.items()}
    src = {y: _sources(inv, substance, y) for y in (year0, year1)}
    keys = sorted(
        k
        for k in set(src[year0]) | set(src[year1])
        if any(src[y].get(k, [0, 0])[1] > 0 for y in src)
    )
    if not keys:
        raise ValueError(f"no direct {substance} emission in {year0} or {year1}")
    periods: list[list[list[float]]] = []
    for y in (year0, year1):
        energy: dict[str, float] = defaultdict(float)
        for (group, source), (gj, _) in src[y].items():
            if source.startswith("fuel:"):
                energy[group] += gj
        rows = []
        for group, source in keys:
            gj, c = src[y].get((group, source), [0.0, 0.0])
            fuel = source.startswith("fuel:")
            ef = c / gj if gj else 0.0
            mix = gj / energy[group] if energy[group] else 0.0
            if group == "households":
                p = pop[y]
                if fuel:
                    rows.append([1.0, 1.0, 1.0, p, energy[group] / p, mix, ef])
                else:
                    rows.append([1.0, 1.0, 1.0, p, 1.0, 1.0, c / p])
                continue
            q, qg = gdp[y], output[y][group]
            if fuel:
                rows.append([q, qg / q, energy[group] / qg, 1.0, 1.0, mix, ef])
            else:
                rows.append([q, qg / q, 1.0, 1.0, 1.0, 1.0, c / qg])
        periods.append(rows)
    return periods[0], periods[1]
