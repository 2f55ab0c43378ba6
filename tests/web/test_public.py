"""The public portal, anonymously: every page and the JSON answer, holding only the fields of
the allow-list (``PUBLIC_FIELDS``) and none of the internal data the platform holds (accounts,
reporters, evidence, review comments, attachments, imports, the feedback itself); the figures
the internal pages show; the feedback form refusing oversized, malformed, honeypot-filled,
too fast and too frequent submissions with nothing stored (clock injected); and the bureau's
triage list, which no one else may open."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.signin import session_client, token_client
from xietong.plan.reporting import FigureEntry
from xietong.service.feedback import RATE_LIMIT, FeedbackForm
from xietong.service.platform import Platform
from xietong.service.public_views import PUBLIC_FIELDS
from xietong.store import repository
from xietong.store.database import session_scope
from xietong.store.tables import FeedbackRow
from xietong.web.app import create_app
from xietong.web.pages.public import MAX_FEEDBACK_BODY

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
PAGES = ["/public", "/public/targets", "/public/measures", "/public/feedback"]
API = {"/api/v1/public": "overview", "/api/v1/public/targets": "target"}
API_LISTS = {"/api/v1/public/targets": "target", "/api/v1/public/measures": "measure"}
INTERNAL_LINKS = re.compile(
    r'(href|action)="/(?!public|login|static)[^"]*"'  # any page but the portal's own
)
REVIEW_COMMENT = "请补充公交车辆台账-内部审核意见"
ATTACHMENT = "内部证明材料-台账.pdf"
SECRET_MESSAGE = "举报某企业夜间偷排-仅供内部"
SECRET_CONTACT = "whistle.blower@example.com"


@pytest.fixture
def portal(demo_platform: Platform, tmp_path: Path) -> Platform:
    """The demo platform holding internal data of every kind a public page must not show: a
    reviewer's account, a task report with an evidence file returned with a comment, and a
    submitted feedback with its contact."""
    p = demo_platform
    p.attachments_dir = tmp_path / "attachments"
    p.open_period(2025, actor="cli")
    p.save_task_report(
        "2025",
        "m07-2",
        "body",
        "transport",
        progress="已编制",
        figures=[FigureEntry(target_id="slow-traffic-146km", value=140)],
        files=[(ATTACHMENT, b"%PDF-1.7\n%%EOF\n")],
        submit=True,
        actor="cli",
    )
    p.review_task_report(
        "2025", "m07-2", "body", "transport", accept=False, comment=REVIEW_COMMENT, actor="cli"
    )
    p.submit_feedback(
        FeedbackForm("report", "偷排", SECRET_MESSAGE, SECRET_CONTACT, "qiaokou"),
        client="10.9.9.9",
    )
    token_client(p, "reviewer")  # creates the reviewer's account
    return p


@pytest.fixture
def anonymous(portal: Platform) -> TestClient:
    """A client of the portal with no session and no token; server errors become 500s."""
    return TestClient(create_app(portal), raise_server_exceptions=False)


def _deny_list(p: Platform) -> list[str]:
    """Internal strings: account names, reporters' evidence, import files, review comments,
    attachment names, the feedback's text and contact."""
    from xietong.store.tables import UserRow

    with session_scope(p.engine) as session:
        users = list(session.scalars(select(UserRow.username)))
    evidence = {r.evidence[:40] for r in p.records() if r.evidence and len(r.evidence) > 20}
    imports = {str(i["source"]) for i in p.imports()}
    return sorted(
        {"admin", REVIEW_COMMENT, ATTACHMENT, SECRET_MESSAGE, SECRET_CONTACT, "偷排"}
        | set(users)
        | evidence
        | imports
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_public_pages_open_without_log_in_and_show_no_internal_data(
    portal: Platform, anonymous: TestClient, lang: str
) -> None:
    deny = _deny_list(portal)
    assert "t-reviewer-all" in deny and "progress.csv" in deny
    for path in PAGES:
        page = anonymous.get(f"{path}?lang={lang}", follow_redirects=False)
        assert page.status_code == 200, path
        found = [s for s in deny if s in page.text]
        assert found == [], (path, found)
        # the internal pages' menu is not there: no link to any page but the portal's own
        assert INTERNAL_LINKS.search(page.text) is None, (path, INTERNAL_LINKS.search(page.text))
        assert 'id="site-nav"' not in page.text and 'id="public-nav"' in page.text
    overview = anonymous.get(f"/public?lang={lang}").text
    as_of = portal.data_as_of()["period"]
    assert as_of is not None and 'id="data-as-of">' in overview and str(as_of) in overview
    assert 'id="demo-note"' in overview  # the demo figures are labelled as such


def test_the_public_api_holds_only_the_allowed_fields(
    portal: Platform, anonymous: TestClient
) -> None:
    deny = _deny_list(portal)

    def walk(kind: str, record: dict[str, Any]) -> None:
        assert set(record) == set(PUBLIC_FIELDS[kind]), kind
        if kind == "overview":
            for h in record["headline"]:
                walk("target", h)

    for path, kind in API.items():
        r = anonymous.get(path)
        assert r.status_code == 200
        body = r.json()
        for record in body if isinstance(body, list) else [body]:
            walk(kind, record)
        text = json.dumps(body, ensure_ascii=False)
        assert [s for s in deny if s in text] == [], path
    for path, kind in API_LISTS.items():
        rows = anonymous.get(path).json()
        assert rows and all(set(r) == set(PUBLIC_FIELDS[kind]) for r in rows)
        text = json.dumps(rows, ensure_ascii=False)
        assert [s for s in deny if s in text] == [], path
    # the internal API still asks for a log-in
    assert anonymous.get("/api/v1/targets").status_code == 401


def test_the_public_figures_are_the_internal_ones(portal: Platform, anonymous: TestClient) -> None:
    """Every target's latest value, its year, status and basis as the internal API gives them,
    and each row of the public targets page as the internal targets page shows it."""
    internal = token_client(portal, "viewer")
    public = {r["id"]: r for r in anonymous.get("/api/v1/public/targets").json()}
    assert set(public) == {t.id for t in portal.plan().targets}
    internal_page = internal.get("/targets?lang=zh").text
    public_page = anonymous.get("/public/targets?lang=zh").text
    shown = 0
    for tid, row in public.items():
        a = internal.get(f"/api/v1/targets/{tid}").json()["assessment"]
        assert row["latest_value"] == a["latest_value"], tid
        assert row["status"] == a["status"] and row["basis"] == a["basis"], tid
        inside = re.search(rf'<a href="/targets/{re.escape(tid)}">.*?</tr>', internal_page, re.S)
        outside = re.search(rf'<tr data-target="{re.escape(tid)}">.*?</tr>', public_page, re.S)
        assert inside is not None and outside is not None
        if row["latest_value"] is not None:
            figure = f"{row['latest_value']:g} <small>({row['latest_year']})</small>"
            assert figure in inside.group(0) and figure in outside.group(0), tid
            shown += 1
        badge = re.compile(r'<span class="badge [^"]*">[^<]*</span>')
        assert badge.findall(inside.group(0)) == badge.findall(outside.group(0)), tid
    assert shown > 10
    assert "依演示数据" in public_page  # the same label as inside


def test_the_measures_show_their_status_as_inside(portal: Platform, anonymous: TestClient) -> None:
    statuses = portal.measure_statuses()
    rows = anonymous.get("/api/v1/public/measures").json()
    assert [(r["number"], r["status"], r["on_estimate"]) for r in rows] == [
        (n, s.state.value, s.on_estimate) for n, s in statuses.items()
    ]
    page = anonymous.get("/public/measures?lang=zh").text
    for n, s in statuses.items():
        assert re.search(
            rf'<tr data-measure="{n}">.*?data-measure-status="{s.state.value}"', page, re.S
        ), n


def test_the_log_in_page_links_to_the_portal(anonymous: TestClient) -> None:
    assert 'href="/public"' in anonymous.get("/login").text
    assert anonymous.get("/public/nowhere").status_code == 404
    assert 'id="site-nav"' not in anonymous.get("/public/nowhere").text


# -- the feedback form ------------------------------------------------------------------------


def _stored(p: Platform) -> int:
    with session_scope(p.engine) as session:
        return int(session.scalar(select(func.count()).select_from(FeedbackRow)) or 0)


def _stamp(client: TestClient, p: Platform, after: dt.timedelta) -> str:
    """The stamp of the form served at T0, with the clock moved on by ``after``."""
    p.clock = lambda: T0
    page = client.get("/public/feedback")
    found = re.search(r'name="stamp" value="([^"]+)"', page.text)
    assert found is not None
    p.clock = lambda: T0 + after
    return found.group(1)


def _form(stamp: str, **change: str) -> dict[str, str]:
    return {
        "category": "suggestion",
        "subject": "公交线路",
        "message": "建议增开新能源公交线路。",
        "contact": "13800138000",
        "district": "qiaokou",
        "stamp": stamp,
        "website": "",
        **change,
    }


def test_a_good_submission_gets_a_receipt_to_look_up(
    portal: Platform, anonymous: TestClient
) -> None:
    before = _stored(portal)
    stamp = _stamp(anonymous, portal, dt.timedelta(seconds=30))
    r = anonymous.post("/public/feedback", data=_form(stamp), follow_redirects=False)
    assert r.status_code == 303
    location = r.headers["location"]
    receipt = re.fullmatch(r"/public/feedback/(\d{8}-[A-Z2-7]{10})\?sent=1", location)
    assert receipt is not None
    page = anonymous.get(location)
    assert page.status_code == 200 and receipt.group(1) in page.text
    assert 'data-status="new"' in page.text and "建议增开" not in page.text  # not the message
    assert _stored(portal) == before + 1
    looked_up = anonymous.get(f"/public/feedback/status?receipt={receipt.group(1).lower()}")
    assert looked_up.status_code == 200 and receipt.group(1) in looked_up.text
    assert anonymous.get("/public/feedback/20261207-AAAAAAAAAA").status_code == 404


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"message": "x" * 2001}, 422),
        ({"subject": "长" * 101}, 422),
        ({"category": "spam"}, 422),
        ({"message": ""}, 422),
        ({"message": "内容\x00"}, 422),
        ({"contact": "<script>alert(1)</script>"}, 422),
        ({"district": "atlantis"}, 422),
        ({"website": "http://spam.example"}, 400),  # the honeypot
    ],
)
def test_a_bad_submission_is_refused_and_nothing_is_stored(
    portal: Platform, anonymous: TestClient, change: dict[str, str], status: int
) -> None:
    before = _stored(portal)
    stamp = _stamp(anonymous, portal, dt.timedelta(seconds=30))
    r = anonymous.post("/public/feedback?lang=zh", data=_form(stamp, **change))
    assert r.status_code == status, r.text[:300]
    assert 'id="feedback-form"' in r.text and 'role="alert"' in r.text  # the form again
    assert "<script>alert" not in r.text  # what was typed is escaped
    assert _stored(portal) == before


