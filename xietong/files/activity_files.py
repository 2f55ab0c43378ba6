"""Activity data files: the Excel template users fill in, and reading .xlsx / .csv tables.

The template's first sheet is the data (Chinese + English header, one example row per
sector); further sheets list the activity codes with their names and units, the sectors, the
districts and what each column means. Reading goes through
:func:`~xietong.accounting.activity.read_activity_rows`, so a file is taken whole or rejected
with every bad row named.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xietong.accounting.activity import (
    CITY,
    COLUMNS,
    QUALITY,
    REQUIRED,
    Activity,
    catalogue,
    map_header,
    read_activity_rows,
    sectors,
)
from xietong.files.progress_files import read_table

DATA_SHEET = "活动数据 activity"
CODES_SHEET = "活动代码 activities"
SECTORS_SHEET = "部门 sectors"
DISTRICTS_SHEET = "区 districts"
HELP_SHEET = "说明 help"

MEANING = {
    "year": ("年份", "calendar year of the activity"),
    "district": ("区", "district code (sheet 区 districts), or 'city' for a city-wide figure"),
    "sector": ("部门", "sector code (sheet 部门 sectors)"),
    "subsector": ("子部门", "power, heat, steel, petrochemical, cement, road, residential …"),
    "activity": ("活动", "activity code (sheet 活动代码 activities)"),
    "technology": ("技术", "technology, vehicle class, species, landfill type …"),
    "control": ("控制措施", "control device or emission stage (wfgd, scr, cn6 …)"),
    "amount": ("活动水平", "the amount, ≥ 0 (a loss of forest stock may be negative)"),
    "unit": ("单位", "a unit of the activity's dimension, e.g. 'wan * t', 'wan * Nm3', 'MWh'"),
    "source": ("来源", "document and table the amount was read in, or how it was estimated"),
    "quality": ("数据质量", "statistic / derived / estimate / measured / demo"),
    "parameters": ("参数", "name=value unit; … (e.g. 'cod_in=250 mg/L; cod_out=30 mg/L')"),
}

EXAMPLE_SOURCE = "示例 example row: replace with your own figures"
EXAMPLES: tuple[dict[str, object], ...] = (
    {
        "sector": "energy_industries",
        "subsector": "power",
        "activity": "raw_coal",
        "technology": "pulverised_coal",
        "control": "ule",
        "amount": 100,
        "unit": "wan * t",
    },
    {
        "sector": "industry",
        "subsector": "steel",
        "activity": "natural_gas",
        "amount": 5000,
        "unit": "wan * Nm3",
    },
    {
        "sector": "buildings",
        "subsector": "residential",
        "activity": "electricity",
        "amount": 100,
        "unit": "wan * MWh",
    },
    {
        "sector": "transport",
        "subsector": "road",
        "activity": "vkt",
        "technology": "car_gasoline",
        "control": "cn6",
        "amount": 100000,
        "unit": "wan * km",
    },
    {"sector": "industrial_processes", "activity": "clinker", "amount": 500, "unit": "wan * t"},
    {"sector": "agriculture", "activity": "n_fertiliser", "amount": 5, "unit": "wan * t"},
    {"sector": "waste", "activity": "msw_incinerated", "amount": 300, "unit": "wan * t"},
    {
        "sector": "wastewater",
        "activity": "wastewater_treated",
        "technology": "domestic",
        "amount": 100000,
        "unit": "wan * m3",
        "parameters": "cod_in=250 mg/L; cod_out=30 mg/L",
    },
    {"sector": "forestry", "activity": "afforestation", "amount": 1000, "unit": "ha"},
)
"""One example row per sector of ``data/accounting/sectors.csv`` (checked by the tests)."""


def header_cells() -> list[str]:
    """The template's header: Chinese name and English key of each column, e.g. "年份 year"."""
    return [f"{names[1]} {key}" for key, names in COLUMNS.items()]


