"""Backup and restore of the whole database in one portable file.

A backup is a zip archive of

- ``manifest.json``: the format (``xietong-backup``) and its version, when and by which
  xietong version it was made, the Alembic revision of the schema it was made at, and for each
  table its row count and the SHA-256 of its member;
- ``tables/<table>.jsonl``: one JSON object per row (column name to value), ordered by
  primary key. Dates and times are ISO 8601 text (times in UTC, with their offset), JSON
  columns JSON, booleans booleans: nothing in the file depends on the database that wrote
  it, so a backup of SQLite restores into PostgreSQL and back.

A restore is all or nothing: it checks the whole file first, then writes every row in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    String,
    Table,
    func,
    inspect,
    select,
    text,
)

import xietong
from xietong.errors import NotInitialised, XietongError
from xietong.store.database import alembic_config, migrate
from xietong.store.tables import Base

FORMAT = "xietong-backup"
"""What ``manifest.json`` names as the format of the file."""

FORMAT_VERSION = 1
"""The version of the backup format this code writes (and the newest it reads)."""

MANIFEST = "manifest.json"
"""The member holding the manifest."""

BATCH = 1000
"""Rows read, written or reported at a time."""

ProgressFn = Callable[[str, int, int], None]
"""Called as ``progress(table, done, total)``: with 0 done before a table's first row, then
after each batch of rows."""

_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ValueError,  # json.JSONDecodeError, UnicodeDecodeError, bad dates
    KeyError,  # a member the central directory does not hold
    NotImplementedError,  # an unknown compression method
    RuntimeError,  # an encrypted member
)
"""What reading a damaged zip archive or member can raise."""


class BackupError(XietongError):
    """A backup cannot be written or restored; the message says why in Chinese and English."""


class BackupDamaged(BackupError):
    """The file is not a readable xietong backup, or its members do not match its manifest."""


@dataclass(frozen=True)
class TableEntry:
    """What the manifest says of one table: its row count and the SHA-256 of its member."""

    rows: int
    sha256: str


@dataclass(frozen=True)
class BackupInfo:
    """The checked manifest of a backup file."""

    path: Path
    format_version: int
    revision: str
    created_at: str
    xietong_version: str
    tables: dict[str, TableEntry]

    def as_dict(self) -> dict[str, Any]:
        """The manifest as a JSON-ready mapping, with the row counts per table."""
        return {
            "file": str(self.path),
            "format_version": self.format_version,
            "revision": self.revision,
            "created_at": self.created_at,
            "xietong_version": self.xietong_version,
            "tables": {name: e.rows for name, e in self.tables.items()},
            "rows": sum(e.rows for e in self.tables.values()),
        }


def _member(table: str) -> str:
    """The archive member holding the rows of ``table``."""
    return f"tables/{table}.jsonl"


def _tables() -> list[Table]:
    """Every table of the model, each after the tables it refers to."""
    return list(Base.metadata.sorted_tables)


def _damaged(path: Path, why: str) -> BackupDamaged:
    """The error saying that the file at ``path`` is damaged, and why."""
    return BackupDamaged(f"备份文件已损坏 / the backup file is damaged: {path}: {why}")


def _script(engine: Engine) -> ScriptDirectory:
    """The shipped migrations."""
    return ScriptDirectory.from_config(alembic_config(engine))


def _head(script: ScriptDirectory) -> str:
    """The newest revision of the shipped migrations: the schema this code works on."""
    head = script.get_current_head()
    if head is None:  # pragma: no cover - the package ships its migrations
        raise BackupError("没有数据库迁移脚本 / no database migrations are installed")
    return head


def _revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at; None when it has no schema yet."""
    return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """One transaction, committed when the block ends without error and rolled back otherwise.

    On SQLite the transaction is begun explicitly (the driver would otherwise run DDL and
    SELECTs outside of it): ``BEGIN IMMEDIATE`` to write (the write lock is taken at once),
    a plain ``BEGIN`` to read (one snapshot of every table). On PostgreSQL a read runs at
    REPEATABLE READ, so that every table is read at the same moment.
    """
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            raw = conn.connection.dbapi_connection
            if not isinstance(raw, sqlite3.Connection):  # pragma: no cover - other drivers
                raise BackupError(f"unsupported SQLite driver {engine.dialect.driver}")
            before = raw.isolation_level
            raw.isolation_level = None  # the driver begins nothing itself
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield conn
                except BaseException:
                    conn.rollback()
                    raise
                conn.commit()
            finally:
                raw.isolation_level = before
            return
        if not write:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


