"""Inventory exports read back by other programs: the workbook by calamine, the CSV by the csv
module, the IAMC file by pyam."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import SMALL_ACTIVITY
from xietong.accounting.activity import Activity, read_activity_csv, read_activity_rows
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.inventory import TABLE_COLUMNS, Inventory, build_inventory
from xietong.files.activity_files import normalise_header
from xietong.files.iamc import iamc_frame, read_iamc, write_iamc
from xietong.files.inventory_export import (
    SHEETS,
    co2e_sheet_name,
    write_inventory_csv,
    write_inventory_xlsx,
)

AR5 = load_gwp("AR5")


@pytest.fixture(scope="module")
def activities() -> list[Activity]:
    return read_activity_csv(SMALL_ACTIVITY)


@pytest.fixture(scope="module")
def inventory(activities: list[Activity], test_library: FactorLibrary) -> Inventory:
    return build_inventory(activities, test_library)


def test_workbook_reads_back_in_calamine(
    tmp_path: Path, inventory: Inventory, activities: list[Activity]
) -> None:
    path = tmp_path / "inventory.xlsx"
    write_inventory_xlsx(path, inventory, AR5, activities)
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == [
        SHEETS["about"],
        SHEETS["emissions"],
        SHEETS["sector"],
        co2e_sheet_name(AR5),
        SHEETS["factors"],
        SHEETS["gaps"],
        SHEETS["activity"],
    ]
    about = dict(book.get_sheet_by_name(SHEETS["about"]).to_python()[1:])
    assert about["GWP"] == "AR5 (GWP100)"
    assert about["factor editions 因子版本"] == ", ".join(inventory.editions)
    emissions = book.get_sheet_by_name(SHEETS["emissions"]).to_python()
    assert emissions[0] == list(TABLE_COLUMNS)
    table = inventory.table()
    assert len(emissions) - 1 == len(table)
    value = emissions[0].index("value")
    assert sum(r[value] for r in emissions[1:]) == pytest.approx(table["value"].sum())
    co2e = book.get_sheet_by_name(co2e_sheet_name(AR5)).to_python()
    header = co2e[0]
    assert header[4] == "GWP" and header[5:] == ["2020", "2021", "2022"]
    total = next(r for r in co2e if r[0] == "total" and r[2] == "direct")
    expected = inventory.co2e(AR5, ["year"]).set_index("year")["co2e"]
    assert total[5:] == pytest.approx([expected[y] for y in (2020, 2021, 2022)])
    assert {r[4] for r in co2e[1:]} == {"AR5"}
    by_sector = book.get_sheet_by_name(SHEETS["sector"]).to_python()
    indirect = [r for r in by_sector[1:] if r[3] == "indirect"]
    assert indirect and {r[2] for r in indirect} == {"CO2"}  # indirect kept apart
    # the activity sheet is itself a valid activity table
    rows = book.get_sheet_by_name(SHEETS["activity"]).to_python()
    again = read_activity_rows([normalise_header(rows[0]), *rows[1:]], "sheet")
    assert again == activities


def test_csv_reads_back(tmp_path: Path, inventory: Inventory) -> None:
    path = tmp_path / "inventory.csv"
    assert write_inventory_csv(path, inventory) == len(inventory.rows)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(inventory.rows)
    table = inventory.table()
    assert [float(r["value"]) for r in rows] == pytest.approx(list(table["value"]))
    assert rows[0]["factor_editions"] == ", ".join(inventory.editions)


def test_iamc_frame_follows_the_naming(inventory: Inventory) -> None:
    frame = iamc_frame(inventory, AR5)
    assert set(frame["model"]) == {"xietong"} and set(frame["scenario"]) == {"inventory"}
    assert set(frame["region"]) == {"Wuhan"}
    variables = set(frame["variable"])
    assert {
        "Emissions|CO2",
        "Emissions|CO2|Energy|Demand|Industry",
        "Emissions|CO2|Industrial Processes",
        "Emissions|CH4|AFOLU|Agriculture",
        "Emissions|Kyoto Gases (AR5-GWP100)",
        "Indirect Emissions|CO2",
        "Emissions|VOC",
    } <= variables
    co2 = frame[(frame["variable"] == "Emissions|CO2") & (frame["year"] == 2021)]
    direct = inventory.rollup(["year"], substances=["CO2"]).set_index("year")["value"]
    assert co2["value"].item() == pytest.approx(direct[2021] / 1e6)
    assert set(co2["unit"]) == {"Mt CO2/yr"}
    # each substance's sectors add up to its total
    for (variable, year), value in (
        frame[frame["variable"].str.count(r"\|") == 1].set_index(["variable", "year"])["value"]
    ).items():
        parts = frame[frame["variable"].str.startswith(variable + "|") & (frame["year"] == year)]
        if not variable.startswith("Emissions|Kyoto"):
            assert parts["value"].sum() == pytest.approx(value)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_iamc_file_reads_back_in_pyam(tmp_path: Path, inventory: Inventory, suffix: str) -> None:
    frame = iamc_frame(inventory, AR5)
    path = tmp_path / f"inventory{suffix}"
    assert write_iamc(path, frame, meta={"gwp": "AR5"}) == frame["variable"].nunique()
    back = read_iamc(path)
    key = ["variable", "year"]
    merged = frame.merge(back, on=key, suffixes=("", "_back"))
    assert len(merged) == len(frame) == len(back)
    assert list(merged["value_back"]) == pytest.approx(list(merged["value"]))
    assert list(merged["unit_back"]) == list(merged["unit"])
