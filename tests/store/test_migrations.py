"""The migrations on SQLite and PostgreSQL: up and down again from an empty database, an
upgrade of the previous release's schema (0004) that keeps its rows, and a migrated schema
that matches the model's tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError

from xietong.plan.loader import load_plan
from xietong.service.platform import Platform
from xietong.store.database import alembic_config
from xietong.store.tables import Base

PREVIOUS = "0004"
"""The schema of the previous release (before accounts)."""

ACCOUNT_TABLES = {"users", "sessions", "api_tokens", "login_failures", "user_scenarios"}
"""The tables migration 0005 adds."""


def _tables(engine: Engine) -> set[str]:
    """The tables of the database, Alembic's own left out."""
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _revision(engine: Engine) -> str | None:
    """The revision the database is at (None: no schema)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_upgrade_downgrade_and_upgrade_again(engine: Engine) -> None:
    cfg = alembic_config(engine)
    model = set(Base.metadata.tables)
    command.upgrade(cfg, "head")
    assert _tables(engine) == model
    command.downgrade(cfg, "base")
    assert _tables(engine) == set()
    assert _revision(engine) is None
    command.upgrade(cfg, "head")
    assert _tables(engine) == model
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert _revision(engine) == head


def test_every_step_goes_down_and_up_again(engine: Engine) -> None:
    cfg = alembic_config(engine)
    revisions = [r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()][::-1]
    assert revisions[0] == "0001" and PREVIOUS in revisions
    for rev in revisions:  # one step at a time, each undone and done again
        command.upgrade(cfg, rev)
        grown = _tables(engine)
        command.downgrade(cfg, "-1")
        command.upgrade(cfg, rev)
        assert _tables(engine) == grown
        assert _revision(engine) == rev


# -- the previous release's schema, with data, upgraded ------------------------------------

_TS = sa.DateTime(timezone=True)
OLD = {
    "plans": sa.table(
        "plans",
        sa.column("id", sa.String),
        sa.column("title_zh", sa.Text),
        sa.column("document", sa.JSON),
        sa.column("sha256", sa.String),
        sa.column("loaded_at", _TS),
    ),
    "targets": sa.table(
        "targets",
        sa.column("plan_id", sa.String),
        sa.column("id", sa.String),
        sa.column("measure", sa.Integer),
        sa.column("indicator_id", sa.String),
        sa.column("unit", sa.String),
        sa.column("direction", sa.String),
        sa.column("value", sa.Float),
        sa.column("deadline", sa.Date),
    ),
    "imports": sa.table(
        "imports",
        sa.column("id", sa.Integer),
        sa.column("plan_id", sa.String),
        sa.column("source", sa.Text),
        sa.column("rows", sa.Integer),
        sa.column("actor", sa.String),
        sa.column("at", _TS),
    ),
    "progress_records": sa.table(
        "progress_records",
        sa.column("id", sa.Integer),
        sa.column("plan_id", sa.String),
        sa.column("target_id", sa.String),
        sa.column("district", sa.String),
        sa.column("period_end", sa.Date),
        sa.column("value", sa.Float),
        sa.column("reported_by", sa.String),
        sa.column("reported_on", sa.Date),
        sa.column("evidence", sa.Text),
        sa.column("demo", sa.Boolean),
        sa.column("import_id", sa.Integer),
        sa.column("quality", sa.String),
        sa.column("source_kind", sa.String),
        sa.column("comparison", sa.Boolean),
        sa.column("computed_at", _TS),
        sa.column("change_u95", sa.Float),
    ),
    "audit_log": sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("at", _TS),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("detail", sa.JSON),
    ),
    "activity_imports": sa.table(
        "activity_imports",
        sa.column("id", sa.Integer),
        sa.column("city", sa.String),
        sa.column("source", sa.Text),
        sa.column("sha256", sa.String),
        sa.column("shipped", sa.Boolean),
        sa.column("rows", sa.Integer),
        sa.column("actor", sa.String),
        sa.column("at", _TS),
    ),
    "activities": sa.table(
        "activities",
        sa.column("id", sa.Integer),
        sa.column("city", sa.String),
        sa.column("import_id", sa.Integer),
        sa.column("year", sa.Integer),
        sa.column("district", sa.String),
        sa.column("sector", sa.String),
        sa.column("subsector", sa.String),
        sa.column("activity", sa.String),
        sa.column("technology", sa.String),
        sa.column("control", sa.String),
        sa.column("amount", sa.Float),
        sa.column("unit", sa.String),
        sa.column("source", sa.Text),
        sa.column("quality", sa.String),
        sa.column("parameters", sa.Text),
        sa.column("entity", sa.String),
        sa.column("period", sa.String),
    ),
}
"""The tables of the 0004 schema that the test writes, as that release's rows have them."""

SERIAL = {"imports", "progress_records", "audit_log", "activity_imports", "activities"}
"""The tables of :data:`OLD` whose integer key the database assigns."""

