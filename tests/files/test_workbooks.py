"""Workbooks the platform writes run nothing when opened: formula-looking text stays text."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from xietong.files.workbooks import save_workbook
from xietong.service.platform import Platform

EVIL = '=HYPERLINK("http://example.invalid/x","click")'


def test_formula_looking_text_is_stored_as_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([EVIL, "+1", "-2", "@SUM(A1)", "plain", -3.5])
    path = tmp_path / "t.xlsx"
    save_workbook(wb, path)
    cells = next(load_workbook(path).active.iter_rows())  # type: ignore[union-attr]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s", "s", "n"]
    assert [c.value for c in cells][:2] == [EVIL, "+1"]
    # a second program reads the text itself, not a formula's result
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert sheet[0][:4] == [EVIL, "+1", "-2", "@SUM(A1)"]


def test_uploaded_evidence_is_exported_as_text(demo_platform: Platform, tmp_path: Path) -> None:
    demo_platform.import_rows(
        ["target_id", "period", "value", "reported_by", "evidence"],
        [["natural-gas-2025", "2023", "41", "eeb", EVIL]],
        source="eeb.csv",
        actor="eeb",
        demo=False,
    )
    path = tmp_path / "progress.xlsx"
    demo_platform.export_xlsx(path)
    book = load_workbook(path)
    found = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == EVIL]
    assert found and all(c.data_type == "s" for c in found)
