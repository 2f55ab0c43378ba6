"""Writing workbooks that cannot run anything when opened.

Every workbook the platform writes goes through :func:`save_workbook`: a text cell that starts
with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return), which openpyxl would store as a
formula, is stored as text, so evidence such as ``=HYPERLINK(…)`` uploaded by someone is shown,
never evaluated (CWE-1236, "CSV/formula injection"). The platform itself writes no formulas.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

from xietong.errors import ImportRejected, RowProblem

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet program may read as the start of a formula."""


def as_text(wb: Workbook) -> int:
    """Store every cell that would be read as a formula as plain text; how many there were."""
    changed = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    changed += 1
    return changed


def save_workbook(wb: Workbook, path: Path) -> None:
    """``wb`` saved to ``path`` with every formula-looking text cell stored as text."""
    as_text(wb)
    wb.save(path)


MAX_COLUMNS = 64
"""Columns read from an uploaded sheet (the widest table the platform reads has 14)."""

MAX_EXPANDED = 512 * 2**20
"""The most an uploaded workbook may expand to when unzipped (bytes)."""

MAX_RATIO = 200
"""The highest compression ratio of a large member of an uploaded workbook (spreadsheet XML
compresses about 10–30 times; a zip bomb thousands of times)."""


def check_xlsx(path: Path, label: str) -> None:
    """Refuse (ImportRejected) an uploaded workbook that would expand beyond
    :data:`MAX_EXPANDED` or whose large members are compressed more than :data:`MAX_RATIO`
    times, before any of it is parsed. A file that is not a zip archive is left to the
    reader, which names the problem."""
    if not zipfile.is_zipfile(path):
        return
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    expanded = sum(m.file_size for m in members)
    if expanded > MAX_EXPANDED:
        raise ImportRejected(
            label,
            [RowProblem(0, "*", f"the workbook expands to {expanded / 2**20:,.0f} MB: refused")],
        )
    for m in members:
        if m.file_size > 2**20 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise ImportRejected(
                label,
                [
                    RowProblem(
                        0,
                        "*",
                        f"{m.filename} expands {m.file_size // max(m.compress_size, 1):,} "
                        "times: refused as a possible zip bomb",
                    )
                ],
            )
