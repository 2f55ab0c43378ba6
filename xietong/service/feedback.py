"""The public's feedback (意见建议, 举报, 咨询) from the portal's form, and the bureau's triage of
it: a status (新提交, 处理中, 已答复, 已关闭) and a reply, shown to whoever holds the receipt.

A submission is checked whole before anything is stored (lengths, categories, control
characters, the contact's form, the district); a client (its address, kept only as a SHA-256)
may submit :data:`RATE_LIMIT` times in :data:`RATE_WINDOW`, counted from the stored
submissions, so the limit holds across server processes and restarts. The clock is
:attr:`FeedbackService.clock` (tests set it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xietong.accounts.roles import Action
from xietong.errors import NotFound, Throttled, XietongError
from xietong.service.accounts import Actor
from xietong.service.assessment import AssessmentService
from xietong.store import feedback as feedback_store
from xietong.store import repository
from xietong.store.database import session_scope
from xietong.store.tables import FeedbackRow

CATEGORIES: dict[str, tuple[str, str]] = {
    "suggestion": ("意见建议", "suggestion"),
    "report": ("举报", "report of a violation"),
    "question": ("咨询", "question"),
}
"""The categories of the form: code to Chinese and English names (a fixed list)."""

STATUSES: dict[str, tuple[str, str]] = {
    "new": ("新提交", "new"),
    "in_progress": ("处理中", "in progress"),
    "replied": ("已答复", "replied"),
    "closed": ("已关闭", "closed"),
}
"""The triage statuses, in the order a submission moves through them."""

SUBJECT_MAX = 100
MESSAGE_MAX = 2000
CONTACT_MAX = 100
REPLY_MAX = 2000
"""The longest subject, message, contact and reply (characters)."""

RATE_LIMIT = 5
RATE_WINDOW = dt.timedelta(hours=1)
"""At most :data:`RATE_LIMIT` submissions from one client in :data:`RATE_WINDOW`."""

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$")
_PHONE = re.compile(r"^(\+?86)?1[3-9]\d{9}$|^0\d{2,3}\d{7,8}$|^\d{7,8}$")
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
_RECEIPT = re.compile(r"^\d{8}-[A-Z2-7]{10}$")
_RECEIPT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


class FeedbackRejected(XietongError):
    """A submission or a triage refused whole: ``problems`` maps each field at fault to why,
    in Chinese and English."""

    def __init__(self, problems: dict[str, tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {zh} / {en}" for f, (zh, en) in problems.items()))


@dataclass(frozen=True)
class FeedbackForm:
    """What the public form sends, as typed (checked by :func:`check_feedback`)."""

    category: str
    subject: str
    message: str
    contact: str = ""
    district: str = ""


@dataclass(frozen=True)
class Feedback:
    """A stored submission with its triage, as the bureau's list shows it."""

    receipt: str
    category: str
    subject: str
    message: str
    contact: str | None
    district: str | None
    submitted_at: dt.datetime
    status: str
    reply: str | None
    updated_by: str | None
    updated_at: dt.datetime | None


def _bad_characters(text: str, *, lines: bool) -> bool:
    """Whether ``text`` holds a control character (a line break or tab allowed where
    ``lines``), a lone surrogate, a private-use character or a bidirectional override."""
    for ch in text:
        if lines and ch in "\n\t":
            continue
        if unicodedata.category(ch) in ("Cc", "Cs", "Co") or ord(ch) in _BIDI:
            return True
    return False


