"""Vectorised projection: it reproduces the engine's run; Monte Carlo and sensitivity."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scenarios.test_projection import BASELINE, DRIVERS, HISTORY, LIB, TWO, run
from xietong.scenarios.fast import LinearModel, central, monte_carlo, simulate
from xietong.scenarios.sensitivity import one_at_a_time, sobol


@pytest.mark.parametrize("scenario", [BASELINE, TWO], ids=["baseline", "two"])
def test_central_run_reproduces_the_engine(scenario) -> None:
    model = LinearModel(HISTORY, DRIVERS, scenario, LIB)
    sim = simulate(model, central(model), ("co2_energy", "co2_official", "NOx"))
    ref = run(scenario)
    co2, official = ref.series("co2_energy"), ref.series("co2_official")
    table = ref.inventory.table()
    for year in range(2025, 2031):
        assert sim["co2_energy"][year][0] == pytest.approx(co2[year], rel=1e-12)
        assert sim["co2_official"][year][0] == pytest.approx(official[year], rel=1e-12)
        nox = table[(table.year == year) & (table.substance == "NOx")]["value"].sum()
        assert sim["NOx"][year][0] == pytest.approx(nox, rel=1e-12)


def test_monte_carlo_is_seeded_and_ordered() -> None:
    model = LinearModel(HISTORY, DRIVERS, TWO, LIB)
    history = {2024: run(BASELINE).series("co2_energy")[2024]}
    a = monte_carlo(model, history, draws=300, seed=3)
    b = monte_carlo(model, history, draws=300, seed=3)
    assert a.percentiles == b.percentiles and a.p_peak_by == b.p_peak_by
    for year in a.years:
        assert a.percentiles[year] == sorted(a.percentiles[year])
    assert 0.0 <= a.p_peak_by[2030] <= 1.0


def test_no_spread_gives_the_central_run() -> None:
    model = LinearModel(HISTORY, DRIVERS, TWO, LIB)
    history = {2024: 1.0}
    fan = monte_carlo(model, history, draws=50, growth_sd={}, strength_range=(1.0, 1.0))
    co2 = run(TWO).series("co2_energy")
    assert fan.percentiles[2030] == pytest.approx([co2[2030]] * 5)


def test_one_at_a_time_names_gdp_first_without_levers() -> None:
    model = LinearModel(HISTORY, DRIVERS, BASELINE, LIB)
    rows = one_at_a_time(model, year=2030)
    assert rows[0][0] == "growth:gdp" and rows[0][3] > 0
    assert rows[-1][3] == 0.0  # population drives nothing in this test data


def test_sobol_indices() -> None:
    model = LinearModel(HISTORY, DRIVERS, TWO, LIB)
    rows = sobol(model, year=2030, n=64, seed=1)
    names = [r[0] for r in rows]
    assert set(names) == {"growth:gdp", "growth:population"} | {
        f"lever:{lv.id}" for lv in TWO.levers
    }
    assert all(-0.2 <= s1 <= 1.2 and -0.2 <= st <= 1.2 for _, s1, st in rows)
    only_growth = LinearModel(HISTORY, DRIVERS, replace(TWO, levers=()), LIB)
    top = sobol(only_growth, year=2030, n=64, seed=1)[0]
    assert top[0] == "growth:gdp" and top[2] == pytest.approx(1.0, abs=0.1)
    assert np.isfinite(top[1])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(min_value=-5, max_value=100, allow_nan=False), min_size=6, max_size=6),
        min_size=1,
        max_size=12,
    )
)
def test_peaked_by_all_runs_at_once_is_find_peak_run_by_run(runs: list[list[float]]) -> None:
    """The vectorised peak rule gives the share find_peak gives, run by run (ties included)."""
    from xietong.scenarios.fast import peaked_by
    from xietong.scenarios.peak import find_peak

    years = np.arange(2025, 2031)
    matrix = np.array(runs, dtype=float).T
    got = peaked_by(years, matrix, (2026, 2028, 2030))
    for y in (2026, 2028, 2030):
        expected = sum(
            find_peak(dict(zip(years.tolist(), run, strict=True))).peaked_by(y) for run in runs
        ) / len(runs)
        assert got[y] == expected
