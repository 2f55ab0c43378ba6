"""Engine, sessions and migrations (Alembic) for SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_MS = 15_000
"""How long a SQLite connection waits for another's write to finish before it gives up."""

POOL_SIZE, POOL_OVERFLOW = 20, 30
"""PostgreSQL connections kept and allowed beyond them: enough for the server's worker
threads (40 by default in the thread pool the web server runs handlers on) and the worker."""


def make_engine(url: str) -> Engine:
    """An engine for ``url``. SQLite files get their folder created, foreign keys on, the
    write-ahead log (readers do not wait for a writer) and a busy timeout (a writer waits for
    another instead of failing with "database is locked"); PostgreSQL gets a pool sized to the
    server's threads."""
    file_db = url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:")
    if file_db:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("postgresql"):
        engine = create_engine(
            url, future=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_pre_ping=True
        )
    else:
        engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _fk_on(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
            if file_db:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

    return engine


def alembic_config(engine: Engine) -> Config:
    """Alembic configuration pointing at the shipped migrations, bound to ``engine``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("xietong.store") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the database schema to the newest migration."""
    command.upgrade(alembic_config(engine), "head")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back everything on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
