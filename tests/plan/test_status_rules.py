"""The plan's own status rules (docs/methods/status.md): trend from the plan-period baseline,
time-elapsed progress, the carbon peak, the basis of a judgement, circular and pending values."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from xietong.plan.models import Plan, ValueSource
from xietong.plan.progress import (
    Basis,
    ProgressRecord,
    Quality,
    Status,
    assess,
    load_status_rules,
)


def _recs(target_id: str, series: dict[int, float], quality: Quality = Quality.REPORTED):
    return [
        ProgressRecord(target_id=target_id, period_end=dt.date(y, 12, 31), value=v, quality=quality)
        for y, v in series.items()
    ]


def test_trend_is_judged_from_the_plan_baseline_not_every_year_since_2015(plan: Plan) -> None:
    t = plan.target("pollutant-total-nox")
    # a rise from 2018 to 2019 lies before the plan period and does not count
    recs = _recs(t.id, {2015: 120, 2018: 100, 2019: 110, 2020: 108, 2022: 100, 2024: 95})
    a = assess(t, recs, dt.date(2025, 6, 1), source=ValueSource.INVENTORY)
    assert a.status is Status.ON_TRACK
    assert a.baseline_period == dt.date(2020, 12, 31)
    assert round(a.change_percent or 0, 1) == round(100 * (95 - 108) / 108, 1)


def test_a_change_within_the_inventory_tolerance_is_at_risk(plan: Plan) -> None:
    t = plan.target("pollutant-total-nox")
    tol = load_status_rules().trend.tolerance_percent[ValueSource.INVENTORY]
    assert tol > 0
    small = 100 * (1 - tol / 200)  # half the tolerance lower
    recs = _recs(t.id, {2020: 100, 2024: small})
    assert assess(t, recs, dt.date(2025, 6, 1), source=ValueSource.INVENTORY).status is (
        Status.AT_RISK
    )
    # a reported figure has no tolerance: the same fall counts
    assert assess(t, recs, dt.date(2025, 6, 1), source=ValueSource.REPORTED).status is (
        Status.ON_TRACK
    )


def test_a_rise_beyond_the_tolerance_is_off_track_then_missed(plan: Plan) -> None:
    t = plan.target("pollutant-total-vocs")
    recs = _recs(t.id, {2020: 100, 2024: 110})
    assert assess(t, recs, dt.date(2025, 6, 1)).status is Status.OFF_TRACK
    assert assess(t, recs, dt.date(2026, 6, 1)).status is Status.MISSED


def test_time_elapsed_progress_of_a_level_target(plan: Plan) -> None:
    t = plan.target("coal-share-2025")  # <= 30 % by 2025, baseline 2020
    on_pace = _recs(t.id, {2020: 35.13, 2023: 30.5})
    a = assess(t, on_pace, dt.date(2024, 6, 1))
    assert a.status is Status.ON_TRACK
    assert a.elapsed_share is not None and a.progress_share is not None
    assert round(a.elapsed_share, 2) == 0.6
    behind = _recs(t.id, {2020: 35.13, 2023: 34.5})
    assert assess(t, behind, dt.date(2024, 6, 1)).status is Status.OFF_TRACK


def test_a_cumulative_target_counts_from_zero_at_the_base_year(plan: Plan) -> None:
    t = plan.target("afforestation-2025")
    assert t.cumulative
    # 4 of 10 万亩 after 3 of 5 years: 40 % done, 60 % elapsed → off track (< 80 % of pace)
    a = assess(t, _recs(t.id, {2023: 4.0}), dt.date(2024, 6, 1))
    assert a.status is Status.OFF_TRACK
    assert a.baseline_value == 0.0
    a = assess(t, _recs(t.id, {2023: 6.5}), dt.date(2024, 6, 1))
    assert a.status is Status.ON_TRACK


def test_estimates_and_demo_carry_their_basis(plan: Plan) -> None:
    t = plan.target("pollutant-total-cod")
    est = assess(t, _recs(t.id, {2020: 100, 2024: 80}, Quality.ESTIMATE), dt.date(2025, 1, 2))
    assert est.status is Status.ON_TRACK and est.on_estimate and est.basis is Basis.ESTIMATE
    demo = assess(t, _recs(t.id, {2020: 100, 2024: 80}, Quality.DEMO), dt.date(2025, 1, 2))
    assert demo.basis is Basis.DEMO and demo.on_estimate
    official = assess(t, _recs(t.id, {2020: 100, 2024: 80}), dt.date(2025, 1, 2))
    assert official.basis is Basis.OFFICIAL and not official.on_estimate
    # a baseline that is an estimate makes the judgement an estimate
    mixed = _recs(t.id, {2020: 100}, Quality.ESTIMATE) + _recs(t.id, {2024: 80})
    assert assess(t, mixed, dt.date(2025, 1, 2)).on_estimate


def test_an_assumed_value_judges_nothing(plan: Plan) -> None:
    t = plan.target("coal-share-2025")
    a = assess(t, _recs(t.id, {2024: 29.5}, Quality.ASSUMED), dt.date(2025, 1, 2))
    assert a.status is Status.UNJUDGED and a.basis is None
    assert a.latest_value == 29.5


def test_a_goal_still_to_be_assigned_judges_nothing(plan: Plan) -> None:
    pending = [t for t in plan.targets if t.goal_pending]
    assert pending, "the plan has province-assigned targets"
    t = pending[0]
    a = assess(t, _recs(t.id, {2023: 1.0, 2024: 2.0}), dt.date(2025, 1, 2))
    assert a.status is Status.UNJUDGED


def test_comparisons_never_judge(plan: Plan) -> None:
    t = plan.target("coal-share-2025")
    comp = ProgressRecord(
        target_id=t.id, period_end=dt.date(2023, 12, 31), value=30.5, comparison=True
    )
    assert assess(t, [comp], dt.date(2024, 1, 2)).status is Status.NO_DATA


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_carbon_peak_thresholds(plan: Plan, p: float) -> None:
    t = plan.target("carbon-peak-2030")
    rule = load_status_rules().peak
    a = assess(t, _recs(t.id, {2024: p}, Quality.ESTIMATE), dt.date(2026, 1, 1))
    goal = t.goal or 0
    expected = (
        Status.ON_TRACK
        if p >= goal
        else Status.AT_RISK
        if p >= rule.at_risk_percent
        else Status.OFF_TRACK
    )
    assert a.status is expected
    assert a.on_estimate


def test_the_inventory_uncertainty_of_the_change_widens_the_tolerance(plan: Plan) -> None:
    t = plan.target("pollutant-total-nox")
    recs = _recs(t.id, {2020: 100, 2024: 94}, Quality.ESTIMATE)
    # −6 % is beyond the 2 % floor …
    assert assess(t, recs, dt.date(2025, 6, 1), source=ValueSource.INVENTORY).status is (
        Status.ON_TRACK
    )
    # … but inside a ±9.4 % 95 % interval of the change: not told apart from no change
    wide = [*recs[:-1], recs[-1].model_copy(update={"change_u95": 9.4})]
    a = assess(t, wide, dt.date(2025, 6, 1), source=ValueSource.INVENTORY)
    assert a.status is Status.AT_RISK
    assert "9.4" in a.reason and "uncertainty" in a.reason and "不确定性" in a.reason_zh
    # a change beyond it is a fall
    far = [*recs[:-1], recs[-1].model_copy(update={"value": 85.0, "change_u95": 9.4})]
    assert assess(t, far, dt.date(2025, 6, 1), source=ValueSource.INVENTORY).status is (
        Status.ON_TRACK
    )
