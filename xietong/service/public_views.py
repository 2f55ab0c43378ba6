"""What the public portal shows: the plan's targets, measures and headline indicators as plain
records holding only the fields of :data:`PUBLIC_FIELDS` (no account, reporter, review,
evidence, attachment, import or contact of any kind).

The records are made from what the internal pages use (the platform's ``assessments``,
``measure_statuses`` and ``data_as_of``), so that the public page shows the figure the
internal page shows. A status or value resting on estimates or synthetic demo figures carries
its ``basis`` (``estimate``, ``demo``), shown as 依估算 / 依演示数据 as internally.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from xietong.plan.milestones import MeasureStatus
from xietong.plan.models import Plan, Target
from xietong.plan.progress import Assessment, Status

PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    "target": (
        "id",
        "indicator_zh",
        "indicator_en",
        "unit_zh",
        "unit_en",
        "direction",
        "base_value",
        "base_year",
        "goal_value",
        "goal_year",
        "latest_value",
        "latest_year",
        "status",
        "basis",
    ),
    "measure": (
        "number",
        "chapter",
        "chapter_zh",
        "chapter_en",
        "title_zh",
        "title_en",
        "status",
        "on_estimate",
        "lead_zh",
        "lead_en",
    ),
    "overview": (
        "plan_title_zh",
        "plan_title_en",
        "document_number",
        "data_as_of",
        "status_counts",
        "targets",
        "measures",
        "headline",
    ),
}
"""Every field the public portal (pages and ``/api/v1/public``) may show, by record kind: the
one allow-list. ``basis`` is ``official``, ``estimate`` or ``demo`` (None: nothing judged);
``headline`` holds ``target`` records (the plan's overall goals)."""


def _public(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """``record`` cut to the allow-list of ``kind`` (a field not on it is never passed on)."""
    allowed = PUBLIC_FIELDS[kind]
    return {k: record[k] for k in allowed if k in record}


def public_target(target: Target, a: Assessment) -> dict[str, Any]:
    """One target as the portal shows it: indicator, unit, base, goal, latest value (the one
    its status was judged on) and status with its basis."""
    return _public(
        "target",
        {
            "id": target.id,
            "indicator_zh": target.indicator.zh,
            "indicator_en": target.indicator.en,
            "unit_zh": target.unit_text("zh"),
            "unit_en": target.unit_text("en"),
            "direction": target.direction.value,
            "base_value": target.baseline.value if target.baseline else None,
            "base_year": target.baseline.year if target.baseline else None,
            "goal_value": target.goal,
            "goal_year": target.deadline.year,
            "latest_value": a.latest_value,
            "latest_year": a.latest_period.year if a.latest_period else None,
            "status": a.status.value,
            "basis": a.basis.value if a.basis is not None else None,
        },
    )


def public_targets(plan: Plan, assessments: Mapping[str, Assessment]) -> list[dict[str, Any]]:
    """Every target of the plan, in the plan's order, as :func:`public_target`."""
    return [public_target(t, assessments[t.id]) for t in plan.targets]


def public_measures(plan: Plan, statuses: Mapping[int, MeasureStatus]) -> list[dict[str, Any]]:
    """Every measure: number, chapter (and its title), title, status (未启动/推进中/已完成/
    滞后, with ``on_estimate``) and the name of its lead department."""
    bodies = {b.code: b for b in plan.bodies}
    chapters = {c.number: c for c in plan.chapters}
    out = []
    for m in plan.measures:
        lead = bodies.get(m.lead) if m.lead else None
        status = statuses[m.number]
        out.append(
            _public(
                "measure",
                {
                    "number": m.number,
                    "chapter": m.chapter,
                    "chapter_zh": chapters[m.chapter].title.zh,
                    "chapter_en": chapters[m.chapter].title.en,
                    "title_zh": m.title.zh,
                    "title_en": m.title.en,
                    "status": status.state.value,
                    "on_estimate": status.on_estimate,
                    "lead_zh": lead.name.zh if lead else None,
                    "lead_en": lead.name.en if lead else None,
                },
            )
        )
    return out


def public_as_of(as_of: Mapping[str, dt.date | None]) -> str | None:
    """The date the figures run to (``data_as_of()["period"]``) as the portal states it."""
    period = as_of.get("period")
    return period.isoformat() if period else None


def public_overview(
    plan: Plan,
    assessments: Mapping[str, Assessment],
    statuses: Mapping[int, MeasureStatus],
    as_of: Mapping[str, dt.date | None],
) -> dict[str, Any]:
    """The portal's front page: the plan, the date the figures run to, the count of targets
    in each status, the number of targets and measures, and the headline indicators (the
    targets of the plan's overall goals)."""
    counts = Counter(a.status for a in assessments.values())
    return _public(
        "overview",
        {
            "plan_title_zh": plan.title.zh,
            "plan_title_en": plan.title.en,
            "document_number": plan.document_number,
            "data_as_of": public_as_of(as_of),
            "status_counts": {s.value: counts.get(s, 0) for s in Status},
            "targets": len(plan.targets),
            "measures": len(statuses),
            "headline": [
                public_target(t, assessments[t.id]) for t in plan.targets if t.measure is None
            ],
        },
    )
