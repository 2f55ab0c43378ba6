"""Reading and writing the plan, its progress and the audit log (SQLAlchemy sessions)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from xietong.errors import NotFound
from xietong.plan.milestones import MilestoneReport, MilestoneState
from xietong.plan.models import Plan, ValueSource
from xietong.plan.progress import ProgressRecord, Quality
from xietong.store.tables import (
    AssignedGoalRow,
    AuditRow,
    ImportRow,
    MilestoneReportRow,
    PlanRow,
    ProgressRow,
    TargetRow,
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def audit(
    session: Session, *, actor: str, action: str, entity: str, detail: dict[str, Any]
) -> None:
    """Append one entry to the audit log (in the caller's transaction)."""
    session.add(AuditRow(at=_now(), actor=actor, action=action, entity=entity, detail=detail))


def save_plan(session: Session, *, plan: Plan, actor: str) -> bool:
    """Store or refresh a plan document and its target keys; True if anything changed.

    Targets that the new document no longer has are deleted with their progress.
    """
    document = plan.model_dump(mode="json")
    sha = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
    row = session.get(PlanRow, plan.id)
    if row is not None and row.sha256 == sha:
        return False
    if row is None:
        row = PlanRow(id=plan.id)
        session.add(row)
    row.title_zh = plan.title.zh
    row.document = document
    row.sha256 = sha
    row.loaded_at = _now()
    session.flush()
    existing = {
        t.id: t for t in session.scalars(select(TargetRow).where(TargetRow.plan_id == plan.id))
    }
    for t in plan.targets:
        trow = existing.pop(t.id, None) or TargetRow(plan_id=plan.id, id=t.id)
        trow.measure = t.measure
        trow.indicator_id = t.indicator_id
        trow.unit = t.unit
        trow.direction = t.direction.value
        trow.value = t.value
        trow.deadline = t.deadline
        session.add(trow)
    for gone in existing.values():
        session.delete(gone)
    audit(
        session,
        actor=actor,
        action="plan.load",
        entity=f"plan:{plan.id}",
        detail={"sha256": sha, "targets": len(plan.targets), "removed": sorted(existing)},
    )
    session.flush()
    return True


def get_plan(session: Session, plan_id: str) -> Plan:
    """The stored plan document as a validated Plan; NotFound if absent."""
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFound(f"plan '{plan_id}' is not in the database: run 'xietong init'")
    return Plan.model_validate(row.document)


def list_progress(
    session: Session, plan_id: str, target_id: str | None = None
) -> list[ProgressRecord]:
    """Progress records of a plan (optionally one target), oldest period first."""
    q = (
        select(ProgressRow, TargetRow.indicator_id, TargetRow.unit)
        .join(
            TargetRow,
            (TargetRow.plan_id == ProgressRow.plan_id) & (TargetRow.id == ProgressRow.target_id),
        )
        .where(ProgressRow.plan_id == plan_id)
    )
    if target_id is not None:
        q = q.where(ProgressRow.target_id == target_id)
    q = q.order_by(ProgressRow.target_id, ProgressRow.district, ProgressRow.period_end)
    return [
        ProgressRecord(
            target_id=r.target_id,
            period_end=r.period_end,
            value=r.value,
            district=r.district or None,
            reported_by=r.reported_by,
            reported_on=r.reported_on,
            evidence=r.evidence,
            demo=r.demo,
            quality=Quality(r.quality),
            source_kind=ValueSource(r.source_kind),
            comparison=r.comparison,
            computed_at=r.computed_at,
            change_u95=r.change_u95,
            indicator_id=indicator_id,
            unit=unit,
            import_id=r.import_id,
        )
        for r, indicator_id, unit in session.execute(q)
    ]


def _progress_key(plan_id: str, r: ProgressRecord) -> dict[str, object]:
    return {
        "plan_id": plan_id,
        "target_id": r.target_id,
        "district": r.district or "",
        "period_end": r.period_end,
        "comparison": r.comparison,
    }


def _stored_state(row: ProgressRow) -> dict[str, object]:
    return {
        "value": row.value,
        "reported_by": row.reported_by,
        "reported_on": row.reported_on.isoformat() if row.reported_on else None,
        "evidence": row.evidence,
        "quality": row.quality,
        "import_id": row.import_id,
    }


def _locked_progress_row(session: Session, plan_id: str, r: ProgressRecord) -> ProgressRow | None:
    """The stored value of ``r``'s key, locked until the transaction ends (``SELECT … FOR
    UPDATE`` on PostgreSQL; SQLite holds its one write lock already)."""
    return session.scalars(
        select(ProgressRow)
        .where(
            ProgressRow.plan_id == plan_id,
            ProgressRow.target_id == r.target_id,
            ProgressRow.district == (r.district or ""),
            ProgressRow.period_end == r.period_end,
            ProgressRow.comparison.is_(r.comparison),
        )
        .with_for_update()
    ).first()


def _claim_progress_row(
    session: Session, plan_id: str, r: ProgressRecord
) -> tuple[ProgressRow, dict[str, object] | None]:
    """The row of ``r``'s key, locked, with what it held before (None when it is new).

    A new key is inserted with ``INSERT … ON CONFLICT DO NOTHING``: when another transaction
    inserted the same key meanwhile, this one waits for it, then locks and reads that row, so
    concurrent writers of one value neither fail on the unique key nor record a stale old
    value in the audit log.
    """
    row = _locked_progress_row(session, plan_id, r)
    if row is None:
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        new_id = session.execute(
            insert(ProgressRow)
            .values(**_progress_key(plan_id, r), value=r.value)
            .on_conflict_do_nothing(
                index_elements=["plan_id", "target_id", "district", "period_end", "comparison"]
            )
            .returning(ProgressRow.id)
        ).scalar()
        if new_id is not None:
            created = session.get(ProgressRow, new_id)
            assert created is not None
            return created, None
        row = _locked_progress_row(session, plan_id, r)
        assert row is not None
    return row, _stored_state(row)


def save_progress(
    session: Session, *, plan_id: str, records: Sequence[ProgressRecord], source: str, actor: str
) -> dict[str, int]:
    """Insert or replace indicator values (key: target, district, period, comparison) as one
    import.

    Returns counts ``{"inserted": n, "updated": m}``. Runs in the caller's transaction, so a
    failure anywhere leaves nothing written.
    """
    imp = ImportRow(plan_id=plan_id, source=source, rows=len(records), actor=actor, at=_now())
    session.add(imp)
    session.flush()
    inserted = updated = 0
    changes: list[dict[str, object]] = []
    added: list[dict[str, object]] = []
    for r in records:
        existing, old = _claim_progress_row(session, plan_id, r)
        if old is None:
            inserted += 1
            added.append(
                {
                    "target": r.target_id,
                    "district": r.district or "",
                    "period": r.period_end.isoformat(),
                    "comparison": r.comparison,
                    "new": r.value,
                }
            )
        else:
            updated += 1
            changes.append(
                {
                    "target": r.target_id,
                    "district": r.district or "",
                    "period": r.period_end.isoformat(),
                    "comparison": r.comparison,
                    "old": old["value"],
                    "new": r.value,
                    "before": old,
                }
            )
        existing.value = r.value
        existing.reported_by = r.reported_by
        existing.reported_on = r.reported_on
        existing.evidence = r.evidence
        existing.demo = r.demo
        existing.quality = r.quality.value
        existing.source_kind = r.source_kind.value
        existing.computed_at = r.computed_at
        existing.change_u95 = r.change_u95
        existing.import_id = imp.id
    audit(
        session,
        actor=actor,
        action="progress.import",
        entity=f"plan:{plan_id}",
        detail={
            "source": source,
            "import_id": imp.id,
            "inserted": inserted,
            "updated": updated,
            "changes": changes,
            "added": added,
        },
    )
    session.flush()
    return {"inserted": inserted, "updated": updated}


def lock_derived_values(session: Session, plan_id: str) -> None:
    """Serialise the recomputations of a plan's derived values until the transaction ends:
    a PostgreSQL transaction-level advisory lock (SQLite holds its one write lock already).
    Taken before the inputs are read, so that of two concurrent submissions the later one
    recomputes on both (no recomputation overwrites a newer one with stale inputs)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
            {"key": f"xietong:derived:{plan_id}"},
        )


_COMPARED = ("value", "reported_by", "evidence", "demo", "quality", "change_u95")
"""What makes a derived value different from the stored one (not the time it was computed)."""


def _differs(row: ProgressRow, r: ProgressRecord) -> bool:
    new = {
        "value": r.value,
        "reported_by": r.reported_by,
        "evidence": r.evidence,
        "demo": r.demo,
        "quality": r.quality.value,
        "change_u95": r.change_u95,
    }
    return any(getattr(row, k) != new[k] for k in _COMPARED)


def replace_source_values(
    session: Session,
    *,
    plan_id: str,
    source_kind: ValueSource,
    records: Sequence[ProgressRecord],
    source: str,
    actor: str,
) -> dict[str, int]:
    """Make the values a computed source (``inventory``, ``scenario``) gave equal to
    ``records``, in the caller's transaction: the recomputation of the derived values when
    their inputs change. Only what differs is written: a stored value whose key is no longer
    among ``records`` is deleted, a new key inserted, a changed value (value, quality,
    evidence, uncertainty) updated, each with its before-state in the audit log; an unchanged
    value keeps its row and the time it was computed. Nothing is written (and nothing
    audited) when nothing changed. Returns counts ``{"deleted", "inserted", "updated",
    "unchanged"}``."""
    stored = {
        (row.target_id, row.district, row.period_end, row.comparison): row
        for row in session.scalars(
            select(ProgressRow)
            .where(ProgressRow.plan_id == plan_id, ProgressRow.source_kind == source_kind.value)
            .with_for_update()
        )
    }
    wanted = {(r.target_id, r.district or "", r.period_end, r.comparison): r for r in records}
    gone = [row for key, row in stored.items() if key not in wanted]
    write = [r for key, r in wanted.items() if key not in stored or _differs(stored[key], r)]
    unchanged = len(wanted) - len(write)
    if not gone and not write:
        return {"deleted": 0, "inserted": 0, "updated": 0, "unchanged": unchanged}
    removed = [
        {
            "target": row.target_id,
            "district": row.district,
            "period": row.period_end.isoformat(),
            "comparison": row.comparison,
            "before": _stored_state(row),
        }
        for row in gone
    ]
    for row in gone:
        session.delete(row)
    session.flush()
    counts = save_progress(session, plan_id=plan_id, records=write, source=source, actor=actor)
    audit(
        session,
        actor=actor,
        action="indicator.recompute",
        entity=f"plan:{plan_id}",
        detail={
            "source_kind": source_kind.value,
            "source": source,
            "deleted": len(gone),
            "removed": removed,
            "unchanged": unchanged,
        },
    )
    return {"deleted": len(gone), **counts, "unchanged": unchanged}


def clear_demo_progress(session: Session, *, plan_id: str, actor: str) -> int:
    """Delete the demo-labelled progress records of a plan; returns how many."""
    result = session.execute(
        delete(ProgressRow).where(ProgressRow.plan_id == plan_id, ProgressRow.demo.is_(True))
    )
    n = int(getattr(result, "rowcount", 0) or 0)
    audit(
        session,
        actor=actor,
        action="progress.clear_demo",
        entity=f"plan:{plan_id}",
        detail={"deleted": n},
    )
    return n


def audit_entries(session: Session, limit: int = 100) -> list[AuditRow]:
    """The newest audit entries first."""
    return list(session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)))


def save_milestone_reports(
    session: Session,
    *,
    plan_id: str,
    reports: Sequence[MilestoneReport],
    source: str,
    actor: str,
) -> int:
    """Append milestone reports as one audited import in the caller's transaction."""
    imp = ImportRow(plan_id=plan_id, source=source, rows=len(reports), actor=actor, at=_now())
    session.add(imp)
    session.flush()
    for r in reports:
        session.add(
            MilestoneReportRow(
                plan_id=plan_id,
                milestone_id=r.milestone_id,
                district=r.district or "",
                date=r.date,
                state=r.state.value,
                reported_by=r.reported_by,
                evidence=r.evidence,
                demo=r.demo,
                import_id=imp.id,
            )
        )
    audit(
        session,
        actor=actor,
        action="milestones.import",
        entity=f"plan:{plan_id}",
        detail={"source": source, "import_id": imp.id, "rows": len(reports)},
    )
    session.flush()
    return len(reports)


def list_milestone_reports(session: Session, plan_id: str) -> list[MilestoneReport]:
    """A plan's milestone reports, oldest first."""
    q = (
        select(MilestoneReportRow)
        .where(MilestoneReportRow.plan_id == plan_id)
        .order_by(MilestoneReportRow.date, MilestoneReportRow.id)
    )
    return [
        MilestoneReport(
            milestone_id=r.milestone_id,
            date=r.date,
            state=MilestoneState(r.state),
            district=r.district or None,
            reported_by=r.reported_by,
            evidence=r.evidence,
            demo=r.demo,
        )
        for r in session.scalars(q)
    ]


def assigned_goals(session: Session, plan_id: str) -> dict[str, tuple[float, str]]:
    """The entered figures of a plan's assigned goals: target id → (value, source)."""
    rows = session.scalars(select(AssignedGoalRow).where(AssignedGoalRow.plan_id == plan_id))
    return {r.target_id: (r.value, r.source) for r in rows}


def save_assigned_goal(
    session: Session, *, plan_id: str, target_id: str, value: float, source: str, actor: str
) -> float | None:
    """Enter (or correct) an assigned goal, audited; returns the figure it replaced, if any."""
    row = session.get(AssignedGoalRow, (plan_id, target_id))
    old = row.value if row is not None else None
    if row is None:
        row = AssignedGoalRow(plan_id=plan_id, target_id=target_id)
        session.add(row)
    row.value, row.source, row.actor, row.at = value, source, actor, _now()
    audit(
        session,
        actor=actor,
        action="goal.assign",
        entity=f"target:{target_id}",
        detail={"value": value, "old": old, "source": source},
    )
    session.flush()
    return old


def value_history(
    session: Session, plan_id: str, target_id: str, scan: int = 5000
) -> list[dict[str, Any]]:
    """Every change of a target's values in the newest ``scan`` imports, newest first: when,
    who, the import's source, the period, district, old value (None when new) and new
    value, from the audit log (``progress.import`` entries)."""
    entries = session.scalars(
        select(AuditRow)
        .where(AuditRow.action == "progress.import", AuditRow.entity == f"plan:{plan_id}")
        .order_by(AuditRow.id.desc())
        .limit(scan)
    )
    out: list[dict[str, Any]] = []
    for e in entries:
        detail = e.detail or {}
        rows = [
            {**c, "old": c.get("old")}
            for c in detail.get("changes", [])
            if c["target"] == target_id
        ] + [{**c, "old": None} for c in detail.get("added", []) if c["target"] == target_id]
        for c in rows:
            out.append(
                {
                    "at": e.at,
                    "actor": e.actor,
                    "source": detail.get("source"),
                    "period": c["period"],
                    "district": c.get("district") or "",
                    "comparison": c.get("comparison", False),
                    "old": c["old"],
                    "new": c["new"],
                }
            )
    return out


def last_import_day(session: Session, plan_id: str) -> dt.date | None:
    """The day (UTC) of the plan's newest import of values, or None."""
    at = session.scalar(
        select(ImportRow.at)
        .where(ImportRow.plan_id == plan_id)
        .order_by(ImportRow.id.desc())
        .limit(1)
    )
    return at.date() if at is not None else None


def list_imports(session: Session, plan_id: str, limit: int = 200) -> list[ImportRow]:
    """The plan's imports of values (uploads, task reports accepted, recomputations), newest
    first."""
    return list(
        session.scalars(
            select(ImportRow)
            .where(ImportRow.plan_id == plan_id)
            .order_by(ImportRow.id.desc())
            .limit(limit)
        )
    )


def import_changes(
    session: Session, plan_id: str, import_id: int, scan: int = 5000
) -> tuple[ImportRow, list[dict[str, Any]]] | None:
    """An import and the values it added (old None) and changed (old → new), from its audit
    entry; None if there is no such import."""
    imp = session.get(ImportRow, import_id)
    if imp is None or imp.plan_id != plan_id:
        return None
    entries = session.scalars(
        select(AuditRow)
        .where(AuditRow.action == "progress.import", AuditRow.entity == f"plan:{plan_id}")
        .order_by(AuditRow.id.desc())
        .limit(scan)
    )
    for e in entries:
        detail = e.detail or {}
        if detail.get("import_id") == import_id:
            added = [{**c, "old": None} for c in detail.get("added", [])]
            return imp, [*added, *detail.get("changes", [])]
    return imp, []
