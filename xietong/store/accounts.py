"""Storage of accounts, sessions, API tokens and failed log-ins (in the caller's
transaction). Tokens are stored as their SHA-256 only."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from xietong.store.tables import ApiTokenRow, LoginFailureRow, SessionRow, UserRow


def now() -> dt.datetime:
    """The current time (UTC)."""
    return dt.datetime.now(dt.UTC)


def digest(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def aware(t: dt.datetime) -> dt.datetime:
    """A stored time as UTC-aware: SQLite gives back naive datetimes for timezone-aware
    columns, and they were stored in UTC."""
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


def user_by_name(session: Session, username: str) -> UserRow | None:
    """The account of ``username``, if any."""
    return session.scalars(select(UserRow).where(UserRow.username == username)).first()


def users(session: Session) -> list[UserRow]:
    """Every account, by name."""
    return list(session.scalars(select(UserRow).order_by(UserRow.username)))


def count_users(session: Session) -> int:
    """How many accounts there are."""
    return int(session.scalar(select(func.count()).select_from(UserRow)) or 0)


def add_session(session: Session, user: UserRow, token: str, csrf: str, hours: float) -> None:
    """Store a log-in session for ``token`` lasting ``hours``."""
    start = now()
    session.add(
        SessionRow(
            id=digest(token),
            user_id=user.id,
            csrf=csrf,
            created_at=start,
            expires_at=start + dt.timedelta(hours=hours),
        )
    )


def session_user(session: Session, token: str) -> tuple[UserRow, SessionRow] | None:
    """The enabled account and the session of a cookie token that has not expired."""
    found = session.execute(
        select(UserRow, SessionRow)
        .join(SessionRow, SessionRow.user_id == UserRow.id)
        .where(SessionRow.id == digest(token))
    ).first()
    if found is None:
        return None
    user, row = found
    if aware(row.expires_at) <= now() or user.disabled:
        return None
    return user, row


def end_session(session: Session, token: str) -> None:
    """Delete the session of ``token`` (log-out)."""
    session.execute(delete(SessionRow).where(SessionRow.id == digest(token)))


def end_sessions_of(session: Session, user_id: int) -> None:
    """Delete every session of an account (disabled, or its password changed)."""
    session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))


def add_token(
    session: Session, user: UserRow, token: str, name: str, expires: dt.datetime | None
) -> None:
    """Store an API token of ``user``."""
    session.add(
        ApiTokenRow(
            id=digest(token), user_id=user.id, name=name, created_at=now(), expires_at=expires
        )
    )


def token_user(session: Session, token: str) -> UserRow | None:
    """The enabled account of a bearer token that is neither revoked nor expired."""
    row = session.get(ApiTokenRow, digest(token))
    if row is None or row.revoked:
        return None
    if row.expires_at is not None and aware(row.expires_at) <= now():
        return None
    user = session.get(UserRow, row.user_id)
    return None if user is None or user.disabled else user


def revoke_tokens_of(session: Session, user_id: int) -> None:
    """Revoke every API token of an account."""
    for row in session.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user_id)):
        row.revoked = True


def add_failure(session: Session, username: str, client: str) -> None:
    """Record a failed log-in."""
    session.add(LoginFailureRow(username=username[:64], client=client[:64], at=now()))


def recent_failures(
    session: Session, *, username: str, client: str, since: dt.datetime
) -> tuple[int, int]:
    """Failed log-ins since ``since``: for this name, and from this client."""
    by_name = session.scalar(
        select(func.count())
        .select_from(LoginFailureRow)
        .where(LoginFailureRow.username == username[:64], LoginFailureRow.at >= since)
    )
    by_client = session.scalar(
        select(func.count())
        .select_from(LoginFailureRow)
        .where(LoginFailureRow.client == client[:64], LoginFailureRow.at >= since)
    )
    return int(by_name or 0), int(by_client or 0)
