"""Roll-ups of target statuses by measure, by responsible body and by district."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict, computed_field

from xietong.plan.models import Plan
from xietong.plan.progress import Assessment, ProgressRecord, Status, assess_all


class RollUp(BaseModel):
    """Counts of targets by status for one group (a measure, a body or a district)."""

    model_config = ConfigDict(frozen=True)

    key: str
    targets: int
    counts: dict[Status, int]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def worst(self) -> Status | None:
        """The worst status among the group's targets that have data; None if none has."""
        with_data = [s for s, n in self.counts.items() if n and s is not Status.NO_DATA]
        return max(with_data, key=lambda s: s.rank) if with_data else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def share_good(self) -> float | None:
        """Share of targets with data that are achieved or on track (0–1); None if none has."""
        with_data = sum(n for s, n in self.counts.items() if s is not Status.NO_DATA)
        if not with_data:
            return None
        good = self.counts.get(Status.ACHIEVED, 0) + self.counts.get(Status.ON_TRACK, 0)
        return good / with_data


def _roll(key: str, target_ids: Sequence[str], assessments: Mapping[str, Assessment]) -> RollUp:
    counts = Counter(assessments[t].status for t in target_ids)
    return RollUp(key=key, targets=len(target_ids), counts={s: counts.get(s, 0) for s in Status})


def by_measure(plan: Plan, assessments: Mapping[str, Assessment]) -> list[RollUp]:
    """One roll-up per measure (key = measure number as text), in plan order."""
    return [
        _roll(str(m.number), [t.id for t in plan.targets_of_measure(m.number)], assessments)
        for m in plan.measures
    ]


def by_body(plan: Plan, assessments: Mapping[str, Assessment]) -> list[RollUp]:
    """One roll-up per body over the targets it answers for (lead or cooperating)."""
    out = []
    for b in plan.bodies:
        ids = [t.id for t in plan.targets if b.code in plan.responsible_bodies(t)]
        out.append(_roll(b.code, ids, assessments))
    return out


def district_targets(plan: Plan) -> list[str]:
    """Ids of the targets every district carries out (measures with the districts clause)."""
    numbers = {m.number for m in plan.measures_of_district()}
    return [t.id for t in plan.targets if t.measure in numbers]


def by_district(plan: Plan, records: Sequence[ProgressRecord], as_of: dt.date) -> list[RollUp]:
    """One roll-up per district over its own reported figures for the district targets."""
    ids = district_targets(plan)
    targets = [plan.target(i) for i in ids]
    out = []
    for d in plan.districts:
        assessments = assess_all(targets, records, as_of, district=d.code)
        out.append(_roll(d.code, ids, assessments))
    return out
