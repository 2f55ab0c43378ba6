"""Progress records and the status of a target, decided from the reported figures.

The rule is documented in ``docs/methods/target-status.md``. In short, on the points reported
for periods that ended by the deadline and by ``as_of`` (the date of judgement):

* no point → ``no_data``;
* bound targets (``<=``, ``>=``, ``=``, ``done-by``): the latest point meets the target →
  ``achieved``; otherwise, once the deadline has passed → ``missed``; before it, the recent
  trend (least-squares line through the last ``TREND_POINTS`` points) is projected to the
  deadline: it reaches the target → ``on_track``; it covers at least ``AT_RISK_SHARE`` of the
  remaining gap, or there is only one point → ``at_risk``; else ``off_track``;
* trend targets (``decreasing``, ``increasing``): every year-on-year change so far in the
  required direction → ``achieved`` after the deadline, ``on_track`` before; after the deadline
  any change the wrong way → ``missed``; before it, the latest change the wrong way →
  ``off_track``, an earlier one only → ``at_risk``; a single point → ``at_risk``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from xietong.plan.models import Direction, Target

TREND_POINTS = 3
"""How many of the most recent points make the 'recent trend'."""

AT_RISK_SHARE = 0.5
"""Share of the remaining gap the projected trend must cover to count as 'at risk'."""


class Status(StrEnum):
    """Status of a target, best first."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    MISSED = "missed"
    NO_DATA = "no_data"

    @property
    def rank(self) -> int:
        """0 for the best status; ``no_data`` ranks last."""
        return list(Status).index(self)


