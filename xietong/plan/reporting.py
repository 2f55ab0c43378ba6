"""The reporting cycle of the task ledger (pure: no storage, no web).

The plan asks every responsible body and district to report on its tasks every year, and the
bureau to review (七、强化组织实施; measures 24 and 26). The bureau opens a reporting period
(annual, or a quarter); in it every task is owed one report by each unit that carries it out:
its lead body, each cooperating body, and each district it covers (the plan's standing clause
以下均需各区人民政府…落实). A report goes

    (none) ─save→ draft ─submit→ submitted ─accept→ accepted
                    ↑                 │
                    └──save/submit── returned ←return (with a comment)

A returned report is resubmitted (its ``round`` counts the submissions). Reporters write only
while the period is open and the report is theirs to write (none, draft or returned); reviewers
return (a comment is required) or accept a submitted report. A report is overdue once the
period's due date has passed and it has not been submitted or accepted.

Method and words: ``docs/design/task-ledger.md``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from xietong.datafiles import data_path
from xietong.errors import ReportRefused
from xietong.plan.models import Plan
from xietong.plan.tasks import ReportCycle, Task, TaskLedger

GENERIC_DISTRICT_BODY = "district_govs"
"""The plan's body "各区人民政府": its share is reported by each district, not by one body."""


@dataclass(frozen=True)
class ReportingRules:
    """The reporting cycle's defaults (``xietong/data/plans/reporting_rules.yaml``): days
    after a period's end by which its reports are due, and the reminder's text."""

    annual_due_days: int
    quarter_due_days: int
    reminder_zh: str
    reminder_en: str


@lru_cache(maxsize=1)
def load_reporting_rules() -> ReportingRules:
    """The shipped reporting-cycle defaults, read once."""
    raw = yaml.safe_load(data_path("plans", "reporting_rules.yaml").read_text(encoding="utf-8"))
    return ReportingRules(
        annual_due_days=int(raw["annual_due_days"]),
        quarter_due_days=int(raw["quarter_due_days"]),
        reminder_zh=str(raw["reminder"]["zh"]),
        reminder_en=str(raw["reminder"]["en"]),
    )


class ReportState(StrEnum):
    """Where a task report stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class ReportAction(StrEnum):
    """What is done to a task report."""

    SAVE = "save"
    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"


STATE_ZH = {
    None: "未填报",
    ReportState.DRAFT: "草稿",
    ReportState.SUBMITTED: "已提交待审核",
    ReportState.RETURNED: "已退回",
    ReportState.ACCEPTED: "已采纳",
}
STATE_EN = {
    None: "not started",
    ReportState.DRAFT: "draft",
    ReportState.SUBMITTED: "submitted, awaiting review",
    ReportState.RETURNED: "returned",
    ReportState.ACCEPTED: "accepted",
}
ACTION_ZH = {
    ReportAction.SAVE: "保存草稿",
    ReportAction.SUBMIT: "提交",
    ReportAction.RETURN: "退回",
    ReportAction.ACCEPT: "采纳",
}
ACTION_EN = {
    ReportAction.SAVE: "save draft",
    ReportAction.SUBMIT: "submit",
    ReportAction.RETURN: "return",
    ReportAction.ACCEPT: "accept",
}

REPORTER_ACTIONS = frozenset({ReportAction.SAVE, ReportAction.SUBMIT})
REVIEWER_ACTIONS = frozenset({ReportAction.RETURN, ReportAction.ACCEPT})

_NEXT: Mapping[tuple[ReportState | None, ReportAction], ReportState] = {
    (None, ReportAction.SAVE): ReportState.DRAFT,
    (ReportState.DRAFT, ReportAction.SAVE): ReportState.DRAFT,
    (ReportState.RETURNED, ReportAction.SAVE): ReportState.DRAFT,
    (None, ReportAction.SUBMIT): ReportState.SUBMITTED,
    (ReportState.DRAFT, ReportAction.SUBMIT): ReportState.SUBMITTED,
    (ReportState.RETURNED, ReportAction.SUBMIT): ReportState.SUBMITTED,
    (ReportState.SUBMITTED, ReportAction.RETURN): ReportState.RETURNED,
    (ReportState.SUBMITTED, ReportAction.ACCEPT): ReportState.ACCEPTED,
}


class TransitionRefused(ReportRefused):
    """An action that the report's state or the period does not allow, in Chinese and English."""


def state_label(state: ReportState | None, lang: str, round_: int = 0) -> str:
    """A report state as people read it (a submitted report that was returned before is
    "resubmitted" / 已重新提交)."""
    if state is ReportState.SUBMITTED and round_ > 1:
        return "已重新提交待审核" if lang == "zh" else "resubmitted, awaiting review"
    return (STATE_ZH if lang == "zh" else STATE_EN)[state]


