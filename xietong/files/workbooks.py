"""Writing workbooks that cannot run anything when opened.

Every workbook the platform writes goes through :func:`save_workbook`: a text cell that starts
with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return), which openpyxl would store as a
formula, is stored as text, so evidence such as ``=HYPERLINK(…)`` uploaded by someone is shown,
never evaluated (CWE-1236, "CSV/formula injection"). The platform itself writes no formulas.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

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
