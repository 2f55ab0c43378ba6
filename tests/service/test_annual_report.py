"""The annual report's record through the service, on SQLite and PostgreSQL: every figure is
the one the platform's own calls give (targets, measures, task ledger, inventory, synergy
degree); risks and priorities follow from them; the bureau only."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.service.test_ledger import REVIEWER, TRANSPORT, _task_with_target_and_milestone
from xietong.accounting.factors import load_gwp
from xietong.accounts.roles import Principal, Role
from xietong.errors import Forbidden, NotFound
from xietong.plan.reporting import FigureEntry
from xietong.service.annual_report import annual_report_record
from xietong.service.inventory_views import year_totals
from xietong.service.platform import Platform

LATER = dt.date(2026, 3, 1)


def test_every_figure_is_the_platforms_own(synergy_platform: Platform) -> None:
    p = synergy_platform
    p.open_period(2025, due=dt.date(2026, 1, 31), actor="cli")
    task_id, target_id, _ = _task_with_target_and_milestone(p)
    target = p.plan().target(target_id)
    value = 55.0 if target.unit == "percent" else 1.0
    figures = [FigureEntry(target_id=target_id, value=value, evidence="交通局年报")]
    p.save_task_report(
        "2025", task_id, "body", "transport", figures=figures, submit=True, actor=TRANSPORT
    )
    p.review_task_report("2025", task_id, "body", "transport", accept=True, actor=REVIEWER)

    r = annual_report_record(p, 2025, actor=REVIEWER, today=LATER)
    day = dt.date(2025, 12, 31)
    assert r["status_day"] == day.isoformat() and r["meta"] == p.assessment_meta()
    # targets: the status and the latest value of the platform's judgement on 31 December
    judged = p.assessments(day)
    assert [t["id"] for t in r["targets"]] == [t.id for t in p.plan().targets]
    for t in r["targets"]:
        a = judged[t["id"]]
        assert (t["status"], t["latest_value"]) == (a.status.value, a.latest_value)
        assert t["estimated"] == a.on_estimate  # the pages' 依估算 mark
    assert sum(r["target_counts"].values()) == len(p.plan().targets)
    # measures: their state that day
    states = p.measure_statuses(day)
    assert {m["number"]: m["state"] for m in r["measures"]} == {
        n: s.state.value for n, s in states.items()
    }
    # delivery: the ledger's count; past the due date every report not in is overdue
    statuses = p.report_statuses("2025", today=LATER)
    d = r["delivery"]
    assert d["periods"] == ["2025"] and d["totals"]["owed"] == len(statuses)
    (transport,) = [u for u in d["units"] if (u["kind"], u["code"]) == ("body", "transport")]
    assert transport["accepted"] == 1 and transport["name_zh"] == "市交通运输局"
    assert transport["overdue"] == transport["owed"] - 1
    assert d["totals"]["overdue"] == sum(1 for s in statuses if s.overdue)
    # the inventory's totals are the inventory page's, the synergy degree the synergy page's
    inv = r["inventory"]
    expected = [t for t in year_totals(p.inventory(), load_gwp("AR5")) if t["year"] <= 2025]
    assert inv["available"] and inv["totals"] == expected
    assert inv["years"] == [t["year"] for t in expected]
    frame = p.synergy()
    assert [(s["year"], s["d"]) for s in r["synergy"]["series"]] == [
        (int(y), float(v)) for y, v in zip(frame["year"], frame["d"], strict=True) if y <= 2025
    ]
    # risks: every target at risk, off track or missed, and every unit with overdue reports
    risky = {t["id"] for t in r["targets"] if t["status"] in {"at_risk", "off_track", "missed"}}
    texts = " ".join(x["text"] for x in r["risks"])
    assert all(f"（{i}）" in texts for i in risky)
    assert "市交通运输局有" in texts


def test_next_years_priorities(demo_platform: Platform) -> None:
    """For 2024: every target due in 2025 and not achieved is a priority, none achieved is;
    every milestone due in 2025 and not done is one."""
    p = demo_platform
    r = annual_report_record(p, 2024, actor=REVIEWER, today=LATER)
    due = [
        t for t in r["targets"] if t["deadline"].startswith("2025") and t["status"] != "achieved"
    ]
    listed = [x["text"] for x in r["priorities"] if x["kind"] == "due"]
    assert len(listed) == len(due) > 0
    assert all(x.startswith(t["indicator_zh"]) for x, t in zip(listed, due, strict=True))
    done = [t for t in r["targets"] if t["status"] == "achieved"]
    assert not any(f"{t['indicator_zh']}：{t['deadline']}到期" in listed for t in done)
    states = p.measure_statuses(dt.date(2024, 12, 31))
    open_milestones = [
        s
        for ms in states.values()
        for s in ms.milestones
        if s.due.year == 2025 and s.state.value != "done"
    ]
    assert len([x for x in r["priorities"] if x["kind"] == "milestone"]) == len(open_milestones)


def test_the_year_running_is_judged_today_and_a_year_to_come_is_refused(
    platform: Platform,
) -> None:
    today = dt.date(2026, 6, 30)
    r = annual_report_record(platform, 2026, actor=REVIEWER, today=today)
    assert r["status_day"] == "2026-06-30"
    assert r["inventory"] == {"available": False, "reason": r["inventory"]["reason"]}
    with pytest.raises(NotFound, match="2027"):
        annual_report_record(platform, 2027, actor=REVIEWER, today=today)


@pytest.mark.parametrize(
    "who",
    [
        TRANSPORT,
        Principal("d-1", Role.DISTRICT, district="jiangan"),
        Principal("v-1", Role.VIEWER),
    ],
)
def test_only_the_bureau(platform: Platform, who: Principal) -> None:
    with pytest.raises(Forbidden):
        annual_report_record(platform, 2025, actor=who, today=LATER)


def test_the_same_data_give_the_same_record(demo_platform: Platform) -> None:
    """Reproducible: a second platform on the same database (another process's view) gives
    the same record, data version included."""
    first = annual_report_record(demo_platform, 2025, actor=REVIEWER, today=LATER)
    other = Platform(engine=demo_platform.engine, plan_id=demo_platform.plan_id)
    assert annual_report_record(other, 2025, actor=REVIEWER, today=LATER) == first
