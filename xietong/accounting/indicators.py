"""Indicators that follow from an inventory, and their link to the plan's targets.

Definitions (``docs/methods/inventory.md``):

- ``co2_energy`` (t): end-use energy CO2 = direct CO2 of fuel combustion outside power and heat
  plants (the steelworks' coking and PCI coal of ``steel_reductant`` rows included) + the CO2
  of a user's activity whose reductant coal is counted as energy by a ``coal_input``
  parameter + indirect CO2 of electricity and heat consumed (power and
  heat plants' emissions reach the users through the grid and heat factors, so nothing is
  counted twice).
- ``co2_official`` (t): the official caliber of the plan's 单位GDP二氧化碳排放 target (the
  national intensity-target method: CO2 of fossil energy consumed in the territory plus the CO2
  of net imported electricity) = direct CO2 of fuel combustion in every subsector, power and
  heat plants included + the CO2 of activities whose reductant coal is counted as energy + the
  grid-factor CO2 of all electricity consumed − the grid-factor CO2 of the electricity
  generated in the city (so the net import is counted at the grid factor; a net export is
  deducted). Generation is the city's ``electricity_generation`` statistic of the year where
  there is one, else each power-plant fuel row's energy ÷ its heat rate (row parameter
  ``heat_rate``, else the library's ``heat_rate``: CEC, national average supply coal rate).
  Heat is counted where it is made (the heat plants' fuel), never as purchased heat.
- ``co2_intensity_gdp`` (t / 万元): ``co2_official`` / GDP at comparable 2020 prices.
- ``energy_consumption`` (tce): the published total where the statistics give one, else the
  fuel energy of the inventory (AD × NCV) plus net electricity inflow (consumption − in-city
  generation) at the calorific equivalent of the factor library (``energy_equivalent``;
  shipped: 0.1229 kgce / kWh, GB/T 2589-2020).
- ``energy_intensity_gdp`` (tce / 万元): energy consumption / GDP at comparable 2020 prices.
- ``coal_share_energy`` (%): energy of coal-type fuels (AD × NCV of every emission whose NCV is a
  coal's, reductant rows included, plus reductant coal given as a ``coal_input`` parameter) /
  energy consumption.
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
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from xietong.accounting.activity import Activity
from xietong.accounting.factors import FactorError, FactorLibrary
from xietong.accounting.grid import GridYear, grid_year
from xietong.accounting.inventory import Inventory, period_end
from xietong.accounting.methods.base import Emission, product_factor
from xietong.errors import ImportRejected, RowProblem, UnitError
from xietong.plan.models import Plan, ValueSource
from xietong.plan.progress import ProgressRecord, Quality, worst_quality
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
    assumes: frozenset[str] = frozenset()

    def to(self, unit: str) -> float:
        """The value converted to ``unit``."""
        return convert(self.value, self.unit, unit)


def read_statistics(path: Path) -> list[Statistic]:
    """Statistics from a CSV (``year,indicator,value,unit,source,quality`` and optional
    ``district`` (default ``city``) and ``assumes`` columns), all or nothing: ImportRejected
    names every bad row. ``assumes`` lists (``;``-separated) the indicators whose value the
    figure was made from by assumption: an indicator computed from such a figure is circular
    and gets quality ``assumed``."""
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
                    frozenset(
                        i.strip() for i in (row.get("assumes") or "").split(";") if i.strip()
                    ),
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


def heat_rate(a: Activity, library: FactorLibrary) -> float:
    """Fuel energy per electricity generated (GJ / MWh) of a power-plant row: its ``heat_rate``
    parameter (e.g. ``0.300 kgce / kWh``), else the library's ``heat_rate`` factor of the
    row's year (shipped: CEC, national average supply coal rate of thermal power)."""
    own = a.parameter("heat_rate")
    if own is not None:
        return float(own.to("GJ / MWh").magnitude)
    f = library.select("heat_rate", year=a.year, activity="electricity", fuel="electricity")
    return float(f.factor.quantity.to("GJ / MWh").magnitude)


