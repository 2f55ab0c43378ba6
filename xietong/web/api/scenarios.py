"""/api/v1/scenarios: pathways to 2035 — the scenarios and their levers, a run (pathway, peak,
target checklist), comparisons, wedges, the Monte Carlo fan, the sensitivity tables, user
scenarios posted as YAML, and the IAMC export. Every driver and lever size is an estimate
unless the lever's basis cites a plan target (``estimate`` on each lever)."""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from xietong.scenarios.least_cost import Request as LeastCostRequest
from xietong.scenarios.least_cost import caps_of
from xietong.scenarios.scenario import ScenarioError
from xietong.service.scenario_views import (
    SCENARIO_ID,
    fan_record,
    least_cost_record,
    run_record,
    scenario_problem,
    wedge_record,
)
from xietong.service.scenarios import MAX_DRAWS, MAX_SCENARIO_YAML
from xietong.web.api.cached import cached
from xietong.web.auth import PrincipalDep
from xietong.web.deps import PlatformDep

router = APIRouter(prefix="/scenarios", tags=["scenarios"])

ScenarioId = Annotated[
    str,
    Path(
        pattern=SCENARIO_ID.pattern,
        max_length=64,
        description="scenario id: baseline, plan, enhanced or a user scenario",
    ),
]
Seed = Annotated[int, Query(ge=0, le=2**32 - 1, description="random seed")]
MAX_COMPARE = 12


class Summary(BaseModel):
    """A scenario in the list: names, number of levers, shipped or user, what it extends; a
    user scenario that no longer loads says why in ``error``."""

    id: str
    zh: str
    en: str
    description: str
    description_zh: str = ""
    levers: int
    user: bool
    extends: str | None
    error: str | None = None


class LeverOut(BaseModel):
    """A lever: the rows it matches, what it changes them to, its size (``factor`` for scale
    and emission-factor levers, ``share`` for shift and control levers), the ramp from
    ``start`` to ``full`` times ``strength``, and the basis of its size."""

    id: str
    kind: str
    zh: str
    en: str
    match: dict[str, list[str]]
    exclude: dict[str, list[str]]
    to: dict[str, str]
    factor: float
    share: float
    substances: list[str]
    conversion: str
    start: int
    full: int
    strength: float
    size_field: str
    basis: str
    basis_zh: str = Field("", description="the basis in Chinese, where the file gives it")
    estimate: bool = Field(description="the size is an estimate (the basis cites no plan target)")


class ScenarioOut(BaseModel):
    """A scenario with its levers."""

    id: str
    zh: str
    en: str
    description: str
    description_zh: str = ""
    user: bool
    extends: str | None
    levers: list[LeverOut]


class PathwayPoint(BaseModel):
    """One year of a pathway (t): CO2 of the official caliber (the peak's indicator), end-use
    energy CO2 and the direct NOx, VOCs and SO2 totals; ``projected`` after the base year."""

    year: int
    projected: bool
    co2_official: float
    co2_energy: float
    NOx: float
    VOCs: float
    SO2: float


class YearValue(BaseModel):
    """A value (t) of one year."""

    year: int
    value: float


class SectorSeries(BaseModel):
    """CO2 of the official caliber (t) of one sector by year; the sectors add up to
    co2_official (the power plants' share is their CO2 less that of what they generate)."""

    sector: str
    values: list[YearValue]


class PeakOut(BaseModel):
    """The peak of the official-caliber CO2 (``indicator``): year, value (t), plateau
    (within 2 % of the peak) and whether it has peaked by 2025, 2030 and 2035 (peak year ≤ Y
    and the last year more than 2 % below the peak)."""

    indicator: str
    year: int
    value: float
    plateau_start: int
    plateau_end: int
    peaked_in_series: bool
    peaked_by: dict[str, bool]


class TargetCheck(BaseModel):
    """A plan target under the scenario: status on its deadline from the projected values,
    the first year met, the value at the deadline and the shortfall (value − goal), in the
    target's unit."""

    target_id: str
    indicator_id: str
    indicator_zh: str
    indicator_en: str
    direction: str
    goal: float | None
    unit: str
    unit_zh: str
    unit_en: str
    deadline: str
    status: str
    met: bool
    year_met: int | None
    value_at_deadline: float | None
    shortfall: float | None


