"""Views of the synergy module that every interface shows: the city's synergy degree series,
the district ranking, the co-control coordinates of the city between two years, the LMDI
drivers and the measures with their costs and MAC curve. The CLI, the pages and the API all
use these (through :class:`SynergyData`), so they show the same figures.

The figures come from an inventory and the city statistics, on the database (through
:meth:`xietong.service.Platform.synergy_data`) or on an analyst's own files
(:meth:`SynergyData.from_files`). Every CO2e figure carries the name of its GWP set.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from xietong.accounting.activity import Activity
from xietong.accounting.allocation import Allocation, allocate, load_allocation
from xietong.accounting.factors import FactorLibrary, GWPSet, load_gwp
from xietong.accounting.grid_regions import DEFAULT_GRID_REGION
from xietong.accounting.indicators import Statistic, read_statistics
from xietong.accounting.inventory import Inventory, InventoryOptions, build_inventory
from xietong.datafiles import data_path
from xietong.errors import NotFound, XietongError
from xietong.synergy.coordinates import QUADRANT_ZH, Quadrant, co_control
from xietong.synergy.decomposition import Decomposition
from xietong.synergy.drivers import STRUCTURAL_FACTORS, decompose, structural_drivers
from xietong.synergy.equivalents import apeq, weight_sets
from xietong.synergy.index import IndicatorSystem, load_system
from xietong.synergy.measures import (
    CurveStep,
    Effect,
    MeasureError,
    MeasureSet,
    effects,
    load_measures,
    mac_curve,
)
from xietong.synergy.series import degree_of, district_synergy, synergy_indicators

SYNERGY_INDICATOR = "synergy_degree"
"""``indicator_id`` of the plan target fed with the city's synergy degree D."""

COORDINATE_POLLUTANTS = ("SO2", "NOx", "PM10", "VOCs", "NH3")
"""Pollutants set against the greenhouse gas on the co-control coordinates (and APeq)."""

APEQ = "APeq"
"""The air-pollutant equivalent (t SO2-eq, tax-schedule weights) as a 'pollutant'."""

GHG_MEASURES = ("CO2e", "CO2")
"""What the greenhouse-gas axis of the coordinates measures: direct CO2e under a GWP set, or
direct CO2."""

DECOMPOSE_SUBSTANCES = ("CO2", "SO2", "NOx", "PM10", "PM2.5", "VOCs", "CO", "CH4", "N2O")
"""Substances of fuel combustion whose change the Kaya drivers explain."""

STRUCTURAL_SUBSTANCES = (*DECOMPOSE_SUBSTANCES, "NH3", "COD", "NH3-N")
"""Substances the structural decomposition (every direct emission) explains: the main
pollutants of the plan's totals included."""

LMDI_FACTORS = ("population", "gdp_per_capita", "energy_intensity", "energy_mix", "emission_factor")
"""The Kaya drivers, in the order of the decomposition."""

DECOMPOSE_METHODS = ("kaya", "structural")
"""The decompositions: Kaya drivers of fuel combustion, or the multi-sector one with the
structure of the economy (``xietong.synergy.drivers.structural_drivers``)."""

QUADRANT_EN = {
    Quadrant.SYNERGY: "synergy (both fall)",
    Quadrant.POLLUTANT_ONLY: "pollution down, carbon up",
    Quadrant.BOTH_WORSE: "both rise",
    Quadrant.CARBON_ONLY: "carbon down, pollution up",
    Quadrant.POLLUTION_AXIS: "pollution down, carbon unchanged",
    Quadrant.CARBON_AXIS: "carbon down, pollution unchanged",
    Quadrant.NEUTRAL: "no change",
}


class SynergyUnavailable(NotFound):
    """The data do not give this synergy figure (a missing base year, year, statistic or
    fuel); the message says what is missing."""


