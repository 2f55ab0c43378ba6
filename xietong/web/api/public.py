"""/api/v1/public: the public portal's figures as JSON, without log-in: the same records as
its pages, holding only the fields of :data:`xietong.service.public_views.PUBLIC_FIELDS`."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from xietong.service.public_views import public_measures, public_overview, public_targets
from xietong.web.deps import PlatformDep

router = APIRouter(tags=["public"])


class PublicTarget(BaseModel):
    """A target as the public sees it: indicator, unit, base, goal, latest value and status;
    ``basis`` says what the status rests on (``official``, ``estimate`` or ``demo``, None
    when nothing was judged)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    indicator_zh: str
    indicator_en: str
    unit_zh: str
    unit_en: str
    direction: str
    base_value: float | None
    base_year: int | None
    goal_value: float | None
    goal_year: int
    latest_value: float | None
    latest_year: int | None
    status: str
    basis: str | None


class PublicMeasure(BaseModel):
    """A measure as the public sees it: title, chapter, lead department and status
    (``on_estimate``: it rests on estimates or demo figures)."""

    model_config = ConfigDict(extra="forbid")

    number: int
    chapter: int
    chapter_zh: str
    chapter_en: str
    title_zh: str
    title_en: str
    status: str
    on_estimate: bool
    lead_zh: str | None
    lead_en: str | None


class PublicOverview(BaseModel):
    """The portal's front page: the plan, the date the figures run to (``data_as_of``), the
    count of targets in each status, the number of targets and measures, and the headline
    indicators."""

    model_config = ConfigDict(extra="forbid")

    plan_title_zh: str
    plan_title_en: str
    document_number: str
    data_as_of: str | None
    status_counts: dict[str, int]
    targets: int
    measures: int
    headline: list[PublicTarget]


@router.get("/public", response_model=PublicOverview)
def overview(platform: PlatformDep) -> PublicOverview:
    """The plan's headline indicators and the count of targets in each status."""
    record = public_overview(
        platform.plan(),
        platform.assessments(),
        platform.measure_statuses(),
        platform.data_as_of(),
    )
    return PublicOverview.model_validate(record)


@router.get("/public/targets", response_model=list[PublicTarget])
def targets(platform: PlatformDep) -> list[PublicTarget]:
    """Every target with its latest value and status."""
    rows = public_targets(platform.plan(), platform.assessments())
    return [PublicTarget.model_validate(r) for r in rows]


@router.get("/public/measures", response_model=list[PublicMeasure])
def measures(platform: PlatformDep) -> list[PublicMeasure]:
    """Every measure with its lead department and status."""
    rows = public_measures(platform.plan(), platform.measure_statuses())
    return [PublicMeasure.model_validate(r) for r in rows]
