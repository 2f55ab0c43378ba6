"""Reading and replacing a city's activity dataset (SQLAlchemy sessions).

A city holds one activity dataset. An import replaces it whole, in the caller's transaction,
and is audited (who, when, from what, rows removed and added); a failure anywhere leaves the
previous dataset in place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from xietong.accounting.activity import Activity, parse_parameters
from xietong.store import repository
from xietong.store.tables import ActivityImportRow, ActivityRow


@dataclass(frozen=True)
class ActivityImport:
    """Where the stored dataset of a city came from."""

    id: int
    city: str
    source: str
    sha256: str
    shipped: bool
    rows: int
    actor: str
    at: dt.datetime


def format_parameters(params: Sequence[tuple[str, float, str]]) -> str:
    """Parameters as ``name=value unit; …`` with the value written exactly (``repr``), so that
    :func:`~xietong.accounting.activity.parse_parameters` gives them back unchanged.

    >>> format_parameters([("S_content", 0.8, "percent"), ("cod_in", 250.0, "mg/L")])
    'S_content=0.8 percent; cod_in=250.0 mg/L'
    """
    return "; ".join(f"{name}={value!r} {unit}" for name, value, unit in params)


def replace_activities(
    session: Session,
    *,
    city: str,
    activities: Sequence[Activity],
    source: str,
    actor: str,
    sha256: str = "",
    shipped: bool = False,
) -> dict[str, int]:
    """Replace the city's activity dataset by ``activities`` as one audited import.

    Returns ``{"deleted": n, "inserted": m, "import_id": i}``.
    """
    deleted = int(
        session.scalar(
            select(func.count()).select_from(ActivityRow).where(ActivityRow.city == city)
        )
        or 0
    )
    session.execute(delete(ActivityRow).where(ActivityRow.city == city))
    imp = ActivityImportRow(
        city=city,
        source=source,
        sha256=sha256,
        shipped=shipped,
        rows=len(activities),
        actor=actor,
        at=dt.datetime.now(dt.UTC),
    )
    session.add(imp)
    session.flush()
    session.add_all(
        ActivityRow(
            city=city,
            import_id=imp.id,
            year=a.year,
            district=a.district,
            sector=a.sector,
            subsector=a.subsector,
            activity=a.activity,
            technology=a.technology,
            control=a.control,
            amount=a.amount,
            unit=a.unit,
            source=a.source,
            quality=a.quality,
            parameters=format_parameters(a.parameters),
        )
        for a in activities
    )
    quality: dict[str, int] = {}
    for a in activities:
        quality[a.quality] = quality.get(a.quality, 0) + 1
    repository.audit(
        session,
        actor=actor,
        action="activity.replace",
        entity=f"city:{city}",
        detail={
            "source": source,
            "import_id": imp.id,
            "deleted": deleted,
            "inserted": len(activities),
            "quality": quality,
            "years": sorted({a.year for a in activities}),
            "shipped": shipped,
        },
    )
    session.flush()
    return {"deleted": deleted, "inserted": len(activities), "import_id": imp.id}


def list_activities(session: Session, city: str) -> list[Activity]:
    """The city's stored activity dataset, in the order it was imported."""
    q = select(ActivityRow).where(ActivityRow.city == city).order_by(ActivityRow.id)
    return [
        Activity(
            year=r.year,
            district=r.district,
            sector=r.sector,
            subsector=r.subsector,
            activity=r.activity,
            technology=r.technology,
            control=r.control,
            amount=r.amount,
            unit=r.unit,
            source=r.source,
            quality=r.quality,
            parameters=parse_parameters(r.parameters),
        )
        for r in session.scalars(q)
    ]


def latest_import(session: Session, city: str) -> ActivityImport | None:
    """The import the city's current dataset came from, or None if it has none."""
    row = session.scalars(
        select(ActivityImportRow)
        .where(ActivityImportRow.city == city)
        .order_by(ActivityImportRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return ActivityImport(
        id=row.id,
        city=row.city,
        source=row.source,
        sha256=row.sha256,
        shipped=row.shipped,
        rows=row.rows,
        actor=row.actor,
        at=row.at,
    )
