"""The city's synergy indicators by year, computed from an inventory, the city statistics and
the reported environmental-quality figures, and the headline synergy degree fed to the plan's
``synergy_degree`` target (``docs/methods/synergy.md``).

Indicators (units in ``data/synergy/indicator_system.yaml``):

- emissions: ``co2_official``, ``co2_intensity_gdp`` and the pollutant totals
  (:mod:`xietong.accounting.indicators`);
- structure: ``coal_share_energy`` (inventory), ``non_fossil_share_energy``,
  ``tertiary_share_gdp`` (the statistic, or ``gdp_tertiary`` / ``gdp``) and ``nev_share_fleet``
  (the statistic, or ``nev_stock`` / ``vehicle_stock``) from the statistics;
- environmental quality: the reported values of the plan's indicators (PM2.5, O3, good-air
  days, water sections), passed in as ``observed``, or statistics of the same ids;
- co-control effect: the score of the year's point on the co-control coordinates, from
  ``co2_official`` and APeq (direct air pollutants, tax-schedule weights) against the
  reference year (the plan's base year, where the point is the origin); undefined before it.

A value of quality ``assumed`` (derived from an assumption about itself, e.g. a coal share
computed from an energy total that was estimated from a coal share) is circular and left
out: the degree then shows the indicator as missing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import pandas as pd

from xietong.accounting.indicators import Statistic, compute_indicators
from xietong.accounting.inventory import Inventory
from xietong.plan.models import Plan, ValueSource
from xietong.plan.progress import ProgressRecord
from xietong.synergy.coordinates import CoControl, Quadrant, co_control, effect_score
from xietong.synergy.equivalents import WATER, apeq, pollution_equivalents
from xietong.synergy.index import IndicatorSystem, load_system, synergy_degree

COLUMNS = ["year", "indicator_id", "value", "unit"]

RATIOS = {
    "tertiary_share_gdp": ("gdp_tertiary", "gdp"),
    "nev_share_fleet": ("nev_stock", "vehicle_stock"),
}
"""Shares the statistics may give by their parts (numerator, denominator), in percent."""


def synergy_indicators(
    inv: Inventory,
    statistics: Sequence[Statistic],
    *,
    district: str = "city",
    observed: pd.DataFrame | None = None,
    system: IndicatorSystem | None = None,
) -> pd.DataFrame:
    """Indicator values by year (columns ``year, indicator_id, value, unit``) of the inventory,
    the statistics of ``district`` and the ``observed`` values (same columns; the reported
    environmental quality) of the inventory's years, with the helper rows ``apeq_total``
    (t SO2-eq) and ``water_eq_total`` the coordinates use."""
    sys_ = system or load_system()
    wanted = {i.id for i in sys_.indicators}
    base = compute_indicators(inv, statistics, district=district)
    rows = [
        (int(y), str(i), float(v), str(u))
        for y, i, v, u, q in base[["year", "indicator_id", "value", "unit", "quality"]].itertuples(
            index=False
        )
        if q != "assumed"
    ]
    years = set(inv.years)
    own = [s for s in statistics if s.district == district and s.year in years]
    given = {(r[0], r[1]) for r in rows}
    by_key = {(s.year, s.indicator): s for s in own}
    for s in own:
        if s.indicator in wanted and (s.year, s.indicator) not in given:
            rows.append((s.year, s.indicator, s.value, s.unit))
            given.add((s.year, s.indicator))
    for ratio, (num, den) in RATIOS.items():
        for (year, ind), part in by_key.items():
            whole = by_key.get((year, den))
            if ind == num and whole is not None and (year, ratio) not in given:
                share = 100 * part.to(whole.unit) / whole.value if whole.value else None
                if share is not None:
                    rows.append((year, ratio, share, "percent"))
                    given.add((year, ratio))
    if observed is not None:
        for y, i, v, u in observed[COLUMNS].itertuples(index=False):
            if str(i) in wanted and int(y) in years and (int(y), str(i)) not in given:
                rows.append((int(y), str(i), float(v), str(u)))
                given.add((int(y), str(i)))
    direct: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    sums = inv.rollup(["year"])
    for year, substance, value in sums[["year", "substance", "value"]].itertuples(index=False):
        direct[int(year)][str(substance)] += float(value)
    for year, by_substance in sorted(direct.items()):
        rows.append((year, "apeq_total", apeq(by_substance), "t"))
        water = {s: by_substance[s] for s in WATER if s in by_substance}
        rows.append((year, "water_eq_total", pollution_equivalents(water), "dimensionless"))
    co2 = {y: v for y, i, v, _ in rows if i == "co2_official"}
    ap = {y: v for y, i, v, _ in rows if i == "apeq_total"}
    for year, effect in since_reference(co2, ap, sys_.reference_year).items():
        score = effect_score(
            effect, dict(sys_.class_scores), sys_.elasticity_full, sys_.elasticity_bonus
        )
        rows.append((year, "co_control_effect", score, "dimensionless"))
    return pd.DataFrame(rows, columns=COLUMNS)


def since_reference(
    co2: Mapping[int, float], air: Mapping[int, float], reference_year: int
) -> dict[int, CoControl]:
    """Each year's co-control point from the reference year (CO2 of the official caliber
    against APeq): the reference year itself and later years; none when the reference year
    has no positive value."""
    ref = reference_year
    if co2.get(ref, 0) <= 0 or air.get(ref, 0) <= 0:
        return {}
    return {
        year: co_control((co2[ref], co2[year]), (air[ref], air[year]))
        for year in sorted(co2)
        if year >= ref and year in air
    }


def year_on_year(co2: Mapping[int, float], air: Mapping[int, float]) -> dict[int, CoControl]:
    """Each year's co-control point against the previous year (CO2 of the official caliber
    against APeq); years without a previous year, or with a zero in it, have none."""
    out = {}
    for year in sorted(co2):
        prev = year - 1
        if prev in co2 and prev in air and year in air and co2[prev] > 0 and air[prev] > 0:
            out[year] = co_control((co2[prev], co2[year]), (air[prev], air[year]))
    return out


def quadrants(
    values: pd.DataFrame, reference_year: int
) -> dict[int, list[tuple[str, str, Quadrant]]]:
    """Each year's co-control coordinates for the consistency flag: against the previous year
    and, after the reference year, against the reference year (label zh, label en,
    quadrant)."""
    co2: dict[int, float] = {}
    air: dict[int, float] = {}
    for y, i, v in values[["year", "indicator_id", "value"]].itertuples(index=False):
        if i == "co2_official":
            co2[int(y)] = float(v)
        elif i == "apeq_total":
            air[int(y)] = float(v)
    out: dict[int, list[tuple[str, str, Quadrant]]] = defaultdict(list)
    for year, effect in year_on_year(co2, air).items():
        out[year].append(("较上年", "on the previous year", effect.quadrant))
    for year, effect in since_reference(co2, air, reference_year).items():
        if year > reference_year:
            out[year].append((f"较{reference_year}年", f"since {reference_year}", effect.quadrant))
    return dict(out)


def degree_of(
    values: pd.DataFrame, system: IndicatorSystem | None = None, *, weights: str = "expert"
) -> pd.DataFrame:
    """The synergy degree of indicator values (:func:`synergy_indicators`), with the
    consistency flag from their coordinates."""
    sys_ = system or load_system()
    return synergy_degree(
        values, sys_, weights=weights, quadrants=quadrants(values, sys_.reference_year)
    )


def city_synergy(
    inv: Inventory,
    statistics: Sequence[Statistic],
    system: IndicatorSystem | None = None,
    *,
    observed: pd.DataFrame | None = None,
    weights: str = "expert",
) -> pd.DataFrame:
    """The city's synergy degree by year (see :func:`xietong.synergy.index.synergy_degree`),
    from the whole inventory, the city-wide statistics and the ``observed`` values."""
    sys_ = system or load_system()
    values = synergy_indicators(inv, statistics, observed=observed, system=sys_)
    return degree_of(values, sys_, weights=weights)


def district_synergy(
    inv: Inventory,
    statistics: Sequence[Statistic],
    year: int,
    system: IndicatorSystem | None = None,
) -> pd.DataFrame:
    """Synergy degree and index of every district that has inventory rows and its own
    statistics (GDP, real index, population) for the base year and ``year``, ranked by the
    index (1 = best). A district's inventory is its own rows only: city-wide rows are not
    allocated to districts. Columns: district, d, index, u_pollution, u_carbon, grade_zh,
    grade_en, rank; districts without data are left out."""
    sys_ = system or load_system()
    with_stats = {s.district for s in statistics} - {"city"}
    rows = []
    for district in sorted(set(inv.frame()["district"].unique()) & with_stats):
        part = inv.only(district)
        try:
            series = degree_of(
                synergy_indicators(part, statistics, district=district, system=sys_), sys_
            )
        except ValueError:
            continue
        hit = series[series.year == year]
        if hit.empty:
            continue
        rows.append({"district": district, **hit.iloc[0].drop("year").to_dict()})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out = out.sort_values("index", ascending=False).reset_index(drop=True)
    out["rank"] = range(1, len(out) + 1)
    return out


def observed_values(plan: Plan, records: Sequence[ProgressRecord]) -> pd.DataFrame:
    """The city-wide values of the plan's reported indicators the synergy degree scores (the
    environmental quality: PM2.5, O3, good-air days, water sections), from the records that
    define them (not comparisons), one per indicator and year (the latest period of the year).
    Columns ``year, indicator_id, value, unit, quality``."""
    wanted = {i.id for i in load_system().indicators}
    targets = {t.id: t for t in plan.targets}
    latest: dict[tuple[int, str], ProgressRecord] = {}
    for r in records:
        target = targets.get(r.target_id)
        if target is None or r.district is not None or r.comparison:
            continue
        if target.indicator_id not in wanted or plan.source_of(target) is not ValueSource.REPORTED:
            continue
        key = (r.period_end.year, target.indicator_id)
        if key not in latest or r.period_end > latest[key].period_end:
            latest[key] = r
    rows = [
        (year, ind, r.value, targets[r.target_id].unit, r.quality.value)
        for (year, ind), r in sorted(latest.items())
    ]
    return pd.DataFrame(rows, columns=[*COLUMNS, "quality"])
