"""Indicator values and the status of a target, decided by the plan's own rules.

The rules are documented in ``docs/methods/status.md``; their parameters (tolerances,
thresholds) are data in ``xietong/data/plans/status_rules.yaml``. In short, on the values of
the target's indicator from its defining source, for periods that ended by the deadline and by
``as_of`` (the date of judgement):

* no value → ``no_data``; a figure still to be assigned (``goal_assigned_by``) or a value that
  rests on an assumption about itself (quality ``assumed``) → ``unjudged``;
* trend targets (「持续下降/减少」): the change from the plan period's baseline (the value of
  the base year, else the first value of the plan period) to the latest value; beyond the
  tolerance (the stated floor, or the inventory's 95 % uncertainty of the change where wider)
  in the required direction → ``on_track`` (``achieved`` after the deadline),
  within it → ``at_risk``, beyond it the wrong way → ``off_track`` (``missed``);
* bound targets (``<=``, ``>=``, ``=``): the latest value meets the goal → ``achieved``; after
  the deadline otherwise → ``missed``; before it, with a baseline (cumulative targets start at
  zero in the base year), time-elapsed progress (时序进度): the share of the way covered against
  the share of the time elapsed; without a baseline, the recent trend (least-squares line
  through the last ``TREND_POINTS`` values) projected to the deadline;
* ``done-by`` targets (percent complete): as bound targets without a baseline;
* ``peak-by`` (the carbon peak): the probability that the emission series peaks by the
  deadline, from the plan scenario's Monte Carlo fan, against the target's threshold.

A judgement on ``estimate`` or ``demo`` values keeps its status but carries that basis
(:attr:`Assessment.basis`), so no interface shows 已完成 or 进展顺利 on them without 依估算.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from xietong.plan.models import Direction, Target, ValueSource

ASSIGNERS_ZH = {
    "province": "省级",
    "national and provincial standard": "国家和省级标准",
}
"""Who assigns a goal the plan leaves open, in Chinese."""

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
    UNJUDGED = "unjudged"
    NO_DATA = "no_data"

    @property
    def rank(self) -> int:
        """0 for the best status; ``no_data`` ranks last."""
        return list(Status).index(self)

    @property
    def judged(self) -> bool:
        """Whether a value was judged (not ``no_data``, not ``unjudged``)."""
        return self not in (Status.NO_DATA, Status.UNJUDGED)


STATUS_ZH = {
    "achieved": "已完成",
    "on_track": "进展顺利",
    "at_risk": "存在风险",
    "off_track": "进度滞后",
    "missed": "未完成",
    "unjudged": "不作判断",
    "no_data": "无数据",
}
"""The Chinese label of each status (the terminal and the workbooks; the pages use the
messages file)."""


class Quality(StrEnum):
    """How good a value is, best first: an official statistic, a figure reported by a body, a
    value computed from such inputs (``derived``), one resting on estimated inputs
    (``estimate``), a synthetic demo figure (``demo``), or one derived from an assumption about
    itself (``assumed``, circular: it judges nothing)."""

    STATISTIC = "statistic"
    REPORTED = "reported"
    DERIVED = "derived"
    ESTIMATE = "estimate"
    DEMO = "demo"
    ASSUMED = "assumed"

    @property
    def rank(self) -> int:
        """0 for the best quality."""
        return list(Quality).index(self)

    @property
    def official(self) -> bool:
        """Whether a judgement on this quality rests on official or reported data."""
        return self in (Quality.STATISTIC, Quality.REPORTED, Quality.DERIVED)


def worst_quality(qualities: Iterable[Quality]) -> Quality:
    """The worst of some qualities (``derived`` when there are none)."""
    return max(qualities, key=lambda q: q.rank, default=Quality.DERIVED)


class Basis(StrEnum):
    """What a judgement rests on: official or reported data, estimates or demo figures."""

    OFFICIAL = "official"
    ESTIMATE = "estimate"
    DEMO = "demo"


class ProgressRecord(BaseModel):
    """One value of a target's indicator for a period (the indicator store's record), with its
    quality, defining source and evidence.

    ``value`` is in the target's unit; ``period_end`` is the last day of the period the figure
    describes (e.g. 2024-12-31 for the year 2024). ``source_kind`` is where the value came from
    (a report, the inventory, the scenarios); a value that is not from the indicator's defining
    source is a ``comparison``: shown beside, never judging. ``demo`` and quality ``demo`` are
    the same fact.
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
    quality: Quality = Quality.REPORTED
    source_kind: ValueSource = ValueSource.REPORTED
    comparison: bool = False
    computed_at: dt.datetime | None = None
    indicator_id: str | None = Field(
        default=None, description="the target's indicator (filled by the store)"
    )
    unit: str | None = Field(default=None, description="the value's unit (filled by the store)")
    import_id: int | None = Field(
        default=None, description="the upload or recomputation that stored it (audit log)"
    )
    change_u95: float | None = Field(
        default=None,
        ge=0,
        description="half-width (percentage points) of the 95 % interval of the change since "
        "the plan's base year, from the inventory's uncertainty (approach 2)",
    )

    @model_validator(mode="after")
    def _demo_is_quality(self) -> Self:
        if self.demo and self.quality is not Quality.DEMO:
            object.__setattr__(self, "quality", Quality.DEMO)
        elif self.quality is Quality.DEMO and not self.demo:
            object.__setattr__(self, "demo", True)
        return self


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
    quality: Quality | None = Field(
        default=None, description="the worst quality among the values the judgement used"
    )
    baseline_value: float | None = None
    baseline_period: dt.date | None = None
    change_percent: float | None = Field(
        default=None, description="trend targets: change from the baseline, % of the baseline"
    )
    progress_share: float | None = Field(
        default=None, description="时序进度: share of the way from baseline to goal (0–1)"
    )
    elapsed_share: float | None = Field(
        default=None, description="时序进度: share of the time from base year to deadline (0–1)"
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def basis(self) -> Basis | None:
        """What the judgement rests on; None when nothing was judged."""
        if self.quality is None or not self.status.judged:
            return None
        if self.quality is Quality.DEMO:
            return Basis.DEMO
        return Basis.OFFICIAL if self.quality.official else Basis.ESTIMATE

    @computed_field  # type: ignore[prop-decorator]
    @property
    def on_estimate(self) -> bool:
        """Whether the status rests on estimates or demo figures (shown as 依估算)."""
        return self.basis in (Basis.ESTIMATE, Basis.DEMO)

    def reason_in(self, lang: str) -> str:
        """The reason in ``lang`` ("zh" or "en")."""
        return self.reason_zh if lang == "zh" and self.reason_zh else self.reason


class TrendRule(BaseModel):
    """Parameters of the 「持续下降」 rule (status_rules.yaml, ``trend``)."""

    tolerance_percent: dict[ValueSource, float]
    uncertainty_draws: int = Field(ge=100)
    uncertainty_seed: int
    basis: str
    min_rise: dict[str, float] = Field(default_factory=dict)
    """「有效提升」: by indicator, the absolute rise above the baseline that counts as
    effectively raised (a smaller rise is at risk)."""
    min_rise_basis: str = ""


class ElapsedRule(BaseModel):
    """Parameters of the 时序进度 rule (status_rules.yaml, ``time_elapsed``)."""

    at_risk_ratio: float = Field(gt=0, le=1)
    basis: str


class PeakRule(BaseModel):
    """Parameters of the carbon-peak rule (status_rules.yaml, ``peak``)."""

    at_risk_percent: float = Field(ge=0, le=100)
    draws: int = Field(ge=1)
    seed: int
    scenario: str
    basis: str


class StatusRules(BaseModel):
    """The stated parameters of the status rules, with their basis."""

    model_config = ConfigDict(frozen=True)

    trend: TrendRule
    time_elapsed: ElapsedRule
    peak: PeakRule


@cache
def load_status_rules() -> StatusRules:
    """The shipped status rules (``xietong/data/plans/status_rules.yaml``)."""
    path = resources.files("xietong") / "data" / "plans" / "status_rules.yaml"
    return StatusRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def meets(target: Target, value: float) -> bool:
    """Whether a single value satisfies a bound target (``<=``, ``>=``, ``=``, ``done-by``,
    ``peak-by``).

    >>> from xietong.plan.loader import load_plan
    >>> t = load_plan().target("coal-share-2025")
    >>> meets(t, 29.9), meets(t, 30.0), meets(t, 30.5)
    (True, True, False)
    """
    goal = target.goal
    if goal is None:
        raise ValueError(f"target '{target.id}' has no goal to meet: use assess()")
    tol = target.tolerance
    match target.direction:
        case Direction.AT_MOST:
            return value <= goal + tol
        case Direction.AT_LEAST | Direction.DONE_BY | Direction.PEAK_BY:
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
    """The target's judging values (city-wide, or one district's; comparisons left out) for
    periods that ended by ``as_of`` and by the deadline, one per period (the last wins)."""
    last = min(target.deadline, as_of)
    by_period: dict[dt.date, ProgressRecord] = {}
    for r in records:
        if (
            r.target_id == target.id
            and r.district == district
            and r.period_end <= last
            and not r.comparison
        ):
            by_period[r.period_end] = r
    return [by_period[p] for p in sorted(by_period)]


def _judged(status: Status, en: str, zh: str, **base: Any) -> Assessment:
    return Assessment(status=status, reason=en, reason_zh=zh, **base)


def _baseline(
    target: Target, series: list[ProgressRecord], base_year: int
) -> tuple[float, dt.date, Quality | None] | None:
    """The plan-period baseline: zero at the base year for a cumulative target, the value of
    the base year in the series, else the target's stated baseline."""
    base_end = dt.date(base_year, 12, 31)
    if target.cumulative:
        return 0.0, base_end, None
    for r in series:
        if r.period_end == base_end:
            return r.value, r.period_end, r.quality
    if target.baseline is not None and target.baseline.year == base_year:
        return target.baseline.value, base_end, Quality.STATISTIC
    return None


def assess(
    target: Target,
    records: Iterable[ProgressRecord],
    as_of: dt.date,
    district: str | None = None,
    *,
    base_year: int = 2020,
    source: ValueSource = ValueSource.REPORTED,
    rules: StatusRules | None = None,
) -> Assessment:
    """Decide the status of ``target`` on ``as_of`` from its indicator's values (rules above).

    City-wide values (``district`` None) decide the city's status; a district code judges that
    district's own values. Values for periods ending after ``as_of`` are not yet known on that
    day and do not count; comparisons never count. ``base_year`` is the plan period's base
    year; ``source`` the indicator's defining source (it sets the trend tolerance). A
    judgement that used an ``assumed`` value (circular) is withdrawn: ``unjudged``.

    >>> import datetime as dt
    >>> from xietong.plan.loader import load_plan
    >>> t = load_plan().target("coal-share-2025")
    >>> recs = [ProgressRecord(target_id=t.id, period_end=dt.date(y, 12, 31), value=v)
    ...         for y, v in [(2020, 35.13), (2021, 34.0), (2022, 32.5), (2023, 30.5)]]
    >>> assess(t, recs, dt.date(2024, 6, 1)).status
    <Status.ON_TRACK: 'on_track'>
    >>> assess(t, recs, dt.date(2026, 6, 1)).status
    <Status.MISSED: 'missed'>
    """
    found = _assess(
        target, records, as_of, district, base_year=base_year, source=source, rules=rules
    )
    if found.quality is Quality.ASSUMED and found.status.judged:
        return found.model_copy(
            update={
                "status": Status.UNJUDGED,
                "reason": "a value it used rests on an assumption about itself (circular) and "
                "judges nothing",
                "reason_zh": "所用数值由对其自身的假设推算(循环),不作为评判依据",
            }
        )
    return found


def _assess(
    target: Target,
    records: Iterable[ProgressRecord],
    as_of: dt.date,
    district: str | None,
    *,
    base_year: int,
    source: ValueSource,
    rules: StatusRules | None,
) -> Assessment:
    """The judgement before the circularity check (``assess``)."""
    rules = rules or load_status_rules()
    series = _series(target, records, district, as_of)
    if not series:
        return _judged(Status.NO_DATA, "no value yet", "尚无数据", target_id=target.id)
    latest = series[-1]
    base: dict[str, Any] = {
        "target_id": target.id,
        "latest_value": latest.value,
        "latest_period": latest.period_end,
        "quality": latest.quality,
    }
    if latest.quality is Quality.ASSUMED:
        return _judged(
            Status.UNJUDGED,
            "the value rests on an assumption about itself (circular) and judges nothing",
            "该数值由对其自身的假设推算(循环),不作为评判依据",
            **base,
        )
    if target.goal_pending:
        return _judged(
            Status.UNJUDGED,
            f"the goal is assigned by the {target.goal_assigned_by} and is yet to be entered",
            f"目标值由{ASSIGNERS_ZH.get(target.goal_assigned_by or '', target.goal_assigned_by)}"
            "下达,待录入,不作判断",
            **base,
        )
    passed = as_of > target.deadline
    if target.direction in (Direction.DECREASING, Direction.INCREASING):
        return _assess_trend(target, series, passed, base, base_year, source, rules)
    if target.direction is Direction.PEAK_BY:
        return _assess_peak(target, latest.value, passed, base, rules)
    if meets(target, latest.value):
        return _judged(
            Status.ACHIEVED, "the latest value meets the target", "最新数据已达到目标", **base
        )
    if passed:
        return _judged(
            Status.MISSED,
            "the deadline has passed and the latest value misses the target",
            "期限已过,最新数据未达到目标",
            **base,
        )
    goal = target.goal if target.goal is not None else 0.0
    found = None if target.direction is Direction.DONE_BY else _baseline(target, series, base_year)
    if found is not None and found[1] < latest.period_end and goal != found[0]:
        return _assess_elapsed(target, latest, found, goal, base, rules)
    if len(series) < 2:
        return _judged(
            Status.AT_RISK,
            "not met yet and a single value gives no trend",
            "尚未达标,仅有一期数据,无法判断趋势",
            **base,
        )
    recent = series[-TREND_POINTS:]
    base["quality"] = worst_quality(r.quality for r in recent)
    slope = _trend_slope([(_year(r.period_end), r.value) for r in recent])
    projected = latest.value + slope * (_year(target.deadline) - _year(latest.period_end))
    base["projected_value"] = projected
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


def _assess_elapsed(
    target: Target,
    latest: ProgressRecord,
    baseline: tuple[float, dt.date, Quality | None],
    goal: float,
    base: dict[str, Any],
    rules: StatusRules,
) -> Assessment:
    """时序进度: the share of the way from baseline to goal against the share of time elapsed."""
    value0, period0, quality0 = baseline
    progress = (latest.value - value0) / (goal - value0)
    elapsed = (_year(latest.period_end) - _year(period0)) / (
        _year(target.deadline) - _year(period0)
    )
    qualities = [latest.quality] + ([quality0] if quality0 is not None else [])
    base.update(
        baseline_value=value0,
        baseline_period=period0,
        progress_share=progress,
        elapsed_share=elapsed,
        quality=worst_quality(qualities),
    )
    text = f"{progress:.0%} of the way from the baseline with {elapsed:.0%} of the time elapsed"
    text_zh = f"完成进度{progress:.0%},时序进度{elapsed:.0%}"
    if progress >= elapsed:
        return _judged(Status.ON_TRACK, text, text_zh + ",进度不低于时序", **base)
    if progress >= rules.time_elapsed.at_risk_ratio * elapsed:
        return _judged(Status.AT_RISK, text, text_zh + ",略落后于时序", **base)
    return _judged(Status.OFF_TRACK, text, text_zh + ",明显落后于时序", **base)


def _assess_peak(
    target: Target, probability: float, passed: bool, base: dict[str, Any], rules: StatusRules
) -> Assessment:
    """The carbon peak: probability (%) of a peak by the deadline against the thresholds."""
    likely = target.goal or 0.0  # set: a pending goal was refused before the rules ran
    by = target.deadline.year
    text = f"P(peak by {by}) = {probability:.1f} % under the plan scenario"
    text_zh = f"规划情景下{by}年前达峰概率{probability:.1f}%"
    if probability >= likely:
        status = Status.ACHIEVED if passed else Status.ON_TRACK
        return _judged(status, f"{text}: likely", f"{text_zh}:可能达峰", **base)
    if passed:
        return _judged(Status.MISSED, f"{text}: not peaked", f"{text_zh}:未按期达峰", **base)
    if probability >= rules.peak.at_risk_percent:
        return _judged(
            Status.AT_RISK, f"{text}: about as likely as not", f"{text_zh}:达峰与否难以确定", **base
        )
    return _judged(Status.OFF_TRACK, f"{text}: unlikely", f"{text_zh}:难以按期达峰", **base)


def _assess_trend(
    target: Target,
    series: list[ProgressRecord],
    passed: bool,
    base: dict[str, Any],
    base_year: int,
    source: ValueSource,
    rules: StatusRules,
) -> Assessment:
    """「持续下降/减少」 over the plan period: the change from the baseline to the latest value
    against the tolerance: the stated floor of the defining source, or the inventory's 95 %
    uncertainty of the change (``change_u95`` of the latest value) where that is wider."""
    sign = -1.0 if target.direction is Direction.DECREASING else 1.0
    word, word_zh = ("fallen", "下降") if sign < 0 else ("risen", "上升")
    period = [r for r in series if r.period_end.year >= base_year]
    if len(period) < 2:
        status = Status.MISSED if passed else Status.AT_RISK
        return _judged(
            status,
            f"no change measurable since {base_year} (one value in the plan period)",
            f"{base_year}年以来仅有一期数据,无法判断变化",
            **base,
        )
    first, latest = period[0], period[-1]
    change = 100 * (latest.value - first.value) / abs(first.value) if first.value else 0.0
    floor = rules.trend.tolerance_percent.get(source, 0.0)
    tol = max(floor, latest.change_u95 or 0.0)
    from_u95 = tol > floor
    base.update(
        baseline_value=first.value,
        baseline_period=first.period_end,
        change_percent=change,
        quality=worst_quality([first.quality, latest.quality]),
    )
    since = first.period_end.year
    moved = sign * change
    needed = rules.trend.min_rise.get(target.indicator_id)
    if needed is not None and sign > 0:
        rise = latest.value - first.value
        if rise >= needed:
            status = Status.ACHIEVED if passed else Status.ON_TRACK
            return _judged(
                status,
                f"{rise:+.3f} since {since}, at least the {needed:g} that counts as effectively "
                "raised",
                f"较{since}年提升{rise:.3f},达到「有效提升」所需的{needed:g}",
                **base,
            )
        if moved >= -tol:
            return _judged(
                Status.AT_RISK,
                f"{rise:+.3f} since {since}: less than the {needed:g} that counts as effectively "
                "raised",
                f"较{since}年变化{rise:+.3f},未达到「有效提升」所需的{needed:g}",
                **base,
            )
    if moved > tol:
        status = Status.ACHIEVED if passed else Status.ON_TRACK
        return _judged(
            status,
            f"{abs(change):.1f} % {'lower' if sign < 0 else 'higher'} than in {since}",
            f"较{since}年{word_zh}{abs(change):.1f}%",
            **base,
        )
    if moved >= -tol:
        return _judged(
            Status.AT_RISK,
            f"change since {since} ({change:+.1f} %) within the ±{tol:.1f} % tolerance"
            + (" (the inventory's 95 % uncertainty of the change)" if from_u95 else ""),
            f"较{since}年变化{change:+.1f}%,在±{tol:.1f}%容差内"
            + ("(清单变化量的95%不确定性)" if from_u95 else "")
            + f",不能判定为{word_zh}",
            **base,
        )
    status = Status.MISSED if passed else Status.OFF_TRACK
    return _judged(
        status,
        f"{abs(change):.1f} % the wrong way since {since} (the indicator should have {word})",
        f"较{since}年反向变化{abs(change):.1f}%(应{word_zh})",
        **base,
    )


def assess_all(
    targets: Iterable[Target],
    records: Sequence[ProgressRecord],
    as_of: dt.date,
    district: str | None = None,
    *,
    base_year: int = 2020,
    sources: dict[str, ValueSource] | None = None,
) -> dict[str, Assessment]:
    """Assess every target (city-wide, or for one district); records grouped by target first.
    ``sources`` maps target ids to their indicator's defining source (default: reported)."""
    grouped: dict[str, list[ProgressRecord]] = {}
    for r in records:
        grouped.setdefault(r.target_id, []).append(r)
    rules = load_status_rules()
    kinds = sources or {}
    return {
        t.id: assess(
            t,
            grouped.get(t.id, []),
            as_of,
            district,
            base_year=base_year,
            source=kinds.get(t.id, ValueSource.REPORTED),
            rules=rules,
        )
        for t in targets
    }
