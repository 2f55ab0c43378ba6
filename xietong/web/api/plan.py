"""/api/v1: the plan's measures, targets, bodies and districts, with statuses and roll-ups."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from xietong.errors import NotFound
from xietong.plan.milestones import MeasureStatus
from xietong.plan.models import Body, District, Goal, Measure, Plan, Target, Text
from xietong.plan.progress import Assessment, ProgressRecord
from xietong.plan.rollup import RollUp
from xietong.web.api.cached import cached
from xietong.web.deps import PlatformDep

router = APIRouter(tags=["plan"])


class PlanSummary(BaseModel):
    """The plan's identity, goals and sizes."""

    id: str
    city: Text
    title: Text
    document_number: str
    issued: dt.date
    goals: list[Goal]
    measures: int
    targets: int
    bodies: int
    districts: int


class MeasureDetail(BaseModel):
    """A measure with its targets and their statuses, its milestones' statuses and its own
    status (未启动/推进中/已完成/滞后, docs/methods/status.md)."""

    measure: Measure
    targets: list[Target]
    assessments: list[Assessment]
    status: MeasureStatus


class TargetDetail(BaseModel):
    """A target with its status, progress records and responsible bodies."""

    target: Target
    assessment: Assessment
    progress: list[ProgressRecord]
    comparisons: list[ProgressRecord]
    responsible: list[str]


class BodyDetail(BaseModel):
    """A body with the measures it leads or cooperates on and the targets it answers for."""

    body: Body
    leads: list[int]
    cooperates: list[int]
    targets: list[str]


class DistrictDetail(BaseModel):
    """A district with the targets it carries out and their status on its own figures."""

    district: District
    measures: list[int]
    assessments: list[Assessment]


def _body(plan: Plan, code: str | None) -> str | None:
    if code is None:
        return None
    try:
        return plan.body(code).code
    except KeyError:
        raise NotFound(f"no body '{code}'") from None


AsOf = Annotated[dt.date | None, Query(description="Judge statuses on this date (default today)")]


@router.get("/plan", response_model=PlanSummary)
@cached
def get_plan(platform: PlatformDep) -> PlanSummary:
    """The plan document's identity and goals."""
    p = platform.plan()
    return PlanSummary(
        id=p.id,
        city=p.city,
        title=p.title,
        document_number=p.document_number,
        issued=p.issued,
        goals=p.goals,
        measures=len(p.measures),
        targets=len(p.targets),
        bodies=len(p.bodies),
        districts=len(p.districts),
    )


@router.get("/measures", response_model=list[Measure])
@cached
def list_measures(
    platform: PlatformDep,
    body: str | None = None,
    chapter: Annotated[int | None, Query(ge=1, le=100)] = None,
) -> list[Measure]:
    """Measures, optionally of one body (code or Chinese name) or chapter."""
    plan = platform.plan()
    code = _body(plan, body)
    items = plan.measures_of_body(code) if code else list(plan.measures)
    return [m for m in items if chapter is None or m.chapter == chapter]


@router.get("/measures/{number}", response_model=MeasureDetail)
@cached
def get_measure(
    number: Annotated[int, Path(ge=1, le=1000)], platform: PlatformDep, as_of: AsOf = None
) -> MeasureDetail:
    """One measure with its targets and statuses."""
    plan = platform.plan()
    try:
        m = plan.measure(number)
    except KeyError:
        raise NotFound(f"no measure {number}") from None
    targets = plan.targets_of_measure(number)
    assessments = platform.assessments(as_of)
    return MeasureDetail(
        measure=m,
        targets=targets,
        assessments=[assessments[t.id] for t in targets],
        status=platform.measure_statuses(as_of)[number],
    )


@router.get("/targets", response_model=list[Target])
@cached
def list_targets(
    platform: PlatformDep,
    body: str | None = None,
    measure: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> list[Target]:
    """Targets, optionally of one body or measure."""
    plan = platform.plan()
    code = _body(plan, body)
    return [
        t
        for t in plan.targets
        if (code is None or code in plan.responsible_bodies(t))
        and (measure is None or t.measure == measure)
    ]


@router.get("/targets/{target_id}", response_model=TargetDetail)
@cached
def get_target(target_id: str, platform: PlatformDep, as_of: AsOf = None) -> TargetDetail:
    """One target with its status, its indicator's values and the comparison values reported
    beside them."""
    plan = platform.plan()
    try:
        t = plan.target(target_id)
    except KeyError:
        raise NotFound(f"no target '{target_id}'") from None
    return TargetDetail(
        target=t,
        assessment=platform.assessments(as_of)[t.id],
        progress=platform.records(t.id),
        comparisons=platform.comparisons(t.id),
        responsible=plan.responsible_bodies(t),
    )


@router.get("/bodies", response_model=list[Body])
@cached
def list_bodies(platform: PlatformDep) -> list[Body]:
    """Responsible bodies."""
    return list(platform.plan().bodies)


@router.get("/bodies/{code}", response_model=BodyDetail)
@cached
def get_body(code: str, platform: PlatformDep) -> BodyDetail:
    """One body with its measures and targets."""
    plan = platform.plan()
    b = plan.body(_body(plan, code) or code)
    return BodyDetail(
        body=b,
        leads=[m.number for m in plan.measures if m.lead == b.code],
        cooperates=[m.number for m in plan.measures if b.code in m.cooperating],
        targets=[t.id for t in plan.targets if b.code in plan.responsible_bodies(t)],
    )


@router.get("/districts", response_model=list[District])
@cached
def list_districts(platform: PlatformDep) -> list[District]:
    """Districts and zones."""
    return list(platform.plan().districts)


@router.get("/districts/{code}", response_model=DistrictDetail)
@cached
def get_district(code: str, platform: PlatformDep, as_of: AsOf = None) -> DistrictDetail:
    """One district: the measures it carries out and the status of the targets that apply to
    it (every-district targets on its own figures, the sites it hosts on theirs)."""
    plan = platform.plan()
    try:
        d = plan.district(code)
    except KeyError:
        raise NotFound(f"no district '{code}'") from None
    assessments = platform.assessments(as_of, d.code)
    return DistrictDetail(
        district=d,
        measures=[m.number for m in plan.measures_of_district()],
        assessments=list(assessments.values()),
    )


@router.get("/status", response_model=list[Assessment])
@cached
def get_status(
    platform: PlatformDep, as_of: AsOf = None, district: str | None = None
) -> list[Assessment]:
    """Status of every target (city-wide, or on one district's own figures)."""
    plan = platform.plan()
    dcode = None
    if district is not None:
        try:
            dcode = plan.district(district).code
        except KeyError:
            raise NotFound(f"no district '{district}'") from None
    return list(platform.assessments(as_of, dcode).values())


@router.get("/rollups/{by}", response_model=list[RollUp])
@cached
def get_rollups(
    by: Literal["measure", "body", "district"], platform: PlatformDep, as_of: AsOf = None
) -> list[RollUp]:
    """Status counts by measure, body or district, with the worst status and the share of
    targets with data that are achieved or on track."""
    return platform.rollups(by, as_of)
