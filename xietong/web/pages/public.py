"""The public portal (no log-in): the plan's headline indicators, targets and measures with
only the fields of :data:`xietong.service.public_views.PUBLIC_FIELDS`, and the feedback form
with its receipt page. Mounted without the guard of the internal pages, on a layout of its
own that names none of them."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from xietong.errors import NotFound, Throttled
from xietong.plan.milestones import MilestoneState
from xietong.plan.progress import Status
from xietong.service.feedback import (
    CATEGORIES,
    CONTACT_MAX,
    MESSAGE_MAX,
    STATUSES,
    SUBJECT_MAX,
    FeedbackForm,
    FeedbackRejected,
)
from xietong.service.platform import Platform
from xietong.service.public_views import (
    public_as_of,
    public_measures,
    public_overview,
    public_targets,
)
from xietong.web import form_token
from xietong.web.auth import client_of
from xietong.web.deps import LangDep, PlatformDep
from xietong.web.render import render

router = APIRouter(include_in_schema=False)

MAX_FEEDBACK_BODY = 24 * 1024
"""The largest body the feedback form's submission may have (bytes): the longest message
in Chinese, percent-encoded (2,000 × 9 bytes), fits; anything larger is refused unread."""

FORM_FIELDS = ("category", "subject", "message", "contact", "district", "stamp", "website")
"""The fields the feedback form sends; ``website`` is the honeypot (hidden from people)."""


def overview_data(platform: Platform) -> dict[str, Any]:
    """The portal's front page record, from what the internal overview uses."""
    return public_overview(
        platform.plan(),
        platform.assessments(),
        platform.measure_statuses(),
        platform.data_as_of(),
    )


