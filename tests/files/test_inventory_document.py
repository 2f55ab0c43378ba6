"""The inventory report's documents: the Word file opens with python-docx and its results table
holds the record's figures, the PDF is rendered by poppler's pdftoppm (a second program)
without error, the workbook holds the same numbers, estimates carry ※ and the footnote, the
same record gives the same text and chart bytes, and the HTML escapes what it prints."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import SMALL_ACTIVITY, TEST_FACTORS
from xietong.accounting.factors import FactorLibrary
from xietong.files.inventory_document import (
    FORMATS,
    MEDIA,
    inventory_charts,
    inventory_html,
    write_inventory_docx,
    write_inventory_file,
    write_inventory_pdf,
    write_inventory_workbook,
)
from xietong.service.inventory_report import inventory_report_record
from xietong.service.platform import Platform
from xietong.store.database import make_engine


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The 2022 report of the small activity table (test factors) on a SQLite platform."""
    folder = tmp_path_factory.mktemp("inventory-report")
    p = Platform(engine=make_engine(f"sqlite:///{folder / 'x.db'}"), plan_id="wuhan-2023")
    p.init(demo=True, activity=False)
    p.library = FactorLibrary.load(TEST_FACTORS)
    p.import_activity_file(SMALL_ACTIVITY, "test")
    return inventory_report_record(p, 2022)


def _t(value: float | None, estimated: bool = False) -> str:
    text = "—" if value is None else f"{value:,.2f}"
    return text + ("※" if estimated else "")


def _results_table(doc: Any) -> Any:
    (table,) = [t for t in doc.tables if t.rows[0].cells[-1].text == "合计（t CO2e）"]
    return table


def _text(path: Path) -> list[str]:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return [p.text for p in doc.paragraphs] + cells


def test_the_word_file_holds_the_records_figures(record: dict[str, Any], tmp_path: Path) -> None:
    f = tmp_path / "inv.docx"
    write_inventory_docx(record, f)
    doc = Document(str(f))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "武汉市2022年温室气体清单报告"
    meta = record["meta"]
    assert f"数据截至 {meta['as_of']}" in text[1] and f"数据版本 {meta['data_version']}" in text[1]
    res = record["results"]
    table = _results_table(doc)
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "清单部门",
        "部门",
        "CO2（t CO2e）",
        "CH4（t CO2e）",
        "N2O（t CO2e）",
        "合计（t CO2e）",
    ]
    body = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(body) == len(res["sectors"]) + 1
    for row, s in zip(body, res["sectors"], strict=False):
        assert row[:2] == [s["guideline_zh"], s["zh"]]
        cells = [s["groups"][g] for g in res["groups"]]
        assert row[2:-1] == [_t(c["co2e"], c["estimated"]) for c in cells]
        assert row[-1] == _t(s["co2e"], s["estimated"])
    assert body[-1][0] == "合计"
    assert body[-1][-1] == _t(res["total"]["co2e"], True)
    forestry = [r for r in body if r[1] == "林业碳汇"]
    assert forestry[0][2].startswith("-") and forestry[0][2].endswith("※")
    # the footnote says what ※ means; the headings follow the guideline's structure
    assert any(p.startswith("※") and "估算" in p for p in text)
    headings = [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 2"
    ]
    assert [h.split("、")[0] for h in headings] == ["一", "二", "三", "四", "五", "六", "七", "八"]
    assert len(doc.inline_shapes) == 2  # the two charts


def test_the_same_record_gives_the_same_text_and_charts(
    record: dict[str, Any], tmp_path: Path
) -> None:
    one, two = tmp_path / "one.docx", tmp_path / "two.docx"
    write_inventory_docx(record, one)
    write_inventory_docx(copy.deepcopy(record), two)
    assert _text(one) == _text(two)
    charts = inventory_charts(record)
    assert charts == inventory_charts(copy.deepcopy(record))
    assert set(charts) == {"sector_gas", "trend"}
    assert all(png.startswith(b"\x89PNG") for png in charts.values())
    images = sorted(
        part.blob
        for part in Document(str(one)).part.package.parts
        if part.content_type == "image/png"
    )
    assert images == sorted(charts.values())


