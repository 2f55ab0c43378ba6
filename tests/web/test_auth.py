"""Log-in, sessions, CSRF, bearer tokens, throttling and security headers of the web platform
(the regression tests of the accounts issue's findings)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.signin import PASSWORD, account, session_client, token_client
from xietong.service.platform import Platform
from xietong.store.database import session_scope
from xietong.store.repository import audit_entries
from xietong.web.app import create_app

CSV = "target_id,period,value,unit\nnew-energy-bus-share,2024,40,percent\n"


def _login_form(client: TestClient) -> str:
    page = client.get("/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def _login(client: TestClient, name: str, password: str, next_: str = "/") -> object:
    token = _login_form(client)
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": token, "next": next_},
        follow_redirects=False,
    )


def test_anonymous_pages_go_to_the_log_in_page_and_the_api_answers_401(
    platform: Platform,
) -> None:
    client = TestClient(create_app(platform), raise_server_exceptions=False)
    r = client.get("/targets?lang=en", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2Ftargets%3Flang%3Den"
    r = client.get("/api/v1/status")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert r.json()["detail"].startswith("请先登录")
    for public in ("/login", "/healthz", "/api/v1/openapi.json", "/api/v1/docs"):
        assert client.get(public).status_code == 200, public
    # the four write paths refuse anonymous requests and write nothing
    before = len(platform.records())
    assert client.post("/api/v1/progress", files={"file": ("p.csv", CSV)}).status_code == 401
    assert (
        client.post(
            "/progress/upload", files={"file": ("p.csv", CSV)}, follow_redirects=False
        ).status_code
        == 303
    )
    assert client.post("/api/v1/scenarios/", content=b"id: x\n").status_code == 401
    assert (
        client.post("/scenarios/new", data={"yaml": "id: x"}, follow_redirects=False).status_code
        == 303
    )
    assert len(platform.records()) == before


def test_log_in_sets_a_safe_session_cookie_and_log_out_ends_it(platform: Platform) -> None:
    name = account(platform, "viewer")
    client = TestClient(create_app(platform), raise_server_exceptions=False)
    r = _login(client, name, PASSWORD, next_="/targets")
    assert r.status_code == 303 and r.headers["location"] == "/targets"
    cookie = r.headers["set-cookie"].lower()
    assert "xietong_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain HTTP here; see the TLS test
    page = client.get("/targets")
    assert page.status_code == 200 and name in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    assert (
        client.post(
            "/logout", data={"csrf_token": csrf.group(1)}, follow_redirects=False
        ).status_code
        == 303
    )
    assert client.get("/targets", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_secure_behind_tls(platform: Platform) -> None:
    name = account(platform, "viewer")
    client = TestClient(create_app(platform), base_url="https://testserver")
    r = _login(client, name, PASSWORD)
    assert r.status_code == 303
    assert "secure" in r.headers["set-cookie"].lower()
    assert "max-age=31536000" in client.get("/targets").headers["strict-transport-security"]


def test_a_wrong_password_and_an_unknown_name_fail_alike_and_are_recorded(
    platform: Platform,
) -> None:
    name = account(platform, "viewer")
    client = TestClient(create_app(platform), raise_server_exceptions=False)
    wrong = _login(client, name, "not the password")
    unknown = _login(client, "nobody-here", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "账户名或密码错误" in wrong.text and "账户名或密码错误" in unknown.text
    assert "xietong_session" not in wrong.headers.get("set-cookie", "")
    with session_scope(platform.engine) as session:
        failed = [e for e in audit_entries(session, 10) if e.action == "login.failed"]
    assert {e.entity for e in failed} == {f"user:{name}", "user:nobody-here"}


def test_log_ins_are_throttled_after_five_failures_even_with_the_right_password(
    platform: Platform,
) -> None:
    name = account(platform, "viewer")
    client = TestClient(create_app(platform), raise_server_exceptions=False)
    for _ in range(5):
        assert _login(client, name, "guess-guess").status_code == 401
    r = _login(client, name, PASSWORD)
    assert r.status_code == 429
    assert r.headers["retry-after"] == "900"
    assert "15 分钟" in r.text


def test_a_stale_log_in_form_and_an_open_redirect_are_refused(platform: Platform) -> None:
    name = account(platform, "viewer")
    client = TestClient(create_app(platform), raise_server_exceptions=False)
    r = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        r = _login(client, name, PASSWORD, next_=evil)
        assert r.status_code == 303 and r.headers["location"] == "/", evil


def test_a_write_with_the_session_cookie_needs_the_csrf_token(platform: Platform) -> None:
    client, csrf = session_client(platform, "admin")
    files = {"file": ("p.csv", CSV)}
    assert client.post("/api/v1/progress", files=files).status_code == 403
    assert (
        client.post("/progress/upload", files=files, data={"csrf_token": "x" * 43}).status_code
        == 403
    )
    assert platform.records() == []
    r = client.post("/api/v1/progress", files=files, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    r = client.post("/progress/upload", files=files, data={"csrf_token": csrf})
    assert r.status_code == 200, r.text


def test_the_audit_records_the_authenticated_account_not_what_the_caller_types(
    platform: Platform,
) -> None:
    client = token_client(platform, "body", body="transport")
    r = client.post("/api/v1/progress", files={"file": ("p.csv", CSV)}, data={"actor": "admin"})
    assert r.status_code == 200, r.text
    (record,) = platform.records("new-energy-bus-share")
    assert record.reported_by == "transport"  # the account's body when the row names none
    with session_scope(platform.engine) as session:
        entries = [e for e in audit_entries(session, 20) if e.action.startswith("progress")]
    assert entries and {e.actor for e in entries} == {"t-body-transport"}


def test_a_disabled_account_loses_its_sessions_and_tokens(platform: Platform) -> None:
    api = token_client(platform, "viewer")
    browser, _ = session_client(platform, "viewer")
    assert api.get("/api/v1/status").status_code == 200
    platform.disable_user("t-viewer-all", actor="cli")
    assert api.get("/api/v1/status").status_code == 401
    assert browser.get("/targets", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("path", ["/targets", "/api/v1/status", "/login", "/api/v1/docs"])
def test_every_response_carries_the_security_headers(platform: Platform, path: str) -> None:
    client = token_client(platform, "viewer")
    h = client.get(path).headers
    csp = h["content-security-policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]  # no inline script, no eval
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "same-origin"
    assert h["x-frame-options"] == "DENY"


def test_no_page_carries_an_inline_script(platform: Platform) -> None:
    client = token_client(platform, "viewer")
    for path in ("/", "/targets", "/measures", "/progress/upload", "/login", "/api/v1/docs"):
        html = client.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+=", html), path  # no inline event handlers


def test_the_header_names_the_account_its_role_and_its_body_in_the_pages_language(
    platform: Platform,
) -> None:
    client = token_client(platform, "body", body="transport")
    for lang, role, body in (
        ("zh", "部门填报人", "市交通运输局"),
        ("en", "body reporter", "Transport"),
    ):
        html = client.get(f"/progress/upload?lang={lang}").text
        who = html.split('class="who"')[1].split("</span>")[0]
        assert "t-body-transport" in who and role in who and body in who, who
    viewer = token_client(platform, "viewer")
    assert 'id="no-permission"' in viewer.get("/progress/upload").text
    assert 'id="no-permission"' not in client.get("/progress/upload").text
