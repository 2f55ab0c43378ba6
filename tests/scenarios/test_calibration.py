"""Calibrated elasticities: the arc elasticity by hand, and the shipped drivers file's
electricity elasticity recomputed from the shipped statistics."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from xietong.accounting.indicators import Statistic, read_statistics
from xietong.datafiles import data_path
from xietong.scenarios.calibration import arc_elasticity, check_calibrations
from xietong.scenarios.scenario import Calibration, ScenarioError, load_drivers

CAL = Calibration("electricity_consumption", "gdp_real_index", 2017, 2019)


def _stats(q0: float, q1: float, d0: float, d1: float) -> list[Statistic]:
    return [
        Statistic(2017, "electricity_consumption", q0, "yi * kWh", "test", "demo"),
        Statistic(2019, "electricity_consumption", q1, "yi * kWh", "test", "demo"),
        Statistic(2017, "gdp_real_index", d0, "dimensionless", "test", "demo"),
        Statistic(2019, "gdp_real_index", d1, "dimensionless", "test", "demo"),
    ]


def test_arc_elasticity_worked_by_hand() -> None:
    """Electricity 100 → 121.550625 (= 100 × 1.1025²) while GDP 100 → 110.25 (+5 %/yr): e = ln
    1.1025² / ln 1.1025 = 2; electricity +10 %/yr (100 → 121): ln 1.1 / ln 1.05 = 1.9535;
    electricity flat: 0."""
    assert arc_elasticity(_stats(100, 121.550625, 100, 110.25), CAL) == pytest.approx(2.0)
    assert arc_elasticity(_stats(100, 121, 100, 110.25), CAL) == pytest.approx(1.953471, abs=1e-6)
    assert arc_elasticity(_stats(100, 100, 100, 110.25), CAL) == 0.0
    assert arc_elasticity(_stats(50, 60, 80, 90), CAL) == pytest.approx(
        math.log(60 / 50) / math.log(90 / 80)
    )


def test_a_missing_year_or_a_flat_driver_is_named() -> None:
    with pytest.raises(ScenarioError, match="no electricity_consumption for 2019"):
        arc_elasticity(_stats(100, 121, 100, 110.25)[::2], CAL)
    with pytest.raises(ScenarioError, match="the driver must change"):
        arc_elasticity(_stats(100, 121, 100, 100), CAL)


def test_the_shipped_electricity_elasticity_is_its_calibration() -> None:
    """drivers.yaml states 1.26 for electricity, calibrated on 全社会用电量 against the real GDP
    index over 2017–2024: recomputed from statistics.csv, ln(818.91 / 519.37) / ln(129.75 /
    90.46) = 1.2624."""
    stats = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    checks = check_calibrations(load_drivers(), stats)
    assert [c.match for c in checks] == ["activity=electricity"]
    (check,) = checks
    assert check.calibration == Calibration("electricity_consumption", "gdp_real_index", 2017, 2024)
    assert check.computed == pytest.approx(math.log(818.91 / 519.37) / math.log(129.75 / 90.46))
    assert check.holds and check.stated == 1.26


def test_a_stated_value_that_drifted_from_its_calibration_does_not_hold(tmp_path: Path) -> None:
    text = data_path("scenarios", "drivers.yaml").read_text(encoding="utf-8")
    drifted = tmp_path / "drivers.yaml"
    drifted.write_text(text.replace("elasticity: 1.26", "elasticity: 0.7"), encoding="utf-8")
    stats = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    (check,) = check_calibrations(load_drivers(drifted), stats)
    assert not check.holds
