"""Migration 0004 (activity entity and period) up and down on SQLite and PostgreSQL, and the
grain's round trip through the store."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect, text

from xietong.accounting.activity import Activity
from xietong.service.platform import Platform
from xietong.store import activities as store
from xietong.store.database import alembic_config, migrate, session_scope

USCC = "91420100MA4K00001Y"


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("activities")}


def _insert_old_row(engine: Engine) -> None:
    """One import and one activity row as schema 0003 holds them (no entity, no period)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO activity_imports (city, source, sha256, shipped, rows, actor, at) "
                "VALUES ('wuhan', 'old.csv', '', false, 1, 't', '2026-01-01 00:00:00+00')"
            )
        )
        import_id = conn.execute(text("SELECT max(id) FROM activity_imports")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO activities (city, import_id, year, district, sector, subsector, "
                "activity, technology, control, amount, unit, source, quality, parameters) "
                "VALUES ('wuhan', :i, 2022, 'city', 'industry', '', 'electricity', '', '', "
                "5.0, 'MWh', 'old', 'statistic', '')"
            ),
            {"i": import_id},
        )


def test_migration_0004_adds_and_drops_the_grain_keeping_the_rows(engine: Engine) -> None:
    cfg = alembic_config(engine)
    command.upgrade(cfg, "0003")
    assert not {"entity", "period"} & _columns(engine)
    _insert_old_row(engine)
    command.upgrade(cfg, "head")
    assert {"entity", "period"} <= _columns(engine)
    with session_scope(engine) as s:
        (act,) = store.list_activities(s, "wuhan")
    assert (act.entity, act.period, act.amount) == ("", "", 5.0)  # an aggregate of the year
    command.downgrade(cfg, "0003")
    assert not {"entity", "period"} & _columns(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM activities")).scalar_one() == 1
    migrate(engine)  # and up again
    assert {"entity", "period"} <= _columns(engine)


def test_the_grain_round_trips_through_the_store(platform: Platform) -> None:
    def act(amount: float, entity: str = "", period: str = "") -> Activity:
        return Activity(
            year=2024,
            district="city",
            sector="industry",
            activity="electricity",
            amount=amount,
            unit="MWh",
            entity=entity,
            period=period,
        )

    acts = [act(1.0), act(2.0, USCC), act(3.0, USCC, "2024-Q1"), act(4.0, "武汉钢铁", "2024-03")]
    with session_scope(platform.engine) as s:
        counts = store.replace_activities(s, city="wuhan", activities=acts, source="x", actor="t")
    assert counts["inserted"] == 4
    assert platform.activities() == acts
