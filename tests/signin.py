"""Test clients signed in as an account of a given role (created on first use)."""

from __future__ import annotations

import os

from fastapi.testclient import TestClient

from xietong.service.platform import Platform
from xietong.web.app import create_app

PASSWORD = "correct horse battery"


def account(
    platform: Platform, role: str = "admin", *, body: str | None = None, district: str | None = None
) -> str:
    """The name of a test account of ``role`` (and body or district), created if missing."""
    name = f"t-{role}-{body or district or 'all'}".replace("_", "-")
    from xietong.store import accounts as store
    from xietong.store.database import session_scope

    with session_scope(platform.engine) as session:
        exists = store.user_by_name(session, name) is not None
    if not exists:
        platform.add_user(name, role, actor="test", password=PASSWORD, body=body, district=district)
    return name


def token_client(
    platform: Platform,
    role: str = "admin",
    *,
    body: str | None = None,
    district: str | None = None,
    app: object | None = None,
) -> TestClient:
    """A client of ``platform``'s app whose requests carry an API bearer token of a test
    account of ``role``."""
    name = account(platform, role, body=body, district=district)
    token = platform.issue_token(name, actor="test", name="tests", days=1)
    client = TestClient(
        app or create_app(platform), raise_server_exceptions=bool(os.environ.get("XT_RAISE"))
    )  # type: ignore[arg-type]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def session_client(
    platform: Platform,
    role: str = "admin",
    *,
    body: str | None = None,
    district: str | None = None,
) -> tuple[TestClient, str]:
    """A client logged in through the log-in form (session cookie) and its CSRF token, as a
    browser would be."""
    import re

    name = account(platform, role, body=body, district=district)
    client = TestClient(create_app(platform), raise_server_exceptions=False)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    r = client.post(
        "/login",
        data={"username": name, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    home = client.get("/targets")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert csrf is not None
    return client, csrf.group(1)
