"""``/api/v1/reports``: the year's 考核 scores (the bureau only)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from xietong.service.assessment_views import ranking_record
from xietong.web.auth import PrincipalDep
from xietong.web.deps import PlatformDep

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
