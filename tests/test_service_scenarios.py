"""The platform's scenario service: runs equal the library's (and are kept), the list, the
comparison, wedges, the fan and the sensitivity, user scenarios (validated, audited, saved
only when good, ``extends`` a shipped or user scenario) and the exports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import SCENARIO_ACTIVITY, TEST_FACTORS
from xietong.accounting.activity import read_activity_csv
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import read_statistics
from xietong.datafiles import data_path
from xietong.errors import NotFound
from xietong.files.iamc import read_iamc
from xietong.plan.loader import load_plan
from xietong.scenarios.fast import LinearModel, monte_carlo
from xietong.scenarios.projection import ScenarioResult, run_scenario, wedges
from xietong.scenarios.scenario import ScenarioError, load_drivers, load_scenario
from xietong.service.platform import Platform
from xietong.service.scenario_views import lever_estimated
from xietong.store import repository
from xietong.store.database import make_engine, session_scope

LIB = FactorLibrary.load(TEST_FACTORS)
ACTS = read_activity_csv(SCENARIO_ACTIVITY)
STATS = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
PLAN = load_plan("wuhan-2023")
MINE = """id: mine
zh: 我的情景
en: My scenario
extends: plan
overrides:
  cleaner-grid: {factor: 0.5}
  rooftop-pv: {strength: 0.5}