def generation_of(a: Activity, e: Emission, library: FactorLibrary) -> float | None:
    """Electricity (MWh) generated by the fuel of a power-plant combustion CO2 emission: its
    fuel energy ÷ :func:`heat_rate`; None for any other emission."""
    energy = energy_of(e) if a.subsector == "power" and e.scope == "direct" else None
    return None if energy is None else energy / heat_rate(a, library)


def in_co2_official(a: Activity, e: Emission) -> bool:
    """Whether an emission counts in ``co2_official`` before the generation credit (module
    docstring): fuel-combustion CO2 of any subsector, CO2 of reductant rows, and the
    grid-factor CO2 of electricity consumed."""
    if e.substance != "CO2":
        return False
    if e.scope == "indirect":
        return any(t.name == "EF_grid" for t in e.terms)
    return energy_of(e) is not None or a.parameter("coal_input") is not None


def official_co2(a: Activity, e: Emission, library: FactorLibrary, grid_t_per_mwh: float) -> float:
    """What an emission adds to ``co2_official`` (t), with the row's generation credit: a
    power-plant row's fuel CO2 less the grid-factor CO2 (``grid_t_per_mwh``, t/MWh of the
    row's year and region) of the electricity it generated, which the users' consumption
    already counts. The sum over a year's rows is ``co2_official`` where generation comes
    from the rows (no ``electricity_generation`` statistic)."""
    if not in_co2_official(a, e):
        return 0.0
    generated = generation_of(a, e, library)
    return e.tonnes - (generated or 0.0) * grid_t_per_mwh


class _Facts(NamedTuple):
    """What the indicators need of one emission (per unit of its row's amount)."""

    energy: float | None
    enduse: bool
    official: bool
    generated: float | None
    coal: bool


def burns_coal(e: Emission, library: FactorLibrary) -> bool:
    """Whether a fuel-combustion emission burns a coal-type fuel (its NCV is a coal's): a
    reductant row (``steel_reductant``) burns coking and PCI coal though its activity is
    not a fuel."""
    for t in e.terms:
        if t.name == "NCV" and t.factor_id:
            return library.get(t.factor_id).applies.get("fuel") in COAL_FUELS
    return False


def row_facts(inv: Inventory) -> pd.DataFrame:
    """What the indicators need of each emission row (:func:`_row_facts`), computed once per
    inventory: the indicators, the energy balance, the official caliber and the pages share
    it."""
    return inv.derived(("row_facts",), lambda: _row_facts(inv))


