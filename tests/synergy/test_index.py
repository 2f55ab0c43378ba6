"""Synergy degree: fixed-reference scoring, the four-subsystem coupling, the consistency flag,
stability, and the Wuhan series."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from xietong.accounting.activity import default_activity
from xietong.accounting.indicators import read_statistics
from xietong.accounting.inventory import build_inventory
from xietong.datafiles import data_path
from xietong.synergy.coordinates import Quadrant
from xietong.synergy.index import IndicatorSystem, load_system, synergy_degree
from xietong.synergy.series import city_synergy, degree_of, synergy_indicators

SYSTEM = load_system()

TOY = """version: 9
reference_year: 2020
pass_score: 0.6
subsystems:
  a: {zh: 甲, en: A, weight: 0.5}
  b: {zh: 乙, en: B, weight: 0.5}
co_control:
  class_scores: {synergy: 0.8, pollution_axis: 0.7, carbon_axis: 0.7, neutral: 0.6,
    pollutant_only: 0.3, carbon_only: 0.3, both_worse: 0.0}
indicators:
  - {id: co2, subsystem: a, zh: x, en: x, unit: t, direction: negative, weight: 1.0,
     reference: {kind: target, change: -0.1, basis: test}}
  - {id: pm, subsystem: b, zh: y, en: y, unit: microgram / meter ** 3, direction: negative,
     weight: 0.5, reference: {kind: standard, base_value: 35, satisfactory: 25, basis: test}}
  - {id: good, subsystem: b, zh: z, en: z, unit: percent, direction: positive, weight: 0.5,
     reference: {kind: expert, base_value: 80, satisfactory: 100, basis: test}}