def finite(value: float | None) -> float | None:
    """``value`` for JSON and tables: None when it is missing, infinite or not a number."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


# -- the synergy degree series and the district ranking ------------------------------------


def _scores(r: Mapping[Hashable, Any]) -> dict[str, float | None]:
    """The subsystem scores of a degree row by subsystem id (None where the subsystem did
    not enter)."""
    return {str(k)[2:]: finite(float(v)) for k, v in r.items() if str(k).startswith("u_")}


def series_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a synergy degree frame as plain records (year an int, scores floats; ``u`` the
    subsystem scores, ``missing`` the indicators absent that year)."""
    return [
        {
            "year": int(r["year"]),
            "u": _scores(r),
            "c": float(r["c"]),
            "t": float(r["t"]),
            "d": float(r["d"]),
            "grade": int(r["grade"]),
            "grade_zh": str(r["grade_zh"]),
            "grade_en": str(r["grade_en"]),
            "index": float(r["index"]),
            "subsystems": int(r["subsystems"]),
            "complete": bool(r["complete"]),
            "missing": [m for m in str(r["missing"]).split(", ") if m],
            "consistent": bool(r["consistent"]),
            "flag_zh": str(r["flag_zh"]),
            "flag_en": str(r["flag_en"]),
        }
        for r in frame.to_dict("records")
    ]


