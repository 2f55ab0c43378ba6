"""/api/v1/inventory: the emission inventory — summary, rows, traces, roll-ups, activity data
and the indicators it gives. Every CO2e figure names its GWP set."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from xietong.accounting.activity import activity_records
from xietong.accounting.factors import load_gwp
from xietong.accounting.inventory import Inventory, InventoryOptions
from xietong.errors import NotFound
from xietong.service.inventory_views import estimate_share, rollup_records, year_totals
from xietong.web.api.cached import cached
from xietong.web.deps import PlatformDep

router = APIRouter(prefix="/inventory", tags=["inventory"])

Gwp = Literal["AR4", "AR5", "AR6"]
Scope = Literal["direct", "indirect"]
RollupBy = Literal["sector", "district", "subsector", "substance", "activity", "year"]
Co2Method = Annotated[
    Literal["china", "ipcc"],
    Query(description="fuel CO2: china (AD × NCV × CC × OF × 44/12) or ipcc (AD × NCV × EF)"),
]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="only this year")]
Code = Annotated[str | None, Query(max_length=64)]


class Options(BaseModel):
    """Choices the inventory was built with."""

    co2_method: str
    grid_region: str


class Dataset(BaseModel):
    """Where the activity data came from."""

    source: str
    actor: str
    at: dt.datetime
    rows: int
    shipped: bool


class YearTotal(BaseModel):
    """Totals of one year (t): direct and indirect CO2, direct CO2e under ``gwp``, and the
    direct totals of the main pollutants."""

    year: int
    co2_direct: float
    co2_indirect: float
    co2e_direct: float
    gwp: str
    pollutants: dict[str, float]


class EstimateShare(BaseModel):
    """How much rests on estimated (or demo) activity figures."""

    activity_rows: int
    estimated_rows: int
    rows_share: float = Field(description="share of activity rows, 0–1")
    co2e_share: float = Field(description="share of direct CO2e (absolute values), 0–1")


class InventorySummary(BaseModel):
    """Years, factor editions, options, totals by year and the share of estimates."""

    city: str
    years: list[int]
    editions: list[str]
    options: Options
    gwp: str
    totals: list[YearTotal]
    rows: int
    gaps: int
    estimate: EstimateShare
    dataset: Dataset


class EmissionRow(BaseModel):
    """One emission of one activity row (``value`` in ``unit``, tonnes)."""

    row_id: int
    year: int
    district: str
    sector: str
    subsector: str
    activity: str
    technology: str
    control: str
    entity: str = ""
    period: str = ""
    substance: str
    scope: str
    value: float
    unit: str
    method: str
    formula: str
    factor_ids: str
    quality: str


class RowsPage(BaseModel):
    """A page of emission rows matching the filters."""

    total: int
    offset: int
    limit: int
    items: list[EmissionRow]


class TraceActivity(BaseModel):
    """One row of activity data (``amount`` in ``unit``): a stored row, or the one an emission
    comes from."""

    year: int
    district: str
    sector: str
    subsector: str
    activity: str
    technology: str
    control: str
    amount: float
    unit: str
    source: str
    quality: str
    parameters: str = ""
    entity: str = ""
    period: str = ""


class TraceTerm(BaseModel):
    """One factor of the product: the activity amount, a factor (with its source) or a
    constant."""

    name: str
    value: float
    unit: str
    factor_id: str | None = None
    source: str = ""
    edition: str | None = None
    source_document: str | None = None
    source_table: str | None = None
    verified: bool | None = None
    note: str | None = None
    year: int | None = Field(None, description="the data year the factor was published for")
    tier: str | None = None


class Trace(BaseModel):
    """How an emission row was computed: activity × factors = value."""

    row_id: int
    activity: TraceActivity
    substance: str
    scope: str
    method: str
    formula: str
    value: float
    unit: str
    terms: list[TraceTerm]
    carbon: float | None = Field(
        None, description="a CO2 row's carbon, t C (CO2 × 12/44); a forest row's stock change"
    )


class RollupRecord(BaseModel):
    """Emissions summed by a key and year: tonnes of a substance, or t CO2e under ``gwp``."""

    key: str
    year: int
    substance: str
    value: float
    unit: str
    gwp: str | None


ActivityRecord = TraceActivity
"""One row of the stored activity data: the same fields as the row an emission comes from."""


class Indicator(BaseModel):
    """An indicator of one year computed from the inventory (and the city's statistics)."""

    year: int
    indicator_id: str
    value: float
    unit: str
    basis: str
    quality: str = Field(
        description="worst quality of the inputs (statistic, reported, derived, estimate, demo, "
        "assumed: made from an assumption about itself)"
    )


def _inventory(platform: PlatformDep, co2_method: str) -> Inventory:
    return platform.inventory(InventoryOptions(co2_method=co2_method))


@router.get("/", response_model=InventorySummary)
@router.get("", response_model=InventorySummary, include_in_schema=False)
@cached
def get_summary(
    platform: PlatformDep, gwp: Gwp = "AR5", co2_method: Co2Method = "china"
) -> InventorySummary:
    """Years, factor editions, totals by year (CO2e under ``gwp``), share of estimates."""
    inv = _inventory(platform, co2_method)
    gwp_set = load_gwp(gwp)
    dataset = platform.activity_dataset()
    assert dataset is not None  # the inventory was built from it
    share = estimate_share(inv, gwp_set)
    return InventorySummary(
        city=platform.city,
        years=inv.years,
        editions=inv.editions,
        options=Options(co2_method=inv.options.co2_method, grid_region=inv.options.grid_region),
        gwp=gwp,
        totals=[YearTotal.model_validate(t) for t in year_totals(inv, gwp_set)],
        rows=inv.row_count,
        gaps=len(inv.gaps),
        estimate=EstimateShare(
            activity_rows=int(share["activity_rows"]),
            estimated_rows=int(share["estimated_rows"]),
            rows_share=share["rows_share"],
            co2e_share=share["co2e_share"],
        ),
        dataset=Dataset(
            source=dataset.source,
            actor=dataset.actor,
            at=dataset.at,
            rows=dataset.rows,
            shipped=dataset.shipped,
        ),
    )


@router.get("/rows", response_model=RowsPage)
@cached
def list_rows(
    platform: PlatformDep,
    year: Year = None,
    sector: Code = None,
    district: Code = None,
    substance: Code = None,
    activity: Code = None,
    scope: Scope | None = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    co2_method: Co2Method = "china",
) -> RowsPage:
    """Emission rows matching every filter given, ``limit`` at a time from ``offset``."""
    table = _inventory(platform, co2_method).table()
    for column, value in (
        ("year", year),
        ("sector", sector),
        ("district", district),
        ("substance", substance),
        ("activity", activity),
        ("scope", scope),
    ):
        if value is not None:
            table = table[table[column] == value]
    page = table.iloc[offset : offset + limit]
    return RowsPage(
        total=len(table),
        offset=offset,
        limit=limit,
        items=[EmissionRow.model_validate(r) for r in page.to_dict("records")],
    )


@router.get("/rows/{row_id}", response_model=Trace)
@cached
def get_row(
    row_id: Annotated[int, Path(ge=0, le=10_000_000)],
    platform: PlatformDep,
    co2_method: Co2Method = "china",
) -> Trace:
    """The trace of one emission row: the activity, each factor with its source, the value."""
    inv = _inventory(platform, co2_method)
    try:
        return Trace.model_validate(inv.trace(row_id))
    except KeyError:
        raise NotFound(f"no emission row {row_id}") from None


@router.get("/rollup", response_model=list[RollupRecord])
@cached
def get_rollup(
    platform: PlatformDep,
    by: RollupBy = "sector",
    year: Year = None,
    substance: Code = None,
    gwp: Annotated[Gwp | None, Query(description="sum greenhouse gases in t CO2e")] = None,
    scope: Scope = "direct",
    co2_method: Co2Method = "china",
) -> list[RollupRecord]:
    """Emissions summed by ``by`` and year: tonnes of each substance (or ``substance``), or
    with ``gwp`` the greenhouse gases in t CO2e."""
    inv = _inventory(platform, co2_method)
    gwp_set = load_gwp(gwp) if gwp else None
    records = rollup_records(inv, by, year=year, substance=substance, gwp=gwp_set, scope=scope)
    return [RollupRecord.model_validate(r) for r in records]


@router.get("/activities", response_model=list[ActivityRecord])
@cached
def list_activities(
    platform: PlatformDep, year: Year = None, sector: Code = None
) -> list[ActivityRecord]:
    """The stored activity data (estimated figures keep their quality flag)."""
    acts = [
        a
        for a in platform.activities()
        if (year is None or a.year == year) and (sector is None or a.sector == sector)
    ]
    return [ActivityRecord.model_validate(r) for r in activity_records(acts)]


@router.get("/indicators", response_model=list[Indicator])
@cached
def list_indicators(
    platform: PlatformDep, year: Year = None, co2_method: Co2Method = "china"
) -> list[Indicator]:
    """Indicators the inventory gives (energy CO2, intensities, coal share, pollutant totals),
    the ones the plan's targets are fed with."""
    df = platform.indicators(InventoryOptions(co2_method=co2_method))
    if year is not None:
        df = df[df["year"] == year]
    return [Indicator.model_validate(r) for r in df.to_dict("records")]
