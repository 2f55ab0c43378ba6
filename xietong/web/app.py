"""The FastAPI application factory."""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from xietong import __version__
from xietong.accounting.inventory import InventoryError
from xietong.errors import (
    Forbidden,
    ImportRejected,
    NotAuthenticated,
    NotFound,
    ReportRefused,
    Throttled,
    XietongError,
)
from xietong.service.base import pinned_revision
from xietong.service.platform import Platform
from xietong.web.api import router as api_router
from xietong.web.api.errors import ERROR_RESPONSES
from xietong.web.api.public import router as public_api_router
from xietong.web.auth import CsrfRefused, SecurityHeaders, guard, login_redirect
from xietong.web.auth import router as auth_router
from xietong.web.deps import get_lang
from xietong.web.limits import MAX_BODY, ASGIApp, BodyLimit, Receive, Scope, Send
from xietong.web.pages import router as pages_router
from xietong.web.pages.public import router as public_router
from xietong.web.render import render
from xietong.worker import Job

SWAGGER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>xietong 协同 API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script></body></html>"""


def _freeze_after(jobs: list[Job], seconds: float = 1800.0) -> None:
    """Once the start-up builds are done, move what the process holds then (the plan, the
    built inventories, scenarios and caches: ~300,000 objects on the Wuhan data) out of the
    cyclic garbage collector's reach (:func:`gc.freeze`): a full collection over them takes
    ~150 ms, a pause any request could fall into; afterwards a collection scans only what is
    newer. Objects freed by reference counting are still freed."""
    for job in jobs:
        job.wait(seconds)
    gc.collect()
    gc.freeze()


class PinnedRevision:
    """ASGI middleware: a read request (GET, HEAD) sees one revision of the platform's figures,
    read once (:func:`xietong.service.base.pinned_revision`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            with pinned_revision():
                await self.app(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(platform: Platform | None = None, *, warm: bool = False) -> FastAPI:
    """The web platform over ``platform`` (default: from ``XIETONG_*`` settings); with
    ``warm``, the server starts the builds its first pages need on the background worker as
    it starts (it does not wait for them, and stopping it does not either)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            jobs = app.state.platform.warm()
            threading.Thread(target=_freeze_after, args=(jobs,), daemon=True).start()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="xietong 协同 API",
        version=__version__,
        description=(
            "减污降碳协同增效: the plan, its targets, progress and statuses; the emission "
            "inventory (rows with their traces, roll-ups, activity data, indicators)."
        ),
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.platform = platform or Platform.from_settings()
    app.add_middleware(PinnedRevision)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY)
    app.add_middleware(SecurityHeaders)
    static = resources.files("xietong.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(auth_router)
    app.include_router(
        api_router, prefix="/api/v1", dependencies=[Depends(guard)], responses=ERROR_RESPONSES
    )
    app.include_router(pages_router, dependencies=[Depends(guard)])
    # the public portal: no log-in, public fields only (xietong.service.public_views)
    app.include_router(public_api_router, prefix="/api/v1", responses=ERROR_RESPONSES)
    app.include_router(public_router)

    def _error(
        request: Request, status: int, message: str, extra: dict[str, object] | None = None
    ) -> Response:
        if _wants_json(request):
            # one shape for every error of the API: a message and the problems (may be none)
            body = {"detail": message, "problems": [], **(extra or {})}
            return JSONResponse(body, status_code=status)
        lang = get_lang(request)
        context = {"status": status, "message": message, "problems": (extra or {}).get("problems")}
        # the public portal's errors on its own layout: no menu of the internal pages
        public = request.url.path == "/public" or request.url.path.startswith("/public/")
        page = "public_error.html" if public else "error.html"
        return render(request, page, lang, context, status_code=status)

    @app.exception_handler(ImportRejected)
    async def _rejected(request: Request, exc: ImportRejected) -> Response:
        return _error(
            request,
            422,
            str(exc).splitlines()[0],
            {"problems": [p.as_dict() for p in exc.problems]},
        )

    @app.exception_handler(NotAuthenticated)
    async def _anonymous(request: Request, exc: NotAuthenticated) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": str(exc), "problems": []},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return login_redirect(request)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        lang = get_lang(request)
        return _error(
            request, 403, exc.zh if lang == "zh" and not _wants_json(request) else str(exc)
        )

    @app.exception_handler(ReportRefused)
    async def _report_refused(request: Request, exc: ReportRefused) -> Response:
        lang = get_lang(request)
        return _error(
            request, 409, exc.zh if lang == "zh" and not _wants_json(request) else str(exc)
        )

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: CsrfRefused) -> Response:
        return _error(request, 403, str(exc))

    @app.exception_handler(Throttled)
    async def _throttled(request: Request, exc: Throttled) -> Response:
        response = _error(request, 429, str(exc))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(InventoryError)
    async def _inventory(request: Request, exc: InventoryError) -> Response:
        return _error(request, 400, str(exc).splitlines()[0], {"problems": exc.problems})

    @app.exception_handler(XietongError)
    async def _domain(request: Request, exc: XietongError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {
                "row": None,
                "column": ".".join(str(part) for part in e.get("loc", ())),
                "reason": str(e.get("msg")),
            }
            for e in exc.errors()
        ]
        message = "请求无效 / invalid request: " + "; ".join(
            f"{p['column']}: {p['reason']}" for p in problems
        )
        return _error(request, 422, message[:2000], {"problems": jsonable(problems)})

    @app.get("/api/v1/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        # the vendored Swagger UI (no CDN), started by a script file of ours: the content
        # security policy allows no inline script
        return HTMLResponse(SWAGGER_PAGE)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> HTMLResponse:
        return HTMLResponse("ok")

    return app


def served_app() -> FastAPI:
    """The app each process of ``xietong serve --workers N`` runs: from the ``XIETONG_*``
    settings, warmed as it starts."""
    return create_app(warm=True)


def jsonable(errors: object) -> object:
    """Validation errors made JSON-safe (inputs may hold bytes or exceptions)."""
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(
        errors, custom_encoder={bytes: lambda b: b.decode("utf-8", "replace"), Exception: str}
    )