"""


@pytest.fixture
def toy(tmp_path: Path) -> IndicatorSystem:
    path = tmp_path / "system.yaml"
    path.write_text(TOY, encoding="utf-8")
    return load_system(path)


def values(rows: dict[int, dict[str, float]], units: dict[str, str] | None = None) -> pd.DataFrame:
    u = {"co2": "t", "pm": "microgram / meter ** 3", "good": "percent", **(units or {})}
    return pd.DataFrame(
        [(y, k, v, u[k]) for y, d in rows.items() for k, v in d.items()],
        columns=["year", "indicator_id", "value", "unit"],
    )


THREE_YEARS = {
    2019: {"co2": 105.0, "pm": 45.0, "good": 70.0},
    2020: {"co2": 100.0, "pm": 35.0, "good": 80.0},
    2021: {"co2": 95.0, "pm": 30.0, "good": 90.0},
}


def test_reference_value_normalisation_by_hand(toy: IndicatorSystem) -> None:
    """Pass mark 0.6 at the reference, 1 at the satisfactory value, linear, clipped.

    2019: co2 105 against 100 → 0.6 − 0.4 × 5/10 = 0.4; pm 45 against 35 (full at 25) →
    0.6 − 0.4 × 10/10 = 0.2; good 70 against 80 (full at 100) → 0.6 − 0.4 × 10/20 = 0.4,
    U_b = 0.3. 2020: every score 0.6. 2021: co2 95 → 0.8; pm 30 → 0.8; good 90 → 0.8.
    D(2019) = √(C·T) with C = 2√(0.4 × 0.3)/0.7 = 0.98974, T = 0.35 → 0.58857;
    D(2020) = √0.6 = 0.774597; D(2021) = √0.8 = 0.894427."""
    out = synergy_degree(values(THREE_YEARS), toy).set_index("year")
    assert out.loc[2019, "u_a"] == pytest.approx(0.4)
    assert out.loc[2019, "u_b"] == pytest.approx(0.3)
    assert out.loc[2019, "c"] == pytest.approx(2 * math.sqrt(0.12) / 0.7)
    assert out.loc[2019, "d"] == pytest.approx(math.sqrt(2 * math.sqrt(0.12) / 0.7 * 0.35))
    assert out.loc[2020, "d"] == pytest.approx(math.sqrt(0.6))
    assert out.loc[2021, "d"] == pytest.approx(math.sqrt(0.8))
    assert out.loc[2021, "grade_zh"] == "良好协调"
    assert out.loc[2019, "d"] > 0  # no year is 0 by construction
    assert bool(out["complete"].all())


def test_scores_are_clipped_and_an_empty_subsystem_zeroes_the_degree(toy: IndicatorSystem) -> None:
    """pm 60 (far above 35) and good 40 both score 0: U_b = 0, so C = 0 and D = 0."""
    rows = {2020: THREE_YEARS[2020], 2022: {"co2": 80.0, "pm": 60.0, "good": 40.0}}
    row = synergy_degree(values(rows), toy).set_index("year").loc[2022]
    assert (row.u_a, row.u_b, row.d) == (1.0, 0.0, 0.0)


def test_adding_a_year_never_changes_earlier_values(toy: IndicatorSystem) -> None:
    first = synergy_degree(values(THREE_YEARS), toy)
    more = {**THREE_YEARS, 2022: {"co2": 50.0, "pm": 20.0, "good": 99.0}}
    second = synergy_degree(values(more), toy)
    assert first.equals(second[second.year <= 2021].reset_index(drop=True))


def test_a_change_of_unit_changes_nothing(toy: IndicatorSystem) -> None:
    """CO2 in 万t instead of t gives the same scores (pint converts)."""
    in_wan = {y: {**d, "co2": d["co2"] / 1e4} for y, d in THREE_YEARS.items()}
    a = synergy_degree(values(THREE_YEARS), toy)
    b = synergy_degree(values(in_wan, {"co2": "wan * t"}), toy)
    pd.testing.assert_frame_equal(a, b)


def test_missing_indicators_are_listed_and_weights_renormalised(toy: IndicatorSystem) -> None:
    """2021 without 'good': U_b is the pm score alone (0.8) and the year says what it lacks;
    without any b indicator the year has one subsystem and is left out."""
    rows = {
        2020: THREE_YEARS[2020],
        2021: {"co2": 95.0, "pm": 30.0},
        2022: {"co2": 95.0},
    }
    out = synergy_degree(values(rows), toy).set_index("year")
    assert out.loc[2021, "u_b"] == pytest.approx(0.8)
    assert not out.loc[2021, "complete"] and out.loc[2021, "missing"] == "good"
    assert 2022 not in out.index


def test_an_indicator_without_its_reference_year_is_missing_every_year(
    toy: IndicatorSystem,
) -> None:
    """co2 is scored against its 2020 value: without one it cannot be scored at all, and the
    degree rests on what is left (here one subsystem: no year is scored)."""
    rows = {2021: THREE_YEARS[2021], 2019: THREE_YEARS[2019]}
    with pytest.raises(ValueError, match="no year has two subsystems"):
        synergy_degree(values(rows), toy)


def test_entropy_weights_are_selectable(toy: IndicatorSystem) -> None:
    """Entropy weights of subsystem b over the three years sum to 1; the expert ones are the
    file's 0.5/0.5."""
    expert = synergy_degree(values(THREE_YEARS), toy)
    entropy = synergy_degree(values(THREE_YEARS), toy, weights="entropy")
    assert (expert.iloc[0]["w:pm"], expert.iloc[0]["w:good"]) == (0.5, 0.5)
    assert entropy.iloc[0]["w:pm"] + entropy.iloc[0]["w:good"] == pytest.approx(1.0)
    assert entropy.iloc[0]["w:pm"] != 0.5
    with pytest.raises(ValueError, match="expert or entropy"):
        synergy_degree(values(THREE_YEARS), toy, weights="equal")


def test_consistency_flag(toy: IndicatorSystem) -> None:
    """2021 is graded 良好协调 (D 0.894): with coordinates that say 减污增碳 since 2020 it is
    flagged; with 协同减排 it is not; a year below 勉强协调 is never flagged."""
    uneven = {2021: [("较2020年", "since 2020", Quadrant.POLLUTANT_ONLY)]}
    flagged = synergy_degree(values(THREE_YEARS), toy, quadrants=uneven).set_index("year")
    assert not flagged.loc[2021, "consistent"]
    assert "减污增碳" in flagged.loc[2021, "flag_zh"] and "良好协调" in flagged.loc[2021, "flag_zh"]
    assert "pollution down, carbon up" in flagged.loc[2021, "flag_en"]
    even = {2021: [("较2020年", "since 2020", Quadrant.SYNERGY)]}
    assert synergy_degree(values(THREE_YEARS), toy, quadrants=even)["consistent"].all()
    low = {2019: [("较上年", "on the previous year", Quadrant.BOTH_WORSE)]}
    rows = {**THREE_YEARS, 2019: {"co2": 140.0, "pm": 60.0, "good": 40.0}}
    assert synergy_degree(values(rows), toy, quadrants=low)["consistent"].all()