# -- writing ------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    """A column value as JSON: times in UTC (SQLite gives back naive times, stored in UTC),
    dates ISO text, everything else (numbers, text, booleans, JSON documents) as it is."""
    if isinstance(value, dt.datetime):
        aware = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
        return aware.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _write_table(
    conn: Connection,
    archive: zipfile.ZipFile,
    table: Table,
    total: int,
    progress: ProgressFn | None,
) -> TableEntry:
    """Write every row of ``table`` (by primary key) as one JSON-lines member."""
    if progress:
        progress(table.name, 0, total)
    digest = hashlib.sha256()
    done = 0
    columns = list(table.columns)
    query = select(table).order_by(*table.primary_key.columns)
    result = conn.execution_options(yield_per=BATCH).execute(query)
    member = zipfile.ZipInfo(_member(table.name), dt.datetime.now().timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(member, "w", force_zip64=True) as out:
        for part in result.partitions():
            chunk = "".join(
                json.dumps(
                    {c.name: _encode(v) for c, v in zip(columns, row, strict=True)},
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
                + "\n"
                for row in part
            ).encode("utf-8")
            digest.update(chunk)
            out.write(chunk)
            done += len(part)
            if progress:
                progress(table.name, done, total)
    return TableEntry(rows=done, sha256=digest.hexdigest())


def write_backup(
    engine: Engine, path: Path | str, *, progress: ProgressFn | None = None
) -> dict[str, Any]:
    """Write every row of every table, with the schema's Alembic revision, into one backup
    file at ``path`` (see the module's description of the format).

    All tables are read in one transaction (one consistent snapshot, also while the platform
    runs). The file is written beside ``path`` and moved into place when complete, so a failed
    backup leaves no partial file. Returns the manifest as :meth:`BackupInfo.as_dict` does.
    Raises NotInitialised when the database has no schema, BackupError when its schema is not
    the one this version of xietong knows (``xietong init`` upgrades it).
    """
    target = Path(path)
    head = _head(_script(engine))
    tables = _tables()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        with _transaction(engine, write=False) as conn:
            revision = _revision(conn)
            if revision is None:
                raise NotInitialised(
                    "数据库尚未初始化 / the database has no schema yet: run `xietong init`"
                )
            if revision != head:
                raise BackupError(
                    f"数据库结构版本 {revision} 与本程序的 {head} 不符,请先运行 xietong init "
                    f"升级 / the database schema is at revision {revision}, this xietong's at "
                    f"{head}: run `xietong init` to upgrade it first"
                )
            totals = {
                t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0) for t in tables
            }
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                entries = {
                    t.name: _write_table(conn, archive, t, totals[t.name], progress) for t in tables
                }
                info = BackupInfo(
                    path=target,
                    format_version=FORMAT_VERSION,
                    revision=revision,
                    created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    xietong_version=xietong.__version__,
                    tables=entries,
                )
                manifest = {
                    "format": FORMAT,
                    "format_version": info.format_version,
                    "created_at": info.created_at,
                    "xietong_version": info.xietong_version,
                    "alembic_revision": info.revision,
                    "source_dialect": engine.dialect.name,
                    "tables": {
                        name: {"rows": e.rows, "sha256": e.sha256} for name, e in entries.items()
                    },
                }
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return info.as_dict()


# -- reading ------------------------------------------------------------------------------


def _manifest(path: Path, archive: zipfile.ZipFile) -> BackupInfo:
    """The manifest of ``archive``, its shape checked (not yet the members)."""
    if MANIFEST not in archive.namelist():
        raise _damaged(path, f"it holds no {MANIFEST}: not a xietong backup")
    doc = json.loads(archive.read(MANIFEST).decode("utf-8"))
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _damaged(path, f"its {MANIFEST} does not name the format '{FORMAT}'")
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _damaged(path, f"format_version {version!r} is not a version number")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"备份文件格式 {version} 比本程序新,请用更新的 xietong 恢复 / the backup is in "
            f"format {version}, newer than this xietong reads ({FORMAT_VERSION}): restore it "
            "with a newer version"
        )
    fields = {k: doc.get(k) for k in ("alembic_revision", "created_at", "xietong_version")}
    for key, value in fields.items():
        if not isinstance(value, str) or not value:
            raise _damaged(path, f"the manifest's {key} is missing")
    listed = doc.get("tables")
    if not isinstance(listed, dict):
        raise _damaged(path, "the manifest lists no tables")
    tables: dict[str, TableEntry] = {}
    for name, entry in listed.items():
        rows = entry.get("rows") if isinstance(entry, dict) else None
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
            raise _damaged(path, f"the manifest gives no row count for table {name}")
        if not isinstance(sha, str) or len(sha) != 64:
            raise _damaged(path, f"the manifest gives no SHA-256 for table {name}")
        tables[str(name)] = TableEntry(rows=rows, sha256=sha)
    return BackupInfo(
        path=path,
        format_version=version,
        revision=str(fields["alembic_revision"]),
        created_at=str(fields["created_at"]),
        xietong_version=str(fields["xietong_version"]),
        tables=tables,
    )


def _check_member(path: Path, archive: zipfile.ZipFile, name: str, entry: TableEntry) -> None:
    """Raise BackupDamaged unless the member of table ``name`` has the manifest's checksum
    and row count."""
    member = _member(name)
    if member not in archive.namelist():
        raise _damaged(path, f"the member {member} is missing")
    digest = hashlib.sha256()
    lines = 0
    with archive.open(member) as stream:
        while chunk := stream.read(2**20):
            digest.update(chunk)
            lines += chunk.count(b"\n")
    if digest.hexdigest() != entry.sha256:
        raise _damaged(path, f"{member} does not match its SHA-256 checksum")
    if lines != entry.rows:
        raise _damaged(path, f"{member} holds {lines} rows, its manifest says {entry.rows}")


def read_backup(path: Path | str) -> BackupInfo:
    """Read and check a backup file: its manifest (format, version, revision, tables), that
    every table it lists is one this xietong knows, and every member's SHA-256 checksum and
    row count. Raises BackupDamaged (备份文件已损坏 / the backup file is damaged) when
    anything does not match, BackupError when the file is missing or of a newer format."""
    file = Path(path)
    if not file.is_file():
        raise BackupError(f"没有这个备份文件 / no such backup file: {file}")
    try:
        with zipfile.ZipFile(file) as archive:
            info = _manifest(file, archive)
            known = set(Base.metadata.tables)
            unknown = sorted(set(info.tables) - known)
            if unknown:
                raise BackupError(
                    f"备份含有本程序不认识的表 {', '.join(unknown)}(结构版本 "
                    f"{info.revision},xietong {info.xietong_version})/ the backup holds tables "
                    f"this xietong does not know: {', '.join(unknown)} (schema revision "
                    f"{info.revision}, made by xietong {info.xietong_version})"
                )
            expected = {MANIFEST} | {_member(name) for name in info.tables}
            extra = sorted(set(archive.namelist()) - expected)
            if extra:
                raise _damaged(file, f"it holds members its manifest does not list: {extra}")
            for name, entry in info.tables.items():
                _check_member(file, archive, name, entry)
    except _ZIP_ERRORS as exc:
        raise _damaged(file, f"{type(exc).__name__}: {exc}") from exc
    return info


# -- restoring ----------------------------------------------------------------------------


def _decode(column: Column[Any], value: Any) -> Any:
    """A value of the file as the column's Python value; ValueError when it is of the wrong
    kind."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a date and time")
        moment = dt.datetime.fromisoformat(value)
        return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
    if isinstance(kind, Date):
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a date")
        return dt.date.fromisoformat(value)
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise ValueError(f"{value!r} is not true or false")
        return value
    if isinstance(kind, Integer):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{value!r} is not a whole number")
        return value
    if isinstance(kind, Float):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValueError(f"{value!r} is not a number")
        return float(value)
    if isinstance(kind, String) and not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    return value


