"""The task ledger and its reporting cycle: the plan's tasks, the reporting periods the bureau
opens, the reports bodies and districts write on their own tasks, and the bureau's review.
An accepted report's figures and milestone states enter the indicator store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xietong.accounts.roles import Action, Principal, Role, Scope
from xietong.errors import ImportRejected, NotFound, ReportRefused, RowProblem
from xietong.files.attachments import (
    MAX_PER_REPORT,
    check_attachment,
    read_attachment,
    store_attachment,
)
from xietong.files.task_workbook import TASKS as TASKS_SHEET
from xietong.files.task_workbook import FilledReport, read_task_workbook, write_task_workbook
from xietong.plan.milestones import MilestoneReport, MilestoneState, parse_milestone_rows
from xietong.plan.models import Measure, Milestone, Target
from xietong.plan.progress_table import parse_rows
from xietong.plan.reporting import (
    Attachment,
    FigureEntry,
    MilestoneEntry,
    Obligation,
    Reminder,
    ReportAction,
    ReportingPeriod,
    ReportState,
    ReportStatus,
    TaskReport,
    UnitKind,
    UnitSummary,
    load_reporting_rules,
    next_state,
    obligations,
    period_for,
    statuses,
    summarise,
    task_units,
)
from xietong.plan.search import Entry, build_index, search
from xietong.plan.tasks import Task, TaskLedger, load_task_ledger
from xietong.service.accounts import Actor, as_principal
from xietong.service.progress import ProgressService
from xietong.store import ledger as store
from xietong.store import repository
from xietong.store.database import session_scope

FIGURE_HEADER = ["target_id", "period", "value", "unit", "district", "evidence"]
MILESTONE_HEADER = ["milestone_id", "date", "state", "district", "evidence"]


class LedgerService(ProgressService):
    """Tasks, reporting periods, task reports and their review."""

    # -- the ledger ----------------------------------------------------------------------

    def task_ledger(self) -> TaskLedger:
        """The plan's task ledger (``<plan-id>-tasks.yaml``), read once per plan."""
        plan = self.plan()
        return self._once(
            self._plan_data, ("task-ledger", plan.id, id(plan)), 4, lambda: load_task_ledger(plan)
        )

    def task(self, task_id: str) -> Task:
        """One task; NotFound if the ledger has none of that id."""
        try:
            return self.task_ledger().task(task_id)
        except KeyError:
            raise NotFound(f"没有任务 '{task_id[:64]}' / no task '{task_id[:64]}'") from None

    def search(self, query: str, limit: int = 50) -> list[Entry]:
        """Targets, measures, tasks, bodies and districts matching ``query`` (code, Chinese
        or English name, pinyin or its initials: :mod:`xietong.plan.search`)."""
        plan = self.plan()
        index = self._once(
            self._plan_data,
            ("search-index", plan.id, id(plan)),
            4,
            lambda: build_index(plan, self.task_ledger()),
        )
        return search(index, query, limit)

    def units_of(self, actor: Actor) -> list[tuple[UnitKind, str]] | None:
        """The units (kind, code) an account reports for: its body or its district; None for
        the bureau and viewers (every unit)."""
        p = as_principal(actor)
        if p.role is Role.BODY and p.body:
            return [("body", p.body)]
        if p.role is Role.DISTRICT and p.district:
            return [("district", p.district)]
        return None

    def tasks_for(self, actor: Actor) -> tuple[Task, ...]:
        """The tasks an account sees as its own: a body's those it leads or cooperates on, a
        district's those it carries out; every task for the bureau and viewers."""
        ledger = self.task_ledger()
        units = self.units_of(actor)
        if units is None:
            return ledger.tasks
        kind, code = units[0]
        return ledger.for_body(code) if kind == "body" else ledger.for_district(code)

    # -- periods ---------------------------------------------------------------------------

    def periods(self) -> list[ReportingPeriod]:
        """The reporting periods opened, newest first."""
        with session_scope(self.engine) as session:
            return store.list_periods(session, self.plan_id)

    def period(self, period_id: str) -> ReportingPeriod:
        """One period; NotFound if it was never opened."""
        with session_scope(self.engine) as session:
            found = store.get_period(session, self.plan_id, period_id[:8])
        if found is None:
            raise NotFound(
                f"没有报送期 '{period_id[:16]}' / no reporting period '{period_id[:16]}'"
            )
        return found

    def current_period(self) -> ReportingPeriod | None:
        """The newest open period, else the newest one, else None."""
        found = self.periods()
        return next((p for p in found if p.is_open), found[0] if found else None)

    def open_period(
        self,
        year: int,
        quarter: int | None = None,
        *,
        due: dt.date | None = None,
        actor: Actor,
    ) -> ReportingPeriod:
        """Open the reporting period of ``year`` (or its ``quarter``), its reports due ``due``
        (default: a month after the year, a fortnight after a quarter). The bureau only;
        audited. ReportRefused if it is open already or the dates do not fit."""
        principal = self.authorize(actor, Action.MANAGE_PERIODS)
        try:
            period = period_for(year, quarter, due=due)
        except ValueError as exc:
            raise ReportRefused(
                f"报送期不成立: {exc}", f"no such reporting period: {exc}"
            ) from None
        with session_scope(self.engine) as session:
            if store.get_period(session, self.plan_id, period.id) is not None:
                raise ReportRefused(
                    f"报送期 {period.label('zh')} 已开启", f"the period {period.id} is open already"
                )
            store.add_period(session, self.plan_id, period, principal.label)
        return self.period(period.id)

    def close_period(self, period_id: str, *, actor: Actor, closed: bool = True) -> ReportingPeriod:
        """Close a period (reports can no longer be saved or submitted; reviews go on), or
        open it again. The bureau only; audited."""
        principal = self.authorize(actor, Action.MANAGE_PERIODS)
        period = self.period(period_id)
        with session_scope(self.engine) as session:
            store.set_period_closed(session, self.plan_id, period.id, principal.label, closed)
        return self.period(period.id)

    # -- reports ---------------------------------------------------------------------------

    def task_reports(
        self,
        period_id: str,
        *,
        task_id: str | None = None,
        units: Sequence[tuple[str, str]] | None = None,
        states: Sequence[ReportState] | None = None,
    ) -> list[TaskReport]:
        """The reports of a period (optionally of one task, some units, some states)."""
        period = self.period(period_id)
        with session_scope(self.engine) as session:
            return store.list_reports(
                session, self.plan_id, period.id, task_id=task_id, units=units, states=states
            )

    def task_report(
        self, period_id: str, task_id: str, unit_kind: str, unit: str
    ) -> TaskReport | None:
        """One unit's report on a task in a period, or None when nothing was saved yet."""
        found = self.task_reports(period_id, task_id=task_id, units=[(unit_kind, unit)])
        return found[0] if found else None

    def obligation(self, task_id: str, unit_kind: str, unit: str) -> Obligation:
        """The report ``unit`` owes on a task; NotFound when it owes none (it neither leads,
        cooperates on nor carries out the task)."""
        task = self.task(task_id)
        for o in task_units(task, self.plan()):
            if (o.unit_kind, o.unit) == (unit_kind, unit):
                return o
        raise NotFound(
            f"{unit[:64]} 不承担任务 {task.id} / {unit[:64]} owes no report on task {task.id}"
        )

    def _authorize_unit(self, actor: Actor, unit_kind: str, unit: str) -> Principal:
        scope = Scope.of(bodies=[unit]) if unit_kind == "body" else Scope.of(district=unit)
        return self.authorize(actor, Action.REPORT_TASK, scope)

    def save_task_report(
        self,
        period_id: str,
        task_id: str,
        unit_kind: str,
        unit: str,
        *,
        progress: str = "",
        figures: Sequence[FigureEntry] = (),
        milestones: Sequence[MilestoneEntry] = (),
        submit: bool = False,
        files: Sequence[tuple[str, bytes]] = (),
        actor: Actor,
    ) -> TaskReport:
        """Save (a draft) or submit ``unit``'s report on a task: its progress narrative, the
        figures of the task's targets, the states of its milestones and new evidence
        ``files`` (name, bytes), validated as the imports validate them (ImportRejected names
        each bad entry in Chinese and English; a file is checked as :meth:`add_attachments`
        checks it), all or nothing. Only the unit's own reporters (or the bureau) write it,
        only while the period is open and the report is not awaiting review or accepted
        (ReportRefused otherwise). Audited on the task (entity ``task:<id>``) with the state
        and content before and after."""
        period = self.period(period_id)
        obligation = self.obligation(task_id, unit_kind, unit)
        principal = self._authorize_unit(actor, unit_kind, unit)
        task = self.task(task_id)
        checked_figures = self._checked_figures(task, period, obligation, figures)
        checked_milestones = self._checked_milestones(task, obligation, milestones)
        checked_files = [(check_attachment(name, data), data) for name, data in files]
        with session_scope(self.engine) as session:
            return self._store_report(
                session,
                period,
                task.id,
                unit_kind,
                unit,
                principal,
                progress=progress,
                figures=checked_figures,
                milestones=checked_milestones,
                submit=submit,
                files=checked_files,
            )

    def _store_report(
        self,
        session: Any,
        period: ReportingPeriod,
        task_id: str,
        unit_kind: str,
        unit: str,
        principal: Principal,
        *,
        progress: str,
        figures: Sequence[FigureEntry],
        milestones: Sequence[MilestoneEntry],
        submit: bool,
        files: Sequence[tuple[str, bytes]] = (),
    ) -> TaskReport:
        """Write a validated report (in the caller's transaction), moving it along the cycle
        (TransitionRefused when it may not move); audited."""
        action = ReportAction.SUBMIT if submit else ReportAction.SAVE
        now = dt.datetime.now(dt.UTC)
        row, before = store.claim_report(session, self.plan_id, period.id, task_id, unit_kind, unit)
        state = next_state(
            before.state if before is not None else None, action, period_open=period.is_open
        )
        row.state = state.value
        row.progress = progress.strip()
        row.figures = [f.model_dump(mode="json") for f in figures]
        row.milestones = [m.model_dump(mode="json") for m in milestones]
        row.updated_by, row.updated_at = principal.label, now
        if submit:
            row.round = (row.round or 0) + 1
            row.submitted_by, row.submitted_at = principal.label, now
        session.flush()
        added = self._attach(session, row.id, files, principal)
        after = store.report_of(row)
        self._audit_report(session, principal, action, before, after, added)
        return after

    # -- the Excel template ----------------------------------------------------------------

    def owed_tasks(self, unit_kind: str, unit: str) -> list[Task]:
        """The tasks ``unit`` owes a report on, in plan order."""
        plan = self.plan()
        return [
            t
            for t in self.task_ledger().tasks
            if any((o.unit_kind, o.unit) == (unit_kind, unit) for o in task_units(t, plan))
        ]

    def write_task_template(
        self, period_id: str, unit_kind: str, unit: str, path: Path, *, actor: Actor
    ) -> int:
        """Write ``unit``'s reporting template for a period (.xlsx: its tasks, their targets
        and milestones, what it already saved filled in); its own reporters or the bureau.
        Returns the number of tasks."""
        period = self.period(period_id)
        self._authorize_unit(actor, unit_kind, unit)
        tasks = self.owed_tasks(unit_kind, unit)
        if not tasks:
            raise NotFound(f"{unit[:64]} 不承担任务 / {unit[:64]} owes no task report")
        reports = {r.task_id: r for r in self.task_reports(period.id, units=[(unit_kind, unit)])}
        plan = self.plan()
        try:
            name = (plan.body(unit) if unit_kind == "body" else plan.district(unit)).name.zh
        except KeyError:
            name = unit
        write_task_workbook(path, plan, tasks, period, name, reports)
        return len(tasks)

    def import_task_workbook(
        self, period_id: str, unit_kind: str, unit: str, path: Path, *, label: str, actor: Actor
    ) -> dict[str, int]:
        """Save (or, where 提交 says 是, submit) every report a filled-in template gives, all
        or nothing: ImportRejected names every bad cell in Chinese (the template's own checks,
        then each figure and milestone as a report checks it, then a report that may no
        longer change). Returns counts ``saved`` and ``submitted``."""
        period = self.period(period_id)
        principal = self._authorize_unit(actor, unit_kind, unit)
        owed = self.owed_tasks(unit_kind, unit)
        filled = read_task_workbook(path, label, owed)
        tasks = {t.id: t for t in owed}
        stored = {r.task_id: r for r in self.task_reports(period.id, units=[(unit_kind, unit)])}
        problems: list[RowProblem] = []
        checked: list[tuple[FilledReport, list[FigureEntry], list[MilestoneEntry]]] = []
        for f in filled:
            obligation = self.obligation(f.task_id, unit_kind, unit)
            task = tasks[f.task_id]
            before = stored.get(f.task_id)
            try:
                next_state(
                    before.state if before else None,
                    ReportAction.SUBMIT if f.submit else ReportAction.SAVE,
                    period_open=period.is_open,
                )
            except ReportRefused as exc:
                problems.append(RowProblem(0, f.cell or f"{TASKS_SHEET}:{f.task_id}", exc.zh))
                continue
            try:
                figures = self._checked_figures(task, period, obligation, f.figures)
            except ImportRejected as exc:
                problems += [
                    RowProblem(0, f.figure_cells[p.row - 2], p.reason) for p in exc.problems
                ]
                continue
            try:
                milestones = self._checked_milestones(task, obligation, f.milestones)
            except ImportRejected as exc:
                problems += [
                    RowProblem(0, f.milestone_cells[p.row - 2], p.reason) for p in exc.problems
                ]
                continue
            checked.append((f, figures, milestones))
        if problems:
            rejected = ImportRejected(label, problems)
            self.record_refusal(principal, "task.import", str(rejected).splitlines()[0])
            raise rejected
        with session_scope(self.engine) as session:
            for f, figures, milestones in checked:
                self._store_report(
                    session,
                    period,
                    f.task_id,
                    unit_kind,
                    unit,
                    principal,
                    progress=f.progress,
                    figures=figures,
                    milestones=milestones,
                    submit=f.submit,
                )
        return {
            "saved": sum(not f.submit for f, _, _ in checked),
            "submitted": sum(f.submit for f, _, _ in checked),
        }

    def _attach(
        self,
        session: Any,
        report_id: int,
        checked: Sequence[tuple[str, bytes]],
        principal: Principal,
    ) -> list[Attachment]:
        """Keep checked files as evidence of a report (in the caller's transaction); at most
        :data:`MAX_PER_REPORT` per report."""
        if not checked:
            return []
        kept = store.attachments_of(session, [report_id])
        if len(kept) + len(checked) > MAX_PER_REPORT:
            raise ReportRefused(
                f"每份报告最多 {MAX_PER_REPORT} 个附件",
                f"a report keeps at most {MAX_PER_REPORT} attachments",
            )
        folder = self.attachment_dir()
        return [
            store.add_attachment(
                session, report_id, name, len(data), store_attachment(folder, data), principal.label
            )
            for name, data in checked
        ]

    def review_task_report(
        self,
        period_id: str,
        task_id: str,
        unit_kind: str,
        unit: str,
        *,
        accept: bool,
        comment: str | None = None,
        actor: Actor,
    ) -> TaskReport:
        """Return a submitted report (a comment is required) or accept it. The bureau only.
        An accepted report's figures enter the indicator store (as reported values of the
        unit) and its milestone states the milestone reports, in the same transaction, with
        the derived values recomputed. Audited on the task."""
        principal = self.authorize(actor, Action.REVIEW_TASK)
        period = self.period(period_id)
        self.obligation(task_id, unit_kind, unit)
        action = ReportAction.ACCEPT if accept else ReportAction.RETURN
        after_progress = self._after_progress() if accept else None
        now = dt.datetime.now(dt.UTC)
        with session_scope(self.engine) as session:
            row, before = store.claim_report(
                session, self.plan_id, period.id, task_id, unit_kind, unit
            )
            state = next_state(
                before.state if before is not None else None,
                action,
                period_open=period.is_open,
                comment=comment,
            )
            row.state = state.value
            row.reviewed_by, row.reviewed_at = principal.label, now
            row.comment = (comment or "").strip() or None
            session.flush()
            after = store.report_of(row)
            if accept:
                self._enter_accepted(session, after, period, principal, after_progress)
            self._audit_report(session, principal, action, before, after)
        return after

    def _enter_accepted(
        self,
        session: Any,
        report: TaskReport,
        period: ReportingPeriod,
        principal: Principal,
        after_progress: Any,
    ) -> None:
        """Write an accepted report's figures and milestone states (in the caller's
        transaction)."""
        source = f"任务报告 task report {period.id}/{report.task_id}/{report.unit}"
        reporter = report.unit if report.unit_kind == "body" else "district_govs"
        plan = self.plan()
        if report.figures:
            rows = [
                [
                    f.target_id,
                    period.end.isoformat(),
                    f.value,
                    f.unit or plan.target(f.target_id).unit,
                    f.district or "",
                    f.evidence or source,
                ]
                for f in report.figures
            ]
            records = parse_rows(
                plan, FIGURE_HEADER, rows, source=source, reported_on=dt.date.today()
            )
            records = self._as_reported(
                [r.model_copy(update={"reported_by": reporter}) for r in records]
            )
            repository.save_progress(
                session,
                plan_id=self.plan_id,
                records=records,
                source=source,
                actor=principal.label,
            )
            if after_progress is not None:
                session.flush()
                after_progress(session, principal.label, source)
        if report.milestones:
            repository.save_milestone_reports(
                session,
                plan_id=self.plan_id,
                reports=[
                    MilestoneReport(
                        milestone_id=m.milestone_id,
                        date=m.date,
                        state=MilestoneState(m.state),
                        district=m.district,
                        reported_by=reporter,
                        evidence=m.evidence or source,
                        demo=bool(m.evidence and "演示数据" in m.evidence),
                    )
                    for m in report.milestones
                ],
                source=source,
                actor=principal.label,
            )

    def _audit_report(
        self,
        session: Any,
        principal: Principal,
        action: ReportAction,
        before: TaskReport | None,
        after: TaskReport,
        files: Sequence[Attachment] = (),
    ) -> None:
        def content(r: TaskReport | None) -> dict[str, Any] | None:
            if r is None:
                return None
            return r.model_dump(
                mode="json",
                include={"state", "round", "progress", "figures", "milestones", "comment"},
            )

        repository.audit(
            session,
            actor=principal.label,
            action=f"task.{action.value}",
            entity=f"task:{after.task_id}",
            detail={
                "period": after.period_id,
                "unit_kind": after.unit_kind,
                "unit": after.unit,
                "from": before.state.value if before is not None else None,
                "to": after.state.value,
                "comment": after.comment if action is ReportAction.RETURN else None,
                "before": content(before),
                "after": content(after),
                "files": [
                    {"filename": a.filename, "size": a.size, "sha256": a.sha256} for a in files
                ],
            },
        )

    # -- evidence files --------------------------------------------------------------------

    def add_attachments(
        self,
        period_id: str,
        task_id: str,
        unit_kind: str,
        unit: str,
        files: Sequence[tuple[str, bytes]],
        *,
        actor: Actor,
    ) -> list[Attachment]:
        """Attach evidence files (name, bytes) to ``unit``'s report on a task, all or nothing:
        every file is checked first (type, content, size: :mod:`xietong.files.attachments`)
        and the report must be the unit's to write (a report not yet saved becomes a draft).
        The bytes are kept outside the database; audited on the task."""
        period = self.period(period_id)
        self.obligation(task_id, unit_kind, unit)
        principal = self._authorize_unit(actor, unit_kind, unit)
        checked = [(check_attachment(name, data), data) for name, data in files]
        if not checked:
            return []
        with session_scope(self.engine) as session:
            row, before = store.claim_report(
                session, self.plan_id, period.id, task_id, unit_kind, unit
            )
            state = next_state(
                before.state if before is not None else None,
                ReportAction.SAVE,
                period_open=period.is_open,
            )
            row.state = state.value
            row.updated_by, row.updated_at = principal.label, dt.datetime.now(dt.UTC)
            session.flush()
            added = self._attach(session, row.id, checked, principal)
            self._audit_report(
                session, principal, ReportAction.SAVE, before, store.report_of(row), added
            )
        return added

    def attachments(self, reports: Sequence[TaskReport]) -> dict[int, list[Attachment]]:
        """The evidence files of some reports, by report id."""
        ids = [r.id for r in reports if r.id is not None]
        with session_scope(self.engine) as session:
            found = store.attachments_of(session, ids)
        out: dict[int, list[Attachment]] = {}
        for a in found:
            out.setdefault(a.report_id, []).append(a)
        return out

    def attachment(self, attachment_id: int) -> tuple[Attachment, bytes]:
        """An evidence file and its bytes (checked against their SHA-256); NotFound if there
        is no such attachment."""
        with session_scope(self.engine) as session:
            found = store.get_attachment(session, attachment_id)
        if found is None:
            raise NotFound(f"没有附件 {attachment_id} / no attachment {attachment_id}")
        meta, _ = found
        return meta, read_attachment(self.attachment_dir(), meta.sha256)

    def remove_attachment(self, attachment_id: int, *, actor: Actor) -> None:
        """Remove an evidence file from a report the acting unit may still write; audited."""
        with session_scope(self.engine) as session:
            found = store.get_attachment(session, attachment_id)
            if found is None:
                raise NotFound(f"没有附件 {attachment_id} / no attachment {attachment_id}")
            meta, report = found
            principal = self._authorize_unit(actor, report.unit_kind, report.unit)
            period = store.get_period(session, self.plan_id, report.period_id)
            next_state(report.state, ReportAction.SAVE, period_open=bool(period and period.is_open))
            store.delete_attachment(session, attachment_id)
            repository.audit(
                session,
                actor=principal.label,
                action="task.detach",
                entity=f"task:{report.task_id}",
                detail={
                    "period": report.period_id,
                    "unit_kind": report.unit_kind,
                    "unit": report.unit,
                    "from": report.state.value,
                    "to": report.state.value,
                    "files": [{"filename": meta.filename, "sha256": meta.sha256}],
                },
            )

    # -- validation ------------------------------------------------------------------------

    def _checked_figures(
        self,
        task: Task,
        period: ReportingPeriod,
        obligation: Obligation,
        figures: Sequence[FigureEntry],
    ) -> list[FigureEntry]:
        """The figures in the targets' units, validated as a progress import validates them
        (strict numbers, ranges, units by pint): only the task's targets, a district only its
        own figures. ImportRejected names every bad entry (row 2 is the first)."""
        if not figures:
            return []
        plan = self.plan()

        def allowed(t: Target, district: str | None, by: str | None) -> str | None:
            return _outside(task, obligation, "目标", "target", t.id, task.targets, district)

        rows = [
            [
                f.target_id,
                period.end.isoformat(),
                f.value,
                f.unit or (plan.target(f.target_id).unit if f.target_id in task.targets else ""),
                f.district or "",
                f.evidence or "",
            ]
            for f in figures
        ]
        records = parse_rows(plan, FIGURE_HEADER, rows, source=f"task {task.id}", allowed=allowed)
        return [
            FigureEntry(
                target_id=r.target_id,
                value=r.value,
                unit=plan.target(r.target_id).unit,
                district=r.district,
                evidence=r.evidence,
            )
            for r in records
        ]

    def _checked_milestones(
        self, task: Task, obligation: Obligation, milestones: Sequence[MilestoneEntry]
    ) -> list[MilestoneEntry]:
        """The milestone states, validated as a milestone import validates them: only the
        task's milestones, a district only its own. ImportRejected names every bad entry."""
        if not milestones:
            return []

        def allowed(m: Measure, ms: Milestone, district: str | None, by: str | None) -> str | None:
            return _outside(
                task, obligation, "里程碑", "milestone", ms.id, task.milestones, district
            )

        rows = [
            [m.milestone_id, m.date.isoformat(), m.state, m.district or "", m.evidence or ""]
            for m in milestones
        ]
        reports, problems = parse_milestone_rows(
            self.plan(), MILESTONE_HEADER, rows, allowed=allowed
        )
        if problems:
            raise ImportRejected(f"task {task.id}", [RowProblem(*p) for p in problems])
        return [
            MilestoneEntry(
                milestone_id=r.milestone_id,
                state=r.state.value,
                date=r.date,
                district=r.district,
                evidence=r.evidence,
            )
            for r in reports
        ]

    # -- where everyone stands -------------------------------------------------------------

    def report_statuses(
        self,
        period_id: str,
        *,
        today: dt.date | None = None,
        units: Sequence[tuple[str, str]] | None = None,
        task_id: str | None = None,
    ) -> list[ReportStatus]:
        """Every report owed in a period (optionally some units' or one task's) with its
        state and whether it is overdue on ``today``."""
        period = self.period(period_id)
        owed = obligations(self.task_ledger(), self.plan(), period)
        if units is not None:
            wanted = set(units)
            owed = [o for o in owed if (o.unit_kind, o.unit) in wanted]
        if task_id is not None:
            owed = [o for o in owed if o.task_id == task_id]
        stored = {r.key: (r.state, r.round) for r in self.task_reports(period.id, task_id=task_id)}
        return statuses(owed, stored, period, today or dt.date.today())

    def reporting_summary(
        self, period_id: str, *, today: dt.date | None = None
    ) -> list[UnitSummary]:
        """Per body and district (bodies first, each in the plan's order): reports owed, in
        each state, and overdue."""
        plan = self.plan()
        order = {("body", b.code): i for i, b in enumerate(plan.bodies)}
        order.update({("district", d.code): len(order) + i for i, d in enumerate(plan.districts)})
        found = summarise(self.report_statuses(period_id, today=today))
        return sorted(found, key=lambda u: order.get((u.unit_kind, u.unit), len(order)))

    def overdue_reports(
        self, period_id: str, *, today: dt.date | None = None
    ) -> list[ReportStatus]:
        """The reports past the period's due date and neither submitted nor accepted."""
        return [s for s in self.report_statuses(period_id, today=today) if s.overdue]

    def send_reminders(
        self,
        period_id: str,
        *,
        units: Sequence[tuple[str, str]] | None = None,
        message: str = "",
        today: dt.date | None = None,
        actor: Actor,
    ) -> list[Reminder]:
        """Remind units (催办) of their reports in a period: ``units``, or every unit with an
        overdue report; each reminder records how many were overdue. The bureau only;
        audited (entity ``period:<id>``)."""
        principal = self.authorize(actor, Action.MANAGE_PERIODS)
        period = self.period(period_id)
        overdue: dict[tuple[str, str], int] = {}
        for s in self.overdue_reports(period.id, today=today):
            key = (s.obligation.unit_kind, s.obligation.unit)
            overdue[key] = overdue.get(key, 0) + 1
        targets = list(units) if units is not None else list(overdue)
        text = (message.strip() or load_reporting_rules().reminder_zh)[:2000]
        with session_scope(self.engine) as session:
            sent = [
                store.add_reminder(
                    session,
                    self.plan_id,
                    period.id,
                    kind,
                    code,
                    text,
                    overdue.get((kind, code), 0),
                    principal.label,
                )
                for kind, code in targets
            ]
            repository.audit(
                session,
                actor=principal.label,
                action="period.remind",
                entity=f"period:{period.id}",
                detail={"units": [f"{k}:{c}" for k, c in targets], "message": text},
            )
        return sent

    def reminders(
        self,
        *,
        period_id: str | None = None,
        units: Sequence[tuple[str, str]] | None = None,
        limit: int = 200,
    ) -> list[Reminder]:
        """Reminders sent, newest first (optionally of a period, of some units)."""
        with session_scope(self.engine) as session:
            return store.list_reminders(
                session, self.plan_id, period_id=period_id, units=units, limit=limit
            )

    def history(self, entities: Sequence[str], limit: int = 200) -> list[dict[str, Any]]:
        """The audit entries of some things (``task:<id>``, ``period:<id>``), newest first:
        who, when, what, and the detail (old and new state or value, comment)."""
        with session_scope(self.engine) as session:
            return [
                {
                    "id": e.id,
                    "at": e.at,
                    "actor": e.actor,
                    "action": e.action,
                    "entity": e.entity,
                    "detail": e.detail,
                }
                for e in store.entity_history(session, list(entities), limit)
            ]


def _outside(
    task: Task,
    obligation: Obligation,
    what_zh: str,
    what_en: str,
    item: str,
    items: Sequence[str],
    district: str | None,
) -> str | None:
    """Why a report's entry may not be written (zh / en): it is not one of the task's
    targets or milestones, or a district gives another district's entry; None if it may."""
    if item not in items:
        return (
            f"{what_zh} {item} 不属于任务 {task.id} / {what_en} {item} is not one of task "
            f"{task.id}'s"
        )
    if obligation.unit_kind == "district" and district != obligation.unit:
        return (
            f"区只能填报本区({obligation.unit})的内容 / a district reports its own entries "
            f"({obligation.unit}) only"
        )
    return None
