"""Streaming activity imports: CSV in UTF-8 and GBK, .xlsx and Parquet read in chunks, each
chunk written as it comes in one transaction that a bad row anywhere rolls back (SQLite and
PostgreSQL); problems name the rows as the user sees them."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

import xietong.files.activity_files as activity_files
import xietong.service.inventory as service
from tests.conftest import SMALL_ACTIVITY, TEST_FACTORS
from xietong.accounting.activity import Activity, read_activity_csv
from xietong.errors import ImportRejected
from xietong.files.activity_files import (
    iter_table_rows,
    read_activity_chunks,
    read_activity_file,
)
from xietong.files.encodings import detect_encoding
from xietong.service.platform import Platform
from xietong.store import activities as store
from xietong.store.database import session_scope
from xietong.store.tables import ActivityImportRow, ActivityRow

ROWS = 120_000
CHUNK = 25_000  # 120,000 rows: four full chunks and a last one of 20,000
USCC = "91420100MA4K{:06d}"  # 18 characters, like a unified social credit code

CSV_TEXT = (
    "年份,区,部门,活动,活动水平,单位,来源,主体,期间\n"
    "2022,qingshan,industry,bituminous_coal,12,wan * t,统计年鉴 表 3-2,武汉钢铁有限公司,2022-Q1\n"
    "2022,qingshan,industry,bituminous_coal,13,wan * t,统计年鉴 表 3-2,武汉钢铁有限公司,2022-Q2\n"
    "2022,hongshan,industry,electricity,80,wan * MWh,企业报送,91420100MA4K000001,\n"
)


def _count(engine: Engine, table: type) -> int:
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def _parquet(path: Path, n: int = ROWS, bad_row: int | None = None) -> Path:
    """``n`` distinct rows (one entity each); ``bad_row`` (a spreadsheet row number: the header
    is row 1) gets a unit of the wrong dimension."""
    units = ["t"] * n
    if bad_row is not None:
        units[bad_row - 2] = "km"
    table = pa.table(
        {
            "year": pa.array([2022] * n, pa.int64()),
            "district": ["qingshan"] * n,
            "sector": ["industry"] * n,
            "subsector": ["steel"] * n,
            "activity": ["bituminous_coal"] * n,
            "amount": pa.array([float(1 + i % 7) for i in range(n)], pa.float64()),
            "unit": units,
            "quality": ["statistic"] * n,
            "entity": [USCC.format(i) for i in range(n)],
            "period": pa.array([dt.date(2022, 1 + i % 12, 1) for i in range(n)], pa.date32()),
            "备注 remarks": ["not read"] * n,
        }
    )
    pq.write_table(table, path, row_group_size=30_000)
    return path


@pytest.fixture(scope="module")
def big_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _parquet(tmp_path_factory.mktemp("parquet") / "big.parquet")


@pytest.fixture(scope="module")
def bad_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _parquet(tmp_path_factory.mktemp("parquet") / "bad.parquet", bad_row=ROWS - 8)


# -- CSV encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8-sig"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("utf-16", "utf-16")],
)
def test_csv_in_utf8_and_gbk_reads_the_same(tmp_path: Path, encoding: str, detected: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    assert detect_encoding(path) == detected
    acts = read_activity_file(path, districts=["qingshan", "hongshan"])
    assert [(a.entity, a.period, a.source) for a in acts] == [
        ("武汉钢铁有限公司", "2022-Q1", "统计年鉴 表 3-2"),
        ("武汉钢铁有限公司", "2022-Q2", "统计年鉴 表 3-2"),
        ("91420100MA4K000001", "", "企业报送"),
    ]


def test_a_gbk_character_far_into_the_file_is_found(tmp_path: Path) -> None:
    lines = ["year,district,sector,activity,amount,unit,entity"]
    lines += [f"2022,city,industry,electricity,1,MWh,e{i}" for i in range(60_000)]  # > 1 MiB
    lines.append("2022,city,industry,electricity,1,MWh,青山热电厂")
    path = tmp_path / "late.csv"
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    assert path.stat().st_size > 1 << 20
    assert detect_encoding(path) == "gb18030"
    last = [a for chunk in read_activity_chunks(path, chunk_size=7_000) for a in chunk][-1]
    assert last.entity == "青山热电厂"


def test_a_file_that_is_no_text_is_refused_with_a_clear_reason(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"year,district\n\x80\x80\xff\xfe\x00")
    with pytest.raises(ImportRejected) as info:
        read_activity_file(path)
    (problem,) = info.value.problems
    assert problem.row == 0 and "neither UTF-8 nor GBK/GB18030" in problem.reason


def test_other_file_types_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("year\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"\.parquet"):
        read_activity_file(path)


# -- .xlsx ------------------------------------------------------------------------------------


def test_xlsx_streams_in_chunks_and_names_the_rows_the_user_sees(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["年份 year", "区", "部门", "活动", "活动水平", "单位", "统一社会信用代码", "期间"])
    for i in range(5):
        ws.append([2022, "city", "industry", "electricity", i + 1, "MWh", USCC.format(i), None])
    ws.append([])  # row 7: an empty row is skipped but counted
    ws.append([2022, "city", "industry", "electricity", 9, "MWh", "x", dt.datetime(2022, 3, 1)])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    chunks = list(read_activity_chunks(path, chunk_size=2))
    assert [len(c) for c in chunks] == [2, 2, 2]
    assert chunks[-1][-1].period == "2022-03"
    ws.append([2022, "city", "industry", "electricity", 1, "MWh", USCC.format(0), ""])  # row 9
    ws.append([2023, "city", "industry", "electricity", 1, "MWh", "y", "2022-Q1"])  # row 10
    wb.save(path)
    with pytest.raises(ImportRejected) as info:
        list(read_activity_chunks(path, chunk_size=2))
    assert [(p.row, p.column) for p in info.value.problems] == [(9, "*"), (10, "period")]


# -- Parquet ----------------------------------------------------------------------------------


def test_parquet_is_read_in_chunks(big_parquet: Path) -> None:
    calls: list[tuple[int, int]] = []
    sizes = []
    first: Activity | None = None
    for chunk in read_activity_chunks(
        big_parquet, chunk_size=CHUNK, progress=lambda d, t: calls.append((d, t))
    ):
        first = first or chunk[0]
        sizes.append(len(chunk))
    assert sizes == [CHUNK] * 4 + [ROWS - 4 * CHUNK]
    assert first is not None
    assert (first.entity, first.period, first.amount, first.year) == (
        USCC.format(0),
        "2022-01",
        1.0,
        2022,
    )
    assert calls[-1] == (ROWS, ROWS)


def test_parquet_reads_only_the_columns_of_the_table(big_parquet: Path) -> None:
    header = next(iter_table_rows(big_parquet))
    assert "备注 remarks" not in header and "entity" in header


def test_a_bad_row_in_the_last_parquet_chunk_is_named(bad_parquet: Path) -> None:
    given = []
    with pytest.raises(ImportRejected) as info:
        for chunk in read_activity_chunks(bad_parquet, chunk_size=CHUNK):
            given.append(len(chunk))
    assert [(p.row, p.column) for p in info.value.problems] == [(ROWS - 8, "unit")]
    assert given == [CHUNK] * 4  # the chunks before it came, and are void


# -- storing: one transaction -----------------------------------------------------------------


def test_120k_parquet_rows_are_stored_chunk_by_chunk(engine: Engine, big_parquet: Path) -> None:
    p = Platform(engine=engine, plan_id="wuhan-2023")
    p.init(demo=False, activity=False)
    with session_scope(engine) as s:
        counts = store.replace_activities_chunked(
            s,
            city="wuhan",
            chunks=read_activity_chunks(big_parquet, chunk_size=CHUNK, districts=["qingshan"]),
            source="big.parquet",
            actor="t",
        )
    assert (counts["deleted"], counts["inserted"]) == (0, ROWS)
    assert _count(engine, ActivityRow) == ROWS
    with session_scope(engine) as s:
        acts = store.list_activities(s, "wuhan")
    assert len({a.key for a in acts}) == ROWS
    assert (acts[-1].entity, acts[-1].period) == (USCC.format(ROWS - 1), "2022-12")
    dataset = p.activity_dataset()
    assert dataset is not None and dataset.rows == ROWS


def _spy_chunks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the size of every chunk the service writes."""
    written: list[int] = []
    real = service.read_activity_chunks

    def spy(*args: object, **kwargs: object) -> Iterator[list[Activity]]:
        for chunk in real(*args, **kwargs):  # type: ignore[arg-type]
            written.append(len(chunk))
            yield chunk

    monkeypatch.setattr(service, "read_activity_chunks", spy)
    return written


