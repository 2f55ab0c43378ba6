"""``xietong scenario …`` end to end on a temporary data folder (SQLite) with the scenario
activity table (2022–2024, base year 2024) and the test factor library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.conftest import SCENARIO_ACTIVITY, TEST_FACTORS
from xietong.accounting.activity import read_activity_csv
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import read_statistics
from xietong.cli.app import app
from xietong.datafiles import data_path
from xietong.files.iamc import read_iamc
from xietong.plan.loader import load_plan
from xietong.scenarios.fast import LinearModel, monte_carlo
from xietong.scenarios.projection import run_scenario
from xietong.scenarios.scenario import load_drivers, load_scenario

runner = CliRunner()
LIB = FactorLibrary.load(TEST_FACTORS)
ACTS = read_activity_csv(SCENARIO_ACTIVITY)
STATS = read_statistics(data_path("cities", "wuhan", "statistics.csv"))


def _co2(scenario_id: str) -> dict[int, float]:
    s = load_scenario(scenario_id)
    return run_scenario(s, ACTS, STATS, load_drivers(), LIB, load_plan("wuhan-2023")).series(
        "co2_energy"
    )


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder initialised with the plan, holding the scenario activity table."""
    folder = tmp_path / "data"
    monkeypatch.setenv("XIETONG_DATA_DIR", str(folder))
    monkeypatch.setenv("XIETONG_FACTORS_DIR", str(TEST_FACTORS))
    monkeypatch.delenv("XIETONG_DATABASE_URL", raising=False)
    monkeypatch.delenv("XIETONG_SCENARIOS_DIR", raising=False)
    for args in (["init", "--no-activity"], ["inventory", "import", str(SCENARIO_ACTIVITY)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return folder


def _json(args: list[str]) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_list(data_dir: Path) -> None:
    result = runner.invoke(app, ["scenario", "list"])
    assert result.exit_code == 0, result.output
    assert "基准情景" in result.stdout and "强化情景" in result.stdout
    rows = _json(["scenario", "list"])
    assert isinstance(rows, list)
    assert [(r["id"], r["levers"], r["user"]) for r in rows] == [
        ("baseline", 3, False),
        ("plan", 21, False),
        ("enhanced", 22, False),
    ]


def test_run_prints_the_pathway_the_peak_and_the_targets(data_dir: Path) -> None:
    result = runner.invoke(app, ["scenario", "run", "plan"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())  # lines wrap at the terminal's width
    for words in ("pathway 排放路径", "2035", "达峰 Peak", "plateau 平台期", "目标核对", "已完成"):
        assert words in out
    assert "coal-share-2025" in out and "估算 estimate" in out and "16 of 21 lever sizes" in out
    body = _json(["scenario", "run", "plan"])
    assert isinstance(body, dict) and body["base_year"] == 2024 and body["end_year"] == 2035
    expected = _co2("plan")
    assert [p["year"] for p in body["pathway"]] == list(expected)
    assert [p["co2_energy"] for p in body["pathway"]] == pytest.approx(list(expected.values()))
    assert body["peak"]["year"] == max(expected, key=lambda y: expected[y])
    coal = next(t for t in body["targets"] if t["target_id"] == "coal-share-2025")
    assert coal["status"] == "achieved" and coal["year_met"] == 2022
    assert sum(s["values"][-1]["value"] for s in body["sectors"]) == pytest.approx(expected[2035])


def test_run_an_analysts_own_file(data_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "mine.yaml"
    f.write_text(
        "id: mine\nzh: 我的\nen: Mine\nextends: plan\noverrides:\n  cleaner-grid: {factor: 0.4}\n",
        encoding="utf-8",
    )
    body = _json(["scenario", "run", str(f)])
    assert isinstance(body, dict) and body["scenario"]["id"] == "mine"
    plan = _co2("plan")
    mine = {p["year"]: p["co2_energy"] for p in body["pathway"]}
    assert mine[2035] < plan[2035] and mine[2024] == pytest.approx(plan[2024])
    # nothing was saved: the file is the analyst's
    assert [r["id"] for r in _json(["scenario", "list"])] == ["baseline", "plan", "enhanced"]  # type: ignore[union-attr]
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nzh: b\nen: b\nlevers:\n  - {id: a, kind: squash, match: {}}\n")
    result = runner.invoke(app, ["scenario", "run", str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml, key 'levers[0]', key 'kind': 'squash'" in result.output


def test_compare(data_dir: Path) -> None:
    result = runner.invoke(app, ["scenario", "compare", "baseline", "plan", "enhanced"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    for words in ("baseline", "enhanced", "达峰 Peaks", "by 2030", "目标核对"):
        assert words in out
    body = _json(["scenario", "compare", "baseline", "enhanced"])
    assert isinstance(body, dict) and [s["id"] for s in body["scenarios"]] == [
        "baseline",
        "enhanced",
    ]
    for s in body["scenarios"]:
        assert [p["co2_energy"] for p in s["pathway"]] == pytest.approx(
            list(_co2(s["id"]).values())
        )
    for s in body["scenarios"]:
        peak = run_scenario(
            load_scenario(s["id"]), ACTS, STATS, load_drivers(), LIB, load_plan("wuhan-2023")
        ).peak
        assert s["peak"]["year"] == peak.year
        assert s["peak"]["peaked_by"]["2030"] is peak.peaked_by(2030)
    missing = runner.invoke(app, ["scenario", "compare", "plan", "nope"])
    assert missing.exit_code == 1 and "no scenario 'nope'" in missing.output


def test_export_iamc_xlsx_csv(data_dir: Path, tmp_path: Path) -> None:
    iamc = tmp_path / "s.csv"
    result = runner.invoke(
        app, ["scenario", "export", str(iamc), "--format", "iamc", "-s", "plan", "-s", "enhanced"]
    )
    assert result.exit_code == 0, result.output
    assert set(read_iamc(iamc).scenario) == {"plan", "enhanced"}
    xlsx = tmp_path / "s.xlsx"
    assert runner.invoke(app, ["scenario", "export", str(xlsx)]).exit_code == 0
    wb = load_workbook(xlsx, read_only=True)
    assert "路径 pathways" in wb.sheetnames and "目标 targets" in wb.sheetnames
    wb.close()
    plain = tmp_path / "p.csv"
    assert runner.invoke(app, ["scenario", "export", str(plain), "-s", "baseline"]).exit_code == 0
    assert plain.read_text(encoding="utf-8-sig").startswith("scenario,year,variable,value,unit")
    wrong = runner.invoke(app, ["scenario", "export", str(tmp_path / "s.txt")])
    assert wrong.exit_code == 2


def test_uncertainty_and_sensitivity(data_dir: Path) -> None:
    result = runner.invoke(app, ["scenario", "uncertainty", "plan", "--draws", "200"])
    assert result.exit_code == 0, result.output
    assert "P95" in result.stdout and "P(peaked by" in result.stdout
    body = _json(["scenario", "uncertainty", "enhanced", "--draws", "300", "--seed", "3"])
    model = LinearModel(ACTS, load_drivers(), load_scenario("enhanced"), LIB)
    history = {y: v for y, v in _co2("enhanced").items() if y <= 2024}
    fan = monte_carlo(model, history, draws=300, seed=3)
    assert isinstance(body, dict) and body["draws"] == 300
    assert body["values"] == [fan.percentiles[y] for y in fan.years]
    assert body["p_peak_by"] == {str(y): p for y, p in fan.p_peak_by.items()}
    assert (
        runner.invoke(app, ["scenario", "uncertainty", "plan", "--draws", "10001"]).exit_code == 2
    )
    sens = _json(["scenario", "sensitivity", "plan", "--n", "64", "--year", "2035"])
    assert isinstance(sens, dict) and sens["year"] == 2035 and sens["n"] == 64
    assert sens["sobol"][0]["input"] == "growth:gdp"
    table = runner.invoke(app, ["scenario", "sensitivity", "plan", "--n", "64"])
    assert table.exit_code == 0 and "lever:cleaner-grid" in table.stdout
    assert runner.invoke(app, ["scenario", "sensitivity", "plan", "--n", "100"]).exit_code == 2
    over = runner.invoke(app, ["scenario", "sensitivity", "plan", "--n", "1024"])
    assert over.exit_code == 2 and "choose n ≤ 512" in over.output
    late = runner.invoke(app, ["scenario", "sensitivity", "plan", "--year", "2050"])
    assert late.exit_code == 1 and "no projected year 2050" in late.output


def test_optimise_prints_the_least_cost_pathway_and_saves_it(data_dir: Path) -> None:
    """``scenario optimise``: the strengths, the cost against the plan's, the binding
    constraints with their shadow prices and the re-run check; with a NOx cap the plan
    scenario meets, it costs no more than the plan. ``--save`` stores it as a user scenario
    that lists and runs like the others; an impossible cap says what to relax."""
    plan = _json(["scenario", "run", "plan"])
    assert isinstance(plan, dict)
    cap = max(p["NOx"] for p in plan["pathway"] if p["projected"])
    args = ["scenario", "optimise", "--nox-cap", f"{cap:.3f}"]
    body = _json(args)
    assert isinstance(body, dict) and body["request"]["caps"] == {"NOx": pytest.approx(cap)}
    assert body["check_holds"] is True and body["plan_meets"] is True and body["saved"] is None
    assert body["cost"] <= body["plan_cost"] + 1.0
    assert {lv["id"] for lv in body["levers"]} >= {"coal-to-gas", "steel-eaf"}
    assert all(c["shadow_price"] >= 0 for c in body["binding"])
    result = runner.invoke(app, [*args, "--save", "lc-nox"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "最低成本路径" in out and "复算成立" in out and "saved 已保存" in out
    rows = _json(["scenario", "list"])
    assert isinstance(rows, list) and any(r["id"] == "lc-nox" and r["user"] for r in rows)
    run = _json(["scenario", "run", "lc-nox"])
    assert isinstance(run, dict)
    assert max(p["NOx"] for p in run["pathway"] if p["projected"]) <= cap * (1 + 1e-6)
    bad = runner.invoke(app, ["scenario", "optimise", "--peak-by", "2030", "--nox-cap", "1"])
    assert bad.exit_code == 1 and "relax" in bad.output
