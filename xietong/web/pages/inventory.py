"""Pages of the emission inventory: the overview with its charts, the filterable table of
emission rows and the trace of one row (activity × factors with their sources = value)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from xietong.accounting.activity import CITY, catalogue, code_labels, sectors
from xietong.accounting.factors import GWPSet, edition_titles, load_gwp
from xietong.accounting.inventory import Inventory
from xietong.accounting.methods.base import GHGS
from xietong.errors import NotFound, XietongError
from xietong.plan.models import Plan
from xietong.service.inventory_views import (
    ESTIMATED,
    MAIN_POLLUTANTS,
    co2_calibers,
    estimate_share,
    factors_used,
    grid_comparison,
    rollup_records,
    year_totals,
)
from xietong.service.platform import Platform
from xietong.web.deps import LangDep, PlatformDep
from xietong.web.i18n import translator
from xietong.web.pages.waiting import inventory_work, wait_for
from xietong.web.render import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 100
GWPS = ("AR4", "AR5", "AR6")


def _year(text: str | None) -> int | None:
    """A year from a form field: empty or not a number means no filter."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _names(plan: Plan, lang: str) -> dict[str, dict[str, str]]:
    """Display names of sectors, districts and activities in ``lang``."""
    t = translator(lang)
    i = 0 if lang == "zh" else 1
    return {
        "sector": {s.code: (s.zh if lang == "zh" else s.en) for s in sectors().values()},
        "district": {
            CITY: t("city_unallocated"),
            **{d.code: d.name.get(lang) for d in plan.districts},
        },
        "activity": {k.code: (k.zh if lang == "zh" else k.en) for k in catalogue().values()},
        **{
            kind: {code: zh_en[i] for code, zh_en in labels.items()}
            for kind, labels in code_labels().items()
        },
        "edition": {code: zh_en[i] for code, zh_en in edition_titles().items()},
    }


def _series(
    records: list[dict[str, Any]], years: list[int], names: dict[str, str]
) -> list[dict[str, Any]]:
    """Chart series (one per key, values per year) from roll-up records."""
    values: dict[str, dict[int, float]] = {}
    for r in records:
        values.setdefault(r["key"], {})[r["year"]] = r["value"]
    return [
        {"key": key, "name": names.get(key, key), "data": [v.get(y, 0.0) for y in years]}
        for key, v in sorted(values.items())
    ]


@router.get("/inventory", response_class=HTMLResponse)
def overview(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    gwp: Literal["AR4", "AR5", "AR6"] = "AR5",
    year: Annotated[str | None, Query(max_length=8)] = None,
) -> HTMLResponse:
    """Emissions by sector over the years (CO2e), by gas, by district, main pollutants, direct
    and indirect apart, the factor editions and the share resting on estimates."""
    plan = platform.plan()
    waiting = wait_for(request, platform, lang, inventory_work(platform))
    if waiting is not None:
        return waiting
    inv = platform.inventory()
    gwp_set = load_gwp(gwp)
    names = _names(plan, lang)
    years = inv.years
    chosen = _year(year)
    selected = chosen if chosen in years else (years[-1] if years else None)
    by_sector = rollup_records(inv, "sector", gwp=gwp_set)
    by_gas = rollup_records(inv, "substance", gwp=gwp_set)
    districts = rollup_records(inv, "district", gwp=gwp_set, year=selected) if selected else []
    districts.sort(key=lambda r: -r["value"])
    district_total = sum(r["value"] for r in districts)
    allocated, allocated_error, allocated_demo = _allocated_districts(platform, gwp_set, selected)
    totals = year_totals(inv, gwp_set)
    pollutants = [s for s in MAIN_POLLUTANTS if any(s in t["pollutants"] for t in totals)]
    t = translator(lang)
    chart = {
        "years": [str(y) for y in years],
        "gwp": gwp,
        "sector": _series(by_sector, years, names["sector"]),
        "gas": _series(by_gas, years, {}),
        "district": [[names["district"].get(r["key"], r["key"]), r["value"]] for r in districts],
        "district_allocated": [
            [names["district"].get(r["key"], r["key"]), r["value"]] for r in allocated
        ],
        "pollutants": [
            {"name": s, "data": [tt["pollutants"].get(s) for tt in totals]} for s in pollutants
        ],
        "labels": {
            "co2e": f"t CO2e ({gwp})",
            "tonnes": "t",
            "direct": t("inv_direct"),
            "indirect": t("inv_indirect"),
        },
        "scope": {
            "direct": [tt["co2_direct"] for tt in totals],
            "indirect": [tt["co2_indirect"] for tt in totals],
        },
    }
    used = factors_used(inv)
    editions = [
        {
            "edition": e,
            "factors": sum(1 for f in used if f["edition"] == e),
            "verified": sum(1 for f in used if f["edition"] == e and f["verified"]),
        }
        for e in inv.editions
    ]
    return render(
        request,
        "inventory.html",
        lang,
        {
            "plan": plan,
            "inv": inv,
            "gwp": gwp,
            "gwps": GWPS,
            "years": years,
            "selected": selected,
            "totals": totals,
            "pollutants": pollutants,
            "districts": districts,
            "district_total": district_total,
            "allocated": allocated,
            "allocated_error": allocated_error,
            "allocated_demo": allocated_demo,
            "names": names,
            "editions": editions,
            "share": estimate_share(inv, gwp_set),
            "dataset": platform.activity_dataset(),
            "chart": chart,
            "grid": grid_comparison(inv),
            "calibers": co2_calibers(inv, platform.statistics()),
        },
    )


