"""Reading and writing the reporting periods and the task reports of the task ledger, and the
history of one thing from the audit log (SQLAlchemy sessions, in the caller's transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from xietong.plan.reporting import (
    Attachment,
    FigureEntry,
    MilestoneEntry,
    PeriodKind,
    Reminder,
    ReportingPeriod,
    ReportState,
    TaskReport,
)
from xietong.store.accounts import aware
from xietong.store.accounts import now as _now
from xietong.store.repository import audit
from xietong.store.tables import (
    AuditRow,
    ReminderRow,
    ReportingPeriodRow,
    TaskAttachmentRow,
    TaskReportRow,
)


def _aware(t: dt.datetime | None) -> dt.datetime | None:
    return aware(t) if t is not None else None


def _period(row: ReportingPeriodRow) -> ReportingPeriod:
    return ReportingPeriod(
        id=row.id,
        kind=PeriodKind(row.kind),
        start=row.period_start,
        end=row.period_end,
        due=row.due,
        opened_by=row.opened_by,
        opened_at=_aware(row.opened_at),
        closed_at=_aware(row.closed_at),
    )


def list_periods(session: Session, plan_id: str) -> list[ReportingPeriod]:
    """The plan's reporting periods, newest first."""
    rows = session.scalars(
        select(ReportingPeriodRow)
        .where(ReportingPeriodRow.plan_id == plan_id)
        .order_by(ReportingPeriodRow.period_end.desc(), ReportingPeriodRow.id.desc())
    )
    return [_period(r) for r in rows]


def get_period(session: Session, plan_id: str, period_id: str) -> ReportingPeriod | None:
    """One reporting period, or None."""
    row = session.get(ReportingPeriodRow, (plan_id, period_id))
    return _period(row) if row is not None else None


def add_period(session: Session, plan_id: str, period: ReportingPeriod, actor: str) -> None:
    """Store a newly opened period; audited (entity ``period:<id>``)."""
    session.add(
        ReportingPeriodRow(
            plan_id=plan_id,
            id=period.id,
            kind=period.kind.value,
            period_start=period.start,
            period_end=period.end,
            due=period.due,
            opened_by=actor,
            opened_at=_now(),
        )
    )
    audit(
        session,
        actor=actor,
        action="period.open",
        entity=f"period:{period.id}",
        detail={"kind": period.kind.value, "due": period.due.isoformat()},
    )
    session.flush()


def set_period_closed(
    session: Session, plan_id: str, period_id: str, actor: str, closed: bool
) -> None:
    """Close a period (no report may be saved or submitted in it) or open it again; audited."""
    row = session.get(ReportingPeriodRow, (plan_id, period_id), with_for_update=True)
    if row is None:
        raise KeyError(period_id)
    before = row.closed_at.isoformat() if row.closed_at else None
    row.closed_at = _now() if closed else None
    row.closed_by = actor if closed else None
    audit(
        session,
        actor=actor,
        action="period.close" if closed else "period.reopen",
        entity=f"period:{period_id}",
        detail={"closed_before": before},
    )
    session.flush()


def report_of(row: TaskReportRow) -> TaskReport:
    """A stored report as the core's record."""
    return TaskReport(
        id=row.id,
        period_id=row.period_id,
        task_id=row.task_id,
        unit_kind=row.unit_kind,
        unit=row.unit,
        state=ReportState(row.state),
        round=row.round,
        progress=row.progress,
        figures=tuple(FigureEntry.model_validate(f) for f in row.figures or ()),
        milestones=tuple(MilestoneEntry.model_validate(m) for m in row.milestones or ()),
        updated_by=row.updated_by,
        updated_at=_aware(row.updated_at),
        submitted_by=row.submitted_by,
        submitted_at=_aware(row.submitted_at),
        reviewed_by=row.reviewed_by,
        reviewed_at=_aware(row.reviewed_at),
        comment=row.comment,
    )


def _locked(
    session: Session, plan_id: str, period_id: str, task_id: str, unit_kind: str, unit: str
) -> TaskReportRow | None:
    return session.scalars(
        select(TaskReportRow)
        .where(
            TaskReportRow.plan_id == plan_id,
            TaskReportRow.period_id == period_id,
            TaskReportRow.task_id == task_id,
            TaskReportRow.unit_kind == unit_kind,
            TaskReportRow.unit == unit,
        )
        .with_for_update()
    ).first()


def claim_report(
    session: Session, plan_id: str, period_id: str, task_id: str, unit_kind: str, unit: str
) -> tuple[TaskReportRow, TaskReport | None]:
    """The report row of an obligation, locked until the transaction ends, with what it held
    before (None when it is new: created here as an empty draft). Concurrent writers of one
    report wait for each other instead of failing on the unique key (``INSERT … ON CONFLICT
    DO NOTHING``, then the lock)."""
    row = _locked(session, plan_id, period_id, task_id, unit_kind, unit)
    if row is not None:
        return row, report_of(row)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    new_id = session.execute(
        insert(TaskReportRow)
        .values(
            plan_id=plan_id,
            period_id=period_id,
            task_id=task_id,
            unit_kind=unit_kind,
            unit=unit,
            state=ReportState.DRAFT.value,
            round=0,
            progress="",
            figures=[],
            milestones=[],
        )
        .on_conflict_do_nothing(
            index_elements=["plan_id", "period_id", "task_id", "unit_kind", "unit"]
        )
        .returning(TaskReportRow.id)
    ).scalar()
    if new_id is not None:
        created = session.get(TaskReportRow, new_id)
        assert created is not None
        return created, None
    row = _locked(session, plan_id, period_id, task_id, unit_kind, unit)
    assert row is not None
    return row, report_of(row)


