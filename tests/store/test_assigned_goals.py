"""Figures the plan leaves to the province's assignment: entered with their document, audited,
kept across `init`, and then judged; the plan's own figures cannot be overridden."""

from __future__ import annotations

import datetime as dt

import pytest

from xietong.errors import GoalRefused, NotFound
from xietong.plan.progress import Status
from xietong.service.platform import Platform
from xietong.store import repository
from xietong.store.database import session_scope


def test_an_assigned_goal_is_entered_then_judged(demo_platform: Platform) -> None:
    p = demo_platform
    day = dt.date(2026, 1, 15)
    assert p.assessments(day)["good-air-days-2025"].status is Status.UNJUDGED
    plan = p.assign_goal("good-air-days-2025", 75.0, source="省厅任务书 (例)", actor="alice")
    t = plan.target("good-air-days-2025")
    assert (t.value, t.goal_source, t.goal_pending) == (75.0, "省厅任务书 (例)", False)
    judged = p.assessments(day)["good-air-days-2025"]
    assert judged.status in (Status.ACHIEVED, Status.MISSED)
    with session_scope(p.engine) as s:
        entry = repository.audit_entries(s, 1)[0]
    assert (entry.actor, entry.action, entry.detail["value"]) == ("alice", "goal.assign", 75.0)
    # kept across init, and a correction replaces it (the audit keeps the old figure)
    p.init(demo=True, activity=False)
    assert p.plan().target("good-air-days-2025").value == 75.0
    p.assign_goal("good-air-days-2025", 80.0, source="省厅任务书 (修订)", actor="bob")
    with session_scope(p.engine) as s:
        assert repository.audit_entries(s, 1)[0].detail["old"] == 75.0


@pytest.mark.parametrize(
    ("target", "value", "source", "error"),
    [
        ("coal-share-2025", 25.0, "x", GoalRefused),  # the plan gives 30 %
        ("pm25-2025", float("nan"), "x", GoalRefused),
        ("pm25-2025", 35.0, "  ", GoalRefused),
        ("no-such", 1.0, "x", NotFound),
    ],
)
def test_what_cannot_be_entered(
    platform: Platform, target: str, value: float, source: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        platform.assign_goal(target, value, source=source, actor="t")
    assert platform.plan().target("pm25-2025").value is None
