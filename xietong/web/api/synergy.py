"""/api/v1/synergy: the synergy of pollution and carbon reduction — the city's synergy degree
series, the district ranking, the co-control coordinates between two years, the LMDI drivers,
the measures and the MAC curve. Every CO2e figure names its GWP set."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from xietong.accounting.inventory import InventoryOptions
from xietong.service.synergy_views import (
    curve_records,
    decomposition_record,
    district_records,
    measure_record,
    series_records,
)
from xietong.synergy.equivalents import weight_sets
from xietong.synergy.index import load_system
from xietong.web.api.cached import cached
from xietong.web.deps import PlatformDep

router = APIRouter(prefix="/synergy", tags=["synergy"])

Co2Method = Annotated[
    Literal["china", "ipcc"],
    Query(description="fuel CO2: china (AD × NCV × CC × OF × 44/12) or ipcc (AD × NCV × EF)"),
]
Year = Annotated[int | None, Query(ge=1900, le=2100)]
Weights = Annotated[
    Literal["expert", "entropy"],
    Query(
        description="indicator weights within a subsystem: the documented expert set, or "
        "entropy weights over the years"
    ),
]
Substance = Literal[
    "CO2", "SO2", "NOx", "PM10", "PM2.5", "VOCs", "CO", "CH4", "N2O", "NH3", "COD", "NH3-N"
]


class SeriesPoint(BaseModel):
    """The synergy degree of one year: the subsystem scores, the coupling C, the coordination
    T, the degree D with its grade, which indicators were missing, and the consistency flag."""

    year: int
    u: dict[str, float | None] = Field(
        description="subsystem scores in [0, 1] by subsystem id (None: not scored that year)"
    )
    c: float
    t: float
    d: float
    grade: int
    grade_zh: str
    grade_en: str
    index: float = Field(description="the coordination T, the synergy index used for ranking")
    subsystems: int = Field(description="how many subsystems entered C and T")
    complete: bool = Field(description="every indicator of the system was scored")
    missing: list[str] = Field(description="indicators without a value that year")
    consistent: bool = Field(
        description="false when the grade reads 协调 while the year's co-control coordinates "
        "say pollution or carbon rose"
    )
    flag_zh: str
    flag_en: str


class Subsystem(BaseModel):
    """A subsystem of the indicator system and its coordination weight β."""

    id: str
    zh: str
    en: str
    weight: float


class SynergyIndex(BaseModel):
    """The city's synergy degree by year, every indicator scored against fixed references
    (the reference year's value or a standard scores the pass mark, a target full marks)."""

    base_year: int = Field(description="the reference year (the plan's base year)")
    version: int = Field(description="version of the indicator system")
    weights: str = Field(description="expert or entropy weights within the subsystems")
    subsystems: list[Subsystem]
    target_id: str = Field(description="the plan target fed with D (indicator synergy_degree)")
    series: list[SeriesPoint]


class DistrictPoint(BaseModel):
    """A district's synergy degree and index in the year, and its rank (1 = best)."""

    district: str
    rank: int
    d: float
    index: float
    u: dict[str, float | None]
    grade: int
    grade_zh: str
    grade_en: str
    missing: list[str]
    basis: str = Field(
        description="own: the district's own activity rows and statistics; allocated: "
        "city-wide rows allocated by proxy shares (docs/methods/inventory.md)"
    )
    demo: bool = Field(description="the ranking rests on demo shares or statistics (演示数据)")


class DistrictRanking(BaseModel):
    """Districts ranked by the synergy index: on the districts' own activity rows and
    statistics, else on the city-wide rows allocated by the city's proxy shares (``basis``);
    empty when neither gives a district."""

    year: int
    districts: list[DistrictPoint]
    note: str


class CoordinatePair(BaseModel):
    """The city between two years on the co-control coordinates: reductions (positive = fell),
    rates, the quadrant and the cross-elasticity of a GHG against one pollutant (or APeq)."""

    ghg: str
    gwp: str | None
    ghg_unit: str
    pollutant: str
    pollutant_unit: str
    year0: int
    year1: int
    ghg0: float
    ghg1: float
    pollutant0: float
    pollutant1: float
    ghg_reduction: float
    pollutant_reduction: float
    ghg_rate: float | None
    pollutant_rate: float | None
    quadrant: str | None
    quadrant_zh: str | None
    quadrant_en: str | None
    elasticity: float | None
    note: str


class Coordinates(BaseModel):
    """Co-control coordinates of the city between ``year0`` and ``year1``."""

    year0: int
    year1: int
    ghg: str
    gwp: str | None
    apeq_weights: str = Field(description="pollution-equivalent weight set of APeq")
    pairs: list[CoordinatePair]


class DecompositionOut(BaseModel):
    """LMDI-I drivers of a change: additive effects (t) summing to ``change`` and
    multiplicative effects (ratios) multiplying to ``vt / v0``."""

    substance: str
    year0: int
    year1: int
    unit: str
    method: str = Field(description="kaya (fuel combustion) or structural (by 三次产业)")
    scope: str
    factors: list[str]
    v0: float
    vt: float
    change: float
    additive: dict[str, float]
    multiplicative: dict[str, float | None]
    residual: float


class MeasureOut(BaseModel):
    """One measure at full implementation for one year: reductions (t), CO2e under ``gwp``
    (direct + indirect), APeq, costs (CNY/yr; per t, None where no CO2e is cut), quadrant."""

    id: str
    plan_measure: int
    zh: str
    en: str
    size: dict[str, str | int | float]
    basis: str
    basis_zh: str = ""
    quality: str
    reduction: dict[str, float]
    gwp: str
    co2e_reduction: float
    co2e_reduction_direct: float
    apeq_reduction: float
    cost_cny: float | None
    cost_basis: str
    cost_basis_zh: str = ""
    cost_per_t_co2e: float | None
    cost_per_t_apeq: float | None
    net_cost: float | None
    net_cost_per_t_co2e: float | None
    co_benefit_cny: float = Field(
        description="environmental tax avoided, CNY per year (环境保护税法, the province's rates)"
    )
    on_curve: bool
    quadrant: str | None
    quadrant_zh: str | None
    quadrant_en: str | None
    elasticity: float | None
    factor_ids: list[str]


class MacStep(BaseModel):
    """One bar of the MAC curve: from ``start`` for ``width`` t CO2e, at ``height`` CNY/t."""

    measure_id: str
    zh: str
    en: str
    start: float
    width: float
    height: float
    net: bool
    gwp: str


class MeasuresOut(BaseModel):
    """The measures with their effects and costs, the co-benefit value they are netted with,
    and the city totals (direct CO2e, APeq) they are placed against."""

    year: int
    gwp: str
    tax_rates: str = Field(
        description="the province whose environmental-tax rates value the co-benefit"
    )
    co_benefit_basis: str
    co_benefit_basis_zh: str = ""
    city_year: int | None
    city_co2e: float | None
    city_apeq: float | None
    measures: list[MeasureOut]


class MacOut(BaseModel):
    """The MAC curve, cheapest first (net of the air-quality co-benefit unless ``net`` is
    false)."""

    gwp: str
    net: bool
    steps: list[MacStep]


def _options(co2_method: str) -> InventoryOptions:
    return InventoryOptions(co2_method=co2_method)


@router.get("/index", response_model=SynergyIndex)
@cached
def get_index(
    platform: PlatformDep, co2_method: Co2Method = "china", weights: Weights = "expert"
) -> SynergyIndex:
    """The city's synergy degree D by year (404 when the inventory lacks the reference year
    2020)."""
    system = load_system()
    frame = platform.synergy_data(_options(co2_method)).series(system, weights)
    return SynergyIndex(
        base_year=system.reference_year,
        version=system.version,
        weights=weights,
        subsystems=[
            Subsystem(id=s.id, zh=s.zh, en=s.en, weight=s.weight) for s in system.subsystems
        ],
        target_id="synergy-degree-2025",
        series=[SeriesPoint.model_validate(r) for r in series_records(frame)],
    )


@router.get("/districts", response_model=DistrictRanking)
@cached
def get_districts(
    platform: PlatformDep, year: Year = None, co2_method: Co2Method = "china"
) -> DistrictRanking:
    """Districts ranked by the synergy index in ``year`` (default: the latest year)."""
    data = platform.synergy_data(_options(co2_method))
    chosen = year if year is not None else data.default_years()[1]
    rows = district_records(data.districts(chosen))
    if not rows:
        note = (
            "暂无分区数据 no district data yet: no district has its own activity rows and "
            "statistics (GDP, real index, population) for the base year and this year, and the "
            "city ships no district allocation"
        )
    elif rows[0]["basis"] == "allocated":
        note = (
            ("演示数据 demo: " if rows[0]["demo"] else "")
            + "city-wide activity rows allocated to the districts by proxy shares (population: "
            "2020 census; GDP, industry, agriculture, forest and port shares: demo values); the "
            "ranking reflects the shares and the sector mix, not measured district performance"
        )
    else:
        note = ""
    return DistrictRanking(
        year=chosen, districts=[DistrictPoint.model_validate(r) for r in rows], note=note
    )


@router.get("/coordinates", response_model=Coordinates)
@cached
def get_coordinates(
    platform: PlatformDep,
    year0: Year = None,
    year1: Year = None,
    ghg: Annotated[
        Literal["CO2e", "CO2"], Query(description="direct CO2e under gwp, or direct CO2")
    ] = "CO2e",
    gwp: Literal["AR4", "AR5", "AR6"] = "AR5",
    apeq_weights: Annotated[
        str,
        Query(
            max_length=32,
            description="pollution-equivalent weight set of APeq (tax: 环境保护税法 附表二; "
            "equal_mass)",
        ),
    ] = "tax",
    co2_method: Co2Method = "china",
) -> Coordinates:
    """The city between two years (default: 2015 or the first year, and the latest) on the
    co-control coordinates: the GHG against SO2, NOx, PM10, VOCs, NH3 and APeq."""
    if apeq_weights not in weight_sets():
        raise HTTPException(
            status_code=422,
            detail=f"apeq_weights '{apeq_weights}': choose one of {', '.join(weight_sets())}",
        )
    data = platform.synergy_data(_options(co2_method))
    first, last = data.default_years()
    y0 = first if year0 is None else year0
    y1 = last if year1 is None else year1
    pairs = data.coordinates(y0, y1, ghg=ghg, gwp=gwp, apeq_weights=apeq_weights)
    return Coordinates(
        year0=y0,
        year1=y1,
        ghg=ghg,
        gwp=gwp if ghg == "CO2e" else None,
        apeq_weights=apeq_weights,
        pairs=[CoordinatePair.model_validate(p) for p in pairs],
    )


@router.get("/decomposition", response_model=DecompositionOut)
@cached
def get_decomposition(
    platform: PlatformDep,
    substance: Substance = "CO2",
    year0: Year = None,
    year1: Year = None,
    co2_method: Co2Method = "china",
    method: Annotated[
        Literal["kaya", "structural"],
        Query(
            description="kaya: population, GDP per capita, energy intensity, energy mix and "
            "emission factor of fuel combustion; structural: every direct emission but "
            "forestry by 三次产业 and households, with the structure effect (needs the value "
            "added by industry of both years)"
        ),
    ] = "kaya",
) -> DecompositionOut:
    """LMDI-I drivers of the change in ``substance`` between two years: the Kaya drivers of
    fuel combustion, or (``method=structural``) the multi-sector decomposition with the
    structure of the economy."""
    data = platform.synergy_data(_options(co2_method))
    first, last = data.default_years()
    y0 = first if year0 is None else year0
    y1 = last if year1 is None else year1
    dec = data.decomposition(substance, y0, y1, method)
    return DecompositionOut.model_validate(decomposition_record(dec, substance, y0, y1, method))


@router.get("/measures", response_model=MeasuresOut)
@cached
def get_measures(platform: PlatformDep, co2_method: Co2Method = "china") -> MeasuresOut:
    """Every quantifiable plan measure: ΔCO2e (GWP named), ΔAPeq, costs, quadrant. All sizes
    and costs shipped are estimates (each says how it was made)."""
    report = platform.synergy_measures(_options(co2_method))
    ms = report.measure_set
    return MeasuresOut(
        year=ms.year,
        gwp=ms.gwp,
        tax_rates=ms.tax_province,
        co_benefit_basis=ms.co_benefit_basis,
        city_year=report.city_year,
        city_co2e=report.city_totals[0] if report.city_totals else None,
        city_apeq=report.city_totals[1] if report.city_totals else None,
        measures=[MeasureOut.model_validate(measure_record(e, ms.gwp)) for e in report.effects],
    )


@router.get("/mac", response_model=MacOut)
@cached
def get_mac(
    platform: PlatformDep,
    net: Annotated[bool, Query(description="net of the air-quality co-benefit")] = True,
    co2_method: Co2Method = "china",
) -> MacOut:
    """The marginal abatement cost curve: measures that cut CO2e, cheapest first; bar width t
    CO2e, height CNY per t CO2e."""
    report = platform.synergy_measures(_options(co2_method))
    return MacOut(
        gwp=report.gwp,
        net=net,
        steps=[MacStep.model_validate(s) for s in curve_records(report, net=net)],
    )