class RunOut(BaseModel):
    """A scenario run: the pathway (history to the base year, then projected), CO2 by
    sector, the peak and the target checklist."""

    scenario: ScenarioOut
    base_year: int
    end_year: int
    pathway: list[PathwayPoint]
    sectors: list[SectorSeries]
    peak: PeakOut
    targets: list[TargetCheck]


class ComparedScenario(BaseModel):
    """One scenario of a comparison: its pathway, peak and target checklist."""

    id: str
    zh: str
    en: str
    description: str
    description_zh: str = ""
    levers: int
    user: bool
    extends: str | None
    pathway: list[PathwayPoint]
    peak: PeakOut
    targets: list[TargetCheck]


class Comparison(BaseModel):
    """Scenarios side by side (same years)."""

    base_year: int
    years: list[int]
    indicator: str
    scenarios: list[ComparedScenario]


class WedgeLever(BaseModel):
    """CO2 avoided by one lever alone against the baseline (t by year of ``years``)."""

    id: str
    zh: str
    en: str
    estimate: bool
    avoided: list[float]
    cumulative: float
    at_2030: float | None


class WedgeRank(BaseModel):
    """A lever's place in the ranking by CO2 avoided over the projection."""

    rank: int
    id: str
    cumulative: float
    at_2030: float | None


class WedgesOut(BaseModel):
    """Wedges: each lever alone, the interaction term (combined − Σ single) and the combined
    effect, t of end-use energy CO2 avoided per projected year."""

    scenario: str
    indicator: str
    unit: str
    years: list[int]
    levers: list[WedgeLever]
    interaction: list[float]
    combined: list[float]
    cumulative_interaction: float
    cumulative_combined: float
    ranking: list[WedgeRank]


class FanOut(BaseModel):
    """Monte Carlo fan of end-use energy CO2: for each year the 5th, 25th, 50th, 75th and
    95th percentiles (t), and P(peaked by 2025 / 2030 / 2035)."""

    indicator: str
    unit: str
    draws: int
    seed: int
    base_year: int
    percentiles: list[int]
    years: list[int]
    values: list[list[float]]
    p_peak_by: dict[str, float]


class OneAtATime(BaseModel):
    """The output (t) with one input at its low and at its high bound, the others central."""

    input: str
    low: float
    high: float
    swing: float


class SobolIndex(BaseModel):
    """First-order and total Sobol indices of one input (None where the output does not
    vary)."""

    input: str
    s1: float | None
    st: float | None


class SensitivityOut(BaseModel):
    """Which assumptions matter for end-use energy CO2 in ``year``."""

    indicator: str
    unit: str
    year: int
    n: int
    seed: int
    one_at_a_time: list[OneAtATime]
    sobol: list[SobolIndex]


class Problem(BaseModel):
    """Why a scenario file was refused: the file, the key and the reason (nothing saved); with
    ``detail`` and ``problems``, as every error of the API."""

    detail: str
    problems: list[dict[str, object] | str] = []
    file: str | None
    key: str | None
    reason: str


@router.get("/", response_model=list[Summary])
@router.get("", response_model=list[Summary], include_in_schema=False)
@cached
def list_scenarios(platform: PlatformDep) -> list[Summary]:
    """The shipped scenarios (baseline, plan, enhanced) and the user scenarios."""
    return [Summary.model_validate(r) for r in platform.scenarios()]


@router.get("/compare", response_model=Comparison)
@cached
def compare(
    platform: PlatformDep,
    ids: Annotated[
        str, Query(max_length=1000, description="comma-separated ids, e.g. baseline,plan")
    ],
) -> Comparison:
    """Pathways, peaks and target checklists of several scenarios."""
    chosen = [i.strip() for i in ids.split(",") if i.strip()]
    if not chosen:
        raise HTTPException(422, "name at least one scenario: ?ids=baseline,plan")
    if len(chosen) > MAX_COMPARE:
        raise HTTPException(422, f"compare at most {MAX_COMPARE} scenarios")
    return Comparison.model_validate(platform.compare(chosen))


