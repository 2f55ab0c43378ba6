"""Activity data on SQLite and PostgreSQL: the migration, the shipped dataset, replacing it all
or nothing with an audit entry, and the inventory's progress records."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select

from tests.conftest import SMALL_ACTIVITY
from tests.signin import token_client
from xietong.accounting.activity import Activity, read_activity_csv
from xietong.accounting.factors import FactorLibrary
from xietong.errors import ImportRejected
from xietong.service.base import city_file
from xietong.service.platform import Platform
from xietong.store import activities as store
from xietong.store import repository
from xietong.store.database import migrate, session_scope
from xietong.store.tables import ActivityImportRow, ActivityRow, AuditRow, Base, ProgressRow


def _count(engine: Engine, table: type, **where: object) -> int:
    with session_scope(engine) as s:
        q = select(func.count()).select_from(table)
        for column, value in where.items():
            q = q.where(getattr(table, column) == value)
        return int(s.scalar(q) or 0)


def test_migrations_give_exactly_the_orm_tables(engine: Engine) -> None:
    migrate(engine)
    assert {"activities", "activity_imports"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_shipped_dataset_loads_once_with_its_quality_flags(engine: Engine) -> None:
    shipped = city_file("wuhan", "activity.csv")
    assert shipped is not None
    expected = read_activity_csv(shipped)
    p = Platform(engine=engine, plan_id="wuhan-2023")
    result = p.init(demo=False)
    assert result["activity_rows"] == len(expected)
    stored = p.activities()
    assert stored == expected
    assert {a.quality for a in stored} == {a.quality for a in expected}
    assert any(a.quality == "estimate" for a in stored)  # estimates stay labelled
    dataset = p.activity_dataset()
    assert dataset is not None and dataset.shipped and dataset.actor == "system"
    assert p.init(demo=False)["activity_rows"] == 0  # unchanged file: not loaded again


def test_an_imported_dataset_is_never_replaced_by_the_shipped_one(platform: Platform) -> None:
    platform.import_activity_file(SMALL_ACTIVITY, "alice")
    assert platform.init(demo=False)["activity_rows"] == 0
    assert len(platform.activities()) == 30


def test_import_round_trips_and_is_audited(platform: Platform) -> None:
    counts = platform.import_activity_file(SMALL_ACTIVITY, "alice")
    assert counts == {"deleted": 0, "inserted": 30}
    districts = [d.code for d in platform.plan().districts]
    assert platform.activities() == read_activity_csv(SMALL_ACTIVITY, districts=districts)
    with session_scope(platform.engine) as s:
        first = [(e.actor, e.action) for e in repository.audit_entries(s, 5)]
    # the import and the recomputation of the derived values it gave are one transaction
    assert first[0] == ("alice", "indicator.recompute") and ("alice", "activity.replace") in first
    counts = platform.import_activity_file(SMALL_ACTIVITY, "bob")
    assert counts == {"deleted": 30, "inserted": 30}
    assert _count(platform.engine, ActivityRow) == 30
    assert _count(platform.engine, ActivityImportRow) == 2
    with session_scope(platform.engine) as s:
        entries = repository.audit_entries(s, 5)
    # the same figures again: the derived values are unchanged, so none is rewritten
    actions = [e.action for e in entries]
    assert actions[0] == "activity.replace" and "indicator.recompute" not in actions[:1]
    entry = entries[actions.index("activity.replace")]
    assert (entry.actor, entry.action, entry.entity) == ("bob", "activity.replace", "city:wuhan")
    assert entry.detail["deleted"] == 30 and entry.detail["inserted"] == 30
    assert entry.detail["quality"] == {"statistic": 15, "estimate": 15}
    assert entry.detail["years"] == [2020, 2021, 2022]
    dataset = platform.activity_dataset()
    assert dataset is not None
    assert (dataset.source, dataset.actor, dataset.rows, dataset.shipped) == (
        "activity-small.csv",
        "bob",
        30,
        False,
    )


def test_parameters_round_trip_exactly(platform: Platform) -> None:
    act = Activity(
        year=2022,
        district="city",
        sector="wastewater",
        activity="wastewater_treated",
        amount=1234.5678901234,
        unit="wan * m3",
        technology="domestic",
        quality="derived",
        parameters=(("cod_in", 0.1 + 0.2, "mg/L"), ("cod_out", 30.0, "mg / L")),
    )
    with session_scope(platform.engine) as s:
        store.replace_activities(s, city="wuhan", activities=[act], source="x", actor="t")
    assert platform.activities() == [act]


def _state(engine: Engine) -> tuple[int, int, int]:
    return (
        _count(engine, ActivityRow),
        _count(engine, ActivityImportRow),
        _count(engine, AuditRow),
    )


def test_a_bad_file_replaces_nothing_and_names_every_bad_row(
    platform: Platform, tmp_path: Path
) -> None:
    platform.import_activity_file(SMALL_ACTIVITY, "alice")
    before, rows = _state(platform.engine), platform.activities()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "year,district,sector,activity,amount,unit\n"
        "2022,city,industry,bituminous_coal,10,t\n"
        "2022,city,industry,bituminous_coal,abc,t\n"  # row 3
        "2022,火星区,industry,electricity,5,MWh\n"  # row 4
        "2022,city,industry,unobtainium,1,t\n"  # row 5
        "2022,city,industry,electricity,5,km\n",  # row 6
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as info:
        platform.import_activity_file(bad, "mallory")
    assert {(p.row, p.column) for p in info.value.problems} == {
        (3, "amount"),
        (4, "district"),
        (5, "activity"),
        (6, "unit"),
    }
    assert _state(platform.engine) == before
    assert platform.activities() == rows


def test_an_empty_table_is_refused(platform: Platform, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("year,district,sector,activity,amount,unit\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="no data rows"):
        platform.import_activity_file(empty, "a")
    assert platform.activity_dataset() is None


def test_a_database_failure_mid_replace_keeps_the_old_dataset(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform.import_activity_file(SMALL_ACTIVITY, "alice")
    before = _state(platform.engine)

    def failing_audit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(repository, "audit", failing_audit)
    with pytest.raises(RuntimeError):
        platform.import_activity_file(SMALL_ACTIVITY, "bob")
    monkeypatch.undo()
    assert _state(platform.engine) == before
    dataset = platform.activity_dataset()
    assert dataset is not None and dataset.actor == "alice"


def test_the_inventory_is_cached_per_dataset_and_options(
    platform: Platform, test_library: FactorLibrary
) -> None:
    platform.library = test_library
    platform.import_activity_file(SMALL_ACTIVITY, "alice")
    inv = platform.inventory()
    assert platform.inventory() is inv
    from xietong.accounting.inventory import InventoryOptions

    ipcc = platform.inventory(InventoryOptions(co2_method="ipcc"))
    assert ipcc is not inv and platform.inventory(InventoryOptions(co2_method="ipcc")) is ipcc
    platform.import_activity_file(SMALL_ACTIVITY, "bob")  # a new dataset: built again
    assert platform.inventory() is not inv


def test_concurrent_cold_requests_build_the_inventory_once(
    platform: Platform, test_library: FactorLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Single flight: requests that arrive while the inventory is being built wait for that
    build instead of starting their own."""
    import threading

    import xietong.service.inventory as service

    platform.library = test_library
    platform.import_activity_file(SMALL_ACTIVITY, "alice")
    calls: list[int] = []
    started = threading.Event()
    release = threading.Event()
    real = service.build_inventory

    def slow_build(*args: object, **kwargs: object) -> object:
        calls.append(1)
        started.set()
        release.wait(timeout=30)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "build_inventory", slow_build)
    results: list[object] = []
    first = threading.Thread(target=lambda: results.append(platform.inventory()))
    first.start()
    assert started.wait(timeout=30)
    # the build is in flight: these callers must wait for it, not build again
    others = [
        threading.Thread(target=lambda: results.append(platform.inventory())) for _ in range(4)
    ]
    for t in others:
        t.start()
    release.set()
    for t in [first, *others]:
        t.join(timeout=60)
    assert len(calls) == 1
    assert len(results) == 5 and all(r is results[0] for r in results)


