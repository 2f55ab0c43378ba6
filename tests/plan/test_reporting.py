"""The reporting cycle's rules: states and actions, periods, who owes which report, lateness and
the summary per body and district."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.plan.models import Plan
from xietong.plan.reporting import (
    GENERIC_DISTRICT_BODY,
    PeriodKind,
    ReportAction,
    ReportState,
    TransitionRefused,
    is_overdue,
    next_state,
    obligations,
    period_for,
    state_label,
    statuses,
    summarise,
    task_units,
)
from xietong.plan.tasks import TaskLedger, load_task_ledger


@pytest.fixture(scope="module")
def ledger(plan: Plan) -> TaskLedger:
    return load_task_ledger(plan)


def test_the_cycle_draft_submit_return_resubmit_accept() -> None:
    s = next_state(None, ReportAction.SAVE)
    assert s is ReportState.DRAFT
    s = next_state(s, ReportAction.SUBMIT)
    assert s is ReportState.SUBMITTED
    s = next_state(s, ReportAction.RETURN, comment="缺少证明材料")
    assert s is ReportState.RETURNED
    s = next_state(s, ReportAction.SUBMIT)
    assert s is ReportState.SUBMITTED
    assert next_state(s, ReportAction.ACCEPT) is ReportState.ACCEPTED


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (ReportState.SUBMITTED, ReportAction.SAVE),
        (ReportState.SUBMITTED, ReportAction.SUBMIT),
        (ReportState.ACCEPTED, ReportAction.SAVE),
        (ReportState.ACCEPTED, ReportAction.SUBMIT),
        (ReportState.ACCEPTED, ReportAction.RETURN),
        (None, ReportAction.ACCEPT),
        (ReportState.DRAFT, ReportAction.ACCEPT),
        (ReportState.RETURNED, ReportAction.ACCEPT),
        (ReportState.DRAFT, ReportAction.RETURN),
    ],
)
def test_refused_transitions_say_why_in_both_languages(
    state: ReportState | None, action: ReportAction
) -> None:
    with pytest.raises(TransitionRefused) as found:
        next_state(state, action, comment="意见")
    assert found.value.zh and found.value.en
    assert "不能" in found.value.zh


def test_a_return_needs_a_comment_and_a_closed_period_takes_no_report() -> None:
    with pytest.raises(TransitionRefused, match="意见"):
        next_state(ReportState.SUBMITTED, ReportAction.RETURN, comment="  ")
    with pytest.raises(TransitionRefused, match="报送期"):
        next_state(ReportState.DRAFT, ReportAction.SUBMIT, period_open=False)
    # a review is still possible once the period is closed
    assert next_state(ReportState.SUBMITTED, ReportAction.ACCEPT, period_open=False) is (
        ReportState.ACCEPTED
    )


@given(st.lists(st.sampled_from(list(ReportAction)), max_size=30))
def test_any_sequence_of_actions_keeps_the_cycle(actions: list[ReportAction]) -> None:
    """Whatever is tried, the report only moves along the cycle: accepted only from submitted,
    nothing after accepted, and a reviewer's action only on a submitted report."""
    state: ReportState | None = None
    for action in actions:
        try:
            new = next_state(state, action, comment="意见")
        except TransitionRefused:
            continue
        if new is ReportState.ACCEPTED or action in (ReportAction.RETURN, ReportAction.ACCEPT):
            assert state is ReportState.SUBMITTED
        assert state is not ReportState.ACCEPTED
        state = new


def test_labels_say_resubmitted() -> None:
    assert state_label(ReportState.SUBMITTED, "zh", 2) == "已重新提交待审核"
    assert state_label(ReportState.SUBMITTED, "zh", 1) == "已提交待审核"
    assert state_label(None, "zh") == "未填报"
    assert state_label(ReportState.RETURNED, "en") == "returned"


def test_periods() -> None:
    year = period_for(2025)
    assert (year.kind, year.start, year.end, year.due) == (
        PeriodKind.ANNUAL,
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 31),
    )
    q4 = period_for(2025, 4)
    assert (q4.id, q4.start, q4.end, q4.due) == (
        "2025Q4",
        dt.date(2025, 10, 1),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 15),
    )
    assert period_for(2024, 1).end == dt.date(2024, 3, 31)
    assert period_for(2026, due=dt.date(2027, 3, 1)).due == dt.date(2027, 3, 1)
    for bad in ((1999, None), (2025, 5)):
        with pytest.raises(ValueError):
            period_for(*bad)
    with pytest.raises(ValueError):
        period_for(2025, due=dt.date(2025, 6, 1))  # due before the period ends


def test_who_owes_a_report(plan: Plan, ledger: TaskLedger) -> None:
    task = ledger.task("m01-8")  # 武昌区 only
    owed = task_units(task, plan)
    assert [(o.unit_kind, o.unit, o.part) for o in owed if o.unit_kind == "district"] == [
        ("district", "wuchang", "district")
    ]
    assert owed[0].unit == task.lead and owed[0].part == "lead"
    every = ledger.task("m01-1")
    districts = [o.unit for o in task_units(every, plan) if o.unit_kind == "district"]
    assert districts == [d.code for d in plan.districts]
    for t in ledger.tasks:
        units = task_units(t, plan)
        assert all(o.unit != GENERIC_DISTRICT_BODY for o in units)
        assert len(units) == len(set(units))
    annual = obligations(ledger, plan, period_for(2025))
    assert {o.task_id for o in annual} == {t.id for t in ledger.tasks}
    assert obligations(ledger, plan, period_for(2025, 1)) == []  # no task is quarterly yet


def test_lateness_and_the_summary(plan: Plan, ledger: TaskLedger) -> None:
    period = period_for(2025)
    owed = task_units(ledger.task("m01-8"), plan)
    lead = owed[0]
    stored = {(lead.task_id, lead.unit_kind, lead.unit): (ReportState.ACCEPTED, 1)}
    before_due = statuses(owed, stored, period, dt.date(2026, 1, 31))
    assert not any(s.overdue for s in before_due)
    after_due = statuses(owed, stored, period, dt.date(2026, 2, 1))
    assert [s.overdue for s in after_due] == [False] + [True] * (len(owed) - 1)
    assert not is_overdue(ReportState.SUBMITTED, period, dt.date(2030, 1, 1))
    assert is_overdue(ReportState.RETURNED, period, dt.date(2030, 1, 1))
    summary = {(u.unit_kind, u.unit): u for u in summarise(after_due)}
    lead_summary = summary[("body", lead.unit)]
    assert (lead_summary.owed, lead_summary.accepted, lead_summary.reported) == (1, 1, 1)
    assert lead_summary.overdue == 0
    wuchang = summary[("district", "wuchang")]
    assert (wuchang.owed, wuchang.not_started, wuchang.overdue) == (1, 1, 1)
    assert sum(u.owed for u in summary.values()) == len(owed)


def test_the_defaults_come_from_the_data_file() -> None:
    from xietong.plan.reporting import load_reporting_rules

    rules = load_reporting_rules()
    assert (rules.annual_due_days, rules.quarter_due_days) == (31, 15)
    assert period_for(2025).due == dt.date(2025, 12, 31) + dt.timedelta(days=rules.annual_due_days)
    assert "考核" in rules.reminder_zh and "assessment" in rules.reminder_en
