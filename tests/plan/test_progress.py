"""The status rule of progress.py, on hand-worked examples and as properties.

Dates become fractional years as ``year + (day_of_year - 1) / 365.25``, so the last days of
two consecutive non-leap years are 1.0 year apart, and 2023-12-31 → 2025-12-31 is 2.0 years
(2024-12-31 is day 366, so it sits ≈ 0.0027 year later than the other year ends). The worked
examples below keep clear of every threshold so that this does not matter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xietong.plan.models import Direction, Plan, Target, Text
from xietong.plan.progress import (
    AT_RISK_SHARE,
    TREND_POINTS,
    Assessment,
    ProgressRecord,
    Status,
    assess,
    assess_all,
    meets,
)

DEADLINE = dt.date(2025, 12, 31)
BEFORE = dt.date(2025, 6, 30)  # judged before the deadline
AFTER = dt.date(2026, 6, 30)  # judged after it

PROPERTY = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def make_target(
    direction: Direction | str,
    value: float | None = None,
    *,
    tolerance: float = 0.0,
    deadline: dt.date = DEADLINE,
    unit: str = "percent",
    target_id: str = "t",
) -> Target:
    direction = Direction(direction)
    if direction is Direction.DONE_BY:
        value = 100.0 if value is None else value
    return Target(
        id=target_id,
        indicator=Text(zh="指标", en="indicator"),
        indicator_id="ind",
        unit=unit,
        direction=direction,
        value=value,
        tolerance=tolerance,
        deadline=deadline,
        source_sentence="测试用的句子",
    )


def rec(
    period: dt.date | int, value: float, *, target_id: str = "t", district: str | None = None
) -> ProgressRecord:
    """A record; an int period is that year's 31 December."""
    end = dt.date(period, 12, 31) if isinstance(period, int) else period
    return ProgressRecord(target_id=target_id, period_end=end, value=value, district=district)


def series(points: Iterable[tuple[int, float]], **kw: str) -> list[ProgressRecord]:
    return [rec(year, value, **kw) for year, value in points]


def status(target: Target, points: Iterable[tuple[int, float]], as_of: dt.date) -> Status:
    return assess(target, series(points), as_of).status


def test_status_order_and_rank() -> None:
    assert [s.value for s in Status] == [
        "achieved",
        "on_track",
        "at_risk",
        "off_track",
        "missed",
        "unjudged",
        "no_data",
    ]
    assert [s.rank for s in Status] == [0, 1, 2, 3, 4, 5, 6]
    assert TREND_POINTS == 3
    assert AT_RISK_SHARE == 0.5


# -- meets ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "goal", "tol", "value", "expected"),
    [
        ("<=", 30, 0, 29.9, True),
        ("<=", 30, 0, 30, True),
        ("<=", 30, 0, 30.1, False),
        ("<=", 30, 0.5, 30.5, True),
        ("<=", 30, 0.5, 30.6, False),
        (">=", 40, 0, 40, True),
        (">=", 40, 0, 39.99, False),
        (">=", 40, 1, 39, True),
        ("=", 50, 1, 49, True),
        ("=", 50, 1, 51, True),
        ("=", 50, 1, 51.5, False),
        ("=", 50, 0, 50, True),
        ("=", 50, 0, 50.01, False),
        ("done-by", 100, 0, 100, True),
        ("done-by", 100, 0, 99.9, False),
    ],
)
def test_meets(direction: str, goal: float, tol: float, value: float, expected: bool) -> None:
    assert meets(make_target(direction, goal, tolerance=tol), value) is expected


def test_meets_refuses_trend_targets() -> None:
    with pytest.raises(ValueError, match="no goal to meet"):
        meets(make_target("decreasing"), 1.0)


# -- no data ----------------------------------------------------------------------------------


def test_no_records_is_no_data() -> None:
    a = assess(make_target(">=", 60), [], BEFORE)
    assert a.status is Status.NO_DATA
    assert a.latest_value is None and a.latest_period is None


def test_records_of_other_targets_or_districts_are_not_data() -> None:
    t = make_target(">=", 60)
    records = [rec(2024, 70, target_id="other"), rec(2024, 70, district="wuchang")]
    assert assess(t, records, BEFORE).status is Status.NO_DATA


def test_records_after_the_deadline_only_is_no_data() -> None:
    # only periods up to the deadline count; 2026 is past the 2025-12-31 deadline
    assert status(make_target(">=", 60), [(2026, 70)], AFTER) is Status.NO_DATA


def test_no_data_for_a_trend_target() -> None:
    assert assess(make_target("decreasing"), [], AFTER).status is Status.NO_DATA


# -- bound targets: >= ------------------------------------------------------------------------


