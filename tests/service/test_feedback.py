"""The public's feedback through the service: a submission checked whole (nothing stored when
any field is at fault), the rate limit per client on an injected clock, and the bureau's
triage (status and reply), audited, refused to everyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from xietong.accounts.roles import Principal, Role
from xietong.errors import Forbidden, NotFound, Throttled
from xietong.service.feedback import (
    MESSAGE_MAX,
    RATE_LIMIT,
    SUBJECT_MAX,
    FeedbackForm,
    FeedbackRejected,
    check_feedback,
)
from xietong.service.platform import Platform
from xietong.store.database import session_scope
from xietong.store.tables import AuditRow, FeedbackRow

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
GOOD = FeedbackForm("suggestion", "公交线路", "建议增开新能源公交线路。", "13800138000", "qiaokou")
REVIEWER = Principal("r", Role.REVIEWER)


def _stored(p: Platform) -> int:
    with session_scope(p.engine) as session:
        return int(session.scalar(select(func.count()).select_from(FeedbackRow)) or 0)


def _audit(p: Platform, action: str) -> list[AuditRow]:
    with session_scope(p.engine) as session:
        rows = list(session.scalars(select(AuditRow).where(AuditRow.action == action)))
        session.expunge_all()
        return rows


@pytest.fixture
def clocked(platform: Platform) -> Platform:
    """The platform on a clock the test moves (``platform.clock``)."""
    platform.clock = lambda: T0
    return platform


def test_a_submission_is_stored_with_a_receipt_and_audited(clocked: Platform) -> None:
    receipt = clocked.submit_feedback(GOOD, client="10.0.0.1")
    assert receipt.startswith("20261207-") and len(receipt) == 19
    got = clocked.feedback_receipt(receipt)
    assert got == {
        "receipt": receipt,
        "category": "suggestion",
        "submitted_on": dt.date(2026, 12, 7),
        "status": "new",
        "reply": None,
    }
    (entry,) = _audit(clocked, "feedback.submit")
    assert entry.actor == "anonymous" and entry.entity == f"feedback:{receipt}"
    with session_scope(clocked.engine) as session:
        row = session.scalars(select(FeedbackRow)).one()
        assert row.client != "10.0.0.1" and len(row.client) == 64  # a hash, not the address


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (FeedbackForm("spam", "标题", "内容"), "category"),
        (FeedbackForm("suggestion", "标题", "   "), "message"),
        (FeedbackForm("suggestion", "", "内容"), "subject"),
        (FeedbackForm("suggestion", "长" * (SUBJECT_MAX + 1), "内容"), "subject"),
        (FeedbackForm("suggestion", "标题", "长" * (MESSAGE_MAX + 1)), "message"),
        (FeedbackForm("suggestion", "标题\x00", "内容"), "subject"),
        (FeedbackForm("suggestion", "标题", "内容\x1b[31m"), "message"),
        (FeedbackForm("suggestion", "标题", "内容\u202e反向"), "message"),
        (FeedbackForm("suggestion", "标题\n第二行", "内容"), "subject"),
        (FeedbackForm("question", "标题", "内容", contact="call me"), "contact"),
        (FeedbackForm("question", "标题", "内容", contact="12345"), "contact"),
        (FeedbackForm("question", "标题", "内容", contact="a@b"), "contact"),
        (FeedbackForm("report", "标题", "内容", district="atlantis"), "district"),
    ],
)
def test_a_malformed_submission_is_refused_whole(
    clocked: Platform, form: FeedbackForm, field: str
) -> None:
    with pytest.raises(FeedbackRejected) as refused:
        clocked.submit_feedback(form, client="10.0.0.1")
    assert field in refused.value.problems
    zh, en = refused.value.problems[field]
    assert zh and en
    assert _stored(clocked) == 0
    assert _audit(clocked, "feedback.submit") == []


def test_what_is_accepted_is_cleaned() -> None:
    form = FeedbackForm(" report ", " 标题 ", "第一行\r\n第二行\t缩进 ", " 027-8888 6666 ", "")
    clean = check_feedback(form, {"qiaokou"})
    assert clean == FeedbackForm("report", "标题", "第一行\n第二行\t缩进", "027-8888 6666", "")
    for contact in ("13800138000", "+86 138-0013-8000", "name.x+tag@example.com.cn"):
        check_feedback(FeedbackForm("question", "标题", "内容", contact), set())


def test_the_sixth_submission_within_an_hour_is_throttled(clocked: Platform) -> None:
    now = T0
    clocked.clock = lambda: now
    for i in range(RATE_LIMIT):
        now = T0 + dt.timedelta(minutes=10 * i)
        clocked.submit_feedback(GOOD, client="10.0.0.1")
    now = T0 + dt.timedelta(minutes=45)
    with pytest.raises(Throttled) as throttled:
        clocked.submit_feedback(GOOD, client="10.0.0.1")
    assert throttled.value.retry_after == 15 * 60 + 1  # when the first leaves the hour
    assert _stored(clocked) == RATE_LIMIT
    clocked.submit_feedback(GOOD, client="10.0.0.2")  # another client is not counted
    now = T0 + dt.timedelta(hours=1, seconds=1)
    clocked.submit_feedback(GOOD, client="10.0.0.1")  # the first left the hour
    assert _stored(clocked) == RATE_LIMIT + 2


def test_the_bureau_triages_and_replies_audited(clocked: Platform) -> None:
    receipt = clocked.submit_feedback(GOOD, client="10.0.0.1")
    assert [f.receipt for f in clocked.feedback("new", actor=REVIEWER)] == [receipt]
    clocked.triage_feedback(receipt, status="in_progress", actor=REVIEWER)
    done = clocked.triage_feedback(
        receipt, status="replied", reply="已转交交通运输局研究。", actor=REVIEWER
    )
    assert done.status == "replied" and done.updated_by == "r"
    assert clocked.feedback("new", actor=REVIEWER) == []
    assert clocked.feedback_counts(actor=REVIEWER) == {
        "new": 0,
        "in_progress": 0,
        "replied": 1,
        "closed": 0,
    }
    public = clocked.feedback_receipt(receipt)
    assert public["status"] == "replied" and public["reply"] == "已转交交通运输局研究。"
    assert set(public) == {"receipt", "category", "submitted_on", "status", "reply"}
    entries = _audit(clocked, "feedback.triage")
    assert [(e.actor, e.entity) for e in entries] == [("r", f"feedback:{receipt}")] * 2
    assert [e.detail for e in entries] == [
        {"from": "new", "to": "in_progress", "reply_changed": False},
        {"from": "in_progress", "to": "replied", "reply_changed": True},
    ]


def test_a_triage_at_fault_changes_nothing(clocked: Platform) -> None:
    receipt = clocked.submit_feedback(GOOD, client="10.0.0.1")
    for status, reply, field in (
        ("replied", "", "reply"),  # replied needs a reply
        ("done", "好", "status"),
        ("closed", "长" * 2001, "reply"),
        ("closed", "答复\x07", "reply"),
    ):
        with pytest.raises(FeedbackRejected) as refused:
            clocked.triage_feedback(receipt, status=status, reply=reply, actor=REVIEWER)
        assert field in refused.value.problems
    assert clocked.feedback_receipt(receipt)["status"] == "new"
    assert _audit(clocked, "feedback.triage") == []
    with pytest.raises(NotFound):
        clocked.triage_feedback("20261207-AAAAAAAAAA", status="closed", actor=REVIEWER)


@pytest.mark.parametrize(
    "who",
    [
        Principal("qk", Role.DISTRICT, district="qiaokou"),
        Principal("jt", Role.BODY, body="transport"),
        Principal("v", Role.VIEWER),
    ],
)
def test_no_one_but_the_bureau_reads_or_triages(clocked: Platform, who: Principal) -> None:
    receipt = clocked.submit_feedback(GOOD, client="10.0.0.1")
    with pytest.raises(Forbidden):
        clocked.feedback(actor=who)
    with pytest.raises(Forbidden):
        clocked.triage_feedback(receipt, status="closed", reply="x", actor=who)
    assert clocked.feedback_receipt(receipt)["status"] == "new"
    assert [e.entity for e in _audit(clocked, "denied")] == ["feedback.read", "feedback.triage"]


@pytest.mark.parametrize(
    "number", ["", "x", "20261207-AAAAAAAAAA", "../../etc", "20261207-aaaaaaaaaa"]
)
def test_a_receipt_that_is_none_is_not_found(clocked: Platform, number: str) -> None:
    with pytest.raises(NotFound):
        clocked.feedback_receipt(number)
