"""The activity template opens in another reader and imports again; activity tables are read
from .xlsx and .csv all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from xietong.accounting.activity import catalogue, sectors
from xietong.errors import ImportRejected
from xietong.files.activity_files import (
    CODES_SHEET,
    DATA_SHEET,
    DISTRICTS_SHEET,
    SECTORS_SHEET,
    normalise_header,
    read_activity_file,
    write_activity_template,
)
from xietong.plan.models import Plan


@pytest.fixture
def template(tmp_path: Path, plan: Plan) -> Path:
    path = tmp_path / "template.xlsx"
    districts = [(d.code, d.name.zh, d.name.en) for d in plan.districts]
    assert write_activity_template(path, districts=districts) == len(sectors())
    return path


def test_template_opens_in_calamine_with_codes_and_sectors(template: Path, plan: Plan) -> None:
    book = CalamineWorkbook.from_path(str(template))
    assert book.sheet_names[:4] == [DATA_SHEET, CODES_SHEET, SECTORS_SHEET, DISTRICTS_SHEET]
    data = book.get_sheet_by_name(DATA_SHEET).to_python()
    assert data[0][:3] == ["年份 year", "区 district", "部门 sector"]
    assert sorted(r[2] for r in data[1:]) == sorted(sectors())  # one example row per sector
    codes = book.get_sheet_by_name(CODES_SHEET).to_python()
    by_code = {r[0]: r for r in codes[1:]}
    assert set(by_code) == set(catalogue())
    assert by_code["natural_gas"][1:4] == ["天然气", "natural gas", "wan * Nm3"]
    secs = book.get_sheet_by_name(SECTORS_SHEET).to_python()
    assert {r[0]: r[1] for r in secs[1:]}["transport"] == "交通运输"
    dist = book.get_sheet_by_name(DISTRICTS_SHEET).to_python()
    assert [r[0] for r in dist[1:]] == ["city", *(d.code for d in plan.districts)]


def test_template_imports_again(template: Path, plan: Plan) -> None:
    acts = read_activity_file(template, districts=[d.code for d in plan.districts])
    assert len(acts) == len(sectors())
    assert {a.quality for a in acts} == {"demo"}  # example rows are marked as such
    water = next(a for a in acts if a.sector == "wastewater")
    assert water.parameter("cod_in") is not None


def test_xlsx_with_bad_rows_is_rejected_whole(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["年份\nyear", "区", "部门", "活动", "活动水平", "单位"])
    ws.append([2022, "city", "industry", "bituminous_coal", 10, "wan * t"])
    ws.append([2022, "city", "industry", "bituminous_coal", -1, "wan * t"])  # row 3
    ws.append([2022, "city", "nowhere", "electricity", 1, "MWh"])  # row 4
    path = tmp_path / "a.xlsx"
    wb.save(path)
    with pytest.raises(ImportRejected) as info:
        read_activity_file(path)
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "amount"), (4, "sector")]


def test_csv_is_read_with_a_chinese_header(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "年份,区,部门,活动,活动水平,单位,数据质量\n"
        "2022,city,industry,electricity,5,wan * MWh,estimate\n",
        encoding="utf-8-sig",
    )
    (act,) = read_activity_file(path)
    assert (act.activity, act.amount, act.unit, act.quality) == (
        "electricity",
        5.0,
        "wan * MWh",
        "estimate",
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("年份 year", "year"),
        ("活动水平\namount", "amount"),
        ("amount", "amount"),
        ("备注 remarks", "备注 remarks"),
        (None, None),
    ],
)
def test_header_cells_with_two_languages_are_mapped(cell: object, expected: object) -> None:
    assert normalise_header([cell]) == [expected]
