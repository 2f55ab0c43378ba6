"""Who is asking: the session cookie or the API bearer token resolved to a principal on every
request, the log-in page, CSRF checks on every write with a cookie, and the security headers
of every response (``docs/design/accounts.md``).

The rules of who may do what are not here: the services check them
(:meth:`xietong.service.accounts.AccountService.authorize`), once, for every interface.
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xietong.accounts.roles import Principal
from xietong.errors import NotAuthenticated, Throttled, XietongError
from xietong.web.deps import LangDep, PlatformDep
from xietong.web.render import render

SESSION_COOKIE = "xietong_session"
"""The cookie holding the session token (HttpOnly, SameSite=Lax, Secure under TLS)."""

LOGIN_COOKIE = "xietong_login"
"""The cookie holding the log-in form's CSRF token before there is a session."""

CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""The content security policy: scripts only from the platform's own files (no inline
script, no eval), nothing framed."""

SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` (and HSTS under TLS) to every
    response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tls = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    h for h in message.get("headers", []) if h[0] not in dict(SECURITY_HEADERS)
                ]
                headers += SECURITY_HEADERS
                if tls:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def client_of(request: Request) -> str:
    """The client's address, as the log-in throttle counts it."""
    return request.client.host if request.client else "unknown"


def resolve(request: Request) -> tuple[Principal | None, str | None]:
    """The principal of the request (bearer token first, then the session cookie) and, for a
    session, its CSRF token; kept on ``request.state`` for the rest of the request."""
    if hasattr(request.state, "principal"):
        return request.state.principal, request.state.csrf
    platform = request.app.state.platform
    principal: Principal | None = None
    csrf: str | None = None
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        principal = platform.token_principal(header[7:].strip()[:200])
        request.state.bearer = True
    else:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            found = platform.session_principal(token[:200])
            if found is not None:
                principal, csrf = found
        request.state.bearer = False
    request.state.principal, request.state.csrf = principal, csrf
    return principal, csrf


async def guard(request: Request) -> Principal:
    """The dependency of every internal page and API route: the principal, else
    NotAuthenticated (a page redirects to the log-in page, the API answers 401); a write
    with a session cookie must carry the session's CSRF token (header ``X-CSRF-Token`` or
    form field ``csrf_token``), else 403."""
    principal, csrf = await run_in_threadpool(resolve, request)
    if principal is None:
        raise NotAuthenticated("请先登录 / log in first")
    if request.method in UNSAFE and not request.state.bearer:
        given = request.headers.get(CSRF_HEADER)
        if given is None and "form" in request.headers.get("content-type", ""):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
        if not csrf or not given or not secrets.compare_digest(given, csrf):
            raise CsrfRefused(
                "表单已失效或来源不明,请刷新页面后重试 / the form is stale or came from "
                "another site: reload the page and try again"
            )
    return principal


class CsrfRefused(XietongError):
    """A write with a session cookie but without the session's CSRF token."""


PrincipalDep = Annotated[Principal, Depends(guard)]

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # only a path of this site: never another origin ("//host", "https://…", "\\host")
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, lang: LangDep, next: str = "/") -> Response:
    """The log-in form."""
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        lang,
        {"next": _safe_next(next), "login_csrf": token, "error": None},
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=3600,
    )
    return response


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the name and password; on success a session cookie and a redirect to ``next``."""
    expected = request.cookies.get(LOGIN_COOKIE, "")
    target = _safe_next(next)
    status, error = 200, None
    if not expected or not secrets.compare_digest(expected, csrf_token):
        status, error = 403, "login_stale"
    else:
        try:
            token, _, _ = platform.login(username, password, client=client_of(request))
        except Throttled:
            status, error = 429, "login_throttled"
        except NotAuthenticated:
            status, error = 401, "login_failed"
        else:
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(
                SESSION_COOKIE,
                token,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
                path="/",
            )
            response.delete_cookie(LOGIN_COOKIE)
            return response
    fresh = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        lang,
        {"next": target, "login_csrf": fresh, "error": error, "username": username[:64]},
        status_code=status,
    )
    response.set_cookie(
        LOGIN_COOKIE, fresh, httponly=True, samesite="lax", secure=request.url.scheme == "https"
    )
    if status == 429:
        response.headers["Retry-After"] = "900"
    return response


@router.post("/logout")
async def logout(request: Request, principal: PrincipalDep) -> Response:
    """End the session (the form carries the CSRF token, as every write does)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        request.app.state.platform.logout(token[:200])
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def login_redirect(request: Request) -> RedirectResponse:
    """Where an anonymous page request goes: the log-in page, coming back here after."""
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(path, safe='')}", status_code=303)
