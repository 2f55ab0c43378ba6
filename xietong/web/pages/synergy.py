"""The synergy page (减污降碳协同评估): the synergy degree series against the plan target, the
co-control coordinates of the measures and the city, the LMDI waterfalls, the district ranking
tile map and the measures with their MAC curve. Each part that the data cannot give shows why
instead of failing the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from xietong.accounting.factors import load_gwp
from xietong.accounting.inventory import InventoryOptions
from xietong.errors import XietongError
from xietong.service.inventory_views import ESTIMATED, estimate_share
from xietong.service.synergy_views import (
    APEQ,
    DECOMPOSE_SUBSTANCES,
    SYNERGY_INDICATOR,
    curve_records,
    decomposition_record,
    district_records,
    measure_record,
    series_records,
)
from xietong.synergy.coordinates import Quadrant
from xietong.synergy.index import WEIGHTINGS, IndicatorSystem, load_system
from xietong.web.deps import LangDep, PlatformDep
from xietong.web.i18n import translator
from xietong.web.pages.waiting import inventory_work, wait_for
from xietong.web.render import render

router = APIRouter(include_in_schema=False)

POLLUTANTS = tuple(s for s in DECOMPOSE_SUBSTANCES if s not in ("CO2", "CH4", "N2O"))
"""Pollutants whose LMDI waterfall can be chosen beside CO2's."""

COORD_GWP = "AR5"
"""GWP set of the city's CO2e on the coordinate chart (the measures' set when they load)."""

T = TypeVar("T")