def district_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a district ranking frame as plain records (empty when no district has data)."""
    if frame.empty:
        return []
    return [
        {
            "district": str(r["district"]),
            "rank": int(r["rank"]),
            "d": float(r["d"]),
            "index": float(r["index"]),
            "u": _scores(r),
            "grade": int(r["grade"]),
            "grade_zh": str(r["grade_zh"]),
            "grade_en": str(r["grade_en"]),
            "missing": [m for m in str(r.get("missing", "")).split(", ") if m],
            "basis": str(r.get("basis", "own")),
            "demo": bool(r.get("demo", False)),
        }
        for r in frame.to_dict("records")
    ]


def target_frame(series: pd.DataFrame) -> pd.DataFrame:
    """The synergy degree D by year as indicator rows (``year, indicator_id, value, unit,
    basis``) for :func:`xietong.accounting.indicators.progress_from_indicators`."""
    return pd.DataFrame(
        {
            "year": [int(y) for y in series["year"]],
            "indicator_id": SYNERGY_INDICATOR,
            "value": [float(d) for d in series["d"]],
            "unit": "dimensionless",
            "basis": "synergy degree D (coupling coordination of the four subsystems)",
        },
        columns=["year", "indicator_id", "value", "unit", "basis"],
    )


# -- co-control coordinates ---------------------------------------------------------------


def direct_totals(inv: Inventory, year: int) -> dict[str, float]:
    """Direct emissions of ``year`` by substance (t)."""
    sums = inv.rollup(["year"])
    sums = sums[sums["year"] == year]
    return {str(s): float(v) for s, v in zip(sums["substance"], sums["value"], strict=True)}


def ghg_total(inv: Inventory, year: int, ghg: str, gwp: GWPSet | None) -> float:
    """Direct CO2 (t), or direct CO2e (t) under ``gwp`` (the inventory's own sum, methane by
    its origin), of ``year``."""
    if ghg == "CO2":
        return direct_totals(inv, year).get("CO2", 0.0)
    assert gwp is not None
    sums = inv.co2e(gwp, ["year"])
    return float(sums.loc[sums["year"] == year, "co2e"].sum())


def coordinate_record(
    ghg: str,
    pollutant: str,
    years: tuple[int, int],
    g: tuple[float, float],
    p: tuple[float, float],
    gwp: str | None,
) -> dict[str, Any]:
    """One pair on the co-control coordinates between two years (reductions positive)."""
    base: dict[str, Any] = {
        "ghg": ghg,
        "gwp": gwp,
        "ghg_unit": "t CO2e" if ghg == "CO2e" else "t",
        "pollutant": pollutant,
        "pollutant_unit": "t SO2-eq" if pollutant == APEQ else "t",
        "year0": years[0],
        "year1": years[1],
        "ghg0": g[0],
        "ghg1": g[1],
        "pollutant0": p[0],
        "pollutant1": p[1],
        "ghg_reduction": g[0] - g[1],
        "pollutant_reduction": p[0] - p[1],
    }
    try:
        c = co_control(g, p)
    except ValueError:
        return {
            **base,
            "ghg_rate": None,
            "pollutant_rate": None,
            "quadrant": None,
            "quadrant_zh": None,
            "quadrant_en": None,
            "elasticity": None,
            "note": f"no {ghg if g[0] <= 0 else pollutant} emission in {years[0]}: "
            "rates and quadrant need a positive reference",
        }
    return {
        **base,
        "ghg_rate": c.ghg_rate,
        "pollutant_rate": c.pollutant_rate,
        "quadrant": c.quadrant.value,
        "quadrant_zh": QUADRANT_ZH[c.quadrant],
        "quadrant_en": QUADRANT_EN[c.quadrant],
        "elasticity": finite(c.elasticity),
        "note": "" if c.elasticity is not None else "elasticity undefined: the GHG did not change",
    }


# -- the LMDI drivers ---------------------------------------------------------------------


def decomposition_record(
    dec: Decomposition, substance: str, year0: int, year1: int, method: str = "kaya"
) -> dict[str, Any]:
    """An LMDI-I decomposition as a plain record: V0, VT (t), the additive effects (t), the
    multiplicative effects (ratios) and the residual (zero up to rounding); ``method`` says
    which (``kaya``: fuel combustion by fuel; ``structural``: every direct emission by
    三次产业 and households, with the structure effect)."""
    factors = LMDI_FACTORS if method == "kaya" else STRUCTURAL_FACTORS
    return {
        "substance": substance,
        "year0": year0,
        "year1": year1,
        "unit": "t",
        "method": method,
        "scope": (
            "direct emissions of fuel combustion"
            if method == "kaya"
            else "all direct emissions but forestry, by 三次产业 and households"
        ),
        "factors": list(factors),
        "v0": dec.v0,
        "vt": dec.vt,
        "change": dec.change,
        "additive": {k: float(dec.additive[k]) for k in factors},
        "multiplicative": {k: finite(dec.multiplicative[k]) for k in factors},
        "residual": dec.residual,
    }


# -- measures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureReport:
    """The measures of a set with their effects, placed against the city's totals of
    ``city_year`` (direct CO2e under the set's GWP, APeq) when an inventory gave them."""

    measure_set: MeasureSet
    effects: tuple[Effect, ...]
    city_year: int | None
    city_totals: tuple[float, float] | None

    @property
    def gwp(self) -> str:
        """The GWP set of every CO2e figure of the measures."""
        return self.measure_set.gwp

    def curve(self, *, net: bool = True) -> list[CurveStep]:
        """The MAC curve: measures that cut CO2e, cheapest (net of the co-benefit) first."""
        return mac_curve(self.effects, net=net)


def measure_record(e: Effect, gwp: str) -> dict[str, Any]:
    """One measure's effect as a plain record: reductions (t, positive = less), CO2e under
    ``gwp`` (direct + indirect), APeq, costs (CNY/yr and CNY per t; None where a measure cuts
    no CO2e), its quadrant against the city and the factors used."""
    m = e.measure
    c = e.coordinates
    return {
        "id": m.id,
        "plan_measure": m.plan_measure,
        "zh": m.zh,
        "en": m.en,
        "size": {k: v for k, v in m.size.items() if isinstance(v, str | int | float)},
        "basis": m.basis,
        "basis_zh": m.basis_zh,
        "quality": "estimate",
        "reduction": {s: float(v) for s, v in sorted(e.reduction.items())},
        "gwp": gwp,
        "co2e_reduction": e.co2e_reduction,
        "co2e_reduction_direct": e.co2e_reduction_direct,
        "apeq_reduction": e.apeq_reduction,
        "cost_cny": m.cost_cny,
        "cost_basis": m.cost_basis,
        "cost_basis_zh": m.cost_basis_zh,
        "cost_per_t_co2e": finite(e.cost_per_t_co2e),
        "cost_per_t_apeq": finite(e.cost_per_t_apeq),
        "net_cost": finite(e.net_cost),
        "net_cost_per_t_co2e": finite(e.net_cost_per_t_co2e),
        "co_benefit_cny": e.co_benefit_cny,
        "on_curve": e.co2e_reduction > 0 and e.net_cost_per_t_co2e is not None,
        "quadrant": c.quadrant.value if c else None,
        "quadrant_zh": QUADRANT_ZH[c.quadrant] if c else None,
        "quadrant_en": QUADRANT_EN[c.quadrant] if c else None,
        "elasticity": finite(c.elasticity) if c else None,
        "factor_ids": list(e.factor_ids),
    }


def curve_records(report: MeasureReport, *, net: bool = True) -> list[dict[str, Any]]:
    """The MAC curve's bars: measure, start and width (t CO2e under the set's GWP), height
    (CNY per t CO2e, net of the co-benefit unless ``net`` is False)."""
    names = {e.measure.id: e.measure for e in report.effects}
    return [
        {
            "measure_id": s.measure_id,
            "zh": names[s.measure_id].zh,
            "en": names[s.measure_id].en,
            "start": s.start,
            "width": s.width,
            "height": s.height,
            "net": net,
            "gwp": report.gwp,
        }
        for s in report.curve(net=net)
    ]


def report_record(report: MeasureReport) -> dict[str, Any]:
    """The whole measure report as a plain record (the measures, the net MAC curve)."""
    ms = report.measure_set
    return {
        "year": ms.year,
        "gwp": ms.gwp,
        "tax_rates": ms.tax_province,
        "co_benefit_basis": ms.co_benefit_basis,
        "co_benefit_basis_zh": ms.co_benefit_basis_zh,
        "city_year": report.city_year,
        "city_co2e": report.city_totals[0] if report.city_totals else None,
        "city_apeq": report.city_totals[1] if report.city_totals else None,
        "measures": [measure_record(e, ms.gwp) for e in report.effects],
        "mac": curve_records(report),
    }


def measure_report(
    library: FactorLibrary,
    inv: Inventory | None = None,
    measures_file: Path | None = None,
) -> MeasureReport:
    """Effects of the measures of ``measures_file`` (default: the shipped set) by the factors
    of ``library``; with an inventory, each is placed against the city's direct CO2e and APeq
    of the set's year (or the inventory's latest year if it lacks that one)."""
    try:
        ms = load_measures(measures_file)
    except (MeasureError, KeyError, TypeError, ValueError) as exc:
        name = measures_file.name if measures_file else "measures.yaml"
        raise XietongError(f"{name}: {exc}") from None
    gwp = load_gwp(ms.gwp)
    totals: tuple[float, float] | None = None
    year: int | None = None
    grid = DEFAULT_GRID_REGION
    if inv is not None and inv.years:
        year = ms.year if ms.year in inv.years else inv.years[-1]
        co2e, ap = ghg_total(inv, year, "CO2e", gwp), apeq(direct_totals(inv, year))
        totals = (co2e, ap) if co2e > 0 and ap > 0 else None
        grid = inv.options.grid_region
    items = effects(ms, library, city_totals=totals, grid_region=grid)
    return MeasureReport(ms, tuple(items), year if totals else None, totals)


# -- the data a synergy view is computed from ----------------------------------------------


ALLOCATION_FILES = ("district_allocation.csv", "district_proxies.csv", "district_statistics.csv")
"""A city's district allocation: rules, proxy shares and district statistics
(``data/cities/<city>/``; see :mod:`xietong.accounting.allocation`)."""


@dataclass
class AllocatedDistricts:
    """The city-wide rows allocated to districts by proxy shares, with the districts' own
    statistics: the district ranking's fall-back when no district has rows and statistics of
    its own. The allocated inventory is built by ``build`` on first use (it goes through the
    same engine; about 70,000 rows for the shipped Wuhan data)."""

    allocation: Allocation
    statistics: Sequence[Statistic]
    build: Callable[[], Inventory]
    _inventory: Inventory | None = field(default=None, repr=False)
    _rankings: dict[int, tuple[IndicatorSystem, pd.DataFrame]] = field(
        default_factory=dict, repr=False
    )

    @property
    def inventory(self) -> Inventory:
        """The allocated inventory (built once)."""
        if self._inventory is None:
            self._inventory = self.build()
        return self._inventory

    def memory_bytes(self) -> int:
        """About how much memory the allocated inventory holds (0 until it is built)."""
        return self._inventory.memory_bytes() if self._inventory is not None else 0

    @property
    def demo(self) -> bool:
        """Whether any share or district statistic is demo data (演示数据)."""
        return any(s.quality == "demo" for s in self.allocation.shares) or any(
            s.quality == "demo" for s in self.statistics
        )

    def ranking(self, year: int, system: IndicatorSystem | None = None) -> pd.DataFrame:
        """Districts ranked by the synergy index in ``year`` on the allocated inventory
        (columns of :func:`~xietong.synergy.series.district_synergy` plus ``basis`` =
        ``allocated`` and ``demo``); kept per year and indicator system."""
        sys_ = system or load_system()
        kept = self._rankings.get(year)
        if kept is not None and kept[0] == sys_:
            return kept[1].copy()
        out = district_synergy(self.inventory, self.statistics, year, sys_)
        if not out.empty:
            out["basis"] = "allocated"
            out["demo"] = self.demo
        self._rankings[year] = (sys_, out.copy())
        return out


def shipped_allocation(city: str) -> tuple[Allocation, list[Statistic]] | None:
    """The district allocation a city ships (rules, shares, district statistics), or None."""
    paths = [data_path("cities", city, name) for name in ALLOCATION_FILES]
    if not all(p.exists() for p in paths):
        return None
    return load_allocation(paths[0], paths[1]), read_statistics(paths[2])


def allocated_districts(
    city: str,
    activities: Callable[[], Sequence[Activity]],
    library: FactorLibrary,
    options: InventoryOptions | None = None,
) -> AllocatedDistricts | None:
    """The allocated-district fall-back of ``city`` for ``activities`` (None when the city
    ships no allocation)."""
    shipped = shipped_allocation(city)
    if shipped is None:
        return None
    allocation, stats = shipped
    return AllocatedDistricts(
        allocation,
        stats,
        lambda: build_inventory(allocate(activities(), allocation), library, options),
    )


@dataclass(frozen=True)
class SynergyData:
    """An inventory, the statistics of its city and the factor library: everything the
    synergy figures are computed from."""

    inventory: Inventory
    statistics: Sequence[Statistic]
    library: FactorLibrary
    measures_file: Path | None = None
    observed: pd.DataFrame | None = None
    """The reported values the degree scores (``series.observed_values``: the environmental
    quality), if any."""
    allocated: AllocatedDistricts | None = None
    """The district ranking's fall-back: city-wide rows allocated by proxy shares."""
    base_indicators: pd.DataFrame | None = None
    """:func:`synergy_indicators` of the inventory and statistics, when already computed."""

    @classmethod
    def from_activities(
        cls,
        activities: Sequence[Activity],
        statistics: Sequence[Statistic],
        library: FactorLibrary,
        options: InventoryOptions | None = None,
        measures_file: Path | None = None,
        city: str | None = None,
    ) -> SynergyData:
        """Build the inventory of ``activities`` (no database); with ``city``, the district
        ranking falls back on that city's shipped allocation (:class:`AllocatedDistricts`)."""
        inv = build_inventory(activities, library, options)
        allocated = (
            allocated_districts(city, lambda: activities, library, options) if city else None
        )
        return cls(inv, list(statistics), library, measures_file, allocated=allocated)

    @classmethod
    def from_files(
        cls,
        activities: Sequence[Activity],
        statistics_file: Path | None,
        library: FactorLibrary,
        options: InventoryOptions | None = None,
        measures_file: Path | None = None,
        city: str | None = None,
    ) -> SynergyData:
        """Like :meth:`from_activities`, the statistics read from a CSV file (none: empty)."""
        stats = read_statistics(statistics_file) if statistics_file is not None else []
        return cls.from_activities(activities, stats, library, options, measures_file, city)

    @property
    def years(self) -> list[int]:
        """Years of the inventory."""
        return self.inventory.years

    def _year(self, year: int) -> int:
        if year not in self.inventory.years:
            raise SynergyUnavailable(
                f"no year {year} in the inventory (years: {_span(self.inventory.years)})"
            )
        return year

    def default_years(self, system: IndicatorSystem | None = None) -> tuple[int, int]:
        """(base year, latest year): the system's base year if the inventory has it, else its
        first year; SynergyUnavailable when the inventory is empty."""
        years = self.inventory.years
        if not years:
            raise SynergyUnavailable("the inventory has no emissions")
        base = (system or load_system()).base_year
        return (base if base in years else years[0]), years[-1]

    def indicators(self) -> pd.DataFrame:
        """The synergy indicators by year (``year, indicator_id, value, unit``), with the
        observed (reported) values of the inventory's years where given."""
        values = (
            self.base_indicators
            if self.base_indicators is not None
            else synergy_indicators(self.inventory, self.statistics)
        )
        if self.observed is not None and not self.observed.empty:
            have = set(zip(values["year"], values["indicator_id"], strict=True))
            years = set(self.inventory.years)
            extra = self.observed[
                [
                    int(y) in years and (int(y), str(i)) not in have
                    for y, i in zip(
                        self.observed["year"], self.observed["indicator_id"], strict=True
                    )
                ]
            ]
            values = pd.concat([values, extra[values.columns]], ignore_index=True)
        return values

    def series(
        self, system: IndicatorSystem | None = None, weights: str = "expert"
    ) -> pd.DataFrame:
        """The city's synergy degree by year (columns of
        :func:`xietong.synergy.index.synergy_degree`), scored against fixed references, with
        the consistency flag; ``weights`` ``expert`` or ``entropy``.

        SynergyUnavailable says what is missing when no year can be scored (the reference
        year absent from the inventory, say).
        """
        sys_ = system or load_system()
        if sys_.reference_year not in self.inventory.years:
            raise SynergyUnavailable(
                f"no synergy degree: its emissions are scored against the reference year "
                f"{sys_.reference_year}, and the inventory has no {sys_.reference_year} "
                f"(inventory years: {_span(self.inventory.years)}; statistics years: "
                f"{_span(sorted({s.year for s in self.statistics if s.district == 'city'}))})"
            )
        try:
            return degree_of(self.indicators(), sys_, weights=weights)
        except ValueError as exc:
            raise SynergyUnavailable(f"no synergy degree: {exc}") from None

    def districts(self, year: int, system: IndicatorSystem | None = None) -> pd.DataFrame:
        """Districts ranked by the synergy index in ``year``: on the districts' own inventory
        rows and statistics (``basis`` = ``own``) where any district has both, else on the
        city-wide rows allocated by proxy shares (``basis`` = ``allocated``, ``demo`` when a
        share or statistic is demo data); empty when neither gives a district."""
        self._year(year)
        own = district_synergy(self.inventory, self.statistics, year, system)
        if not own.empty:
            own["basis"] = "own"
            own["demo"] = False
            return own
        if self.allocated is None:
            return own
        return self.allocated.ranking(year, system)

    def district_profile(self, code: str, year: int, gwp: GWPSet) -> dict[str, Any] | None:
        """One district in ``year``: direct CO2e under ``gwp`` by sector, its share of the
        city's, and its synergy rank; on the district's own rows where districts have data of
        their own, else on the allocated rows (``basis``, ``demo`` as in :meth:`districts`).
        None when the district has neither."""
        ranking = self.districts(year)
        if ranking.empty or code not in set(ranking["district"]):
            return None
        row = ranking[ranking["district"] == code].iloc[0]
        basis = str(row["basis"])
        inv = self.inventory
        if basis == "allocated" and self.allocated is not None:
            inv = self.allocated.inventory
        by_sector: dict[str, float] = defaultdict(float)
        sums = inv.co2e(gwp, ["year", "district", "sector"])
        sums = sums[sums["year"] == year]
        total = float(sums["co2e"].sum())
        for district, sector, value in sums[["district", "sector", "co2e"]].itertuples(index=False):
            if district == code:
                by_sector[str(sector)] += float(value)
        mine = sum(by_sector.values())
        return {
            "district": code,
            "year": year,
            "gwp": gwp.name,
            "co2e": mine,
            "share": mine / total if total else None,
            "by_sector": dict(sorted(by_sector.items(), key=lambda kv: -kv[1])),
            "rank": int(row["rank"]),
            "of": len(ranking),
            "index": float(row["index"]),
            "d": float(row["d"]),
            "basis": basis,
            "demo": bool(row["demo"]),
        }

    def coordinates(
        self,
        year0: int,
        year1: int,
        *,
        ghg: str = "CO2e",
        gwp: str = "AR5",
        apeq_weights: str = "tax",
    ) -> list[dict[str, Any]]:
        """The city between ``year0`` and ``year1`` on the co-control coordinates: direct CO2e
        under ``gwp`` (or direct CO2, ``ghg="CO2"``) against each of SO2, NOx, PM10, VOCs,
        NH3 and APeq (weighted by the pollution-equivalent set ``apeq_weights``)."""
        if ghg not in GHG_MEASURES:
            raise ValueError(f"ghg '{ghg}': choose {' or '.join(GHG_MEASURES)}")
        if apeq_weights not in weight_sets():
            raise ValueError(
                f"APeq weight set '{apeq_weights}': choose one of {', '.join(weight_sets())}"
            )
        gwp_set = load_gwp(gwp) if ghg == "CO2e" else None
        name = gwp_set.name if gwp_set is not None else None
        y0, y1 = self._year(year0), self._year(year1)
        t0, t1 = direct_totals(self.inventory, y0), direct_totals(self.inventory, y1)
        g = (
            ghg_total(self.inventory, y0, ghg, gwp_set),
            ghg_total(self.inventory, y1, ghg, gwp_set),
        )
        years = (year0, year1)
        out = [
            coordinate_record(ghg, s, years, g, (t0.get(s, 0.0), t1.get(s, 0.0)), name)
            for s in COORDINATE_POLLUTANTS
        ]
        ap = (apeq(t0, apeq_weights), apeq(t1, apeq_weights))
        out.append(coordinate_record(ghg, APEQ, years, g, ap, name))
        return out

    def decomposition(
        self, substance: str, year0: int, year1: int, method: str = "kaya"
    ) -> Decomposition:
        """LMDI-I drivers of the change in direct ``substance``: of fuel combustion by fuel
        (``kaya``), or of every direct emission but forestry by 三次产业 and households with
        the structure effect (``structural``, which needs each year's value added by
        industry)."""
        if method not in DECOMPOSE_METHODS:
            raise ValueError(f"method '{method}': choose {' or '.join(DECOMPOSE_METHODS)}")
        allowed = DECOMPOSE_SUBSTANCES if method == "kaya" else STRUCTURAL_SUBSTANCES
        if substance not in allowed:
            raise ValueError(f"substance '{substance}': choose one of {', '.join(allowed)}")
        self._year(year0)
        self._year(year1)
        run = decompose if method == "kaya" else structural_drivers
        try:
            return run(self.inventory, self.statistics, substance, year0, year1)
        except ZeroDivisionError:
            raise SynergyUnavailable(
                f"no decomposition of {substance} {year0}→{year1}: a year has no fuel "
                "combustion (or no GDP) to decompose"
            ) from None
        except ValueError as exc:
            raise SynergyUnavailable(
                f"no decomposition of {substance} {year0}→{year1}: {exc}"
            ) from None

    def measures(self) -> MeasureReport:
        """The measures' effects and costs, placed against this inventory's city totals."""
        return measure_report(self.library, self.inventory, self.measures_file)


def _span(years: Sequence[int]) -> str:
    if not years:
        return "none"
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
