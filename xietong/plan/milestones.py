"""Milestones of measures without a number, their reported states, and a measure's status.

A milestone's state is reported with evidence and a date (``not_started``, ``in_progress``,
``done``); it is ``late`` (滞后) once its due date has passed and it is not done. A measure's
status follows from its targets and milestones by the rule of ``docs/methods/status.md``
("Milestones and measure status"):

* 已完成 ``done``: every milestone done and every target achieved (at least one of either);
* 滞后 ``late``: any milestone late, or any target missed or off track;
* 推进中 ``in_progress``: any milestone in progress or done, or any target judged on a value;
* 未启动 ``not_started``: otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from xietong.plan.models import Applies, Measure, Milestone, Plan
from xietong.plan.progress import Assessment, Status


class MilestoneState(StrEnum):
    """A milestone's or a measure's qualitative status."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    LATE = "late"


STATE_ZH = {
    MilestoneState.NOT_STARTED: "未启动",
    MilestoneState.IN_PROGRESS: "推进中",
    MilestoneState.DONE: "已完成",
    MilestoneState.LATE: "滞后",
}
"""The Chinese label of each state (the reports; the pages use the messages file)."""


class MilestoneReport(BaseModel):
    """A reported state of a milestone on a date, with its evidence (city-wide, or one
    district's own report)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    milestone_id: str
    date: dt.date
    state: MilestoneState
    district: str | None = None
    reported_by: str | None = None
    evidence: str | None = None
    demo: bool = False


class MilestoneStatus(BaseModel):
    """A milestone's status on a date and the report it rests on."""

    model_config = ConfigDict(frozen=True)

    milestone_id: str
    state: MilestoneState
    due: dt.date
    report: MilestoneReport | None = None
    reason: str = Field(description="why, in English")
    reason_zh: str = ""

    def reason_in(self, lang: str) -> str:
        """The reason in ``lang`` ("zh" or "en")."""
        return self.reason_zh if lang == "zh" and self.reason_zh else self.reason


def milestone_status(
    milestone: Milestone,
    reports: Iterable[MilestoneReport],
    as_of: dt.date,
    district: str | None = None,
) -> MilestoneStatus:
    """The status of ``milestone`` on ``as_of``: the latest report dated by then (city-wide,
    or the district's), ``late`` when the due date has passed and it is not done.

    >>> import datetime as dt
    >>> from xietong.plan.models import Milestone
    >>> m = Milestone(id="x", text={"zh": "制定方案", "en": "issue the plan"},
    ...               clause="制定方案", due=dt.date(2024, 12, 31))
    >>> r = MilestoneReport(milestone_id="x", date=dt.date(2024, 6, 30), state="in_progress")
    >>> milestone_status(m, [r], dt.date(2024, 7, 1)).state.value
    'in_progress'
    >>> milestone_status(m, [r], dt.date(2025, 1, 1)).state.value
    'late'
    """
    mine = [
        r
        for r in reports
        if r.milestone_id == milestone.id and r.district == district and r.date <= as_of
    ]
    latest = max(mine, key=lambda r: r.date) if mine else None
    state = latest.state if latest else MilestoneState.NOT_STARTED
    overdue = as_of > milestone.due and state is not MilestoneState.DONE
    if overdue:
        return MilestoneStatus(
            milestone_id=milestone.id,
            state=MilestoneState.LATE,
            due=milestone.due,
            report=latest,
            reason=f"due {milestone.due.isoformat()} and not done",
            reason_zh=f"期限{milestone.due.isoformat()}已过,尚未完成",
        )
    if latest is None:
        return MilestoneStatus(
            milestone_id=milestone.id,
            state=state,
            due=milestone.due,
            reason="no report yet",
            reason_zh="尚无报送",
        )
    return MilestoneStatus(
        milestone_id=milestone.id,
        state=state,
        due=milestone.due,
        report=latest,
        reason=f"reported on {latest.date.isoformat()}",
        reason_zh=f"{latest.date.isoformat()}报送",
    )