class LeastCostLever(BaseModel):
    """A candidate lever at its least-cost strength, with its range and present-value cost."""

    id: str
    zh: str
    en: str
    strength: float
    min: float
    max: float
    fixed: bool
    annual_cost: float = Field(description="CNY per year at strength 1 (estimate)")
    cost: float = Field(description="present-value cost at this strength (CNY)")
    basis: str
    basis_zh: str


class Binding(BaseModel):
    """A binding constraint and its shadow price (the marginal abatement cost, CNY/t)."""

    name: str
    name_zh: str
    shadow_price: float


class LeastCostOut(BaseModel):
    """The least-cost pathway: strengths, cost against the plan scenario's, binding
    constraints with their shadow prices, and the re-run through the projection."""

    request: dict[str, Any]
    levers: list[LeastCostLever]
    cost: float = Field(description="present value of the strengths' costs (CNY)")
    objective: float = Field(description="the programme's objective (co-benefit deducted)")
    plan_cost: float
    plan_meets: bool = Field(description="the plan scenario meets the same constraints")
    plan_failures: list[str]
    discount_rate: float
    binding: list[Binding]
    check_holds: bool = Field(description="every constraint holds on the re-run")
    check_failures: list[str]
    co2: dict[int, float] = Field(description="CO2 of the official caliber by year (t), re-run")
    co2_history: dict[int, float] = Field(description="the history it was judged with (t)")
    pollutants: dict[str, dict[int, float]]


@router.get(
    "/least-cost",
    response_model=LeastCostOut,
    responses={422: {"model": Problem, "description": "no lever strengths meet the request"}},
)
def get_least_cost(
    platform: PlatformDep,
    peak_by: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    nox_cap: Annotated[float | None, Query(ge=0)] = None,
    vocs_cap: Annotated[float | None, Query(ge=0)] = None,
    so2_cap: Annotated[float | None, Query(ge=0)] = None,
    pm25_cap: Annotated[float | None, Query(ge=0)] = None,
    cap_from: Annotated[int, Query(ge=2000, le=2100)] = 2025,
    co_benefit: bool = False,
) -> Response:
    """The least-cost lever strengths (HiGHS) for CO2 peaking by ``peak_by`` and pollutant
    caps (t per year from ``cap_from``), checked by re-running the projection; 422 says what
    to relax when no strengths meet the request."""
    caps = caps_of(nox_cap, vocs_cap, so2_cap, pm25_cap)
    request = LeastCostRequest(peak_by=peak_by, caps=caps, cap_from=cap_from, co_benefit=co_benefit)
    try:
        record = least_cost_record(platform.least_cost(request))
    except ScenarioError as exc:
        return _problem(str(exc))
    return JSONResponse(LeastCostOut.model_validate(record).model_dump(mode="json"))


@router.post("", include_in_schema=False, status_code=201)
@router.post(
    "/",
    response_model=ScenarioOut,
    status_code=201,
    responses={422: {"model": Problem, "description": "the file is refused; nothing is saved"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "a scenario file (YAML): id, zh, en, levers and/or extends + "
            "overrides, as in xietong/data/scenarios/",
            "content": {
                "application/x-yaml": {"schema": {"type": "string"}},
                "text/plain": {"schema": {"type": "string"}},
            },
        }
    },
)
async def post_scenario(
    request: Request,
    platform: PlatformDep,
    principal: PrincipalDep,
) -> Response:
    """Save a user scenario (YAML body), validated and run once; 422 names the file, the
    key and the reason, and saves nothing."""
    body = await request.body()
    if len(body) > MAX_SCENARIO_YAML:
        return _problem(f"scenario.yaml: larger than {MAX_SCENARIO_YAML // 1024} KB")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _problem("scenario.yaml: not UTF-8 text")
    try:
        scenario = await run_in_threadpool(platform.save_user_scenario, text, principal)
    except ScenarioError as exc:
        return _problem(str(exc))
    out = ScenarioOut.model_validate(platform.scenario_detail(scenario.id))
    return JSONResponse(
        out.model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/api/v1/scenarios/{scenario.id}"},
    )


def _problem(message: str) -> JSONResponse:
    body = {"detail": message, "problems": [], **scenario_problem(message)}
    return JSONResponse(body, status_code=422)


