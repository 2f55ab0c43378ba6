"""考核 scores worked by hand, and the scheme file's errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from xietong.plan.assessment import (
    ReportItem,
    SchemeError,
    UnitInput,
    load_scheme,
    score_all,
    score_unit,
)
from xietong.plan.progress import Assessment, Quality, Status

SCHEME = load_scheme()
DUE = dt.date(2025, 1, 31)


def _a(tid: str, status: Status, quality: Quality | None = Quality.REPORTED) -> Assessment:
    return Assessment(target_id=tid, status=status, reason="test", quality=quality)


def _r(
    submitted: dt.date | None, accepted: bool, first: bool, evidence: bool, task: str = "t"
) -> ReportItem:
    return ReportItem("2024", task, DUE, submitted, accepted, first, evidence)


DISTRICT = UnitInput(
    "district",
    "a",
    targets=[
        ("t1", "co2_intensity_gdp", _a("t1", Status.ACHIEVED, Quality.STATISTIC)),
        ("t2", "pm25_annual_mean", _a("t2", Status.AT_RISK, Quality.ESTIMATE)),
        ("t3", "nox_emissions_total", _a("t3", Status.OFF_TRACK)),
        ("t4", "synergy_degree", _a("t4", Status.UNJUDGED, None)),
    ],
    reports=[
        _r(DUE, True, True, True, "r1"),  # on the due date, first time, evidence: 1 and 1
        _r(DUE + dt.timedelta(days=3), True, False, True, "r2"),  # late, returned once: 0, 0.5
        _r(None, False, False, False, "r3"),  # never submitted: 0, 0
        _r(DUE - dt.timedelta(days=9), True, True, False, "r4"),  # on time, no evidence: 1, 0.5
    ],
)


def test_the_shipped_scheme_holds_100_points() -> None:
    assert SCHEME.total == 100
    assert [c.id for c in SCHEME.criteria] == ["targets", "ghg", "timeliness", "evidence"]
    assert SCHEME.version == 1


def test_a_district_worked_by_hand() -> None:
    """Targets (40): (1 + 0.5 + 0) / 3 = 0.5 → 20 (the unjudged one does not count); GHG (20):
    only t1 (co2_intensity_gdp) → 1 → 20; on time (20): 2 of 4 → 10; evidence (20): (1 + 0.5 +
    0 + 0.5) / 4 = 0.5 → 10; total 60, marked as resting on an estimate (t2)."""
    s = score_unit(DISTRICT, 2024, SCHEME)
    by_id = {c.criterion.id: c for c in s.criteria}
    assert by_id["targets"].fraction == pytest.approx(0.5) and by_id["targets"].points == 20
    assert by_id["targets"].counted == 3
    assert by_id["ghg"].fraction == 1.0 and by_id["ghg"].points == 20
    assert by_id["timeliness"].points == pytest.approx(10)
    assert by_id["evidence"].points == pytest.approx(10)
    assert s.total == pytest.approx(60)
    assert s.estimated and [t.target_id for t in s.targets if t.estimated] == ["t2"]


def test_a_criterion_with_nothing_to_judge_is_left_out_and_the_rest_rescaled() -> None:
    """Body b: one target achieved, no GHG target, no report owed: only 'targets' (40) is
    judged, its weight scaled to 100 → 100. Body c: one target off track, one report on time
    and accepted first with evidence: 40 + 20 + 20 = 80 judged, × 1.25 → 0 + 25 + 25 = 50."""
    b = score_unit(
        UnitInput("body", "b", targets=[("x", "nox_emissions_total", _a("x", Status.ACHIEVED))]),
        2024,
        SCHEME,
    )
    assert b.total == pytest.approx(100)
    assert {c.criterion.id: c.fraction for c in b.criteria}["ghg"] is None
    c = score_unit(
        UnitInput(
            "body",
            "c",
            targets=[("y", "nox_emissions_total", _a("y", Status.OFF_TRACK))],
            reports=[_r(DUE, True, True, True)],
        ),
        2024,
        SCHEME,
    )
    weights = {s.criterion.id: s.weight for s in c.criteria}
    assert weights == {"targets": 50, "ghg": 0, "timeliness": 25, "evidence": 25}
    assert c.total == pytest.approx(50)


def test_ranking_ties_and_change_on_the_previous_year() -> None:
    units = [
        UnitInput("body", "b", targets=[("x", "nox_emissions_total", _a("x", Status.ACHIEVED))]),
        UnitInput("body", "d", targets=[("x", "nox_emissions_total", _a("x", Status.AT_RISK))]),
        UnitInput("body", "c", targets=[("x", "nox_emissions_total", _a("x", Status.AT_RISK))]),
        UnitInput("body", "e", targets=[("x", "nox_emissions_total", _a("x", Status.MISSED))]),
        DISTRICT,
    ]
    ranked = score_all(units, 2024, SCHEME, previous={("body", "b"): 90.0})
    bodies = [(s.code, s.rank, s.total) for s in ranked if s.kind == "body"]
    assert bodies == [("b", 1, 100), ("c", 2, 50), ("d", 2, 50), ("e", 4, 0)]
    assert next(s for s in ranked if s.code == "b").change == pytest.approx(10)
    assert next(s for s in ranked if s.code == "c").change is None
    assert [s.rank for s in ranked if s.kind == "district"] == [1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\nstatus_points: {}\n", "key 'criteria' is missing"),
        (
            "version: 1\nstatus_points: {}\ncriteria:\n  - {id: a, weight: 10, rule: luck}\n",
            "key 'rule': 'luck' is not one of",
        ),
        (
            "version: 1\nstatus_points: {}\ncriteria:\n  - {id: a, weight: -1, rule: on_time}\n",
            "must be positive",
        ),
        (
            "version: 1\nstatus_points: {great: 1}\n"
            "criteria:\n  - {id: a, weight: 1, rule: on_time}\n",
            "key 'status_points.great'",
        ),
        ("version: [1\n", "not valid YAML"),
    ],
)
def test_a_bad_scheme_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "scheme.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(SchemeError, match=message):
        load_scheme(f)


def test_a_unit_with_nothing_to_judge_has_no_score_and_no_rank() -> None:
    ranked = score_all(
        [
            UnitInput("district", "empty"),
            UnitInput(
                "district", "z", targets=[("x", "nox_emissions_total", _a("x", Status.MISSED))]
            ),
        ],
        2024,
        SCHEME,
        previous={("district", "empty"): 50.0},
    )
    assert [(s.code, s.rank, s.judged) for s in ranked] == [("z", 1, True), ("empty", 0, False)]
    assert ranked[1].change is None
