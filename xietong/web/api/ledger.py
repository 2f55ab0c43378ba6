"""/api/v1/tasks and /api/v1/reporting: the task ledger, the reporting periods, the task
reports of bodies and districts and the bureau's review, the summary and the overdue list."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Path, Query, UploadFile
from pydantic import BaseModel, Field

from xietong.files.attachments import MAX_BYTES
from xietong.plan.reporting import (
    MAX_PROGRESS_CHARS,
    Attachment,
    FigureEntry,
    MilestoneEntry,
    Reminder,
    ReportingPeriod,
    ReportState,
    TaskReport,
)
from xietong.plan.tasks import Task
from xietong.web.auth import PrincipalDep
from xietong.web.deps import PlatformDep

router = APIRouter(tags=["tasks"])

TaskId = Annotated[str, Path(max_length=32, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
PeriodId = Annotated[str, Path(max_length=8, pattern=r"^\d{4}(Q[1-4])?$")]
UnitKindPath = Annotated[Literal["body", "district"], Path()]
UnitPath = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9_]+$")]


class NewPeriod(BaseModel):
    """A reporting period to open: a year, optionally a quarter, optionally its due date."""

    year: int = Field(ge=2000, le=2100)
    quarter: int | None = Field(default=None, ge=1, le=4)
    due: dt.date | None = None


class ReportBody(BaseModel):
    """A task report to save (``submit`` false: a draft) or submit."""

    progress: str = Field(default="", max_length=MAX_PROGRESS_CHARS)
    figures: list[FigureEntry] = Field(default_factory=list, max_length=100)
    milestones: list[MilestoneEntry] = Field(default_factory=list, max_length=100)
    submit: bool = False


class Review(BaseModel):
    """The bureau's decision on a submitted report: accept, or return with a comment."""

    accept: bool
    comment: str | None = Field(default=None, max_length=2000)


class ReportStatusOut(BaseModel):
    """A report owed in a period and where it stands."""

    task_id: str
    unit_kind: str
    unit: str
    part: str
    state: ReportState | None
    round: int
    overdue: bool


class UnitSummaryOut(BaseModel):
    """A body's or district's reports in a period."""

    unit_kind: str
    unit: str
    owed: int
    not_started: int
    draft: int
    submitted: int
    returned: int
    accepted: int
    overdue: int


class HistoryEntry(BaseModel):
    """One change, from the audit log."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    detail: dict[str, Any]


@router.get("/tasks", response_model=list[Task])
def list_tasks(
    platform: PlatformDep,
    principal: PrincipalDep,
    measure: Annotated[int | None, Query(ge=1, le=99)] = None,
    q: Annotated[str, Query(max_length=100)] = "",
    mine: bool = False,
) -> list[Task]:
    """The plan's tasks (``mine``: the account's own: a body's and a district's), optionally
    of one measure or matching ``q`` in id, clause or title."""
    tasks = platform.tasks_for(principal) if mine else platform.task_ledger().tasks
    needle = q.strip().lower()
    return [
        t
        for t in tasks
        if (measure is None or t.measure == measure)
        and (not needle or any(needle in s.lower() for s in (t.id, t.clause, t.text.zh, t.text.en)))
    ]


@router.get("/tasks/{task_id}", response_model=Task)
def get_task(task_id: TaskId, platform: PlatformDep) -> Task:
    """One task."""
    return platform.task(task_id)


@router.get("/tasks/{task_id}/history", response_model=list[HistoryEntry])
def task_history(task_id: TaskId, platform: PlatformDep) -> list[HistoryEntry]:
    """Every change of the task's reports, newest first (who, when, old and new state,
    content before and after, the reviewer's comment)."""
    task = platform.task(task_id)
    return [HistoryEntry(**h) for h in platform.history([f"task:{task.id}"])]


@router.get("/reporting/periods", response_model=list[ReportingPeriod])
def list_periods(platform: PlatformDep) -> list[ReportingPeriod]:
    """The reporting periods opened, newest first."""
    return platform.periods()


@router.post("/reporting/periods", response_model=ReportingPeriod, status_code=201)
def open_period(body: NewPeriod, platform: PlatformDep, principal: PrincipalDep) -> ReportingPeriod:
    """Open a reporting period (the bureau)."""
    return platform.open_period(body.year, body.quarter, due=body.due, actor=principal)


@router.get("/reporting/{period_id}/reports", response_model=list[TaskReport])
def list_reports(
    period_id: PeriodId,
    platform: PlatformDep,
    task_id: Annotated[str | None, Query(max_length=32)] = None,
    state: ReportState | None = None,
) -> list[TaskReport]:
    """The reports saved in a period (optionally of one task, in one state)."""
    return platform.task_reports(
        period_id, task_id=task_id, states=[state] if state is not None else None
    )