@router.delete(
    "/{scenario_id}",
    status_code=204,
    responses={
        403: {"description": "not the scenario's owner, a reviewer or an administrator"},
        404: {"description": "no such user scenario"},
        422: {"model": Problem, "description": "shipped, or extended by another scenario"},
    },
)
def delete_scenario(
    scenario_id: ScenarioId, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Delete a user scenario (its text is kept in the audit log)."""
    try:
        platform.delete_user_scenario(scenario_id, actor=principal)
    except ScenarioError as exc:
        return _problem(str(exc))
    return Response(status_code=204)


@router.get("/{scenario_id}", response_model=ScenarioOut)
@cached
def get_scenario(scenario_id: ScenarioId, platform: PlatformDep) -> ScenarioOut:
    """A scenario with its levers."""
    return ScenarioOut.model_validate(platform.scenario_detail(scenario_id))


@router.get("/{scenario_id}/run", response_model=RunOut)
@cached
def get_run(scenario_id: ScenarioId, platform: PlatformDep) -> RunOut:
    """The scenario projected to 2035: pathway, CO2 by sector, peak and target checklist."""
    result = platform.run_scenario(scenario_id)
    rec = run_record(
        platform.scenario_detail(scenario_id), result, platform.plan(), platform.drivers().base_year
    )
    return RunOut.model_validate(rec)


@router.get("/{scenario_id}/wedges", response_model=WedgesOut)
@cached
def get_wedges(scenario_id: ScenarioId, platform: PlatformDep) -> WedgesOut:
    """CO2 avoided by each lever alone against the baseline, their interaction and the
    combined effect; the levers ranked by CO2 avoided over the projection."""
    w = platform.wedges(scenario_id)
    rec = wedge_record(w, platform.scenario(scenario_id), platform.drivers().base_year)
    return WedgesOut.model_validate(rec)


@router.get("/{scenario_id}/uncertainty", response_model=FanOut)
@cached
def get_uncertainty(
    scenario_id: ScenarioId,
    platform: PlatformDep,
    draws: Annotated[int, Query(ge=10, le=MAX_DRAWS, description="Monte Carlo draws")] = 1000,
    seed: Seed = 20230,
) -> FanOut:
    """Seeded Monte Carlo of end-use energy CO2 (growth rates and lever strengths drawn):
    percentiles by year and P(peaked by 2025 / 2030 / 2035)."""
    fan = platform.scenario_uncertainty(scenario_id, draws, seed)
    return FanOut.model_validate(fan_record(fan, platform.drivers().base_year))


@router.get("/{scenario_id}/sensitivity", response_model=SensitivityOut)
@cached
def get_sensitivity(
    scenario_id: ScenarioId,
    platform: PlatformDep,
    year: Annotated[int, Query(ge=1900, le=2100, description="a projected year")] = 2030,
    n: Annotated[
        int, Query(ge=64, le=1024, description="Sobol base sample: 64, 128, 256, 512 or 1024")
    ] = 256,
    seed: Seed = 20230,
) -> SensitivityOut:
    """One-at-a-time swings and Sobol indices (S1, ST) of end-use energy CO2 in ``year``."""
    try:
        record = platform.sensitivity(scenario_id, year=year, n=n, seed=seed)
    except ValueError as e:  # n outside SOBOL_N, or beyond the budget for this many levers
        raise HTTPException(422, str(e)) from e
    return SensitivityOut.model_validate(record)


@router.get(
    "/{scenario_id}/export.iamc.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "the IAMC table (pyam)"}},
)
def export_iamc(
    scenario_id: ScenarioId,
    platform: PlatformDep,
    gwp: Literal["AR4", "AR5", "AR6"] = "AR5",
) -> Response:
    """The scenario's projected inventory as an IAMC table (model, scenario, region,
    variable, unit, years), written by pyam; CO2e under ``gwp``."""
    with tempfile.TemporaryDirectory(prefix="xietong-iamc-") as tmp:
        path = FilePath(tmp) / f"{scenario_id}.csv"
        platform.export_scenarios(path, [scenario_id], "iamc", gwp=gwp)
        content = path.read_bytes()
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="xietong-{scenario_id}-iamc.csv"'},
    )
