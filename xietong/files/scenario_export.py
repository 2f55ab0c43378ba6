"""Scenario runs exported to a CSV table or an Excel workbook (csv, openpyxl); the IAMC export
is :mod:`xietong.files.iamc`.

The CSV is the long table of :func:`xietong.service.scenario_views.pathway_frame` (``scenario, year,
variable, value, unit, projected``). Workbook sheets: 说明 about (version, base year, the note
on estimates), 路径 pathways (that table), 达峰 peaks, 目标 targets (the checklist of each
scenario) and 措施 levers (every lever with its size, ramp and basis).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xietong import __version__
from xietong.files.workbooks import save_workbook
from xietong.plan.models import Plan
from xietong.scenarios.projection import ScenarioResult
from xietong.service.scenario_views import PEAK_YEARS, pathway_frame, peak_record, target_records

ESTIMATE_NOTE = (
    "估算 estimate: every projected figure rests on the drivers (GDP and population growth, "
    "elasticities; electricity's is calibrated on 2017–2024) and the lever sizes, all estimates "
    "unless a lever's basis cites a plan target or clause"
)


def write_scenarios_csv(path: Path, frame: pd.DataFrame) -> int:
    """Write the long pathway table (UTF-8 with BOM, so Excel opens the Chinese right);
    returns the number of rows."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(list(frame.columns))
        for row in frame.itertuples(index=False):
            writer.writerow(list(row))
    return len(frame)


def _sheet(ws: Worksheet, header: list[str], rows: list[list[Any]], width: int = 16) -> None:
    ws.append(header)
    for r in rows:
        ws.append(r)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def write_scenarios_xlsx(
    path: Path,
    runs: Mapping[str, ScenarioResult],
    details: Mapping[str, Mapping[str, Any]],
    plan: Plan,
    base_year: int,
) -> int:
    """Write the workbook of scenario runs; returns the number of pathway rows."""
    frame = pathway_frame(runs, base_year)
    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = "说明 about"
    _sheet(
        about,
        ["item 项目", "value 内容"],
        [
            ["xietong", __version__],
            ["exported 导出时间", dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()],
            ["plan 方案", f"{plan.id} {plan.document_number}"],
            ["base year 基准年", base_year],
            ["scenarios 情景", ", ".join(runs)],
            ["note 说明", ESTIMATE_NOTE],
        ],
        width=40,
    )
    _sheet(
        wb.create_sheet("路径 pathways"),
        list(frame.columns),
        [list(r) for r in frame.itertuples(index=False)],
    )
    _sheet(
        wb.create_sheet("达峰 peaks"),
        [
            "scenario",
            "peak_year",
            "peak_value_t",
            "plateau_start",
            "plateau_end",
            "peaked_in_series",
            *(f"peaked_by_{y}" for y in PEAK_YEARS),
        ],
        [
            [
                sid,
                p["year"],
                p["value"],
                p["plateau_start"],
                p["plateau_end"],
                p["peaked_in_series"],
                *(p["peaked_by"][str(y)] for y in PEAK_YEARS),
            ]
            for sid, p in ((sid, peak_record(r.peak)) for sid, r in runs.items())
        ],
    )
    target_rows = []
    for sid, r in runs.items():
        for t in target_records(r.targets, plan):
            target_rows.append(
                [
                    sid,
                    t["target_id"],
                    t["indicator_zh"],
                    t["deadline"],
                    t["direction"],
                    t["goal"],
                    t["unit"],
                    t["status"],
                    t["year_met"],
                    t["value_at_deadline"],
                    t["shortfall"],
                ]
            )
    _sheet(
        wb.create_sheet("目标 targets"),
        [
            "scenario",
            "target_id",
            "indicator 指标",
            "deadline",
            "direction",
            "goal",
            "unit",
            "status",
            "year_met",
            "value_at_deadline",
            "shortfall",
        ],
        target_rows,
    )
    lever_rows = []
    for sid, d in details.items():
        for lv in d["levers"]:
            lever_rows.append(
                [
                    sid,
                    lv["id"],
                    lv["zh"],
                    lv["kind"],
                    lv["strength"],
                    lv["factor"],
                    lv["share"],
                    lv["start"],
                    lv["full"],
                    "估算 estimate" if lv["estimate"] else "plan 方案",
                    lv["basis"],
                ]
            )
    _sheet(
        wb.create_sheet("措施 levers"),
        [
            "scenario",
            "lever",
            "name 名称",
            "kind",
            "strength",
            "factor",
            "share",
            "start",
            "full",
            "size from 规模依据",
            "basis 依据",
        ],
        lever_rows,
    )
    save_workbook(wb, path)
    return len(frame)
