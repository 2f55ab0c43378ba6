"""The ``xietong`` command end to end on a temporary data folder (SQLite) and on PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from xietong.cli.app import app
from xietong.plan.loader import load_plan

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder selected by XIETONG_DATA_DIR, initialised with plan + demo data."""
    folder = tmp_path / "data"
    monkeypatch.setenv("XIETONG_DATA_DIR", str(folder))
    monkeypatch.delenv("XIETONG_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    return folder


def _json(args: list[str]) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_init_creates_the_sqlite_file_in_the_data_dir(data_dir: Path) -> None:
    assert (data_dir / "xietong.db").exists()
    result = runner.invoke(app, ["init", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["demo_records"] == 0  # demo data loads once


@pytest.mark.parametrize(
    "args", [["status"], ["scenario", "run", "plan"], ["user", "list"], ["progress", "list"]]
)
def test_a_command_on_a_database_never_initialised_says_to_run_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """A fresh data folder: the command stops with a message naming ``xietong init`` (exit 1,
    no traceback), and ``init`` afterwards works."""
    monkeypatch.setenv("XIETONG_DATA_DIR", str(tmp_path / "fresh"))
    monkeypatch.delenv("XIETONG_DATABASE_URL", raising=False)
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    out = " ".join(result.output.split())  # the message wraps at the terminal's width
    assert "xietong init" in out and "Traceback" not in out
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert runner.invoke(app, ["init", "--no-demo"]).exit_code == 0


def test_plan_measures_filtered_by_body(data_dir: Path) -> None:
    items = _json(["plan", "measures", "--body", "市交通运输局"])
    assert isinstance(items, list)
    numbers = [m["number"] for m in items]
    plan = load_plan()
    assert numbers == [m.number for m in plan.measures_of_body("transport")]
    assert 7 in numbers and items[numbers.index(7)]["lead"] == "transport"
    assert _json(["plan", "measures", "--body", "transport"]) == items


@pytest.mark.parametrize(
    ("group", "size"), [("measures", 26), ("bodies", 24), ("districts", 17), ("targets", 37)]
)
def test_every_listing_prints_json(data_dir: Path, group: str, size: int) -> None:
    items = _json(["plan", group])
    assert isinstance(items, list) and len(items) == size


def test_plan_listing_tables_render(data_dir: Path) -> None:
    result = runner.invoke(app, ["plan", "measures", "--chapter", "3"])
    assert result.exit_code == 0
    assert "5 measures" in result.stdout  # chapter 3 holds measures 6 to 10
    assert "市交通运输局" in result.stdout  # lead of measure 7


def test_status_json_and_table(data_dir: Path) -> None:
    rows = _json(["status", "--as-of", "2026-01-15"])
    assert isinstance(rows, list)
    by_id = {r["target_id"]: r for r in rows}
    # the coal share computed from an energy total made from an assumed coal share is
    # circular: it judges nothing
    assert by_id["coal-share-2025"]["status"] == "unjudged"
    assert by_id["coal-share-2025"]["quality"] == "assumed"
    assert by_id["natural-gas-2025"]["status"] == "missed"
    assert by_id["natural-gas-2025"]["basis"] == "demo"
    assert by_id["chenhu-national-reserve"]["status"] == "no_data"
    table = runner.invoke(app, ["status", "--as-of", "2026-01-15"])
    assert table.exit_code == 0 and "coal-share-2025" in table.stdout
    bad = runner.invoke(app, ["status", "--as-of", "2024-13-01"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_status_for_a_district(data_dir: Path) -> None:
    rows = _json(["status", "--district", "新洲区", "--as-of", "2026-01-15"])
    assert isinstance(rows, list)
    by_id = {r["target_id"]: r for r in rows}
    # 新洲 hosts the 阳逻 sludge project (judged on the site's figure) and answers for the
    # every-district manure target on its own figures; city-wide targets are not its own
    assert by_id["sludge-capacity-600"]["status"] == "achieved"
    assert "manure-utilisation-2025" in by_id
    assert "coal-share-2025" not in by_id
    found = _json(["status", "--district", "qiaokou"])
    assert isinstance(found, list)
    qiaokou = {r["target_id"] for r in found}
    assert "sludge-capacity-600" not in qiaokou and "steel-ule-2023" not in qiaokou


def _write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_import_bad_file_names_every_bad_row_and_writes_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    before = _json(["progress", "list"])
    bad = _write_csv(
        tmp_path / "bad.csv",
        [
            ["目标编号", "期间", "数值", "区"],
            ["coal-share-2025", "2024", "29.0", ""],
            ["coal-share-2025", "2024", "abc", ""],
            ["nope", "2024", "1", ""],
            ["afforestation-2025", "2024", "9", "火星区"],
        ],
    )
    result = runner.invoke(app, ["progress", "import", str(bad)])
    assert result.exit_code == 1
    out = result.output
    assert "nothing was written" in out
    assert "row 3, column 'value'" in out
    assert "row 4, column 'target_id'" in out
    assert "row 5, column 'district'" in out
    assert "row 2" not in out
    assert _json(["progress", "list"]) == before


def test_import_good_file_moves_the_status(data_dir: Path, tmp_path: Path) -> None:
    rows = _json(["status", "--as-of", "2026-01-15"])
    assert isinstance(rows, list)
    assert {r["target_id"]: r for r in rows}["chenhu-national-reserve"]["status"] == "no_data"
    good = _write_csv(
        tmp_path / "good.csv",
        [
            ["target_id", "period", "value", "reported_by", "evidence"],
            ["chenhu-national-reserve", "2025", "100", "forestry", "批复文件"],
        ],
    )
    result = runner.invoke(app, ["progress", "import", str(good), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["inserted"] == 1
    rows = _json(["status", "--as-of", "2026-01-15"])
    assert isinstance(rows, list)
    assert {r["target_id"]: r for r in rows}["chenhu-national-reserve"]["status"] == "achieved"


def test_export_xlsx_opens_in_another_reader_and_reimports(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "progress.xlsx"
    result = runner.invoke(app, ["progress", "export", str(out), "--as-of", "2026-01-15"])
    assert result.exit_code == 0, result.output
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names[:2] == ["进度 progress", "状态 status"]
    progress = book.get_sheet_by_name("进度 progress").to_python()
    records = _json(["progress", "list"])
    assert isinstance(records, list)
    assert len(progress) - 1 == len(records)
    status = book.get_sheet_by_name("状态 status").to_python()
    assert len(status) - 1 == 37
    # the exported progress sheet is itself a valid import (all rows replace themselves)
    again = runner.invoke(app, ["progress", "import", str(out), "--json"])
    assert again.exit_code == 0, again.output
    computed = sum(1 for r in records if r["reported_by"] in ("inventory", "scenario"))
    assert json.loads(again.stdout) == {
        "file": str(out),
        "inserted": 0,
        "updated": len(records) - computed,
        "skipped": computed,
    }
    wrong = runner.invoke(app, ["progress", "export", str(tmp_path / "x.csv")])
    assert wrong.exit_code == 2


def test_commands_on_an_empty_database_say_run_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIETONG_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.delenv("XIETONG_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["plan", "measures"])
    assert result.exit_code == 1
    assert "xietong init" in result.output


@pytest.fixture
def pg_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """XIETONG_DATABASE_URL pointing at a fresh schema of the test PostgreSQL."""
    base = os.environ.get("XIETONG_TEST_PG_URL")
    if not base:
        pytest.fail("XIETONG_TEST_PG_URL is not set: run the tests with `make test`")
    schema = f"cli_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}?options=-csearch_path%3D{schema}"
    monkeypatch.setenv("XIETONG_DATABASE_URL", url)
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_database_url_selects_postgresql(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIETONG_DATA_DIR", str(tmp_path / "unused"))
    result = runner.invoke(app, ["init", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["demo_records"] > 50
    assert not (tmp_path / "unused" / "xietong.db").exists()
    assert len(_json(["plan", "targets"])) == 37  # type: ignore[arg-type]


def test_report_assessment_prints_writes_and_matches_the_service(
    data_dir: Path, tmp_path: Path
) -> None:
    """The 考核 table in the terminal, the JSON, and the workbook (read back by calamine, a
    second reader) hold the same scores as the service."""
    from xietong.service.assessment_views import ranking_record
    from xietong.service.platform import Platform

    result = runner.invoke(app, ["report", "assessment", "--year", "2024"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "2024年考核" in out and "按时报送" in out  # column titles may be cut to the width
    body = _json(["report", "assessment", "--year", "2024"])
    assert isinstance(body, dict)
    p = Platform.from_settings()
    try:
        expected = ranking_record(p.assessment(2024, actor="cli"), p.plan())
    finally:
        p.engine.dispose()
    assert body["bodies"] == expected["bodies"] and body["districts"] == expected["districts"]
    xlsx = tmp_path / "kh.xlsx"
    result = runner.invoke(app, ["report", "assessment", "--year", "2024", "-o", str(xlsx)])
    assert result.exit_code == 0, result.output
    wb = CalamineWorkbook.from_path(str(xlsx))
    assert wb.sheet_names == ["方案 scheme", "区 districts", "部门 bodies", "明细 breakdown"]
    rows = wb.get_sheet_by_name("部门 bodies").to_python()
    assert [r[2] for r in rows[1:]] == [s["code"] for s in expected["bodies"]]
    assert [r[3] if r[3] != "" else None for r in rows[1:]] == [
        s["total"] for s in expected["bodies"]
    ]
    bad = runner.invoke(app, ["report", "assessment", "-o", str(tmp_path / "kh.csv")])
    assert bad.exit_code != 0 and ".xlsx" in bad.output
    from docx import Document

    word = tmp_path / "kh.docx"
    result = runner.invoke(
        app, ["report", "assessment", "--year", "2024", "--format", "docx", "-o", str(word)]
    )
    assert result.exit_code == 0, result.output
    assert Document(str(word)).paragraphs[0].text == "2024年度减污降碳协同增效考核得分"
    pdf = tmp_path / "kh.pdf"
    result = runner.invoke(app, ["report", "assessment", "--year", "2024", "-o", str(pdf)])
    assert result.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    mismatch = runner.invoke(app, ["report", "assessment", "--format", "pdf", "-o", str(word)])
    assert mismatch.exit_code != 0 and "must end in .pdf" in mismatch.output


def test_report_annual_writes_word_and_pdf_and_matches_the_service(
    data_dir: Path, tmp_path: Path
) -> None:
    """``report annual``: the JSON is the service's record; the Word file (the default) and
    the PDF are written where asked; a format it does not write and a year to come are
    refused."""
    from docx import Document

    from xietong.service.annual_report import annual_report_record
    from xietong.service.platform import Platform

    body = _json(["report", "annual", "--year", "2024"])
    assert isinstance(body, dict)
    p = Platform.from_settings()
    try:
        expected = annual_report_record(p, 2024, actor="cli")
    finally:
        p.engine.dispose()
    assert body["targets"] == expected["targets"] and body["meta"] == expected["meta"]
    word = tmp_path / "annual.docx"
    result = runner.invoke(app, ["report", "annual", "--year", "2024", "-o", str(word)])
    assert result.exit_code == 0, result.output
    assert "annual report" in result.stdout and expected["meta"]["data_version"] in result.stdout
    assert Document(str(word)).paragraphs[0].text == "武汉市2024年度减污降碳协同增效工作情况报告"
    pdf = tmp_path / "annual.pdf"
    result = runner.invoke(app, ["report", "annual", "--year", "2024", "-f", "pdf", "-o", str(pdf)])
    assert result.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    bad = runner.invoke(app, ["report", "annual", "--year", "2024", "-f", "xlsx"])
    assert bad.exit_code == 2 and "docx, pdf" in bad.output
    later = runner.invoke(app, ["report", "annual", "--year", str(dt.date.today().year + 1)])
    assert later.exit_code == 1 and "尚未开始" in later.output


def test_report_inventory_writes_the_guideline_report(data_dir: Path, tmp_path: Path) -> None:
    """``report inventory``: the JSON is the service's record of the last inventory year; the
    Excel tables and the Word file are written; an unknown GWP set is refused."""
    from docx import Document
    from openpyxl import load_workbook

    from xietong.service.inventory_report import inventory_report_record
    from xietong.service.platform import Platform

    body = _json(["report", "inventory"])
    assert isinstance(body, dict)
    p = Platform.from_settings()
    try:
        year = p.latest_inventory_year()
        expected = inventory_report_record(p, year)
    finally:
        p.engine.dispose()
    assert body["year"] == year and body["meta"] == expected["meta"]
    # equal to the last bit but for the order of summation (a stored build against a fresh one)
    assert body["results"]["total"] == pytest.approx(expected["results"]["total"], rel=1e-12)
    xlsx = tmp_path / "inv.xlsx"
    result = runner.invoke(app, ["report", "inventory", "--year", str(year), "-o", str(xlsx)])
    assert result.exit_code == 0, result.output
    assert load_workbook(xlsx, read_only=True).sheetnames
    word = tmp_path / "inv.docx"
    result = runner.invoke(app, ["report", "inventory", "-f", "docx", "-o", str(word)])
    assert result.exit_code == 0, result.output
    assert Document(str(word)).paragraphs[0].text == expected["title"]
    bad = runner.invoke(app, ["report", "inventory", "--gwp", "AR9"])
    assert bad.exit_code == 2 and "AR4, AR5 or AR6" in bad.output
    missing = runner.invoke(app, ["report", "inventory", "--year", "2001"])
    assert missing.exit_code == 1 and "2001" in missing.output


def test_report_scheme_shows_and_saves_an_edition(data_dir: Path, tmp_path: Path) -> None:
    from xietong.datafiles import data_path

    body = _json(["report", "scheme"])
    assert isinstance(body, dict) and body["version"] == 1
    assert [e["version"] for e in body["editions"]] == [1]
    f = tmp_path / "scheme.yaml"
    text = data_path("assessment", "scheme.yaml").read_text(encoding="utf-8")
    f.write_text(text.replace("version: 1", "version: 2").replace("weight: 40", "weight: 50"))
    result = runner.invoke(app, ["report", "scheme", "--set", str(f)])
    assert result.exit_code == 0, result.output
    body = _json(["report", "scheme"])
    assert isinstance(body, dict) and body["version"] == 2
    assert body["criteria"][0]["weight"] == 50
    again = runner.invoke(app, ["report", "scheme", "--set", str(f)])
    assert again.exit_code == 1 and "higher version" in again.output
    old = _json(["report", "assessment", "--year", "2024", "--scheme-version", "1"])
    assert isinstance(old, dict) and old["scheme"]["version"] == 1


def test_a_database_at_an_older_schema_says_to_run_init(data_dir: Path) -> None:
    """After an upgrade of xietong, a database one migration behind is refused with a message
    naming ``xietong init``, which upgrades it and keeps the data."""
    from alembic import command as alembic_command

    from xietong.service.platform import Platform
    from xietong.store.database import alembic_config

    p = Platform.from_settings()
    try:
        alembic_command.downgrade(alembic_config(p.engine), "-1")
    finally:
        p.engine.dispose()
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1 and "xietong init" in " ".join(result.output.split())
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert runner.invoke(app, ["status", "--json"]).exit_code == 0
