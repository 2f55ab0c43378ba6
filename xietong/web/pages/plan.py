"""Pages: dashboard, measures, targets, bodies, districts, progress upload and export."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from xietong.accounting.activity import sectors
from xietong.accounting.factors import load_gwp
from xietong.accounts.roles import Principal
from xietong.errors import ImportRejected, NotFound, XietongError
from xietong.files.history_export import history_csv
from xietong.plan.progress import Basis, Status
from xietong.plan.rollup import district_targets
from xietong.web.api.progress import import_upload
from xietong.web.auth import PrincipalDep
from xietong.web.deps import LangDep, PlatformDep
from xietong.web.i18n import translator
from xietong.web.pages.waiting import inventory_work, wait_for
from xietong.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """Targets by status, measures by chapter, the district grid."""
    plan = platform.plan()
    today = dt.date.today()
    assessments = platform.assessments(today)
    counts = Counter(a.status for a in assessments.values())
    official = Counter(a.status for a in assessments.values() if a.basis is Basis.OFFICIAL)
    estimated = Counter(a.status for a in assessments.values() if a.on_estimate)
    by_chapter = []
    for c in plan.chapters:
        ms = [m for m in plan.measures if m.chapter == c.number]
        if ms:
            n_targets = sum(len(plan.targets_of_measure(m.number)) for m in ms)
            by_chapter.append({"chapter": c, "measures": len(ms), "targets": n_targets})
    districts = {r.key: r for r in platform.rollups("district", today)}
    records = platform.records()
    return render(
        request,
        "dashboard.html",
        lang,
        {
            "plan": plan,
            "assessments": assessments,
            "statuses": list(Status),
            "counts": {s.value: counts.get(s, 0) for s in Status},
            "counts_official": {s.value: official.get(s, 0) for s in Status},
            "counts_estimate": {s.value: estimated.get(s, 0) for s in Status},
            "by_chapter": by_chapter,
            "district_rollups": districts,
            "today": today,
            "has_demo": any(r.demo for r in records),
        },
    )


@router.get("/measures", response_class=HTMLResponse)
def measures(request: Request, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """All measures by chapter."""
    plan = platform.plan()
    return render(
        request,
        "measures.html",
        lang,
        {
            "plan": plan,
            "bodies": {b.code: b for b in plan.bodies},
            "statuses": platform.measure_statuses(),
        },
    )


@router.get("/measures/{number}", response_class=HTMLResponse)
def measure(
    request: Request,
    number: Annotated[int, PathParam(ge=1, le=1000)],
    platform: PlatformDep,
    lang: LangDep,
) -> HTMLResponse:
    """One measure: actions, bodies, targets with status."""
    plan = platform.plan()
    try:
        m = plan.measure(number)
    except KeyError:
        raise NotFound(f"no measure {number}") from None
    return render(
        request,
        "measure.html",
        lang,
        {
            "plan": plan,
            "m": m,
            "bodies": {b.code: b for b in plan.bodies},
            "targets": plan.targets_of_measure(number),
            "assessments": platform.assessments(),
            "status": platform.measure_statuses()[number],
        },
    )


@router.get("/targets", response_class=HTMLResponse)
def targets(request: Request, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """All targets with their status."""
    plan = platform.plan()
    return render(
        request, "targets.html", lang, {"plan": plan, "assessments": platform.assessments()}
    )


@router.get("/targets/{target_id}", response_class=HTMLResponse)
def target(request: Request, target_id: str, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """One target: definition, source sentence, status, trajectory chart, records."""
    plan = platform.plan()
    try:
        t = plan.target(target_id)
    except KeyError:
        raise NotFound(f"no target '{target_id}'") from None
    records = platform.records(t.id)
    a = platform.assessments()[t.id]
    city = [r for r in records if r.district is None]
    msg = translator(lang)
    goal = t.goal
    # a value sits on the year of its period (the 2024 value on 2024), on a year axis
    compared = [
        [r.period_end.year, r.value] for r in platform.comparisons(t.id) if r.district is None
    ]
    years = [r.period_end.year for r in city] + [t.deadline.year] + [y for y, _ in compared]
    if t.baseline:
        years.append(t.baseline.year)
    chart = {
        "title": t.indicator.get(lang),
        "unit": t.unit_text(lang),
        "series": [[r.period_end.year, r.value] for r in city],
        "comparisons": compared,
        "years": [min(years), max(years)],
        "goal": goal,
        "deadline": t.deadline.year,
        "baseline": [t.baseline.year, t.baseline.value] if t.baseline else None,
        "projected": (
            [a.latest_period.year, a.latest_value, t.deadline.year, a.projected_value]
            if a.projected_value is not None and a.latest_period
            else None
        ),
        "labels": {
            "value": t.indicator.get(lang),
            "target": msg("target_line"),
            "projected": msg("projected"),
            "baseline": msg("baseline"),
            "comparisons": msg("comparisons"),
        },
    }
    return render(
        request,
        "target.html",
        lang,
        {
            "plan": plan,
            "tg": t,
            "a": a,
            "records": records,
            "comparisons": platform.comparisons(t.id),
            "source": plan.source_of(t).value,
            "chart": chart,
            "bodies": {b.code: b for b in plan.bodies},
            "responsible": plan.responsible_bodies(t),
            "history": platform.value_history(t.id),
            "districts": {d.code: d for d in plan.districts},
        },
    )


@router.get("/bodies", response_class=HTMLResponse)
def bodies(request: Request, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """All bodies with the count of measures they lead and cooperate on."""
    plan = platform.plan()
    rows = [
        (
            b,
            sum(m.lead == b.code for m in plan.measures),
            sum(b.code in m.cooperating for m in plan.measures),
        )
        for b in plan.bodies
    ]
    return render(request, "bodies.html", lang, {"plan": plan, "rows": rows})


@router.get("/bodies/{code}", response_class=HTMLResponse)
def body(request: Request, code: str, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """One body: measures it leads / cooperates on and its targets' status."""
    plan = platform.plan()
    try:
        b = plan.body(code)
    except KeyError:
        raise NotFound(f"no body '{code}'") from None
    return render(
        request,
        "body.html",
        lang,
        {
            "plan": plan,
            "b": b,
            "leads": [m for m in plan.measures if m.lead == b.code],
            "cooperates": [m for m in plan.measures if b.code in m.cooperating],
            "targets": [t for t in plan.targets if b.code in plan.responsible_bodies(t)],
            "assessments": platform.assessments(),
            "tasks": platform.task_ledger().for_body(b.code),
        },
    )


