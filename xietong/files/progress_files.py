"""Read progress tables from .xlsx / .csv and write the progress workbook (openpyxl)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from xietong.errors import ImportRejected, RowProblem
from xietong.files.encodings import detect_encoding
from xietong.files.workbooks import MAX_COLUMNS, check_xlsx, save_workbook
from xietong.plan.models import DIRECTION_ZH, Plan
from xietong.plan.progress import STATUS_ZH, Assessment, ProgressRecord
from xietong.plan.progress_table import HEADERS_ZH

STATUS_FILL = {
    "achieved": "C6EFCE",
    "on_track": "DDEBF7",
    "at_risk": "FFEB9C",
    "off_track": "F8CBAD",
    "missed": "FF9999",
    "unjudged": "E4C1F9",
    "no_data": "EDEDED",
}
BASIS_TEXT = {
    "official": "正式或报送数据 official",
    "estimate": "依估算 on estimates",
    "demo": "依演示数据 on demo data",
}
"""How the status sheet names the basis of a judgement (docs/user/why-estimate.md)."""


def _cell_value(cell: object) -> object:
    """A cell's value; a number shown as a percentage (0.695 as 69.5 %) becomes "69.5%",
    which the progress parser reads as 69.5 in percent."""
    value = getattr(cell, "value", None)
    fmt = str(getattr(cell, "number_format", "") or "")
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in fmt:
        return f"{value * 100:.12g}%"
    return value


MAX_ROWS = 100_000
"""The most rows a progress or milestone table may have."""


def read_table(path: Path, name: str | None = None) -> tuple[list[object], list[list[object]]]:
    """Header and data rows of the first sheet of an .xlsx, or of a .csv (UTF-8 with or without
    a BOM, or GBK/GB18030 as Chinese Excel saves it).

    Raises ImportRejected (row 0) when the file cannot be read as such a table.
    """
    label = name or path.name
    suffix = Path(label).suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding=detect_encoding(path), newline="") as fh:
                rows: list[list[object]] = [list(r) for r in csv.reader(fh)]
        elif suffix in (".xlsx", ".xlsm"):
            check_xlsx(path, label)
            wb = load_workbook(path, read_only=True, data_only=True)
            ws = wb.worksheets[0]
            rows = [
                [_cell_value(c) for c in r]
                for r in ws.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS)
            ]
            wb.close()
            while rows and all(v is None or v == "" for v in rows[-1]):
                rows.pop()  # empty rows a writer left (or padded) at the end
            if len(rows) > MAX_ROWS:
                raise ImportRejected(
                    label, [RowProblem(MAX_ROWS + 1, "*", f"more than {MAX_ROWS:,} rows")]
                )
        else:
            raise ImportRejected(label, [RowProblem(0, "*", "only .xlsx and .csv files are read")])
    except ImportRejected:
        raise
    except Exception as exc:  # openpyxl and csv raise many kinds for a damaged file
        raise ImportRejected(label, [RowProblem(0, "*", f"cannot read the file: {exc}")]) from exc
    if not rows:
        raise ImportRejected(label, [RowProblem(1, "*", "the file is empty")])
    return rows[0], rows[1:]


def write_progress_xlsx(
    path: Path,
    plan: Plan,
    records: Sequence[ProgressRecord],
    assessments: Mapping[str, Assessment],
    as_of: dt.date,
) -> None:
    """Write a workbook: sheet 进度 (the records, re-importable) and 状态 (status per target,
    with the quality of the values it rests on and the basis of the judgement)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "进度 progress"
    header = [
        "target_id",
        "period",
        "value",
        "unit",
        "district",
        "reported_by",
        "evidence",
        "demo",
        "quality",
    ]
    ws.append(header)
    for r in records:
        t = plan.target(r.target_id)
        ws.append(
            [
                r.target_id,
                r.period_end,
                r.value,
                t.unit,
                r.district or "",
                r.reported_by or "",
                r.evidence or "",
                "演示数据 demo" if r.demo else "",
                r.quality.value,
            ]
        )
    st = wb.create_sheet("状态 status")
    st.append(
        [
            "target_id",
            "指标 indicator",
            "方向 direction",
            "目标值 target",
            "单位 unit",
            "期限 deadline",
            "最新值 latest",
            "期间 period",
            "状态 status",
            "状态代码 status_code",
            "说明 reason",
            "数据质量 quality",
            "判断依据 basis",
            f"评估日期 as of {as_of.isoformat()}",
        ]
    )
    for t in plan.targets:
        a = assessments[t.id]
        st.append(
            [
                t.id,
                t.indicator.zh,
                DIRECTION_ZH[t.direction],
                t.value,
                t.unit_text("zh"),
                t.deadline,
                a.latest_value,
                a.latest_period,
                STATUS_ZH[a.status.value],
                a.status.value,
                a.reason_in("zh"),
                a.quality.value if a.quality else "",
                BASIS_TEXT[a.basis.value] if a.basis else "",
            ]
        )
        st.cell(row=st.max_row, column=9).fill = PatternFill(
            "solid", fgColor=STATUS_FILL[a.status.value]
        )
    help_sheet = wb.create_sheet("说明 help")
    help_sheet.append(["列 column", "含义 meaning"])
    for key, zh in HEADERS_ZH.items():
        help_sheet.append([key, zh])
    help_sheet.append(["demo", "演示数据 demo: synthetic figure, not an official statistic"])
    for sheet in (ws, st, help_sheet):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for i in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(i)].width = 18
    save_workbook(wb, path)