"""


def _library_run(scenario_id: str) -> ScenarioResult:
    return run_scenario(load_scenario(scenario_id), ACTS, STATS, load_drivers(), LIB, PLAN)


def _audit(p: Platform) -> list[tuple[str, str, str]]:
    with session_scope(p.engine) as session:
        return [(a.action, a.entity, a.actor) for a in repository.audit_entries(session)]


def test_a_run_equals_the_library_and_is_kept(scenario_platform: Platform) -> None:
    p = scenario_platform
    got = p.run_scenario("plan")
    expected = _library_run("plan")
    assert got.series("co2_energy") == pytest.approx(expected.series("co2_energy"), rel=1e-12)
    # the library's checklist, then the targets the platform judges its own way (the carbon
    # peak by the scenario's Monte Carlo fan; the synergy degree where the data give one)
    apart = {"carbon-peak-2030", "synergy-degree-2025"}
    assert [
        (t.target_id, t.status, t.year_met) for t in got.targets if t.target_id not in apart
    ] == [(t.target_id, t.status, t.year_met) for t in expected.targets]
    assert "carbon-peak-2030" in {t.target_id for t in got.targets}
    assert got.peak == expected.peak
    assert p.run_scenario("plan") is got  # kept
    # new activity data: a new run
    p.import_activity_file(SCENARIO_ACTIVITY, "test")
    assert p.run_scenario("plan") is not got


def test_the_list_and_the_levers(scenario_platform: Platform) -> None:
    rows = scenario_platform.scenarios()
    assert [r["id"] for r in rows] == ["baseline", "plan", "enhanced"]
    assert [r["levers"] for r in rows] == [3, 21, 22]
    assert rows[2]["extends"] == "plan" and not any(r["user"] for r in rows)
    detail = scenario_platform.scenario_detail("plan")
    levers = {lv["id"]: lv for lv in detail["levers"]}
    # only a lever whose basis cites a plan target, and no estimate, is sized by the plan
    assert not levers["steel-ule"]["estimate"]
    assert levers["new-energy-buses"]["estimate"] and levers["cleaner-grid"]["estimate"]
    assert levers["coal-to-gas"]["size_field"] == "share"
    assert levers["rooftop-pv"]["size_field"] == "factor"
    with pytest.raises(NotFound, match="no scenario 'nope'"):
        scenario_platform.scenario("nope")
    with pytest.raises(NotFound):
        scenario_platform.scenario("../etc/passwd")


def test_the_comparison(scenario_platform: Platform) -> None:
    rec = scenario_platform.compare(["baseline", "plan", "enhanced", "plan"])
    runs = rec["scenarios"]
    assert isinstance(runs, list) and [r["id"] for r in runs] == ["baseline", "plan", "enhanced"]
    assert rec["base_year"] == 2024 and rec["years"] == list(range(2022, 2036))
    for r in runs:
        co2 = _library_run(r["id"]).series("co2_energy")
        assert [x["co2_energy"] for x in r["pathway"]] == pytest.approx(list(co2.values()))
        assert {"NOx", "VOCs", "SO2"} <= set(r["pathway"][0])
        assert [x["projected"] for x in r["pathway"]] == [y > 2024 for y in range(2022, 2036)]
        assert {t["target_id"] for t in r["targets"]} >= {"coal-share-2025", "co2-intensity-2025"}
    # the peaks are the library's; the baseline does not turn down
    for r in runs:
        peak = _library_run(r["id"]).peak
        assert r["peak"]["year"] == peak.year
        assert r["peak"]["peaked_by"]["2030"] is peak.peaked_by(2030)
    assert not runs[0]["peak"]["peaked_by"]["2035"]
    coal = next(t for t in runs[1]["targets"] if t["target_id"] == "coal-share-2025")
    assert coal["status"] == "achieved" and coal["met"] and coal["shortfall"] < 0


def test_wedges_fan_and_sensitivity(scenario_platform: Platform) -> None:
    p = scenario_platform
    w = p.wedges("plan")
    lib = wedges(load_scenario("plan"), ACTS, STATS, load_drivers(), LIB, load_scenario("baseline"))
    assert w.combined == pytest.approx(lib.combined) and w.interaction == pytest.approx(
        lib.interaction
    )
    assert p.wedges("plan") is w
    fan = p.scenario_uncertainty("plan", 200, 7)
    model = LinearModel(ACTS, load_drivers(), load_scenario("plan"), LIB)
    history = {y: v for y, v in _library_run("plan").series("co2_energy").items() if y <= 2024}
    expected = monte_carlo(model, history, draws=200, seed=7)
    assert fan.percentiles == expected.percentiles and fan.p_peak_by == expected.p_peak_by
    sens = p.sensitivity("plan", year=2030, n=64, seed=1)
    names = {r["input"] for r in sens["sobol"]}
    assert names == {"growth:gdp", "growth:population"} | {
        f"lever:{lv.id}" for lv in load_scenario("plan").levers
    }
    assert sens["sobol"][0]["input"] == "growth:gdp"
    with pytest.raises(NotFound, match="no projected year 2040"):
        p.sensitivity("plan", year=2040)


def test_a_user_scenario_is_saved_audited_and_listed(scenario_platform: Platform) -> None:
    p = scenario_platform
    s = p.save_user_scenario(MINE, "analyst")
    assert s.id == "mine" and len(s.levers) == 21
    grid = next(lv for lv in s.levers if lv.id == "cleaner-grid")
    assert grid.factor == 0.5 and grid.basis  # inherited from the plan, overridden
    assert (p.user_scenario_dir() / "mine.yaml").read_text(encoding="utf-8") == MINE
    assert p.scenario_ids() == ["baseline", "plan", "enhanced", "mine"]
    row = next(r for r in p.scenarios() if r["id"] == "mine")
    assert row["user"] and row["extends"] == "plan" and row["levers"] == 21
    assert ("scenario.save", "scenario:mine", "analyst") in _audit(p)
    mine = p.run_scenario("mine").series("co2_energy")
    plan = p.run_scenario("plan").series("co2_energy")
    assert mine[2035] < plan[2035] and mine[2024] == plan[2024]
    # a user scenario may extend another user scenario
    child = "id: child\nzh: 子\nen: Child\nextends: mine\noverrides:\n  fertiliser: {factor: 0.5}\n"
    assert next(lv for lv in p.save_user_scenario(child, "a").levers if lv.id == "cleaner-grid")
    assert p.scenario("child").levers == p.save_user_scenario(child, "a").levers


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: [\n", r"scenario.yaml: not valid YAML"),
        ("- a\n- b\n", r"scenario.yaml: a scenario must be a mapping"),
        ("id: Bad Id\nzh: a\nen: b\n", r"scenario.yaml, key 'id': 'Bad Id' is not an id"),
        ("id: plan\nzh: a\nen: b\n", r"plan.yaml, key 'id': 'plan' is a shipped scenario"),
        ("id: x\nen: b\n", r"x.yaml: key 'zh' is missing"),
        (
            "id: x\nzh: a\nen: b\nlevers:\n  - {id: a, kind: squash, match: {activity: x}}\n",
            r"x.yaml, key 'levers\[0\]', key 'kind': 'squash' is not one of",
        ),
        (
            "id: x\nzh: a\nen: b\nextends: plan\noverrides:\n  coal-to-gas: {share: 1.5}\n",
            r"x.yaml, key 'overrides.coal-to-gas', key 'share': 1.5 is not in \[0, 1\]",
        ),
        (
            "id: x\nzh: a\nen: b\nextends: plan\noverrides:\n  no-such: {factor: 0.5}\n",
            r"x.yaml, key 'overrides.no-such': no such lever in plan",
        ),
        ("id: x\nzh: a\nen: b\nextends: x\n", r"x.yaml, key 'extends': 'x' leads back to itself"),
        ("id: x\nzh: a\nen: b\nextends: nowhere\n", r"no scenario 'nowhere'"),
        (
            "id: x\nzh: a\nen: b\nlevers:\n"
            "  - {id: a, kind: shift, match: {activity: electricity}, to: {colour: red},"
            " share: 1}\n",
            r"x.yaml, key 'levers\[0\]', key 'to': unknown field\(s\) colour",
        ),
        (
            "id: x\nzh: a\nen: b\nlevers:\n"
            "  - {id: a, kind: shift, match: {activity: electricity}, to: {activity: unobtainium},"
            " share: 1}\n",
            r"x.yaml: the scenario does not run on the stored activity data",
        ),
    ],
)
def test_a_bad_file_names_file_key_reason_and_saves_nothing(
    scenario_platform: Platform, text: str, message: str
) -> None:
    p = scenario_platform
    with pytest.raises(ScenarioError, match=message):
        p.save_user_scenario(text, "analyst")
    folder = p.user_scenario_dir()
    assert not folder.exists() or list(folder.iterdir()) == []
    assert not any(a[0] == "scenario.save" for a in _audit(p))
    assert p.scenario_ids() == ["baseline", "plan", "enhanced"]


def test_without_activity_data(platform: Platform) -> None:
    with pytest.raises(NotFound, match="no activity data"):
        platform.run_scenario("plan")
    assert [r["id"] for r in platform.scenarios()] == ["baseline", "plan", "enhanced"]


def test_without_the_base_year(inventory_platform: Platform) -> None:
    # the small table ends in 2022: no rows for the base year 2024
    with pytest.raises(ScenarioError, match="no rows for the base year 2024"):
        inventory_platform.run_scenario("plan")


def test_the_user_folder_lies_next_to_the_sqlite_file(tmp_path: Path) -> None:
    p = Platform(engine=make_engine(f"sqlite:///{tmp_path / 'db' / 'x.db'}"), plan_id="wuhan-2023")
    assert p.user_scenario_dir() == tmp_path / "db" / "scenarios"
    p.scenarios_dir = tmp_path / "elsewhere"
    assert p.user_scenario_dir() == tmp_path / "elsewhere"
    p.engine.dispose()


def test_exports(scenario_platform: Platform, tmp_path: Path) -> None:
    p = scenario_platform
    iamc = p.export_scenarios(tmp_path / "s.csv", ["baseline", "plan"], "iamc")
    back = read_iamc(tmp_path / "s.csv")
    assert iamc["format"] == "iamc" and set(back.scenario) == {"baseline", "plan"}
    co2 = back[(back.variable == "Emissions|CO2") & (back.year == 2035)]
    plan_2035 = co2[co2.scenario == "plan"].value.item()
    assert plan_2035 <= co2[co2.scenario == "baseline"].value.item() * (1 + 1e-12)
    p.export_scenarios(tmp_path / "s2.csv", ["plan"], "csv")
    with (tmp_path / "s2.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert set(rows[0]) == {"scenario", "year", "variable", "value", "unit", "projected"}
    co2_2030 = next(r for r in rows if r["variable"] == "co2_energy" and r["year"] == "2030")
    assert float(co2_2030["value"]) == pytest.approx(
        _library_run("plan").series("co2_energy")[2030]
    )
    p.export_scenarios(tmp_path / "s.xlsx", ["plan", "enhanced"], "xlsx")
    wb = load_workbook(tmp_path / "s.xlsx", read_only=True)
    assert wb.sheetnames == [
        "说明 about",
        "路径 pathways",
        "达峰 peaks",
        "目标 targets",
        "措施 levers",
    ]
    wb.close()


def test_lever_estimated_reads_the_basis() -> None:
    plan = load_scenario("plan")
    by_id = {lv.id: lever_estimated(lv) for lv in plan.levers}
    assert [k for k, v in by_id.items() if not v] == [
        "coal-to-gas",
        "steel-ule",
        "incinerator-scr",
        "zero-landfill",
        "sludge-co-incineration",
    ]
