"""The 考核 page: every district's and body's score for a year, with its breakdown and the
workbook to download (the bureau only)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from starlette.background import BackgroundTask

from xietong.files.assessment_workbook import write_assessment_workbook
from xietong.service.assessment_views import ranking_record
from xietong.web.auth import PrincipalDep
from xietong.web.deps import LangDep, PlatformDep
from xietong.web.render import render

router = APIRouter(include_in_schema=False)

Year = Annotated[int | None, Query(ge=2000, le=2100)]


def _default_year() -> int:
    return dt.date.today().year - 1


@router.get("/assessment", response_class=HTMLResponse)
def assessment(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    year: Year = None,
) -> HTMLResponse:
    """The year's 考核: the scheme, a chart of the totals, the districts' and the bodies'
    tables and each unit's breakdown."""
    chosen = year or _default_year()
    plan = platform.plan()
    record = ranking_record(platform.assessment(chosen, actor=principal), plan)
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
        {"record": record, "year": chosen, "years": years, "chart": chart},
    )


@router.get("/assessment.xlsx")
def assessment_xlsx(
    platform: PlatformDep, principal: PrincipalDep, year: Year = None
) -> FileResponse:
    """The year's scores and their breakdown as a workbook."""
    chosen = year or _default_year()
    record = ranking_record(platform.assessment(chosen, actor=principal), platform.plan())
    tmp = Path(tempfile.mkdtemp()) / "assessment.xlsx"
    write_assessment_workbook(record, tmp)
    return FileResponse(
        tmp,
        filename=f"xietong-assessment-{chosen}.xlsx",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        background=BackgroundTask(lambda: tmp.unlink(missing_ok=True)),
    )
