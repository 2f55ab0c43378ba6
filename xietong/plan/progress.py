"""Progress records and the status of a target, decided from the reported figures.

The rule is documented in ``docs/methods/target-status.md``. In short, on the points reported
for periods up to the deadline (``as_of`` is the date of judgement):

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
from collections.abc import Iterable, Sequence
from enum import StrEnum

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
    reason: str
    latest_value: float | None = None
    latest_period: dt.date | None = None
    projected_value: float | None = None


def meets(target: Target, value: float) -> bool:
    """Whether a single value satisfies a bound target (``<=``, ``>=``, ``=``, ``done-by``).

    >>> from xietong.plan.loader import load_plan
    >>> t = load_plan().target("coal-share-2025")
    >>> meets(t, 29.9), meets(t, 30.0), meets(t, 30.5)
    (True, True, False)
    """
    goal = 100.0 if target.direction is Direction.DONE_BY else target.value
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


def _series(target: Target, records: Iterable[ProgressRecord],
            district: str | None) -> list[ProgressRecord]:
    """The target's records (city-wide, or one district's) up to its deadline, one per period."""
    by_period: dict[dt.date, ProgressRecord] = {}
    for r in records:
        if (r.target_id == target.id and r.district == district
                and r.period_end <= target.deadline):
            by_period[r.period_end] = r
    return [by_period[p] for p in sorted(by_period)]


def assess(target: Target, records: Iterable[ProgressRecord], as_of: dt.date,
           district: str | None = None) -> Assessment:
    """Decide the status of ``target`` on ``as_of`` from its progress records (rule above).

    City-wide figures (``district`` None) decide the city's status; a district code judges that
    district's own figures.

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
    series = _series(target, records, district)
    if not series:
        return Assessment(target_id=target.id, status=Status.NO_DATA, reason="no figure reported")
    latest = series[-1]
    base = {"target_id": target.id, "latest_value": latest.value,
            "latest_period": latest.period_end}
    passed = as_of > target.deadline
    if target.direction in (Direction.DECREASING, Direction.INCREASING):
        return _assess_trend(target, series, passed, base)
    if meets(target, latest.value):
        return Assessment(status=Status.ACHIEVED, reason="the latest figure meets the target",
                          **base)
    if passed:
        return Assessment(status=Status.MISSED,
                          reason="the deadline has passed and the latest figure misses the target",
                          **base)
    if len(series) < 2:
        return Assessment(status=Status.AT_RISK,
                          reason="not met yet and a single figure gives no trend", **base)
    recent = series[-TREND_POINTS:]
    slope = _trend_slope([(_year(r.period_end), r.value) for r in recent])
    projected = latest.value + slope * (_year(target.deadline) - _year(latest.period_end))
    goal = 100.0 if target.direction is Direction.DONE_BY else float(target.value or 0.0)
    if meets(target, projected):
        return Assessment(status=Status.ON_TRACK, projected_value=projected,
                          reason="the recent trend reaches the target by the deadline", **base)
    gap = abs(goal - latest.value)
    covered = abs(projected - latest.value) if (projected - latest.value) * (
        goal - latest.value) > 0 else 0.0
    if gap > 0 and covered / gap >= AT_RISK_SHARE:
        return Assessment(status=Status.AT_RISK, projected_value=projected,
                          reason=f"the recent trend covers {covered / gap:.0%} of the gap", **base)
    return Assessment(status=Status.OFF_TRACK, projected_value=projected,
                      reason="the recent trend falls well short of the target", **base)


def _assess_trend(target: Target, series: list[ProgressRecord], passed: bool,
                  base: dict[str, object]) -> Assessment:
    sign = -1.0 if target.direction is Direction.DECREASING else 1.0
    if len(series) < 2:
        status = Status.MISSED if passed else Status.AT_RISK
        return Assessment(status=status, reason="a single figure shows no change", **base)  # type: ignore[arg-type]
    good = [sign * (b.value - a.value) > 0 for a, b in zip(series, series[1:], strict=False)]
    word = "fell" if sign < 0 else "rose"
    if all(good):
        status = Status.ACHIEVED if passed else Status.ON_TRACK
        reason = f"the indicator {word} in every reported year"
    elif passed:
        status = Status.MISSED
        reason = f"in {good.count(False)} reported year(s) the indicator moved the wrong way"
    elif not good[-1]:
        status, reason = Status.OFF_TRACK, "the latest change is in the wrong direction"
    else:
        status, reason = Status.AT_RISK, "an earlier year moved the wrong way"
    return Assessment(status=status, reason=reason, **base)  # type: ignore[arg-type]


def assess_all(targets: Iterable[Target], records: Sequence[ProgressRecord],
               as_of: dt.date, district: str | None = None) -> dict[str, Assessment]:
    """Assess every target (city-wide, or for one district); records grouped by target first."""
    grouped: dict[str, list[ProgressRecord]] = {}
    for r in records:
        grouped.setdefault(r.target_id, []).append(r)
    return {t.id: assess(t, grouped.get(t.id, []), as_of, district) for t in targets}