def test_without_an_estimate_there_is_no_marker(record: dict[str, Any], tmp_path: Path) -> None:
    clean = copy.deepcopy(record)

    def unflag(node: Any) -> None:
        if isinstance(node, dict):
            if "estimated" in node:
                node["estimated"] = False
            for value in node.values():
                unflag(value)
        elif isinstance(node, list):
            for value in node:
                unflag(value)

    unflag(clean)
    f = tmp_path / "clean.docx"
    write_inventory_docx(clean, f)
    assert not any("※" in t for t in _text(f))
    assert "※" not in inventory_html(clean).replace("&#8251;", "")
    marked = tmp_path / "marked.docx"
    write_inventory_docx(record, marked)
    assert any("※" in t for t in _text(marked))


def test_the_pdf_renders_with_pdftoppm(record: dict[str, Any], tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: `make test` installs Debian's poppler-utils")
    f = tmp_path / "inv.pdf"
    write_inventory_pdf(record, f)
    assert f.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(f), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    pages = list(tmp_path.glob("page-*.png"))
    assert len(pages) == 1 and pages[0].stat().st_size > 1000


def test_the_workbook_holds_the_same_numbers(record: dict[str, Any], tmp_path: Path) -> None:
    f = tmp_path / "inv.xlsx"
    write_inventory_workbook(record, f)
    wb = load_workbook(f)
    res = record["results"]
    ws = wb["部门×气体 CO2e"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][3] == "CO2 (t CO2e, AR5)" and rows[0][-2] == "合计 (t CO2e, AR5)"
    for row, s in zip(rows[1:], res["sectors"], strict=False):
        assert row[2] == s["code"]
        # the record's numbers, not rounded (openpyxl stores 15 significant digits)
        expected = [s["cells"][g]["co2e"] for g in res["gases"]]
        assert list(row[3:-2]) == [
            None if v is None else pytest.approx(v, rel=1e-12) for v in expected
        ]
        assert row[-2] == pytest.approx(s["co2e"], rel=1e-14)
        assert row[-1] == ("※" if s["estimated"] else None)
    assert rows[-1][0] == "合计" and rows[-1][-2] == pytest.approx(res["total"]["co2e"], rel=1e-12)
    years = list(wb["历年比较"].iter_rows(values_only=True))
    assert [r[0] for r in years[1:]] == [t["year"] for t in record["trend"]]
    assert [r[1] for r in years[1:]] == pytest.approx([t["co2e_direct"] for t in record["trend"]])
    factors = list(wb["排放因子"].iter_rows(values_only=True))
    assert factors[0][6] == "来源文献"
    assert [r[0] for r in factors[1:]] == [f["id"] for f in record["factors"]]
    assert all(r[6] for r in factors[1:])  # every factor names its source
    assert {"活动数据", "不确定性", "按气体", "说明"} <= set(wb.sheetnames)
    about = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert about["数据版本"] == record["meta"]["data_version"]


def test_every_format_is_written(record: dict[str, Any], tmp_path: Path) -> None:
    assert set(MEDIA) == set(FORMATS) == {"docx", "pdf", "xlsx"}
    write_inventory_file("xlsx", record, tmp_path / "a.xlsx")
    assert (tmp_path / "a.xlsx").stat().st_size > 0
    with pytest.raises(ValueError, match="docx"):
        write_inventory_file("odt", record, tmp_path / "a.odt")


def test_the_html_escapes_what_it_prints(record: dict[str, Any]) -> None:
    hostile = copy.deepcopy(record)
    hostile["results"]["sectors"][0]["zh"] = "<script>x</script>"
    hostile["activity"][0]["sources"] = ['<img src=x onerror="alert(1)">']
    html = inventory_html(hostile)
    assert "<script>x" not in html and "<img src=x" not in html
    assert "&lt;script&gt;x" in html
