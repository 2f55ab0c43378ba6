"""Backup and restore: every row comes back, from SQLite into PostgreSQL and back, all or
nothing; damaged files, other schema revisions and databases holding data are refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import struct
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.exc import DBAPIError

import xietong
from tests.conftest import SMALL_ACTIVITY
from xietong.datafiles import data_path
from xietong.errors import NotAuthenticated, NotInitialised
from xietong.service.base import city_file
from xietong.service.feedback import FeedbackForm
from xietong.service.platform import Platform
from xietong.store.backup import (
    FORMAT_VERSION,
    MANIFEST,
    BackupDamaged,
    BackupError,
    read_backup,
    restore_backup,
    write_backup,
)
from xietong.store.database import alembic_config, make_engine
from xietong.store.tables import Base

Dump = dict[str, list[dict[str, Any]]]
MakeEngine = Callable[[str], Engine]


def _utc(value: Any) -> Any:
    """A time in UTC (SQLite gives back naive times, stored in UTC); other values as they are."""
    if isinstance(value, dt.datetime):
        aware = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
        return aware.astimezone(dt.UTC)
    return value


def dump(engine: Engine) -> Dump:
    """Every row of every table, times in UTC, sorted by primary key (in Python: the two
    databases collate text differently)."""
    out: Dump = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = [
                {k: _utc(v) for k, v in row.items()}
                for row in conn.execute(select(table)).mappings()
            ]
            keys = [c.name for c in table.primary_key.columns]
            out[table.name] = sorted(rows, key=lambda r: tuple(r[k] for k in keys))
    return out


@pytest.fixture
def filled(platform: Platform, tmp_path: Path) -> Platform:
    """The platform with demo progress, milestones, a small activity dataset, two accounts, a
    session, a failed log-in, an API token, a reporting period, a task report with an evidence
    file, a reminder and a triaged feedback: a row in nearly every table."""
    progress = city_file("wuhan", "progress.csv")
    milestones = city_file("wuhan", "milestones.csv")
    assert progress is not None and milestones is not None
    platform.import_file(progress, actor="cli")
    platform.import_milestones(milestones, actor="cli")
    platform.import_activity_file(SMALL_ACTIVITY, "cli")
    platform.add_user("ana", "viewer", actor="cli", password="correct horse battery 9")
    platform.login("ana", "correct horse battery 9", client="127.0.0.1")
    with pytest.raises(NotAuthenticated):
        platform.login("ana", "wrong", client="127.0.0.1")
    platform.issue_token("ana", actor="cli", name="reports")
    platform.open_period(2025, actor="cli")
    platform.attachments_dir = tmp_path / "attachments"
    platform.save_task_report(
        "2025",
        "m04-2",
        "body",
        "drc",
        progress="进展",
        files=[("证明.pdf", b"%PDF-1.7\n%%EOF\n")],
        actor="cli",
    )
    platform.send_reminders("2025", units=[("body", "eitb")], actor="cli")
    shipped = data_path("assessment", "scheme.yaml").read_text(encoding="utf-8")
    platform.set_assessment_scheme(shipped.replace("version: 1", "version: 2"), actor="cli")
    receipt = platform.submit_feedback(
        FeedbackForm("suggestion", "建议", "多种树。", "13800138000", "qiaokou"), client="10.0.0.1"
    )
    platform.triage_feedback(receipt, status="replied", reply="已转园林局。", actor="cli")
    return platform


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[MakeEngine]:
    """Makes empty databases: ``fresh("sqlite")`` a new SQLite file, ``fresh("postgresql")`` a
    new schema of the test PostgreSQL (dropped afterwards)."""
    made: list[Engine] = []
    schemas: list[str] = []
    url = os.environ.get("XIETONG_TEST_PG_URL", "")

    def make(kind: str) -> Engine:
        if kind == "sqlite":
            eng = make_engine(f"sqlite:///{tmp_path / f'restored-{len(made)}.db'}")
        else:
            if not url:
                pytest.fail("XIETONG_TEST_PG_URL is not set: run the tests with `make test`")
            schema = f"r_{uuid.uuid4().hex[:12]}"
            admin = create_engine(url)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            admin.dispose()
            schemas.append(schema)
            eng = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        made.append(eng)
        return eng

    yield make
    for eng in made:
        eng.dispose()
    if schemas:
        admin = create_engine(url)
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_the_manifest_counts_and_checksums_every_table(filled: Platform, tmp_path: Path) -> None:
    file = tmp_path / "backup.zip"
    result = write_backup(filled.engine, file)
    rows = dump(filled.engine)
    assert result["tables"] == {name: len(r) for name, r in rows.items()}
    assert list(result["tables"]) == [t.name for t in Base.metadata.sorted_tables]
    empty = [name for name, n in result["tables"].items() if n == 0]
    assert empty == ["user_scenarios", "assigned_goals"]  # everything else is exercised
    with zipfile.ZipFile(file) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        assert manifest["format_version"] == FORMAT_VERSION
        assert manifest["xietong_version"] == xietong.__version__
        assert manifest["source_dialect"] == filled.engine.dialect.name
        for name, entry in manifest["tables"].items():
            member = archive.read(f"tables/{name}.jsonl")
            assert hashlib.sha256(member).hexdigest() == entry["sha256"]
            assert member.count(b"\n") == entry["rows"] == len(rows[name])
        audit = [json.loads(line) for line in archive.read("tables/audit_log.jsonl").splitlines()]
    assert [a["id"] for a in audit] == sorted(a["id"] for a in audit)  # by primary key
    assert audit[0]["at"].endswith("+00:00") and isinstance(audit[0]["detail"], dict)
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(filled.engine)).get_current_head()
    assert manifest["alembic_revision"] == result["revision"] == head
    assert read_backup(file).as_dict() == result


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_every_row_comes_back(
    filled: Platform, fresh: MakeEngine, tmp_path: Path, target: str
) -> None:
    file = tmp_path / "backup.zip"
    write_backup(filled.engine, file)
    into = fresh(target)
    result = restore_backup(into, file)
    before = dump(filled.engine)
    assert dump(into) == before
    assert result["tables"] == {name: len(rows) for name, rows in before.items()}
    assert result["replaced"] is False
    # and back again: a backup of the restored database restores the same rows
    again = tmp_path / "again.zip"
    write_backup(into, again)
    back = fresh("sqlite" if target == "postgresql" else "postgresql")
    restore_backup(back, again)
    assert dump(back) == before


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_a_restored_database_takes_new_rows(
    filled: Platform, fresh: MakeEngine, tmp_path: Path, target: str
) -> None:
    file = tmp_path / "backup.zip"
    write_backup(filled.engine, file)
    into = fresh(target)
    restore_backup(into, file)
    restored = Platform(engine=into, plan_id="wuhan-2023")
    with into.connect() as conn:
        top_user = conn.scalar(text("SELECT max(id) FROM users"))
        top_audit = conn.scalar(text("SELECT max(id) FROM audit_log"))
    restored.add_user("bob", "viewer", actor="cli")  # users and audit_log keys
    assert {a.username for a in restored.users(actor="cli")} == {"admin", "ana", "bob"}
    with into.connect() as conn:
        assert conn.scalar(text("SELECT id FROM users WHERE username = 'bob'")) == top_user + 1
        assert conn.scalar(text("SELECT max(id) FROM audit_log")) == top_audit + 1
    progress = city_file("wuhan", "progress.csv")
    assert progress is not None
    assert restored.import_file(progress, actor="cli")["updated"] > 0  # imports key


def _triggers(engine: Engine) -> list[str]:
    """The definitions of the triggers on ``audit_log``."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            sql = (
                "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal ORDER BY tgname"
            )
        else:
            sql = "SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        return [str(s) for s in conn.scalars(text(sql))]


