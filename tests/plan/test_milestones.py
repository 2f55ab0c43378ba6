"""Milestones: reported states, 滞后 past the due date, every-district milestones, the measure
status rule (docs/methods/status.md, "Milestones and measure status"), and the table parser."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.plan.milestones import (
    MilestoneReport,
    MilestoneState,
    MilestoneStatus,
    city_milestone_status,
    measure_status,
    measure_statuses,
    milestone_status,
    parse_milestone_rows,
)
from xietong.plan.models import Milestone, Plan
from xietong.plan.progress import Assessment, Status

DUE = dt.date(2025, 12, 31)
M = Milestone(id="m", text={"zh": "制定方案", "en": "issue the plan"}, clause="制定方案", due=DUE)
EVERY = Milestone(
    id="e",
    text={"zh": "各区实施", "en": "each district acts"},
    clause="指导各区开展",
    due=DUE,
    applies="every_district",
)


def _r(state: str, day: dt.date, mid: str = "m", district: str | None = None) -> MilestoneReport:
    return MilestoneReport(
        milestone_id=mid, date=day, state=MilestoneState(state), district=district
    )


def test_the_latest_report_by_the_day_counts() -> None:
    reports = [_r("in_progress", dt.date(2024, 6, 30)), _r("done", dt.date(2025, 3, 1))]
    assert milestone_status(M, reports, dt.date(2024, 1, 1)).state is MilestoneState.NOT_STARTED
    assert milestone_status(M, reports, dt.date(2024, 7, 1)).state is MilestoneState.IN_PROGRESS
    done = milestone_status(M, reports, dt.date(2025, 3, 1))
    assert done.state is MilestoneState.DONE and done.report == reports[1]


def test_past_due_and_not_done_is_late() -> None:
    reports = [_r("in_progress", dt.date(2024, 6, 30))]
    assert milestone_status(M, reports, DUE).state is MilestoneState.IN_PROGRESS
    late = milestone_status(M, reports, DUE + dt.timedelta(days=1))
    assert late.state is MilestoneState.LATE and "2025-12-31" in late.reason
    assert milestone_status(M, [], DUE + dt.timedelta(days=1)).state is MilestoneState.LATE
    done = [*reports, _r("done", DUE)]
    assert milestone_status(M, done, dt.date(2027, 1, 1)).state is MilestoneState.DONE


def test_an_every_district_milestone_is_judged_on_the_districts() -> None:
    day = dt.date(2025, 6, 1)
    districts = ["d1", "d2"]
    reports = [_r("done", dt.date(2025, 1, 1), "e", "d1")]
    st_ = city_milestone_status(EVERY, reports, day, districts)
    assert st_.state is MilestoneState.IN_PROGRESS and "1" in st_.reason
    reports.append(_r("done", dt.date(2025, 2, 1), "e", "d2"))
    assert city_milestone_status(EVERY, reports, day, districts).state is MilestoneState.DONE
    after = city_milestone_status(EVERY, reports[:1], DUE + dt.timedelta(days=1), districts)
    assert after.state is MilestoneState.LATE
    # a city-wide report decides when there is one
    city = [*reports[:1], _r("done", dt.date(2025, 3, 1), "e")]
    assert city_milestone_status(EVERY, city, day, districts).state is MilestoneState.DONE


def _ms(state: MilestoneState) -> MilestoneStatus:
    return MilestoneStatus(milestone_id="m", state=state, due=DUE, reason="given")


def _a(status: Status) -> Assessment:
    return Assessment(target_id="t", status=status, reason="given")


milestone_states = st.lists(st.sampled_from(list(MilestoneState)), max_size=4)
target_statuses = st.lists(st.sampled_from(list(Status)), max_size=4)


@given(milestone_states, target_statuses)
def test_measure_status_rule(states: list[MilestoneState], statuses: list[Status]) -> None:
    got = measure_status(None, [_ms(s) for s in states], [_a(s) for s in statuses])  # type: ignore[arg-type]
    judged = [s for s in statuses if s not in (Status.NO_DATA, Status.UNJUDGED)]
    if (
        (states or statuses)
        and all(s is MilestoneState.DONE for s in states)
        and all(s is Status.ACHIEVED for s in statuses)
    ):
        assert got is MilestoneState.DONE
    elif MilestoneState.LATE in states or {Status.MISSED, Status.OFF_TRACK} & set(statuses):
        assert got is MilestoneState.LATE
    elif {MilestoneState.IN_PROGRESS, MilestoneState.DONE} & set(states) or judged:
        assert got is MilestoneState.IN_PROGRESS
    else:
        assert got is MilestoneState.NOT_STARTED


def test_every_wuhan_measure_gets_a_status(plan: Plan) -> None:
    assessments = {t.id: _a(Status.NO_DATA) for t in plan.targets}
    found = measure_statuses(plan, [], assessments, dt.date(2024, 1, 1))
    assert sorted(found) == list(range(1, 27))
    assert all(not s.on_estimate for s in found.values())


def test_a_demo_report_marks_the_measure_status_as_an_estimate(plan: Plan) -> None:
    m, ms = plan.milestones()[0]
    assessments = {t.id: _a(Status.NO_DATA) for t in plan.targets}
    demo = MilestoneReport(
        milestone_id=ms.id, date=dt.date(2023, 6, 1), state="in_progress", demo=True
    )
    found = measure_statuses(plan, [demo], assessments, dt.date(2023, 7, 1))
    assert found[m.number].on_estimate


HEADER = ["milestone_id", "date", "state", "district", "reported_by", "evidence"]


def test_the_parser_reads_chinese_states_and_headers(plan: Plan) -> None:
    _, ms = plan.milestones()[0]
    rows = [[ms.id, "2024-06-30", "推进中", "", "eeb", "会议纪要"]]
    got, problems = parse_milestone_rows(
        plan, ["里程碑编号", "日期", "状态", "区", "报送单位", "佐证材料"], rows
    )
    assert problems == []
    assert got[0].state is MilestoneState.IN_PROGRESS and got[0].date == dt.date(2024, 6, 30)
    got, _ = parse_milestone_rows(plan, HEADER, [[ms.id, "2024-06-30", "done", "洪山区", "", ""]])
    assert got[0].district == "hongshan"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["no-such", "2024-06-30", "done", "", "", ""], "milestone_id"),
        (["{id}", "2024-13-30", "done", "", "", ""], "date"),
        (["{id}", "2024-06-30", "late", "", "", ""], "state"),
        (["{id}", "2024-06-30", "finished", "", "", ""], "state"),
        (["{id}", "2024-06-30", "done", "火星区", "", ""], "district"),
    ],
)
def test_the_parser_names_every_bad_cell(plan: Plan, row: list[str], column: str) -> None:
    _, ms = plan.milestones()[0]
    good = [ms.id, "2024-06-30", "done", "", "", ""]
    bad = [c.format(id=ms.id) for c in row]
    got, problems = parse_milestone_rows(plan, HEADER, [good, bad])
    assert [(p[0], p[1]) for p in problems] == [(3, column)]
    assert len(got) == 1  # the good row parses; the import refuses the table as a whole


def test_the_parser_needs_its_columns(plan: Plan) -> None:
    _, problems = parse_milestone_rows(plan, ["milestone_id", "state"], [])
    assert [(p[0], p[1]) for p in problems] == [(1, "date")]
