"""The history of a target or a task as a CSV file people open in Excel: UTF-8 with a BOM
(Chinese Excel reads it as such), a header row in Chinese and English, and every cell that a
spreadsheet would read as a formula written as text (a leading apostrophe)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from xietong.files.workbooks import FORMULA_STARTS


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def history_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The rows as CSV bytes (UTF-8 with BOM), formula-like cells made text.

    >>> history_csv(["谁 who"], [["=HYPERLINK(1)"]]).decode("utf-8-sig").splitlines()
    ['谁 who', "'=HYPERLINK(1)"]
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
