"""The 考核 documents: the Word file opens with python-docx and holds the record's figures; the
PDF is rendered by poppler's pdftoppm (a second program) without error; the same record gives
the same text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from tests.plan.test_assessment import DISTRICT, SCHEME
from xietong.files.assessment_document import (
    assessment_html,
    write_assessment_docx,
    write_assessment_pdf,
)
from xietong.plan.assessment import Ranking, UnitInput, score_all
from xietong.plan.loader import load_plan
from xietong.plan.progress import Assessment, Status
from xietong.service.assessment_views import ranking_record

META = {"as_of": "2024-12-31", "data_version": "0123456789ab"}


def _record() -> dict:
    plan = load_plan("wuhan-2023")
    district = UnitInput("district", plan.districts[0].code, DISTRICT.targets, DISTRICT.reports)
    body = UnitInput(
        "body",
        plan.bodies[0].code,
        targets=[
            (
                "x",
                "nox_emissions_total",
                Assessment(target_id="x", status=Status.ACHIEVED, reason="t"),
            )
        ],
    )
    empty = UnitInput("body", plan.bodies[1].code)
    scores = score_all([district, body, empty], 2024, SCHEME)
    return ranking_record(Ranking(2024, SCHEME, scores), plan)


def test_the_word_file_holds_the_records_figures(tmp_path: Path) -> None:
    record = _record()
    f = tmp_path / "kh.docx"
    write_assessment_docx(record, f, META)
    doc = Document(str(f))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "2024年度减污降碳协同增效考核得分"
    assert (
        "第1版" in text[1]
        and "数据版本 0123456789ab" in text[2]
        and "数据截至 2024-12-31" in text[2]
    )
    criteria, districts, bodies = doc.tables
    assert [r.cells[1].text for r in criteria.rows[1:]] == ["40", "20", "20", "20"]
    d = record["districts"][0]
    row = [c.text for c in districts.rows[1].cells]
    assert row[:4] == ["1", d["name_zh"] + "※", "60.0", "—"]
    assert row[4:] == ["20.0", "20.0", "10.0", "10.0"]
    body_rows = [[c.text for c in r.cells] for r in bodies.rows[1:]]
    assert body_rows[0][2] == "100.0" and body_rows[0][5] == "—"  # rescaled; GHG not judged
    assert body_rows[1][0] == "—" and body_rows[1][2] == "—"  # nothing to judge
    assert any("※" in p and "估算" in p for p in text)  # the footnote says what ※ means
    again = tmp_path / "again.docx"
    write_assessment_docx(record, again, META)
    assert [p.text for p in Document(str(again)).paragraphs] == text


def test_the_pdf_renders_with_pdftoppm(tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: `make test` installs Debian's poppler-utils")
    f = tmp_path / "kh.pdf"
    write_assessment_pdf(_record(), f, META)
    assert f.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(f), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "page-1.png").stat().st_size > 1000


def test_the_html_escapes_what_it_prints() -> None:
    record = _record()
    record["districts"][0]["name_zh"] = "<script>x</script>"
    assert "<script>x" not in assessment_html(record, META)
