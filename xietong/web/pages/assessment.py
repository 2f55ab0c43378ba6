"""The 考核 page: every district's and body's score for a year, with its breakdown and the
workbook to download (the bureau only)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from xietong.accounts.roles import Action, Principal, allows
from xietong.files.assessment_document import MEDIA, write_assessment_file
from xietong.plan.assessment import SchemeError
from xietong.scenarios.scenario import MAX_YAML_BYTES
from xietong.service.assessment_views import ranking_record
from xietong.service.platform import Platform
from xietong.web.auth import PrincipalDep
from xietong.web.deps import LangDep, PlatformDep
from xietong.web.downloads import written_file
from xietong.web.render import render

router = APIRouter(include_in_schema=False)

Year = Annotated[int | None, Query(ge=2000, le=2100)]


def _default_year() -> int:
    return dt.date.today().year - 1


MAX_SCHEME_BYTES = MAX_YAML_BYTES
"""The largest scheme file read (the limit of every uploaded YAML; the shipped one is 3 KB)."""


@router.get("/assessment", response_class=HTMLResponse)
def assessment(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    year: Year = None,
    version: Annotated[int | None, Query(ge=1, le=100000)] = None,
) -> HTMLResponse:
    """The year's 考核: the scheme, a chart of the totals, the districts' and the bodies'
    tables and each unit's breakdown; ``version``: an earlier edition of the scheme."""
    return _page(request, platform, lang, principal, year, version)


def _page(
    request: Request,
    platform: Platform,
    lang: str,
    principal: Principal,
    year: int | None,
    version: int | None,
    error: str | None = None,
) -> HTMLResponse:
    chosen = year or _default_year()
    plan = platform.plan()
    record = ranking_record(platform.assessment(chosen, actor=principal, version=version), plan)
    first = plan.base_year or chosen
    years = list(range(min(first, chosen), max(_default_year(), chosen) + 1))
    chart = {
        key: {
            "names": [
                s["name_zh" if lang == "zh" else "name_en"] for s in record[key] if s["rank"]
            ],
            "criteria": [
                {
                    "name": c["zh"] if lang == "zh" else c["en"],
                    "data": [
                        next(x["points"] for x in s["criteria"] if x["id"] == c["id"])
                        for s in record[key]
                        if s["rank"]
                    ],
                }
                for c in record["scheme"]["criteria"]
            ],
        }
        for key in ("districts", "bodies")
    }
    return render(
        request,
        "assessment.html",
        lang,
        {
            "record": record,
            "year": chosen,
            "years": years,
            "chart": chart,
            "editions": platform.assessment_schemes(),
            "may_edit": allows(principal, Action.EDIT_ASSESSMENT),
            "error": error,
        },
        status_code=422 if error else 200,
    )


@router.post("/assessment/scheme", response_class=HTMLResponse)
async def save_scheme(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """The bureau saves a new edition of the scheme from a YAML file; a bad file is shown
    with its reason and nothing is saved."""
    data = await file.read(MAX_SCHEME_BYTES + 1)
    error = None
    if len(data) > MAX_SCHEME_BYTES:
        kb = MAX_SCHEME_BYTES // 1024
        error = f"文件超过 {kb} KB / the file is larger than {kb} KB"
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            error = "文件须为 UTF-8 编码的 YAML / the file must be YAML in UTF-8"
    if error is None:
        try:
            await run_in_threadpool(platform.set_assessment_scheme, text, actor=principal)
        except SchemeError as exc:
            error = str(exc)
    if error is not None:
        return await run_in_threadpool(_page, request, platform, lang, principal, None, None, error)
    return RedirectResponse("/assessment", status_code=303)


@router.get("/assessment.{kind}")
def assessment_file(
    kind: Literal["xlsx", "docx", "pdf"],
    platform: PlatformDep,
    principal: PrincipalDep,
    year: Year = None,
    version: Annotated[int | None, Query(ge=1, le=100000)] = None,
) -> FileResponse:
    """The year's scores as a workbook (with the breakdown), a Word document or a PDF."""
    chosen = year or _default_year()
    record = ranking_record(
        platform.assessment(chosen, actor=principal, version=version), platform.plan()
    )
    meta = platform.assessment_meta()
    return written_file(
        lambda path: write_assessment_file(kind, record, path, meta),
        f"xietong-assessment-{chosen}.{kind}",
        MEDIA[kind],
    )