def _row_facts(inv: Inventory) -> pd.DataFrame:
    """What the indicators need of each emission row, in columns: ``year, substance, direct,
    value, quality`` (the activity's flag), ``gj`` (fuel energy, NaN where none),
    ``co2_energy`` (counts in end-use energy CO2), ``official`` (counts in ``co2_official``
    before the generation credit), ``generation_mwh`` (electricity generated by a power-plant
    fuel row, NaN where none), ``coal_fuel``, ``electricity_mwh`` (the row's activity amount
    if it is electricity, else NaN) and ``coal_input``.

    A template row's energy is its amount × the energy of one unit of its template (the
    methods are linear in the amount), so terms are read once per template, never per row;
    a series row is read whole."""
    frame = inv.frame()
    ns = frame["n"].to_numpy()
    used = np.unique(ns)
    acts = inv.activities
    amount = {int(n): acts[int(n)].amount for n in used}
    per_n = pd.DataFrame(
        {
            "quality": [acts[int(n)].quality for n in used],
            "coal_fuel": [(acts[int(n)].kind.fuel or "") in COAL_FUELS for n in used],
            "electricity_mwh": [
                acts[int(n)].amount * product_factor((acts[int(n)].unit,), "MWh")
                if acts[int(n)].activity == "electricity"
                else math.nan
                for n in used
            ],
            "coal_input": [acts[int(n)].parameter("coal_input") is not None for n in used],
        },
        index=used,
    )
    out = per_n.reindex(ns).reset_index(drop=True)
    gj = np.full(len(frame), math.nan)
    generation = np.full(len(frame), math.nan)
    in_energy = np.zeros(len(frame), dtype=bool)
    in_official = np.zeros(len(frame), dtype=bool)
    coal = out["coal_fuel"].to_numpy(dtype=bool).copy()
    unit_facts: dict[tuple[int, int], _Facts] = {}
    templates = frame["template"].to_numpy()
    ks = frame["k"].to_numpy()
    library = inv.library

    def facts_of(a: Activity, e: Emission) -> _Facts:
        return _Facts(
            energy_of(e),
            in_co2_energy(a, e),
            in_co2_official(a, e),
            generation_of(a, e, library),
            burns_coal(e, library),
        )

    def put(i: int, f: _Facts, amount: float) -> None:
        in_energy[i], in_official[i] = f.enduse, f.official
        coal[i] = coal[i] or f.coal
        if f.energy is not None:
            gj[i] = f.energy * amount
        if f.generated is not None:
            generation[i] = f.generated * amount

    for i in np.flatnonzero(templates < 0):  # series rows: their own terms
        put(int(i), facts_of(acts[int(ns[i])], inv.row(int(i)).emission), 1.0)
    linear = np.flatnonzero(templates >= 0)
    tid = {int(n): inv.template_of(int(n)) for n in np.unique(ns[linear])}
    for i in linear:
        n, k = int(ns[i]), int(ks[i])
        key = (tid[n], k)
        facts = unit_facts.get(key)
        if facts is None:
            facts = unit_facts[key] = facts_of(acts[n], inv.unit_emission(n, k))
        put(int(i), facts, amount[n])
    out["year"] = frame["year"].to_numpy()
    out["substance"] = frame["substance"].to_numpy()
    out["direct"] = (frame["scope"] == "direct").to_numpy()
    out["value"] = frame["value"].to_numpy(dtype=float)
    out["gj"] = gj
    out["coal_fuel"] = coal
    out["co2_energy"] = in_energy
    out["official"] = in_official
    out["generation_mwh"] = generation
    return out


def energy_by_year(
    inv: Inventory, facts: pd.DataFrame | None = None
) -> dict[int, dict[str, float]]:
    """Fuel energy (tce) by year: ``total``, ``coal`` and ``electricity_mwh`` consumed.

    The energy is AD × NCV of every direct fuel CO2 emission (the steelworks' coking and PCI
    coal of ``steel_reductant`` rows included; coal where the NCV is a coal's), plus the coal
    a user's row gives as a ``coal_input`` parameter (tce per t of output, for a reductant
    whose CO2 sits in a process factor).
    """
    f = row_facts(inv) if facts is None else facts
    out: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    tce_per_gj = 1 / float(Q_(1, "tce").to("GJ").magnitude)
    fuel = f[f["direct"] & f["gj"].notna()]
    for year, gj in _sums(fuel, "gj").items():
        out[year]["total"] += gj * tce_per_gj
    for year, gj in _sums(fuel[fuel["coal_fuel"]], "gj").items():
        out[year]["coal"] += gj * tce_per_gj
    for year, mwh in _sums(f[f["electricity_mwh"].notna()], "electricity_mwh").items():
        out[year]["electricity_mwh"] += mwh
    for n in np.unique(inv.frame()["n"].to_numpy()):
        act = inv.activities[int(n)]
        coal_input = act.parameter("coal_input")
        if coal_input is not None:
            tce = float((act.quantity * coal_input).to("tce").magnitude)
            out[act.year]["coal"] += tce
            out[act.year]["total"] += tce
    return out


