"""Indicators that follow from an inventory, and their link to the plan's targets.

Definitions (``docs/methods/inventory.md``):

- ``co2_energy`` (t): end-use energy CO2 = direct CO2 of fuel combustion outside power and heat
  plants + the CO2 of activities whose reductant coal is counted as energy (a ``coal_input``
  parameter, e.g. BF-BOF steel) + indirect CO2 of electricity and heat consumed (power and
  heat plants' emissions reach the users through the grid and heat factors, so nothing is
  counted twice).
- ``co2_intensity_gdp`` (t / 万元): ``co2_energy`` / GDP at comparable 2020 prices.
- ``energy_consumption`` (tce): the published total where the statistics give one, else the
  fuel energy of the inventory (AD × NCV) plus net electricity inflow (consumption − in-city
  generation) at the calorific equivalent of the factor library (``energy_equivalent``;
  shipped: 0.1229 kgce / kWh, GB/T 2589-2020).
- ``energy_intensity_gdp`` (tce / 万元): energy consumption / GDP at comparable 2020 prices.
- ``coal_share_energy`` (%): energy of coal-type fuels (AD × NCV, plus reductant coal given as a
  ``coal_input`` parameter) / energy consumption.
- ``nox_emissions_total``, ``vocs_emissions_total``, ``cod_emissions_total``,
  ``nh3n_emissions_total`` (t): direct totals of NOx, VOCs, COD and NH3-N.

A target is fed by the indicator whose id equals the target's ``indicator_id``; values are
converted to the target's unit with pint.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from xietong.accounting.activity import Activity
from xietong.accounting.inventory import Inventory, period_end
from xietong.accounting.methods.base import Emission, product_factor
from xietong.errors import ImportRejected, RowProblem, UnitError
from xietong.plan.models import Plan
from xietong.plan.progress import ProgressRecord
from xietong.units import Q_, convert, parse_unit

COAL_FUELS = frozenset({"raw_coal", "bituminous_coal", "anthracite", "washed_coal", "coke"})
POWER_HEAT = frozenset({"power", "heat"})


def electricity_tce_per_mwh(inv: Inventory) -> float:
    """Calorific equivalent of electricity (tce/MWh) from the factor library (substance
    ``energy_equivalent``; shipped: GB/T 2589-2020, 0.1229 kgce/kWh)."""
    f = inv.library.select("energy_equivalent", activity="electricity", fuel="electricity").factor
    return float(f.quantity.to("tce / MWh").magnitude)


POLLUTANT_TOTALS = {
    "nox_emissions_total": "NOx",
    "vocs_emissions_total": "VOCs",
    "cod_emissions_total": "COD",
    "nh3n_emissions_total": "NH3-N",
}


@dataclass(frozen=True)
class Statistic:
    """A statistic of one year (GDP, population, energy consumption …) of the city or of one
    district (``district``; ``city`` for the whole city), with its source."""

    year: int
    indicator: str
    value: float
    unit: str
    source: str
    quality: str
    district: str = "city"

    def to(self, unit: str) -> float:
        """The value converted to ``unit``."""
        return convert(self.value, self.unit, unit)


def read_statistics(path: Path) -> list[Statistic]:
    """Statistics from a CSV (``year,indicator,value,unit,source,quality`` and an optional
    ``district`` column, default ``city``), all or nothing: ImportRejected names every bad
    row."""
    problems: list[RowProblem] = []
    out: list[Statistic] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                value = float(row["value"])
                if not math.isfinite(value):
                    raise ValueError
            except (ValueError, TypeError):
                problems.append(RowProblem(n, "value", f"'{row.get('value')}' is not a number"))
                continue
            try:
                parse_unit(row["unit"])
            except UnitError as exc:
                problems.append(RowProblem(n, "unit", str(exc)))
                continue
            try:
                year = int(row["year"])
            except (ValueError, TypeError):
                problems.append(RowProblem(n, "year", f"'{row.get('year')}' is not a year"))
                continue
            out.append(
                Statistic(
                    year,
                    row["indicator"],
                    value,
                    row["unit"],
                    row.get("source", ""),
                    row.get("quality", ""),
                    row.get("district") or "city",
                )
            )
    if problems:
        raise ImportRejected(path.name, problems)
    return out


def energy_of(e: Emission) -> float | None:
    """Fuel energy (GJ) of a combustion CO2 emission: the product of its terms up to the NCV."""
    names = [t.name for t in e.terms]
    if e.substance != "CO2" or "NCV" not in names:
        return None
    upto = e.terms[: names.index("NCV") + 1]
    return math.prod(t.value for t in upto) * product_factor(tuple(t.unit for t in upto), "GJ")


def in_co2_energy(a: Activity, e: Emission) -> bool:
    """Whether an emission counts in ``co2_energy`` (end-use energy CO2, module docstring)."""
    return e.substance == "CO2" and (
        e.scope == "indirect"
        or (energy_of(e) is not None and a.subsector not in POWER_HEAT)
        or a.parameter("coal_input") is not None
    )


def energy_by_year(inv: Inventory) -> dict[int, dict[str, float]]:
    """Fuel energy (tce) by year: ``total``, ``coal`` and ``electricity_mwh`` consumed.

    Coal used as a reductant (coke and PCI coal of the steelworks, whose CO2 is in the process
    factor of crude steel) is counted from the ``coal_input`` parameter (tce per t of output)
    of the activity rows that give one.
    """
    out: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    tce_per_gj = 1 / float(Q_(1, "tce").to("GJ").magnitude)
    for r in inv.rows:
        year = r.activity.year
        gj = energy_of(r.emission)
        if gj is not None and r.emission.scope == "direct":
            out[year]["total"] += gj * tce_per_gj
            fuel = r.activity.kind.fuel or ""
            if fuel in COAL_FUELS:
                out[year]["coal"] += gj * tce_per_gj
        if r.activity.activity == "electricity":
            out[year]["electricity_mwh"] += float(r.activity.quantity.to("MWh").magnitude)
    for act in {id(r.activity): r.activity for r in inv.rows}.values():
        coal_input = act.parameter("coal_input")
        if coal_input is not None:
            tce = float((act.quantity * coal_input).to("tce").magnitude)
            out[act.year]["coal"] += tce
            out[act.year]["total"] += tce
    return out


def _by_year(stats: Iterable[Statistic], indicator: str) -> dict[int, Statistic]:
    return {s.year: s for s in stats if s.indicator == indicator}


def compute_indicators(
    inv: Inventory, statistics: Sequence[Statistic], *, district: str = "city"
) -> pd.DataFrame:
    """Indicators by year (columns ``year, indicator_id, value, unit, basis``) from the
    inventory and the statistics of ``district`` (``city``: the city-wide statistics)."""
    statistics = [s for s in statistics if s.district == district]
    energy = energy_by_year(inv)
    gdp, index = _by_year(statistics, "gdp"), _by_year(statistics, "gdp_real_index")
    official = _by_year(statistics, "energy_consumption")
    generation = _by_year(statistics, "electricity_generation")
    co2_enduse: dict[int, float] = defaultdict(float)
    pollutants: dict[tuple[int, str], float] = defaultdict(float)
    for r in inv.rows:
        e, a = r.emission, r.activity
        if in_co2_energy(a, e):
            co2_enduse[a.year] += e.tonnes
        if e.scope == "direct":
            pollutants[(a.year, e.substance)] += e.tonnes
    rows: list[tuple[int, str, float, str, str]] = []
    for year in inv.years:
        rows.append((year, "co2_energy", co2_enduse[year], "t", "end-use energy CO2"))
        for ind, sub in POLLUTANT_TOTALS.items():
            rows.append((year, ind, pollutants[(year, sub)], "t", f"direct {sub} total"))
        fuel = energy.get(year, {})
        if year in official:
            stat = official[year]
            kind = (
                "published" if stat.quality == "statistic" else f"statistics file ({stat.quality})"
            )
            total, basis = stat.to("tce"), f"{kind}: {stat.source}"
        else:
            inflow = fuel.get("electricity_mwh", 0.0)
            if year in generation:
                inflow -= generation[year].to("MWh")
            per_mwh = electricity_tce_per_mwh(inv)
            total = fuel.get("total", 0.0) + max(inflow, 0.0) * per_mwh
            basis = f"computed: fuel AD × NCV + net electricity inflow × {per_mwh:g} tce/MWh"
        rows.append((year, "energy_consumption", total, "tce", basis))
        if total > 0:
            rows.append(
                (
                    year,
                    "coal_share_energy",
                    100 * fuel.get("coal", 0.0) / total,
                    "percent",
                    "coal-type fuels AD × NCV / energy consumption",
                )
            )
        if 2020 in gdp and year in index:
            real = gdp[2020].to("wan * CNY") * index[year].to("dimensionless") / 100
            rows.append((year, "gdp_real_2020", real, "wan * CNY", "GDP 2020 × real index / 100"))
            rows.append(
                (
                    year,
                    "co2_intensity_gdp",
                    co2_enduse[year] / real,
                    "t / (wan * CNY)",
                    "co2_energy / GDP at 2020 prices",
                )
            )
            rows.append(
                (
                    year,
                    "energy_intensity_gdp",
                    total / real,
                    "tce / (wan * CNY)",
                    "energy consumption / GDP at 2020 prices",
                )
            )
    return pd.DataFrame(rows, columns=["year", "indicator_id", "value", "unit", "basis"])


def progress_from_indicators(
    indicators: pd.DataFrame, plan: Plan, *, evidence: str, demo: bool = False
) -> list[ProgressRecord]:
    """Progress records of every plan target whose ``indicator_id`` the indicators give
    (linked by id, converted to the target's unit), one per year."""
    out: list[ProgressRecord] = []
    by_id = {k: g for k, g in indicators.groupby("indicator_id")}
    for target in plan.targets:
        group = by_id.get(target.indicator_id)
        if group is None:
            continue
        for year, value, unit in group[["year", "value", "unit"]].itertuples(index=False):
            out.append(
                ProgressRecord(
                    target_id=target.id,
                    period_end=period_end(int(year)),
                    value=convert(float(value), str(unit), target.unit),
                    reported_by="inventory",
                    evidence=f"{evidence}; indicator {target.indicator_id}",
                    demo=demo,
                )
            )
    return out
