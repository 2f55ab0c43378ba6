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

Arrays: the driver levels of all runs and years are one ``(runs × years × drivers)`` array
(:func:`driver_levels`, a cumulative product); the base rows are summed by row key (group sums)
before growth; every row's amounts are ``(runs × years)`` arrays (in blocks of :data:`CHUNK`
runs, which bounds the memory), so each lever is applied once for all years and runs, and peaks
are found for all runs at once (:func:`peaked_by`); no dense matrix is multiplied. The array
work runs under a BLAS thread limit (``XIETONG_BLAS_THREADS``, default 1: the web server runs
requests side by side, one BLAS thread each).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from threadpoolctl import threadpool_limits

from xietong.accounting.activity import Activity
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.grid import grid_year
from xietong.accounting.indicators import generation_of, in_co2_energy, in_co2_official
from xietong.accounting.methods import METHODS
from xietong.accounting.methods.base import Context
from xietong.errors import XietongError
from xietong.scenarios.levers import (
    Key,
    Rows,
    apply_lever,
    driver_rule,
    energy_ratio_by,
    group_rows,
    row_fields,
    row_key,
)
from xietong.scenarios.peak import PLATEAU_BAND
from xietong.scenarios.projection import PEAK_INDICATOR, ScenarioResult
from xietong.scenarios.scenario import DriverRule, Drivers, Lever, Scenario, matches

OUTPUTS = ("co2_official", "co2_energy", "NOx", "SO2", "VOCs", "PM2.5")
GENERATION_CREDIT = "co2_official:generation"
"""Coefficient of the grid-factor CO2 of the electricity a power-plant row generates (t per
unit, negative): part of ``co2_official``, hit by the levers on electricity's factor."""
CO2_OUTPUTS = frozenset({"co2_official", "co2_energy"})
BLAS_THREADS_ENV = "XIETONG_BLAS_THREADS"
CHUNK = 1024
"""Runs simulated together (memory: one ``CHUNK × years`` array per row)."""


def blas_threads() -> int:
    """BLAS threads for the array work: ``XIETONG_BLAS_THREADS`` (a whole number ≥ 1),
    default 1."""
    raw = os.environ.get(BLAS_THREADS_ENV, "").strip()
    if not raw:
        return 1
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        raise XietongError(f"{BLAS_THREADS_ENV}={raw!r}: give a whole number of threads ≥ 1")
    return n


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
        self._grid: float | None = None

    def grid_t_per_mwh(self) -> float:
        """The grid factor (t CO2 / MWh) of the projected years (those after the base year)."""
        if self._grid is None:
            year = self.drivers.base_year + 1
            self._grid = grid_year(self.library, self.ctx.grid_region, year).t_per_mwh
        return self._grid

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
                if in_co2_official(unit, e):
                    out["co2_official"] += e.tonnes
                generated = generation_of(unit, e, self.library)
                if generated is not None:
                    out[GENERATION_CREDIT] -= generated * self.grid_t_per_mwh()
                if e.scope == "direct" and e.substance in OUTPUTS:
                    out[e.substance] += e.tonnes
            self._coef[k] = dict(out)
        return self._coef[k]


def simulate(
    model: LinearModel, assumptions: Assumptions, outputs: Sequence[str] = (PEAK_INDICATOR,)
) -> dict[str, dict[int, np.ndarray]]:
    """Projected outputs (t) by year for each run: ``{output: {year: array over runs}}``
    (series methods — landfill decay, CH4 only — are not simulated)."""
    with threadpool_limits(limits=blas_threads(), user_api="blas"):
        years, table = _simulate(model, assumptions, outputs)
    return {o: {y: table[o][t] for t, y in enumerate(years)} for o in outputs}