def _year(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def _try(fn: Callable[[], T]) -> tuple[T | None, str | None]:
    """The value of ``fn()``, or None and the message of the domain error it raised."""
    try:
        return fn(), None
    except XietongError as exc:
        return None, str(exc).splitlines()[0]


def _waterfall(rec: dict[str, Any], t: Callable[[str], str]) -> dict[str, Any]:
    """Bars of an LMDI waterfall: the start value, each driver's effect floating from the
    running total, the end value."""
    bars = [
        {"name": f"{rec['year0']}", "lo": 0.0, "hi": rec["v0"], "value": rec["v0"], "kind": "total"}
    ]
    run = rec["v0"]
    for k in rec["factors"]:
        v = rec["additive"][k]
        bars.append(
            {
                "name": t(f"syn_f_{k}"),
                "lo": min(run, run + v),
                "hi": max(run, run + v),
                "value": v,
                "kind": "up" if v >= 0 else "down",
            }
        )
        run += v
    bars.append(
        {"name": f"{rec['year1']}", "lo": 0.0, "hi": rec["vt"], "value": rec["vt"], "kind": "total"}
    )
    return {"substance": rec["substance"], "unit": "t", "bars": bars}


@router.get("/synergy", response_class=HTMLResponse)
def synergy(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    year0: Annotated[str | None, Query(max_length=8)] = None,
    year1: Annotated[str | None, Query(max_length=8)] = None,
    substance: Annotated[str | None, Query(max_length=16)] = None,
    year: Annotated[str | None, Query(max_length=8)] = None,
    weights: Annotated[str | None, Query(max_length=8)] = None,
) -> HTMLResponse:
    """The synergy page; ``year0``/``year1`` choose the years compared, ``substance`` the
    pollutant of the second waterfall, ``year`` the year of the district ranking,
    ``weights`` the indicator weights of the synergy degree (expert or entropy)."""
    weighting = weights if weights in WEIGHTINGS else "expert"
    key = ("synergy-page", lang, year0, year1, substance, year, weighting)

    def build() -> dict[str, Any]:
        plan = platform.plan()
        t = translator(lang)
        system = load_system()
        data, data_error = _try(platform.synergy_data)
        years = data.years if data else []
        first, last = data.default_years(system) if data and years else (None, None)
        y0 = _year(year0) if _year(year0) in years else first
        y1 = _year(year1) if _year(year1) in years else last
        pollutant = substance if substance in POLLUTANTS else "NOx"
        district_year = _year(year) if _year(year) in years else last

        # (a) the synergy degree series and the plan target
        series: list[dict[str, Any]] | None = None
        series_error = data_error
        if data:
            frame, series_error = _try(lambda: data.series(system, weighting))
            series = series_records(frame) if frame is not None else None
        target = next((tg for tg in plan.targets if tg.indicator_id == SYNERGY_INDICATOR), None)
        assessment = platform.assessments()[target.id] if target else None

        # estimates under the figures
        share = estimate_share(data.inventory, load_gwp(COORD_GWP)) if data else None
        stats_estimated = (
            sorted(
                {
                    s.year
                    for s in data.statistics
                    if s.year in years and (s.quality in ESTIMATED or "估算" in s.source)
                }
            )
            if data
            else []
        )
        inventory_estimated = bool(share and share["estimated_rows"])

        # (b) coordinates of the city between two years
        pairs: list[dict[str, Any]] | None = None
        pairs_error = data_error
        if data and y0 is not None and y1 is not None:
            pairs, pairs_error = _try(lambda: data.coordinates(y0, y1, gwp=COORD_GWP))
        city_point = next((p for p in pairs or [] if p["pollutant"] == APEQ), None)

        # (c) LMDI waterfalls of CO2 and of one pollutant
        waterfalls: list[dict[str, Any]] = []
        for method in ("kaya", "structural"):
            for sub in ("CO2", pollutant):
                rec: dict[str, Any] | None = None
                err = data_error
                if data and y0 is not None and y1 is not None:
                    d, a, b, m = data, y0, y1, method
                    dec, err = _try(lambda: d.decomposition(sub, a, b, m))  # noqa: B023
                    rec = decomposition_record(dec, sub, y0, y1, method) if dec else None
                kind = "co2" if sub == "CO2" else "pollutant"
                waterfalls.append(
                    {
                        "id": f"chart-syn-lmdi-{kind}"
                        + ("" if method == "kaya" else "-structural"),
                        "substance": sub,
                        "method": method,
                        "record": rec,
                        "error": err,
                        "chart": _waterfall(rec, t) if rec else None,
                    }
                )

        # (d) the district ranking on the tile map
        ranking: list[dict[str, Any]] = []
        ranking_error = data_error
        if data and district_year is not None:
            frame_d, ranking_error = _try(lambda: data.districts(district_year, system))
            ranking = district_records(frame_d) if frame_d is not None else []
        ranked = {r["district"]: r for r in ranking}

        # (e) the measures and the MAC curve
        report, measures_error = _try(platform.synergy_measures)
        measures = [measure_record(e, report.gwp) for e in report.effects] if report else []
        curve = curve_records(report) if report else []
        gross = curve_records(report, net=False) if report else []

        chart = _chart(t, lang, system, series, target, assessment, pairs, city_point)
        chart["waterfalls"] = [
            {"id": w["id"], **w["chart"]} for w in waterfalls if w["chart"] is not None
        ]
        chart["measures"] = [
            {
                "name": m["zh"] if lang == "zh" else m["en"],
                "x": m["co2e_reduction"],
                "y": m["apeq_reduction"],
                "quadrant": m["quadrant"],
            }
            for m in measures
        ]
        chart["mac"] = [
            {
                "name": s["zh"] if lang == "zh" else s["en"],
                "start": s["start"],
                "width": s["width"],
                "height": s["height"],
            }
            for s in curve
        ]
        chart["gwp"] = report.gwp if report else COORD_GWP
        return {
            "plan": plan,
            "system": system,
            "years": years,
            "y0": y0,
            "y1": y1,
            "pollutant": pollutant,
            "pollutants": POLLUTANTS,
            "district_year": district_year,
            "series": series,
            "series_error": series_error,
            "weighting": weighting,
            "weightings": WEIGHTINGS,
            "indicator_names": {i.id: i.zh if lang == "zh" else i.en for i in system.indicators},
            "latest": series[-1] if series else None,
            "target": target,
            "assessment": assessment,
            "share": share,
            "stats_estimated": stats_estimated,
            "inventory_estimated": inventory_estimated,
            "pairs": pairs,
            "pairs_error": pairs_error,
            "coord_gwp": COORD_GWP,
            "waterfalls": waterfalls,
            "ranking": ranking,
            "ranked": ranked,
            "district_names": {d.code: d.name.get(lang) for d in plan.districts},
            "ranking_error": ranking_error,
            "report": report,
            "grid_region": InventoryOptions().grid_region,
            "measures": measures,
            "measures_error": measures_error,
            "curve": curve,
            "gross": {s["measure_id"]: s["height"] for s in gross},
            "chart": chart,
        }

    def page() -> dict[str, Any]:
        return platform.view(key, build)

    work = [*inventory_work(platform), (key, "synergy", page)]
    waiting = wait_for(request, platform, lang, work)
    if waiting is not None:
        return waiting
    return render(request, "synergy.html", lang, page())


def _chart(
    t: Callable[[str], str],
    lang: str,
    system: IndicatorSystem,
    series: list[dict[str, Any]] | None,
    target: Any,
    assessment: Any,
    pairs: list[dict[str, Any]] | None,
    city_point: dict[str, Any] | None,
) -> dict[str, Any]:
    """Chart data of the series and the coordinates (the rest is added by the route)."""
    latest = series[-1] if series else None
    deadline = target.deadline.year if target else None
    return {
        "labels": {
            "d": t("syn_d"),
            "flagged": t("syn_flagged"),
            "deadline": t("syn_deadline_mark").format(year=deadline) if deadline else "",
            "latest": (
                t("syn_latest_mark").format(year=latest["year"], d=f"{latest['d']:.3f}")
                if latest
                else ""
            ),
            "measures": t("syn_measures_points"),
            "city": (
                t("syn_city_point").format(year0=city_point["year0"], year1=city_point["year1"])
                if city_point
                else ""
            ),
            "x": t("syn_axis_co2e"),
            "y": t("syn_axis_apeq"),
            "start": t("syn_wf_start"),
            "end": t("syn_wf_end"),
            "up": t("syn_wf_up"),
            "down": t("syn_wf_down"),
            "mac_x": t("syn_mac_x"),
            "mac_y": t("syn_mac_y"),
        },
        "quadrants": {
            q.value: t(f"syn_q_{q.value}") for q in Quadrant if q is not Quadrant.NEUTRAL
        },
        "series": (
            {
                "deadline": deadline,
                "points": [[r["year"], r["d"]] for r in series],
                "subsystems": [
                    {
                        "name": "U " + (s.zh if lang == "zh" else s.en),
                        "data": [[r["year"], r["u"].get(s.id)] for r in series],
                    }
                    for s in system.subsystems
                ],
                "flagged": [[r["year"], r["d"]] for r in series if not r["consistent"]],
                "latest": [latest["year"], latest["d"]] if latest else None,
                "status": assessment.status.value if assessment else None,
            }
            if series
            else None
        ),
        "city": (
            {"x": city_point["ghg_reduction"], "y": city_point["pollutant_reduction"]}
            if city_point
            else None
        ),
        "lang": lang,
    }
