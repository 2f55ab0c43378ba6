"""The inventory exported to an Excel workbook or a CSV table (openpyxl, csv).

Workbook sheets: 说明 about (xietong version, options, GWP set, factor editions), 排放 emissions
(the tidy table, one row per activity row × substance), 部门×年份 by sector (tonnes of each
substance, direct and indirect apart), CO2e by sector × year under the named GWP set, 因子
factors (editions and every factor used, with its source), 缺口 gaps, and 活动数据 activity (the
activity data, with the template's header, so it can be imported again).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xietong import __version__
from xietong.accounting.activity import Activity, activity_records, sectors
from xietong.accounting.factors import GWPSet
from xietong.accounting.inventory import TABLE_COLUMNS, Inventory
from xietong.files.activity_files import header_cells
from xietong.files.workbooks import save_workbook
from xietong.service.inventory_views import estimate_share, factors_used, gap_records

SHEETS = {
    "about": "说明 about",
    "emissions": "排放 emissions",
    "sector": "部门×年份 by sector",
    "co2e": "CO2e 部门×年份",
    "factors": "因子 factors",
    "gaps": "缺口 gaps",
    "activity": "活动数据 activity",
}


def co2e_sheet_name(gwp: GWPSet) -> str:
    """Name of the CO2e sheet, with the GWP set in it (e.g. ``CO2e (AR5) 部门×年份``)."""
    return f"CO2e ({gwp.name}) 部门×年份"


def _bold_header(ws: Worksheet, width: int = 16) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def _wide(df: pd.DataFrame, index: list[str], value: str, years: Sequence[int]) -> pd.DataFrame:
    """``df`` with one column per year (missing combinations left empty)."""
    wide = df.pivot_table(index=index, columns="year", values=value, aggfunc="sum")
    wide = wide.reindex(columns=list(years)).reset_index()
    wide.columns = [str(c) for c in wide.columns]
    return wide


def about_rows(
    inv: Inventory, gwp: GWPSet, extra: Mapping[str, object] | None = None
) -> list[tuple[str, object]]:
    """The provenance of an export: version, options, GWP set, editions, sizes."""
    share = estimate_share(inv, gwp)
    return [
        ("xietong", __version__),
        ("exported 导出时间", dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()),
        ("GWP", f"{gwp.name} (GWP100)"),
        ("CO2 method 方法", inv.options.co2_method),
        ("grid region 电网区域", inv.options.grid_region),
        ("factor editions 因子版本", ", ".join(inv.editions)),
        ("years 年份", ", ".join(str(y) for y in inv.years)),
        ("emission rows 排放行数", inv.row_count),
        ("gaps 缺口", len(inv.gaps)),
        (
            "estimate share 估算占比",
            f"{share['rows_share']:.0%} of activity rows, {share['co2e_share']:.0%} of CO2e",
        ),
        ("unit 单位", "t (tonnes); CO2e in t CO2e"),
        *((str(k), v) for k, v in (extra or {}).items()),
    ]


def write_inventory_xlsx(
    path: Path,
    inv: Inventory,
    gwp: GWPSet,
    activities: Sequence[Activity],
    *,
    extra: Mapping[str, object] | None = None,
) -> None:
    """Write the inventory workbook (sheets in :data:`SHEETS`)."""
    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = SHEETS["about"]
    about.append(["item 项目", "value 值"])
    for key, value in about_rows(inv, gwp, extra):
        about.append([key, value])
    _bold_header(about, 36)
    about.column_dimensions["B"].width = 80

    table = inv.table()
    ws = wb.create_sheet(SHEETS["emissions"])
    ws.append(list(TABLE_COLUMNS))
    for values in table.itertuples(index=False):
        ws.append(list(values))
    _bold_header(ws)
    _sector_sheet(wb.create_sheet(SHEETS["sector"]), table, inv.years)
    _co2e_sheet(wb.create_sheet(co2e_sheet_name(gwp)), inv, gwp)

    fs = wb.create_sheet(SHEETS["factors"])
    used = factors_used(inv)
    columns = list(used[0]) if used else ["id", "edition"]
    fs.append(columns)
    for f in used:
        fs.append([f[c] for c in columns])
    _bold_header(fs, 20)

    gs = wb.create_sheet(SHEETS["gaps"])
    gs.append(["year", "district", "sector", "activity", "technology", "substance"])
    for g in gap_records(inv):
        gs.append(list(g.values()))
    _bold_header(gs)

    acts = wb.create_sheet(SHEETS["activity"])
    acts.append(header_cells())
    for record in activity_records(activities):
        acts.append(list(record.values()))
    _bold_header(acts)
    save_workbook(wb, path)


def _sector_name(code: str) -> str:
    names = sectors()
    return names[code].zh if code in names else code


def _sector_sheet(sheet: Worksheet, table: pd.DataFrame, years: Sequence[int]) -> None:
    """Tonnes of each substance by sector (rows) and year (columns), direct and indirect."""
    sheet.append(["sector", "部门", "substance", "scope", "unit", *map(str, years)])
    if len(table):
        scoped = pd.DataFrame(
            table.groupby(["sector", "substance", "scope", "year"], as_index=False)["value"].sum()
        )
        wide = _wide(scoped, ["sector", "substance", "scope"], "value", years)
        for rec in wide.to_dict("records"):
            code = str(rec["sector"])
            sheet.append(
                [
                    code,
                    _sector_name(code),
                    rec["substance"],
                    rec["scope"],
                    "t",
                    *(_cell(rec[str(y)]) for y in years),
                ]
            )
    _bold_header(sheet)


def _co2e_sheet(sheet: Worksheet, inv: Inventory, gwp: GWPSet) -> None:
    """Greenhouse gases in t CO2e under ``gwp`` by sector and year, with a total row, for the
    direct and the indirect scope apart."""
    years = inv.years
    sheet.append(["sector", "部门", "scope", "unit", "GWP", *map(str, years)])
    for scope in ("direct", "indirect"):
        by = inv.co2e(gwp, ["sector", "year"], scope=scope)
        if by.empty:
            continue
        for rec in _wide(by, ["sector"], "co2e", years).to_dict("records"):
            code = str(rec["sector"])
            sheet.append(
                [
                    code,
                    _sector_name(code),
                    scope,
                    "t CO2e",
                    gwp.name,
                    *(_cell(rec[str(y)]) for y in years),
                ]
            )
        total = inv.co2e(gwp, ["year"], scope=scope).set_index("year")["co2e"]
        sheet.append(
            ["total", "合计", scope, "t CO2e", gwp.name, *(_cell(total.get(y)) for y in years)]
        )
    _bold_header(sheet)


def _cell(value: object) -> object:
    """A number for a sheet cell; empty for a missing value (NaN / None)."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return value
    return None if number != number else number


def write_inventory_csv(path: Path, inv: Inventory) -> int:
    """Write the tidy emissions table as UTF-8 CSV (with BOM, so Excel shows Chinese), with the
    xietong version and the factor editions on every row; returns the number of rows."""
    table = inv.table()
    editions = ", ".join(inv.editions)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*TABLE_COLUMNS, "xietong_version", "factor_editions"])
        for rec in table.itertuples(index=False):
            writer.writerow([*rec, __version__, editions])
    return len(table)
