"""Storage of the 考核 scheme's editions."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from xietong.store.tables import AssessmentSchemeRow


def save_scheme(session: Session, *, version: int, text: str, actor: str) -> AssessmentSchemeRow:
    """Store a new edition (in the caller's transaction)."""
    row = AssessmentSchemeRow(
        version=version,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        saved_by=actor,
        saved_at=dt.datetime.now(dt.UTC),
    )
    session.add(row)
    session.flush()
    return row


def schemes(session: Session) -> list[AssessmentSchemeRow]:
    """Every saved edition, newest first."""
    return list(
        session.scalars(select(AssessmentSchemeRow).order_by(AssessmentSchemeRow.version.desc()))
    )


def scheme(session: Session, version: int | None = None) -> AssessmentSchemeRow | None:
    """One saved edition (the newest without ``version``), or None."""
    if version is not None:
        return session.get(AssessmentSchemeRow, version)
    found = schemes(session)
    return found[0] if found else None