def list_reports(
    session: Session,
    plan_id: str,
    period_id: str,
    *,
    task_id: str | None = None,
    units: Sequence[tuple[str, str]] | None = None,
    states: Sequence[ReportState] | None = None,
) -> list[TaskReport]:
    """The reports of a period (optionally of one task, of some units (kind, code), in some
    states), by task and unit."""
    q = select(TaskReportRow).where(
        TaskReportRow.plan_id == plan_id, TaskReportRow.period_id == period_id
    )
    if task_id is not None:
        q = q.where(TaskReportRow.task_id == task_id)
    if states is not None:
        q = q.where(TaskReportRow.state.in_([s.value for s in states]))
    q = q.order_by(TaskReportRow.task_id, TaskReportRow.unit_kind, TaskReportRow.unit)
    found = [report_of(r) for r in session.scalars(q)]
    if units is not None:
        wanted = set(units)
        found = [r for r in found if (r.unit_kind, r.unit) in wanted]
    return found


def entity_history(session: Session, entities: Sequence[str], limit: int = 200) -> list[AuditRow]:
    """The audit entries of some things (``task:m05-7``, ``period:2025`` …), newest first."""
    return list(
        session.scalars(
            select(AuditRow)
            .where(AuditRow.entity.in_(list(entities)))
            .order_by(AuditRow.id.desc())
            .limit(limit)
        )
    )


def _attachment(row: TaskAttachmentRow) -> Attachment:
    uploaded = _aware(row.uploaded_at)
    assert uploaded is not None
    return Attachment(
        id=row.id,
        report_id=row.report_id,
        filename=row.filename,
        size=row.size,
        sha256=row.sha256,
        uploaded_by=row.uploaded_by,
        uploaded_at=uploaded,
    )


def add_attachment(
    session: Session, report_id: int, filename: str, size: int, sha256: str, actor: str
) -> Attachment:
    """Record an evidence file of a report (in the caller's transaction)."""
    row = TaskAttachmentRow(
        report_id=report_id,
        filename=filename,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
        uploaded_at=_now(),
    )
    session.add(row)
    session.flush()
    return _attachment(row)


def attachments_of(session: Session, report_ids: Sequence[int]) -> list[Attachment]:
    """The evidence files of some reports, oldest first."""
    if not report_ids:
        return []
    rows = session.scalars(
        select(TaskAttachmentRow)
        .where(TaskAttachmentRow.report_id.in_(list(report_ids)))
        .order_by(TaskAttachmentRow.id)
    )
    return [_attachment(r) for r in rows]


def get_attachment(session: Session, attachment_id: int) -> tuple[Attachment, TaskReport] | None:
    """An evidence file and the report it belongs to, or None."""
    row = session.get(TaskAttachmentRow, attachment_id)
    if row is None:
        return None
    report = session.get(TaskReportRow, row.report_id)
    assert report is not None
    return _attachment(row), report_of(report)


def delete_attachment(session: Session, attachment_id: int) -> None:
    """Forget an evidence file (its bytes stay: other reports may share them)."""
    row = session.get(TaskAttachmentRow, attachment_id)
    if row is not None:
        session.delete(row)
        session.flush()


def _reminder(row: ReminderRow) -> Reminder:
    sent = _aware(row.sent_at)
    assert sent is not None
    return Reminder(
        id=row.id,
        period_id=row.period_id,
        unit_kind=row.unit_kind,
        unit=row.unit,
        message=row.message,
        overdue=row.overdue,
        sent_by=row.sent_by,
        sent_at=sent,
    )


def add_reminder(
    session: Session,
    plan_id: str,
    period_id: str,
    unit_kind: str,
    unit: str,
    message: str,
    overdue: int,
    actor: str,
) -> Reminder:
    """Record a reminder sent to a unit (in the caller's transaction)."""
    row = ReminderRow(
        plan_id=plan_id,
        period_id=period_id,
        unit_kind=unit_kind,
        unit=unit,
        message=message,
        overdue=overdue,
        sent_by=actor,
        sent_at=_now(),
    )
    session.add(row)
    session.flush()
    return _reminder(row)


def list_reminders(
    session: Session,
    plan_id: str,
    *,
    period_id: str | None = None,
    units: Sequence[tuple[str, str]] | None = None,
    limit: int = 200,
) -> list[Reminder]:
    """Reminders, newest first (optionally of a period, of some units)."""
    q = select(ReminderRow).where(ReminderRow.plan_id == plan_id)
    if period_id is not None:
        q = q.where(ReminderRow.period_id == period_id)
    if units is not None:
        q = q.where(ReminderRow.unit.in_([u for _, u in units]))
    found = [_reminder(r) for r in session.scalars(q.order_by(ReminderRow.id.desc()).limit(limit))]
    if units is not None:
        wanted = set(units)
        found = [r for r in found if (r.unit_kind, r.unit) in wanted]
    return found
