"""Activity data files: the Excel template users fill in, and reading .xlsx / .csv / .parquet
tables.

The template's first sheet is the data (Chinese + English header, one example row per
sector); further sheets list the activity codes with their names and units, the sectors, the
districts and what each column means.

Reading streams: a CSV (UTF-8, or GBK / GB18030 as Chinese Excel saves it) is read line by
line, an .xlsx sheet row by row (openpyxl read-only), a Parquet file batch by batch (pyarrow),
and :func:`read_activity_chunks` validates the rows with
:class:`~xietong.accounting.activity.ActivityRowChecker` into chunks of
:data:`~xietong.accounting.activity.CHUNK_ROWS` activities, so that memory is bounded by a
chunk, not by the file. A file is taken whole or rejected with every bad row named: the chunks
are written in one transaction that is rolled back when a later row is refused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xietong.accounting.activity import (
    CHUNK_ROWS,
    CITY,
    COLUMNS,
    QUALITY,
    REQUIRED,
    Activity,
    catalogue,
    iter_activity_chunks,
    map_header,
    sectors,
)
from xietong.errors import ImportRejected, RowProblem
from xietong.files.encodings import detect_encoding
from xietong.files.workbooks import MAX_COLUMNS, check_xlsx, save_workbook

Progress = Callable[[int, int], None]
"""A reading-progress callback: ``(done, total)`` in bytes for a CSV file, in rows for .xlsx
and .parquet; ``total`` is 0 when it is not known."""

SUFFIXES = (".csv", ".xlsx", ".xlsm", ".parquet")
"""The file types an activity table is read from."""
PROGRESS_EVERY = 5_000
"""Rows between two calls of a progress callback."""
PARQUET_BATCH = 10_000
"""Rows per Parquet record batch read (at most the chunk size)."""

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
    "entity": (
        "主体",
        "enterprise or facility id, e.g. its 统一社会信用代码 (at most 64 characters); "
        "empty for an aggregate figure",
    ),
    "period": (
        "期间",
        "empty (or the year) for the whole year; 2024-Q1 … 2024-Q4 or 2024-01 … 2024-12 "
        "within the row's year",
    ),
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


def _csv_rows(path: Path, progress: Progress | None) -> Iterator[list[str]]:
    encoding = detect_encoding(path)
    total = path.stat().st_size
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
        for i, row in enumerate(csv.reader(text)):
            if progress is not None and i % PROGRESS_EVERY == 0:
                progress(raw.tell(), total)
            yield row
    if progress is not None:
        progress(total, total)


def _xlsx_rows(path: Path, progress: Progress | None) -> Iterator[Sequence[object]]:
    check_xlsx(path, path.name)
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        total = int(getattr(ws, "max_row", None) or 0)
        # a sheet's recorded dimension may be wrong (some writers give "A1"): read every row
        reset = getattr(ws, "reset_dimensions", None)
        if reset is not None:
            reset()
        for i, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)):
            if progress is not None and i % PROGRESS_EVERY == 0:
                progress(i, max(total, i))
            yield row
        if progress is not None:
            progress(total, total)
    finally:
        wb.close()


def _parquet_rows(
    path: Path, progress: Progress | None, batch_size: int
) -> Iterator[Sequence[object]]:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as pf:
        names = list(pf.schema_arrow.names)
        # read only the columns of the table (a column of remarks is never loaded)
        known = map_header(normalise_header(names))
        wanted = sorted(known.values())
        columns = [names[i] for i in wanted]
        yield [names[i] for i in wanted]
        total = pf.metadata.num_rows
        done = 0
        for batch in pf.iter_batches(batch_size=batch_size, columns=columns):
            values = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            yield from zip(*values, strict=True)
            done += batch.num_rows
            if progress is not None:
                progress(done, total)


def iter_table_rows(
    path: Path,
    name: str | None = None,
    *,
    progress: Progress | None = None,
    batch_size: int = CHUNK_ROWS,
) -> Iterator[Sequence[object]]:
    """The rows (header first) of a .csv, of the first sheet of an .xlsx, or of a .parquet
    file, one at a time; ``name`` (default: the file's) gives the type by its suffix.

    Raises ImportRejected (row 0) when the file cannot be read as such a table.
    """
    label = name or path.name
    suffix = Path(label).suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportRejected(
            label, [RowProblem(0, "*", "only .xlsx, .csv and .parquet files are read")]
        )
    try:
        if suffix == ".csv":
            yield from _csv_rows(path, progress)
        elif suffix == ".parquet":
            yield from _parquet_rows(path, progress, min(batch_size, PARQUET_BATCH))
        else:
            yield from _xlsx_rows(path, progress)
    except ImportRejected:
        raise
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            label,
            [
                RowProblem(
                    0,
                    "*",
                    f"cannot read the file: it is neither UTF-8 nor GBK/GB18030 text ({exc}); "
                    "save it as CSV UTF-8",
                )
            ],
        ) from exc
    except Exception as exc:  # openpyxl, pyarrow and csv raise many kinds for a damaged file
        raise ImportRejected(label, [RowProblem(0, "*", f"cannot read the file: {exc}")]) from exc


def _normalised(rows: Iterator[Sequence[object]]) -> Iterator[Sequence[object]]:
    """``rows`` with the header's two-language cells mapped to column keys."""
    header = next(rows, None)
    if header is None:
        return
    yield normalise_header(header)
    yield from rows


def read_activity_chunks(
    path: Path,
    name: str | None = None,
    *,
    districts: Iterable[str] | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> Iterator[list[Activity]]:
    """Validated activities of an .xlsx (first sheet), .csv or .parquet file, in chunks of at
    most ``chunk_size`` (default :data:`~xietong.accounting.activity.CHUNK_ROWS`).

    Chunks come while every row so far is good; at the end ImportRejected names every bad
    row, column and reason of the whole file (the first 1,000, with the count), and the
    chunks already given are void: write them in one transaction and roll it back. ``districts``
    restricts the district codes (the city's own, from its plan; ``city`` is always allowed).
    """
    label = name or path.name
    size = chunk_size or CHUNK_ROWS
    rows = iter_table_rows(path, label, progress=progress, batch_size=size)
    return iter_activity_chunks(_normalised(rows), label, districts=districts, chunk_size=size)


def read_activity_file(
    path: Path, name: str | None = None, *, districts: Iterable[str] | None = None
) -> list[Activity]:
    """Activities of the first sheet of an .xlsx, or of a .csv or .parquet file, all or
    nothing (the whole table in memory: see :func:`read_activity_chunks` for large files).

    Raises :class:`~xietong.errors.ImportRejected` naming every bad row, column and reason.
    """
    return [act for chunk in read_activity_chunks(path, name, districts=districts) for act in chunk]


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
    save_workbook(wb, path)
    return len(EXAMPLES)