def _restore_table(
    conn: Connection,
    path: Path,
    archive: zipfile.ZipFile,
    table: Table,
    entry: TableEntry,
    progress: ProgressFn | None,
) -> int:
    """Insert the rows of ``table``'s member, checking its checksum again as it is read."""
    if progress:
        progress(table.name, 0, entry.rows)
    columns = {c.name: c for c in table.columns}
    digest = hashlib.sha256()
    done = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal done, batch
        if batch:
            conn.execute(table.insert(), batch)
            done += len(batch)
            batch = []
            if progress:
                progress(table.name, done, entry.rows)

    with archive.open(_member(table.name)) as stream:
        for number, line in enumerate(stream, start=1):
            digest.update(line)
            row = json.loads(line)
            if not isinstance(row, dict) or set(row) != set(columns):
                raise _damaged(
                    path, f"row {number} of {table.name} does not have the table's columns"
                )
            try:
                batch.append({columns[k].key: _decode(columns[k], v) for k, v in row.items()})
            except ValueError as exc:
                raise _damaged(path, f"row {number} of {table.name}: {exc}") from exc
            if len(batch) >= BATCH:
                flush()
        flush()
    if digest.hexdigest() != entry.sha256 or done != entry.rows:
        raise _damaged(path, f"{_member(table.name)} changed while it was restored")
    return done


