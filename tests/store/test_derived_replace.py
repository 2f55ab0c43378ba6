"""Derived values are replaced by difference: unchanged ones keep their row, changed ones are
updated with their old value in the audit log, vanished ones deleted with their before-state,
and nothing is written or audited when nothing changed."""

from __future__ import annotations

import datetime as dt

from xietong.plan.models import ValueSource
from xietong.plan.progress import ProgressRecord, Quality
from xietong.service.platform import Platform
from xietong.store.database import session_scope
from xietong.store.repository import audit_entries, replace_source_values


def _record(target: str, year: int, value: float) -> ProgressRecord:
    return ProgressRecord(
        target_id=target,
        period_end=dt.date(year, 12, 31),
        value=value,
        reported_by="inventory",
        evidence="xietong inventory: test",
        quality=Quality.DERIVED,
        source_kind=ValueSource.INVENTORY,
    )


def _replace(p: Platform, records: list[ProgressRecord]) -> dict[str, int]:
    with session_scope(p.engine) as session:
        return replace_source_values(
            session,
            plan_id=p.plan_id,
            source_kind=ValueSource.INVENTORY,
            records=records,
            source="test",
            actor="tester",
        )


def test_only_what_differs_is_written(platform: Platform) -> None:
    p = platform
    first = [_record("coal-share-2025", 2021, 30.0), _record("coal-share-2025", 2022, 29.0)]
    assert _replace(p, first) == {"deleted": 0, "inserted": 2, "updated": 0, "unchanged": 0}
    with session_scope(p.engine) as session:
        newest = audit_entries(session, 1)[0].id
    assert _replace(p, first) == {"deleted": 0, "inserted": 0, "updated": 0, "unchanged": 2}
    with session_scope(p.engine) as session:
        assert audit_entries(session, 1)[0].id == newest  # nothing changed: nothing audited
    second = [_record("coal-share-2025", 2022, 28.5), _record("coal-share-2025", 2023, 28.0)]
    assert _replace(p, second) == {"deleted": 1, "inserted": 1, "updated": 1, "unchanged": 0}
    values = {r.period_end.year: r.value for r in p.records("coal-share-2025")}
    assert values == {2022: 28.5, 2023: 28.0}
    with session_scope(p.engine) as session:
        entries = {e.action: e.detail for e in audit_entries(session, 2)}
    (changed,) = entries["progress.import"]["changes"]
    assert (changed["period"], changed["old"], changed["new"]) == ("2022-12-31", 29.0, 28.5)
    (removed,) = entries["indicator.recompute"]["removed"]
    assert removed["period"] == "2021-12-31" and removed["before"]["value"] == 30.0