def _allocated_districts(
    platform: Platform, gwp_set: GWPSet, year: int | None
) -> tuple[list[dict[str, Any]], str | None, bool]:
    """CO2e of ``year`` by district with the city-wide rows allocated by the city's proxy shares
    (largest first), the reason when it cannot be given, and whether it rests on demo data."""
    found = platform.allocated_districts()
    if found is None or year is None:
        return [], None, False
    try:
        rows = rollup_records(found.inventory, "district", gwp=gwp_set, year=year)
    except XietongError as exc:
        return [], str(exc), found.demo
    return sorted(rows, key=lambda r: -r["value"]), None, found.demo


def _filtered(inv: Inventory, filters: dict[str, Any]) -> Any:
    table = inv.table()
    for column, value in filters.items():
        if value is not None:
            table = table[table[column] == value]
    return table


@router.get("/inventory/rows", response_class=HTMLResponse)
def rows(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    year: Annotated[str | None, Query(max_length=8)] = None,
    sector: Annotated[str | None, Query(max_length=64)] = None,
    district: Annotated[str | None, Query(max_length=64)] = None,
    substance: Annotated[str | None, Query(max_length=64)] = None,
    scope: Annotated[str | None, Query(max_length=16)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The emission rows, filtered; each value links to its trace."""
    plan = platform.plan()
    waiting = wait_for(request, platform, lang, [(("inventory",), "inventory", platform.inventory)])
    if waiting is not None:
        return waiting
    inv = platform.inventory()
    filters = {
        "year": _year(year),
        "sector": _text(sector),
        "district": _text(district),
        "substance": _text(substance),
        "scope": _text(scope),
    }
    table = _filtered(inv, filters)
    total = len(table)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    shown = table.iloc[(page - 1) * PAGE_SIZE : page * PAGE_SIZE].to_dict("records")
    full = inv.table()
    choices = {
        "year": [str(y) for y in inv.years],
        "sector": sorted(full["sector"].unique()),
        "district": sorted(full["district"].unique()),
        "substance": sorted(full["substance"].unique(), key=lambda s: (s not in GHGS, s)),
        "scope": ["direct", "indirect"],
    }
    query = {k: ("" if v is None else str(v)) for k, v in filters.items()}
    return render(
        request,
        "inventory_rows.html",
        lang,
        {
            "plan": plan,
            "rows": shown,
            "total": total,
            "page": page,
            "pages": pages,
            "query": query,
            "qs": urlencode({k: v for k, v in query.items() if v}),
            "choices": choices,
            "names": _names(plan, lang),
            "estimated": ESTIMATED,
        },
    )


@router.get("/inventory/rows/{row_id}", response_class=HTMLResponse)
def trace(
    request: Request,
    row_id: Annotated[int, PathParam(ge=0, le=10_000_000)],
    platform: PlatformDep,
    lang: LangDep,
) -> HTMLResponse:
    """How one emission row was computed: activity × factors (with sources) = value."""
    plan = platform.plan()
    inv = platform.inventory()
    try:
        tr = inv.trace(row_id)
    except KeyError:
        raise NotFound(f"no emission row {row_id}") from None
    return render(
        request,
        "inventory_row.html",
        lang,
        {
            "plan": plan,
            "tr": tr,
            "names": _names(plan, lang),
            "estimated": ESTIMATED,
            "rows_total": inv.row_count,
        },
    )