def driver_levels(drivers: Drivers, shifts: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    """Level of every driver relative to the base year (base = 1) for ``n`` runs and every
    projected year: a ``(runs × years × drivers)`` array, years ``base_year + 1 …
    end_year``, drivers in the order of ``drivers.rates``; ``shifts[driver]`` (one value per
    run, 0 where absent) is added to each annual growth rate (as :meth:`Drivers.index`)."""
    years = range(drivers.base_year + 1, drivers.end_year + 1)
    names = list(drivers.rates)
    rates = np.array(
        [[drivers.rates[k].get(y, 0.0) for k in names] for y in years], dtype=float
    ).reshape(len(years), len(names))
    shift = np.zeros((n, len(names)))
    for j, k in enumerate(names):
        if k in shifts:
            shift[:, j] = shifts[k]
    return np.cumprod((1 + rates)[np.newaxis, :, :] + shift[:, np.newaxis, :], axis=1)


def row_growth(levels: np.ndarray, names: Sequence[str], rule: DriverRule) -> np.ndarray:
    """Growth of the rows following ``rule`` (``(runs × years)``): the level of its driver in
    ``levels`` (:func:`driver_levels`, drivers ``names``) to the power of the elasticity."""
    return np.asarray(levels[:, :, list(names).index(rule.driver)] ** rule.elasticity)


def _simulate(
    model: LinearModel, assumptions: Assumptions, outputs: Sequence[str]
) -> tuple[list[int], dict[str, np.ndarray]]:
    """Years and ``{output: (years × runs) array}``, in blocks of :data:`CHUNK` runs."""
    d = model.drivers
    years = list(range(d.base_year + 1, d.end_year + 1))
    n = assumptions.n
    table = {o: np.empty((len(years), n)) for o in outputs}
    # group sums: one template and one total amount per row key (rows of several entities
    # or periods share a key, so they share their growth and their lever changes)
    groups = group_rows(model.base)
    rules = {k: driver_rule(d, a) for k, (a, _) in groups.items()}
    levels = driver_levels(d, assumptions.growth_shift, n)  # all runs at once
    hits: dict[tuple[Key, str], tuple[str, ...]] = {}
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        block = _block(
            model, assumptions, levels[lo:hi], lo, hi, years, groups, rules, hits, outputs
        )
        for o in outputs:
            table[o][:, lo:hi] = block[o].T
    return years, table


def _block(
    model: LinearModel,
    assumptions: Assumptions,
    levels: np.ndarray,
    lo: int,
    hi: int,
    years: list[int],
    groups: Mapping[Key, tuple[Activity, float]],
    rules: Mapping[Key, DriverRule | None],
    hits: dict[tuple[Key, str], tuple[str, ...]],
    outputs: Sequence[str],
) -> dict[str, np.ndarray]:
    """``{output: (runs × years)}`` of runs ``lo … hi − 1`` (``levels``: their driver levels;
    ``hits``: a cache of the emission-factor levers hitting each row and output)."""
    n, shape = hi - lo, (hi - lo, len(years))
    full = assumptions.n

    def strength(lv: Lever) -> np.ndarray:
        s = assumptions.strength.get(lv.id)
        return np.full(n, lv.strength) if s is None else np.broadcast_to(s, (full,))[lo:hi]

    def effect(lv: Lever) -> np.ndarray:
        """progress × strength, ``(runs × years)``."""
        since = model.drivers.base_year
        progress = np.array([lv.progress(y, since) for y in years], dtype=float)
        return np.asarray(strength(lv)[:, np.newaxis] * progress[np.newaxis, :])

    names = list(model.drivers.rates)
    growth: dict[tuple[str, float], np.ndarray] = {}
    rows: Rows = {}
    for k, (a, base) in groups.items():
        rule = rules[k]
        if rule is None:
            rows[k] = (a, np.full(shape, base))
            continue
        g = (rule.driver, rule.elasticity)
        if g not in growth:
            growth[g] = row_growth(levels, names, rule)
        rows[k] = (a, base * growth[g])
    for lever in model.scenario.levers:
        if lever.kind != "emission_factor":
            rows = apply_lever(lever, rows, effect(lever), model.energy_ratio, groups)

    ef_levers = [lv for lv in model.scenario.levers if lv.kind == "emission_factor"]
    ef_mult = {lv.id: 1 - effect(lv) * (1 - lv.factor) for lv in ef_levers}
    products: dict[tuple[str, ...], np.ndarray] = {}
    result: dict[str, np.ndarray] = {}
    parts: dict[str, tuple[str, ...]] = {"co2_official": ("co2_official", GENERATION_CREDIT)}
    for o in outputs:
        total = np.zeros(shape)
        for a, amount in rows.values():
            for part in parts.get(o, (o,)):
                c = model.coefficients(a).get(part, 0.0)
                if c == 0.0:
                    continue
                hk = (row_key(a), part)
                if hk not in hits:
                    # the generation credit is electricity's: the levers on its factor hit it
                    fields = row_fields(
                        replace(a, activity="electricity") if part == GENERATION_CREDIT else a
                    )
                    hits[hk] = tuple(
                        lv.id
                        for lv in ef_levers
                        if (o in lv.substances or (o in CO2_OUTPUTS and "CO2" in lv.substances))
                        and matches(fields, lv.match)
                    )
                ids = hits[hk]
                if not ids:
                    total += amount * c
                    continue
                if ids not in products:
                    mult = ef_mult[ids[0]]
                    for lid in ids[1:]:
                        mult = mult * ef_mult[lid]
                    products[ids] = mult
                total += amount * c * products[ids]
        result[o] = total
    return result


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
    output: str = PEAK_INDICATOR,
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
    with threadpool_limits(limits=blas_threads(), user_api="blas"):
        projected, table = _simulate(model, Assumptions(shifts, strengths), (output,))
        sim = dict(zip(projected, table[output], strict=True))
        years = sorted(set(history_series) | set(sim))
        runs = np.empty((len(years), draws))  # one row per year, one column per run
        for t, y in enumerate(years):
            runs[t] = sim[y] if y in sim else history_series[y]
        drawn = [t for t, y in enumerate(years) if y in sim]
        spread = np.percentile(runs[drawn], PERCENTILES, axis=1).reshape(len(PERCENTILES), -1)
        pct = {y: [history_series[y]] * len(PERCENTILES) for y in years if y not in sim}
        pct |= {years[t]: [float(v) for v in spread[:, i]] for i, t in enumerate(drawn)}
        by = peaked_by(np.asarray(years), runs, peak_years)
    return Fan(output, years, {y: pct[y] for y in years}, by, draws, seed)


def peak_fan(
    result: ScenarioResult,
    model: LinearModel,
    base_year: int,
    *,
    draws: int,
    seed: int,
    peak_years: Sequence[int] = (2025, 2030, 2035),
) -> Fan:
    """The Monte Carlo fan of a scenario's peak series (the official CO2 caliber): its history up
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
