"""The scenario pages (情景分析): the comparison of the scenarios to 2035 (CO2 pathways with
their peaks, CO2 by sector, the Monte Carlo fan, the target checklist, the wedges and the
measure ranking, the sensitivity table, the levers), and the form that copies a scenario's
levers into editable fields and saves the result as a user scenario. Each part the data
cannot give shows why instead of failing the page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Annotated, Any, TypeVar

import yaml
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xietong.accounting.activity import sectors
from xietong.errors import NotFound, XietongError
from xietong.plan.progress import load_status_rules
from xietong.scenarios.least_cost import POLLUTANTS
from xietong.scenarios.least_cost import Request as LeastCostRequest
from xietong.scenarios.projection import PEAK_INDICATOR
from xietong.scenarios.scenario import Scenario, ScenarioError
from xietong.service.platform import Platform
from xietong.service.scenario_views import (
    LEVER_SIZE,
    PEAK_YEARS,
    fan_record,
    least_cost_record,
    lever_record,
    pathway_records,
    peak_record,
    scenario_problem,
    sector_pathways,
    target_records,
    wedge_record,
)
from xietong.web.auth import PrincipalDep
from xietong.web.deps import LangDep, PlatformDep
from xietong.web.i18n import translator
from xietong.web.pages.waiting import Work, wait_for
from xietong.web.render import render

router = APIRouter(include_in_schema=False)

T = TypeVar("T")

PAGE_DRAWS = load_status_rules().peak.draws
"""Monte Carlo draws of the fan chart on the page (the API takes up to 10,000): those the
carbon-peak target is judged with, so the page and the target show one P(peak by 2030)."""

PAGE_SEED = load_status_rules().peak.seed

MAX_FORM = 256 * 1024
"""The largest form (bytes) the new-scenario page accepts."""


def _try(fn: Callable[[], T]) -> tuple[T | None, str | None]:
    """The value of ``fn()``, or None and the message of the domain error it raised."""
    try:
        return fn(), None
    except XietongError as exc:
        return None, str(exc).splitlines()[0]


def _name(rec: Mapping[str, Any], lang: str) -> str:
    return str(rec["zh"] if lang == "zh" else rec["en"]) or str(rec["id"])


def _analysis(platform: Platform, sid: str) -> None:
    """The chosen scenario's fan, wedges and sensitivity (kept by the platform)."""
    platform.scenario_uncertainty(sid, PAGE_DRAWS, PAGE_SEED)
    platform.wedges(sid)
    platform.sensitivity(sid)


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios_page(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    id: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    """The comparison page; ``id`` chooses the scenario whose sectors, fan, wedges,
    sensitivity and levers are shown (default: the plan scenario)."""
    plan = platform.plan()
    t = translator(lang)
    listing = platform.scenarios()
    ok = [r for r in listing if not r["error"]]
    ids = [str(r["id"]) for r in ok]
    chosen = id if id in ids else ("plan" if "plan" in ids else (ids[0] if ids else None))
    drivers, drivers_error = _try(platform.drivers)
    base_year = drivers.base_year if drivers else None
    work: list[Work] = [(("inventory",), "inventory", platform.inventory)]
    work += [((f"run {sid}",), "scenario", partial(platform.run_scenario, sid)) for sid in ids]
    if chosen is not None:
        work.append(((f"analysis {chosen}",), "analysis", partial(_analysis, platform, chosen)))
    waiting = wait_for(request, platform, lang, work)
    if waiting is not None:
        return waiting

    # every scenario's run: pathway, peak, target checklist
    runs: dict[str, dict[str, Any]] = {}
    data_error: str | None = drivers_error
    for r in ok:
        sid = str(r["id"])
        result, err = _try(partial(platform.run_scenario, sid))
        if result is None or base_year is None:
            data_error = data_error or err
            continue
        runs[sid] = {
            "summary": r,
            "name": _name(r, lang),
            "pathway": pathway_records(result, base_year),
            "peak": peak_record(result.peak),
            "targets": target_records(result.targets, plan),
            "result": result,
        }

    detail = _try(lambda: platform.scenario_detail(chosen))[0] if chosen else None
    levers: list[dict[str, Any]] = list(detail["levers"]) if detail else []
    chosen_run = runs.get(chosen or "")

    # the chosen scenario: CO2 by sector, the fan, the wedges, the sensitivity
    sector_chart = None
    fan = fan_error = wedges = wedges_error = sens = sens_error = None
    if chosen_run is not None and chosen is not None and base_year is not None:
        names = {s.code: (s.zh if lang == "zh" else s.en) for s in sectors().values()}
        by_sector = sector_pathways(chosen_run["result"])
        years = [p["year"] for p in chosen_run["pathway"]]
        sector_chart = {
            "years": [str(y) for y in years],
            "series": [
                {"name": names.get(s, s), "data": [by.get(y, 0.0) for y in years]}
                for s, by in by_sector.items()
            ],
        }
        f, fan_error = _try(lambda: platform.scenario_uncertainty(chosen, PAGE_DRAWS, PAGE_SEED))
        fan = fan_record(f, base_year) if f is not None else None
        w, wedges_error = _try(lambda: platform.wedges(chosen))
        scenario = _try(lambda: platform.scenario(chosen))[0]
        if w is not None and scenario is not None:
            wedges = wedge_record(w, scenario, base_year)
        sens, sens_error = _try(lambda: platform.sensitivity(chosen))

    lever_names = {lv["id"]: _name(lv, lang) for lv in levers}
    chart = {
        "lang": lang,
        "chosen": chosen,
        "base_year": base_year,
        "labels": {
            "co2": t("scn_axis_co2"),
            "peak": t("scn_peak_mark"),
            "history": t("scn_history"),
            "median": t("scn_median"),
            "band90": t("scn_band90"),
            "band50": t("scn_band50"),
            "interaction": t("scn_interaction"),
            "combined": t("scn_combined"),
        },
        "lines": [
            {
                "id": sid,
                "name": run["name"],
                "data": [[p["year"], p[PEAK_INDICATOR]] for p in run["pathway"]],
                "peak": [run["peak"]["year"], run["peak"]["value"]],
                "peaked": run["peak"]["peaked_in_series"],
            }
            for sid, run in runs.items()
        ],
        "sectors": sector_chart,
        "fan": (
            {
                "years": [str(y) for y in fan["years"]],
                "values": fan["values"],
                "p_peak_by": fan["p_peak_by"],
            }
            if fan
            else None
        ),
        "wedges": (
            {
                "years": [str(y) for y in wedges["years"]],
                "levers": [
                    {"name": lever_names.get(lv["id"], lv["id"]), "data": lv["avoided"]}
                    for lv in wedges["levers"]
                ],
                "interaction": wedges["interaction"],
                "combined": wedges["combined"],
            }
            if wedges
            else None
        ),
    }
    target_ids = [tg.id for tg in plan.targets]
    checked = sorted(
        {tc["target_id"] for run in runs.values() for tc in run["targets"]},
        key=lambda i: target_ids.index(i) if i in target_ids else len(target_ids),
    )
    checklist = [
        {
            "target": plan.target(tid),
            "cells": {
                sid: next((tc for tc in run["targets"] if tc["target_id"] == tid), None)
                for sid, run in runs.items()
            },
        }
        for tid in checked
    ]
    oat = {r["input"]: r for r in sens["one_at_a_time"]} if sens else {}
    estimated = sum(1 for lv in levers if lv["estimate"])
    return render(
        request,
        "scenarios.html",
        lang,
        {
            "plan": plan,
            "listing": listing,
            "chosen": chosen,
            "detail": detail,
            "levers": levers,
            "estimated": estimated,
            "base_year": base_year,
            "end_year": drivers.end_year if drivers else None,
            "runs": runs,
            "data_error": data_error,
            "checklist": checklist,
            "peak_years": PEAK_YEARS,
            "fan": fan,
            "fan_error": fan_error,
            "wedges": wedges,
            "wedges_error": wedges_error,
            "lever_names": lever_names,
            "sens": sens,
            "sens_error": sens_error,
            "oat": oat,
            "draws": PAGE_DRAWS,
            "chart": chart,
        },
    )


# -- the form: a scenario's levers in editable fields, saved as a user scenario ------------


def _form_levers(parent: Scenario) -> list[dict[str, Any]]:
    return [lever_record(lv) for lv in parent.levers]


def _number(text: str | None, field: str, problems: list[dict[str, str]]) -> float | None:
    """A number from a form field; None (unchanged) when the field is missing or empty."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        x = float(value)
    except ValueError:
        problems.append({"field": field, "reason": f"'{value[:32]}' is not a number"})
        return None
    if x != x or x in (float("inf"), float("-inf")):
        problems.append({"field": field, "reason": f"'{value[:32]}' is not a finite number"})
        return None
    return x


def _year(text: str | None, field: str, problems: list[dict[str, str]]) -> int | None:
    """A year from a form field; None (unchanged) when the field is missing or empty."""
    value = (text or "").strip()
    if not value:
        return None
    if not (value.isdigit() and len(value) == 4):
        problems.append({"field": field, "reason": f"'{value[:32]}' is not a year"})
        return None
    return int(value)


def _scenario_yaml(
    parent: Scenario, form: Mapping[str, str], problems: list[dict[str, str]]
) -> str:
    """The YAML of the new scenario: ``extends`` the parent, ``overrides`` the fields the
    form changed."""
    overrides: dict[str, dict[str, float | int]] = {}
    for lv in parent.levers:
        size = LEVER_SIZE[lv.kind]
        values: dict[str, float | int | None] = {
            "strength": _number(form.get(f"strength-{lv.id}"), f"strength-{lv.id}", problems),
            size: _number(form.get(f"{size}-{lv.id}"), f"{size}-{lv.id}", problems),
            "start": _year(form.get(f"start-{lv.id}"), f"start-{lv.id}", problems),
            "full": _year(form.get(f"full-{lv.id}"), f"full-{lv.id}", problems),
        }
        current = {"strength": lv.strength, size: getattr(lv, size), "start": lv.start}
        current["full"] = lv.full
        changed = {k: v for k, v in values.items() if v is not None and v != current[k]}
        if changed:
            overrides[lv.id] = changed
    doc: dict[str, Any] = {
        "id": form.get("id", "").strip(),
        "zh": form.get("zh", "").strip() or f"{parent.zh}（调整）",
        "en": form.get("en", "").strip() or f"{parent.en} (adjusted)",
        "extends": parent.id,
    }
    if form.get("description", "").strip():
        doc["description"] = form["description"].strip()
    if overrides:
        doc["overrides"] = overrides
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _form_page(
    request: Request,
    platform: Platform,
    lang: str,
    parent: Scenario,
    *,
    values: Mapping[str, str] | None = None,
    problems: list[dict[str, str]] | None = None,
    error: str | None = None,
    yaml_text: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    levers = _form_levers(parent)
    defaults: dict[str, str] = {
        "id": "",
        "zh": f"{parent.zh}（调整）",
        "en": f"{parent.en} (adjusted)",
        "description": "",
    }
    for lv in levers:
        size = lv["size_field"]
        defaults[f"strength-{lv['id']}"] = f"{lv['strength']:g}"
        defaults[f"{size}-{lv['id']}"] = f"{lv[size]:g}"
        defaults[f"start-{lv['id']}"] = str(lv["start"])
        defaults[f"full-{lv['id']}"] = str(lv["full"])
    shown = {**defaults, **{k: v for k, v in (values or {}).items() if k in defaults}}
    return render(
        request,
        "scenario_new.html",
        lang,
        {
            "plan": platform.plan(),
            "parent": parent,
            "parents": [r for r in platform.scenarios() if not r["error"]],
            "levers": levers,
            "values": shown,
            "problems": problems or [],
            "bad_fields": {p["field"] for p in problems or []},
            "error": error,
            "problem": scenario_problem(error) if error else None,
            "yaml_text": yaml_text,
        },
        status_code=status_code,
    )


@router.get("/scenarios/new", response_class=HTMLResponse)
def new_scenario(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    from_: Annotated[str, Query(alias="from", max_length=64)] = "plan",
) -> HTMLResponse:
    """The form: the levers of scenario ``from`` in editable fields (strength, share or
    factor, start, full), and a box for a whole YAML scenario file."""
    parent = platform.scenario(from_)
    return _form_page(request, platform, lang, parent)


@router.post("/scenarios/new", response_class=HTMLResponse)
async def save_new_scenario(
    request: Request, platform: PlatformDep, lang: LangDep, principal: PrincipalDep
) -> Response:
    """Validate the form (or the YAML pasted), save it as a user scenario and go to its
    comparison; any problem shows the form again with the file, the key and the reason,
    and nothing is saved."""
    length = request.headers.get("content-length") or "0"
    if not length.isdigit() or int(length) > MAX_FORM:
        raise HTTPException(413, "the form is larger than 256 KB")
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    from_id = form.get("from", "plan")[:64]
    parent = platform.scenario(from_id)
    pasted = form.get("yaml", "").strip()
    problems: list[dict[str, str]] = []
    text = pasted if pasted else _scenario_yaml(parent, form, problems)
    if problems:
        return _form_page(
            request,
            platform,
            lang,
            parent,
            values=form,
            problems=problems,
            yaml_text=pasted,
            status_code=422,
        )
    try:
        scenario = await run_in_threadpool(platform.save_user_scenario, text, principal)
    except ScenarioError as exc:
        return _form_page(
            request,
            platform,
            lang,
            parent,
            values=form,
            error=str(exc),
            yaml_text=pasted,
            status_code=422,
        )
    return RedirectResponse(f"/scenarios?id={scenario.id}", status_code=303)


# -- the least-cost pathway: a form, the result, and saving it as a user scenario ----------

OPTIMISE_FIELDS = ("peak_by", "cap_from", "co_benefit", *(f"cap-{p}" for p in POLLUTANTS))


def _least_cost_request(
    form: Mapping[str, str], problems: list[dict[str, str]]
) -> LeastCostRequest | None:
    """The request of the optimiser form (None when nothing is asked yet)."""
    if not any((form.get(k) or "").strip() for k in OPTIMISE_FIELDS if k != "cap_from"):
        return None
    caps = {}
    for p in POLLUTANTS:
        value = _number(form.get(f"cap-{p}"), f"cap-{p}", problems)
        if value is not None:
            if value < 0:
                problems.append({"field": f"cap-{p}", "reason": "a cap cannot be negative"})
            caps[p] = value
    peak_by = _year(form.get("peak_by"), "peak_by", problems)
    cap_from = _year(form.get("cap_from"), "cap_from", problems) or 2025
    if problems:
        return None
    return LeastCostRequest(
        peak_by=peak_by,
        caps=caps,
        cap_from=cap_from,
        co_benefit=(form.get("co_benefit") or "") in ("1", "on", "true"),
    )


def _optimise_page(
    request: Request,
    platform: Platform,
    lang: str,
    form: Mapping[str, str],
    *,
    save_error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    problems: list[dict[str, str]] = []
    asked = _least_cost_request(form, problems)
    result: dict[str, Any] | None = None
    error: str | None = None
    if asked is not None:
        try:
            result = least_cost_record(platform.least_cost(asked))
        except (ScenarioError, NotFound) as exc:
            error = str(exc)
    base = platform.drivers().base_year
    return render(
        request,
        "scenario_optimise.html",
        lang,
        {
            "plan": platform.plan(),
            "values": {k: (form.get(k) or "") for k in (*OPTIMISE_FIELDS, "id")},
            "pollutants": POLLUTANTS,
            "years": list(range(base, platform.drivers().end_year)),
            "problems": problems,
            "error": error,
            "save_error": save_error,
            "result": result,
            "chart": _least_cost_chart(result, lang) if result else None,
        },
        status_code=422 if (problems or error or save_error) else status_code,
    )


def _least_cost_chart(result: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Chart data: CO2 (official caliber, Mt) of the history and of the re-run, by year."""
    zh = lang == "zh"
    return {
        "label": "二氧化碳排放（官方口径，百万吨）" if zh else "CO2, official caliber (Mt)",
        "history_label": "历史" if zh else "history",
        "projected_label": "最低成本路径" if zh else "least-cost pathway",
        "history": [[int(y), v / 1e6] for y, v in sorted(result["co2_history"].items())],
        "points": [[int(y), v / 1e6] for y, v in sorted(result["co2"].items())],
    }


@router.get("/scenarios/optimise", response_class=HTMLResponse)
async def optimise_page(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    peak_by: Annotated[str | None, Query(max_length=8)] = None,
    cap_from: Annotated[str | None, Query(max_length=8)] = None,
    co_benefit: Annotated[str | None, Query(max_length=8)] = None,
    cap_nox: Annotated[str | None, Query(alias="cap-NOx", max_length=32)] = None,
    cap_so2: Annotated[str | None, Query(alias="cap-SO2", max_length=32)] = None,
    cap_vocs: Annotated[str | None, Query(alias="cap-VOCs", max_length=32)] = None,
    cap_pm25: Annotated[str | None, Query(alias="cap-PM2.5", max_length=32)] = None,
) -> HTMLResponse:
    """The least-cost pathway: a peak year and pollutant caps in, the least-cost lever
    strengths, their cost against the plan scenario's, the binding constraints with their
    shadow prices and the re-run check out."""
    form = {
        "peak_by": peak_by or "",
        "cap_from": cap_from or "",
        "co_benefit": co_benefit or "",
        "cap-NOx": cap_nox or "",
        "cap-SO2": cap_so2 or "",
        "cap-VOCs": cap_vocs or "",
        "cap-PM2.5": cap_pm25 or "",
    }
    return await run_in_threadpool(_optimise_page, request, platform, lang, form)


@router.post("/scenarios/optimise", response_class=HTMLResponse)
async def save_optimised(
    request: Request, platform: PlatformDep, lang: LangDep, principal: PrincipalDep
) -> Response:
    """Solve the form's request and save the result as a user scenario (audited), then show
    it among the scenarios; a problem shows the form again and nothing is saved."""
    length = request.headers.get("content-length") or "0"
    if not length.isdigit() or int(length) > MAX_FORM:
        raise HTTPException(413, "the form is larger than 256 KB")
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    problems: list[dict[str, str]] = []
    asked = _least_cost_request(form, problems)
    if asked is None or problems:
        reason = "请填写达峰年份或污染物上限 / give a peak year or a cap"
        return await run_in_threadpool(
            _optimise_page, request, platform, lang, form, save_error=reason
        )
    try:
        scenario = await run_in_threadpool(
            platform.save_least_cost, asked, form.get("id", "").strip(), principal
        )
    except ScenarioError as exc:
        return await run_in_threadpool(
            _optimise_page, request, platform, lang, form, save_error=str(exc)
        )
    return RedirectResponse(f"/scenarios?id={scenario.id}", status_code=303)