@router.get("/public", response_class=HTMLResponse)
def public_home(request: Request, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """The portal's front page: the date the figures run to, targets by status, the headline
    indicators."""
    data = overview_data(platform)
    rows = public_targets(platform.plan(), platform.assessments())
    return render(
        request,
        "public_overview.html",
        lang,
        {
            "data": data,
            "data_as_of": data["data_as_of"],
            "statuses": [s.value for s in Status],
            "has_demo": any(r["basis"] == "demo" for r in rows),
        },
    )


@router.get("/public/targets", response_class=HTMLResponse)
def public_target_list(request: Request, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """Every target: indicator, base, goal, latest value and status."""
    rows = public_targets(platform.plan(), platform.assessments())
    return render(
        request,
        "public_targets.html",
        lang,
        {
            "rows": rows,
            "data_as_of": public_as_of(platform.data_as_of()),
            "has_demo": any(r["basis"] == "demo" for r in rows),
        },
    )


@router.get("/public/measures", response_class=HTMLResponse)
def public_measure_list(request: Request, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """Every measure: title, lead department and status."""
    rows = public_measures(platform.plan(), platform.measure_statuses())
    return render(
        request,
        "public_measures.html",
        lang,
        {
            "rows": rows,
            "states": [s.value for s in MilestoneState],
            "data_as_of": public_as_of(platform.data_as_of()),
        },
    )


def _form_page(
    request: Request,
    platform: Platform,
    lang: str,
    *,
    values: dict[str, str] | None = None,
    problems: dict[str, tuple[str, str]] | None = None,
    error: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """The feedback form (with what was typed, and why it was refused), a fresh stamp."""
    plan = platform.plan()
    response = render(
        request,
        "public_feedback.html",
        lang,
        {
            "categories": CATEGORIES,
            "districts": [(d.code, d.name.get(lang)) for d in plan.districts],
            "values": values or {},
            "problems": {k: zh if lang == "zh" else en for k, (zh, en) in (problems or {}).items()},
            "error": error,
            "stamp": form_token.issue(platform.now()),
            "limits": {"subject": SUBJECT_MAX, "message": MESSAGE_MAX, "contact": CONTACT_MAX},
        },
        status_code=status_code,
    )
    response.headers["Cache-Control"] = "no-store"
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


@router.get("/public/feedback", response_class=HTMLResponse)
def feedback_form(request: Request, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """The feedback form."""
    return _form_page(request, platform, lang)


async def _read_form(request: Request) -> dict[str, str] | str:
    """The submitted fields, or why the body is refused (``too_large``, ``malformed``):
    URL-encoded UTF-8 only, at most :data:`MAX_FEEDBACK_BODY` bytes, each known field once,
    no other field."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_FEEDBACK_BODY):
        return "too_large"
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return "malformed"
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FEEDBACK_BODY:
            return "too_large"
    try:
        pairs = parse_qsl(
            body.decode("ascii"),
            keep_blank_values=True,
            strict_parsing=bool(body),
            encoding="utf-8",
            errors="strict",
            max_num_fields=len(FORM_FIELDS) + 1,
        )
    except (UnicodeDecodeError, ValueError):
        return "malformed"
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key not in FORM_FIELDS or key in fields:
            return "malformed"
        fields[key] = value
    return fields


@router.post("/public/feedback", response_class=HTMLResponse)
async def submit_feedback(request: Request, platform: PlatformDep, lang: LangDep) -> Response:
    """Take a submission: refused with the form shown again when the body is too large (413)
    or malformed (400), the honeypot is filled or the form's stamp is bad or too fresh (400),
    a field is at fault (422) or the client sent too many (429); else stored, and the receipt
    page."""
    fields = await _read_form(request)
    if fields == "too_large":
        return _form_page(request, platform, lang, error="feedback.too_large", status_code=413)
    if isinstance(fields, str):
        return _form_page(request, platform, lang, error="feedback.malformed", status_code=400)
    values = {k: fields.get(k, "") for k in ("category", "subject", "message", "contact")}
    values["district"] = fields.get("district", "")
    if fields.get("website"):
        return _form_page(
            request, platform, lang, values=values, error="feedback.refused", status_code=400
        )
    why = form_token.refusal(fields.get("stamp", ""), platform.now())
    if why is not None:
        error = "feedback.refused" if why == "invalid" else f"feedback.{why}"
        return _form_page(request, platform, lang, values=values, error=error, status_code=400)
    form = FeedbackForm(**values)
    try:
        receipt = await run_in_threadpool(platform.submit_feedback, form, client=client_of(request))
    except FeedbackRejected as exc:
        return _form_page(
            request,
            platform,
            lang,
            values=values,
            problems=exc.problems,
            error="feedback.invalid",
            status_code=422,
        )
    except Throttled as exc:
        return _form_page(
            request,
            platform,
            lang,
            values=values,
            error="feedback.throttled",
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    return RedirectResponse(f"/public/feedback/{receipt}?sent=1", status_code=303)


@router.get("/public/feedback/status", response_class=HTMLResponse)
def feedback_lookup(
    receipt: Annotated[str, Query(max_length=40)] = "",
) -> RedirectResponse:
    """The lookup form's answer: the receipt page of the number typed."""
    number = receipt.strip().upper()
    if not number:
        return RedirectResponse("/public/feedback", status_code=303)
    return RedirectResponse(f"/public/feedback/{quote(number, safe='')}", status_code=303)


@router.get("/public/feedback/{receipt}", response_class=HTMLResponse)
def feedback_receipt(
    request: Request,
    receipt: str,
    platform: PlatformDep,
    lang: LangDep,
    sent: Annotated[int, Query(ge=0, le=1)] = 0,
) -> HTMLResponse:
    """A submission's receipt page: its number, category, day, status and the bureau's
    reply (nothing else of it)."""
    try:
        found: dict[str, Any] | None = platform.feedback_receipt(receipt[:40])
    except NotFound:
        found = None
    response = render(
        request,
        "public_receipt.html",
        lang,
        {"r": found, "sent": bool(sent), "categories": CATEGORIES, "statuses": STATUSES},
        status_code=200 if found else 404,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
