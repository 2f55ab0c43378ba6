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

from xietong.accounting.indicators import Statistic, compute_indicators, energy_of
from xietong.accounting.inventory import Inventory
from xietong.synergy.decomposition import Decomposition, kaya


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
