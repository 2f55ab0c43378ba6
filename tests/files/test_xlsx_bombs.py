"""Workbook bombs generated here: a cell at the sheet's last row and column, and a member that
expands thousands of times. Neither may cost more than a bounded amount of memory."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from xietong.errors import ImportRejected
from xietong.files.progress_files import read_table
from xietong.files.workbooks import check_xlsx


def _table() -> tuple[Any, Workbook]:
    """A progress table of one row: its sheet and its workbook."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["target_id", "period", "value"])
    ws.append(["coal-share-2025", 2023, 30.5])
    return ws, wb


def test_a_cell_at_the_last_row_and_column_costs_little(tmp_path: Path) -> None:
    ws, wb = _table()
    ws.cell(row=1_048_576, column=16_384, value="x")
    path = tmp_path / "far.xlsx"
    wb.save(path)
    assert path.stat().st_size < 20_000
    tracemalloc.start()
    try:
        header, rows = read_table(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert header[:3] == ["target_id", "period", "value"]
    assert rows[0][:3] == ["coal-share-2025", 2023, 30.5]
    assert peak < 300 * 2**20  # it took 6.9 GB before the bound


def test_a_member_that_expands_thousands_of_times_is_refused_unparsed(tmp_path: Path) -> None:
    _, wb = _table()
    path = tmp_path / "bomb.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/padding.xml", b"\0" * (50 * 2**20))
    assert path.stat().st_size < 2**20
    with pytest.raises(ImportRejected, match="zip bomb"):
        check_xlsx(path, "bomb.xlsx")
    with pytest.raises(ImportRejected, match="zip bomb"):
        read_table(path)


def test_too_many_rows_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("xietong.files.progress_files.MAX_ROWS", 5)
    ws, wb = _table()
    for _ in range(10):
        ws.append(["coal-share-2025", 2023, 30.5])
    path = tmp_path / "long.xlsx"
    wb.save(path)
    with pytest.raises(ImportRejected, match="more than 5 rows"):
        read_table(path)