def test_a_database_with_data_is_replaced_only_when_asked(filled: Platform, tmp_path: Path) -> None:
    file = tmp_path / "backup.zip"
    write_backup(filled.engine, file)
    saved = dump(filled.engine)
    guard = _triggers(filled.engine)
    assert guard  # migration 0005's triggers
    filled.add_user("carl", "viewer", actor="cli")
    changed = dump(filled.engine)
    with pytest.raises(BackupError, match="--replace") as refused:
        restore_backup(filled.engine, file)
    assert "plans 1" in str(refused.value) and "已有数据" in str(refused.value)
    assert dump(filled.engine) == changed
    result = restore_backup(filled.engine, file, replace=True)
    assert result["replaced"] is True
    assert dump(filled.engine) == saved  # carl and his audit entry are gone
    # the audit log is append-only again, with the very triggers the migration made
    assert _triggers(filled.engine) == guard
    for sql in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), filled.engine.begin() as conn:
            conn.execute(text(sql))
    filled.add_user("dora", "viewer", actor="cli")  # and new rows still go in


def _rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> None:
    """Copy a zip archive, passing each member's bytes through ``change``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info, change(info.filename, old.read(info)))


def _manifest_changed(source: Path, target: Path, **fields: Any) -> None:
    def change(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        return json.dumps({**json.loads(data), **fields}).encode()

    _rewrite(source, target, change)


@pytest.mark.parametrize("how", ["member", "raw"])
def test_a_damaged_backup_is_refused_and_writes_nothing(
    platform: Platform, fresh: MakeEngine, tmp_path: Path, how: str
) -> None:
    file = tmp_path / "backup.zip"
    write_backup(platform.engine, file)
    bad = tmp_path / "bad.zip"
    if how == "member":  # one byte of a member changed, the archive itself sound
        _rewrite(
            file,
            bad,
            lambda name, data: data.replace(b'"admin"', b'"admim"', 1) if "users" in name else data,
        )
    else:  # one byte flipped in the compressed data of a member
        data = bytearray(file.read_bytes())
        with zipfile.ZipFile(file) as archive:
            info = archive.getinfo("tables/progress_records.jsonl")
        name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26 :][:4])
        start = info.header_offset + 30 + name_len + extra_len
        data[start + info.compress_size // 2] ^= 0x01
        bad.write_bytes(bytes(data))
    with pytest.raises(BackupDamaged, match="备份文件已损坏 / the backup file is damaged"):
        read_backup(bad)
    into = fresh("sqlite")
    with pytest.raises(BackupDamaged, match=r"损坏.*damaged"):
        restore_backup(into, bad)
    assert inspect(into).get_table_names() == []  # not even the schema
    before = dump(platform.engine)
    with pytest.raises(BackupDamaged):
        restore_backup(platform.engine, bad, replace=True)
    assert dump(platform.engine) == before


def _with_member(source: Path, target: Path, table: str, change: Callable[[Any], Any]) -> None:
    """Copy a backup with the rows of ``table`` passed through ``change``, its manifest's
    checksum made to fit (so that only the restore itself can find the fault)."""
    member = f"tables/{table}.jsonl"
    with zipfile.ZipFile(source) as old:
        rows = [json.loads(line) for line in old.read(member).splitlines()]
    data = "".join(json.dumps(change(r)) + "\n" for r in rows).encode()

    def rewrite(name: str, content: bytes) -> bytes:
        if name == member:
            return data
        if name == MANIFEST:
            doc = json.loads(content)
            doc["tables"][table]["sha256"] = hashlib.sha256(data).hexdigest()
            return json.dumps(doc).encode()
        return content

    _rewrite(source, target, rewrite)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda r: {**r, "value": None}, DBAPIError),  # NOT NULL refused by the database
        (lambda r: {**r, "import_id": "one"}, BackupDamaged),  # not a whole number
    ],
    ids=["null-value", "text-key"],
)
def test_a_failure_midway_leaves_the_database_as_it_was(
    filled: Platform,
    tmp_path: Path,
    change: Callable[[Any], Any],
    error: type[Exception],
) -> None:
    file = tmp_path / "backup.zip"
    write_backup(filled.engine, file)
    bad = tmp_path / "bad.zip"
    # progress_records: restored after most other tables have been emptied and written again
    # in the same transaction
    names = [t.name for t in Base.metadata.sorted_tables]
    assert names.index("progress_records") >= len(names) * 3 // 4
    _with_member(file, bad, "progress_records", change)
    read_backup(bad)  # the file itself is sound
    filled.add_user("carl", "viewer", actor="cli")
    before, guard = dump(filled.engine), _triggers(filled.engine)
    with pytest.raises(error):
        restore_backup(filled.engine, bad, replace=True)
    assert dump(filled.engine) == before
    assert _triggers(filled.engine) == guard
    with pytest.raises(DBAPIError, match="append-only"), filled.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))


def test_files_that_are_no_backup_are_refused(platform: Platform, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no such backup file"):
        read_backup(tmp_path / "missing.zip")
    text_file = tmp_path / "notes.zip"
    text_file.write_text("not a zip archive")
    with pytest.raises(BackupDamaged, match="damaged"):
        read_backup(text_file)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(BackupDamaged, match=r"no manifest\.json"):
        read_backup(other)
    file = tmp_path / "backup.zip"
    write_backup(platform.engine, file)
    newer = tmp_path / "newer.zip"
    _manifest_changed(file, newer, format_version=FORMAT_VERSION + 1)
    with pytest.raises(BackupError, match="newer than this xietong reads"):
        read_backup(newer)
    extra = tmp_path / "extra.zip"
    _rewrite(file, extra, lambda name, data: data)
    with zipfile.ZipFile(extra, "a") as archive:
        archive.writestr("tables/secrets.jsonl", "")
    with pytest.raises(BackupDamaged, match="does not list"):
        read_backup(extra)


def test_a_backup_of_another_schema_revision_is_refused(
    platform: Platform, fresh: MakeEngine, tmp_path: Path
) -> None:
    file = tmp_path / "backup.zip"
    write_backup(platform.engine, file)
    into = fresh("sqlite")
    older = tmp_path / "older.zip"
    _manifest_changed(file, older, alembic_revision="0004", xietong_version="0.0.9")
    with pytest.raises(BackupError, match=r"0004.*restore it with xietong 0\.0\.9"):
        restore_backup(into, older)
    newer = tmp_path / "newer.zip"
    _manifest_changed(file, newer, alembic_revision="9999")
    with pytest.raises(BackupError, match="9999 is newer than this xietong"):
        restore_backup(into, newer)
    unknown = tmp_path / "unknown.zip"

    def add_table(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        doc = json.loads(data)
        doc["tables"]["gadgets"] = {"rows": 0, "sha256": hashlib.sha256(b"").hexdigest()}
        return json.dumps(doc).encode()

    _rewrite(file, unknown, add_table)
    with zipfile.ZipFile(unknown, "a") as archive:
        archive.writestr("tables/gadgets.jsonl", "")
    with pytest.raises(BackupError, match="does not know: gadgets"):
        restore_backup(into, unknown)
    assert inspect(into).get_table_names() == []


def test_an_uninitialised_database_has_no_backup(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    with pytest.raises(NotInitialised, match="xietong init"):
        write_backup(engine, folder / "backup.zip")
    assert list(folder.iterdir()) == []  # no partial file left


def test_an_existing_backup_file_is_replaced_whole(platform: Platform, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    file = folder / "backup.zip"
    file.write_text("an old file")
    write_backup(platform.engine, file)
    assert read_backup(file).tables["plans"].rows == 1
    assert [p.name for p in folder.iterdir()] == ["backup.zip"]


def test_progress_is_reported_per_table(
    filled: Platform, fresh: MakeEngine, tmp_path: Path
) -> None:
    file = tmp_path / "backup.zip"
    calls: list[tuple[str, int, int]] = []
    result = write_backup(filled.engine, file, progress=lambda *c: calls.append(c))
    restored: list[tuple[str, int, int]] = []
    restore_backup(fresh("sqlite"), file, progress=lambda *c: restored.append(c))
    for seen in (calls, restored):
        last = {table: (done, total) for table, done, total in seen}
        assert last == {name: (n, n) for name, n in result["tables"].items()}
        firsts = [(t, d) for t, d, _ in seen if d == 0]
        assert [t for t, _ in firsts] == list(result["tables"])  # each table starts at 0
