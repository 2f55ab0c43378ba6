"""The bureau's triage of the public's feedback: the submissions by status, each with a form to
set its status and write the reply its sender reads on the receipt page (the bureau only;
every change audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xietong.accounts.roles import Principal
from xietong.service.feedback import CATEGORIES, REPLY_MAX, STATUSES, FeedbackRejected
from xietong.service.platform import Platform
from xietong.web.auth import PrincipalDep
from xietong.web.deps import LangDep, PlatformDep
from xietong.web.render import render

router = APIRouter(include_in_schema=False)

StatusFilter = Annotated[str | None, Query(max_length=16)]


def _page(
    request: Request,
    platform: Platform,
    lang: str,
    principal: Principal,
    status: str | None,
    *,
    error: str | None = None,
    failed: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    chosen = status if status in STATUSES else None
    plan = platform.plan()
    return render(
        request,
        "feedback.html",
        lang,
        {
            "items": platform.feedback(chosen, actor=principal),
            "counts": platform.feedback_counts(actor=principal),
            "chosen": chosen,
            "statuses": STATUSES,
            "categories": CATEGORIES,
            "districts": {d.code: d.name.get(lang) for d in plan.districts},
            "reply_max": REPLY_MAX,
            "error": error,
            "failed": failed,
        },
        status_code=status_code,
    )


@router.get("/feedback", response_class=HTMLResponse)
def feedback_list(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    status: StatusFilter = None,
) -> HTMLResponse:
    """The submissions, newest first (``status``: of one status only)."""
    return _page(request, platform, lang, principal, status)


@router.post("/feedback/{receipt}", response_class=HTMLResponse)
def triage(
    request: Request,
    receipt: str,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    status: Annotated[str, Form(max_length=16)],
    reply: Annotated[str, Form(max_length=REPLY_MAX + 200)] = "",
    back: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Set a submission's status and reply; on a refusal the list shows why."""
    try:
        platform.triage_feedback(receipt[:32], status=status, reply=reply, actor=principal)
    except FeedbackRejected as exc:
        why = "; ".join(zh if lang == "zh" else en for zh, en in exc.problems.values())
        return _page(
            request,
            platform,
            lang,
            principal,
            back or None,
            error=why,
            failed=receipt[:32],
            status_code=422,
        )
    target = f"/feedback?status={back}" if back in STATUSES else "/feedback"
    return RedirectResponse(f"{target}#fb-{receipt[:32]}", status_code=303)
