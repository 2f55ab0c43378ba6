"""考核 through the service, on SQLite and PostgreSQL: the scores come from the targets' status
and the task reports the platform holds, by the scheme."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.service.test_ledger import REVIEWER, TRANSPORT, _task_with_target_and_milestone
from xietong.plan.assessment import load_scheme
from xietong.plan.reporting import FigureEntry
from xietong.service.platform import Platform


def test_the_scores_follow_the_reports_and_the_statuses(platform: Platform) -> None:
    """Transport owes N reports in 2025; it submits one on time (due 2027-01-31), is returned
    once, resubmits with evidence and is accepted: on time 1/N of 20 points, evidence 0.5/N of
    20; its targets score the mean of their status points on 31 December 2025."""
    p = platform
    p.open_period(2025, due=dt.date(2027, 1, 31), actor="cli")
    task_id, target_id, _ = _task_with_target_and_milestone(p)
    target = p.plan().target(target_id)
    value = 55.0 if target.unit == "percent" else 1.0
    figures = [FigureEntry(target_id=target_id, value=value, evidence="交通局年报")]
    p.save_task_report(
        "2025", task_id, "body", "transport", figures=figures, submit=True, actor=TRANSPORT
    )
    p.review_task_report(
        "2025", task_id, "body", "transport", accept=False, comment="请补充", actor=REVIEWER
    )
    p.save_task_report(
        "2025", task_id, "body", "transport", figures=figures, submit=True, actor=TRANSPORT
    )
    p.review_task_report("2025", task_id, "body", "transport", accept=True, actor=REVIEWER)

    ranking = p.assessment(2025, actor=REVIEWER)
    (transport,) = [s for s in ranking.scores if (s.kind, s.code) == ("body", "transport")]
    owed = len(transport.reports)
    assert owed == len(p.tasks_for(TRANSPORT)) and owed >= 2
    scheme = load_scheme()
    city = p.assessments(dt.date(2025, 12, 31))
    mine = [t for t in p.plan().targets if "transport" in p.plan().responsible_bodies(t)]
    judged = [city[t.id] for t in mine if city[t.id].status.value != "unjudged"]
    target_fraction = sum(scheme.status_points[a.status] for a in judged) / len(judged)
    by_id = {c.criterion.id: c for c in transport.criteria}
    assert by_id["targets"].fraction == pytest.approx(target_fraction)
    assert by_id["timeliness"].fraction == pytest.approx(1 / owed)
    assert by_id["evidence"].fraction == pytest.approx(0.5 / owed)
    expected = sum(c.weight * c.fraction for c in transport.criteria if c.fraction is not None)
    assert transport.total == pytest.approx(expected)
    assert sum(c.weight for c in transport.criteria) == pytest.approx(100)
    # ranked among the bodies; a body that reported nothing owes as many and scores less on time
    bodies = ranking.of("body")
    assert [s.rank for s in bodies if s.judged] == sorted(s.rank for s in bodies if s.judged)
    # a year with no period open: nothing owed, the report criteria are left out
    earlier = p.assessment(2024, actor=REVIEWER)
    (t24,) = [s for s in earlier.scores if (s.kind, s.code) == ("body", "transport")]
    assert t24.reports == () and {c.criterion.id for c in t24.criteria if c.fraction is None} >= {
        "timeliness",
        "evidence",
    }
    assert transport.change == pytest.approx(transport.total - t24.total)


def test_only_the_bureau_sees_the_scores(platform: Platform) -> None:
    from xietong.errors import Forbidden

    with pytest.raises(Forbidden):
        platform.assessment(2025, actor=TRANSPORT)


NEW_SCHEME = """version: 2
edition: "2027-01-15"
title: {zh: 考核方案（第二版）, en: Assessment scheme, second edition}
status_points: {achieved: 1, on_track: 1, at_risk: 0.5, off_track: 0, missed: 0, no_data: 0}
ghg_indicators: [co2_intensity_gdp]
criteria:
  - {id: targets, zh: 目标完成情况, en: Targets, weight: 70, rule: target_status}
  - {id: timeliness, zh: 按时报送, en: On time, weight: 30, rule: on_time}
"""


def test_the_bureau_saves_a_new_edition_which_is_versioned_and_audited(
    platform: Platform,
) -> None:
    """The shipped scheme (version 1) is in force until the bureau saves version 2; the scores
    then follow version 2 and say so, version 1 still computes on request; a lower version, a
    malformed file or a body's upload is refused with nothing saved."""
    from xietong.errors import Forbidden, NotFound
    from xietong.plan.assessment import SchemeError

    p = platform
    assert p.assessment_scheme().version == 1
    with pytest.raises(Forbidden):
        p.set_assessment_scheme(NEW_SCHEME, actor=TRANSPORT)
    with pytest.raises(SchemeError, match="key 'rule'"):
        p.set_assessment_scheme(NEW_SCHEME.replace("on_time}", "luck}"), actor=REVIEWER)
    with pytest.raises(SchemeError, match="higher version"):
        p.set_assessment_scheme(NEW_SCHEME.replace("version: 2", "version: 1"), actor=REVIEWER)
    assert [r["version"] for r in p.assessment_schemes()] == [1]
    saved = p.set_assessment_scheme(NEW_SCHEME, actor=REVIEWER)
    assert saved.version == 2 and p.assessment_scheme().version == 2
    assert [(r["version"], r["shipped"]) for r in p.assessment_schemes()] == [
        (2, False),
        (1, True),
    ]
    now = p.assessment(2024, actor=REVIEWER)
    assert now.scheme.version == 2
    assert {c.criterion.id for c in now.scores[0].criteria} == {"targets", "timeliness"}
    assert p.assessment(2024, actor=REVIEWER, version=1).scheme.version == 1
    with pytest.raises(NotFound):
        p.assessment_scheme(7)
    (entry,) = p.history(["assessment-scheme"])
    assert entry["action"] == "assessment.scheme"
    assert (entry["detail"]["from"], entry["detail"]["to"]) == (1, 2)
    assert entry["detail"]["weights"] == {"targets": 70.0, "timeliness": 30.0}
