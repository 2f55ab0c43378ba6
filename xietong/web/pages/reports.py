"""The reports page (the bureau only): the year's report to the committee and the inventory
report as Word, PDF (and Excel) files, with the date the data run to and the data version. The
inventory report downloads for anyone signed in (as the inventory pages)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from xietong.accounts.roles import Action
from xietong.errors import XietongError
from xietong.files.annual_report_document import MEDIA, write_annual_report_file
from xietong.files.inventory_document import write_inventory_file
from xietong.service.annual_report import annual_report_record
from xietong.service.inventory_report import inventory_report_record
from xietong.web.auth import PrincipalDep
from xietong.web.deps import LangDep, PlatformDep
from xietong.web.downloads import written_file
from xietong.web.pages.waiting import inventory_work, wait_for
from xietong.web.render import render

router = APIRouter(include_in_schema=False)

Year = Annotated[int | None, Query(ge=2000, le=2100)]


@router.get("/reports", response_class=HTMLResponse)
def reports(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    year: Year = None,
) -> HTMLResponse:
    """The reports of a year to download, and what their figures rest on (a waiting page
    while the inventory is first built)."""
    platform.authorize(principal, Action.READ_ASSESSMENT)
    waiting = wait_for(request, platform, lang, inventory_work(platform)[:1])
    if waiting is not None:
        return waiting
    today = dt.date.today()
    chosen = min(year or today.year, today.year)
    plan = platform.plan()
    first = min(plan.base_year or chosen, chosen)
    try:
        inventory_years = list(reversed(platform.inventory().years))
    except XietongError:
        inventory_years = []
    return render(
        request,
        "reports.html",
        lang,
        {
            "year": chosen,
            "years": list(range(today.year, first - 1, -1)),
            "inventory_years": inventory_years,
            "inventory_year": (
                chosen if chosen in inventory_years else next(iter(inventory_years), None)
            ),
            "meta": platform.assessment_meta(),
        },
    )


@router.get("/reports/annual.{kind}")
def annual_file(
    kind: Literal["docx", "pdf"],
    platform: PlatformDep,
    principal: PrincipalDep,
    year: Year = None,
) -> FileResponse:
    """The year's report to the committee as a Word document or a PDF."""
    chosen = year or dt.date.today().year
    record = annual_report_record(platform, chosen, actor=principal)
    return written_file(
        lambda path: write_annual_report_file(kind, record, path),
        f"xietong-annual-report-{chosen}.{kind}",
        MEDIA[kind],
    )


@router.get("/reports/inventory.{kind}")
def inventory_file(
    kind: Literal["docx", "pdf", "xlsx"],
    platform: PlatformDep,
    principal: PrincipalDep,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
) -> FileResponse:
    """The inventory report of ``year`` (default: the last) as Word, PDF or Excel tables."""
    chosen = year or platform.latest_inventory_year()
    record = inventory_report_record(platform, chosen)
    return written_file(
        lambda path: write_inventory_file(kind, record, path),
        f"xietong-inventory-report-{chosen}.{kind}",
        MEDIA[kind],
    )