def city_milestone_status(
    milestone: Milestone,
    reports: Sequence[MilestoneReport],
    as_of: dt.date,
    districts: Sequence[str],
) -> MilestoneStatus:
    """A milestone's city-wide status. An every-district milestone without a city-wide report
    is judged on the districts' own: ``done`` when every district is done, ``late`` when any
    is late, ``in_progress`` when any has started."""
    own = [r for r in reports if r.milestone_id == milestone.id and r.district is None]
    if milestone.applies is not Applies.EVERY_DISTRICT or own or not districts:
        return milestone_status(milestone, reports, as_of)
    each = [milestone_status(milestone, reports, as_of, d).state for d in districts]
    done = each.count(MilestoneState.DONE)
    if done == len(each):
        state = MilestoneState.DONE
    elif MilestoneState.LATE in each:
        state = MilestoneState.LATE
    elif done or MilestoneState.IN_PROGRESS in each:
        state = MilestoneState.IN_PROGRESS
    else:
        state = MilestoneState.NOT_STARTED
    return MilestoneStatus(
        milestone_id=milestone.id,
        state=state,
        due=milestone.due,
        reason=f"{done} of {len(each)} districts done, {each.count(MilestoneState.LATE)} late",
        reason_zh=f"{len(each)}个区中{done}个已完成,{each.count(MilestoneState.LATE)}个滞后",
    )


def measure_status(
    measure: Measure,
    milestones: Sequence[MilestoneStatus],
    assessments: Sequence[Assessment],
) -> MilestoneState:
    """A measure's status from its milestones' and its targets' statuses (module rule)."""
    states = [m.state for m in milestones]
    statuses = [a.status for a in assessments]
    judged = [s for s in statuses if s.judged]
    if (
        (states or statuses)
        and all(s is MilestoneState.DONE for s in states)
        and all(s is Status.ACHIEVED for s in statuses)
    ):
        return MilestoneState.DONE
    if MilestoneState.LATE in states or any(
        s in (Status.MISSED, Status.OFF_TRACK) for s in statuses
    ):
        return MilestoneState.LATE
    if any(s in (MilestoneState.IN_PROGRESS, MilestoneState.DONE) for s in states) or judged:
        return MilestoneState.IN_PROGRESS
    return MilestoneState.NOT_STARTED


class MeasureStatus(BaseModel):
    """A measure's status, what it rests on, and its milestones' statuses.

    ``on_estimate`` is true when a target status it used rests on estimates or demo figures, or
    a milestone report it used is demo: the status is then shown as 依估算 (docs/user)."""

    model_config = ConfigDict(frozen=True)

    measure: int
    state: MilestoneState
    on_estimate: bool
    milestones: list[MilestoneStatus]


def measure_statuses(
    plan: Plan,
    reports: Sequence[MilestoneReport],
    assessments: Mapping[str, Assessment],
    as_of: dt.date,
) -> dict[int, MeasureStatus]:
    """Every measure's status with its milestones' city-wide statuses, by measure number."""
    out: dict[int, MeasureStatus] = {}
    districts = [d.code for d in plan.districts]
    for m in plan.measures:
        ms = [city_milestone_status(x, reports, as_of, districts) for x in m.milestones]
        targets = [assessments[t.id] for t in plan.targets_of_measure(m.number)]
        demo_reports = any(
            r.demo and r.date <= as_of
            for x in m.milestones
            for r in reports
            if r.milestone_id == x.id
        )
        out[m.number] = MeasureStatus(
            measure=m.number,
            state=measure_status(m, ms, targets),
            on_estimate=demo_reports or any(a.on_estimate for a in targets),
            milestones=ms,
        )
    return out


