"""The annual report as Word and PDF: python-docx opens the Word file and its tables hold the
record's figures as the pages print them; pdftoppm and pdftotext (poppler, a second program)
read the PDF; the charts are pictures drawn on the server; the same record gives the same
text and the same images; nothing in the record reaches the PDF's HTML unescaped."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tests.service.test_ledger import REVIEWER
from xietong.files.annual_report_document import (
    annual_report_html,
    write_annual_report_docx,
    write_annual_report_file,
)
from xietong.service.annual_report import annual_report_record
from xietong.service.platform import Platform
from xietong.units import format_number


@pytest.fixture
def record(synergy_platform: Platform) -> dict[str, Any]:
    return annual_report_record(synergy_platform, 2024, actor=REVIEWER, today=dt.date(2025, 3, 1))


def _images(path: Path) -> list[bytes]:
    doc = Document(str(path))
    return [
        rel.target_part.blob for rel in doc.part.rels.values() if rel.reltype.endswith("/image")
    ]


def test_the_word_file_holds_the_records_figures(record: dict[str, Any], tmp_path: Path) -> None:
    f = tmp_path / "annual.docx"
    write_annual_report_docx(record, f)
    doc = Document(str(f))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "武汉市2024年度减污降碳协同增效工作情况报告"
    assert "武环〔2023〕55号" in text[1]
    meta = record["meta"]
    assert f"数据截至 {meta['as_of']}" in text[2] and f"数据版本 {meta['data_version']}" in text[2]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["一、总体情况", "二、目标完成情况", "三、重点任务推进情况"]
    assert headings[-1] == "八、2025年工作重点"
    targets = next(t for t in doc.tables if t.rows[0].cells[1].text == "指标")
    rows = [[c.text for c in r.cells] for r in targets.rows[1:]]
    assert len(rows) == len(record["targets"])
    for row, t in zip(rows, record["targets"], strict=True):
        assert row[1] == t["indicator_zh"] and row[7] == t["status_zh"]
        if t["latest_value"] is not None:
            assert row[6].startswith(f"{t['latest_value']:g}")  # as the pages' target tables
        assert row[6].endswith("※") == t["estimated"]
    totals = next(t for t in doc.tables if t.rows[0].cells[0].text == "年份")
    last = record["inventory"]["totals"][-1]
    assert [c.text for c in totals.rows[-1].cells][3] == format_number(last["co2e_direct"] / 1e4, 2)
    assert any(p.startswith("※") and "演示数据" in p for p in text)  # what ※ means
    assert len(_images(f)) == 3  # statuses, sectors, synergy degree


def test_the_same_record_gives_the_same_document(record: dict[str, Any], tmp_path: Path) -> None:
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    write_annual_report_docx(record, a)
    write_annual_report_docx(record, b)
    assert [p.text for p in Document(str(a)).paragraphs] == [
        p.text for p in Document(str(b)).paragraphs
    ]
    assert _images(a) == _images(b)
    assert annual_report_html(record) == annual_report_html(record)


def test_the_pdf_is_read_by_poppler(record: dict[str, Any], tmp_path: Path) -> None:
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: `make test` installs Debian's poppler-utils")
    f = tmp_path / "annual.pdf"
    write_annual_report_file("pdf", record, f)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(f), str(tmp_path / "p")],
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "p-1.png").stat().st_size > 0
    text = subprocess.run(
        ["pdftotext", str(f), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "工作情况报告" in text and record["meta"]["data_version"] in text
    assert record["targets"][0]["indicator_zh"] in text


def test_the_html_escapes_the_record(record: dict[str, Any]) -> None:
    hostile = {**record, "risks": [{"kind": "target", "text": "<script>alert(1)</script>"}]}
    html = annual_report_html(hostile)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html


def test_an_unknown_format_is_refused(record: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="docx, pdf"):
        write_annual_report_file("xlsx", record, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