@pytest.mark.parametrize(
    ("after", "message"),
    [
        (dt.timedelta(seconds=1), "提交过快"),  # sooner than a person fills it
        (dt.timedelta(hours=3), "表单已过期"),
    ],
)
def test_a_stamp_too_fresh_or_too_old_is_refused(
    portal: Platform, anonymous: TestClient, after: dt.timedelta, message: str
) -> None:
    before = _stored(portal)
    stamp = _stamp(anonymous, portal, after)
    r = anonymous.post("/public/feedback?lang=zh", data=_form(stamp))
    assert r.status_code == 400 and message in r.text
    forged = anonymous.post(
        "/public/feedback", data=_form(str(int(T0.timestamp())) + "." + "0" * 32)
    )
    assert forged.status_code == 400
    assert _stored(portal) == before


def test_an_oversized_or_malformed_body_is_refused(portal: Platform, anonymous: TestClient) -> None:
    before = _stored(portal)
    stamp = _stamp(anonymous, portal, dt.timedelta(seconds=30))
    form = "application/x-www-form-urlencoded"
    big = anonymous.post(
        "/public/feedback", data=_form(stamp, message="长" * (MAX_FEEDBACK_BODY // 9 + 10))
    )
    assert big.status_code == 413
    for body, kind in (
        ("category=suggestion&subject=a&message=b&stamp=" + stamp + "&extra=1", form),
        ("category=suggestion&category=report&subject=a&message=b&stamp=" + stamp, form),
        ("category=suggestion&subject=a&message=%FF%FE&stamp=" + stamp, form),
        ("category=suggestion&subject=a&message=b&stamp=" + stamp, "multipart/form-data"),
        ("category=suggestion&subject=a&message=b&stamp=" + stamp, "application/json"),
        ("&&&===", form),
    ):
        r = anonymous.post(
            "/public/feedback", content=body.encode(), headers={"content-type": kind}
        )
        assert r.status_code == 400, (body, kind, r.status_code)
    raw = "message=中文&subject=a&category=suggestion&stamp=" + stamp
    r = anonymous.post("/public/feedback", content=raw.encode(), headers={"content-type": form})
    assert r.status_code == 400
    assert _stored(portal) == before
    # what a browser sends for the longest message in Chinese fits
    ok = anonymous.post(
        "/public/feedback", data=_form(stamp, message="长" * 2000), follow_redirects=False
    )
    assert ok.status_code == 303


def test_the_sixth_submission_within_an_hour_is_refused(
    portal: Platform, anonymous: TestClient
) -> None:
    before = _stored(portal)
    stamp = _stamp(anonymous, portal, dt.timedelta(seconds=30))
    for i in range(RATE_LIMIT):
        portal.clock = lambda i=i: T0 + dt.timedelta(minutes=5 * i + 1)  # type: ignore[misc]
        r = anonymous.post("/public/feedback", data=_form(stamp), follow_redirects=False)
        assert r.status_code == 303, i
    portal.clock = lambda: T0 + dt.timedelta(minutes=50)
    r = anonymous.post("/public/feedback?lang=zh", data=_form(stamp))
    assert r.status_code == 429 and "提交过于频繁" in r.text
    assert r.headers["retry-after"] == str(11 * 60 + 1)
    assert _stored(portal) == before + RATE_LIMIT
    portal.clock = lambda: T0 + dt.timedelta(hours=1, minutes=2)
    r = anonymous.post("/public/feedback", data=_form(stamp), follow_redirects=False)
    assert r.status_code == 303  # the first has left the hour


# -- the bureau's triage ----------------------------------------------------------------------


def test_the_bureau_triages_and_the_sender_reads_the_reply(
    portal: Platform, anonymous: TestClient
) -> None:
    (item,) = portal.feedback(actor="cli")
    client, csrf = session_client(portal, "reviewer")
    page = client.get("/feedback?lang=zh")
    assert page.status_code == 200 and SECRET_MESSAGE in page.text and SECRET_CONTACT in page.text
    assert 'href="/feedback"' in page.text  # the bureau's menu entry
    r = client.post(
        f"/feedback/{item.receipt}",
        data={"csrf_token": csrf, "status": "replied", "reply": "已转交执法支队核查。"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    listed = client.get("/feedback?status=replied").text
    assert item.receipt in listed and "已转交执法支队核查。" in listed
    assert item.receipt not in client.get("/feedback?status=new").text
    refused = client.post(
        f"/feedback/{item.receipt}", data={"csrf_token": csrf, "status": "replied", "reply": ""}
    )
    assert refused.status_code == 422 and 'id="triage-error"' in refused.text
    without_csrf = client.post(f"/feedback/{item.receipt}", data={"status": "closed"})
    assert without_csrf.status_code == 403
    receipt = anonymous.get(f"/public/feedback/{item.receipt}?lang=zh").text
    assert "已转交执法支队核查。" in receipt and 'data-status="replied"' in receipt
    assert SECRET_MESSAGE not in receipt and SECRET_CONTACT not in receipt
    assert "t-reviewer-all" not in receipt  # not who replied
    with session_scope(portal.engine) as session:
        entries = [
            (e.actor, e.action, e.detail)
            for e in repository.audit_entries(session)
            if e.entity == f"feedback:{item.receipt}"
        ]
    assert entries[0] == (
        "t-reviewer-all",
        "feedback.triage",
        {"from": "new", "to": "replied", "reply_changed": True},
    )


@pytest.mark.parametrize(
    ("role", "who"),
    [("district", {"district": "qiaokou"}), ("body", {"body": "transport"}), ("viewer", {})],
)
def test_no_one_else_opens_the_triage_list(
    portal: Platform, role: str, who: dict[str, str]
) -> None:
    (item,) = portal.feedback(actor="cli")
    client, csrf = session_client(portal, role, **who)
    page = client.get("/feedback")
    assert page.status_code == 403 and SECRET_MESSAGE not in page.text
    assert 'href="/feedback"' not in client.get("/targets").text  # no menu entry
    r = client.post(f"/feedback/{item.receipt}", data={"csrf_token": csrf, "status": "closed"})
    assert r.status_code == 403
    assert portal.feedback(actor="cli")[0].status == "new"


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_triage_list(
    anonymous: TestClient,
) -> None:
    r = anonymous.get("/feedback", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