HEADERS = {
    "milestone_id": ("milestone_id", "里程碑编号"),
    "date": ("date", "日期"),
    "state": ("state", "状态"),
    "district": ("district", "区"),
    "reported_by": ("reported_by", "报送单位"),
    "evidence": ("evidence", "佐证材料"),
}
"""Columns of a milestone table (English or Chinese headers); the first three are required."""

STATE_WORDS = {  # the states a body reports; ``late`` follows from the due date
    "not_started": MilestoneState.NOT_STARTED,
    "未启动": MilestoneState.NOT_STARTED,
    "in_progress": MilestoneState.IN_PROGRESS,
    "推进中": MilestoneState.IN_PROGRESS,
    "done": MilestoneState.DONE,
    "已完成": MilestoneState.DONE,
}


def parse_milestone_rows(
    plan: Plan,
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    *,
    allowed: Callable[[Measure, Milestone, str | None, str | None], str | None] | None = None,
) -> tuple[list[MilestoneReport], list[tuple[int, str, str]]]:
    """Milestone reports from a table (header row, then data rows numbered from 2), and every
    problem as ``(row, column, reason)``: unknown milestone or district, a date that is not
    one, a state that is not 未启动/推进中/已完成 (``late`` is derived, never reported), or a
    row ``allowed(measure, milestone, district, reported_by)`` refuses (the reason it
    gives)."""
    names = {
        str(h).strip().lstrip("\ufeff") if h is not None else "": i for i, h in enumerate(header)
    }
    cols: dict[str, int] = {}
    problems: list[tuple[int, str, str]] = []
    for key, spellings in HEADERS.items():
        for s in spellings:
            if s in names:
                cols[key] = names[s]
    for key in ("milestone_id", "date", "state"):
        if key not in cols:
            problems.append((1, key, f"missing column '{key}' ({HEADERS[key][1]})"))
    if problems:
        return [], problems
    owners = {ms.id: (m, ms) for m, ms in plan.milestones()}
    known = owners.keys()
    districts = {d.code for d in plan.districts} | {
        d.name.zh: d.code for d in plan.districts
    }.keys()
    codes = {d.name.zh: d.code for d in plan.districts}
    out: list[MilestoneReport] = []
    for n, row in enumerate(rows, start=2):

        def cell(key: str, row: Sequence[object] = row) -> str:
            i = cols.get(key)
            v = row[i] if i is not None and i < len(row) else None
            return "" if v is None else str(v).strip()

        if not any(cell(k) for k in cols):
            continue
        bad = False
        mid = cell("milestone_id")
        if mid not in known:
            problems.append((n, "milestone_id", f"no milestone '{mid[:64]}' in the plan"))
            bad = True
        raw_date = cell("date")[:10]
        try:
            day = dt.date.fromisoformat(raw_date)
        except ValueError:
            problems.append((n, "date", f"'{raw_date}' is not a date (YYYY-MM-DD)"))
            bad = True
        state = STATE_WORDS.get(cell("state"))
        if state is None:
            problems.append(
                (
                    n,
                    "state",
                    f"'{cell('state')[:32]}' is not 未启动/推进中/已完成 "
                    "(not_started, in_progress, done)",
                )
            )
            bad = True
        district = cell("district") or None
        if district is not None and district not in districts:
            problems.append((n, "district", f"no district '{district[:64]}'"))
            bad = True
        if bad:
            continue
        assert state is not None
        code = codes.get(district, district) if district else None
        if allowed is not None:
            measure, milestone = owners[mid]
            refused = allowed(measure, milestone, code, cell("reported_by") or None)
            if refused is not None:
                problems.append((n, "milestone_id", refused))
                continue
        evidence = cell("evidence") or None
        out.append(
            MilestoneReport(
                milestone_id=mid,
                date=day,
                state=state,
                district=code,
                reported_by=cell("reported_by") or None,
                evidence=evidence,
                demo=bool(evidence and "演示数据" in evidence),
            )
        )
    return out, problems