def check_feedback(form: FeedbackForm, districts: set[str]) -> FeedbackForm:
    """The submission cleaned (trimmed, line breaks as ``\\n``), or FeedbackRejected naming
    every field at fault: an unknown category, an empty or too long subject or message, a
    control character, a contact that is neither a phone number nor an e-mail address, a
    district not of the plan."""
    problems: dict[str, tuple[str, str]] = {}
    category = form.category.strip()
    if category not in CATEGORIES:
        problems["category"] = ("请选择类别", "choose a category")
    subject = form.subject.strip()
    message = form.message.replace("\r\n", "\n").replace("\r", "\n").strip()
    contact = form.contact.strip()
    district = form.district.strip()
    for field, text, limit, lines in (
        ("subject", subject, SUBJECT_MAX, False),
        ("message", message, MESSAGE_MAX, True),
    ):
        if not text:
            problems[field] = ("不能为空", "must not be empty")
        elif len(text) > limit:
            problems[field] = (f"不超过 {limit} 字", f"at most {limit} characters")
        elif _bad_characters(text, lines=lines):
            problems[field] = ("含有不允许的控制字符", "holds control characters")
    if contact:
        phone = re.sub(r"[\s-]", "", contact)
        if len(contact) > CONTACT_MAX or _bad_characters(contact, lines=False):
            problems["contact"] = ("联系方式无效", "not a valid contact")
        elif not (_EMAIL.match(contact) or _PHONE.match(phone)):
            problems["contact"] = (
                "请填写手机号、固定电话或电子邮箱",
                "give a mobile or landline number or an e-mail address",
            )
    if district and district not in districts:
        problems["district"] = ("请选择本市的区", "choose a district of the city")
    if problems:
        raise FeedbackRejected(problems)
    return FeedbackForm(category, subject, message, contact, district)


def client_key(client: str) -> str:
    """What is kept of a client's address: its SHA-256 (the rate limit compares these)."""
    return hashlib.sha256(client.encode("utf-8", "replace")).hexdigest()


def new_receipt(day: dt.date) -> str:
    """A receipt number: the day and ten random letters and digits (50 bits: not guessed).

    >>> len(new_receipt(dt.date(2026, 12, 7))), new_receipt(dt.date(2026, 12, 7))[:9]
    (19, '20261207-')
    """
    code = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(10))
    return f"{day:%Y%m%d}-{code}"


def _as_utc(t: dt.datetime) -> dt.datetime:
    # SQLite gives back naive datetimes for timezone-aware columns; they were stored in UTC
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


def _feedback(row: FeedbackRow) -> Feedback:
    """A stored row as the bureau's list shows it (times UTC-aware)."""
    return Feedback(
        receipt=row.receipt,
        category=row.category,
        subject=row.subject,
        message=row.message,
        contact=row.contact,
        district=row.district,
        submitted_at=_as_utc(row.submitted_at),
        status=row.status,
        reply=row.reply,
        updated_by=row.updated_by,
        updated_at=_as_utc(row.updated_at) if row.updated_at else None,
    )


