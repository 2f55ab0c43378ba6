"""Reports submitted at once: each recomputes the derived values under one lock taken before
it reads the reported values, so the stored derived values are those of the final reports (no
recomputation on stale inputs overwrites a newer one), and none fails."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from xietong.plan.models import Applies, Direction, ValueSource
from xietong.plan.progress import ProgressRecord, Quality
from xietong.service.platform import Platform

WRITERS = 6


def test_simultaneous_reports_leave_the_derived_values_of_the_final_state(
    synergy_platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = synergy_platform
    plan = p.plan()
    targets = [
        t
        for t in plan.targets
        if plan.source_of(t) is ValueSource.REPORTED and t.applies is Applies.CITY
    ][:WRITERS]
    assert len(targets) == WRITERS
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    # a derived value that judges on every reported one (as the governance part of the
    # synergy index does), computed slowly enough for the submissions to overlap
    real = p._derive_more

    def derive_more(derived, inv, acts, reported, **kw):  # type: ignore[no-untyped-def]
        time.sleep(0.05)
        total = sum(r.value for r in reported if r.period_end.year == 2022)
        derived[ValueSource.INVENTORY].append(
            ProgressRecord(
                target_id="synergy-degree-2025",
                period_end=dt.date(2030, 12, 31),
                value=total,
                reported_by="inventory",
                quality=Quality.DERIVED,
                source_kind=ValueSource.INVENTORY,
            )
        )
        real(derived, inv, acts, reported, **kw)

    monkeypatch.setattr(p, "_derive_more", derive_more)

    def judged() -> list[float]:
        return [r.value for r in p.records("synergy-degree-2025") if r.period_end.year == 2030]

    before = judged()

    def report(i: int) -> None:
        # the figure of 2022, the inventory's last year: it moves the governance part of that
        # year's synergy degree (achieved at the goal, or far from it)
        t = targets[i]
        goal = t.value or 10.0
        far = goal * 0.1 if t.direction is Direction.INCREASING else goal * 10
        value = goal if i % 2 else far
        if t.unit == "percent":
            value = min(value, 100.0)
        start.wait()
        try:
            p.import_rows(
                ["target_id", "period", "value", "unit"],
                [[t.id, 2022, value, t.unit]],
                source=f"r{i}.csv",
                actor="cli",
            )
        except BaseException as exc:  # collected: the test fails on any
            errors.append(exc)

    threads = [threading.Thread(target=report, args=(i,)) for i in range(WRITERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert {r.target_id for r in p.records() if r.period_end.year == 2022} >= {
        t.id for t in targets
    }
    assert judged() != before  # the reports judged on the derived value
    # a full recomputation from what is stored now finds nothing to change
    counts = p.update_targets_from_inventory()
    assert counts["records"] > 0
    assert (counts["inserted"], counts["updated"], counts["deleted"]) == (0, 0, 0)
    assert counts["unchanged"] == counts["records"]