@router.get("/districts", response_class=HTMLResponse)
def districts(request: Request, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """All districts with area, population and status roll-up."""
    plan = platform.plan()
    return render(
        request,
        "districts.html",
        lang,
        {"plan": plan, "rollups": {r.key: r for r in platform.rollups("district")}},
    )


@router.get("/districts/{code}", response_class=HTMLResponse)
def district(request: Request, code: str, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """One district: what it must do and its own figures' status."""
    plan = platform.plan()
    try:
        d = plan.district(code)
    except KeyError:
        raise NotFound(f"no district '{code}'") from None
    ids = district_targets(plan, d.code)

    def build() -> tuple[dict[str, Any] | None, str | None]:
        try:
            data = platform.synergy_data()
            if data.years:
                return data.district_profile(d.code, data.years[-1], load_gwp("AR5")), None
        except XietongError as exc:
            return None, str(exc)
        return None, None

    key = ("district-profile", d.code)

    def computed() -> tuple[dict[str, Any] | None, str | None]:
        return platform.view(key, build)

    # the profile rests on the (allocated) inventory: built on the worker, its progress shown
    waiting = wait_for(
        request, platform, lang, [*inventory_work(platform), (key, "allocation", computed)]
    )
    if waiting is not None:
        return waiting
    profile, profile_error = computed()
    return render(
        request,
        "district.html",
        lang,
        {
            "plan": plan,
            "d": d,
            "profile": profile,
            "profile_error": profile_error,
            "sector_names": {s.code: (s.zh if lang == "zh" else s.en) for s in sectors().values()},
            "measures": plan.measures_of_district(),
            "targets": [plan.target(i) for i in ids],
            "assessments": platform.assessments(None, d.code),
            "records": [r for r in platform.records() if r.district == d.code],
        },
    )


@router.get("/progress/upload", response_class=HTMLResponse)
def upload_form(request: Request, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """The upload form."""
    return render(request, "upload.html", lang, {"plan": platform.plan(), "result": None})


@router.post("/progress/upload", response_class=HTMLResponse)
def upload(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    file: Annotated[UploadFile, File()],
    principal: PrincipalDep,
) -> HTMLResponse:
    """Import an uploaded progress table; on rejection show every bad row (nothing is
    written)."""
    return _upload(request, platform, lang, file, principal, milestones=False)


@router.post("/milestones/upload", response_class=HTMLResponse)
def upload_milestones(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    file: Annotated[UploadFile, File()],
    principal: PrincipalDep,
) -> HTMLResponse:
    """Import an uploaded milestone table; on rejection show every bad row (nothing is
    written)."""
    return _upload(request, platform, lang, file, principal, milestones=True)


def _upload(
    request: Request,
    platform: PlatformDep,
    lang: str,
    file: UploadFile,
    principal: Principal,
    *,
    milestones: bool,
) -> HTMLResponse:
    try:
        counts = import_upload(platform, file, actor=principal, milestones=milestones)
        result = {"ok": True, "file": file.filename, **counts}
    except ImportRejected as exc:
        result = {"ok": False, "file": exc.source, "problems": exc.problems}
    htmx = bool(request.headers.get("HX-Request"))
    template = "upload_result.html" if htmx else "upload.html"
    # htmx swaps only 2xx responses: a rejection is a 200 partial there, a 422 page elsewhere
    return render(
        request,
        template,
        lang,
        {"plan": platform.plan(), "result": result},
        status_code=200 if result["ok"] or htmx else 422,
    )


@router.get("/progress/export.xlsx")
def export(platform: PlatformDep) -> FileResponse:
    """Download the progress workbook."""
    tmp = Path(tempfile.mkdtemp()) / "xietong-progress.xlsx"
    platform.export_xlsx(tmp)
    return FileResponse(
        tmp,
        filename=f"xietong-progress-{dt.date.today().isoformat()}.xlsx",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        background=BackgroundTask(lambda: tmp.unlink(missing_ok=True)),
    )


@router.get("/targets/{target_id}/history.csv")
def target_history_csv(target_id: str, platform: PlatformDep) -> Response:
    """Every change of a target's values as CSV (UTF-8 with BOM, for Excel)."""
    try:
        t = platform.plan().target(target_id)
    except KeyError:
        raise NotFound(f"no target '{target_id[:64]}'") from None
    rows = [
        [
            h["at"].isoformat(timespec="seconds"),
            h["actor"],
            h["period"],
            h["district"],
            h["old"],
            h["new"],
            "是" if h["comparison"] else "否",
            h["source"],
        ]
        for h in platform.value_history(t.id)
    ]
    data = history_csv(
        [
            "时间 when",
            "操作人 who",
            "期间 period",
            "区 district",
            "原值 old",
            "新值 new",
            "对照值 comparison",
            "来源 source",
        ],
        rows,
    )
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=xietong-{t.id}-history.csv"},
    )


@router.get("/imports", response_class=HTMLResponse)
def imports(request: Request, platform: PlatformDep, lang: LangDep) -> HTMLResponse:
    """Every upload and other import of values, newest first."""
    return render(
        request, "imports.html", lang, {"plan": platform.plan(), "imports": platform.imports()}
    )


@router.get("/imports/{import_id}", response_class=HTMLResponse)
def import_page(
    request: Request, import_id: int, platform: PlatformDep, lang: LangDep
) -> HTMLResponse:
    """One upload: who, when, from which file, and each value it added or changed."""
    plan = platform.plan()
    return render(
        request,
        "import.html",
        lang,
        {
            "plan": plan,
            "imp": platform.import_detail(import_id),
            "targets": {t.id: t for t in plan.targets},
            "districts": {d.code: d for d in plan.districts},
        },
    )
