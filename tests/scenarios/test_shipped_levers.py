"""The shipped scenarios on the Wuhan data: the existing-policy baseline (grid path, 国六
turnover, calibrated electricity) and the plan's levers with their clauses."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

import pytest

from xietong.accounting.activity import Activity, default_activity
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import read_statistics
from xietong.datafiles import data_path
from xietong.scenarios.projection import ScenarioResult, project_activities, run_scenario
from xietong.scenarios.scenario import load_drivers, load_scenario


@cache
def _acts(name: str) -> list[Activity]:
    return project_activities(
        default_activity("wuhan"), load_drivers(), load_scenario(name), FactorLibrary.load()
    )


@cache
def _run(name: str) -> ScenarioResult:
    return run_scenario(
        load_scenario(name),
        default_activity("wuhan"),
        read_statistics(data_path("cities", "wuhan", "statistics.csv")),
        load_drivers(),
        FactorLibrary.load(),
    )


def _sum(acts: list[Activity], year: int, **fields: str) -> float:
    return sum(
        a.amount
        for a in acts
        if a.year == year and all(getattr(a, k) == v for k, v in fields.items())
    )


def test_the_plan_extends_the_baseline_and_keeps_its_policies_as_they_are() -> None:
    baseline, plan = load_scenario("baseline"), load_scenario("plan")
    assert {lv.id for lv in baseline.levers} == {
        "cleaner-grid",
        "fleet-turnover-old",
        "fleet-turnover-cn5",
    }
    assert all(lv in plan.levers for lv in baseline.levers)


def test_the_baseline_turns_the_fleet_over_to_guo_6() -> None:
    """The 国六 share of the kilometres of vehicles with an emission stage rises from 2024 to
    2030 and 2035; no 国三 or 国四 car, bus or truck is left in 2030; NOx falls."""
    acts = _acts("baseline")
    share: dict[int, float] = {}
    for year in (2024, 2030, 2035):
        staged = [a for a in acts if a.year == year and a.activity == "vkt" and a.control]
        cn6 = sum(a.amount for a in staged if a.control == "cn6")
        share[year] = cn6 / sum(a.amount for a in staged)
        if year >= 2030:
            old = [
                a
                for a in staged
                if a.control in ("cn3", "cn4") and a.technology != "motorcycle_gasoline"
            ]
            assert sum(a.amount for a in old) == pytest.approx(0.0, abs=1e-6)
    assert share[2024] < share[2030] < share[2035]
    nox = _run("baseline").series("nox_emissions_total")
    assert nox[2030] < nox[2024]


def test_the_baseline_grid_factor_falls_and_electricity_follows_its_calibration() -> None:
    """Electricity use grows as real GDP^1.26 (2025: GDP +5.5 %); the CO2 of a kWh falls
    with the grid path (the cleaner-grid lever's ramp: 1/11 of 20 % in 2025)."""
    acts = _acts("baseline")
    e24 = _sum(acts, 2024, activity="electricity")
    e25 = _sum(acts, 2025, activity="electricity")
    assert e25 / e24 == pytest.approx(1.055**1.26)
    inv = _run("baseline").inventory
    per_kwh: dict[int, float] = defaultdict(float)
    amount: dict[int, float] = defaultdict(float)
    for r in inv.rows:
        a = r.activity
        if a.activity == "electricity" and a.sector == "industry" and r.emission.substance == "CO2":
            per_kwh[a.year] += r.emission.tonnes
            amount[a.year] += a.amount
    ratio = (per_kwh[2025] / amount[2025]) / (per_kwh[2024] / amount[2024])
    assert ratio == pytest.approx(1 - 0.2 / 11)


def test_the_plan_meets_its_gas_and_coal_share_clauses_in_2025() -> None:
    """Measure 4: 天然气用气量达到40亿立方米以上 and coal ≤ 30 % of energy by 2025 (the
    coal-to-gas lever's share is sized for the first)."""
    gas = _sum(_acts("plan"), 2025, activity="natural_gas")  # 万m³
    assert gas >= 40 * 1e4
    assert gas == pytest.approx(40 * 1e4, rel=1e-3)
    assert _run("plan").series("coal_share_energy")[2025] <= 30.0


def test_the_coal_cap_holds_coal_to_its_2024_heat() -> None:
    """With the plan's levers, the coal of power and heat plants and industry (steel aside) is
    never above its 2024 amount (the same coal types, so tonnes stand for heat)."""
    acts = _acts("plan")
    coal = ("raw_coal", "bituminous_coal", "anthracite", "washed_coal")

    def capped(year: int) -> float:
        return sum(
            a.amount
            for a in acts
            if a.year == year
            and a.activity in coal
            and a.sector in ("energy_industries", "industry")
            and a.subsector != "steel"
        )

    assert all(capped(y) <= capped(2024) * (1 + 1e-9) for y in range(2025, 2036))


PLAN_CLAUSE = re.compile(r"plan (target|clause|measures? \d+)")


def test_every_plan_lever_names_its_clause() -> None:
    """Every lever of the plan scenario (the baseline's aside) cites a plan target, clause or
    measure in its basis, in English and in Chinese."""
    baseline = load_scenario("baseline")
    for lv in load_scenario("plan").levers:
        if lv in baseline.levers:
            continue
        assert PLAN_CLAUSE.search(lv.basis), lv.id
        assert "方案" in lv.basis_zh, lv.id


def test_the_plan_lowers_vocs_and_nox_below_the_baseline() -> None:
    base, plan = _run("baseline"), _run("plan")
    for indicator in ("vocs_emissions_total", "nox_emissions_total"):
        assert plan.series(indicator)[2030] < base.series(indicator)[2030]