def test_at_least_latest_meets_is_achieved_before_and_after() -> None:
    t = make_target(">=", 60)
    # earlier points far below do not matter: the latest (61 ≥ 60) meets
    for as_of in (BEFORE, AFTER):
        a = assess(t, series([(2021, 10), (2022, 5), (2023, 61)]), as_of)
        assert a.status is Status.ACHIEVED
        assert a.latest_value == 61
        assert a.latest_period == dt.date(2023, 12, 31)
        assert a.projected_value is None


def test_at_least_a_later_miss_undoes_an_earlier_achievement() -> None:
    # 2023 met (65) but the latest, 2024, is 55 < 60: the latest figure decides
    t = make_target(">=", 60)
    assert status(t, [(2023, 65), (2024, 55)], AFTER) is Status.MISSED


def test_at_least_on_track() -> None:
    # slope over 2021..2023 = (50 − 20) / 2 = 15 a year; projected to 2025-12-31:
    # 50 + 15 × 2 = 80 ≥ 60 → on track
    a = assess(make_target(">=", 60), series([(2021, 20), (2022, 35), (2023, 50)]), BEFORE)
    assert a.status is Status.ON_TRACK
    assert a.projected_value == pytest.approx(80.0, abs=1e-6)


def test_at_least_at_risk() -> None:
    # slope (45 − 40) / 1 = 5 a year; projected 45 + 5 × 2 = 55 < 60;
    # gap 60 − 45 = 15, covered 55 − 45 = 10, 10 / 15 = 67 % ≥ 50 % → at risk
    a = assess(make_target(">=", 60), series([(2022, 40), (2023, 45)]), BEFORE)
    assert a.status is Status.AT_RISK
    assert a.projected_value == pytest.approx(55.0, abs=1e-6)
    assert "67%" in a.reason


def test_at_least_off_track_slow_trend() -> None:
    # slope 1 a year; projected 41 + 1 × 2 = 43; gap 19, covered 2, 2 / 19 = 11 % < 50 %
    a = assess(make_target(">=", 60), series([(2022, 40), (2023, 41)]), BEFORE)
    assert a.status is Status.OFF_TRACK
    assert a.projected_value == pytest.approx(43.0, abs=1e-6)


def test_at_least_off_track_trend_the_wrong_way() -> None:
    # slope −5 a year: projected 40 − 10 = 30 moves away from 60, covers 0 % of the gap
    a = assess(make_target(">=", 60), series([(2022, 45), (2023, 40)]), BEFORE)
    assert a.status is Status.OFF_TRACK
    assert a.projected_value == pytest.approx(30.0, abs=1e-6)


def test_at_least_single_point_before_deadline_is_at_risk() -> None:
    a = assess(make_target(">=", 60), [rec(2023, 59)], BEFORE)
    assert a.status is Status.AT_RISK
    assert a.projected_value is None


def test_at_least_missed_after_deadline_whatever_the_trend() -> None:
    # the same steep rise that is on track before the deadline (projected 80) is missed after it,
    # because the latest figure (50) is below 60
    points = [(2021, 20), (2022, 35), (2023, 50)]
    assert status(make_target(">=", 60), points, BEFORE) is Status.ON_TRACK
    a = assess(make_target(">=", 60), series(points), AFTER)
    assert a.status is Status.MISSED
    assert a.latest_value == 50


def test_deadline_day_itself_is_not_past_the_deadline() -> None:
    t = make_target(">=", 60)
    assert status(t, [(2024, 59)], DEADLINE) is Status.AT_RISK
    assert status(t, [(2024, 59)], DEADLINE + dt.timedelta(days=1)) is Status.MISSED


def test_only_the_last_three_points_make_the_trend() -> None:
    # last three 40, 41, 42: slope 1, projected 42 + 1 × 2 = 44; gap 18, covered 2 → 11 %
    # (all five points would give a steep slope and a projection past 60: on track); no value
    # of the base year 2020, so no 时序进度
    points = [(2016, 0), (2017, 20), (2021, 40), (2022, 41), (2023, 42)]
    a = assess(make_target(">=", 60), series(points), BEFORE)
    assert a.status is Status.OFF_TRACK
    assert a.projected_value == pytest.approx(44.0, abs=1e-6)


def test_records_after_the_deadline_are_ignored() -> None:
    # the 2026 figure (70) would meet the target but lies past the deadline 2025-12-31:
    # the latest figure that counts is 2024's 50 → missed
    t = make_target(">=", 60)
    a = assess(t, series([(2024, 50), (2026, 70)]), AFTER)
    assert a.status is Status.MISSED
    assert a.latest_period == dt.date(2024, 12, 31)
    assert a.latest_value == 50


