"""``/api/v1/reports``: the index of reports; the year's report to the committee as JSON, Word
or PDF and the 考核 scores (the bureau only); the GHG inventory report as JSON, Word, PDF or
Excel tables (anyone signed in, as the inventory pages)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel

from xietong.files.annual_report_document import MEDIA, write_annual_report_file
from xietong.files.inventory_document import write_inventory_file
from xietong.service.annual_report import annual_report_record
from xietong.service.assessment_views import ranking_record
from xietong.service.inventory_report import inventory_report_record
from xietong.web.auth import PrincipalDep
from xietong.web.deps import PlatformDep
from xietong.web.downloads import written_file

router = APIRouter(prefix="/reports", tags=["reports"])


class CriterionOut(BaseModel):
    """A criterion of the scheme."""

    id: str
    zh: str
    en: str
    weight: float
    rule: str
    basis: str
    basis_zh: str


class SchemeOut(BaseModel):
    """The scheme the scores were computed with (its version and edition)."""

    version: int
    edition: str
    title_zh: str
    title_en: str
    total: float
    criteria: list[CriterionOut]


class CriterionScoreOut(BaseModel):
    """One criterion for one unit: fraction 0–1 (None: nothing to judge), weight after the
    rescaling, points, items judged and a one-line account."""

    id: str
    zh: str
    en: str
    fraction: float | None
    weight: float
    points: float
    counted: int
    detail: str


class TargetItemOut(BaseModel):
    """A target the unit was judged on: its status on 31 December and its points."""

    target_id: str
    indicator_id: str
    status: str
    points: float
    estimated: bool


class ReportItemOut(BaseModel):
    """An owed task report: due, submitted (None: never), accepted, first time, evidence."""

    period_id: str
    task_id: str
    due: dt.date
    submitted: dt.date | None
    accepted: bool
    first_time: bool
    evidence: bool


class UnitScoreOut(BaseModel):
    """A unit's score (None: nothing to judge), rank, change on the previous year and
    breakdown."""

    kind: str
    code: str
    name_zh: str
    name_en: str
    year: int
    rank: int | None
    total: float | None
    change: float | None
    estimated: bool
    criteria: list[CriterionScoreOut]
    targets: list[TargetItemOut]
    reports: list[ReportItemOut]


class AssessmentOut(BaseModel):
    """The year's 考核: the scheme and every district's and body's score, best first."""

    year: int
    scheme: SchemeOut
    districts: list[UnitScoreOut]
    bodies: list[UnitScoreOut]


@router.get("/assessment", response_model=AssessmentOut)
def get_assessment(
    platform: PlatformDep,
    principal: PrincipalDep,
    year: Annotated[int, Query(ge=2000, le=2100, description="the year assessed")],
) -> AssessmentOut:
    """Each district's and body's 考核 score for ``year`` by the scheme in force, with the
    points of each criterion, the targets and reports it was judged on, the rank and the
    change on the previous year (the bureau only: 403 otherwise)."""
    ranking = platform.assessment(year, actor=principal)
    return AssessmentOut.model_validate(ranking_record(ranking, platform.plan()))


class ReportKindOut(BaseModel):
    """A report the platform writes: its id, names, formats and where to get it."""

    id: str
    zh: str
    en: str
    formats: list[str]
    url: str


REPORTS = (
    ReportKindOut(
        id="annual",
        zh="年度工作情况报告（报市生态环境保护委员会）",
        en="annual report to the eco-environment committee",
        formats=["json", "docx", "pdf"],
        url="/api/v1/reports/annual?year={year}&format={format}",
    ),
    ReportKindOut(
        id="inventory",
        zh="温室气体清单报告",
        en="greenhouse-gas inventory report",
        formats=["json", "docx", "pdf", "xlsx"],
        url="/api/v1/reports/inventory?year={year}&format={format}",
    ),
    ReportKindOut(
        id="assessment",
        zh="考核得分",
        en="考核 scores of districts and bodies",
        formats=["json"],
        url="/api/v1/reports/assessment?year={year}",
    ),
)


@router.get("", response_model=list[ReportKindOut])
def list_reports(principal: PrincipalDep) -> list[ReportKindOut]:
    """The reports the platform writes for the committee, their formats and URLs."""
    return list(REPORTS)