@dataclass(frozen=True)
class OfficialCO2:
    """One year of the official CO2 caliber (module docstring), in its parts (t, MWh):
    ``fuel`` (direct fuel-combustion and reductant CO2 of every subsector), ``electricity``
    (grid-factor CO2 of all electricity consumed), ``generation_mwh`` generated in the city and
    where that figure comes from (``generation_basis``), the published grid factor of the
    year (``grid``; None where the library has none and none is needed) and the factor the
    consumption was counted with (``t_per_mwh``: the electricity rows' CO2 ÷ MWh, which
    differs from ``grid`` where a scenario lever changes the factor; ``grid``'s where the
    year has no electricity row)."""

    year: int
    fuel: float
    electricity: float
    generation_mwh: float
    generation_basis: str
    grid: GridYear | None
    t_per_mwh: float

    @property
    def generation_co2(self) -> float:
        """Grid-factor CO2 (t) of the electricity generated in the city."""
        return self.generation_mwh * self.t_per_mwh

    @property
    def net_import(self) -> float:
        """CO2 (t) of net imported electricity (negative: net export)."""
        return self.electricity - self.generation_co2

    @property
    def total(self) -> float:
        """``co2_official`` (t)."""
        return self.fuel + self.net_import


def enduse_by_year(inv: Inventory) -> dict[int, float]:
    """``co2_energy`` (t, end-use energy CO2) by year."""
    f = row_facts(inv)
    return _sums(f[f["co2_energy"]], "value")


def generation_by_year(inv: Inventory) -> dict[int, float]:
    """Electricity generated in the city (MWh) by year, from the power-plant rows' fuel energy
    ÷ heat rate (:func:`generation_of`)."""
    f = row_facts(inv)
    return _sums(f[f["generation_mwh"].notna()], "generation_mwh")


def official_by_year(
    inv: Inventory,
    statistics: Sequence[Statistic] = (),
    *,
    district: str = "city",
) -> dict[int, OfficialCO2]:
    """The official CO2 caliber of each year of ``inv`` in its parts; generation is the
    ``electricity_generation`` statistic of ``district`` where the year has one, else the
    power-plant rows' fuel energy ÷ heat rate."""
    f = row_facts(inv)
    rows = f[f["official"]]
    fuel = _sums(rows[rows["direct"]], "value")
    electricity = _sums(rows[~rows["direct"]], "value")
    generated = generation_by_year(inv)
    stats = _by_year([s for s in statistics if s.district == district], "electricity_generation")
    bought = f[f["electricity_mwh"].notna() & (f["substance"] == "CO2") & ~f["direct"]]
    bought_co2, bought_mwh = _sums(bought, "value"), _sums(bought, "electricity_mwh")
    opts = inv.options
    out = {}
    for year in inv.years:
        try:
            grid: GridYear | None = grid_year(inv.library, opts.grid_region, year, opts.editions)
        except FactorError:
            grid = None
        mwh_bought = bought_mwh.get(year, 0.0)
        if year in stats:
            mwh, basis = stats[year].to("MWh"), f"statistic: {stats[year].source}"
        else:
            mwh = generated.get(year, 0.0)
            basis = "power-plant fuel energy ÷ heat rate (row heat_rate, else library heat_rate)"
        if mwh_bought > 0:
            factor = bought_co2[year] / mwh_bought
        elif grid is not None:
            factor = grid.t_per_mwh
        elif mwh == 0:
            factor = 0.0  # neither consumption nor generation: no factor is needed
        else:
            raise FactorError(
                f"{year}: electricity is generated in the city but the factor library has no "
                f"grid factor for region {opts.grid_region}, so its net import cannot be counted"
            )
        out[year] = OfficialCO2(
            year,
            fuel.get(year, 0.0),
            electricity.get(year, 0.0),
            mwh,
            basis,
            grid,
            factor,
        )
    return out


def _sums(f: pd.DataFrame, column: str) -> dict[int, float]:
    """``column`` summed by year."""
    years, values = _grouped(f.groupby("year")[column].sum())
    return {int(y): float(v) for y, v in zip(years, values, strict=True)}


def _grouped(series: pd.Series) -> tuple[list[Any], list[Any]]:
    return list(series.index), list(series.to_numpy())


