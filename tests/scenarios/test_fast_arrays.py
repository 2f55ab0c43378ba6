"""The array Monte Carlo equals a slow run-by-run loop on the Wuhan data, and the BLAS limit.

The reference below is the projection of :mod:`xietong.scenarios.fast` as it was written
before the Monte Carlo worked in arrays (one draw at a time, growth by a loop over the years,
every base row on its own), so the vectorised code is held to the same numbers (1e-12
relative) for fixed seeds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xietong.scenarios.fast as fast
from xietong.accounting.activity import default_activity
from xietong.accounting.coefficients import replicate
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import read_statistics
from xietong.datafiles import data_path
from xietong.errors import XietongError
from xietong.scenarios.fast import (
    CO2_OUTPUTS,
    GENERATION_CREDIT,
    OUTPUTS,
    PERCENTILES,
    Assumptions,
    LinearModel,
    driver_levels,
    monte_carlo,
    peak_fan,
    simulate,
)
from xietong.scenarios.levers import (
    Rows,
    apply_lever,
    driver_rule,
    group_rows,
    row_fields,
    row_key,
)
from xietong.scenarios.peak import find_peak
from xietong.scenarios.projection import PEAK_INDICATOR as PEAK
from xietong.scenarios.projection import run_scenario
from xietong.scenarios.scenario import DriverRule, Drivers, load_drivers, load_scenario, matches

REL = 1e-12
SEED = 20230


@pytest.fixture(scope="module")
def wuhan() -> tuple[list, FactorLibrary, Drivers]:
    return default_activity("wuhan"), FactorLibrary.load(), load_drivers()


def _model(wuhan: tuple[list, FactorLibrary, Drivers], name: str) -> LinearModel:
    history, library, drivers = wuhan
    return LinearModel(history, drivers, load_scenario(name), library)


def _draw(model: LinearModel, draws: int, seed: int) -> Assumptions:
    """The draws of :func:`monte_carlo` (same generator, same order)."""
    sd = model.drivers.growth_sd
    lo, hi = model.drivers.strength_range
    rng = np.random.default_rng(seed)
    shifts = {name: rng.normal(0.0, sd.get(name, 0.0), draws) for name in model.drivers.rates}
    strengths = {lv.id: rng.uniform(lo, hi, draws) * lv.strength for lv in model.scenario.levers}
    return Assumptions(shifts, strengths)


def _reference_run(
    model: LinearModel,
    rules: Sequence[DriverRule | None],
    shift: Mapping[str, float],
    strength: Mapping[str, float],
    outputs: Sequence[str],
) -> dict[str, dict[int, float]]:
    """One draw, the pre-array way: per year, per base row (``rules``: its driver rule),
    growth by a loop over the years."""
    d = model.drivers
    ef_levers = [lv for lv in model.scenario.levers if lv.kind == "emission_factor"]
    out: dict[str, dict[int, float]] = {o: {} for o in outputs}
    base = group_rows(model.base)  # the base year's rows, which a cap lever holds to
    for year in range(d.base_year + 1, d.end_year + 1):
        rows: Rows = {}
        for a, rule in zip(model.base, rules, strict=True):
            growth = 1.0
            if rule is not None:
                level = 1.0
                for y in range(d.base_year + 1, year + 1):
                    level *= 1 + d.rates[rule.driver].get(y, 0.0) + shift.get(rule.driver, 0.0)
                growth = level**rule.elasticity
            k = row_key(a)
            amount = np.array([a.amount * growth])
            rows[k] = (rows[k][0], rows[k][1] + amount) if k in rows else (a, amount)
        for lever in model.scenario.levers:
            s = strength.get(lever.id, lever.strength)
            effect = np.array([lever.progress(year, d.base_year) * s])
            rows = apply_lever(lever, rows, effect, model.energy_ratio, base)
        for o in outputs:
            total = 0.0
            # co2_official: the rows' CO2 and their generation credit, which is hit by the
            # levers on electricity's factor
            parts = [(o, None)] + ([(GENERATION_CREDIT, "electricity")] if o == PEAK else [])
            for a, amount in rows.values():
                for part, as_activity in parts:
                    c = model.coefficients(a).get(part, 0.0)
                    if c == 0.0:
                        continue
                    fields = row_fields(replace(a, activity=as_activity) if as_activity else a)
                    mult = 1.0
                    for lv in ef_levers:
                        hit = o in lv.substances or (o in CO2_OUTPUTS and "CO2" in lv.substances)
                        if hit and matches(fields, lv.match):
                            r = lv.progress(year, d.base_year) * strength.get(lv.id, lv.strength)
                            mult *= 1 - r * (1 - lv.factor)
                    total += float(amount[0]) * c * mult
            out[o][year] = total
    return out


def _reference(
    model: LinearModel, assumptions: Assumptions, outputs: Sequence[str]
) -> dict[str, dict[int, np.ndarray]]:
    """:func:`_reference_run` draw by draw, stacked into arrays over the draws."""
    rules = [driver_rule(model.drivers, a) for a in model.base]
    runs = [
        _reference_run(
            model,
            rules,
            {k: float(v[i]) for k, v in assumptions.growth_shift.items()},
            {k: float(v[i]) for k, v in assumptions.strength.items()},
            outputs,
        )
        for i in range(assumptions.n)
    ]
    return {o: {y: np.array([r[o][y] for r in runs]) for y in runs[0][o]} for o in outputs}


def _assert_close(got: dict[str, dict[int, np.ndarray]], ref: dict[str, dict[int, np.ndarray]]):
    assert got.keys() == ref.keys()
    for o in ref:
        assert sorted(got[o]) == sorted(ref[o])
        for y in ref[o]:
            np.testing.assert_allclose(got[o][y], ref[o][y], rtol=REL, atol=0, err_msg=f"{o} {y}")


@pytest.mark.parametrize("name", ["baseline", "plan", "enhanced"])
def test_simulate_equals_the_run_by_run_reference_on_wuhan(wuhan, name: str) -> None:
    model = _model(wuhan, name)
    assumptions = _draw(model, 40, SEED)
    _assert_close(simulate(model, assumptions, OUTPUTS), _reference(model, assumptions, OUTPUTS))


def test_simulate_of_all_draws_equals_simulate_draw_by_draw(wuhan) -> None:
    model = _model(wuhan, "plan")
    a = _draw(model, 25, 7)
    together = simulate(model, a, OUTPUTS)
    for i in range(a.n):
        one = Assumptions(
            {k: v[i : i + 1] for k, v in a.growth_shift.items()},
            {k: v[i : i + 1] for k, v in a.strength.items()},
        )
        alone = simulate(model, one, OUTPUTS)
        for o in OUTPUTS:
            for y, v in alone[o].items():
                assert together[o][y][i] == pytest.approx(v[0], rel=REL, abs=0)


def test_rows_split_by_entity_give_the_same_runs(wuhan) -> None:
    """Base rows sharing a key (entities) are summed before growth: same result (1e-12)."""
    history, library, drivers = wuhan
    split = [
        replace(a, entity=f"E{i % 3:05d}")
        for i, a in enumerate(replicate([a for a in history if a.year == drivers.base_year], 3))
    ]
    scenario = load_scenario("plan")
    one = LinearModel(history, drivers, scenario, library)
    many = LinearModel(split, drivers, scenario, library)
    a = _draw(one, 30, SEED)
    _assert_close(simulate(many, a, OUTPUTS), simulate(one, a, OUTPUTS))
    _assert_close(simulate(many, a, ("co2_energy",)), _reference(many, a, ("co2_energy",)))


@pytest.mark.parametrize("name", ["plan", "enhanced"])
def test_monte_carlo_fan_equals_the_reference(wuhan, name: str) -> None:
    """Percentiles by year and P(peaked by) of the fan, from the reference runs; peak_fan
    takes the history from the central engine run."""
    history, library, drivers = wuhan
    stats = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    scenario = load_scenario(name)
    result = run_scenario(scenario, history, stats, drivers, library)
    model = LinearModel(history, drivers, scenario, library)
    draws, peak_years = 150, (2025, 2030, 2035)
    fan = peak_fan(result, model, drivers.base_year, draws=draws, seed=SEED)

    ref = _reference(model, _draw(model, draws, SEED), (PEAK,))[PEAK]
    past = {y: v for y, v in result.series(PEAK).items() if y <= drivers.base_year}
    years = sorted(set(past) | set(ref))
    assert fan.years == years and fan.draws == draws and fan.seed == SEED
    for y in years:
        want = np.percentile(ref[y], PERCENTILES) if y in ref else [past[y]] * len(PERCENTILES)
        np.testing.assert_allclose(fan.percentiles[y], want, rtol=REL, atol=0)
    runs = [{y: ref[y][i] if y in ref else past[y] for y in years} for i in range(draws)]
    peaks = [find_peak(r) for r in runs]
    assert fan.p_peak_by == {y: sum(p.peaked_by(y) for p in peaks) / draws for y in peak_years}


@settings(max_examples=80, deadline=None)
@given(
    data=st.data(),
    n=st.integers(min_value=1, max_value=5),
    span=st.integers(min_value=1, max_value=6),
    names=st.lists(st.sampled_from(["gdp", "pop", "steel", "vkt"]), min_size=1, unique=True),
)
def test_vectorised_growth_equals_a_draw_by_draw_loop(data, n: int, span: int, names) -> None:
    """driver_levels (draws × years × drivers) against Drivers.index per draw, year and
    driver, and a row's growth (level ** elasticity) against the per-row loop."""
    rate = st.floats(min_value=-0.2, max_value=0.3, allow_nan=False)
    base = 2020
    rates = {
        name: data.draw(st.dictionaries(st.integers(base - 1, base + span + 1), rate, max_size=8))
        for name in names
    }
    shifted = data.draw(st.lists(st.sampled_from(names), unique=True))
    shifts = {
        name: np.array(data.draw(st.lists(st.floats(-0.1, 0.1), min_size=n, max_size=n)))
        for name in shifted
    }
    drivers = Drivers(base, base + span, rates, (), {})
    levels = driver_levels(drivers, shifts, n)
    assert levels.shape == (n, span, len(names))
    for i in range(n):
        for t, year in enumerate(range(base + 1, base + span + 1)):
            for j, name in enumerate(drivers.rates):
                shift = float(shifts[name][i]) if name in shifts else 0.0
                want = drivers.index(name, year, shift)
                assert levels[i, t, j] == pytest.approx(want, rel=REL, abs=0)

    elasticity = data.draw(st.floats(min_value=0.0, max_value=1.5))
    rule = DriverRule({}, names[0], elasticity)
    growth = fast.row_growth(levels, list(drivers.rates), rule)
    for i in range(n):
        for t, year in enumerate(range(base + 1, base + span + 1)):
            shift = float(shifts[names[0]][i]) if names[0] in shifts else 0.0
            want = drivers.index(names[0], year, shift) ** elasticity
            assert growth[i, t] == pytest.approx(want, rel=REL, abs=0)