def test_a_bad_row_in_the_last_chunk_stores_nothing(
    platform: Platform, bad_parquet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform.import_activity_file(SMALL_ACTIVITY, "alice")
    before = (_count(platform.engine, ActivityRow), _count(platform.engine, ActivityImportRow))
    old = platform.activities()
    monkeypatch.setattr(activity_files, "CHUNK_ROWS", CHUNK)
    written = _spy_chunks(monkeypatch)
    with pytest.raises(ImportRejected) as info:
        platform.import_activity_file(bad_parquet, "mallory")
    assert written == [CHUNK] * 4  # 100,000 rows were written, then rolled back
    assert [(p.row, p.column) for p in info.value.problems] == [(ROWS - 8, "unit")]
    after = (_count(platform.engine, ActivityRow), _count(platform.engine, ActivityImportRow))
    assert after == before == (30, 1)
    assert platform.activities() == old
    dataset = platform.activity_dataset()
    assert dataset is not None and dataset.actor == "alice"


def test_a_duplicate_across_chunks_stores_nothing(
    platform: Platform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "dup.csv"
    lines = ["year,district,sector,activity,amount,unit,entity,period"]
    lines += [f"2022,city,industry,electricity,{i},MWh,e{i},2022-Q1" for i in range(7)]
    lines.append("2022,city,industry,electricity,99,MWh,e1,2022-q1")  # row 9: as row 3
    path.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(activity_files, "CHUNK_ROWS", 3)
    written = _spy_chunks(monkeypatch)
    with pytest.raises(ImportRejected) as info:
        platform.import_activity_file(path, "t")
    assert written == [3, 3]
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (9, "*") and "duplicate of row 3" in problem.reason
    assert _count(platform.engine, ActivityRow) == 0
    assert platform.activity_dataset() is None


def test_a_file_in_several_chunks_imports_whole_with_the_recompute(
    platform: Platform, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(activity_files, "CHUNK_ROWS", 7)
    written = _spy_chunks(monkeypatch)
    gbk = tmp_path / "small-gbk.csv"
    gbk.write_bytes(SMALL_ACTIVITY.read_text(encoding="utf-8").encode("gbk"))
    counts = platform.import_activity_file(gbk, "alice")
    assert counts == {"deleted": 0, "inserted": 30}
    assert written == [7, 7, 7, 7, 2]
    districts = [d.code for d in platform.plan().districts]
    assert platform.activities() == read_activity_csv(SMALL_ACTIVITY, districts=districts)
    assert any(r.source_kind.value == "inventory" for r in platform.records())
    dataset = platform.activity_dataset()
    assert dataset is not None and dataset.source == "small-gbk.csv" and dataset.rows == 30


def test_rows_import_through_the_same_path(platform: Platform) -> None:
    rows = [
        ["year", "district", "sector", "activity", "amount", "unit", "entity", "period"],
        [2022, "city", "industry", "electricity", 5, "MWh", USCC.format(1), "2022-Q1"],
        [2022, "city", "industry", "electricity", 6, "MWh", USCC.format(1), "2022-Q2"],
    ]
    assert platform.import_activity_rows(rows, source="api", actor="t") == {
        "deleted": 0,
        "inserted": 2,
    }
    assert [a.period for a in platform.activities()] == ["2022-Q1", "2022-Q2"]
    with pytest.raises(ImportRejected, match="no data rows"):
        platform.import_activity_rows(rows[:1], source="api", actor="t")
    assert len(platform.activities()) == 2


# -- the command ------------------------------------------------------------------------------


def test_the_import_command_reads_parquet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xietong.cli.app import app

    monkeypatch.setenv("XIETONG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XIETONG_FACTORS_DIR", str(TEST_FACTORS))
    monkeypatch.delenv("XIETONG_DATABASE_URL", raising=False)
    with SMALL_ACTIVITY.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    table = pa.table({k: [r[k] for r in records] for k in records[0]})
    path = tmp_path / "small.parquet"
    pq.write_table(table, path)
    runner = CliRunner()
    result = runner.invoke(app, ["init", "--no-activity"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["inventory", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "30 activity rows" in result.output
    result = runner.invoke(app, ["inventory", "import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert '"inserted": 30' in result.stdout