def _qualities(f: pd.DataFrame, keys: str | list[str]) -> dict[Any, set[Quality]]:
    """The set of qualities of the rows of each group of ``keys``."""
    index, values = _grouped(f.groupby(keys)["quality"].unique())
    return {k: {quality_of(str(q)) for q in v} for k, v in zip(index, values, strict=True)}


QUALITY_OF_FLAG = {
    "statistic": Quality.STATISTIC,
    "measured": Quality.STATISTIC,
    "reported": Quality.REPORTED,
    "derived": Quality.DERIVED,
    "estimate": Quality.ESTIMATE,
    "demo": Quality.DEMO,
}
"""The quality of an activity row's or a statistic's flag (unknown flags count as estimates)."""


def quality_of(flag: str) -> Quality:
    """The indicator-store quality of an activity or statistics quality flag."""
    return QUALITY_OF_FLAG.get(flag, Quality.ESTIMATE)


def _by_year(stats: Iterable[Statistic], indicator: str) -> dict[int, Statistic]:
    return {s.year: s for s in stats if s.indicator == indicator}


def compute_indicators(
    inv: Inventory, statistics: Sequence[Statistic], *, district: str = "city"
) -> pd.DataFrame:
    """Indicators by year (columns ``year, indicator_id, value, unit, basis, quality``) from
    the inventory and the statistics of ``district`` (``city``: the city-wide statistics).

    ``quality`` is the worst quality of the inputs the value was computed from (at best
    ``derived``), and ``assumed`` when an input statistic was made from an assumption about
    the indicator itself (the statistics' ``assumes`` column): such a value is circular."""
    statistics = [s for s in statistics if s.district == district]
    facts = row_facts(inv)
    energy = energy_by_year(inv, facts)
    gdp, index = _by_year(statistics, "gdp"), _by_year(statistics, "gdp_real_index")
    official = _by_year(statistics, "energy_consumption")
    generation = _by_year(statistics, "electricity_generation")
    energy_rows = facts[facts["co2_energy"]]
    co2_enduse: dict[int, float] = defaultdict(float, enduse_by_year(inv))
    official_co2 = official_by_year(inv, statistics, district=district)
    q_official: dict[int, set[Quality]] = defaultdict(
        set, _qualities(facts[facts["official"] | facts["generation_mwh"].notna()], "year")
    )
    for year, stat in generation.items():
        q_official[year] = {q for q in q_official[year] if q is not Quality.STATISTIC} | {
            quality_of(stat.quality)
        }
    direct = facts[facts["direct"]]
    sums = direct.groupby(["year", "substance"], as_index=False)["value"].sum()
    pollutants: dict[tuple[int, str], float] = defaultdict(float)
    for year, substance, value in zip(sums["year"], sums["substance"], sums["value"], strict=True):
        pollutants[(int(year), str(substance))] = float(value)
    q_co2: dict[int, set[Quality]] = defaultdict(set, _qualities(energy_rows, "year"))
    q_sub: dict[tuple[int, str], set[Quality]] = defaultdict(
        set, _qualities(direct, ["year", "substance"])
    )
    fuel_rows = facts[facts["gj"].notna() | facts["coal_input"]]
    q_fuel: dict[int, set[Quality]] = defaultdict(set, _qualities(fuel_rows, "year"))
    rows: list[tuple[int, str, float, str, str, Quality]] = []

    def worst(*groups: Iterable[Quality]) -> Quality:
        return worst_quality([Quality.DERIVED, *(q for g in groups for q in g)])

    for year in inv.years:
        rows.append(
            (year, "co2_energy", co2_enduse[year], "t", "end-use energy CO2", worst(q_co2[year]))
        )
        caliber = official_co2[year]
        rows.append(
            (
                year,
                "co2_official",
                caliber.total,
                "t",
                "official caliber: fuel CO2 + net imported electricity × grid factor "
                f"({inv.options.grid_region})",
                worst(q_official[year]),
            )
        )
        for ind, sub in POLLUTANT_TOTALS.items():
            rows.append(
                (
                    year,
                    ind,
                    pollutants[(year, sub)],
                    "t",
                    f"direct {sub} total",
                    worst(q_sub[(year, sub)]),
                )
            )
        fuel = energy.get(year, {})
        assumes: frozenset[str] = frozenset()
        if year in official:
            stat = official[year]
            kind = (
                "published" if stat.quality == "statistic" else f"statistics file ({stat.quality})"
            )
            total, basis = stat.to("tce"), f"{kind}: {stat.source}"
            q_energy = {quality_of(stat.quality)}
            assumes = stat.assumes
        else:
            inflow = fuel.get("electricity_mwh", 0.0)
            if year in generation:
                inflow -= generation[year].to("MWh")
            per_mwh = electricity_tce_per_mwh(inv)
            total = fuel.get("total", 0.0) + max(inflow, 0.0) * per_mwh
            basis = f"computed: fuel AD × NCV + net electricity inflow × {per_mwh:g} tce/MWh"
            q_energy = q_fuel[year]

        def checked(indicator: str, quality: Quality, assumes: frozenset[str] = assumes) -> Quality:
            return Quality.ASSUMED if indicator in assumes else quality

        rows.append(
            (
                year,
                "energy_consumption",
                total,
                "tce",
                basis,
                checked("energy_consumption", worst(q_energy)),
            )
        )
        if total > 0:
            rows.append(
                (
                    year,
                    "coal_share_energy",
                    100 * fuel.get("coal", 0.0) / total,
                    "percent",
                    "coal-type fuels AD × NCV / energy consumption",
                    checked("coal_share_energy", worst(q_energy, q_fuel[year])),
                )
            )
        if 2020 in gdp and year in index:
            real = gdp[2020].to("wan * CNY") * index[year].to("dimensionless") / 100
            q_gdp = {quality_of(gdp[2020].quality), quality_of(index[year].quality)}
            rows.append(
                (
                    year,
                    "gdp_real_2020",
                    real,
                    "wan * CNY",
                    "GDP 2020 × real index / 100",
                    worst(q_gdp),
                )
            )
            rows.append(
                (
                    year,
                    "co2_intensity_gdp",
                    caliber.total / real,
                    "t / (wan * CNY)",
                    "co2_official / GDP at 2020 prices",
                    worst(q_official[year], q_gdp),
                )
            )
            rows.append(
                (
                    year,
                    "energy_intensity_gdp",
                    total / real,
                    "tce / (wan * CNY)",
                    "energy consumption / GDP at 2020 prices",
                    checked("energy_intensity_gdp", worst(q_energy, q_gdp)),
                )
            )
    return pd.DataFrame(rows, columns=["year", "indicator_id", "value", "unit", "basis", "quality"])