def _drop_audit_guard(conn: Connection) -> None:
    """Drop the triggers that make ``audit_log`` append-only (migration 0005)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    else:
        for event in ("update", "delete"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS audit_log_no_{event}")


def _create_audit_guard(conn: Connection) -> None:
    """Create the triggers that make ``audit_log`` append-only again, as migration 0005 does
    (on PostgreSQL its function ``audit_log_append_only()`` is kept and used again)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )


def _held(conn: Connection, tables: list[Table]) -> dict[str, int]:
    """The tables of ``tables`` that exist and hold rows, with their row counts."""
    existing = set(inspect(conn).get_table_names())
    counts = {
        t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
        for t in tables
        if t.name in existing
    }
    return {name: n for name, n in counts.items() if n}


def _refuse_held(held: dict[str, int]) -> None:
    """Refuse to restore into a database whose tables ``held`` rows (table: count)."""
    if held:
        listing = ", ".join(f"{name} {n}" for name, n in held.items())
        raise BackupError(
            f"目标数据库已有数据({listing}),恢复会覆盖它们:确需覆盖请加 --replace / the "
            f"database already holds data ({listing}): restore with --replace to replace it"
        )


def _empty(conn: Connection, tables: list[Table]) -> None:
    """Delete every row of every table, the audit log's included: its append-only guard is
    dropped and created again in the same transaction."""
    _drop_audit_guard(conn)
    for t in reversed(tables):
        conn.execute(t.delete())
    _create_audit_guard(conn)


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """On PostgreSQL, set every integer key's sequence to the largest key restored, so that
    new rows get the next one."""
    if conn.dialect.name != "postgresql":
        return
    preparer = conn.dialect.identifier_preparer
    for t in tables:
        col = t.autoincrement_column
        if col is None:
            continue
        name, key = preparer.format_table(t), preparer.format_column(col)
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE(MAX({key}), 1), "
                f"MAX({key}) IS NOT NULL) FROM {name}"
            ),
            {"t": name, "c": col.name},
        )


def restore_backup(
    engine: Engine,
    path: Path | str,
    *,
    replace: bool = False,
    progress: ProgressFn | None = None,
) -> dict[str, Any]:
    """Restore a backup file into the database of ``engine``, all or nothing.

    The whole file is checked first (:func:`read_backup`); a backup made at another schema
    revision than this xietong's is refused (restore it with the version that made it). The
    database is then brought to the newest schema and every row inserted in one transaction,
    table by table in dependency order; on PostgreSQL the key sequences are then moved past
    the restored keys. A database that already holds rows is refused unless ``replace``: then
    every table is emptied first, in the same transaction. Returns the manifest as
    :meth:`BackupInfo.as_dict` does, ``tables`` counting the rows restored, and ``replaced``.
    """
    file = Path(path)
    info = read_backup(file)
    script = _script(engine)
    head = _head(script)
    known = {r.revision for r in script.walk_revisions()}
    if info.revision not in known:
        raise BackupError(
            f"备份的数据库结构版本 {info.revision} 比本程序新(本程序为 {head}),请用制作它的 "
            f"xietong {info.xietong_version} 恢复 / the backup's schema revision "
            f"{info.revision} is newer than this xietong's ({head}): restore it with xietong "
            f"{info.xietong_version}, which made it"
        )
    if info.revision != head:
        raise BackupError(
            f"备份的数据库结构版本 {info.revision} 与本程序的 {head} 不符,请用制作它的 xietong "
            f"{info.xietong_version} 恢复,再升级 / the backup's schema revision "
            f"{info.revision} is not this xietong's ({head}): restore it with xietong "
            f"{info.xietong_version}, which made it, then upgrade"
        )
    tables = _tables()
    missing = [t.name for t in tables if t.name not in info.tables]
    if missing:
        raise _damaged(file, f"it lacks the tables {', '.join(missing)}")
    with engine.connect() as conn:
        current = _revision(conn)
        if current is not None and current not in known:
            raise BackupError(
                f"目标数据库的结构版本 {current} 比本程序新 / the database's schema revision "
                f"{current} is newer than this xietong's ({head})"
            )
        if not replace:
            _refuse_held(_held(conn, tables))
    migrate(engine)
    try:
        with (
            _transaction(engine, write=True) as conn,
            zipfile.ZipFile(file) as archive,
        ):
            if replace:
                _empty(conn, tables)
            else:
                _refuse_held(_held(conn, tables))
            counts = {
                t.name: _restore_table(conn, file, archive, t, info.tables[t.name], progress)
                for t in tables
            }
            _reset_sequences(conn, tables)
    except _ZIP_ERRORS as exc:
        raise _damaged(file, f"{type(exc).__name__}: {exc}") from exc
    return {
        **info.as_dict(),
        "tables": counts,
        "rows": sum(counts.values()),
        "replaced": replace,
    }
