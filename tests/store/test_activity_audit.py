"""A replaced activity dataset is named in the audit entry of the one that replaced it."""

from __future__ import annotations

from xietong.service.platform import Platform
from xietong.store.database import session_scope
from xietong.store.repository import audit_entries

HEADER = [
    "year",
    "district",
    "sector",
    "subsector",
    "activity",
    "amount",
    "unit",
    "source",
    "quality",
]


def test_the_audit_of_an_activity_import_records_the_dataset_it_replaced(
    platform: Platform,
) -> None:
    first = [
        HEADER,
        [
            2020,
            "qingshan",
            "industry",
            "steel",
            "bituminous_coal",
            12,
            "wan * t",
            "s1",
            "statistic",
        ],
    ]
    second = [
        HEADER,
        [2021, "hongshan", "industry", "other", "bituminous_coal", 5, "wan * t", "s2", "statistic"],
    ]
    platform.import_activity_rows(first, source="first.csv", actor="cli")
    old = platform.activity_dataset()
    assert old is not None and old.source == "first.csv"
    platform.import_activity_rows(second, source="second.csv", actor="cli")
    with session_scope(platform.engine) as session:
        entries = [e for e in audit_entries(session, 50) if e.action == "activity.replace"]
    newest, oldest = entries[0], entries[-1]
    assert oldest.detail["before"] is None
    assert newest.detail["source"] == "second.csv"
    assert newest.detail["before"]["import_id"] == old.id
    assert newest.detail["before"]["source"] == "first.csv"
    assert newest.detail["before"]["rows"] == 1
    assert newest.detail["before"]["actor"] == "cli"