@router.put(
    "/reporting/{period_id}/reports/{task_id}/{unit_kind}/{unit}", response_model=TaskReport
)
def save_report(
    period_id: PeriodId,
    task_id: TaskId,
    unit_kind: UnitKindPath,
    unit: UnitPath,
    body: ReportBody,
    platform: PlatformDep,
    principal: PrincipalDep,
) -> TaskReport:
    """Save or submit a unit's report on a task (its own reporters, or the bureau)."""
    return platform.save_task_report(
        period_id,
        task_id,
        unit_kind,
        unit,
        progress=body.progress,
        figures=body.figures,
        milestones=body.milestones,
        submit=body.submit,
        actor=principal,
    )


@router.post(
    "/reporting/{period_id}/reports/{task_id}/{unit_kind}/{unit}/review",
    response_model=TaskReport,
)
def review_report(
    period_id: PeriodId,
    task_id: TaskId,
    unit_kind: UnitKindPath,
    unit: UnitPath,
    body: Review,
    platform: PlatformDep,
    principal: PrincipalDep,
) -> TaskReport:
    """Accept a submitted report (its figures and milestone states enter the indicator
    store) or return it with a comment (the bureau)."""
    return platform.review_task_report(
        period_id,
        task_id,
        unit_kind,
        unit,
        accept=body.accept,
        comment=body.comment,
        actor=principal,
    )


@router.get("/reporting/{period_id}/summary", response_model=list[UnitSummaryOut])
def summary(period_id: PeriodId, platform: PlatformDep) -> list[UnitSummaryOut]:
    """Per body and district: reports owed, in each state, and overdue."""
    return [UnitSummaryOut(**vars(u)) for u in platform.reporting_summary(period_id)]


@router.get("/reporting/{period_id}/overdue", response_model=list[ReportStatusOut])
def overdue(period_id: PeriodId, platform: PlatformDep) -> list[ReportStatusOut]:
    """The reports past the due date and neither submitted nor accepted."""
    return [
        ReportStatusOut(
            task_id=s.obligation.task_id,
            unit_kind=s.obligation.unit_kind,
            unit=s.obligation.unit,
            part=s.obligation.part,
            state=s.state,
            round=s.round,
            overdue=s.overdue,
        )
        for s in platform.overdue_reports(period_id)
    ]


@router.post(
    "/reporting/{period_id}/reports/{task_id}/{unit_kind}/{unit}/attachments",
    response_model=list[Attachment],
    status_code=201,
)
def attach(
    period_id: PeriodId,
    task_id: TaskId,
    unit_kind: UnitKindPath,
    unit: UnitPath,
    files: Annotated[list[UploadFile], File()],
    platform: PlatformDep,
    principal: PrincipalDep,
) -> list[Attachment]:
    """Attach evidence files to a unit's report, all or nothing (PDF, OFD, Word, Excel, PNG,
    JPEG, CSV or text, at most 10 MB each; the content must be what the name says)."""
    return platform.add_attachments(
        period_id,
        task_id,
        unit_kind,
        unit,
        [(f.filename or "attachment", f.file.read(MAX_BYTES + 1)) for f in files[:20]],
        actor=principal,
    )


@router.get(
    "/reporting/{period_id}/reports/{task_id}/{unit_kind}/{unit}/attachments",
    response_model=list[Attachment],
)
def list_attachments(
    period_id: PeriodId,
    task_id: TaskId,
    unit_kind: UnitKindPath,
    unit: UnitPath,
    platform: PlatformDep,
) -> list[Attachment]:
    """The evidence files of a unit's report (download each from ``/attachments/{id}``)."""
    report = platform.task_report(period_id, task_id, unit_kind, unit)
    if report is None or report.id is None:
        return []
    return platform.attachments([report]).get(report.id, [])


class SearchHit(BaseModel):
    """One thing found: its kind, code, names and page."""

    kind: str
    code: str
    zh: str
    en: str
    url: str


@router.get("/search", response_model=list[SearchHit], tags=["plan"])
def search(platform: PlatformDep, q: Annotated[str, Query(max_length=100)] = "") -> list[SearchHit]:
    """Targets, measures, tasks, bodies and districts matching ``q`` (code, Chinese or
    English name, pinyin or pinyin initials), closest first (at most 50)."""
    return [
        SearchHit(kind=e.kind, code=e.code, zh=e.zh, en=e.en, url=e.url) for e in platform.search(q)
    ]


class RemindBody(BaseModel):
    """Whom to remind (default: every unit with an overdue report) and what to say."""

    units: list[tuple[Literal["body", "district"], str]] | None = Field(
        default=None, max_length=200
    )
    message: str = Field(default="", max_length=2000)


@router.post("/reporting/{period_id}/reminders", response_model=list[Reminder], status_code=201)
def send_reminders(
    period_id: PeriodId, body: RemindBody, platform: PlatformDep, principal: PrincipalDep
) -> list[Reminder]:
    """Remind units of their reports (the bureau); each reminder says how many are overdue."""
    return platform.send_reminders(
        period_id, units=body.units, message=body.message, actor=principal
    )


@router.get("/reporting/{period_id}/reminders", response_model=list[Reminder])
def list_reminders(period_id: PeriodId, platform: PlatformDep) -> list[Reminder]:
    """The reminders of a period, newest first."""
    return platform.reminders(period_id=platform.period(period_id).id)