def test_a_figure_for_the_deadline_period_itself_counts() -> None:
    assert status(make_target(">=", 60), [(2024, 50), (2025, 60)], AFTER) is Status.ACHIEVED


def test_mid_year_periods() -> None:
    # deadline 2023-12-31 (x = 2023.9966); points 2022-06-30 (x = 2022.4928) → 50 and
    # 2022-12-31 (x = 2022.9966) → 80: slope 30 / 0.5038 ≈ 59.5 a year;
    # projected 80 + 59.5 × 1 ≈ 139.5 ≥ 100 → on track
    t = make_target("done-by", deadline=dt.date(2023, 12, 31))
    records = [rec(dt.date(2022, 6, 30), 50), rec(dt.date(2022, 12, 31), 80)]
    a = assess(t, records, dt.date(2023, 3, 1))
    assert a.status is Status.ON_TRACK
    assert a.projected_value == pytest.approx(80 + 30 / (0.5038), rel=1e-3)


def test_exactly_half_the_gap_is_at_risk() -> None:
    # slope 5: projected 45 + 5 × 2 = 55 < 65; gap 65 − 45 = 20, covered 10, 10 / 20 = 50 %:
    # the threshold AT_RISK_SHARE is inclusive (these figures give exactly 0.5 in floating point)
    a = assess(make_target(">=", 65), series([(2022, 40), (2023, 45)]), BEFORE)
    assert a.projected_value == 55.0
    assert a.status is Status.AT_RISK
    assert "50%" in a.reason


def test_two_figures_for_one_period_the_later_in_input_wins() -> None:
    # the store allows one figure per target, district and period; given two, the later wins
    t = make_target(">=", 60)
    assert status(t, [(2024, 70), (2024, 50)], AFTER) is Status.MISSED
    assert status(t, [(2024, 50), (2024, 70)], AFTER) is Status.ACHIEVED


def test_figures_for_periods_after_as_of_do_not_count() -> None:
    # judging on 2024-06-30, the 2025 figure (period 2025-12-31) is not known yet
    t = make_target(">=", 60)
    a = assess(t, series([(2023, 40), (2025, 61)]), dt.date(2024, 6, 30))
    assert a.status is Status.AT_RISK  # one figure (2023: 40) gives no trend
    assert a.latest_period == dt.date(2023, 12, 31)
    assert assess(t, series([(2023, 40), (2025, 61)]), dt.date(2026, 1, 1)).status is (
        Status.ACHIEVED
    )


def test_doc_example_slow_traffic_at_risk(plan: Plan) -> None:
    # docs/methods/status.md: >= 146 km, cumulative from 0 at the end of 2020; 2024: 98 km is
    # 67 % of the way with 80 % of the time elapsed (2020-12-31 → 2025-12-31): 67 % ≥ 0.8 × 80 %
    # → at risk (时序进度)
    t = plan.target("slow-traffic-146km")
    a = assess(t, series([(2023, 52), (2024, 98)], target_id=t.id), dt.date(2025, 3, 1))
    assert a.status is Status.AT_RISK
    assert a.progress_share == pytest.approx(98 / 146)
    assert a.elapsed_share == pytest.approx(0.8, abs=0.001)


def test_doc_example_natural_gas_off_track(plan: Plan) -> None:
    # example 4: >= 40 亿 m³; 2022: 32.6, 2023: 34.9, 2024: 36.2 → slope ≈ 1.797, projected
    # ≈ 37.99; gap 3.8, covered 1.79 → 47 % < 50 % → off track
    t = plan.target("natural-gas-2025")
    points = [(2022, 32.6), (2023, 34.9), (2024, 36.2)]
    a = assess(t, series(points, target_id=t.id), dt.date(2025, 3, 1))
    assert a.status is Status.OFF_TRACK
    assert a.projected_value == pytest.approx(37.99, abs=0.01)


def test_doc_example_carbon_peak_is_judged_on_the_probability(plan: Plan) -> None:
    # the carbon peak holds P(peak by 2030) from the plan scenario's fan: 50 % is 'about as
    # likely as not' (33–66 %) → at risk; 72 % is 'likely' → on track; no trend is projected
    t = plan.target("carbon-peak-2030")
    a = assess(t, series([(2024, 40), (2025, 50)], target_id=t.id), dt.date(2026, 6, 30))
    assert a.status is Status.AT_RISK
    assert a.projected_value is None
    a = assess(t, series([(2025, 72)], target_id=t.id), dt.date(2026, 6, 30))
    assert a.status is Status.ON_TRACK


# -- bound targets: <= ------------------------------------------------------------------------


