"""Roll-ups of target statuses by measure, by responsible body and by district."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict, computed_field

from xietong.plan.models import Applies, Plan
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
        with_data = [s for s, n in self.counts.items() if n and s.judged]
        return max(with_data, key=lambda s: s.rank) if with_data else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def with_data(self) -> int:
        """How many of the group's targets have a value that judges (coverage)."""
        return sum(n for s, n in self.counts.items() if s.judged)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def share_good(self) -> float | None:
        """Share of targets with data that are achieved or on track (0–1); None if none has."""
        if not self.with_data:
            return None
        good = self.counts.get(Status.ACHIEVED, 0) + self.counts.get(Status.ON_TRACK, 0)
        return good / self.with_data


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


def district_targets(plan: Plan, code: str | None = None) -> list[str]:
    """Ids of the targets that apply to district ``code`` (every-district targets and those
    whose site it hosts); without ``code``, the every-district targets."""
    if code is None:
        return [t.id for t in plan.targets if t.applies is Applies.EVERY_DISTRICT]
    return [t.id for t in plan.targets_of_district(code)]


def assess_district(
    plan: Plan, records: Sequence[ProgressRecord], as_of: dt.date, code: str
) -> dict[str, Assessment]:
    """The targets that apply to district ``code``, judged by the plan's rules: an
    every-district target on the district's own values, a site target on the site's
    (city-wide) values."""
    sources = {t.id: plan.source_of(t) for t in plan.targets}
    own = [t for t in plan.targets_of_district(code) if t.applies is Applies.EVERY_DISTRICT]
    hosted = [t for t in plan.targets_of_district(code) if t.applies is Applies.DISTRICTS]
    found = {
        **assess_all(own, records, as_of, code, base_year=plan.base_year, sources=sources),
        **assess_all(hosted, records, as_of, None, base_year=plan.base_year, sources=sources),
    }
    return {t.id: found[t.id] for t in plan.targets if t.id in found}


def by_district(plan: Plan, records: Sequence[ProgressRecord], as_of: dt.date) -> list[RollUp]:
    """One roll-up per district over the targets that apply to it (``assess_district``)."""
    out = []
    for d in plan.districts:
        assessments = assess_district(plan, records, as_of, d.code)
        out.append(_roll(d.code, list(assessments), assessments))
    return out
