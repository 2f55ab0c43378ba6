"""A submitted report recomputes only what judges on it: the values that depend on the activity
data alone (indicators with their uncertainty, carbon-peak values) are computed once per stored
dataset and reused, and the stored values equal a full recomputation."""

from __future__ import annotations

import pytest

from xietong.plan.models import ValueSource
from xietong.service.platform import Platform

HEADER = ["target_id", "period", "value", "unit"]


def _derived(p: Platform) -> list[tuple[object, ...]]:
    return sorted(
        (r.target_id, r.district or "", r.period_end, round(r.value, 9), r.change_u95)
        for r in p.records()
        if r.source_kind is not ValueSource.REPORTED
    )


def test_reports_reuse_what_does_not_depend_on_them(
    scenario_platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = scenario_platform
    calls = {"peaks": 0}
    real = p._peak_values

    def counted(acts):  # type: ignore[no-untyped-def]
        calls["peaks"] += 1
        return real(acts)

    monkeypatch.setattr(p, "_peak_values", counted)
    for value in (40.0, 45.0, 50.0):
        p.import_rows(
            HEADER, [["new-energy-bus-share", 2024, value, "percent"]], source="r.csv", actor="cli"
        )
    assert calls["peaks"] == 1  # once for the dataset, not once per report
    after_reports = _derived(p)
    p.update_targets_from_inventory()  # a full recomputation, nothing reused
    assert calls["peaks"] == 2
    assert _derived(p) == after_reports
    assert after_reports  # there are derived values to compare