def test_at_most_worked_examples() -> None:
    t = make_target("<=", 30)
    assert status(t, [(2023, 30.5), (2024, 29.9)], BEFORE) is Status.ACHIEVED
    assert status(t, [(2024, 30.0)], AFTER) is Status.ACHIEVED  # the bound itself meets
    # slope −3 a year: projected 33 − 3 × 2 = 27 ≤ 30 → on track
    assert status(t, [(2022, 36), (2023, 33)], BEFORE) is Status.ON_TRACK
    # slope −1: projected 33 − 2 = 31; gap 3, covered 2 → 67 % → at risk
    assert status(t, [(2022, 34), (2023, 33)], BEFORE) is Status.AT_RISK
    # slope −0.25: projected 33 − 0.5 = 32.5; gap 3, covered 0.5 → 17 % → off track
    assert status(t, [(2022, 33.25), (2023, 33)], BEFORE) is Status.OFF_TRACK
    # rising: moves away from the bound → off track
    assert status(t, [(2022, 31), (2023, 33)], BEFORE) is Status.OFF_TRACK
    assert status(t, [(2022, 36), (2023, 33)], AFTER) is Status.MISSED


def test_at_most_with_tolerance() -> None:
    t = make_target("<=", 30, tolerance=0.5)
    # 30.4 ≤ 30 + 0.5 → achieved; 30.6 > 30.5 → missed after the deadline
    assert status(t, [(2024, 30.4)], AFTER) is Status.ACHIEVED
    assert status(t, [(2024, 30.6)], AFTER) is Status.MISSED


def test_coal_share_of_the_wuhan_plan(plan: Plan) -> None:
    t = plan.target("coal-share-2025")  # ≤ 30 % by 2025-12-31
    points = [(2021, 34.0), (2022, 32.5), (2023, 30.5)]
    # 时序进度 from the stated 2020 baseline 35.13: (35.13 − 30.5) / (35.13 − 30) = 90 % of the
    # way with 60 % of the time elapsed → on track
    a = assess(t, series(points, target_id=t.id), dt.date(2024, 6, 1))
    assert a.status is Status.ON_TRACK
    assert a.baseline_value == 35.13
    assert a.progress_share == pytest.approx((35.13 - 30.5) / (35.13 - 30))
    assert assess(t, series(points, target_id=t.id), dt.date(2026, 6, 1)).status is Status.MISSED
    points.append((2024, 29.9))
    # judged on 2024-06-01 the 2024 figure is not known yet; on 2025-01-15 it is
    assert assess(t, series(points, target_id=t.id), dt.date(2024, 6, 1)).status is (
        Status.ON_TRACK
    )
    assert assess(t, series(points, target_id=t.id), dt.date(2025, 1, 15)).status is (
        Status.ACHIEVED
    )


# -- bound targets: = -------------------------------------------------------------------------


def test_equal_worked_examples() -> None:
    t = make_target("=", 50, tolerance=1)
    assert status(t, [(2023, 50.8)], BEFORE) is Status.ACHIEVED  # |50.8 − 50| ≤ 1
    assert status(t, [(2023, 48.5)], AFTER) is Status.MISSED  # |48.5 − 50| = 1.5 > 1
    # slope 1: projected 48 + 2 = 50, |50 − 50| ≤ 1 → on track
    assert status(t, [(2022, 47), (2023, 48)], BEFORE) is Status.ON_TRACK
    # slope 5: projected 45 + 10 = 55 overshoots (|55 − 50| = 5 > 1); gap 5, covered 10 → 200 %
    # of the gap → at risk, not on track
    assert status(t, [(2022, 40), (2023, 45)], BEFORE) is Status.AT_RISK
    # slope 0.5: projected 41 + 1 = 42; gap 9, covered 1 → 11 % → off track
    assert status(t, [(2022, 40.5), (2023, 41)], BEFORE) is Status.OFF_TRACK
    # approached from above: slope −2, projected 56 − 4 = 52; gap 6, covered 4 → 67 % → at risk
    assert status(t, [(2022, 58), (2023, 56)], BEFORE) is Status.AT_RISK


# -- bound targets: done-by -------------------------------------------------------------------