def _recorder(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    calls: list[dict[str, object]] = []
    real = fast.threadpool_limits

    def spy(**kwargs: object):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(fast, "threadpool_limits", spy)
    return calls


def test_one_blas_thread_by_default(wuhan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XIETONG_BLAS_THREADS", raising=False)
    calls = _recorder(monkeypatch)
    monte_carlo(_model(wuhan, "plan"), {2024: 1.0}, draws=10, seed=1)
    assert calls and all(c == {"limits": 1, "user_api": "blas"} for c in calls)


def test_blas_threads_from_the_environment(wuhan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIETONG_BLAS_THREADS", "3")
    calls = _recorder(monkeypatch)
    model = _model(wuhan, "plan")
    simulate(model, _draw(model, 5, 1))
    assert calls == [{"limits": 3, "user_api": "blas"}]


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_blas_thread_count_is_named(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("XIETONG_BLAS_THREADS", value)
    with pytest.raises(XietongError, match="XIETONG_BLAS_THREADS"):
        fast.blas_threads()


@pytest.mark.parametrize("name", ["baseline", "plan", "enhanced"])
def test_central_run_gives_the_engines_official_caliber(wuhan, name: str) -> None:
    """The vectorised co2_official (rows' CO2 less the generation credit, the credit hit by
    the cleaner-grid lever as electricity is) equals the indicator of the engine's run, which
    counts the credit at the factor of the electricity consumed."""
    history, library, drivers = wuhan
    stats = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    scenario = load_scenario(name)
    want = run_scenario(scenario, history, stats, drivers, library).series(PEAK)
    model = LinearModel(history, drivers, scenario, library)
    got = simulate(model, fast.central(model), (PEAK,))[PEAK]
    assert sorted(got) == [y for y in sorted(want) if y > drivers.base_year]
    for year, value in got.items():
        assert value[0] == pytest.approx(want[year], rel=1e-9), year


def test_the_eaf_lever_moves_the_reductant_without_its_bof_coal(wuhan) -> None:
    """The enhanced scenario moves 20 % of crude steel from BOF to EAF by 2035; the reductant
    row moves with it and, without the BF-BOF coal per t, emits nothing on the EAF route."""
    history, library, drivers = wuhan
    stats = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    result = run_scenario(load_scenario("enhanced"), history, stats, drivers, library)
    table = result.inventory.table()
    y2035 = table[(table["year"] == 2035) & (table["activity"] == "steel_reductant")]
    eaf = y2035[y2035["technology"] == "eaf"]
    assert not eaf.empty and eaf["value"].abs().sum() == 0.0
    rows = [a for a in result.inventory.activities if a.year == 2035]
    bof = sum(a.amount for a in rows if a.activity == "steel_reductant" and a.technology == "bof")
    moved = sum(a.amount for a in rows if a.activity == "steel_reductant" and a.technology == "eaf")
    assert moved / (bof + moved) == pytest.approx(0.2, rel=1e-9)
