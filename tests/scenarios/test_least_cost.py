"""The least-cost pathway on the shipped Wuhan data: it meets its constraints when the result
is run through the normal projection, and costs no more than the plan scenario where the plan
meets the same constraints."""

from __future__ import annotations

from pathlib import Path

import pytest

from xietong.accounting.activity import default_activity
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import read_statistics
from xietong.datafiles import data_path
from xietong.scenarios.fast import LinearModel
from xietong.scenarios.least_cost import (
    LeastCost,
    Request,
    candidates,
    least_cost,
    load_lever_costs,
    scenario_yaml,
)
from xietong.scenarios.projection import PEAK_INDICATOR, ScenarioResult, run_scenario
from xietong.scenarios.scenario import ScenarioError, load_drivers, load_scenario

HISTORY = default_activity()
LIBRARY = FactorLibrary.load()
DRIVERS = load_drivers()
STATS = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
COSTS = load_lever_costs()


@pytest.fixture(scope="module")
def plan() -> ScenarioResult:
    return run_scenario(load_scenario("plan"), HISTORY, STATS, DRIVERS, LIBRARY)


@pytest.fixture(scope="module")
def model() -> LinearModel:
    return LinearModel(HISTORY, DRIVERS, candidates(COSTS), LIBRARY)


def _history(plan: ScenarioResult) -> dict[int, float]:
    return {y: v for y, v in plan.series(PEAK_INDICATOR).items() if y <= DRIVERS.base_year}


def _engine(result: LeastCost) -> ScenarioResult:
    return run_scenario(result.scenario, HISTORY, STATS, DRIVERS, LIBRARY)


def test_every_candidate_lever_has_a_cost_with_its_basis() -> None:
    scenario = candidates(COSTS)
    assert {lv.id for lv in scenario.levers} == set(COSTS.levers)
    for cost in COSTS.levers.values():
        assert cost.basis and cost.basis_zh and cost.range
        assert 0 <= cost.min_strength <= cost.max_strength


def test_a_nox_cap_the_plan_meets_costs_no_more_than_the_plan(
    plan: ScenarioResult, model: LinearModel
) -> None:
    """The cap is the plan scenario's highest NOx of 2025–2035: the plan meets it, so the
    optimum costs no more; re-run through the engine, NOx stays under the cap."""
    nox = {
        y: float(v)
        for y, i, v in plan.indicators[["year", "indicator_id", "value"]].itertuples(index=False)
        if i == "nox_emissions_total" and y > DRIVERS.base_year
    }
    cap = max(nox.values())
    result = least_cost(model, Request(caps={"NOx": cap}), _history(plan), COSTS)
    assert result.plan_check.holds and result.check.holds
    assert result.cost <= result.plan_cost + 1.0
    for lid, s in result.solution.strengths.items():
        bounds = COSTS.levers[lid]
        assert bounds.min_strength - 1e-9 <= s <= bounds.max_strength + 1e-9
    engine = _engine(result)
    again = engine.indicators
    rerun = again[(again.indicator_id == "nox_emissions_total") & (again.year > 2024)]
    assert (rerun["value"] <= cap * (1 + 1e-6)).all()


def test_peak_by_2030_holds_in_the_engine_with_a_shadow_price(
    plan: ScenarioResult, model: LinearModel
) -> None:
    """The plan scenario does not peak by 2030; the least-cost strengths do, judged by the
    platform's peak rule on the engine's own run, and the binding peak constraint has a
    positive shadow price (the marginal abatement cost of CO2, CNY/t)."""
    assert not plan.peak.peaked_by(2030)
    result = least_cost(model, Request(peak_by=2030), _history(plan), COSTS)
    assert result.check.holds and not result.plan_check.holds
    assert _engine(result).peak.peaked_by(2030)
    prices = [c.shadow_price for c in result.solution.binding if "peak by 2030" in c.name]
    assert prices and all(p > 0 for p in prices)


def test_impossible_requests_say_what_to_relax(plan: ScenarioResult, model: LinearModel) -> None:
    with pytest.raises(ScenarioError, match="relax a cap or the peak year"):
        least_cost(model, Request(peak_by=2030, caps={"NOx": 50_000}), _history(plan), COSTS)
    with pytest.raises(ScenarioError, match="peak-by 2035"):
        least_cost(model, Request(peak_by=2035), _history(plan), COSTS)
    with pytest.raises(ScenarioError, match="no cap on CO"):
        least_cost(model, Request(caps={"CO": 1.0}), _history(plan), COSTS)


def test_the_result_is_a_scenario_file_like_the_others(
    plan: ScenarioResult, model: LinearModel, tmp_path: Path
) -> None:
    """The saved file extends the plan scenario; loaded back it has the optimal strengths,
    and its description names the binding constraints and their shadow prices."""
    result = least_cost(model, Request(peak_by=2030), _history(plan), COSTS)
    path = tmp_path / "least-cost-2030.yaml"
    path.write_text(scenario_yaml(result, "least-cost-2030"), encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded.id == "least-cost-2030"
    assert {lv.id: lv.strength for lv in loaded.levers} == pytest.approx(
        dict(result.solution.strengths), abs=1e-6
    )
    assert "影子价格" in loaded.description_zh and "shadow prices" in loaded.description


def test_a_bad_cost_file_names_the_key(tmp_path: Path) -> None:
    from xietong.scenarios.least_cost import load_lever_costs as load

    bad = tmp_path / "costs.yaml"
    bad.write_text("scenario: plan\nlevers:\n  coal-to-gas: {min: 0, max: 2}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"levers\.coal-to-gas'\.annual_cost: missing"):
        load(bad)
    bad.write_text("scenario: plan\nlevers:\n  x: {annual_cost: 1, min: 2, max: 1}\n")
    with pytest.raises(ScenarioError, match=r"levers\.x': need 0 ≤ min ≤ max"):
        load(bad)
    bad.write_text("levers: {}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="key 'scenario'"):
        load(bad)