AT = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def _old_rows() -> dict[str, list[dict[str, Any]]]:
    """A plan, a target, a progress import and value, an audit entry, an activity import and
    an activity row, as the previous release wrote them."""
    plan = load_plan("wuhan-2023")
    target = next(t for t in plan.targets if t.value is not None and t.measure is not None)
    return {
        "plans": [
            {
                "id": plan.id,
                "title_zh": plan.title.zh,
                "document": plan.model_dump(mode="json"),
                "sha256": "0" * 64,  # the previous release's document: init refreshes it
                "loaded_at": AT,
            }
        ],
        "targets": [
            {
                "plan_id": plan.id,
                "id": target.id,
                "measure": target.measure,
                "indicator_id": target.indicator_id,
                "unit": target.unit,
                "direction": target.direction.value,
                "value": target.value,
                "deadline": target.deadline,
            }
        ],
        "imports": [
            {
                "id": 1,
                "plan_id": plan.id,
                "source": "progress-2025.xlsx",
                "rows": 1,
                "actor": "cli",
                "at": AT,
            }
        ],
        "progress_records": [
            {
                "id": 1,
                "plan_id": plan.id,
                "target_id": target.id,
                "district": "",
                "period_end": dt.date(2024, 12, 31),
                "value": 42.5,
                "reported_by": "eco_env",
                "reported_on": dt.date(2025, 3, 1),
                "evidence": "统计公报 2024",
                "demo": False,
                "import_id": 1,
                "quality": "reported",
                "source_kind": "reported",
                "comparison": False,
                "computed_at": None,
                "change_u95": None,
            }
        ],
        "audit_log": [
            {
                "id": 1,
                "at": AT,
                "actor": "cli",
                "action": "progress.import",
                "entity": f"plan:{plan.id}",
                "detail": {"source": "progress-2025.xlsx", "import_id": 1, "inserted": 1},
            }
        ],
        "activity_imports": [
            {
                "id": 1,
                "city": "wuhan",
                "source": "activity-2024.csv",
                "sha256": "1" * 64,
                "shipped": False,
                "rows": 1,
                "actor": "cli",
                "at": AT,
            }
        ],
        "activities": [
            {
                "id": 1,
                "city": "wuhan",
                "import_id": 1,
                "year": 2020,
                "district": "qingshan",
                "sector": "energy_industries",
                "subsector": "power",
                "activity": "raw_coal",
                "technology": "pulverised_coal",
                "control": "wfgd",
                "amount": 217.0,
                "unit": "wan * t",
                "source": "统计年鉴 2021",
                "quality": "statistic",
                "parameters": "",
                "entity": "",
                "period": "",
            }
        ],
    }


def _read(engine: Engine, name: str) -> list[dict[str, Any]]:
    """The rows of an old table by key, as written (naive SQLite times read as UTC)."""
    table = OLD[name]
    with engine.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.id)).mappings()
        return [
            {
                k: v.replace(tzinfo=dt.UTC) if isinstance(v, dt.datetime) and not v.tzinfo else v
                for k, v in row.items()
            }
            for row in rows
        ]


def test_the_previous_release_upgrades_with_its_rows(engine: Engine) -> None:
    cfg = alembic_config(engine)
    command.upgrade(cfg, PREVIOUS)
    assert not _tables(engine) & ACCOUNT_TABLES
    rows = _old_rows()
    with engine.begin() as conn:
        for name, table in OLD.items():  # in dependency order
            for row in rows[name]:
                # integer keys come from the database, as they did (they are 1 here)
                values = {k: v for k, v in row.items() if k != "id"} if name in SERIAL else row
                conn.execute(table.insert(), values)

    command.upgrade(cfg, "head")
    assert _tables(engine) >= ACCOUNT_TABLES
    for name in OLD:
        assert _read(engine, name) == rows[name], name
    # the old audit entry is append-only now, like every new one
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET actor = 'someone else' WHERE id = 1"))

    platform = Platform(engine=engine, plan_id="wuhan-2023")
    result = platform.init(demo=False, activity=False)
    assert result["plan_changed"] is True  # the stored document's checksum was the old one
    assert result["admin"] == "admin"  # the first account of a database that had none
    target = rows["targets"][0]["id"]
    [kept] = [r for r in platform.records(target) if r.import_id == 1]
    assert (kept.value, kept.period_end, kept.evidence) == (
        42.5,
        dt.date(2024, 12, 31),
        "统计公报 2024",
    )
    dataset = platform.activity_dataset()
    assert dataset is not None and dataset.source == "activity-2024.csv"
    [activity] = platform.activities()
    assert (activity.district, activity.activity, activity.amount) == (
        "qingshan",
        "raw_coal",
        217.0,
    )
    assert _read(engine, "audit_log")[0] == rows["audit_log"][0]
    platform.add_user("ana", "viewer", actor="cli")
    assert {a.username for a in platform.users(actor="cli")} == {"admin", "ana"}


# -- the model matches the migrated schema -------------------------------------------------


def test_the_migrated_schema_matches_the_model(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


KNOWN_DEFAULTS = {
    ("activities", "entity"),  # '' in both; SQLite reflects it as "''" (a false difference)
    ("activities", "period"),
    ("api_tokens", "revoked"),  # server defaults the migrations give and the model does not
    ("progress_records", "quality"),
    ("progress_records", "source_kind"),
    ("progress_records", "comparison"),
    ("users", "display_name"),
    ("users", "disabled"),
}
"""Columns whose server default the migrations and the model state differently: harmless (the
model's own Python-side defaults fill these columns on every insert through it)."""


def test_server_defaults_differ_only_where_known(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_server_default": True})
        diffs = compare_metadata(context, Base.metadata)
    found = set()
    for diff in diffs:
        [(kind, _schema, table, column, *_)] = diff  # one column change per entry
        assert kind == "modify_default", diff
        found.add((table, column))
    assert found <= KNOWN_DEFAULTS