class FeedbackService(AssessmentService):
    """The public's feedback and the bureau's triage of it."""

    clock: Callable[[], dt.datetime] | None = None
    """The current time (UTC) where tests set one; else the system clock."""

    def now(self) -> dt.datetime:
        """The current time, UTC: :attr:`clock`'s, else the system's."""
        return self.clock() if self.clock is not None else dt.datetime.now(dt.UTC)

    def submit_feedback(self, form: FeedbackForm, *, client: str) -> str:
        """Store a submission of the public form from ``client`` (its address) and return its
        receipt number: checked whole first (FeedbackRejected), then Throttled when the client
        has sent :data:`RATE_LIMIT` in the last :data:`RATE_WINDOW`; nothing is stored
        unless all of it is. Audited (entity ``feedback:<receipt>``, actor ``anonymous``)."""
        clean = check_feedback(form, set(self._district_codes()))
        now = self.now()
        key = client_key(client)
        with session_scope(self.engine) as session:
            recent = feedback_store.submissions_since(session, key, now - RATE_WINDOW)
            if len(recent) >= RATE_LIMIT:
                wait = recent[0] + RATE_WINDOW - now
                raise Throttled(
                    "提交过于频繁,请稍后再试 / too many submissions: try again later",
                    retry_after=max(1, int(wait.total_seconds()) + 1),
                )
            receipt = new_receipt(now.date())
            feedback_store.add_feedback(
                session,
                receipt=receipt,
                plan_id=self.plan_id,
                category=clean.category,
                subject=clean.subject,
                message=clean.message,
                contact=clean.contact or None,
                district=clean.district or None,
                client=key,
                at=now,
                status="new",
            )
            repository.audit(
                session,
                actor="anonymous",
                action="feedback.submit",
                entity=f"feedback:{receipt}",
                detail={"category": clean.category},
            )
        return receipt

    def feedback(self, status: str | None = None, *, actor: Actor) -> list[Feedback]:
        """The submissions (of one status, or all), newest first; the bureau only."""
        self.authorize(actor, Action.READ_FEEDBACK)
        if status is not None and status not in STATUSES:
            raise FeedbackRejected({"status": ("未知状态", f"unknown status '{status[:20]}'")})
        with session_scope(self.engine) as session:
            return [
                _feedback(r) for r in feedback_store.feedback_rows(session, self.plan_id, status)
            ]

    def feedback_counts(self, *, actor: Actor) -> dict[str, int]:
        """How many submissions are in each status (every status named); the bureau only."""
        self.authorize(actor, Action.READ_FEEDBACK)
        with session_scope(self.engine) as session:
            found = feedback_store.feedback_counts(session, self.plan_id)
        return {s: found.get(s, 0) for s in STATUSES}

    def triage_feedback(
        self, receipt: str, *, status: str, reply: str | None = None, actor: Actor
    ) -> Feedback:
        """Set a submission's status and (with ``reply``) its reply; the bureau only
        (Forbidden); an unknown status, a reply too long or with control characters, or a
        status 已答复 without a reply is FeedbackRejected. Audited (entity
        ``feedback:<receipt>``: the status from and to, whether the reply changed)."""
        principal = self.authorize(actor, Action.TRIAGE_FEEDBACK)
        problems: dict[str, tuple[str, str]] = {}
        if status not in STATUSES:
            problems["status"] = ("未知状态", f"unknown status '{status[:20]}'")
        text = None if reply is None else reply.replace("\r\n", "\n").strip()
        if text is not None and len(text) > REPLY_MAX:
            problems["reply"] = (f"不超过 {REPLY_MAX} 字", f"at most {REPLY_MAX} characters")
        elif text and _bad_characters(text, lines=True):
            problems["reply"] = ("含有不允许的控制字符", "holds control characters")
        with session_scope(self.engine) as session:
            row = feedback_store.by_receipt(session, receipt[:32])
            if row is None or row.plan_id != self.plan_id:
                raise NotFound(f"无此回执编号 / no feedback '{receipt[:32]}'")
            new_reply = row.reply if text is None else (text or None)
            if status == "replied" and not new_reply:
                problems.setdefault(
                    "reply", ("已答复须填写答复", "a reply is needed to mark it replied")
                )
            if problems:
                raise FeedbackRejected(problems)
            before = row.status
            changed = new_reply != row.reply
            row.status = status
            row.reply = new_reply
            row.updated_by = principal.label
            row.updated_at = self.now()
            repository.audit(
                session,
                actor=principal.label,
                action="feedback.triage",
                entity=f"feedback:{row.receipt}",
                detail={"from": before, "to": status, "reply_changed": changed},
            )
            session.flush()
            return _feedback(row)

    def feedback_receipt(self, receipt: str) -> dict[str, Any]:
        """What anyone holding a receipt number may read of it: the category, the day it was
        submitted, its status and the bureau's reply (never the message, contact or who
        triaged it); NotFound for a number that is not one."""
        if not _RECEIPT.match(receipt):
            raise NotFound("无此回执编号 / no such receipt")
        with session_scope(self.engine) as session:
            row = feedback_store.by_receipt(session, receipt)
            if row is None or row.plan_id != self.plan_id:
                raise NotFound("无此回执编号 / no such receipt")
            return {
                "receipt": row.receipt,
                "category": row.category,
                "submitted_on": _as_utc(row.submitted_at).date(),
                "status": row.status,
                "reply": row.reply,
            }
