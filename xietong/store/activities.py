"""Reading and replacing a city's activity dataset (SQLAlchemy sessions).

A city holds one activity dataset. An import replaces it whole, in the caller's transaction,
and is audited (who, when, from what, rows removed and added); a failure anywhere leaves the
previous dataset in place. :func:`replace_activities_chunked` writes a dataset chunk by chunk
as a streaming reader validates it, so that a large file never sits in memory whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from xietong.accounting.activity import Activity, activity_record, parse_parameters
from xietong.store import repository
from xietong.store.tables import ActivityImportRow, ActivityRow

INSERT_BATCH = 5_000
"""Rows per INSERT statement (the parameter sets of one statement are built at once)."""


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


def _row(city: str, import_id: int, a: Activity) -> dict[str, object]:
    """The stored columns of one activity: its record, with the parameters' exact values."""
    return {
        "city": city,
        "import_id": import_id,
        **activity_record(a),
        "parameters": format_parameters(a.parameters),
    }


def replace_activities_chunked(
    session: Session,
    *,
    city: str,
    chunks: Iterable[Sequence[Activity]],
    source: str,
    actor: str,
    sha256: str = "",
    shipped: bool = False,
) -> dict[str, int]:
    """Replace the city's activity dataset by the activities of ``chunks`` as one audited
    import, in the caller's transaction: the old rows are deleted, each chunk is inserted as
    it comes (bulk INSERT, no ORM objects kept), and an error raised while the chunks are
    read (ImportRejected for a bad row further on) propagates for the caller to roll the
    whole transaction back. Only a tally of qualities and years is kept between chunks.

    Returns ``{"deleted": n, "inserted": m, "import_id": i}``.
    """
    deleted = int(
        session.scalar(
            select(func.count()).select_from(ActivityRow).where(ActivityRow.city == city)
        )
        or 0
    )
    previous = session.scalars(
        select(ActivityImportRow)
        .where(ActivityImportRow.city == city)
        .order_by(ActivityImportRow.id.desc())
        .limit(1)
    ).first()
    # the dataset replaced, as it was: its import (source, content hash, who, when) and size;
    # its rows stay readable in the backup of that day (``xietong backup``)
    before = (
        {
            "import_id": previous.id,
            "source": previous.source,
            "sha256": previous.sha256,
            "rows": deleted,
            "actor": previous.actor,
            "at": previous.at.isoformat(),
            "shipped": previous.shipped,
        }
        if previous is not None
        else None
    )
    session.execute(delete(ActivityRow).where(ActivityRow.city == city))
    imp = ActivityImportRow(
        city=city,
        source=source,
        sha256=sha256,
        shipped=shipped,
        rows=0,
        actor=actor,
        at=dt.datetime.now(dt.UTC),
    )
    session.add(imp)
    session.flush()
    inserted = 0
    quality: dict[str, int] = {}
    years: set[int] = set()
    for chunk in chunks:
        if not chunk:
            continue
        for start in range(0, len(chunk), INSERT_BATCH):
            part = chunk[start : start + INSERT_BATCH]
            session.execute(insert(ActivityRow), [_row(city, imp.id, a) for a in part])
        inserted += len(chunk)
        for a in chunk:
            quality[a.quality] = quality.get(a.quality, 0) + 1
            years.add(a.year)
    imp.rows = inserted
    repository.audit(
        session,
        actor=actor,
        action="activity.replace",
        entity=f"city:{city}",
        detail={
            "source": source,
            "import_id": imp.id,
            "deleted": deleted,
            "inserted": inserted,
            "quality": quality,
            "years": sorted(years),
            "shipped": shipped,
            "before": before,
        },
    )
    session.flush()
    return {"deleted": deleted, "inserted": inserted, "import_id": imp.id}


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
    return replace_activities_chunked(
        session,
        city=city,
        chunks=[activities],
        source=source,
        actor=actor,
        sha256=sha256,
        shipped=shipped,
    )


def list_activities(session: Session, city: str) -> list[Activity]:
    """The city's stored activity dataset, in the order it was imported."""
    t = ActivityRow
    q = (
        select(
            t.year,
            t.district,
            t.sector,
            t.subsector,
            t.activity,
            t.technology,
            t.control,
            t.amount,
            t.unit,
            t.source,
            t.quality,
            t.parameters,
            t.entity,
            t.period,
        )
        .where(t.city == city)
        .order_by(t.id)
    )
    parsed: dict[str, tuple[tuple[str, float, str], ...]] = {"": ()}
    out: list[Activity] = []
    # plain rows, not ORM objects: a large dataset is read without an identity map
    for r in session.execute(q):
        params = parsed.get(r.parameters)
        if params is None:
            params = parse_parameters(r.parameters)
            if len(parsed) < 10_000:
                parsed[r.parameters] = params
        out.append(
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
                parameters=params,
                entity=r.entity,
                period=r.period,
            )
        )
    return out


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