def test_the_inventory_defines_its_indicators_and_reports_stay_beside(
    inventory_platform: Platform,
) -> None:
    p = inventory_platform
    # the import computed the inventory-defined values in its own transaction
    derived = [r for r in p.records() if r.source_kind.value == "inventory"]
    ids = {r.target_id for r in derived}
    assert {"co2-intensity-2025", "coal-share-2025", "pollutant-total-nox"} <= ids
    assert all(r.reported_by == "inventory" and r.computed_at is not None for r in derived)
    assert all("GWP AR5" in (r.evidence or "") and not r.demo for r in derived)
    # the bureau's published coal share (2020) is a comparison, never replaced
    kept = [r for r in p.comparisons("coal-share-2025") if r.period_end.year == 2020]
    assert [r.value for r in kept] == [35.13]
    # no reported or demo value of an inventory indicator judges
    for r in p.records():
        if p.plan().source_of(p.plan().target(r.target_id)).value == "inventory":
            assert r.source_kind.value == "inventory"
    # a rebuild on the same data changes nothing: no row written, nothing audited
    with session_scope(p.engine) as s:
        newest = repository.audit_entries(s, 1)[0].id
    counts = p.update_targets_from_inventory("AR5")
    assert counts["unchanged"] == counts["records"] == len(derived)
    assert counts["deleted"] == counts["inserted"] == counts["updated"] == 0
    with session_scope(p.engine) as s:
        assert repository.audit_entries(s, 1)[0].id == newest
    # under AR4 the CO2e-based values change: those are replaced (not added), audited with
    # their old value
    counts = p.update_targets_from_inventory("AR4")
    assert counts["updated"] > 0 and counts["deleted"] == 0
    assert counts["records"] == counts["inserted"] + counts["updated"] + counts["unchanged"]
    assert _count(p.engine, ProgressRow, reported_by="inventory") == len(derived)
    with session_scope(p.engine) as s:
        entries = repository.audit_entries(s, 4)
    assert "indicator.recompute" in [e.action for e in entries]
    imported = next(e for e in entries if e.action == "progress.import")
    assert imported.detail["changes"] and all(
        c["old"] is not None and c["before"]["reported_by"] == "inventory"
        for c in imported.detail["changes"]
    )


def test_no_activity_data_is_a_clear_error(platform: Platform) -> None:
    from xietong.errors import NotFound

    with pytest.raises(NotFound, match="xietong inventory import"):
        platform.inventory()


def test_inventory_figures_show_on_target_pages_and_export_round_trips(
    inventory_platform: Platform, tmp_path: Path
) -> None:

    p = inventory_platform
    p.update_targets_from_inventory()
    client = token_client(p)
    page = client.get("/targets/co2-intensity-2025")
    assert page.status_code == 200 and "排放清单核算" in page.text
    out = tmp_path / "progress.xlsx"
    n = p.export_xlsx(out)
    counts = p.import_file(out, actor="t")  # the exported sheet imports again as it is
    # the platform's own computed rows are recomputed, not imported; the rest update
    computed = sum(1 for r in p.records() if r.reported_by in ("inventory", "scenario"))
    assert counts == {"inserted": 0, "updated": n - computed, "skipped": computed}
    assert _count(p.engine, ProgressRow, reported_by="inventory") > 0