def normalise_header(header: Sequence[object]) -> list[object]:
    """Header cells that hold a known column name among other words ("年份 year",
    "活动水平\\namount") replaced by the column key; other cells are kept as they are.

    >>> normalise_header(["年份 year", "区", "备注 remarks"])
    ['year', '区', '备注 remarks']
    """
    out: list[object] = []
    for cell in header:
        text = "" if cell is None else str(cell).strip()
        if text and not map_header([text]):
            keys = [key for token in text.split() for key in map_header([token])]
            if keys:
                out.append(keys[0])
                continue
        out.append(cell)
    return out


def read_activity_file(
    path: Path, name: str | None = None, *, districts: Iterable[str] | None = None
) -> list[Activity]:
    """Activities of the first sheet of an .xlsx, or of a .csv, all or nothing.

    Raises :class:`~xietong.errors.ImportRejected` naming every bad row, column and reason.
    """
    label = name or path.name
    header, rows = read_table(path, label)
    return read_activity_rows([normalise_header(header), *rows], label, districts=districts)


def _style(ws: Worksheet, width: int = 18) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for i in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def write_activity_template(
    path: Path, *, districts: Sequence[tuple[str, str, str]] = (), year: int = 2024
) -> int:
    """Write the activity-data template; ``districts`` are (code, 中文, English) triples.

    Returns the number of example rows (one per sector).
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = DATA_SHEET
    ws.append(header_cells())
    keys = list(COLUMNS)
    for example in EXAMPLES:
        row: dict[str, object] = {
            "year": year,
            "district": CITY,
            "source": EXAMPLE_SOURCE,
            "quality": "demo",
            **example,
        }
        ws.append([row.get(k, "") for k in keys])
    for key in REQUIRED:
        ws.cell(row=1, column=keys.index(key) + 1).font = Font(bold=True, color="C00000")
    _style(ws)
    ws.column_dimensions[get_column_letter(keys.index("source") + 1)].width = 40

    codes = wb.create_sheet(CODES_SHEET)
    codes.append(["code 代码", "中文", "English", "unit 单位 (dimension)", "method 方法", "note"])
    for kind in catalogue().values():
        codes.append([kind.code, kind.zh, kind.en, kind.dimension_unit, kind.method, kind.note])
    _style(codes, 22)

    secs = wb.create_sheet(SECTORS_SHEET)
    secs.append(["code 代码", "中文", "English", "IPCC"])
    for s in sectors().values():
        secs.append([s.code, s.zh, s.en, s.ipcc_category])
    _style(secs, 28)

    dist = wb.create_sheet(DISTRICTS_SHEET)
    dist.append(["code 代码", "中文", "English"])
    dist.append([CITY, "全市", "city-wide"])
    for code, zh, en in districts:
        dist.append([code, zh, en])
    _style(dist, 20)

    help_sheet = wb.create_sheet(HELP_SHEET)
    help_sheet.append(["column 列", "中文", "required 必填", "meaning 含义"])
    for key in COLUMNS:
        zh, meaning = MEANING[key]
        help_sheet.append([key, zh, "yes 是" if key in REQUIRED else "", meaning])
    help_sheet.append([])
    help_sheet.append(["", "一行有误则整个文件不导入 · one bad row rejects the whole file"])
    _style(help_sheet, 24)
    help_sheet.column_dimensions["D"].width = 70

    last = 1000
    for key, sheet, count in (
        ("sector", SECTORS_SHEET, len(sectors())),
        ("activity", CODES_SHEET, len(catalogue())),
        ("district", DISTRICTS_SHEET, len(districts) + 1),
    ):
        col = get_column_letter(keys.index(key) + 1)
        dv = DataValidation(type="list", formula1=f"'{sheet}'!$A$2:$A${count + 1}")
        dv.add(f"{col}2:{col}{last}")
        ws.add_data_validation(dv)
    col = get_column_letter(keys.index("quality") + 1)
    quality = DataValidation(type="list", formula1='"' + ",".join(QUALITY) + '"')
    quality.add(f"{col}2:{col}{last}")
    ws.add_data_validation(quality)
    wb.save(path)
    return len(EXAMPLES)
