"""Pages of the task ledger and its reporting cycle: my tasks, one task (its clause, targets,
milestones, the reports owed on it in a period, the report form, the review, the history),
and the bureau's reporting page (periods, summary per body and district, review queue,
overdue list)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

from xietong.accounts.roles import Action, Principal, allows
from xietong.errors import ImportRejected, ReportRefused, RowProblem
from xietong.files.attachments import ALLOWED, MAX_BYTES, MAX_PER_REPORT
from xietong.files.history_export import history_csv
from xietong.plan.progress_table import parse_number
from xietong.plan.reporting import (
    FigureEntry,
    MilestoneEntry,
    ReportState,
    ReportStatus,
    load_reporting_rules,
    state_label,
)
from xietong.plan.search import grouped
from xietong.plan.tasks import Task
from xietong.service.assessment_views import unit_name
from xietong.service.platform import Platform
from xietong.web.auth import PrincipalDep
from xietong.web.deps import LangDep, PlatformDep
from xietong.web.render import render

router = APIRouter(include_in_schema=False)

MAX_FIELDS = 200
"""The most figure and milestone fields a report form may carry."""


def _period_id(platform: Platform, requested: str | None) -> str | None:
    if requested:
        return platform.period(requested).id
    current = platform.current_period()
    return current.id if current else None


def _matches(task: Task, q: str, lang: str) -> bool:
    q = q.strip().lower()
    return not q or any(q in s.lower() for s in (task.id, task.clause, task.text.zh, task.text.en))


def _unit_name(platform: Platform, kind: str, code: str, lang: str) -> str:
    return unit_name(platform.plan(), kind, code, lang)


@router.get("/tasks", response_class=HTMLResponse)
def tasks(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    q: str = "",
    measure: int | None = None,
    period: str | None = None,
) -> HTMLResponse:
    """The account's own tasks (a body's and a district's; every task for the bureau and
    viewers), with this period's state of its reports, searchable."""
    plan = platform.plan()
    period_id = _period_id(platform, period)
    units = platform.units_of(principal)
    own_tasks = platform.tasks_for(principal)
    shown = [
        t
        for t in own_tasks
        if _matches(t, q[:100], lang)
        and (measure is None or t.measure == (measure or None))  # 0: the overall goals
    ]
    by_task: dict[str, list[ReportStatus]] = {}
    if period_id is not None:
        for s in platform.report_statuses(period_id, units=units):
            by_task.setdefault(s.obligation.task_id, []).append(s)
    return render(
        request,
        "tasks.html",
        lang,
        {
            "plan": plan,
            "tasks": shown,
            "total": len(own_tasks),
            "q": q[:100],
            "measure": measure,
            "period": platform.period(period_id) if period_id else None,
            "periods": platform.periods(),
            "by_task": by_task,
            "own": units is not None,
            "reminders": (
                platform.reminders(period_id=period_id, units=units, limit=5)
                if units is not None and period_id is not None
                else []
            ),
            "bodies": {b.code: b for b in plan.bodies},
            "state_label": state_label,
        },
    )


def _task_context(
    platform: Platform,
    task: Task,
    principal: Principal,
    period_id: str | None,
    lang: str,
) -> dict[str, Any]:
    plan = platform.plan()
    assessments = platform.assessments()
    units = platform.units_of(principal)
    measure = plan.measure(task.measure) if task.measure is not None else None
    ms_status = (
        {s.milestone_id: s for s in platform.measure_statuses()[task.measure].milestones}
        if task.measure is not None
        else {}
    )
    statuses = platform.report_statuses(period_id, task_id=task.id) if period_id else []
    reports = (
        {r.key: r for r in platform.task_reports(period_id, task_id=task.id)} if period_id else {}
    )
    mine = [
        s
        for s in statuses
        if units is not None and (s.obligation.unit_kind, s.obligation.unit) in units
    ]
    may_review = allows(principal, Action.REVIEW_TASK)
    return {
        "attachments": platform.attachments(list(reports.values())),
        "allowed_types": ",".join(ALLOWED),
        "plan": plan,
        "task": task,
        "measure": measure,
        "bodies": {b.code: b for b in plan.bodies},
        "districts": {d.code: d for d in plan.districts},
        "targets": [plan.target(t) for t in task.targets],
        "assessments": assessments,
        "milestones": [m for m in measure.milestones if m.id in task.milestones] if measure else [],
        "ms_status": ms_status,
        "period": platform.period(period_id) if period_id else None,
        "periods": platform.periods(),
        "statuses": statuses,
        "reports": reports,
        "mine": mine,
        "may_review": may_review,
        "unit_name": lambda kind, code: _unit_name(platform, kind, code, lang),
        "state_label": state_label,
        "history": platform.history([f"task:{task.id}"], limit=100),
        "today": dt.date.today(),
    }


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
def task_page(
    request: Request,
    task_id: str,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    period: str | None = None,
) -> HTMLResponse:
    """One task: its clause, bodies, districts, due date, targets and milestones; the
    reports owed on it in the period, the account's own report form, the bureau's review,
    and the history of every change."""
    task = platform.task(task_id)
    context = _task_context(platform, task, principal, _period_id(platform, period), lang)
    return render(request, "task.html", lang, context)