def test_done_by_worked_examples() -> None:
    t = make_target("done-by", deadline=dt.date(2023, 12, 31))
    before, after = dt.date(2023, 6, 30), dt.date(2024, 1, 1)
    # a completion reported for the period ending 2023-06-30 counts on that day
    done = [rec(dt.date(2022, 12, 31), 40), rec(dt.date(2023, 6, 30), 100)]
    assert assess(t, done, before).status is Status.ACHIEVED
    # the 2023 figure (period ending 2023-12-31) is not known on 2023-06-30
    assert status(t, [(2022, 40), (2023, 100)], before) is Status.AT_RISK
    assert status(t, [(2023, 100)], after) is Status.ACHIEVED
    assert status(t, [(2022, 40), (2023, 95)], after) is Status.MISSED
    # slope 30: projected 80 + 30 × 1 = 110 ≥ 100 → on track
    assert status(t, [(2021, 50), (2022, 80)], before) is Status.ON_TRACK
    # slope 16: projected 70 + 16 × 1 = 86 < 100; gap 30, covered 16 → 53 % → at risk
    assert status(t, [(2021, 54), (2022, 70)], before) is Status.AT_RISK
    # slope 5: projected 75; gap 30, covered 5 → 17 % → off track
    assert status(t, [(2021, 65), (2022, 70)], before) is Status.OFF_TRACK
    assert status(t, [(2022, 70)], before) is Status.AT_RISK


def test_done_by_is_met_at_100_percent() -> None:
    t = make_target("done-by")
    assert meets(t, 100.0)
    assert not meets(t, 99.99)


def test_done_by_goal_is_100_whatever_its_value() -> None:
    # the rule's goal for done-by is 100 % complete; a 'value' of 50 does not lower it
    t = make_target("done-by", 50)
    assert not meets(t, 60.0)
    assert meets(t, 100.0)
    assert status(t, [(2025, 60)], AFTER) is Status.MISSED


# -- trend targets ----------------------------------------------------------------------------


def test_decreasing_every_year_is_on_track_then_achieved() -> None:
    t = make_target("decreasing", unit="t")
    points = [(2021, 100), (2022, 95), (2023, 90)]
    assert status(t, points, BEFORE) is Status.ON_TRACK
    a = assess(t, series(points), AFTER)
    assert a.status is Status.ACHIEVED
    assert a.latest_value == 90
    assert a.projected_value is None


def test_decreasing_a_rise_from_the_first_plan_year_is_off_track() -> None:
    # 「持续下降」 is judged from the plan period's first value (2021 here: no 2020 value):
    # 100 → 103 is +3 %: off track before the deadline, missed after it
    t = make_target("decreasing", unit="t")
    points = [(2021, 100), (2022, 95), (2023, 103)]
    assert status(t, points, BEFORE) is Status.OFF_TRACK
    assert status(t, points, AFTER) is Status.MISSED


def test_decreasing_an_earlier_rise_does_not_count_once_it_fell_overall() -> None:
    # 100 → 105 → 97: 3 % lower than the first plan-period value → on track, achieved after
    t = make_target("decreasing", unit="t")
    points = [(2021, 100), (2022, 105), (2023, 97)]
    assert status(t, points, BEFORE) is Status.ON_TRACK
    assert status(t, points, AFTER) is Status.ACHIEVED


def test_decreasing_flat_is_not_a_decrease() -> None:
    # 100 → 100 did not fall: within the tolerance (0 % for reported figures) → at risk
    t = make_target("decreasing", unit="t")
    assert status(t, [(2022, 100), (2023, 100)], BEFORE) is Status.AT_RISK
    assert status(t, [(2022, 100), (2023, 100)], AFTER) is Status.AT_RISK


def test_trend_single_point() -> None:
    # one figure shows no change: at risk before the deadline, missed after it
    t = make_target("decreasing", unit="t")
    assert status(t, [(2023, 100)], BEFORE) is Status.AT_RISK
    assert status(t, [(2023, 100)], AFTER) is Status.MISSED


def test_increasing_mirrors_decreasing() -> None:
    t = make_target("increasing", unit="dimensionless")
    assert status(t, [(2021, 0.1), (2022, 0.2), (2023, 0.3)], BEFORE) is Status.ON_TRACK
    assert status(t, [(2021, 0.1), (2022, 0.2), (2023, 0.3)], AFTER) is Status.ACHIEVED
    assert status(t, [(2021, 0.3), (2022, 0.2), (2023, 0.1)], BEFORE) is Status.OFF_TRACK
    assert status(t, [(2021, 0.2), (2022, 0.1), (2023, 0.3)], BEFORE) is Status.ON_TRACK


def test_trend_before_the_base_year_does_not_count() -> None:
    # the rise 2019 → 2020 lies before the plan period (base year 2020): from 2020 (101) to
    # 2023 (97) the indicator fell 4 % → on track, achieved after the deadline
    t = make_target("decreasing", unit="t")
    points = [(2019, 100), (2020, 101), (2021, 99), (2022, 98), (2023, 97)]
    assert status(t, points, BEFORE) is Status.ON_TRACK
    assert status(t, points, AFTER) is Status.ACHIEVED