class ProgressRecord(BaseModel):
    """One reported figure of a target's indicator for a period, with its evidence.

    ``value`` is in the target's unit; ``period_end`` is the last day of the period the figure
    describes (e.g. 2024-12-31 for the year 2024).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    target_id: str
    period_end: dt.date
    value: float = Field(allow_inf_nan=False)
    district: str | None = Field(
        default=None, description="district code for a district's own figure; None = city-wide"
    )
    reported_by: str | None = None
    reported_on: dt.date | None = None
    evidence: str | None = None
    demo: bool = False


class Assessment(BaseModel):
    """The status of a target at a date, the figures it rests on and why."""

    model_config = ConfigDict(frozen=True)

    target_id: str
    status: Status
    reason: str = Field(description="why, in English")
    reason_zh: str = Field(default="", description="why, in Chinese")
    latest_value: float | None = None
    latest_period: dt.date | None = None
    projected_value: float | None = None

    def reason_in(self, lang: str) -> str:
        """The reason in ``lang`` ("zh" or "en")."""
        return self.reason_zh if lang == "zh" and self.reason_zh else self.reason


def meets(target: Target, value: float) -> bool:
    """Whether a single value satisfies a bound target (``<=``, ``>=``, ``=``, ``done-by``).

    >>> from xietong.plan.loader import load_plan
    >>> t = load_plan().target("coal-share-2025")
    >>> meets(t, 29.9), meets(t, 30.0), meets(t, 30.5)
    (True, True, False)
    """
    goal = target.goal
    if goal is None:
        raise ValueError(f"target '{target.id}' is a trend target: use assess()")
    tol = target.tolerance
    match target.direction:
        case Direction.AT_MOST:
            return value <= goal + tol
        case Direction.AT_LEAST | Direction.DONE_BY:
            return value >= goal - tol
        case Direction.EQUAL:
            return abs(value - goal) <= tol
    raise ValueError(f"target '{target.id}': no bound for direction {target.direction}")


def _trend_slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope (value per year) through ``(year, value)`` points."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return 0.0
    return sum((x - mx) * (y - my) for x, y in points) / sxx


def _year(d: dt.date) -> float:
    return d.year + (d.timetuple().tm_yday - 1) / 365.25


def _series(
    target: Target, records: Iterable[ProgressRecord], district: str | None, as_of: dt.date
) -> list[ProgressRecord]:
    """The target's records (city-wide, or one district's) for periods that ended by ``as_of``
    and by the deadline, one per period (the last given wins)."""
    last = min(target.deadline, as_of)
    by_period: dict[dt.date, ProgressRecord] = {}
    for r in records:
        if r.target_id == target.id and r.district == district and r.period_end <= last:
            by_period[r.period_end] = r
    return [by_period[p] for p in sorted(by_period)]


def _judged(status: Status, en: str, zh: str, **base: Any) -> Assessment:
    return Assessment(status=status, reason=en, reason_zh=zh, **base)


def assess(
    target: Target,
    records: Iterable[ProgressRecord],
    as_of: dt.date,
    district: str | None = None,
) -> Assessment:
    """Decide the status of ``target`` on ``as_of`` from its progress records (rule above).

    City-wide figures (``district`` None) decide the city's status; a district code judges that
    district's own figures. Figures for periods ending after ``as_of`` are not yet known on
    that day and do not count.

    >>> import datetime as dt
    >>> from xietong.plan.loader import load_plan
    >>> t = load_plan().target("coal-share-2025")
    >>> recs = [ProgressRecord(target_id=t.id, period_end=dt.date(y, 12, 31), value=v)
    ...         for y, v in [(2021, 34.0), (2022, 32.5), (2023, 30.5)]]
    >>> assess(t, recs, dt.date(2024, 6, 1)).status
    <Status.ON_TRACK: 'on_track'>
    >>> assess(t, recs, dt.date(2026, 6, 1)).status
    <Status.MISSED: 'missed'>
    """
    series = _series(target, records, district, as_of)
    if not series:
        return _judged(Status.NO_DATA, "no figure reported", "尚无报送数据", target_id=target.id)
    latest = series[-1]
    base: dict[str, Any] = {
        "target_id": target.id,
        "latest_value": latest.value,
        "latest_period": latest.period_end,
    }
    passed = as_of > target.deadline
    if target.direction in (Direction.DECREASING, Direction.INCREASING):
        return _assess_trend(target, series, passed, base)
    if meets(target, latest.value):
        return _judged(
            Status.ACHIEVED, "the latest figure meets the target", "最新数据已达到目标", **base
        )
    if passed:
        return _judged(
            Status.MISSED,
            "the deadline has passed and the latest figure misses the target",
            "期限已过,最新数据未达到目标",
            **base,
        )
    if len(series) < 2:
        return _judged(
            Status.AT_RISK,
            "not met yet and a single figure gives no trend",
            "尚未达标,仅有一期数据,无法判断趋势",
            **base,
        )
    recent = series[-TREND_POINTS:]
    slope = _trend_slope([(_year(r.period_end), r.value) for r in recent])
    projected = latest.value + slope * (_year(target.deadline) - _year(latest.period_end))
    base["projected_value"] = projected
    goal = target.goal if target.goal is not None else 0.0
    if meets(target, projected):
        return _judged(
            Status.ON_TRACK,
            "the recent trend reaches the target by the deadline",
            "按近期趋势外推,期限前可达到目标",
            **base,
        )
    gap = abs(goal - latest.value)
    toward = (projected - latest.value) * (goal - latest.value) > 0
    covered = abs(projected - latest.value) if toward else 0.0
    share = covered / gap if gap > 0 else 0.0
    if share >= AT_RISK_SHARE:
        return _judged(
            Status.AT_RISK,
            f"the recent trend covers {share:.0%} of the gap",
            f"按近期趋势外推,期限前可弥补差距的{share:.0%}",
            **base,
        )
    return _judged(
        Status.OFF_TRACK,
        f"the recent trend covers only {share:.0%} of the gap",
        f"按近期趋势外推,期限前仅能弥补差距的{share:.0%}",
        **base,
    )


def _assess_trend(
    target: Target, series: list[ProgressRecord], passed: bool, base: dict[str, Any]
) -> Assessment:
    sign = -1.0 if target.direction is Direction.DECREASING else 1.0
    if len(series) < 2:
        status = Status.MISSED if passed else Status.AT_RISK
        return _judged(
            status, "a single figure shows no change", "仅有一期数据,无法判断变化", **base
        )
    good = [sign * (b.value - a.value) > 0 for a, b in itertools.pairwise(series)]
    word, word_zh = ("fell", "下降") if sign < 0 else ("rose", "上升")
    wrong = good.count(False)
    if all(good):
        status = Status.ACHIEVED if passed else Status.ON_TRACK
        return _judged(
            status,
            f"the indicator {word} in every reported year",
            f"各报送年度指标均{word_zh}",
            **base,
        )
    if passed:
        return _judged(
            Status.MISSED,
            f"in {wrong} reported year(s) the indicator moved the wrong way",
            f"有{wrong}个报送年度指标未{word_zh}",
            **base,
        )
    if not good[-1]:
        return _judged(
            Status.OFF_TRACK,
            "the latest change is in the wrong direction",
            f"最近一期指标未{word_zh}",
            **base,
        )
    return _judged(
        Status.AT_RISK, "an earlier year moved the wrong way", f"此前有年度指标未{word_zh}", **base
    )


def assess_all(
    targets: Iterable[Target],
    records: Sequence[ProgressRecord],
    as_of: dt.date,
    district: str | None = None,
) -> dict[str, Assessment]:
    """Assess every target (city-wide, or for one district); records grouped by target first."""
    grouped: dict[str, list[ProgressRecord]] = {}
    for r in records:
        grouped.setdefault(r.target_id, []).append(r)
    return {t.id: assess(t, grouped.get(t.id, []), as_of, district) for t in targets}
