"""Scenario projection: no-lever and zero-strength identities, wedges, levers, errors."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.accounting.conftest import make
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import Statistic
from xietong.accounting.inventory import build_inventory
from xietong.scenarios.projection import project_activities, run_scenario, wedges
from xietong.scenarios.scenario import (
    Lever,
    Scenario,
    ScenarioError,
    load_drivers,
    load_scenario,
)

DATA = Path(__file__).parent / "data"
LIB = FactorLibrary.load(Path(__file__).parents[1] / "accounting" / "data")
DRIVERS = load_drivers(DATA / "drivers.yaml")
BASELINE = Scenario("baseline", "基准", "Baseline", ())
TWO = load_scenario(DATA / "two.yaml")
HISTORY = [
    make("bituminous_coal", 1000, "t", "industry", year=2024),
    make("electricity", 2000, "MWh", "industry", year=2024),
    make("n_fertiliser", 100, "t", "agriculture", year=2024),
    make(
        "vkt",
        10,
        "wan * km",
        "transport",
        year=2024,
        subsector="road",
        technology="car_gasoline",
        control="cn5",
    ),
]
STATS = [
    Statistic(2020, "gdp", 100.0, "yi * CNY", "test", "demo"),
    Statistic(2024, "gdp_real_index", 120.0, "dimensionless", "test", "demo"),
    Statistic(2024, "population", 100.0, "wan * person", "test", "demo"),
]


def run(scenario: Scenario):
    return run_scenario(scenario, HISTORY, STATS, DRIVERS, LIB)


def test_base_year_is_reproduced_exactly() -> None:
    result = run(BASELINE).inventory.table()
    direct = build_inventory(HISTORY, LIB).table()
    got = result[result.year == 2024].drop(columns="row_id").reset_index(drop=True)
    assert got.equals(direct.drop(columns="row_id"))


def test_no_growth_no_lever_keeps_every_year_at_the_base_year() -> None:
    flat = replace(DRIVERS, rates={"population": {}, "gdp": {}})
    acts = project_activities(HISTORY, flat, BASELINE, LIB)
    for year in range(2025, 2031):
        assert sorted((a.activity, a.amount) for a in acts if a.year == year) == sorted(
            (a.activity, a.amount) for a in HISTORY
        )


def test_driver_growth() -> None:
    """Industry coal with elasticity 0.5 on GDP growing 5 %/yr: 2030 = 1000 × 1.05^(6 × 0.5)."""
    acts = project_activities(HISTORY, DRIVERS, BASELINE, LIB)
    coal = next(a for a in acts if a.year == 2030 and a.activity == "bituminous_coal")
    assert coal.amount == pytest.approx(1000 * 1.05**3)


def test_zero_strength_changes_nothing() -> None:
    zero = TWO.with_strength({lv.id: 0.0 for lv in TWO.levers})
    assert run(zero).series("co2_energy") == run(BASELINE).series("co2_energy")


def test_lever_ramp_and_shift() -> None:
    """less-coal ramps 1/3, 2/3, 1 over 2025–2027: 2027 coal = base × growth × 0.5;
    ev moves 0.5 × 1/5 of car km to electric buses in 2026."""
    acts = project_activities(HISTORY, DRIVERS, TWO, LIB)
    coal = {a.year: a.amount for a in acts if a.activity == "bituminous_coal"}
    assert coal[2027] == pytest.approx(1000 * 1.05**1.5 * 0.5)
    assert coal[2025] == pytest.approx(1000 * 1.05**0.5 * (1 - 0.5 / 3))
    bus = [a for a in acts if a.year == 2026 and a.technology == "bus_electric"]
    assert bus[0].amount == pytest.approx(10 * 1.05**2 * 0.5 / 5)


def test_a_lever_begun_before_the_base_year_projects_only_what_is_left() -> None:
    """A lever from 2023, full in 2030, is 2/8 done by the base year 2024 (in the history):
    the projection applies 3/8 − 2/8 = 1/8 in 2025 and 6/8 from 2030; one done by 2023 adds
    nothing; one starting after the base year is unchanged."""
    from dataclasses import replace

    lever = replace(TWO.levers[0], start=2023, full=2030)
    assert lever.progress(2025) == pytest.approx(3 / 8)
    assert lever.progress(2025, 2024) == pytest.approx(1 / 8)
    assert lever.progress(2030, 2024) == pytest.approx(6 / 8)
    assert lever.progress(2020, 2024) == 0.0
    done = replace(lever, start=2023, full=2023)
    assert done.progress(2030, 2024) == 0.0
    later = replace(lever, start=2026, full=2027, strength=0.5)
    assert later.ramp(2026, 2024) == pytest.approx(0.5 * 0.5)


def test_emission_factor_lever_is_in_the_trace() -> None:
    inv = run(TWO).inventory
    row = next(
        r for r in inv.rows if r.activity.year == 2030 and r.activity.activity == "electricity"
    )
    assert any(t.name == "lever grid" for t in row.emission.terms)
    base = next(
        r
        for r in run(BASELINE).inventory.rows
        if r.activity.year == 2030 and r.activity.activity == "electricity"
    )
    assert row.emission.tonnes == pytest.approx(base.emission.tonnes * 0.5)


def test_wedges_add_up_with_the_interaction() -> None:
    w = wedges(TWO, HISTORY, STATS, DRIVERS, LIB, BASELINE)
    for year, combined in w.combined.items():
        assert combined == pytest.approx(
            sum(s[year] for s in w.single.values()) + w.interaction[year]
        )
    # coal and fertiliser act on disjoint rows linearly: alone they do not interact
    pair = replace(TWO, levers=TWO.levers[:2])
    w2 = wedges(pair, HISTORY, STATS, DRIVERS, LIB, BASELINE)
    assert max(abs(v) for v in w2.interaction.values()) < 1e-6


def test_yaml_errors_name_file_key_reason(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"bad.yaml, key 'levers\[0\]', key 'kind': 'squash'"):
        load_scenario(DATA / "bad.yaml")
    f = tmp_path / "s.yaml"
    f.write_text(
        "id: s\nzh: s\nen: s\nlevers:\n  - {id: a, kind: scale, match: {colour: red}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="key 'match': unknown field"):
        load_scenario(f)
    f.write_text("id: s\nzh: s\nextends: nowhere\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="key 'en' is missing"):
        load_scenario(f)


def test_shipped_scenarios_load() -> None:
    plan = load_scenario("plan")
    enhanced = load_scenario("enhanced")
    assert {lv.id for lv in plan.levers} < {lv.id for lv in enhanced.levers}
    coal = {lv.id: lv for lv in enhanced.levers}["coal-to-gas"]
    assert coal.share == 0.8


def test_synergy_per_scenario_on_the_wuhan_data() -> None:
    """The plan scenario's synergy degree computes for every year from the reference year 2020
    to 2035 (emissions and the co-control effect at least)."""
    from xietong.accounting.activity import default_activity
    from xietong.accounting.indicators import read_statistics
    from xietong.datafiles import data_path

    result = run_scenario(
        load_scenario("plan"),
        default_activity(),
        read_statistics(data_path("cities", "wuhan", "statistics.csv")),
        load_drivers(),
        FactorLibrary.load(),
    )
    series = result.synergy()
    assert set(range(2020, 2036)) <= set(series.year)
    assert series.d.between(0, 1).all()


def test_vectorised_wedges_equal_engine_runs() -> None:
    """Wedges through the vectorised path equal the per-run engine path, with a baseline of
    no lever, one the scenario shares (existing policy) and one the scenario changes."""
    shared = replace(TWO, levers=(*TWO.levers, POLICY))
    changed = replace(TWO, levers=(*TWO.levers, replace(POLICY, factor=0.5)))
    for scenario, base in (
        (TWO, BASELINE),
        (shared, POLICY_BASELINE),
        (changed, POLICY_BASELINE),
    ):
        fast = wedges(scenario, HISTORY, STATS, DRIVERS, LIB, base)
        engine = wedges(scenario, HISTORY, STATS, DRIVERS, LIB, base, vectorised=False)
        assert set(fast.single) == set(engine.single)
        assert fast.combined == pytest.approx(engine.combined, rel=1e-9, abs=1e-6)
        for lid in fast.single:
            assert fast.single[lid] == pytest.approx(engine.single[lid], rel=1e-9, abs=1e-6)


POLICY = Lever(
    "policy",
    "scale",
    {"activity": ("bituminous_coal",)},
    factor=0.9,
    start=2025,
    full=2026,
)
POLICY_BASELINE = replace(BASELINE, levers=(POLICY,))


def test_a_baseline_lever_is_in_every_run_and_has_no_wedge() -> None:
    """An existing-policy lever in the baseline and in the scenario: it is no wedge, and the
    combined effect is the scenario's levers on top of it (baseline with the policy − the
    scenario); a scenario that changes it has it as a wedge."""
    shared = replace(TWO, levers=(*TWO.levers, POLICY))
    w = wedges(shared, HISTORY, STATS, DRIVERS, LIB, POLICY_BASELINE)
    assert set(w.single) == {lv.id for lv in TWO.levers}
    base = run(POLICY_BASELINE).series("co2_official")
    both = run(shared).series("co2_official")
    assert w.combined[2030] == pytest.approx(base[2030] - both[2030])
    alone = run(replace(POLICY_BASELINE, levers=(POLICY, TWO.levers[0]))).series("co2_official")
    assert w.single[TWO.levers[0].id][2030] == pytest.approx(base[2030] - alone[2030])
    changed = replace(TWO, levers=(*TWO.levers, replace(POLICY, factor=0.5)))
    assert "policy" in wedges(changed, HISTORY, STATS, DRIVERS, LIB, POLICY_BASELINE).single


def _cap(**kw: object) -> Scenario:
    lever = Lever(
        "cap",
        "cap",
        {"activity": ("bituminous_coal",)},
        factor=1.0,
        start=2025,
        full=2025,
    )
    return replace(BASELINE, levers=(replace(lever, **kw),))  # type: ignore[arg-type]


def test_a_cap_holds_the_heat_to_the_base_year_worked_by_hand() -> None:
    """Coal (1,000 t in 2024) grows as GDP^0.5 (5 %/yr): 1000 × 1.05^0.5 in 2025, 1000 × 1.05^3
    in 2030. A cap at the base year's heat keeps 1,000 t; at 1.1 × it keeps 1,100 t where the
    growth exceeds it and nothing changes below it; ramped over two years (half in 2025) it
    takes half the excess in 2025; with ``to`` (energy) the excess heat moves."""
    coal = {
        name: {
            a.year: a.amount
            for a in project_activities(HISTORY, DRIVERS, s, LIB)
            if a.activity == "bituminous_coal"
        }
        for name, s in (
            ("flat", _cap()),
            ("loose", _cap(factor=1.1)),
            ("ramp", _cap(full=2026)),
        )
    }
    assert coal["flat"][2025] == pytest.approx(1000.0)
    assert coal["flat"][2030] == pytest.approx(1000.0)
    assert coal["loose"][2025] == pytest.approx(1000 * 1.05**0.5)  # under the cap
    assert coal["loose"][2030] == pytest.approx(1100.0)
    g = 1000 * 1.05**0.5
    assert coal["ramp"][2025] == pytest.approx(g - 0.5 * (g - 1000))

    # the excess heat moved: 23.204 GJ/t of coal to 44.80 GJ/t of gasoline (the test library)
    moved = _cap(to={"activity": "gasoline", "control": ""}, conversion="energy")
    acts = [a for a in project_activities(HISTORY, DRIVERS, moved, LIB) if a.year == 2030]
    oil = next(a for a in acts if a.activity == "gasoline")
    assert sum(a.amount for a in acts if a.activity == "bituminous_coal") == pytest.approx(1000)
    assert oil.amount == pytest.approx((1000 * 1.05**3 - 1000) * 23.204 / 44.80)


def test_extends_search_path_loops_and_bad_to(tmp_path: Path) -> None:
    child = tmp_path / "mine.yaml"
    child.write_text("id: mine\nzh: 我的\nen: Mine\nextends: plan\n", encoding="utf-8")
    assert {lv.id for lv in load_scenario(child).levers} == {
        lv.id for lv in load_scenario("plan").levers
    }
    (tmp_path / "a.yaml").write_text("id: a\nzh: a\nen: a\nextends: b\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: b\nzh: b\nen: b\nextends: a\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="loops"):
        load_scenario(tmp_path / "a.yaml")
    bad = tmp_path / "bad_to.yaml"
    bad.write_text(
        "id: x\nzh: x\nen: x\nlevers:\n  - {id: l, kind: shift, match: {activity: vkt}, "
        "to: {colour: red}, share: 0.5}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="key 'to': unknown field"):
        load_scenario(bad)


def test_targets_per_scenario_met_year_and_shortfall() -> None:
    """Coal share ≤ 30 % by 2025: projected 31 % in 2024, 29.5 % in 2025 → met in 2025,
    shortfall −0.5 points; a NOx total falling every year is on track / achieved by its rule."""
    import pandas as pd

    from xietong.plan.loader import load_plan
    from xietong.scenarios.projection import evaluate_targets

    ind = pd.DataFrame(
        [
            (2024, "coal_share_energy", 31.0, "percent"),
            (2025, "coal_share_energy", 29.5, "percent"),
            (2024, "nox_emissions_total", 100.0, "t"),
            (2025, "nox_emissions_total", 90.0, "t"),
        ],
        columns=["year", "indicator_id", "value", "unit"],
    )
    out = {o.target_id: o for o in evaluate_targets(ind, load_plan())}
    coal = out["coal-share-2025"]
    assert coal.status.value == "achieved"
    assert coal.year_met == 2025
    assert coal.shortfall == pytest.approx(-0.5)
    nox = out["pollutant-total-nox"]
    assert nox.year_met is None and nox.value_at_deadline == 90.0
    assert nox.status.value in ("achieved", "on_track")
