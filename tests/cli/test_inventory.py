"""``xietong inventory …`` end to end on a temporary data folder (SQLite), with the small
activity table and the test factor library (``XIETONG_FACTORS_DIR``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from tests.conftest import SMALL_ACTIVITY, TEST_FACTORS
from xietong.accounting.activity import read_activity_csv
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.inventory import Inventory, build_inventory
from xietong.cli.app import app
from xietong.files.iamc import read_iamc
from xietong.service.inventory_views import rollup_records
from xietong.service.platform import Platform

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder initialised with the plan and demo data, holding the small activity table;
    factors from the test factor file."""
    folder = tmp_path / "data"
    monkeypatch.setenv("XIETONG_DATA_DIR", str(folder))
    monkeypatch.setenv("XIETONG_FACTORS_DIR", str(TEST_FACTORS))
    monkeypatch.delenv("XIETONG_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["init", "--no-activity"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["inventory", "import", str(SMALL_ACTIVITY)])
    assert result.exit_code == 0, result.output
    assert "30 activity rows" in result.output
    return folder


@pytest.fixture(scope="module")
def library_inventory() -> Inventory:
    """The same inventory built by the library, with no database."""
    acts = read_activity_csv(SMALL_ACTIVITY)
    return build_inventory(acts, FactorLibrary.load(TEST_FACTORS))


def _json(args: list[str]) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _activities() -> object:
    p = Platform.from_settings()
    try:
        return p.activities()
    finally:
        p.engine.dispose()


def test_build_prints_totals_with_the_gwp_and_feeds_targets(
    data_dir: Path, library_inventory: Inventory
) -> None:
    result = runner.invoke(app, ["inventory", "build", "--gwp", "AR6"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "GWP: AR6" in out and "CO2e direct (AR6)" in out
    assert "2020" in out and "2022" in out
    assert "indicator values recomputed" in out
    assert "估算 estimate" in out
    body = _json(["inventory", "build", "--no-update-targets"])
    assert isinstance(body, dict)
    assert body["years"] == [2020, 2021, 2022] and body["gwp"] == "AR5"
    assert body["targets"] is None
    co2 = {t["year"]: t["co2_direct"] for t in body["totals"]}
    expected = library_inventory.rollup(["year"], substances=["CO2"]).set_index("year")["value"]
    assert co2 == pytest.approx({y: expected[y] for y in (2020, 2021, 2022)})
    records = _json(["progress", "list", "--target", "co2-intensity-2025"])
    assert isinstance(records, list)
    assert {r["reported_by"] for r in records} >= {"inventory"}


def _same_records(got: object, expected: list[dict[str, object]]) -> None:
    assert isinstance(got, list) and len(got) == len(expected) > 0
    for g, e in zip(got, expected, strict=True):
        assert {k: v for k, v in g.items() if k != "value"} == {
            k: v for k, v in e.items() if k != "value"
        }
        assert g["value"] == pytest.approx(e["value"])


def test_show_equals_the_library(data_dir: Path, library_inventory: Inventory) -> None:
    got = _json(["inventory", "show", "--by", "district", "--year", "2021"])
    expected = rollup_records(library_inventory, "district", year=2021, gwp=load_gwp("AR5"))
    _same_records(got, expected)
    so2 = _json(["inventory", "show", "--substance", "SO2"])
    _same_records(so2, rollup_records(library_inventory, "sector", substance="SO2"))
    table = runner.invoke(app, ["inventory", "show", "--by", "sector"])
    assert table.exit_code == 0
    words = " ".join(table.stdout.split())  # the title may wrap with the table's width
    assert "GWP: AR5" in words and "工业生产过程" in words


def test_show_row_prints_the_trace(data_dir: Path, library_inventory: Inventory) -> None:
    table = library_inventory.table()
    row = int(
        table[(table["activity"] == "bituminous_coal") & (table["substance"] == "CO2")][
            "row_id"
        ].iloc[0]
    )
    result = runner.invoke(app, ["inventory", "show", "--row", str(row)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "t.ncv.bit" in out and "China enterprise guideline, appendix" in out
    assert "= " in out and "formula" in out
    trace = _json(["inventory", "show", "--row", str(row)])
    assert trace == json.loads(json.dumps(library_inventory.trace(row)))
    missing = runner.invoke(app, ["inventory", "show", "--row", "99999"])
    assert missing.exit_code == 1 and "no emission row" in missing.output


def test_export_in_three_formats(data_dir: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "inv.xlsx"
    result = runner.invoke(app, ["inventory", "export", str(xlsx), "--gwp", "AR4"])
    assert result.exit_code == 0, result.output
    assert "CO2e (AR4) 部门×年份" in CalamineWorkbook.from_path(str(xlsx)).sheet_names
    table = tmp_path / "inv.csv"
    assert runner.invoke(app, ["inventory", "export", str(table)]).exit_code == 0
    with table.open(encoding="utf-8-sig") as fh:
        # 102 rows before BF-BOF crude steel gave 4 CO2 rows (2 fluxes, decarburisation and the
        # carbon kept in the steel) instead of 1: 3 crude-steel rows × 3 more; and 3 wet-FGD
        # coal rows each carry their limestone's CO2
        assert len(list(csv.DictReader(fh))) == 114
    iamc = tmp_path / "iamc.csv"
    result = runner.invoke(app, ["inventory", "export", str(iamc), "--format", "iamc"])
    assert result.exit_code == 0, result.output
    assert "Emissions|Kyoto Gases (AR5-GWP100)" in set(read_iamc(iamc)["variable"])
    wrong = runner.invoke(app, ["inventory", "export", str(tmp_path / "x.txt")])
    assert wrong.exit_code == 2
    wrong = runner.invoke(app, ["inventory", "export", str(tmp_path / "x.csv"), "--format", "xlsx"])
    assert wrong.exit_code == 2


def test_import_of_a_bad_file_names_rows_and_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    before = _activities()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "年份,区,部门,活动,活动水平,单位\n"
        "2023,city,industry,electricity,10,MWh\n"
        "2023,city,industry,electricity,-3,MWh\n"  # row 3: negative
        "20x3,city,industry,bituminous_coal,1,t\n",  # row 4: year
        encoding="utf-8",
    )
    result = runner.invoke(app, ["inventory", "import", str(bad)])
    assert result.exit_code == 1
    out = result.output
    assert "nothing was written" in out
    assert "row 3, column 'amount'" in out and "row 4, column 'year'" in out
    assert "row 2" not in out
    assert _activities() == before


def test_template_writes_a_workbook_that_imports(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    result = runner.invoke(app, ["inventory", "template", str(path)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["inventory", "import", str(path), "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["inserted"] == 9
    assert runner.invoke(app, ["inventory", "template", str(tmp_path / "t.csv")]).exit_code == 2


def test_uncertainty_gives_intervals_per_sector_and_total(data_dir: Path) -> None:
    rows = _json(["inventory", "uncertainty", "--year", "2021", "--draws", "500", "--seed", "7"])
    assert isinstance(rows, list)
    assert rows[-1]["sector"] == "total" and all(r["gwp"] == "AR5" for r in rows)
    for r in rows:
        low, high = sorted((r["mc_p2_5"], r["mc_p97_5"]))
        assert low <= r["mc_mean"] <= high and r["approach1_u95_pct"] > 0
    assert rows == _json(
        ["inventory", "uncertainty", "--year", "2021", "--draws", "500", "--seed", "7"]
    )
    table = runner.invoke(app, ["inventory", "uncertainty", "--draws", "200"])
    assert table.exit_code == 0 and "2022" in table.stdout and "GWP: AR5" in table.stdout


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["inventory", "build", "--gwp", "AR9"], 2, "AR4, AR5 or AR6"),
        (["inventory", "show", "--by", "planet"], 2, "sector"),
        (["inventory", "show", "--year", "1999"], 1, "no year 1999"),
        (["inventory", "build", "--co2-method", "magic"], 2, "china or ipcc"),
    ],
)
def test_bad_options_are_clear_errors(
    data_dir: Path, args: list[str], code: int, text: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert text in result.output


def test_without_activity_data_the_commands_say_how_to_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIETONG_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.delenv("XIETONG_DATABASE_URL", raising=False)
    assert runner.invoke(app, ["init", "--no-activity"]).exit_code == 0
    result = runner.invoke(app, ["inventory", "build"])
    assert result.exit_code == 1
    assert "no activity data" in result.output and "import FILE" in result.output
