"""Storage of the public's feedback and of the bureau's triage of it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xietong.store.tables import FeedbackRow


def add_feedback(
    session: Session,
    *,
    receipt: str,
    plan_id: str,
    category: str,
    subject: str,
    message: str,
    contact: str | None,
    district: str | None,
    client: str,
    at: dt.datetime,
    status: str,
) -> FeedbackRow:
    """Store one submission (in the caller's transaction)."""
    row = FeedbackRow(
        receipt=receipt,
        plan_id=plan_id,
        category=category,
        subject=subject,
        message=message,
        contact=contact,
        district=district,
        client=client,
        submitted_at=at,
        status=status,
    )
    session.add(row)
    session.flush()
    return row


def submissions_since(session: Session, client: str, since: dt.datetime) -> list[dt.datetime]:
    """When ``client`` submitted since ``since`` (oldest first, UTC): what the rate limit
    counts."""
    found = session.scalars(
        select(FeedbackRow.submitted_at)
        .where(FeedbackRow.client == client, FeedbackRow.submitted_at >= since)
        .order_by(FeedbackRow.submitted_at)
    )
    # SQLite gives back naive datetimes for timezone-aware columns; they were stored in UTC
    return [t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC) for t in found]


def feedback_rows(session: Session, plan_id: str, status: str | None = None) -> list[FeedbackRow]:
    """The plan's submissions (of one status, or all), newest first."""
    query = select(FeedbackRow).where(FeedbackRow.plan_id == plan_id)
    if status is not None:
        query = query.where(FeedbackRow.status == status)
    return list(session.scalars(query.order_by(FeedbackRow.id.desc())))


def feedback_counts(session: Session, plan_id: str) -> dict[str, int]:
    """How many submissions of the plan are in each status."""
    rows = session.execute(
        select(FeedbackRow.status, func.count())
        .where(FeedbackRow.plan_id == plan_id)
        .group_by(FeedbackRow.status)
    )
    return {status: int(n) for status, n in rows}


def by_receipt(session: Session, receipt: str) -> FeedbackRow | None:
    """The submission with this receipt number, or None."""
    return session.scalars(select(FeedbackRow).where(FeedbackRow.receipt == receipt)).first()
