"""``xietong synergy …`` end to end on a temporary data folder (SQLite) with the synergy activity
table (2015 and 2020–2022) and the test factor library, and on an analyst's own files with no
database at all."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from tests.conftest import (
    SCENARIO_ACTIVITY,
    SMALL_ACTIVITY,
    SYNERGY_ACTIVITY,
    TEST_FACTORS,
    TEST_MEASURES,
)
from xietong.accounting.activity import read_activity_csv
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.indicators import read_statistics
from xietong.accounting.inventory import Inventory, build_inventory
from xietong.cli.app import app
from xietong.datafiles import data_path
from xietong.service import synergy_views
from xietong.service.synergy_views import direct_totals, ghg_total
from xietong.synergy.drivers import decompose
from xietong.synergy.equivalents import apeq
from xietong.synergy.measures import effects, load_measures, mac_curve
from xietong.synergy.series import city_synergy, district_synergy

runner = CliRunner()
WUHAN_STATS = data_path("cities", "wuhan", "statistics.csv")
LIB = FactorLibrary.load(TEST_FACTORS)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder (not initialised) and the test factor library."""
    folder = tmp_path / "data"
    monkeypatch.setenv("XIETONG_DATA_DIR", str(folder))
    monkeypatch.setenv("XIETONG_FACTORS_DIR", str(TEST_FACTORS))
    monkeypatch.delenv("XIETONG_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def data_dir(env: Path) -> Path:
    """The data folder initialised with the plan, holding the synergy activity table."""
    result = runner.invoke(app, ["init", "--no-activity"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["inventory", "import", str(SYNERGY_ACTIVITY)])
    assert result.exit_code == 0, result.output
    return env


@pytest.fixture(scope="module")
def inv() -> Inventory:
    return build_inventory(read_activity_csv(SYNERGY_ACTIVITY), LIB)


def _json(args: list[str]) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_index_prints_the_series_and_equals_the_library(data_dir: Path, inv: Inventory) -> None:
    result = runner.invoke(app, ["synergy", "index"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "pass mark at the 2020 value" in out and "docs/methods/synergy.md" in out
    assert "协调" in out
    assert "估算 estimate" in out and "of direct CO2e (GWP AR5)" in out
    body = _json(["synergy", "index"])
    assert isinstance(body, dict) and body["base_year"] == 2020 and body["weights"] == "expert"
    assert set(body["series"][0]["u"]) == {"emissions", "structure", "environment", "co_control"}
    entropy = _json(["synergy", "index", "--weights", "entropy"])
    assert isinstance(entropy, dict) and entropy["weights"] == "entropy"
    assert runner.invoke(app, ["synergy", "index", "--weights", "x"]).exit_code == 2
    from xietong.cli.common import platform
    from xietong.synergy.series import observed_values

    p = platform()
    observed = observed_values(p.plan(), p.records())
    expected = city_synergy(inv, read_statistics(WUHAN_STATS), observed=observed)
    assert [r["year"] for r in body["series"]] == list(expected["year"])
    assert [r["d"] for r in body["series"]] == pytest.approx(list(expected["d"]))
    assert "districts" not in body


def test_index_districts_fall_back_on_the_allocation_labelled_demo(data_dir: Path) -> None:
    result = runner.invoke(app, ["synergy", "index", "--districts", "--year", "2021"])
    assert result.exit_code == 0, result.output
    assert "演示数据 demo" in result.stdout and "分区协同排名" in result.stdout
    body = _json(["synergy", "index", "--districts"])
    assert isinstance(body, dict) and body["year"] == 2022 and body["districts"]
    assert all(d["basis"] == "allocated" and d["demo"] for d in body["districts"])


def test_index_districts_without_data_say_so(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synergy_views, "ALLOCATION_FILES", ("none.csv", "none.csv", "none.csv"))
    result = runner.invoke(app, ["synergy", "index", "--districts", "--year", "2021"])
    assert result.exit_code == 0, result.output
    assert "暂无分区数据" in result.stdout and "No district data yet" in result.stdout
    body = _json(["synergy", "index", "--districts"])
    assert isinstance(body, dict) and body["year"] == 2022 and body["districts"] == []


def _district_statistics(path: Path) -> Path:
    """Wuhan's city statistics plus GDP, real index and population of two districts."""
    with WUHAN_STATS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    extra = []
    for district, gdp, pop in (("qingshan", 900.0, 52.0), ("hongshan", 1500.0, 120.0)):
        extra.append((2020, "gdp", gdp, "yi * CNY", district))
        for year, index in ((2015, 80.0), (2020, 100.0), (2021, 109.0), (2022, 113.0)):
            extra.append((year, "gdp_real_index", index, "dimensionless", district))
            extra.append((year, "population", pop, "wan * person", district))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["year", "indicator", "value", "unit", "source", "quality", "district"])
        for r in rows:
            w.writerow([r["year"], r["indicator"], r["value"], r["unit"], "t", r["quality"], ""])
        for year, ind, value, unit, district in extra:
            w.writerow([year, ind, value, unit, "test figure", "estimate", district])
    return path


def test_index_ranks_districts_with_their_own_statistics(
    data_dir: Path, inv: Inventory, tmp_path: Path
) -> None:
    stats = _district_statistics(tmp_path / "stats.csv")
    body = _json(["synergy", "index", "--districts", "--year", "2022", "--statistics", str(stats)])
    assert isinstance(body, dict)
    expected = district_synergy(inv, read_statistics(stats), 2022)
    assert [d["district"] for d in body["districts"]] == list(expected["district"])
    assert {d["district"] for d in body["districts"]} == {"qingshan", "hongshan"}
    assert [d["rank"] for d in body["districts"]] == [1, 2]
    table = runner.invoke(
        app, ["synergy", "index", "--districts", "--year", "2022", "--statistics", str(stats)]
    )
    assert table.exit_code == 0 and "青山区" in table.stdout and "分区协同排名" in table.stdout


def test_coordinates_table_and_json(data_dir: Path, inv: Inventory) -> None:
    result = runner.invoke(app, ["synergy", "coordinates", "--year0", "2015", "--year1", "2022"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "GWP: AR5" in out and "APeq" in out and "协同减排" in out
    rows = _json(["synergy", "coordinates", "--gwp", "AR6"])
    assert isinstance(rows, list) and [r["pollutant"] for r in rows] == [
        "SO2",
        "NOx",
        "PM10",
        "VOCs",
        "NH3",
        "APeq",
    ]
    t0, t1 = direct_totals(inv, 2020), direct_totals(inv, 2022)
    g = ghg_total(inv, 2020, "CO2e", load_gwp("AR6")) - ghg_total(
        inv, 2022, "CO2e", load_gwp("AR6")
    )
    assert all(r["gwp"] == "AR6" and r["ghg_reduction"] == pytest.approx(g) for r in rows)
    assert rows[-1]["pollutant_reduction"] == pytest.approx(apeq(t0) - apeq(t1))
    co2 = _json(["synergy", "coordinates", "--ghg", "CO2", "--year0", "2021"])
    assert isinstance(co2, list) and co2[0]["ghg"] == "CO2" and co2[0]["gwp"] is None


def test_coordinates_take_another_apeq_weight_set(data_dir: Path, inv: Inventory) -> None:
    """equal_mass weighs every air pollutant 1 kg per equivalent: APeq = the plain sum of SO2,
    NOx, CO, PM10, NH3 and VOCs tonnes; an unknown set is refused naming the sets."""
    rows = _json(["synergy", "coordinates", "--year0", "2015", "--apeq-weights", "equal_mass"])
    assert isinstance(rows, list)
    t0, t1 = direct_totals(inv, 2015), direct_totals(inv, 2022)
    air = ("SO2", "NOx", "CO", "PM10", "NH3", "VOCs")
    plain = sum(t0.get(s, 0.0) for s in air) - sum(t1.get(s, 0.0) for s in air)
    assert rows[-1]["pollutant"] == "APeq"
    assert rows[-1]["pollutant_reduction"] == pytest.approx(plain)
    assert plain != pytest.approx(apeq(t0) - apeq(t1))
    bad = runner.invoke(app, ["synergy", "coordinates", "--apeq-weights", "gold"])
    assert bad.exit_code == 2 and "equal_mass, tax" in bad.output


def test_decompose_prints_effects_and_residual(data_dir: Path, inv: Inventory) -> None:
    result = runner.invoke(app, ["synergy", "decompose", "--substance", "NOx"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "人口 population" in out and "能源强度 energy_intensity" in out and "residual" in out
    body = _json(["synergy", "decompose", "--year0", "2020", "--year1", "2022"])
    assert isinstance(body, dict) and body["substance"] == "CO2"
    dec = decompose(inv, read_statistics(WUHAN_STATS), "CO2", 2020, 2022)
    assert body["additive"] == pytest.approx(dict(dec.additive))
    assert sum(body["additive"].values()) == pytest.approx(body["vt"] - body["v0"])


def test_measures_table_names_the_gwp_and_the_mac_order(data_dir: Path, inv: Inventory) -> None:
    args = ["synergy", "measures", "--measures", str(TEST_MEASURES)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "ΔCO2e t (AR5)" in out and "GWP: AR5" in out and "估算" in out
    assert "MAC" in out and out.index("以电代煤 Electricity") < out.rindex("化肥减量 Less")
    body = _json(args)
    assert isinstance(body, dict) and body["gwp"] == "AR5"
    by = direct_totals(inv, 2022)
    expected = effects(
        load_measures(TEST_MEASURES),
        LIB,
        city_totals=(ghg_total(inv, 2022, "CO2e", load_gwp("AR5")), apeq(by)),
    )
    got = {m["id"]: m for m in body["measures"]}
    for e in expected:
        assert got[e.measure.id]["net_cost_per_t_co2e"] == pytest.approx(e.net_cost_per_t_co2e)
    assert [s["measure_id"] for s in body["mac"]] == [s.measure_id for s in mac_curve(expected)]


def test_shipped_measures_without_their_factors_fail_clearly(data_dir: Path) -> None:
    result = runner.invoke(app, ["synergy", "measures"])
    assert result.exit_code == 1
    assert "Error" in result.output and "factor" in result.output


def test_user_errors_exit_1_and_bad_options_2(data_dir: Path) -> None:
    missing = runner.invoke(app, ["synergy", "coordinates", "--year0", "2014"])
    assert missing.exit_code == 1 and "no year 2014" in missing.output
    bad = runner.invoke(app, ["synergy", "decompose", "--substance", "Kr"])
    assert bad.exit_code == 2 and "choose one of" in bad.output
    bad_ghg = runner.invoke(app, ["synergy", "coordinates", "--ghg", "CH4"])
    assert bad_ghg.exit_code == 2
    result = runner.invoke(app, ["inventory", "import", str(SCENARIO_ACTIVITY)])
    assert result.exit_code == 0
    no_base = runner.invoke(app, ["synergy", "index"])
    assert (
        no_base.exit_code == 1 and "reference" in no_base.output and "2022–2024" in no_base.output
    )


def test_no_database_no_plan_is_a_clear_error(env: Path) -> None:
    result = runner.invoke(app, ["synergy", "index"])
    assert result.exit_code == 1 and "xietong init" in result.output


def test_own_files_need_no_database(env: Path, tmp_path: Path, inv: Inventory) -> None:
    """--activity (CSV or Excel) and --statistics: figures from the files, nothing written."""
    body = _json(["synergy", "index", "--activity", str(SYNERGY_ACTIVITY)])
    assert isinstance(body, dict)
    expected = city_synergy(inv, read_statistics(WUHAN_STATS))
    assert [r["d"] for r in body["series"]] == pytest.approx(list(expected["d"]))
    book = tmp_path / "activity.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    with SYNERGY_ACTIVITY.open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    wb.save(book)
    stats = _district_statistics(tmp_path / "stats.csv")
    ranked = _json(
        [
            "synergy",
            "index",
            "--activity",
            str(book),
            "--statistics",
            str(stats),
            "--districts",
            "--year",
            "2022",
        ]
    )
    assert isinstance(ranked, dict) and len(ranked["districts"]) == 2
    dec = _json(["synergy", "decompose", "--activity", str(book), "--substance", "SO2"])
    assert isinstance(dec, dict) and dec["year0"] == 2020
    mac = _json(["synergy", "measures", "--activity", str(book), "--measures", str(TEST_MEASURES)])
    assert isinstance(mac, dict) and len(mac["mac"]) == 2
    assert not env.exists()  # no database was created
    bad = tmp_path / "bad.csv"
    bad.write_text(SMALL_ACTIVITY.read_text(encoding="utf-8") + "2022,city,x,,nope,,,1,t,,,\n")
    rejected = runner.invoke(app, ["synergy", "index", "--activity", str(bad)])
    assert rejected.exit_code == 1 and "bad.csv" in rejected.output
