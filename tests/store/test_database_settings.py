"""SQLite files run in write-ahead-log mode with a busy timeout; PostgreSQL pools enough
connections for the server's threads."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from xietong.store.database import POOL_OVERFLOW, POOL_SIZE, SQLITE_BUSY_MS, make_engine


def test_sqlite_files_use_the_write_ahead_log(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_MS
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_writer_waits_for_another_instead_of_failing(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'y.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    errors: list[Exception] = []

    def write(k: int) -> None:
        try:
            for i in range(20):
                with engine.begin() as conn:
                    conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": k * 100 + i})
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 160


def test_postgresql_pool_is_sized_to_the_threads() -> None:
    url = os.environ.get("XIETONG_TEST_PG_URL")
    if not url:
        pytest.fail("XIETONG_TEST_PG_URL is not set (make test sets it)")
    engine = make_engine(url)
    assert engine.pool.size() == POOL_SIZE  # type: ignore[attr-defined]
    assert POOL_SIZE + POOL_OVERFLOW >= 40
