"""Reading and writing the plan, its progress and the audit log (SQLAlchemy sessions)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from xietong.errors import NotFound
from xietong.plan.models import Plan
from xietong.plan.progress import ProgressRecord
from xietong.store.tables import AuditRow, ImportRow, PlanRow, ProgressRow, TargetRow


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
    q = select(ProgressRow).where(ProgressRow.plan_id == plan_id)
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
        )
        for r in session.scalars(q)
    ]


def save_progress(
    session: Session, *, plan_id: str, records: Sequence[ProgressRecord], source: str, actor: str
) -> dict[str, int]:
    """Insert or replace progress records (key: target, district, period) as one import.

    Returns counts ``{"inserted": n, "updated": m}``. Runs in the caller's transaction, so a
    failure anywhere leaves nothing written.
    """
    imp = ImportRow(plan_id=plan_id, source=source, rows=len(records), actor=actor, at=_now())
    session.add(imp)
    session.flush()
    inserted = updated = 0
    changes: list[dict[str, object]] = []
    for r in records:
        existing = session.scalars(
            select(ProgressRow).where(
                ProgressRow.plan_id == plan_id,
                ProgressRow.target_id == r.target_id,
                ProgressRow.district == (r.district or ""),
                ProgressRow.period_end == r.period_end,
            )
        ).first()
        if existing is None:
            existing = ProgressRow(
                plan_id=plan_id,
                target_id=r.target_id,
                district=r.district or "",
                period_end=r.period_end,
            )
            session.add(existing)
            inserted += 1
        else:
            updated += 1
            changes.append(
                {
                    "target": r.target_id,
                    "district": r.district or "",
                    "period": r.period_end.isoformat(),
                    "old": existing.value,
                    "new": r.value,
                }
            )
        existing.value = r.value
        existing.reported_by = r.reported_by
        existing.reported_on = r.reported_on
        existing.evidence = r.evidence
        existing.demo = r.demo
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
        },
    )
    session.flush()
    return {"inserted": inserted, "updated": updated}


def replace_derived_progress(
    session: Session,
    *,
    plan_id: str,
    reporter: str,
    records: Sequence[ProgressRecord],
    source: str,
    actor: str,
) -> dict[str, int]:
    """Replace the progress records a derivation (``reporter``, e.g. ``inventory``) gave
    earlier by ``records``, as one audited import in the caller's transaction.

    A derived figure replaces a demo figure of the same target, district and period, but never
    a figure someone reported: those are kept and the derived one is skipped. Returns counts
    ``{"deleted": d, "inserted": n, "updated": m, "skipped": k}``.
    """
    result = session.execute(
        delete(ProgressRow).where(
            ProgressRow.plan_id == plan_id, ProgressRow.reported_by == reporter
        )
    )
    deleted = int(getattr(result, "rowcount", 0) or 0)
    reported = {
        (r.target_id, r.district, r.period_end)
        for r in session.scalars(
            select(ProgressRow).where(ProgressRow.plan_id == plan_id, ProgressRow.demo.is_(False))
        )
    }
    kept = [r for r in records if (r.target_id, r.district or "", r.period_end) not in reported]
    counts = save_progress(session, plan_id=plan_id, records=kept, source=source, actor=actor)
    skipped = len(records) - len(kept)
    audit(
        session,
        actor=actor,
        action="progress.derive",
        entity=f"plan:{plan_id}",
        detail={"reporter": reporter, "source": source, "deleted": deleted, "skipped": skipped},
    )
    return {"deleted": deleted, **counts, "skipped": skipped}


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