def next_state(
    state: ReportState | None,
    action: ReportAction,
    *,
    period_open: bool = True,
    comment: str | None = None,
) -> ReportState:
    """The state a report moves to when ``action`` is done to it in ``state``; TransitionRefused
    (zh/en) when the cycle does not allow it: a reporter's action on a closed period, or on a
    report awaiting review or accepted; a review of a report that is not submitted; a return
    without a comment."""
    if action in REPORTER_ACTIONS and not period_open:
        raise TransitionRefused(
            "报送期未开放或已关闭,不能填报",
            "the reporting period is not open: nothing can be saved",
        )
    if action is ReportAction.RETURN and not (comment and comment.strip()):
        raise TransitionRefused("退回时须填写意见", "a return needs a comment")
    found = _NEXT.get((state, action))
    if found is None:
        raise TransitionRefused(
            f"“{STATE_ZH[state]}”的报告不能{ACTION_ZH[action]}",
            f"a report that is {STATE_EN[state]} cannot be given '{ACTION_EN[action]}'",
        )
    return found


class PeriodKind(StrEnum):
    """How long a reporting period runs."""

    ANNUAL = "annual"
    QUARTERLY = "quarterly"


class ReportingPeriod(BaseModel):
    """A reporting period the bureau opened: its id (``2025``, ``2025Q3``), the span it reports
    on, the date its reports are due, and whether it is still open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^\d{4}(Q[1-4])?$")
    kind: PeriodKind
    start: dt.date
    end: dt.date
    due: dt.date
    opened_by: str | None = None
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ReportingPeriod:
        if not self.start <= self.end <= self.due:
            raise ValueError("a period runs start ≤ end ≤ due")
        return self

    @property
    def is_open(self) -> bool:
        """Whether reports may be saved and submitted in it."""
        return self.closed_at is None

    def label(self, lang: str) -> str:
        """``2025年度`` / ``2025``, ``2025年第3季度`` / ``2025 Q3``."""
        year = self.id[:4]
        if self.kind is PeriodKind.ANNUAL:
            return f"{year}年度" if lang == "zh" else year
        q = self.id[-1]
        return f"{year}年第{q}季度" if lang == "zh" else f"{year} Q{q}"


def period_for(
    year: int, quarter: int | None = None, *, due: dt.date | None = None
) -> ReportingPeriod:
    """The annual period of ``year`` (or its ``quarter``), due ``due`` or by default the days
    after its end that :func:`load_reporting_rules` gives (31 after a year, 15 after a
    quarter).

    >>> p = period_for(2025)
    >>> p.id, p.start, p.end, p.due
    ('2025', datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), datetime.date(2026, 1, 31))
    >>> period_for(2025, 3).label("zh")
    '2025年第3季度'
    """
    if not 2000 <= year <= 2100:
        raise ValueError(f"a reporting year from 2000 to 2100, not {year}")
    if quarter is None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        default_due = end + dt.timedelta(days=load_reporting_rules().annual_due_days)
        return ReportingPeriod(
            id=str(year), kind=PeriodKind.ANNUAL, start=start, end=end, due=due or default_due
        )
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"a quarter from 1 to 4, not {quarter}")
    start = dt.date(year, 3 * quarter - 2, 1)
    next_start = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    end = next_start - dt.timedelta(days=1)
    return ReportingPeriod(
        id=f"{year}Q{quarter}",
        kind=PeriodKind.QUARTERLY,
        start=start,
        end=end,
        due=due or end + dt.timedelta(days=load_reporting_rules().quarter_due_days),
    )


UnitKind = Literal["body", "district"]


@dataclass(frozen=True, order=True)
class Obligation:
    """One report owed in a period: task ``task_id`` by the body or district ``unit``, as its
    ``part`` (``lead``, ``cooperating`` or ``district``)."""

    task_id: str
    unit_kind: UnitKind
    unit: str
    part: Literal["lead", "cooperating", "district"]


def task_units(task: Task, plan: Plan) -> list[Obligation]:
    """Who owes a report on ``task``: its lead, each cooperating body (not the generic
    各区人民政府, whose share each district reports) and each district it covers."""
    out = [Obligation(task.id, "body", task.lead, "lead")]
    out += [
        Obligation(task.id, "body", b, "cooperating")
        for b in task.cooperating
        if b != GENERIC_DISTRICT_BODY and b != task.lead
    ]
    out += [
        Obligation(task.id, "district", d.code, "district")
        for d in plan.districts
        if task.covers(d.code)
    ]
    return out


def obligations(ledger: TaskLedger, plan: Plan, period: ReportingPeriod) -> list[Obligation]:
    """Every report owed in ``period``: each task reported at its cycle (an annual period
    holds every task; a quarterly one the quarterly tasks), by each of its units."""
    tasks = (
        ledger.tasks
        if period.kind is PeriodKind.ANNUAL
        else tuple(t for t in ledger.tasks if t.cycle is ReportCycle.QUARTERLY)
    )
    return [o for t in tasks for o in task_units(t, plan)]


@dataclass(frozen=True)
class ReportStatus:
    """An obligation and where its report stands in the period (``state`` None: not
    started); ``overdue`` once the due date has passed and it is neither submitted nor
    accepted."""

    obligation: Obligation
    state: ReportState | None
    round: int
    overdue: bool


def is_overdue(state: ReportState | None, period: ReportingPeriod, today: dt.date) -> bool:
    """Whether a report in ``state`` is overdue on ``today``."""
    return today > period.due and state not in (ReportState.SUBMITTED, ReportState.ACCEPTED)


def statuses(
    owed: Iterable[Obligation],
    stored: Mapping[tuple[str, str, str], tuple[ReportState, int]],
    period: ReportingPeriod,
    today: dt.date,
) -> list[ReportStatus]:
    """Each obligation with its stored report's state and round (keyed by task id, unit kind
    and unit), judged for lateness on ``today``."""
    out = []
    for o in owed:
        state, round_ = stored.get((o.task_id, o.unit_kind, o.unit), (None, 0))
        out.append(ReportStatus(o, state, round_, is_overdue(state, period, today)))
    return out


@dataclass(frozen=True)
class UnitSummary:
    """A body's or district's reports in a period: owed, and how many are in each state."""

    unit_kind: UnitKind
    unit: str
    owed: int
    not_started: int
    draft: int
    submitted: int
    returned: int
    accepted: int
    overdue: int

    @property
    def reported(self) -> int:
        """Reports submitted at least once and not returned since (submitted or accepted)."""
        return self.submitted + self.accepted


def summarise(found: Sequence[ReportStatus]) -> list[UnitSummary]:
    """One summary per unit (bodies first, then districts, each by code)."""
    groups: dict[tuple[UnitKind, str], list[ReportStatus]] = {}
    for s in found:
        groups.setdefault((s.obligation.unit_kind, s.obligation.unit), []).append(s)
    out = []
    for (kind, unit), items in sorted(groups.items()):
        counts = Counter(s.state for s in items)
        out.append(
            UnitSummary(
                unit_kind=kind,
                unit=unit,
                owed=len(items),
                not_started=counts[None],
                draft=counts[ReportState.DRAFT],
                submitted=counts[ReportState.SUBMITTED],
                returned=counts[ReportState.RETURNED],
                accepted=counts[ReportState.ACCEPTED],
                overdue=sum(s.overdue for s in items),
            )
        )
    return out


class FigureEntry(BaseModel):
    """A figure a task report gives for one of its targets: the value in ``unit`` (default
    the target's), city-wide or for ``district``, with its evidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target_id: str
    value: float
    unit: str | None = None
    district: str | None = None
    evidence: str | None = Field(default=None, max_length=2000)


class MilestoneEntry(BaseModel):
    """A milestone state a task report gives (未启动/推进中/已完成) on ``date``, city-wide or
    for ``district``, with its evidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    milestone_id: str
    state: Literal["not_started", "in_progress", "done"]
    date: dt.date
    district: str | None = None
    evidence: str | None = Field(default=None, max_length=2000)


MAX_PROGRESS_CHARS = 5000
"""The longest progress narrative a report takes (characters)."""


class TaskReport(BaseModel):
    """A unit's report on a task in a period: the narrative of progress (进展情况), the
    figures of the task's targets and the states of its milestones, where the report stands,
    who wrote, submitted and reviewed it, and the reviewer's last comment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int | None = None
    period_id: str
    task_id: str
    unit_kind: UnitKind
    unit: str
    state: ReportState
    round: int = 0
    progress: str = Field(default="", max_length=MAX_PROGRESS_CHARS)
    figures: tuple[FigureEntry, ...] = ()
    milestones: tuple[MilestoneEntry, ...] = ()
    updated_by: str | None = None
    updated_at: dt.datetime | None = None
    submitted_by: str | None = None
    submitted_at: dt.datetime | None = None
    reviewed_by: str | None = None
    reviewed_at: dt.datetime | None = None
    comment: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """The obligation it answers: (task id, unit kind, unit)."""
        return (self.task_id, self.unit_kind, self.unit)


class Attachment(BaseModel):
    """An evidence file of a task report (its bytes are kept outside the database, found by
    their SHA-256)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    report_id: int
    filename: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: dt.datetime


class Reminder(BaseModel):
    """A reminder (催办) the bureau sent a unit about its reports of a period, with how many
    were overdue when it was sent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    period_id: str
    unit_kind: UnitKind
    unit: str
    message: str
    overdue: int
    sent_by: str
    sent_at: dt.datetime
