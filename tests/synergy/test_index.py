"""Synergy degree: scoring against the base year, stability, the Wuhan series."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from xietong.accounting.activity import default_activity
from xietong.accounting.indicators import read_statistics
from xietong.accounting.inventory import build_inventory
from xietong.datafiles import data_path
from xietong.synergy.index import load_system, synergy_degree
from xietong.synergy.series import city_synergy, synergy_indicators

SYSTEM = load_system()


def frame(values: dict[int, dict[str, float]]) -> pd.DataFrame:
    units = {i.id: i.unit for i in SYSTEM.indicators}
    return pd.DataFrame(
        [(y, k, v, units[k]) for y, d in values.items() for k, v in d.items()],
        columns=["year", "indicator_id", "value", "unit"],
    )


def base_values(scale: float = 1.0) -> dict[str, float]:
    return {i.id: 100.0 * scale for i in SYSTEM.indicators}


def test_worked_example() -> None:
    """Every pollution indicator 25 % below 2015 (scores 0.5, 0.5 and 0.25/0.3 = 0.8333 →
    U1 = 0.5 × 0.5 + 0.2 × 0.5 + 0.3 × 0.8333 = 0.6); every carbon indicator 10 % below
    (scores 0.2 → U2 = 0.2). C = 2√0.12/0.8 = 0.866025; T = 0.4; D = √(0.34641) = 0.588566."""
    later = {i.id: 75.0 if i.subsystem == "pollution" else 90.0 for i in SYSTEM.indicators}
    out = synergy_degree(frame({2015: base_values(), 2020: later}))
    row = out[out.year == 2020].iloc[0]
    assert row.u_pollution == pytest.approx(0.6)
    assert row.u_carbon == pytest.approx(0.2)
    assert row.d == pytest.approx(math.sqrt(2 * math.sqrt(0.12) / 0.8 * 0.4))
    assert row.grade_zh == "勉强协调"
    assert out[out.year == 2015].iloc[0].d == 0.0


def test_adding_a_year_never_changes_earlier_values() -> None:
    a = {2015: base_values(), 2018: base_values(0.9)}
    b = {**a, 2019: base_values(0.5)}
    first, second = synergy_degree(frame(a)), synergy_degree(frame(b))
    assert first.equals(second[second.year <= 2018].reset_index(drop=True))


def test_index_is_invariant_to_the_unit_of_an_indicator() -> None:
    """NOx+VOCs in 万t instead of t gives the same scores (pint converts)."""
    values = frame({2015: base_values(), 2020: base_values(0.8)})
    in_wan = values.copy()
    mask = in_wan.indicator_id == "nox_vocs_total"
    in_wan.loc[mask, "value"] = in_wan.loc[mask, "value"] / 1e4
    in_wan.loc[mask, "unit"] = "wan * t"
    assert synergy_degree(values).equals(synergy_degree(in_wan))


def test_missing_base_year_is_refused() -> None:
    with pytest.raises(ValueError, match="base year 2015"):
        synergy_degree(frame({2016: base_values()}))


def test_wuhan_series_computes_every_year() -> None:
    inv = build_inventory(default_activity())
    stats = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    values = synergy_indicators(inv, stats)
    ids = {i.id for i in SYSTEM.indicators if i.subsystem != "governance"}
    for year in inv.years:
        assert ids <= set(values[values.year == year].indicator_id), year
    series = city_synergy(inv, stats)
    assert list(series.year) == inv.years
    assert series.d.between(0, 1).all()


def test_wuhan_lmdi_drivers_sum_to_the_change() -> None:
    from xietong.synergy.drivers import combustion_by_fuel, decompose

    inv = build_inventory(default_activity())
    stats = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    for substance in ("CO2", "NOx", "SO2"):
        d = decompose(inv, stats, substance, 2015, 2023)
        actual = sum(v[1] for v in combustion_by_fuel(inv, substance, 2023).values()) - sum(
            v[1] for v in combustion_by_fuel(inv, substance, 2015).values()
        )
        assert d.change == pytest.approx(actual)
        assert abs(d.residual) < 1e-6 * abs(d.v0)


def test_districts_are_ranked_from_their_own_rows() -> None:
    """Two districts: A cuts coal 40 % at constant GDP, B cuts 5 %: A ranks first; the city-wide
    row is not allocated to either; a district without statistics is left out."""
    from pathlib import Path

    from tests.accounting.conftest import make
    from xietong.accounting.factors import FactorLibrary
    from xietong.accounting.indicators import Statistic
    from xietong.synergy.series import district_synergy

    lib = FactorLibrary.load(Path(__file__).parents[1] / "accounting" / "data")
    acts = []
    for district, later in (("qingshan", 600.0), ("hongshan", 950.0), ("jiangxia", 500.0)):
        for year, coal in ((2015, 1000.0), (2020, later)):
            acts.append(
                make(
                    "bituminous_coal",
                    coal,
                    "t",
                    "industry",
                    year=year,
                    district=district,
                    control="wfgd",
                )
            )
            acts.append(make("electricity", 500, "MWh", "industry", year=year, district=district))
    acts.append(make("bituminous_coal", 5000, "t", "industry", year=2015))
    acts.append(make("bituminous_coal", 5000, "t", "industry", year=2020))
    inv = build_inventory(acts, lib)
    stats = [
        Statistic(y, ind, v, u, "test", "demo", d)
        for d in ("qingshan", "hongshan")
        for y in (2015, 2020)
        for ind, v, u in (
            ("gdp", 10.0, "yi * CNY"),
            ("gdp_real_index", 100.0, "dimensionless"),
            ("population", 10.0, "wan * person"),
        )
    ]
    # the 2020 real GDP comes from the 2020 nominal GDP and the index
    stats = [s for s in stats if not (s.indicator == "gdp" and s.year == 2015)]
    ranked = district_synergy(inv, stats, 2020)
    assert list(ranked.district) == ["qingshan", "hongshan"]
    assert list(ranked["rank"]) == [1, 2]
    assert ranked.iloc[0]["index"] > ranked.iloc[1]["index"]


def test_coupling_panel_with_entropy_weights() -> None:
    """Three years; entropy weights per subsystem sum to 1; D in [0, 1]; the best year on every
    indicator scores U = 1 in both subsystems → D = 1."""
    from xietong.synergy.index import coupling_panel

    values = frame({2015: base_values(), 2020: base_values(0.9), 2024: base_values(0.7)})
    out = coupling_panel(values)
    for sub in ("pollution", "carbon"):
        ids = [i.id for i in SYSTEM.subsystem(sub)]
        assert sum(out.iloc[0][f"w:{i}"] for i in ids) == pytest.approx(1.0)
    assert out.d.between(0, 1).all()
    assert out[out.unit == 2024].iloc[0].d == pytest.approx(1.0)
    given = coupling_panel(values, weights="given")
    assert given.iloc[0]["w:co2_intensity_gdp"] == 0.5


def test_governance_enters_the_index_not_the_degree() -> None:
    """With 50 % of targets on track (score 0.5) the index is 0.4 U1 + 0.4 U2 + 0.2 × 0.5;
    without the governance value it is (U1 + U2)/2; D is the same either way."""
    later = {i.id: 75.0 if i.subsystem == "pollution" else 90.0 for i in SYSTEM.indicators}
    later["targets_on_track_share"] = 50.0
    without = {k: v for k, v in later.items() if k != "targets_on_track_share"}
    base = {k: v for k, v in base_values().items() if k != "targets_on_track_share"}
    a = synergy_degree(frame({2015: base, 2020: later})).iloc[1]
    b = synergy_degree(frame({2015: base, 2020: without})).iloc[1]
    assert a.d == b.d
    assert a["index"] == pytest.approx(0.4 * 0.6 + 0.4 * 0.2 + 0.2 * 0.5)
    assert b["index"] == pytest.approx((0.6 + 0.2) / 2)


def test_governance_share_from_the_plan_status_rule() -> None:
    """Coal share 29.8 % in 2024 meets the ≤ 30 % target: 1 of 1 assessed target → 100 %;
    in 2023 no target has a figure yet → no value."""
    import datetime as dt

    from xietong.plan.loader import load_plan
    from xietong.plan.progress import ProgressRecord
    from xietong.synergy.series import governance_values

    rec = ProgressRecord(target_id="coal-share-2025", period_end=dt.date(2024, 12, 31), value=29.8)
    out = governance_values(load_plan(), [rec], [2023, 2024])
    assert list(out.year) == [2024]
    assert out.value.item() == 100.0