def test_trend_ignores_records_after_the_deadline() -> None:
    # the rise in 2026 is past the deadline: 2021..2025 fell every year → achieved
    t = make_target("decreasing", unit="t")
    points = [(2021, 100), (2023, 90), (2025, 80), (2026, 120)]
    assert status(t, points, dt.date(2027, 1, 1)) is Status.ACHIEVED


def test_trend_records_out_of_order_are_sorted_by_period() -> None:
    t = make_target("decreasing", unit="t")
    assert status(t, [(2023, 90), (2021, 100), (2022, 95)], BEFORE) is Status.ON_TRACK


def test_energy_intensity_of_the_wuhan_plan(plan: Plan) -> None:
    t = plan.target("energy-intensity-2025")
    points = [(2021, 0.42), (2022, 0.40), (2023, 0.39), (2024, 0.38), (2025, 0.37)]
    assert assess(t, series(points, target_id=t.id), dt.date(2026, 3, 1)).status is (
        Status.ACHIEVED
    )


# -- districts --------------------------------------------------------------------------------


def test_city_wide_status_uses_city_wide_figures_only() -> None:
    t = make_target(">=", 60)
    records = [rec(2024, 40), rec(2024, 90, district="wuchang")]
    a = assess(t, records, AFTER)
    assert a.status is Status.MISSED
    assert a.latest_value == 40


def test_district_status_uses_that_district_only() -> None:
    t = make_target(">=", 60)
    records = [rec(2024, 40), rec(2024, 90, district="wuchang"), rec(2024, 10, district="hongshan")]
    assert assess(t, records, AFTER, district="wuchang").status is Status.ACHIEVED
    assert assess(t, records, AFTER, district="hongshan").status is Status.MISSED
    assert assess(t, records, AFTER, district="qiaokou").status is Status.NO_DATA


def test_assess_all_groups_by_target_and_district() -> None:
    t1, t2 = make_target(">=", 60, target_id="a"), make_target("<=", 10, target_id="b")
    records = [
        rec(2024, 70, target_id="a"),
        rec(2024, 20, target_id="b"),
        rec(2024, 5, target_id="b", district="wuchang"),
    ]
    city = assess_all([t1, t2], records, AFTER)
    assert {k: v.status for k, v in city.items()} == {"a": Status.ACHIEVED, "b": Status.MISSED}
    wuchang = assess_all([t1, t2], records, AFTER, district="wuchang")
    assert {k: v.status for k, v in wuchang.items()} == {"a": Status.NO_DATA, "b": Status.ACHIEVED}


# -- properties -------------------------------------------------------------------------------

BOUND = [Direction.AT_MOST, Direction.AT_LEAST, Direction.EQUAL, Direction.DONE_BY]
values = st.integers(-(10**7), 10**7).map(lambda i: i / 100)  # two decimals, |v| ≤ 100,000
periods = st.dates(min_value=dt.date(2015, 1, 1), max_value=DEADLINE)
judged = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def bound_targets(draw: st.DrawFn, directions: list[Direction] = BOUND) -> Target:
    direction = draw(st.sampled_from(directions))
    goal = None if direction is Direction.DONE_BY else draw(values)
    tolerance = draw(st.sampled_from([0.0, 0.5, 2.0]))
    return make_target(direction, goal, tolerance=tolerance)


def point_lists(min_size: int = 1) -> st.SearchStrategy[list[tuple[dt.date, float]]]:
    return st.lists(
        st.tuples(periods, values), min_size=min_size, max_size=8, unique_by=lambda p: p[0]
    )


def goal_of(t: Target) -> float:
    return 100.0 if t.direction is Direction.DONE_BY else float(t.value or 0.0)


def to_records(points: Iterable[tuple[dt.date, float]]) -> list[ProgressRecord]:
    return [rec(d, v) for d, v in points]


def met_value(t: Target, offset: float) -> float:
    """A value that meets ``t``: the goal moved by ``offset`` (≥ 0) to the allowed side."""
    goal = goal_of(t)
    match t.direction:
        case Direction.AT_MOST:
            return goal - offset
        case Direction.AT_LEAST | Direction.DONE_BY:
            return goal + offset
        case _:
            return goal + min(offset, t.tolerance) / 2  # half the tolerance: clear of rounding


@PROPERTY
@given(t=bound_targets(), earlier=point_lists(min_size=0), offset=st.floats(0, 1e4), as_of=judged)
def test_property_latest_point_meeting_the_target_is_achieved(
    t: Target, earlier: list[tuple[dt.date, float]], offset: float, as_of: dt.date
) -> None:
    latest_day = max([d for d, _ in earlier], default=dt.date(2015, 1, 1))
    if latest_day >= DEADLINE:
        earlier = [p for p in earlier if p[0] != DEADLINE]
        latest_day = max([d for d, _ in earlier], default=dt.date(2015, 1, 1))
    latest = (latest_day + dt.timedelta(days=1), met_value(t, offset))
    assert meets(t, latest[1])
    as_of = max(as_of, latest[0])  # a figure counts once its period has ended
    a = assess(t, to_records([*earlier, latest]), as_of)
    assert a.status is Status.ACHIEVED
    assert a.latest_value == latest[1]


