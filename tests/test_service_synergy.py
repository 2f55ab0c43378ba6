"""The platform's synergy service: the synergy_degree target fed from the inventory, and the
views the interfaces share (years left out, pairs without a reference)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import SYNERGY_ACTIVITY, TEST_FACTORS
from xietong.accounting.activity import read_activity_csv
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import read_statistics
from xietong.datafiles import data_path
from xietong.errors import NotFound
from xietong.service.platform import Platform
from xietong.service.synergy_views import SynergyData, coordinate_record

TARGET = "synergy-degree-2025"


def test_the_synergy_degree_target_gets_the_series(synergy_platform: Platform) -> None:
    p = synergy_platform
    p.import_rows(
        ["target_id", "period", "value", "reported_by"],
        [[TARGET, "2021", "0.5", "eeb"]],
        source="eeb.csv",
        actor="eeb",
        demo=False,
    )
    counts = p.update_targets_from_inventory("AR5")
    series = p.synergy()
    records = {r.period_end.year: r for r in p.records(TARGET)}
    assert set(records) == {int(y) for y in series["year"]} and 2020 in records
    # the synergy degree is the inventory's: a reported figure is a comparison beside it
    assert [(r.period_end.year, r.value) for r in p.comparisons(TARGET)] == [(2021, 0.5)]
    for year, d in zip(series["year"], series["d"], strict=True):
        r = records[int(year)]
        assert r.reported_by == "inventory" and r.value == pytest.approx(float(d))
        assert r.period_end == dt.date(int(year), 12, 31) and not r.demo
        assert "synergy degree D scored against fixed references" in (r.evidence or "")
        assert "GWP AR5" in (r.evidence or "") and "indicator synergy_degree" in (r.evidence or "")
    # a year that lacks an indicator of the system judges only as an estimate
    partial = {int(y) for y, c in zip(series["year"], series["complete"], strict=True) if not c}
    assert partial and all(records[y].quality.value in ("estimate", "demo") for y in partial)
    # a second run replaces its own records instead of adding to them
    again = p.update_targets_from_inventory("AR5")
    assert again["records"] == counts["records"]
    assert len(p.records(TARGET)) == len(series)
    assessment = p.assessments()[TARGET]
    assert assessment.latest_value == pytest.approx(float(series["d"].iloc[-1]))


def test_no_reference_year_feeds_the_other_targets_only(scenario_platform: Platform) -> None:
    p = scenario_platform
    with pytest.raises(NotFound, match="reference year 2020"):
        p.synergy()
    p.update_targets_from_inventory()
    assert [r for r in p.records(TARGET) if r.reported_by == "inventory"] == []
    assert [r for r in p.records("co2-intensity-2025") if r.reported_by == "inventory"]


def test_measures_need_no_activity_data(platform: Platform) -> None:
    """Without activity data the measures still compute (shipped factors), unplaced."""
    report = platform.synergy_measures()
    assert report.city_totals is None and report.city_year is None
    assert report.gwp == "AR5" and len(report.effects) >= 8
    assert all(e.coordinates is None for e in report.effects)
    with pytest.raises(NotFound, match="xietong inventory import"):
        platform.synergy()


def _data(stats_rows: list[str], tmp_path: Path) -> SynergyData:
    path = tmp_path / "stats.csv"
    path.write_text("year,indicator,value,unit,source,quality\n" + "\n".join(stats_rows) + "\n")
    return SynergyData.from_files(
        read_activity_csv(SYNERGY_ACTIVITY), path, FactorLibrary.load(TEST_FACTORS)
    )


def test_a_year_without_gdp_lists_what_it_lacks(tmp_path: Path) -> None:
    """Without the 2021 real-GDP index, 2021 has no CO2 intensity: the year is scored on the
    rest and says so; without the 2020 index the intensity has no reference and is missing in
    every year."""
    wuhan = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    rows = [
        f"{s.year},{s.indicator},{s.value},{s.unit},x,{s.quality}"
        for s in wuhan
        if not (s.year == 2021 and s.indicator == "gdp_real_index")
    ]
    series = _data(rows, tmp_path).series().set_index("year")
    assert "co2_intensity_gdp" in series.loc[2021, "missing"]
    assert "co2_intensity_gdp" not in series.loc[2022, "missing"]
    no_ref = [r for r in rows if not r.startswith("2020,gdp_real_index")]
    without = _data(no_ref, tmp_path).series()
    assert all("co2_intensity_gdp" in m for m in without["missing"])


def test_a_pair_without_a_reference_has_no_quadrant() -> None:
    rec = coordinate_record("CO2e", "NH3", (2020, 2022), (100.0, 90.0), (0.0, 5.0), "AR5")
    assert rec["quadrant"] is None and rec["elasticity"] is None
    assert "no NH3 emission in 2020" in rec["note"]
    flat = coordinate_record("CO2", "SO2", (2020, 2022), (100.0, 100.0), (10.0, 8.0), None)
    assert flat["quadrant"] == "pollution_axis" and flat["elasticity"] is None
    assert "undefined" in flat["note"]
