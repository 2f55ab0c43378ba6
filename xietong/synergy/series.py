"""The city's synergy indicators by year, computed from an inventory and city statistics, and
the headline synergy degree fed to the plan's ``synergy_degree`` target.

Indicators (units in ``data/synergy/indicator_system.yaml``): ``apeq_per_gdp`` = APeq of the
direct air pollutants (t SO2-eq, tax-schedule weights) / GDP at 2020 prices; ``water_eq_per_gdp``
= pollution equivalents of COD and NH3-N / GDP; ``nox_vocs_total`` = NOx + VOCs (t); and the
inventory indicators ``co2_intensity_gdp``, ``energy_intensity_gdp``, ``coal_share_energy``
(:mod:`xietong.accounting.indicators`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import pandas as pd

from xietong.accounting.indicators import Statistic, compute_indicators
from xietong.accounting.inventory import Inventory
from xietong.plan.models import Plan
from xietong.plan.progress import ProgressRecord, Status, assess_all
from xietong.synergy.equivalents import WATER, apeq, pollution_equivalents
from xietong.synergy.index import IndicatorSystem, load_system, synergy_degree


def synergy_indicators(
    inv: Inventory, statistics: Sequence[Statistic], *, district: str = "city"
) -> pd.DataFrame:
    """Indicator values by year (columns ``year, indicator_id, value, unit``) of the inventory
    and the statistics of ``district``."""
    base = compute_indicators(inv, statistics, district=district)
    gdp = {
        int(y): float(v)
        for y, i, v in base[["year", "indicator_id", "value"]].itertuples(index=False)
        if i == "gdp_real_2020"
    }
    direct: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    sums = inv.rollup(["year"])
    for year, substance, value in sums[["year", "substance", "value"]].itertuples(index=False):
        direct[int(year)][str(substance)] += float(value)
    rows = [
        (int(y), str(i), float(v), str(u))
        for y, i, v, u in base[["year", "indicator_id", "value", "unit"]].itertuples(index=False)
    ]
    for year, by_substance in sorted(direct.items()):
        rows.append((year, "nox_vocs_total", by_substance["NOx"] + by_substance["VOCs"], "t"))
        if year in gdp:
            rows.append((year, "apeq_per_gdp", apeq(by_substance) / gdp[year], "t / (wan * CNY)"))
            water = {s: by_substance[s] for s in WATER if s in by_substance}
            rows.append(
                (
                    year,
                    "water_eq_per_gdp",
                    pollution_equivalents(water) / gdp[year],
                    "1 / (wan * CNY)",
                )
            )
    return pd.DataFrame(rows, columns=["year", "indicator_id", "value", "unit"])


def city_synergy(
    inv: Inventory, statistics: Sequence[Statistic], system: IndicatorSystem | None = None
) -> pd.DataFrame:
    """The city's synergy degree by year (see :func:`xietong.synergy.index.synergy_degree`),
    from the whole inventory and the city-wide statistics."""
    return synergy_degree(synergy_indicators(inv, statistics), system)


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
            series = synergy_degree(synergy_indicators(part, statistics, district=district), sys_)
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


def governance_values(
    plan: Plan, records: Sequence[ProgressRecord], years: Sequence[int]
) -> pd.DataFrame:
    """The governance indicator ``targets_on_track_share`` by year: the percentage of the
    plan's targets with a figure by 31 December of the year that are achieved or on track
    (the plan's status rule, ``docs/methods/target-status.md``). Years with no assessed target
    are left out. The synergy-degree target is not counted: the degree cannot judge itself.
    Columns ``year, indicator_id, value, unit``."""
    rows = []
    good = {Status.ACHIEVED, Status.ON_TRACK}
    targets = [t for t in plan.targets if t.indicator_id != "synergy_degree"]
    sources = {t.id: plan.source_of(t) for t in targets}
    for year in years:
        found = assess_all(
            targets, records, dt.date(year, 12, 31), base_year=plan.base_year, sources=sources
        )
        judged = [a for a in found.values() if a.status.judged]
        if judged:
            share = 100 * sum(a.status in good for a in judged) / len(judged)
            rows.append((year, "targets_on_track_share", share, "percent"))
    return pd.DataFrame(rows, columns=["year", "indicator_id", "value", "unit"])
