"""Roll-ups of target statuses by measure, by responsible body and by district."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xietong.plan.models import Plan
from xietong.plan.progress import Assessment, ProgressRecord, Status, assess_all
from xietong.plan.rollup import RollUp, by_body, by_district, by_measure, district_targets

AS_OF = dt.date(2026, 6, 30)  # after every deadline of the small plan


def _text(s: str) -> dict[str, str]:
    return {"zh": s, "en": s}


def _target(
    tid: str, measure: int | None, lead: str | None = None, **where: object
) -> dict[str, object]:
    return {
        **where,
        "id": tid,
        "measure": measure,
        "lead": lead,
        "indicator": _text(tid),
        "indicator_id": tid.replace("-", "_"),
        "unit": "percent",
        "direction": ">=",
        "value": 10,
        "deadline": "2025-12-31",
        "source_sentence": f"sentence of {tid}",
    }


# Who answers for what (responsible_bodies = target lead, then measure lead, then cooperating):
#   t1 (measure 1)            → a, b
#   t2 (measure 1)            → a, b
#   t3 (measure 2)            → b
#   t4 (no measure, lead c)   → c
#   t5 (measure 1, lead c)    → c, a, b
# Measures 1 and 3 are carried out by every district; measure 2 is not. Where targets apply:
# t1, t2 every district; t5 a site in d1 (judged on the site's city-wide figures); t3, t4 the city.
SMALL = Plan.model_validate(
    {
        "id": "small-2025",
        "city": _text("小城"),
        "title": _text("方案"),
        "document_number": "1号",
        "issued": "2025-01-01",
        "bodies": [{"code": c, "name": _text(c), "short_en": c.upper()} for c in "abc"],
        "districts": [
            {"code": "d1", "name": _text("一区"), "kind": "district"},
            {"code": "d2", "name": _text("二区"), "kind": "district"},
        ],
        "chapters": [{"number": 1, "title": _text("章")}],
        "measures": [
            {
                "number": 1,
                "chapter": 1,
                "title": _text("m1"),
                "actions": [_text("x")],
                "lead": "a",
                "cooperating": ["b"],
            },
            {
                "number": 2,
                "chapter": 1,
                "title": _text("m2"),
                "actions": [_text("y")],
                "lead": "b",
                "districts_implement": False,
            },
            {"number": 3, "chapter": 1, "title": _text("m3"), "actions": [_text("z")], "lead": "c"},
        ],
        "targets": [
            _target("t1", 1, applies="every_district"),
            _target("t2", 1, applies="every_district"),
            _target("t3", 2),
            _target("t4", None, "c"),
            _target("t5", 1, "c", applies="districts", districts=["d1"]),
        ],
    }
)

STATUSES = {
    "t1": Status.ACHIEVED,
    "t2": Status.OFF_TRACK,
    "t3": Status.NO_DATA,
    "t4": Status.MISSED,
    "t5": Status.ON_TRACK,
}


def _assessments(statuses: dict[str, Status]) -> dict[str, Assessment]:
    return {t: Assessment(target_id=t, status=s, reason="given") for t, s in statuses.items()}


def _by_key(rollups: list[RollUp]) -> dict[str, RollUp]:
    return {r.key: r for r in rollups}


def _nonzero(r: RollUp) -> dict[Status, int]:
    return {s: n for s, n in r.counts.items() if n}


def test_small_plan_responsibilities() -> None:
    assert [SMALL.responsible_bodies(t) for t in SMALL.targets] == [
        ["a", "b"],
        ["a", "b"],
        ["b"],
        ["c"],
        ["c", "a", "b"],
    ]


# -- by measure -------------------------------------------------------------------------------


def test_by_measure() -> None:
    rollups = by_measure(SMALL, _assessments(STATUSES))
    assert [r.key for r in rollups] == ["1", "2", "3"]
    m1, m2, m3 = rollups
    # measure 1: t1 achieved, t2 off track, t5 on track → 3 targets; worst off track;
    # good = achieved + on track = 2 of 3 with data
    assert m1.targets == 3
    assert _nonzero(m1) == {Status.ACHIEVED: 1, Status.OFF_TRACK: 1, Status.ON_TRACK: 1}
    assert m1.worst is Status.OFF_TRACK
    assert m1.share_good == pytest.approx(2 / 3)
    # measure 2: t3 has no data → no worst and no share
    assert m2.targets == 1
    assert _nonzero(m2) == {Status.NO_DATA: 1}
    assert m2.worst is None
    assert m2.share_good is None
    # measure 3 has no targets at all
    assert m3.targets == 0
    assert _nonzero(m3) == {}
    assert m3.worst is None
    assert m3.share_good is None


def test_overall_goals_are_in_no_measure_roll_up() -> None:
    # t4 belongs to no measure: 5 targets, but the measure roll-ups count 3 + 1 + 0 = 4
    rollups = by_measure(SMALL, _assessments(STATUSES))
    assert sum(r.targets for r in rollups) == 4


def test_counts_list_every_status() -> None:
    for r in by_measure(SMALL, _assessments(STATUSES)):
        assert set(r.counts) == set(Status)
        assert sum(r.counts.values()) == r.targets


# -- by body ----------------------------------------------------------------------------------


def test_by_body() -> None:
    rollups = _by_key(by_body(SMALL, _assessments(STATUSES)))
    assert list(rollups) == ["a", "b", "c"]
    a, b, c = rollups["a"], rollups["b"], rollups["c"]
    # a answers for t1 (achieved), t2 (off track), t5 (on track): worst off track, 2 of 3 good
    assert (a.targets, a.worst, a.share_good) == (3, Status.OFF_TRACK, pytest.approx(2 / 3))
    # b answers for t1, t2, t3 (no data), t5: 4 targets, 3 with data, 2 good → 2/3
    assert b.targets == 4
    assert _nonzero(b) == {
        Status.ACHIEVED: 1,
        Status.OFF_TRACK: 1,
        Status.NO_DATA: 1,
        Status.ON_TRACK: 1,
    }
    assert (b.worst, b.share_good) == (Status.OFF_TRACK, pytest.approx(2 / 3))
    # c answers for t4 (missed) and t5 (on track): worst missed, 1 of 2 good
    assert (c.targets, c.worst, c.share_good) == (2, Status.MISSED, 0.5)


def test_a_target_counts_for_every_body_answerable_for_it() -> None:
    # 5 targets, but t1, t2 count twice and t5 three times: 2 + 2 + 1 + 1 + 3 = 9
    assert sum(r.targets for r in by_body(SMALL, _assessments(STATUSES))) == 9


# -- by district ------------------------------------------------------------------------------


def test_district_targets_are_those_that_apply_to_the_district() -> None:
    # every-district targets everywhere; the site target t5 only in its host district d1
    assert district_targets(SMALL) == ["t1", "t2"]
    assert district_targets(SMALL, "d1") == ["t1", "t2", "t5"]
    assert district_targets(SMALL, "d2") == ["t1", "t2"]


def _r(tid: str, value: float, district: str | None, year: int = 2025) -> ProgressRecord:
    return ProgressRecord(
        target_id=tid, period_end=dt.date(year, 12, 31), value=value, district=district
    )


def test_by_district() -> None:
    records = [
        _r("t1", 12, "d1"),  # d1: 12 ≥ 10 → achieved
        _r("t2", 5, "d1"),  # d1: 5 < 10 after the deadline → missed
        _r("t3", 99, "d1"),  # a city target: no district answers for it
        _r("t1", 8, "d2"),  # d2: missed
        _r("t1", 50, None),
        _r("t2", 50, None),
        _r("t5", 50, None),  # the site's figure: judges its host district d1
    ]
    rollups = _by_key(by_district(SMALL, records, AS_OF))
    d1, d2 = rollups["d1"], rollups["d2"]
    # d1: t1 achieved, t2 missed, t5 (its site) achieved → worst missed; good 2 of 3
    assert d1.targets == 3 and d1.with_data == 3
    assert _nonzero(d1) == {Status.ACHIEVED: 2, Status.MISSED: 1}
    assert (d1.worst, d1.share_good) == (Status.MISSED, pytest.approx(2 / 3))
    # d2: t1 missed, t2 no data; t5 is not d2's → 1 of 2 applicable targets with data
    assert d2.targets == 2 and d2.with_data == 1
    assert _nonzero(d2) == {Status.MISSED: 1, Status.NO_DATA: 1}
    assert (d2.worst, d2.share_good) == (Status.MISSED, 0.0)


def test_by_district_without_records_is_all_no_data() -> None:
    for r in by_district(SMALL, [], AS_OF):
        assert _nonzero(r) == {Status.NO_DATA: len(district_targets(SMALL, r.key))}
        assert r.worst is None and r.share_good is None


def test_by_district_judges_on_the_given_day() -> None:
    # d1 reports t1 at 6 in 2024: before the deadline a single point is at risk, after it missed
    records = [_r("t1", 6, "d1", 2024)]
    before = _by_key(by_district(SMALL, records, dt.date(2025, 3, 1)))["d1"]
    after = _by_key(by_district(SMALL, records, AS_OF))["d1"]
    assert before.worst is Status.AT_RISK
    assert after.worst is Status.MISSED


# -- RollUp itself ----------------------------------------------------------------------------


def _rollup(counts: dict[Status, int]) -> RollUp:
    full = {s: counts.get(s, 0) for s in Status}
    return RollUp(key="k", targets=sum(full.values()), counts=full)


@pytest.mark.parametrize(
    ("counts", "worst", "share"),
    [
        ({Status.ACHIEVED: 3}, Status.ACHIEVED, 1.0),
        ({Status.ACHIEVED: 1, Status.AT_RISK: 1}, Status.AT_RISK, 0.5),
        ({Status.ON_TRACK: 2, Status.MISSED: 1, Status.NO_DATA: 5}, Status.MISSED, 2 / 3),
        ({Status.OFF_TRACK: 1, Status.AT_RISK: 3}, Status.OFF_TRACK, 0.0),
        ({Status.NO_DATA: 4}, None, None),
        ({}, None, None),
    ],
)
def test_worst_and_share_good(
    counts: dict[Status, int], worst: Status | None, share: float | None
) -> None:
    r = _rollup(counts)
    assert r.worst is worst
    assert r.share_good == (pytest.approx(share) if share is not None else None)


# -- properties -------------------------------------------------------------------------------

statuses = st.sampled_from(list(Status))


@settings(max_examples=200, deadline=None, database=None)
@given(drawn=st.fixed_dictionaries({t.id: statuses for t in SMALL.targets}))
def test_property_roll_ups_agree_with_their_targets(drawn: dict[str, Status]) -> None:
    assessments = _assessments(drawn)
    groups = {
        **{f"m{r.key}": r for r in by_measure(SMALL, assessments)},
        **{f"b{r.key}": r for r in by_body(SMALL, assessments)},
    }
    members = {
        **{
            f"m{m.number}": [t.id for t in SMALL.targets_of_measure(m.number)]
            for m in SMALL.measures
        },
        **{
            f"b{b.code}": [t.id for t in SMALL.targets if b.code in SMALL.responsible_bodies(t)]
            for b in SMALL.bodies
        },
    }
    for key, r in groups.items():
        mine = [drawn[t] for t in members[key]]
        assert r.targets == len(mine) == sum(r.counts.values())
        assert {s: n for s, n in r.counts.items() if n} == dict(Counter(mine))
        with_data = [s for s in mine if s not in (Status.NO_DATA, Status.UNJUDGED)]
        assert r.worst == (max(with_data, key=lambda s: s.rank) if with_data else None)
        good = sum(s in (Status.ACHIEVED, Status.ON_TRACK) for s in with_data)
        assert r.share_good == (good / len(with_data) if with_data else None)


# -- the Wuhan plan ---------------------------------------------------------------------------


def test_wuhan_roll_ups_count_every_target(plan: Plan) -> None:
    records = [
        ProgressRecord(target_id="coal-share-2025", period_end=dt.date(2024, 12, 31), value=29.9),
        ProgressRecord(target_id="natural-gas-2025", period_end=dt.date(2024, 12, 31), value=30.0),
    ]
    assessments = assess_all(plan.targets, records, dt.date(2026, 1, 1))
    measures = by_measure(plan, assessments)
    assert len(measures) == 26
    with_measure = [t for t in plan.targets if t.measure is not None]
    assert sum(r.targets for r in measures) == len(with_measure)
    m4 = _by_key(measures)["4"]  # coal share achieved (29.9 ≤ 30), gas missed (30 < 40)
    assert m4.targets == len(plan.targets_of_measure(4))
    assert _nonzero(m4) == {
        Status.ACHIEVED: 1,
        Status.MISSED: 1,
        Status.NO_DATA: len(plan.targets_of_measure(4)) - 2,
    }
    assert (m4.worst, m4.share_good) == (Status.MISSED, 0.5)
    for r in by_body(plan, assessments):
        expected = sum(r.key in plan.responsible_bodies(t) for t in plan.targets)
        assert r.targets == expected == sum(r.counts.values())
    districts = by_district(plan, records, dt.date(2026, 1, 1))
    assert len(districts) == 17
    for r in districts:
        applicable = plan.targets_of_district(r.key)
        assert r.targets == len(applicable) == r.counts[Status.NO_DATA]
    # a site target counts only in its host district
    sludge = plan.target("sludge-capacity-600")
    assert [r.key for r in districts if sludge in plan.targets_of_district(r.key)] == (
        sludge.districts
    )


def test_worst_and_share_good_are_serialised() -> None:
    r = _rollup({Status.ACHIEVED: 1, Status.MISSED: 1, Status.NO_DATA: 2})
    dumped = r.model_dump(mode="json")
    # worst of achieved and missed is missed; good 1 of 2 with data
    assert dumped["worst"] == "missed"
    assert dumped["share_good"] == 0.5
    assert dumped["targets"] == 4
