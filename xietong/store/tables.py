"""ORM tables. The plan document is kept whole (JSON) beside normalised keys for joins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class PlanRow(Base):
    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title_zh: Mapped[str] = mapped_column(Text)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TargetRow(Base):
    __tablename__ = "targets"
    plan_id: Mapped[str] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    measure: Mapped[int | None] = mapped_column(Integer)
    indicator_id: Mapped[str] = mapped_column(String(64), index=True)
    unit: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(16))
    value: Mapped[float | None] = mapped_column(Float)
    deadline: Mapped[dt.date] = mapped_column(Date)


class ImportRow(Base):
    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(Text)
    rows: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ProgressRow(Base):
    """One value of a target's indicator (the indicator store)."""

    __tablename__ = "progress_records"
    __table_args__ = (
        ForeignKeyConstraint(
            ["plan_id", "target_id"], ["targets.plan_id", "targets.id"], ondelete="CASCADE"
        ),
        UniqueConstraint(
            "plan_id",
            "target_id",
            "district",
            "period_end",
            "comparison",
            name="uq_progress_period",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[str] = mapped_column(String(64))
    # '' = city-wide: an empty string, not NULL, so the unique constraint holds on every backend
    district: Mapped[str] = mapped_column(String(64), default="")
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    reported_by: Mapped[str | None] = mapped_column(String(64))
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)
    demo: Mapped[bool] = mapped_column(default=False)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    # the indicator store's fields: quality, where the value came from, and whether it is a
    # comparison beside the defining source's value (docs/methods/status.md)
    quality: Mapped[str] = mapped_column(String(16), default="reported")
    source_kind: Mapped[str] = mapped_column(String(16), default="reported")
    comparison: Mapped[bool] = mapped_column(Boolean, default=False)
    computed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    change_u95: Mapped[float | None] = mapped_column(Float)


class ActivityImportRow(Base):
    """One import of a city's activity dataset: who, when, from what, how many rows."""

    __tablename__ = "activity_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    city: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    shipped: Mapped[bool] = mapped_column(Boolean, default=False)
    rows: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ActivityRow(Base):
    """One row of a city's activity dataset (the columns of ``Activity``); a city holds one
    dataset, replaced whole by each import."""

    __tablename__ = "activities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    city: Mapped[str] = mapped_column(String(64), index=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("activity_imports.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    district: Mapped[str] = mapped_column(String(64))
    sector: Mapped[str] = mapped_column(String(64))
    subsector: Mapped[str] = mapped_column(String(64), default="")
    activity: Mapped[str] = mapped_column(String(64))
    technology: Mapped[str] = mapped_column(String(64), default="")
    control: Mapped[str] = mapped_column(String(64), default="")
    amount: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text, default="")
    quality: Mapped[str] = mapped_column(String(16))
    parameters: Mapped[str] = mapped_column(Text, default="")
    # the row's grain: '' = an aggregate / the whole year (empty strings, not NULL, as in the
    # other key columns)
    entity: Mapped[str] = mapped_column(String(64), default="", server_default="")
    period: Mapped[str] = mapped_column(String(16), default="", server_default="")


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(128), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class MilestoneReportRow(Base):
    """A reported state of a milestone (未启动/推进中/已完成) with its evidence."""

    __tablename__ = "milestone_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[str] = mapped_column(String(64))
    # '' = city-wide, as in progress_records
    district: Mapped[str] = mapped_column(String(64), default="")
    date: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    reported_by: Mapped[str | None] = mapped_column(String(64))
    evidence: Mapped[str | None] = mapped_column(Text)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))


class AssignedGoalRow(Base):
    """A figure the plan leaves to an assignment (省级下达), entered with its document."""

    __tablename__ = "assigned_goals"
    plan_id: Mapped[str] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    target_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class UserRow(Base):
    """An account: its role and, for a reporter, the body or district it reports for."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str] = mapped_column(String(16))
    body: Mapped[str | None] = mapped_column(String(64))
    district: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(128))


class SessionRow(Base):
    """A log-in session: the SHA-256 of its cookie token (the token itself is never stored),
    its CSRF token and when it ends."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    """A bearer token of the API: the SHA-256 of the token, its account, name and expiry."""

    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginFailureRow(Base):
    """A failed log-in (for throttling and the record): the name tried, the client, when."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class UserScenarioRow(Base):
    """Who owns a user scenario (its file lies in the user scenario folder) and when it was
    last saved."""

    __tablename__ = "user_scenarios"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sha256: Mapped[str] = mapped_column(String(64))


class ReportingPeriodRow(Base):
    """A reporting period the bureau opened (annual ``2025`` or a quarter ``2025Q3``)."""

    __tablename__ = "reporting_periods"
    plan_id: Mapped[str] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(8), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(String(128))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class TaskReportRow(Base):
    """A body's or district's report on a task in a period, and where it stands in the cycle
    (draft, submitted, returned, accepted); its history is in the audit log (entity
    ``task:<id>``)."""

    __tablename__ = "task_reports"
    __table_args__ = (
        UniqueConstraint("plan_id", "period_id", "task_id", "unit_kind", "unit"),
        ForeignKeyConstraint(
            ["plan_id", "period_id"],
            ["reporting_periods.plan_id", "reporting_periods.id"],
            ondelete="CASCADE",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(String(64))
    period_id: Mapped[str] = mapped_column(String(8))
    task_id: Mapped[str] = mapped_column(String(32), index=True)
    unit_kind: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(16))
    round: Mapped[int] = mapped_column(Integer, default=0)
    progress: Mapped[str] = mapped_column(Text, default="")
    figures: Mapped[list[Any]] = mapped_column(JSON)
    milestones: Mapped[list[Any]] = mapped_column(JSON)
    updated_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    submitted_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)


class TaskAttachmentRow(Base):
    """An evidence file of a task report: its name, size and SHA-256 (the bytes are kept
    outside the database, content-addressed: ``xietong.files.attachments``)."""

    __tablename__ = "task_attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("task_reports.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ReminderRow(Base):
    """A reminder (催办) the bureau sent a body or district about its reports of a period;
    shown on the unit's pages."""

    __tablename__ = "reminders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(String(64))
    period_id: Mapped[str] = mapped_column(String(8))
    unit_kind: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(64), index=True)
    message: Mapped[str] = mapped_column(Text)
    overdue: Mapped[int] = mapped_column(Integer)
    sent_by: Mapped[str] = mapped_column(String(128))
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AssessmentSchemeRow(Base):
    """An edition of the 考核 scheme the bureau saved (its YAML text, as uploaded); the highest
    version is in force."""

    __tablename__ = "assessment_schemes"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    saved_by: Mapped[str] = mapped_column(String(128))
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FeedbackRow(Base):
    """A submission of the public portal's feedback form (意见建议, 举报, 咨询) and the bureau's
    triage of it: its status and reply. ``client`` is the SHA-256 of the sender's address, kept
    only to count a client's submissions for the rate limit; none of it is public but the
    status and reply, shown to whoever holds the receipt."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    receipt: Mapped[str] = mapped_column(String(32), unique=True)
    plan_id: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(100), nullable=True)
    district: Mapped[str | None] = mapped_column(String(32), nullable=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), index=True)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