def _entries(
    task: Task, form: dict[str, Any]
) -> tuple[list[FigureEntry], list[MilestoneEntry], list[str]]:
    """The figures and milestone states a report form gives (blank ones left out), and the
    problems of fields that are not numbers or dates."""
    figures: list[FigureEntry] = []
    milestones: list[MilestoneEntry] = []
    problems: list[str] = []
    for target_id in task.targets:
        raw = str(form.get(f"fig_{target_id}", "")).strip()
        if not raw:
            continue
        try:
            value, _ = parse_number(raw)
        except ValueError as exc:
            problems.append(f"{target_id}: {exc}")
            continue
        evidence = str(form.get(f"fig_{target_id}_evidence", "")).strip() or None
        district = str(form.get("district", "")).strip() or None
        figures.append(
            FigureEntry(target_id=target_id, value=value, evidence=evidence, district=district)
        )
    for ms_id in task.milestones:
        state = str(form.get(f"ms_{ms_id}", "")).strip()
        if not state:
            continue
        raw_date = str(form.get(f"ms_{ms_id}_date", "")).strip() or dt.date.today().isoformat()
        try:
            day = dt.date.fromisoformat(raw_date[:10])
        except ValueError:
            problems.append(f"{ms_id}: “{raw_date[:32]}” 不是日期 / is not a date")
            continue
        if state not in ("not_started", "in_progress", "done"):
            problems.append(f"{ms_id}: “{state[:32]}” 不是状态 / is not a state")
            continue
        evidence = str(form.get(f"ms_{ms_id}_evidence", "")).strip() or None
        district = str(form.get("district", "")).strip() or None
        milestones.append(
            MilestoneEntry(
                milestone_id=ms_id,
                state=state,  # type: ignore[arg-type]
                date=day,
                evidence=evidence,
                district=district,
            )
        )
    return figures, milestones, problems


@router.post("/tasks/{task_id}/report", response_class=HTMLResponse)
async def save_report(
    request: Request,
    task_id: str,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
) -> Response:
    """Save or submit the account's report on a task (form fields: ``period``, ``unit_kind``,
    ``unit``, ``progress``, ``fig_<target>`` with ``fig_<target>_evidence``, ``ms_<milestone>``
    with ``ms_<milestone>_date`` and ``_evidence``, ``action`` = save | submit). On a refusal
    the page shows why and nothing is saved."""
    files: list[tuple[str, bytes]] = []
    async with request.form(max_fields=MAX_FIELDS, max_files=MAX_PER_REPORT) as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        for upload in form.getlist("attachments"):
            if isinstance(upload, StarletteUpload) and upload.filename:
                files.append((upload.filename, await upload.read(MAX_BYTES + 1)))
    task = platform.task(task_id)
    period_id = fields.get("period", "")
    figures, milestones, problems = _entries(task, fields)
    error: str | None = "; ".join(problems) or None
    if error is None:
        try:
            await run_in_threadpool(
                _save,
                platform,
                period_id,
                task,
                fields,
                figures,
                milestones,
                files,
                principal,
            )
        except (ReportRefused, ImportRejected) as exc:
            error = str(exc)
    if error is None:
        return RedirectResponse(f"/tasks/{task.id}?period={period_id}&saved=1", status_code=303)
    context = await run_in_threadpool(_task_context, platform, task, principal, period_id, lang)
    context.update({"error": error, "form": fields})
    return render(request, "task.html", lang, context, status_code=422)


def _save(
    platform: Platform,
    period_id: str,
    task: Task,
    fields: dict[str, str],
    figures: list[FigureEntry],
    milestones: list[MilestoneEntry],
    files: list[tuple[str, bytes]],
    principal: Principal,
) -> None:
    platform.save_task_report(
        period_id,
        task.id,
        fields.get("unit_kind", ""),
        fields.get("unit", "")[:64],
        progress=fields.get("progress", "")[:5000],
        figures=figures,
        milestones=milestones,
        submit=fields.get("action") == "submit",
        files=files,
        actor=principal,
    )