def better_value(t: Target, latest: float, step: float) -> float:
    """A value on the required side of ``latest`` (or equal to it), ``step`` ≥ 0 away."""
    goal = goal_of(t)
    match t.direction:
        case Direction.AT_MOST:
            return latest - step
        case Direction.AT_LEAST | Direction.DONE_BY:
            return latest + step
        case _:  # '=': closer to the goal, by at most the current distance
            return latest + (goal - latest) * min(step, 1.0)


@st.composite
def improvement_cases(draw: st.DrawFn) -> tuple[Target, list[ProgressRecord], ProgressRecord]:
    t = draw(bound_targets())
    points = draw(point_lists().filter(lambda ps: max(d for d, _ in ps) < DEADLINE))
    last_day, last_value = max(points)
    new_day = draw(st.dates(min_value=last_day + dt.timedelta(days=1), max_value=DEADLINE))
    new_value = better_value(t, last_value, draw(st.floats(0, 1e4)))
    return t, to_records(points), rec(new_day, new_value)


def _is_better_or_equal(t: Target, old: float, new: float) -> bool:
    goal = goal_of(t)
    match t.direction:
        case Direction.AT_MOST:
            return new <= old
        case Direction.AT_LEAST | Direction.DONE_BY:
            return new >= old
        case _:
            return abs(new - goal) <= abs(old - goal)


@PROPERTY
@given(case=improvement_cases(), as_of=judged)
def test_property_a_better_latest_point_never_worsens_status(
    case: tuple[Target, list[ProgressRecord], ProgressRecord], as_of: dt.date
) -> None:
    # Holds where the status rests on the latest figure alone: after the deadline, or when the
    # status is already 'achieved'. Before the deadline a newer figure also means less time
    # left, so stagnation may rightly lower the status (see the worked example below).
    t, records, new = case
    as_of = max(as_of, new.period_end)
    old = assess(t, records, as_of)
    assert old.latest_value is not None
    assert _is_better_or_equal(t, old.latest_value, new.value)
    if not (as_of > t.deadline or old.status is Status.ACHIEVED):
        return
    updated = assess(t, [*records, new], as_of)
    assert updated.latest_period == new.period_end
    assert updated.status.rank <= old.status.rank, (old, updated)


# Stagnation after a jump: >= 60 by 2025-12-31, judged 2025-01-01.
# 2021: 0, 2022: 30, 2023: 30 → slope 15 a year, projected 30 + 15 × 2 = 60 → on track.
# Add 2024: 31 (better than 30 but nearly flat): last three 30, 30, 31 → slope ≈ 0.5,
# projected ≈ 31.5; gap 29, covered ≈ 1.5 → 5 % → off track. By design: a year passed with
# almost no progress, so appending a figure is not monotone before the deadline.
_STAGNATION = (
    make_target(">=", 60),
    series([(2021, 0), (2022, 30), (2023, 30)]),
    rec(2024, 31),
)


@PROPERTY
@given(
    t=bound_targets([Direction.AT_MOST, Direction.AT_LEAST, Direction.DONE_BY]),
    points=point_lists(),
    step=st.floats(0, 1e4),
    as_of=judged,
)
def test_property_improving_the_latest_figure_never_worsens_status(
    t: Target, points: list[tuple[dt.date, float]], step: float, as_of: dt.date
) -> None:
    # The same periods, the latest figure moved to the required side: the status never drops.
    # (For '=' targets a higher projection can overshoot the band, so they are left out.)
    points = sorted(points)
    last_day, last_value = points[-1]
    as_of = max(as_of, last_day)
    better = [*points[:-1], (last_day, better_value(t, last_value, step))]
    old = assess(t, to_records(points), as_of)
    new = assess(t, to_records(better), as_of)
    assert new.status.rank <= old.status.rank, (old, new)


def test_stagnation_after_a_jump_lowers_the_status_by_design() -> None:
    t, records, new = _STAGNATION
    as_of = dt.date(2025, 1, 1)
    old = assess(t, records, as_of)
    assert old.status is Status.ON_TRACK
    assert old.projected_value == pytest.approx(60.0, abs=0.01)
    updated = assess(t, [*records, new], as_of)
    assert updated.status is Status.OFF_TRACK
    # a single point 30 is at risk; adding a better 31 a year later gives slope ≈ 1,
    # projected ≈ 33, covered 2 of a gap of 29 → 7 % → off track
    assert status(t, [(2023, 30)], as_of) is Status.AT_RISK
    assert status(t, [(2023, 30), (2024, 31)], as_of) is Status.OFF_TRACK


