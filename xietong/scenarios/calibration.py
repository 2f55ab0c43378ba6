"""Elasticities of the drivers file calibrated on the city's history.

An activity follows its driver as ``amount_y = amount_base × (driver_y / driver_base) ^ e``
(:mod:`xietong.scenarios.projection`). Calibrated on two years of the statistics, ``e`` is
the arc (log-ratio) elasticity

    e = ln(Q_end / Q_start) / ln(D_end / D_start)

of a published quantity ``Q`` (e.g. 全社会用电量, ``electricity_consumption``) against the
driver's statistic ``D`` (e.g. the real GDP index ``gdp_real_index``): the constant elasticity
that carries ``Q`` from the first year to the last along the driver's path. The drivers file
states the value it uses and the calibration it comes from
(``calibrated: {statistic, against, from, to}``); :func:`check_calibrations` recomputes each
from the statistics, so the stated value cannot drift from the data
(``docs/methods/scenarios.md``, "Drivers").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from xietong.accounting.indicators import Statistic
from xietong.scenarios.scenario import Calibration, Drivers, ScenarioError

TOLERANCE = 0.005
"""The largest difference between a stated elasticity and its recomputed value (the file
rounds to two decimals)."""


def arc_elasticity(
    statistics: Sequence[Statistic], calibration: Calibration, district: str = "city"
) -> float:
    """The arc elasticity (dimensionless) of ``calibration.statistic`` against
    ``calibration.against`` between its two years; ScenarioError names a missing value or a
    driver that did not change."""

    def value(indicator: str, year: int) -> float:
        found = [
            s.value
            for s in statistics
            if s.indicator == indicator and s.year == year and s.district == district
        ]
        if not found:
            raise ScenarioError(f"calibration: the statistics have no {indicator} for {year}")
        return float(found[0])

    q0, q1 = (
        value(calibration.statistic, calibration.start),
        value(calibration.statistic, calibration.end),
    )
    d0, d1 = (
        value(calibration.against, calibration.start),
        value(calibration.against, calibration.end),
    )
    if min(q0, q1, d0, d1) <= 0 or d0 == d1:
        raise ScenarioError(
            f"calibration of {calibration.statistic} on {calibration.against} "
            f"{calibration.start}–{calibration.end}: values must be positive and the driver "
            "must change"
        )
    return math.log(q1 / q0) / math.log(d1 / d0)


@dataclass(frozen=True)
class CalibrationCheck:
    """A calibrated rule of the drivers file: its stated and recomputed elasticity."""

    match: str
    calibration: Calibration
    stated: float
    computed: float

    @property
    def holds(self) -> bool:
        """Whether the stated value is the recomputed one (within :data:`TOLERANCE`)."""
        return abs(self.stated - self.computed) <= TOLERANCE


def check_calibrations(drivers: Drivers, statistics: Sequence[Statistic]) -> list[CalibrationCheck]:
    """Every calibrated rule of ``drivers`` with its elasticity recomputed from
    ``statistics``."""
    out = []
    for rule in drivers.rules:
        if rule.calibrated is None:
            continue
        match = ", ".join(f"{k}={'/'.join(v)}" for k, v in rule.match.items())
        out.append(
            CalibrationCheck(
                match, rule.calibrated, rule.elasticity, arc_elasticity(statistics, rule.calibrated)
            )
        )
    return out