def progress_from_indicators(
    indicators: pd.DataFrame, plan: Plan, *, evidence: str, demo: bool = False
) -> list[ProgressRecord]:
    """Values of every plan target whose indicator is defined by the inventory and given by
    ``indicators`` (linked by id, converted to the target's unit), one per year, with the
    quality of the ``quality`` column (``estimate`` when there is none; ``demo`` overrides)."""
    out: list[ProgressRecord] = []
    by_id = {k: g for k, g in indicators.groupby("indicator_id")}
    has_quality = "quality" in indicators.columns
    for target in plan.targets:
        group = by_id.get(target.indicator_id)
        if group is None or plan.source_of(target) is not ValueSource.INVENTORY:
            continue
        qualities = group["quality"] if has_quality else ["estimate"] * len(group)
        for year, value, unit, flag in zip(
            group["year"], group["value"], group["unit"], qualities, strict=True
        ):
            quality = Quality(str(flag))
            out.append(
                ProgressRecord(
                    target_id=target.id,
                    period_end=period_end(int(year)),
                    value=convert(float(value), str(unit), target.unit),
                    reported_by="inventory",
                    evidence=f"{evidence}; indicator {target.indicator_id}",
                    demo=demo,
                    quality=Quality.DEMO if demo else quality,
                    source_kind=ValueSource.INVENTORY,
                )
            )
    return out
