"""Storage on SQLite and PostgreSQL: migrations, the plan round trip, all-or-nothing imports."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, inspect, select

from xietong.errors import ImportRejected
from xietong.plan.loader import load_plan
from xietong.service.base import city_file
from xietong.service.platform import Platform
from xietong.store import repository
from xietong.store.database import migrate, session_scope
from xietong.store.tables import AuditRow, ImportRow, ProgressRow


def _count(engine: Engine, table: type) -> int:
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def test_migrations_create_every_table_and_run_twice(engine: Engine) -> None:
    migrate(engine)
    migrate(engine)
    names = set(inspect(engine).get_table_names())
    assert {
        "plans",
        "targets",
        "imports",
        "progress_records",
        "audit_log",
        "alembic_version",
    } <= names


def test_plan_round_trips_through_the_database(platform: Platform) -> None:
    with session_scope(platform.engine) as s:
        stored = repository.get_plan(s, "wuhan-2023")
    assert stored == load_plan("wuhan-2023")
    assert len(stored.measures) == 26


def test_saving_the_same_plan_again_changes_nothing(platform: Platform) -> None:
    with session_scope(platform.engine) as s:
        assert repository.save_plan(s, plan=load_plan(), actor="test") is False


def test_good_import_is_stored_and_audited(platform: Platform) -> None:
    header = ["目标编号", "期间", "数值", "报送单位", "佐证材料"]
    rows: list[list[object]] = [
        ["coal-share-2025", 2024, 29.9, "市发改委", "统计公报"],
        ["natural-gas-2025", "2024", 36.2, "drc", None],
    ]
    counts = platform.import_rows(header, rows, source="t.xlsx", actor="alice")
    assert counts == {"inserted": 2, "updated": 0, "skipped": 0}
    # the coal share is defined by the inventory: a reported figure is kept as a comparison
    assert platform.records("coal-share-2025") == []
    recs = platform.comparisons("coal-share-2025")
    assert [(r.period_end, r.value, r.reported_by) for r in recs] == [
        (dt.date(2024, 12, 31), 29.9, "drc")
    ]
    gas = platform.records("natural-gas-2025")
    assert [(r.value, r.comparison) for r in gas] == [(36.2, False)]
    # the same figure again replaces it, and the audit keeps the old and new values
    counts = platform.import_rows(
        header, [["coal-share-2025", 2024, 29.7, "drc", "修订"]], source="t2.xlsx", actor="bob"
    )
    assert counts == {"inserted": 0, "updated": 1, "skipped": 0}
    with session_scope(platform.engine) as s:
        entry = repository.audit_entries(s, 1)[0]
        assert (entry.actor, entry.action) == ("bob", "progress.import")
        assert entry.detail["changes"] == [
            {
                "target": "coal-share-2025",
                "district": "",
                "period": "2024-12-31",
                "comparison": True,
                "old": 29.9,
                "new": 29.7,
                "before": {
                    "value": 29.9,
                    "reported_by": "drc",
                    "reported_on": dt.date.today().isoformat(),
                    "evidence": "统计公报",
                    "quality": "reported",
                    "import_id": 1,
                },
            }
        ]


def test_a_bad_row_rejects_the_whole_import_and_writes_nothing(platform: Platform) -> None:
    before = (
        _count(platform.engine, ProgressRow),
        _count(platform.engine, ImportRow),
        _count(platform.engine, AuditRow),
    )
    header = ["target_id", "period", "value", "unit"]
    rows: list[list[object]] = [
        ["coal-share-2025", 2024, 29.9, "percent"],  # good
        ["no-such-target", 2024, 1, None],  # row 3: unknown target
        ["natural-gas-2025", 2024, 36, "km"],  # row 4: wrong dimension
        ["afforestation-2025", "someday", 3, None],  # row 5: bad period
    ]
    with pytest.raises(ImportRejected) as info:
        platform.import_rows(header, rows, source="bad.xlsx", actor="alice")
    problems = {(p.row, p.column) for p in info.value.problems}
    assert problems == {(3, "target_id"), (4, "unit"), (5, "period")}
    after = (
        _count(platform.engine, ProgressRow),
        _count(platform.engine, ImportRow),
        _count(platform.engine, AuditRow),
    )
    # nothing of the file is written; the refused attempt itself is logged, once
    assert after == (before[0], before[1], before[2] + 1)
    with session_scope(platform.engine) as session:
        last = repository.audit_entries(session, limit=1)[0]
    assert (last.actor, last.action, last.entity) == ("alice", "denied", "progress.import")
    assert "bad.xlsx" in last.detail["reason"]


def test_a_database_failure_mid_import_rolls_everything_back(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real_audit = repository.audit

    def failing_audit(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(repository, "audit", failing_audit)
    with pytest.raises(RuntimeError):
        platform.import_rows(
            ["target_id", "period", "value"],
            [["coal-share-2025", 2024, 29.9]],
            source="x.csv",
            actor="a",
        )
    monkeypatch.setattr(repository, "audit", real_audit)
    assert calls["n"] == 1
    assert _count(platform.engine, ProgressRow) == 0
    assert _count(platform.engine, ImportRow) == 0


def test_demo_data_loads_once_and_is_labelled(demo_platform: Platform, tmp_path: Path) -> None:
    records = demo_platform.records(comparisons=True)
    assert len(records) > 50
    real = [r for r in records if not r.demo]
    # the figures read in public sources are the only real rows; the two coal-share figures
    # of the bureau are comparisons beside the inventory's values
    shipped = city_file("wuhan", "progress.csv")
    assert shipped is not None
    with shipped.open(encoding="utf-8-sig", newline="") as fh:
        read = [r for r in csv.DictReader(fh) if "演示数据" not in r["evidence"]]
    assert {(r.target_id, r.period_end.year) for r in real} == {
        (r["target_id"], int(r["period"])) for r in read
    }
    assert {r.period_end.year for r in real if r.comparison} == {2020, 2023}
    assert all("演示数据" in (r.evidence or "") for r in records if r.demo)
    again = demo_platform.init(demo=True, activity=False)
    assert again["demo_records"] == 0
    assert len(demo_platform.records(comparisons=True)) == len(records)
    with session_scope(demo_platform.engine) as s:
        n = repository.clear_demo_progress(s, plan_id="wuhan-2023", actor="test")
    assert n == len(records) - len(real)
    assert len(demo_platform.records(comparisons=True)) == len(real)