def test_a_reference_that_is_already_beaten_is_refused(tmp_path: Path) -> None:
    bad = TOY.replace("base_value: 80, satisfactory: 100", "base_value: 100, satisfactory: 80")
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ValueError, match="better than the base"):
        load_system(path)


def test_the_shipped_system_is_documented() -> None:
    """Four subsystems whose β sum to 1; every scored indicator states the kind and the basis
    of its reference."""
    assert [s.id for s in SYSTEM.subsystems] == [
        "emissions",
        "structure",
        "environment",
        "co_control",
    ]
    assert sum(s.weight for s in SYSTEM.subsystems) == pytest.approx(1.0)
    for ind in SYSTEM.indicators:
        if ind.scoring == "reference":
            assert ind.reference is not None and ind.reference.basis, ind.id


def test_wuhan_series() -> None:
    """The shipped data: 2020 (the reference) has the emissions at the pass mark; every flagged
    year is graded 协调 with a 减污增碳, 降碳增污 or 双增 coordinate; every year lists what it
    lacks (the circular coal share among them)."""
    inv = build_inventory(default_activity())
    stats = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    series = city_synergy(inv, stats).set_index("year")
    assert series.loc[2020, "u_emissions"] == pytest.approx(0.6)
    assert series.loc[2020, "u_co_control"] == pytest.approx(0.6)
    assert series["d"].between(0, 1).all()
    for year, row in series.iterrows():
        assert "coal_share_energy" in row["missing"], year
        if not row["consistent"]:
            assert row["grade"] >= 6 and row["flag_zh"], year
    values = synergy_indicators(inv, stats)
    assert degree_of(values).equals(city_synergy(inv, stats))


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
    """Two districts: qingshan cuts coal 40 % after the reference year 2020 at constant GDP,
    hongshan 5 %: qingshan ranks first in 2024; the city-wide row is not allocated to either;
    a district without statistics is left out."""
    from tests.accounting.conftest import make
    from xietong.accounting.factors import FactorLibrary
    from xietong.accounting.indicators import Statistic
    from xietong.synergy.series import district_synergy

    lib = FactorLibrary.load(Path(__file__).parents[1] / "accounting" / "data")
    acts = []
    for district, later in (("qingshan", 600.0), ("hongshan", 950.0), ("jiangxia", 500.0)):
        for year, coal in ((2020, 1000.0), (2024, later)):
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
    acts.append(make("bituminous_coal", 5000, "t", "industry", year=2020))
    acts.append(make("bituminous_coal", 5000, "t", "industry", year=2024))
    inv = build_inventory(acts, lib)
    stats = [
        Statistic(y, ind, v, u, "test", "demo", d)
        for d in ("qingshan", "hongshan")
        for y in (2020, 2024)
        for ind, v, u in (
            ("gdp", 10.0, "yi * CNY"),
            ("gdp_real_index", 100.0, "dimensionless"),
            ("population", 10.0, "wan * person"),
        )
    ]
    # the real GDP comes from the 2020 nominal GDP and the index
    stats = [s for s in stats if not (s.indicator == "gdp" and s.year == 2024)]
    ranked = district_synergy(inv, stats, 2024)
    assert list(ranked.district) == ["qingshan", "hongshan"]
    assert list(ranked["rank"]) == [1, 2]
    assert ranked.iloc[0]["index"] > ranked.iloc[1]["index"]


def test_coupling_panel_with_entropy_weights(toy: IndicatorSystem) -> None:
    """Three years; entropy weights per subsystem sum to 1; D in [0, 1]; the best year on every
    indicator scores U = 1 in both subsystems → D = 1 (min–max over the panel)."""
    from xietong.synergy.index import coupling_panel

    out = coupling_panel(values(THREE_YEARS), toy)
    assert out.iloc[0]["w:pm"] + out.iloc[0]["w:good"] == pytest.approx(1.0)
    assert out.d.between(0, 1).all()
    assert out[out.unit == 2021].iloc[0].d == pytest.approx(1.0)
    expert = coupling_panel(values(THREE_YEARS), toy, weights="expert")
    assert expert.iloc[0]["w:pm"] == 0.5
