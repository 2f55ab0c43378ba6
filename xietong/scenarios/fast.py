"""Vectorised projection for uncertainty and sensitivity runs.

Every method of the accounting engine is linear in the activity amount, so for the projected
years (all past the newest factor vintage) an emission is ``amount × c``, with ``c`` the
emission of one unit of the same activity row computed **by the engine** once per row
template. A run with other growth rates or lever strengths only changes amounts, which are
numpy arrays over the draws. The central run of :func:`simulate` reproduces
:func:`xietong.scenarios.projection.run_scenario` (tested); the landfill (first-order decay)
series is not needed by the indicators simulated here (CO2 and air pollutants).

Uncertain inputs (``Assumptions``): a shift added to every annual growth rate of each driver
and a strength per lever; :func:`monte_carlo` draws them (normal shifts, uniform strengths,
seeded) and :func:`sobol` passes a SALib Saltelli sample through the same function.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from xietong.accounting.activity import Activity
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import in_co2_energy
from xietong.accounting.methods import METHODS
from xietong.accounting.methods.base import Context
from xietong.scenarios.levers import (
    Key,
    Rows,
    apply_lever,
    driver_rule,
    energy_ratio_by,
    row_fields,
    row_key,
)
from xietong.scenarios.peak import PLATEAU_BAND
from xietong.scenarios.projection import PEAK_INDICATOR, ScenarioResult
from xietong.scenarios.scenario import Drivers, Scenario, matches

OUTPUTS = ("co2_energy", "NOx", "SO2", "VOCs", "PM2.5")


@dataclass(frozen=True)
class Assumptions:
    """Uncertain inputs of ``n`` runs: growth-rate shifts by driver and strengths by lever."""

    growth_shift: Mapping[str, np.ndarray]
    strength: Mapping[str, np.ndarray]

    @property
    def n(self) -> int:
        """Number of runs."""
        arrays = [*self.growth_shift.values(), *self.strength.values()]
        return len(arrays[0]) if arrays else 1


class LinearModel:
    """Unit emissions of every row template a scenario can produce, and the base rows."""

    def __init__(
        self,
        history: Sequence[Activity],
        drivers: Drivers,
        scenario: Scenario,
        library: FactorLibrary,
    ) -> None:
        self.drivers, self.scenario, self.library = drivers, scenario, library
        self.ctx = Context(library)
        self.base = [a for a in history if a.year == drivers.base_year]
        self.history = list(history)
        self._coef: dict[Key, dict[str, float]] = {}
        self.energy_ratio = energy_ratio_by(self.ctx)

    def coefficients(self, a: Activity) -> dict[str, float]:
        """t of each output per unit amount of a row like ``a`` (computed by the engine)."""
        k = row_key(a)
        if k not in self._coef:
            unit = replace(a, amount=1.0, year=self.drivers.base_year + 1)
            out: dict[str, float] = defaultdict(float)
            method = METHODS.get(unit.kind.method)
            emissions = method(unit, self.ctx) if method is not None else []
            for e in emissions:
                if in_co2_energy(unit, e):
                    out["co2_energy"] += e.tonnes
                if e.scope == "direct" and e.substance in OUTPUTS:
                    out[e.substance] += e.tonnes
            self._coef[k] = dict(out)
        return self._coef[k]


def simulate(
    model: LinearModel, assumptions: Assumptions, outputs: Sequence[str] = ("co2_energy",)
) -> dict[str, dict[int, np.ndarray]]:
    """Projected outputs (t) by year for each run: ``{output: {year: array over runs}}``
    (series methods — landfill decay, CH4 only — are not simulated)."""
    d = model.drivers
    n = assumptions.n
    result: dict[str, dict[int, np.ndarray]] = {o: {} for o in outputs}
    ef_levers = [lv for lv in model.scenario.levers if lv.kind == "emission_factor"]
    for year in range(d.base_year + 1, d.end_year + 1):
        rows: Rows = {}
        for a in model.base:
            growth = _growth(model, a, year, assumptions, n)
            k = row_key(a)
            amount = a.amount * growth
            rows[k] = (rows[k][0], rows[k][1] + amount) if k in rows else (a, amount)
        for lever in model.scenario.levers:
            strength = assumptions.strength.get(lever.id, np.full(n, lever.strength))
            rows = apply_lever(lever, rows, lever.progress(year) * strength, model.energy_ratio)
        for o in outputs:
            total = np.zeros(n)
            for a, amount in rows.values():
                c = model.coefficients(a).get(o, 0.0)
                if c == 0.0:
                    continue
                mult = np.ones(n)
                for lv in ef_levers:
                    hit = o in lv.substances or (o == "co2_energy" and "CO2" in lv.substances)
                    if hit and matches(row_fields(a), lv.match):
                        s = assumptions.strength.get(lv.id, np.full(n, lv.strength))
                        r = lv.progress(year) * s
                        mult = mult * (1 - r * (1 - lv.factor))
                total += amount * c * mult
            result[o][year] = total
    return result


def _growth(
    model: LinearModel, a: Activity, year: int, assumptions: Assumptions, n: int
) -> np.ndarray:
    d = model.drivers
    rule = driver_rule(d, a)
    if rule is None:
        return np.ones(n)
    shift = assumptions.growth_shift.get(rule.driver, np.zeros(n))
    level = np.ones(n)
    for y in range(d.base_year + 1, year + 1):
        level = level * (1 + d.rates[rule.driver].get(y, 0.0) + shift)
    return np.asarray(level**rule.elasticity)


def central(model: LinearModel) -> Assumptions:
    """The assumptions of the central run (no shift, the scenario's strengths)."""
    return Assumptions(
        {name: np.zeros(1) for name in model.drivers.rates},
        {lv.id: np.array([lv.strength]) for lv in model.scenario.levers},
    )


@dataclass(frozen=True)
class Fan:
    """Monte Carlo result of one output: percentiles by year and the probability of peaking."""

    output: str
    years: list[int]
    percentiles: Mapping[int, list[float]]
    p_peak_by: Mapping[int, float]
    draws: int
    seed: int


PERCENTILES = (5, 25, 50, 75, 95)


def monte_carlo(
    model: LinearModel,
    history_series: Mapping[int, float],
    *,
    draws: int = 1000,
    seed: int = 20230,
    growth_sd: Mapping[str, float] | None = None,
    strength_range: tuple[float, float] | None = None,
    output: str = "co2_energy",
    peak_years: Sequence[int] = (2025, 2030, 2035),
) -> Fan:
    """Seeded Monte Carlo over growth (normal shifts of each driver's annual rate with sd
    ``growth_sd``) and lever strengths (uniform in ``strength_range`` × planned strength);
    both default to the ``uncertainty`` section of the drivers file. Percentiles of
    ``output`` by year and P(peaked by each of ``peak_years``) with the rule of
    :mod:`xietong.scenarios.peak` applied to each run's whole series (history included)."""
    sd = model.drivers.growth_sd if growth_sd is None else growth_sd
    lo, hi = model.drivers.strength_range if strength_range is None else strength_range
    rng = np.random.default_rng(seed)
    shifts = {name: rng.normal(0.0, sd.get(name, 0.0), draws) for name in model.drivers.rates}
    strengths = {lv.id: rng.uniform(lo, hi, draws) * lv.strength for lv in model.scenario.levers}
    sim = simulate(model, Assumptions(shifts, strengths), (output,))[output]
    years = sorted(set(history_series) | set(sim))
    pct = {
        y: [float(v) for v in np.percentile(sim[y], PERCENTILES)]
        if y in sim
        else [history_series[y]] * len(PERCENTILES)
        for y in years
    }
    runs = np.array(
        [sim[y] if y in sim else np.full(draws, history_series[y]) for y in years], dtype=float
    )
    by = peaked_by(np.asarray(years), runs, peak_years)
    return Fan(output, years, pct, by, draws, seed)


def peak_fan(
    result: ScenarioResult,
    model: LinearModel,
    base_year: int,
    *,
    draws: int,
    seed: int,
    peak_years: Sequence[int] = (2025, 2030, 2035),
) -> Fan:
    """The Monte Carlo fan of a scenario's peak series (end-use energy CO2): its history up
    to ``base_year`` from the central run ``result``, the projection drawn by ``model``."""
    series = result.series(PEAK_INDICATOR)
    history = {y: v for y, v in series.items() if y <= base_year}
    return monte_carlo(model, history, draws=draws, seed=seed, peak_years=peak_years)


def peaked_by(
    years: np.ndarray, runs: np.ndarray, peak_years: Sequence[int], band: float = PLATEAU_BAND
) -> dict[int, float]:
    """Share of runs (columns of ``runs``, one row per year of ``years``) that have peaked by
    each of ``peak_years``: the rule of :func:`xietong.scenarios.peak.find_peak` applied to all
    runs at once (peak = the earliest highest value; peaked by Y = the peak year ≤ Y and the
    last value below the peak's plateau band)."""
    first_max = np.argmax(runs, axis=0)
    value = runs[first_max, np.arange(runs.shape[1])]
    peak_year = years[first_max]
    turned = (peak_year < years[-1]) & (runs[-1] < value - np.abs(value) * band)
    return {int(y): float(np.mean(turned & (peak_year <= y))) for y in peak_years}