@router.get("/attachments/{attachment_id}")
def download(attachment_id: int, platform: PlatformDep) -> Response:
    """An evidence file, as a download only (never shown inline: octet-stream, attachment,
    nosniff), after its bytes were checked against their SHA-256."""
    meta, data = platform.attachment(attachment_id)
    return Response(
        data,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(meta.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.post("/attachments/{attachment_id}/delete")
def remove(
    attachment_id: int,
    platform: PlatformDep,
    principal: PrincipalDep,
    back: Annotated[str, Form(max_length=200)] = "/tasks",
) -> Response:
    """Remove an evidence file from a report the account may still write."""
    platform.remove_attachment(attachment_id, actor=principal)
    target = back if back.startswith("/tasks/") and "//" not in back else "/tasks"
    return RedirectResponse(target, status_code=303)


@router.post("/tasks/{task_id}/review", response_class=HTMLResponse)
def review_report(
    request: Request,
    task_id: str,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    period: Annotated[str, Form(max_length=8)],
    unit_kind: Annotated[str, Form(max_length=16)],
    unit: Annotated[str, Form(max_length=64)],
    decision: Annotated[str, Form(max_length=8)],
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The bureau returns (with a comment) or accepts a submitted report."""
    task = platform.task(task_id)
    try:
        platform.review_task_report(
            period,
            task.id,
            unit_kind,
            unit,
            accept=decision == "accept",
            comment=comment,
            actor=principal,
        )
    except ReportRefused as exc:
        context = _task_context(platform, task, principal, period, lang)
        context["error"] = str(exc)
        return render(request, "task.html", lang, context, status_code=409)
    return RedirectResponse(f"/tasks/{task.id}?period={period}&reviewed=1", status_code=303)


@router.get("/reporting", response_class=HTMLResponse)
def reporting(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    period: str | None = None,
) -> HTMLResponse:
    """The reporting cycle at a glance: the periods (and, for the bureau, a form to open
    one), per body and district the reports owed, submitted, returned, accepted and overdue,
    the reports awaiting review and the overdue ones."""
    context = _reporting_context(platform, lang, principal, period)
    return render(request, "reporting.html", lang, context)


def _reporting_context(
    platform: Platform, lang: str, principal: Principal, period: str | None
) -> dict[str, Any]:
    plan = platform.plan()
    period_id = _period_id(platform, period)
    summary = platform.reporting_summary(period_id) if period_id else []
    statuses = platform.report_statuses(period_id) if period_id else []
    queue = platform.task_reports(period_id, states=[ReportState.SUBMITTED]) if period_id else []
    return {
        "plan": plan,
        "period": platform.period(period_id) if period_id else None,
        "periods": platform.periods(),
        "summary": summary,
        "queue": queue,
        "overdue": [s for s in statuses if s.overdue],
        "overdue_units": sorted(
            {(s.obligation.unit_kind, s.obligation.unit) for s in statuses if s.overdue}
        ),
        "reminders": platform.reminders(period_id=period_id, limit=20) if period_id else [],
        "default_reminder": (
            load_reporting_rules().reminder_zh
            if lang == "zh"
            else load_reporting_rules().reminder_en
        ),
        "may_manage": allows(principal, Action.MANAGE_PERIODS),
        "unit_name": lambda kind, code: _unit_name(platform, kind, code, lang),
        "tasks": {t.id: t for t in platform.task_ledger().tasks},
        "today": dt.date.today(),
        "next_year": dt.date.today().year,
        "state_label": state_label,
    }


@router.post("/reporting/periods", response_class=HTMLResponse)
def open_period(
    request: Request,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    year: Annotated[int, Form(ge=2000, le=2100)],
    quarter: Annotated[str, Form(max_length=1)] = "",
    due: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The bureau opens a reporting period."""
    try:
        due_date = dt.date.fromisoformat(due) if due else None
        opened = platform.open_period(
            year, int(quarter) if quarter else None, due=due_date, actor=principal
        )
    except ValueError:
        return _reporting_error(
            request, platform, lang, principal, "日期或季度无效 / a bad date or quarter"
        )
    except ReportRefused as exc:
        return _reporting_error(request, platform, lang, principal, str(exc))
    return RedirectResponse(f"/reporting?period={opened.id}", status_code=303)


@router.post("/reporting/periods/{period_id}/close", response_class=HTMLResponse)
def close_period(
    period_id: str,
    platform: PlatformDep,
    principal: PrincipalDep,
    reopen: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """The bureau closes a period (or opens it again)."""
    closed = platform.close_period(period_id, actor=principal, closed=not reopen)
    return RedirectResponse(f"/reporting?period={closed.id}", status_code=303)


def _reporting_error(
    request: Request, platform: Platform, lang: str, principal: Principal, error: str
) -> HTMLResponse:
    context = _reporting_context(platform, lang, principal, None)
    context["error"] = error
    return render(request, "reporting.html", lang, context, status_code=409)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, platform: PlatformDep, lang: LangDep, q: str = ""
) -> HTMLResponse:
    """What matches the header's search: targets, measures, tasks, bodies and districts, by
    code, name (Chinese or English), pinyin or its initials."""
    found = platform.search(q[:100]) if q.strip() else []
    return render(
        request,
        "search.html",
        lang,
        {"plan": platform.plan(), "q": q[:100], "groups": grouped(found), "count": len(found)},
    )


def _own_unit(
    platform: Platform, principal: Principal, unit_kind: str, unit: str
) -> tuple[str, str]:
    units = platform.units_of(principal)
    if units is not None and not unit:
        return units[0]
    return unit_kind, unit


@router.get("/reporting/{period_id}/template.xlsx")
def template(
    period_id: str,
    platform: PlatformDep,
    principal: PrincipalDep,
    unit_kind: str = "",
    unit: str = "",
) -> Response:
    """The account's own reporting template for a period (.xlsx), or a unit's for the
    bureau (``unit_kind``, ``unit``)."""
    kind, code = _own_unit(platform, principal, unit_kind[:16], unit[:64])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.xlsx"
        platform.write_task_template(period_id[:8], kind, code, path, actor=principal)
        data = path.read_bytes()
    name = f"xietong-{period_id[:8]}-{code}.xlsx"
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


@router.post("/reporting/{period_id}/template", response_class=HTMLResponse)
def upload_template(
    request: Request,
    period_id: str,
    platform: PlatformDep,
    lang: LangDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File()],
    unit_kind: Annotated[str, Form(max_length=16)] = "",
    unit: Annotated[str, Form(max_length=64)] = "",
) -> HTMLResponse:
    """Take a filled-in template back: every report it gives saved or submitted, or none
    and every bad cell listed in Chinese."""
    kind, code = _own_unit(platform, principal, unit_kind, unit)
    label = Path(file.filename or "template.xlsx").name
    data = file.file.read(MAX_BYTES + 1)
    result: dict[str, Any]
    try:
        if len(data) > MAX_BYTES:
            raise ImportRejected(label, [RowProblem(0, "*", "文件超过 10 MB")])
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(data)
            counts = platform.import_task_workbook(
                period_id[:8], kind, code, path, label=label, actor=principal
            )
        result = {"ok": True, "file": label, **counts}
        status = 200
    except ImportRejected as exc:
        result = {"ok": False, "file": exc.source, "problems": exc.problems}
        status = 422
    return render(
        request,
        "template_result.html",
        lang,
        {"plan": platform.plan(), "result": result, "period_id": period_id[:8]},
        status_code=status,
    )


@router.post("/reporting/{period_id}/remind", response_class=HTMLResponse)
def remind(
    period_id: str,
    platform: PlatformDep,
    principal: PrincipalDep,
    message: Annotated[str, Form(max_length=2000)] = "",
    unit: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """The bureau reminds one unit (``unit`` = ``kind:code``) or every unit with an overdue
    report."""
    units = None
    if unit:
        kind, _, code = unit.partition(":")
        units = [(kind, code)]
    platform.send_reminders(period_id[:8], units=units, message=message, actor=principal)
    return RedirectResponse(f"/reporting?period={period_id[:8]}&reminded=1", status_code=303)


@router.get("/tasks/{task_id}/history.csv")
def task_history_csv(task_id: str, platform: PlatformDep) -> Response:
    """Every change of a task's reports as CSV (UTF-8 with BOM, for Excel)."""
    task = platform.task(task_id)
    rows = [
        [
            h["at"].isoformat(timespec="seconds"),
            h["actor"],
            h["action"],
            h["detail"].get("period"),
            h["detail"].get("unit"),
            h["detail"].get("from"),
            h["detail"].get("to"),
            h["detail"].get("comment") or "",
            "; ".join(f["filename"] for f in h["detail"].get("files", [])),
        ]
        for h in platform.history([f"task:{task.id}"], limit=10_000)
    ]
    data = history_csv(
        [
            "时间 when",
            "操作人 who",
            "操作 action",
            "报送期 period",
            "填报单位 unit",
            "原状态 from",
            "新状态 to",
            "审核意见 comment",
            "附件 files",
        ],
        rows,
    )
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=xietong-{task.id}-history.csv"},
    )
