"""The plan and its progress: the indicator store's values, statuses, roll-ups, imports of
progress and milestone tables, assigned goals and the progress workbook."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from xietong.accounts.roles import Action, Principal, Role, Scope, allows, refusal
from xietong.errors import (
    GoalRefused,
    ImportRejected,
    NotFound,
    NotInitialised,
    RowProblem,
)
from xietong.files.progress_files import read_table, write_progress_xlsx
from xietong.plan import rollup
from xietong.plan.loader import with_assigned_goals
from xietong.plan.milestones import (
    MeasureStatus,
    MilestoneReport,
    measure_statuses,
    parse_milestone_rows,
)
from xietong.plan.models import Measure, Milestone, Plan, Target, ValueSource
from xietong.plan.progress import (
    Assessment,
    ProgressRecord,
    Quality,
    assess_all,
)
from xietong.plan.progress_table import DERIVED_REPORTERS, parse_rows
from xietong.service.accounts import AccountService, Actor, as_principal
from xietong.store import repository
from xietong.store.database import session_scope

INVENTORY_REPORTER = DERIVED_REPORTERS[0]
"""``reported_by`` of the progress records the inventory gives (``inventory``)."""


class ProgressService(AccountService):
    """The plan, its progress values, milestones and statuses."""

    def plan(self) -> Plan:
        """The stored plan with the assigned goals entered so far (cached after the first
        read)."""
        if self._plan is None:
            try:
                with session_scope(self.engine) as session:
                    plan = repository.get_plan(session, self.plan_id)
                    self._plan = with_assigned_goals(
                        plan, repository.assigned_goals(session, self.plan_id)
                    )
            except (NotFound, DBAPIError) as exc:
                raise NotInitialised(
                    f"the database {self.engine.url.render_as_string(hide_password=True)} "
                    f"holds no plan '{self.plan_id}': run `xietong init` first"
                ) from exc
        return self._plan

    def records(
        self, target_id: str | None = None, *, comparisons: bool = False
    ) -> list[ProgressRecord]:
        """The indicator store's values (all targets, or one target's): the values of each
        indicator's defining source, and with ``comparisons`` also the values of other sources
        kept beside them. Read once per data revision (:meth:`view`): a page that asks
        several times reads the database once."""
        self.plan()

        def read() -> tuple[ProgressRecord, ...]:
            with session_scope(self.engine) as session:
                return tuple(repository.list_progress(session, self.plan_id, target_id))

        found = self.view(("records", target_id), read)
        return list(found) if comparisons else [r for r in found if not r.comparison]

    def comparisons(self, target_id: str | None = None) -> list[ProgressRecord]:
        """Values reported for an indicator another source defines (shown beside it)."""
        return [r for r in self.records(target_id, comparisons=True) if r.comparison]

    def assessments(
        self, as_of: dt.date | None = None, district: str | None = None
    ) -> dict[str, Assessment]:
        """Status of every target on ``as_of`` (default today) by the plan's rules
        (``docs/methods/status.md``); with ``district``, only the targets that apply to it.
        Computed once per data revision and day (:meth:`view`)."""
        plan = self.plan()
        day = as_of or dt.date.today()

        def judge() -> dict[str, Assessment]:
            if district is not None:
                return rollup.assess_district(plan, self.records(), day, district)
            return assess_all(
                plan.targets,
                self.records(),
                day,
                district,
                base_year=plan.base_year,
                sources={t.id: plan.source_of(t) for t in plan.targets},
            )

        return dict(self.view(("assessments", day, district), judge))

    def rollups(self, by: str, as_of: dt.date | None = None) -> list[rollup.RollUp]:
        """Status counts by ``measure``, ``body`` or ``district`` (once per data revision and
        day)."""
        day = as_of or dt.date.today()
        if by not in ("measure", "body", "district"):
            raise ValueError(f"roll-up by '{by}': choose measure, body or district")

        def count() -> list[rollup.RollUp]:
            if by == "district":
                return rollup.by_district(self.plan(), self.records(), day)
            judged = self.assessments(day)
            if by == "measure":
                return rollup.by_measure(self.plan(), judged)
            return rollup.by_body(self.plan(), judged)

        return list(self.view(("rollups", by, day), count))

    def import_rows(
        self,
        header: list[object],
        rows: list[list[object]],
        *,
        source: str,
        actor: Actor,
        demo: bool | None = None,
    ) -> dict[str, int]:
        """Validate and store a progress table, all or nothing (ImportRejected lists every bad
        row). A row is demo when its evidence says 演示数据, unless ``demo`` says otherwise. A
        value for an indicator that another source defines (the inventory, the scenarios) is
        kept as a comparison beside it, never replacing it. Rows the platform computed itself
        (``reported_by`` inventory or scenario, e.g. in a re-imported export) are recomputed,
        not imported: counted as ``skipped``."""
        principal = self._reporter(actor, Action.REPORT_PROGRESS)
        plan = self.plan()
        try:
            records = parse_rows(
                plan,
                header,
                rows,
                source=source,
                reported_on=dt.date.today(),
                allowed=lambda t, d, by: self._row_refusal(
                    principal,
                    Action.REPORT_PROGRESS,
                    plan.responsible_bodies(t),
                    d,
                    self._target_districts(t),
                    by,
                ),
            )
        except ImportRejected as exc:
            self.record_refusal(principal, "progress.import", str(exc).splitlines()[0])
            raise
        if principal.role is Role.BODY:
            records = [
                r if r.reported_by else r.model_copy(update={"reported_by": principal.body})
                for r in records
            ]
        skipped = sum(r.reported_by in DERIVED_REPORTERS for r in records)

        records = self._as_reported(
            [r for r in records if r.reported_by not in DERIVED_REPORTERS], demo=demo
        )
        after = self._after_progress()  # read before the write transaction opens
        with session_scope(self.engine) as session:
            counts = repository.save_progress(
                session,
                plan_id=self.plan_id,
                records=records,
                source=source,
                actor=principal.label,
            )
            if after is not None:
                session.flush()
                after(session, principal.label, source)
        return {**counts, "skipped": skipped}

    def _as_reported(
        self, records: Sequence[ProgressRecord], demo: bool | None = None
    ) -> list[ProgressRecord]:
        """Reported figures as the indicator store keeps them: demo when the evidence says
        演示数据 (unless ``demo`` says otherwise), of quality reported, and kept as a
        comparison where another source (the inventory, the scenarios) defines the
        indicator."""
        plan = self.plan()

        def as_reported(r: ProgressRecord) -> ProgressRecord:
            is_demo = bool(r.evidence and "演示数据" in r.evidence) if demo is None else demo
            defining = plan.source_of(plan.target(r.target_id))
            return r.model_copy(
                update={
                    "demo": is_demo,
                    "quality": Quality.DEMO if is_demo else Quality.REPORTED,
                    "source_kind": ValueSource.REPORTED,
                    "comparison": defining is not ValueSource.REPORTED,
                }
            )

        return [as_reported(r) for r in records]

    def data_as_of(self) -> dict[str, dt.date | None]:
        """The date the figures run to (the latest period of a stored value, reported or
        derived) and the day they last changed (the newest import), once per data change."""

        def compute() -> dict[str, dt.date | None]:
            records = self.records()
            # what has been measured or reported, not the scenarios' projections
            latest = max(
                (r.period_end for r in records if r.source_kind is not ValueSource.SCENARIO),
                default=None,
            )
            with session_scope(self.engine) as session:
                changed = repository.last_import_day(session, self.plan_id)
            return {"period": latest, "updated": changed}

        return self.view(("data_as_of",), compute)

    def imports(self, limit: int = 200) -> list[dict[str, Any]]:
        """The imports of values, newest first: id, source, rows, who, when."""
        with session_scope(self.engine) as session:
            return [
                {"id": i.id, "source": i.source, "rows": i.rows, "actor": i.actor, "at": i.at}
                for i in repository.list_imports(session, self.plan_id, limit)
            ]

    def import_detail(self, import_id: int) -> dict[str, Any]:
        """One import with the values it added and changed (old → new); NotFound if none."""
        with session_scope(self.engine) as session:
            found = repository.import_changes(session, self.plan_id, import_id)
            if found is None:
                raise NotFound(f"没有导入记录 {import_id} / no import {import_id}")
            imp, changes = found
            return {
                "id": imp.id,
                "source": imp.source,
                "rows": imp.rows,
                "actor": imp.actor,
                "at": imp.at,
                "changes": changes,
            }

    def value_history(self, target_id: str) -> list[dict[str, Any]]:
        """Every change of a target's values, newest first (who, when, source, period,
        district, old → new), from the audit log."""
        target = self.plan().target(target_id)
        with session_scope(self.engine) as session:
            return repository.value_history(session, self.plan_id, target.id)

    def _reporter(self, actor: Actor, action: Action) -> Principal:
        """The principal of ``actor`` when its role reports at all (Forbidden for a viewer or
        anonymous); which rows it may write is checked row by row (:meth:`_row_refusal`)."""
        principal = as_principal(actor)
        if principal.role is Role.VIEWER:
            self.authorize(principal, action)
        return principal

    def _target_districts(self, target: Target) -> frozenset[str]:
        """The districts a target applies to (none for a city-wide one)."""
        return frozenset(d.code for d in self.plan().districts if target.applies_to(d.code))

    def _row_refusal(
        self,
        principal: Principal,
        action: Action,
        bodies: Sequence[str],
        district: str | None,
        districts: frozenset[str] | None,
        reported_by: str | None,
    ) -> str | None:
        """Why ``principal`` may not write this row (in Chinese and English), or None: the
        row's bodies, district and reporting body against the principal's role
        (:func:`xietong.accounts.roles.allows`)."""
        scope = Scope.of(bodies, district, districts)
        if not allows(principal, action, scope):
            zh, en = refusal(principal, action)
            return f"{zh} / {en}"
        if (
            principal.role is Role.BODY
            and reported_by is not None
            and reported_by != principal.body
        ):
            return (
                f"报送单位只能是本部门 {principal.body},不能是 {reported_by} / reported_by must "
                f"be the account's own body {principal.body}, not {reported_by}"
            )
        return None

    def _after_progress(self) -> Callable[[Session, str, str], None] | None:
        """What a higher service does, in the same transaction, after reported values were
        written (called with the session, the actor and the source), prepared before the
        transaction opens; None here (the inventory service recomputes the derived values)."""
        return None

    def import_file(self, path: Path, *, actor: Actor, name: str | None = None) -> dict[str, int]:
        """Import a progress .xlsx or .csv file, all or nothing."""
        header, rows = read_table(path, name)
        return self.import_rows(header, rows, source=name or path.name, actor=actor)

    def assign_goal(self, target_id: str, value: float, *, source: str, actor: Actor) -> Plan:
        """Enter the figure of a target the plan leaves to an assignment (省级下达), with the
        document that assigned it; audited. A target whose figure the plan gives is refused:
        the plan's own numbers are changed in the plan file, not here."""
        principal = self.authorize(actor, Action.ASSIGN_GOAL)
        plan = self.plan()
        try:
            target = plan.target(target_id)
        except KeyError:
            raise NotFound(f"no target '{target_id}'") from None
        if target.goal_assigned_by is None:
            raise GoalRefused(
                f"target '{target_id}' takes its figure from the plan ({target.value:g} "
                f"{target.unit}): only figures the plan leaves to an assignment are entered"
            )
        if not math.isfinite(value):
            raise GoalRefused("the figure must be a finite number")
        if not source.strip():
            raise GoalRefused("name the document that assigned the figure (--source)")
        with session_scope(self.engine) as session:
            repository.save_assigned_goal(
                session,
                plan_id=self.plan_id,
                target_id=target_id,
                value=value,
                source=source.strip(),
                actor=principal.label,
            )
        self._plan = None
        return self.plan()

    def milestone_reports(self) -> list[MilestoneReport]:
        """The stored milestone reports, oldest first (read once per data revision)."""
        self.plan()

        def read() -> tuple[MilestoneReport, ...]:
            with session_scope(self.engine) as session:
                return tuple(repository.list_milestone_reports(session, self.plan_id))

        return list(self.view(("milestone_reports",), read))

    def import_milestones(
        self, path: Path, *, actor: Actor, name: str | None = None
    ) -> dict[str, int]:
        """Import a milestone table (.xlsx or .csv: milestone_id 里程碑编号, date 日期, state
        状态, district 区, reported_by 报送单位, evidence 佐证材料), all or nothing:
        ImportRejected lists every bad row. Audited."""
        label = name or path.name
        header, rows = read_table(path, label)
        principal = self._reporter(actor, Action.REPORT_MILESTONE)
        plan = self.plan()

        def allowed(m: Measure, ms: Milestone, district: str | None, by: str | None) -> str | None:
            bodies = [ms.body] if ms.body else [c for c in (m.lead, *m.cooperating) if c]
            districts = (
                frozenset(ms.districts or [d.code for d in plan.districts])
                if m.districts_implement or ms.districts
                else frozenset()
            )
            return self._row_refusal(
                principal, Action.REPORT_MILESTONE, bodies, district, districts, by
            )

        reports, problems = parse_milestone_rows(plan, header, rows, allowed=allowed)
        if not reports and not problems:
            problems = [(2, "*", "the table has no data rows")]
        if problems:
            rejected = ImportRejected(label, [RowProblem(*p) for p in problems])
            self.record_refusal(principal, "milestone.import", str(rejected).splitlines()[0])
            raise rejected
        with session_scope(self.engine) as session:
            n = repository.save_milestone_reports(
                session,
                plan_id=self.plan_id,
                reports=reports,
                source=label,
                actor=principal.label,
            )
        return {"inserted": n}

    def measure_statuses(self, as_of: dt.date | None = None) -> dict[int, MeasureStatus]:
        """Every measure's status (未启动/推进中/已完成/滞后) with its milestones' statuses,
        from its targets and milestones (docs/methods/status.md)."""
        day = as_of or dt.date.today()
        return measure_statuses(self.plan(), self.milestone_reports(), self.assessments(day), day)

    def _district_codes(self) -> list[str]:
        return [d.code for d in self.plan().districts]

    def export_xlsx(self, path: Path, as_of: dt.date | None = None) -> int:
        """Write the progress workbook (records + statuses); returns the number of records."""
        day = as_of or dt.date.today()
        records = self.records()
        write_progress_xlsx(path, self.plan(), records, self.assessments(day), day)
        return len(records)
