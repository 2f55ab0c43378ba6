"""Concurrent writers of one indicator value: none fails, and the audit log records, for each
write, the value it really replaced (a chain: each old value is another writer's new one)."""

from __future__ import annotations

import threading

from xietong.service.platform import Platform
from xietong.store.database import session_scope
from xietong.store.repository import audit_entries

WRITERS = 8


def test_eight_simultaneous_writes_of_one_value_all_succeed_with_true_old_values(
    platform: Platform,
) -> None:
    header = ["target_id", "period", "value", "unit"]
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        start.wait()
        try:
            platform.import_rows(
                header,
                [["new-energy-bus-share", 2024, 20 + i, "percent"]],
                source=f"w{i}.csv",
                actor="cli",
            )
        except BaseException as exc:  # collected: the test fails on any
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    (record,) = platform.records("new-energy-bus-share")
    with session_scope(platform.engine) as session:
        imports = [e.detail for e in audit_entries(session, 100) if e.action == "progress.import"]
    assert len(imports) == WRITERS
    assert sum(d["inserted"] for d in imports) == 1
    assert sum(d["updated"] for d in imports) == WRITERS - 1
    # the writes form one chain from the first value to the stored one
    new_of = {c["old"]: c["new"] for d in imports for c in d["changes"]}
    assert len(new_of) == WRITERS - 1  # every old value differs: none was read stale
    first = next(float(20 + i) for i in range(WRITERS) if float(20 + i) not in new_of.values())
    value, steps = first, 0
    while value in new_of:
        value, steps = new_of[value], steps + 1
    assert steps == WRITERS - 1 and value == record.value