@st.composite
def any_targets(draw: st.DrawFn) -> Target:
    if draw(st.booleans()):
        return draw(bound_targets())
    return make_target(
        draw(st.sampled_from([Direction.DECREASING, Direction.INCREASING])), unit="t"
    )


@st.composite
def mixed_records(draw: st.DrawFn) -> list[ProgressRecord]:
    """The target's records (unique periods, some past the deadline) among others' records."""
    own = draw(
        st.lists(
            st.tuples(st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)), values),
            max_size=8,
            unique_by=lambda p: p[0],
        )
    )
    noise = draw(
        st.lists(
            st.tuples(
                periods, values, st.sampled_from(["other", "t"]), st.sampled_from([None, "wuchang"])
            ),
            max_size=4,
            unique_by=lambda n: (n[0], n[2], n[3]),
        )
    )
    records = to_records(own)
    records += [
        rec(d, v, target_id=tid, district=district)
        for d, v, tid, district in noise
        if tid == "other" or district is not None
    ]
    return records


@PROPERTY
@given(t=any_targets(), records=mixed_records(), as_of=judged, data=st.data())
def test_property_status_does_not_depend_on_record_order(
    t: Target, records: list[ProgressRecord], as_of: dt.date, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(records))
    a, b = assess(t, records, as_of), assess(t, shuffled, as_of)
    assert a == b
    for district in ("wuchang", None):
        assert assess(t, records, as_of, district) == assess(t, shuffled, as_of, district)


@PROPERTY
@given(
    value=values,
    tolerance=st.sampled_from([0.0, 0.5, 3.0]),
    points=point_lists(),
    as_of=judged,
    power=st.integers(-8, 8),
)
def test_property_at_least_status_is_invariant_to_scale(
    value: float, tolerance: float, points: list[tuple[dt.date, float]], as_of: dt.date, power: int
) -> None:
    # Scaling the goal, its tolerance and every figure by c > 0 keeps every comparison of the
    # rule. c is a power of two so that the scaling is exact in floating point; for other c,
    # rounding can move a figure that lies exactly on a threshold across it.
    c = 2.0**power
    t = make_target(">=", value, tolerance=tolerance)
    scaled = make_target(">=", value * c, tolerance=tolerance * c)
    a = assess(t, to_records(points), as_of)
    b = assess(scaled, to_records((d, v * c) for d, v in points), as_of)
    assert a.status is b.status
    if a.projected_value is not None:
        assert b.projected_value == a.projected_value * c


def test_scale_invariance_worked_example() -> None:
    # ×1000 (e.g. 亿 m³ → 十万 m³): slope 5000, projected 45000 + 10000 = 55000; gap 15000,
    # covered 10000 → 67 % → at risk, as for 40, 45 against 60
    t = make_target(">=", 60_000)
    assert status(t, [(2022, 40_000), (2023, 45_000)], BEFORE) is Status.AT_RISK
    assert status(make_target(">=", 60), [(2022, 40), (2023, 45)], BEFORE) is Status.AT_RISK


def test_assessment_is_frozen() -> None:
    a = Assessment(target_id="t", status=Status.NO_DATA, reason="x")
    with pytest.raises(ValueError):
        a.status = Status.ACHIEVED  # type: ignore[misc]


def test_synergy_degree_needs_an_effective_rise() -> None:
    """「有效提升」: the synergy degree must rise at least 0.05 above its base-year value
    (status_rules.yaml, trend.min_rise): 0.70 → 0.76 is on track (achieved after the deadline);
    0.70 → 0.73 rose, but too little (at risk); 0.70 → 0.65 is off track."""
    t = make_target("increasing", unit="dimensionless").model_copy(
        update={"indicator_id": "synergy_degree"}
    )
    assert status(t, [(2020, 0.70), (2024, 0.76)], BEFORE) is Status.ON_TRACK
    assert status(t, [(2020, 0.70), (2024, 0.76)], AFTER) is Status.ACHIEVED
    found = assess(t, series([(2020, 0.70), (2024, 0.73)]), BEFORE)
    assert found.status is Status.AT_RISK and "有效提升" in found.reason_zh
    assert status(t, [(2020, 0.70), (2024, 0.65)], BEFORE) is Status.OFF_TRACK
    # another increasing indicator needs no minimum rise
    other = make_target("increasing", unit="dimensionless")
    assert status(other, [(2020, 0.70), (2024, 0.73)], BEFORE) is Status.ON_TRACK
