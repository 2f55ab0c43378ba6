"""Reading progress tables from real .xlsx/.csv files, and the exported workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from xietong.errors import ImportRejected
from xietong.files.progress_files import read_table, write_progress_xlsx
from xietong.plan.models import Plan
from xietong.plan.progress import ProgressRecord, Status, assess_all
from xietong.plan.progress_table import parse_rows


def test_xlsx_with_a_percent_formatted_cell(tmp_path: Path, plan: Plan) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["目标编号", "期间", "数值", "单位"])
    ws.append(["construction-waste-2024", 2024, 0.695, None])
    ws["C2"].number_format = "0.0%"  # Excel shows 69.5 %
    ws.append(["natural-gas-2025", 2024, 36.2, "亿立方米"])  # the target's own unit label
    ws.append(["natural-gas-2025", 2023, 3.49, "billion_m3"])  # converted with pint
    path = tmp_path / "p.xlsx"
    wb.save(path)
    header, rows = read_table(path)
    records = parse_rows(plan, header, rows, source="p.xlsx")
    assert [(r.target_id, r.period_end.year, round(r.value, 6)) for r in records] == [
        ("construction-waste-2024", 2024, 69.5),
        ("natural-gas-2025", 2024, 36.2),
        ("natural-gas-2025", 2023, 34.9),  # 3.49e9 m³ = 34.9 × 1e8 m³
    ]


def test_percent_text_is_checked_against_the_target_unit(plan: Plan) -> None:
    rows: list[list[object]] = [
        ["coal-share-2025", 2024, "29.5%", None],
        ["coal-share-2025", 2023, "inf%", None],  # row 3
        ["slow-traffic-146km", 2024, "5%", None],  # row 4: km target
        ["afforestation-2025", 2024, "80%", "km"],  # row 5: contradicting unit cell
    ]
    with pytest.raises(ImportRejected) as info:
        parse_rows(plan, ["target_id", "period", "value", "unit"], rows, source="x.csv")
    assert [(p.row, p.column) for p in info.value.problems] == [
        (3, "value"),
        (4, "value"),
        (5, "value"),
    ]


def test_csv_with_bom_and_chinese_header(tmp_path: Path, plan: Plan) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "目标编号,期间,数值,区\nafforestation-2025,2024年,8.5,黄陂区\n", encoding="utf-8-sig"
    )
    header, rows = read_table(path)
    (rec,) = parse_rows(plan, header, rows, source="p.csv")
    assert (rec.district, rec.period_end, rec.value) == ("huangpi", dt.date(2024, 12, 31), 8.5)


@pytest.mark.parametrize(
    ("name", "data"), [("x.xlsx", b"PK\x03\x04 broken"), ("x.txt", b"a,b"), ("x.csv", b"")]
)
def test_unreadable_files_are_rejected_with_a_reason(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportRejected) as info:
        read_table(path)
    assert info.value.problems and info.value.problems[0].reason


def test_exported_workbook_opens_in_calamine(tmp_path: Path, plan: Plan) -> None:
    records = [
        ProgressRecord(
            target_id="coal-share-2025",
            period_end=dt.date(2024, 12, 31),
            value=29.9,
            evidence="演示数据",
            demo=True,
        )
    ]
    day = dt.date(2025, 6, 30)
    path = tmp_path / "out.xlsx"
    write_progress_xlsx(path, plan, records, assess_all(plan.targets, records, day), day)
    book = CalamineWorkbook.from_path(str(path))
    progress = book.get_sheet_by_name("进度 progress").to_python()
    assert progress[1][:3] == ["coal-share-2025", dt.date(2024, 12, 31), 29.9]
    status = book.get_sheet_by_name("状态 status").to_python()
    assert len(status) == 1 + len(plan.targets)
    # for people: labels, not codes (the code kept in its own column)
    head = [str(h) for h in status[0]]
    row = dict(
        zip(head, status[1 + [t.id for t in plan.targets].index("coal-share-2025")], strict=True)
    )
    assert row["单位 unit"] == "%" and row["方向 direction"] == "不高于"
    assert row["状态 status"] in {
        "已完成",
        "进展顺利",
        "存在风险",
        "进度滞后",
        "未完成",
        "不作判断",
        "无数据",
    }
    assert row["状态代码 status_code"] in {s.value for s in Status}