class TargetStateOut(BaseModel):
    """A target's state in the annual report (judged on ``status_day``)."""

    id: str
    measure: int | None
    indicator_id: str
    indicator_zh: str
    unit_zh: str
    direction: str
    goal: float | None
    deadline: dt.date
    baseline: float | None
    baseline_year: int | None
    latest_value: float | None
    latest_period: dt.date | None
    status: str
    status_zh: str
    quality: str | None
    estimated: bool
    reason_zh: str


class MeasureStateOut(BaseModel):
    """A measure's state in the annual report and its milestones done."""

    number: int
    title_zh: str
    lead_zh: str
    state: str
    state_zh: str
    estimated: bool
    milestones: int
    milestones_done: int


class AnnualReportOut(BaseModel):
    """The year's report to the committee: targets, measures, delivery, inventory, synergy
    degree, risks and priorities, with the data's date and version (``meta``)."""

    year: int
    city_zh: str
    plan_zh: str
    document_number: str
    status_day: dt.date
    meta: dict[str, str]
    targets: list[TargetStateOut]
    target_counts: dict[str, int]
    measures: list[MeasureStateOut]
    measure_counts: dict[str, int]
    delivery: dict[str, Any]
    inventory: dict[str, Any]
    synergy: dict[str, Any]
    synergy_target: TargetStateOut | None
    risks: list[dict[str, str]]
    priorities: list[dict[str, str]]
    estimated: bool


@router.get(
    "/annual",
    response_model=AnnualReportOut,
    responses={
        200: {
            "content": {MEDIA["docx"]: {}, MEDIA["pdf"]: {}},
            "description": "the report as JSON, a Word document or a PDF",
        }
    },
)
def get_annual_report(
    platform: PlatformDep,
    principal: PrincipalDep,
    year: Annotated[int, Query(ge=2000, le=2100, description="the year reported")],
    format: Annotated[
        Literal["json", "docx", "pdf"], Query(description="json, docx or pdf")
    ] = "json",
) -> AnnualReportOut | FileResponse:
    """The year's report to the city's eco-environment committee (the bureau only: 403
    otherwise; 404 for a year not begun): the same record the Word and PDF files print."""
    record = annual_report_record(platform, year, actor=principal)
    if format == "json":
        return AnnualReportOut.model_validate(record)
    return written_file(
        lambda path: write_annual_report_file(format, record, path),
        f"xietong-annual-report-{year}.{format}",
        MEDIA[format],
    )


class InventoryReportOut(BaseModel):
    """The inventory report of a year in the structure of the provincial guideline: scope,
    methods, activity data, factors, results by sector and gas, uncertainty, previous years,
    gaps and quality; emissions in t (greenhouse gases also t CO2e under ``gwp``)."""

    kind: str
    title: str
    city: dict[str, str]
    year: int
    gwp: str
    guideline: str
    meta: dict[str, Any]
    scope: dict[str, Any]
    methods: dict[str, Any]
    activity: list[dict[str, Any]]
    factors: list[dict[str, Any]]
    results: dict[str, Any]
    uncertainty: dict[str, Any]
    trend: list[dict[str, Any]]
    quality: dict[str, Any]
    estimated: bool
    demo: bool


@router.get(
    "/inventory",
    response_model=InventoryReportOut,
    responses={
        200: {
            "content": {MEDIA["docx"]: {}, MEDIA["pdf"]: {}, MEDIA["xlsx"]: {}},
            "description": "the report as JSON, a Word document, a PDF or Excel tables",
        }
    },
)
def get_inventory_report(
    platform: PlatformDep,
    principal: PrincipalDep,
    year: Annotated[
        int | None, Query(ge=1990, le=2100, description="the inventory year (default: the last)")
    ] = None,
    gwp: Literal["AR4", "AR5", "AR6"] = "AR5",
    format: Annotated[
        Literal["json", "docx", "pdf", "xlsx"], Query(description="json, docx, pdf or xlsx")
    ] = "json",
) -> InventoryReportOut | FileResponse:
    """The city's GHG inventory report of ``year`` (404 for a year without data): the same
    record the Word, PDF and Excel files hold, the same figures as ``/api/v1/inventory``."""
    chosen = year or platform.latest_inventory_year()
    record = inventory_report_record(platform, chosen, gwp=gwp)
    if format == "json":
        return InventoryReportOut.model_validate(record)
    return written_file(
        lambda path: write_inventory_file(format, record, path),
        f"xietong-inventory-report-{chosen}.{format}",
        MEDIA[format],
    )
