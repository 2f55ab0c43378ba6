"""The least-cost programme on a problem small enough to solve by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from xietong.scenarios.optimise import LeverOption, Problem, solve
from xietong.scenarios.scenario import ScenarioError

# 2025–2027: CO2 100, 104, 106 without levers; NOx 50, 52, 54.
BASE_CO2 = {2025: 100.0, 2026: 104.0, 2027: 106.0}
BASE_NOX = {2025: 50.0, 2026: 52.0, 2027: 54.0}
# A avoids 0, 4, 8 t CO2 and 0, 1, 2 t NOx per unit of strength for 30 CNY;
# B avoids 0, 2, 4 t CO2 for 12 CNY. Both strengths in [0, 1].
A = LeverOption("a", 30.0, {2025: 0.0, 2026: 4.0, 2027: 8.0}, {"NOx": {2026: 1.0, 2027: 2.0}})
B = LeverOption("b", 12.0, {2025: 0.0, 2026: 2.0, 2027: 4.0})


def test_the_two_lever_three_year_optimum_worked_by_hand() -> None:
    """Peak by 2025: E2026 ≤ E2025 needs 4a + 2b ≥ 4 and E2027 ≤ E2026 needs 4a + 2b ≥ 2. B
    buys a t of the 2026 gap at 12/2 = 6 CNY, A at 30/4 = 7.5, so b = 1 (its bound) and
    a = (4 − 2)/4 = 0.5: cost 12 + 15 = 27 CNY; CO2 100, 100, 98. The 2026 constraint
    binds with a shadow price of 7.5 CNY per t (the next t comes from A); the 2027 one has
    2 t of slack. With a NOx cap of 53.5 t: 54 − 2a ≤ 53.5 needs a ≥ 0.25, already met."""
    problem = Problem(
        BASE_CO2,
        (A, B),
        peak_by=2025,
        baseline_pollutants={"NOx": BASE_NOX},
        caps={"NOx": (53.5, 2025)},
    )
    s = solve(problem)
    assert s.strengths["a"] == pytest.approx(0.5) and s.strengths["b"] == pytest.approx(1.0)
    assert s.cost == pytest.approx(27.0)
    assert s.co2 == pytest.approx({2025: 100.0, 2026: 100.0, 2027: 98.0})
    assert s.pollutants["NOx"][2027] == pytest.approx(53.0)
    binding = {c.name: c.shadow_price for c in s.binding}
    assert binding == {"CO2 2026 ≤ 2025 (peak by 2025)": pytest.approx(7.5)}


def test_a_tight_nox_cap_makes_a_do_more_and_has_its_price() -> None:
    """NOx ≤ 52.5 t: 54 − 2a ≤ 52.5 needs a ≥ 0.75; the peak then needs only
    2b ≥ 4 − 3 = 1, b = 0.5: cost 22.5 + 6 = 28.5 CNY. Both the cap (2027) and the peak
    bind. The peak's shadow price is B's 6 CNY per t (B is between its bounds); the cap's is
    what a t of NOx costs through A net of the CO2 A also gives: (30 − 4 t × 6 CNY/t) / 2 t
    NOx = 3 CNY per t."""
    problem = Problem(
        BASE_CO2,
        (A, B),
        peak_by=2025,
        baseline_pollutants={"NOx": BASE_NOX},
        caps={"NOx": (52.5, 2025)},
    )
    s = solve(problem)
    assert s.strengths["a"] == pytest.approx(0.75) and s.strengths["b"] == pytest.approx(0.5)
    assert s.cost == pytest.approx(28.5)
    binding = {c.name: c.shadow_price for c in s.binding}
    assert binding["NOx 2027 ≤ 52.5 t"] == pytest.approx(3.0)
    assert binding["CO2 2026 ≤ 2025 (peak by 2025)"] == pytest.approx(6.0)


def test_the_co_benefit_value_lowers_a_levers_cost() -> None:
    """At 20 CNY per t NOx avoided, A's 3 t NOx over the horizon are worth 60 CNY: A costs
    30 − 60 = −30 and is taken at its bound even with no constraint; B is not needed."""
    s = solve(
        Problem(BASE_CO2, (A, B), baseline_pollutants={"NOx": BASE_NOX}, co_benefit={"NOx": 20})
    )
    assert s.strengths == pytest.approx({"a": 1.0, "b": 0.0})
    assert s.cost == pytest.approx(-30.0)


def test_an_impossible_problem_is_refused_with_its_constraints_named() -> None:
    """Peak by 2025 with B alone cannot be met: 2b ≥ 4 needs b = 2 > 1."""
    with pytest.raises(ScenarioError, match="peak by 2025"):
        solve(Problem(BASE_CO2, (B,), peak_by=2025))


# The platform's peak rule made linear: history 2024 at 100 t, baseline 105 and 110 t in 2025
# and 2026; C avoids 5 and 12 t per unit for 10 CNY, D avoids 0 and 20 t for 30 CNY.
PEAK_BASE = {2024: 100.0, 2025: 105.0, 2026: 110.0}
C = LeverOption("c", 10.0, {2025: 5.0, 2026: 12.0})
D = LeverOption("d", 30.0, {2026: 20.0})


def test_the_peak_against_a_reference_year_worked_by_hand() -> None:
    """Peak by 2025, band 0. Against 2024 (a history year, no lever moves it): E2026 ≤ 100
    needs 12c + 20d ≥ 10; C buys a t at 10/12 CNY, D at 1.5: c = 5/6, cost 8.333, shadow
    price 0.8333 CNY/t. Against 2025: E2026 ≤ E2025 needs 7c + 20d ≥ 5 (C's 2025 effect
    counts against it); C buys a t at 10/7 = 1.4286 CNY, D at 1.5: c = 5/7, cost 7.1429,
    shadow price 1.4286 CNY/t. The least-cost pathway keeps the cheaper reference, 2025. With
    a 2 % band the last year must fall below 0.98 × E2025: 7.1c + 20d ≥ 7.1, so c = 1."""
    from xietong.scenarios.least_cost import Request, _cheapest

    base = Problem(PEAK_BASE, (C, D), peak_by=2025, band=0.0)
    on_2024 = solve(replace(base, peak_reference=2024))
    assert on_2024.strengths == pytest.approx({"c": 5 / 6, "d": 0.0})
    assert on_2024.cost == pytest.approx(25 / 3)
    assert [c.shadow_price for c in on_2024.binding] == [pytest.approx(10 / 12)]
    on_2025 = solve(replace(base, peak_reference=2025))
    assert on_2025.strengths == pytest.approx({"c": 5 / 7, "d": 0.0})
    assert on_2025.cost == pytest.approx(50 / 7)
    assert [c.shadow_price for c in on_2025.binding] == [pytest.approx(10 / 7)]
    assert _cheapest(base, Request(peak_by=2025)).cost == pytest.approx(50 / 7)
    banded = solve(replace(base, peak_reference=2025, band=0.02))
    assert banded.strengths == pytest.approx({"c": 1.0, "d": 0.0})
