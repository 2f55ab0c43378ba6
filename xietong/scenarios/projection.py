"""Projection of a scenario to the end year through the same accounting engine.

1. Activity of the base year is carried forward by the drivers:
   ``amount_y = amount_base × (driver_y / driver_base) ^ elasticity`` (most specific rule).
2. Each lever of the scenario changes the projected rows of its years (``scenario.py``).
3. The historical rows (all years up to the base year, which the landfill decay needs) and
   the projected rows go through :func:`xietong.accounting.inventory.build_inventory`: there is
   no second set of formulas.
4. Statistics of the projected years follow the drivers (population, real GDP index); energy
   consumption is the base year's published (or estimated) total scaled by the inventory's
   computed fuel energy, so history and projection join without a jump.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from xietong.accounting.activity import Activity
from xietong.accounting.columnar import Adjustment
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import (
    Statistic,
    compute_indicators,
    energy_by_year,
    generation_by_year,
)
from xietong.accounting.inventory import Inventory, InventoryOptions, build_inventory
from xietong.accounting.methods.base import Context
from xietong.plan.models import Plan
from xietong.plan.progress import ProgressRecord, Status, assess, meets
from xietong.scenarios.levers import (
    Rows,
    apply_lever,
    driver_rule,
    energy_ratio_by,
    group_rows,
    row_key,
)
from xietong.scenarios.peak import Peak, find_peak
from xietong.scenarios.scenario import Drivers, Lever, Scenario, ScenarioError
from xietong.units import convert

PEAK_INDICATOR = "co2_official"
"""The indicator whose peak a scenario finds: the official CO2 caliber of the plan's intensity
target (``xietong.accounting.indicators``), one truth with the carbon-peak target."""
"""The series whose peak is the city's carbon peak: end-use energy CO2 (see
docs/methods/inventory.md)."""


def apply_factor_levers(inv: Inventory, scenario: Scenario, base_year: int) -> Inventory:
    """The inventory with the ``emission_factor`` levers applied to the projected years (a
    multiplier ``1 − ramp × (1 − factor)`` in columns); the lever becomes a term of each
    changed row's trace."""
    levers = [lv for lv in scenario.levers if lv.kind == "emission_factor"]
    if not levers:
        return inv
    years = inv.years
    return inv.adjust(
        [
            Adjustment(
                name=f"lever {lv.id}",
                multipliers={
                    y: 1 - lv.ramp(y, base_year) * (1 - lv.factor)
                    for y in years
                    if y > base_year and lv.ramp(y, base_year) != 0
                },
                substances=frozenset(lv.substances),
                match={k: frozenset(v) for k, v in lv.match.items()},
                basis=lv.basis,
            )
            for lv in levers
        ]
    )


def _merge(rows: Sequence[Activity]) -> list[Activity]:
    """Rows with the same key summed (in the first row's unit)."""
    merged: dict[tuple[object, ...], Activity] = {}
    for a in rows:
        k = a.key
        if k in merged:
            first = merged[k]
            merged[k] = replace(first, amount=first.amount + convert(a.amount, a.unit, first.unit))
        else:
            merged[k] = a
    return list(merged.values())


def project_activities(
    history: Sequence[Activity],
    drivers: Drivers,
    scenario: Scenario,
    library: FactorLibrary,
    *,
    end_year: int | None = None,
    growth_shift: Mapping[str, float] | None = None,
) -> list[Activity]:
    """History (years ≤ base year) plus the projected rows of each later year."""
    base = [a for a in history if a.year == drivers.base_year]
    if not base:
        raise ScenarioError(f"the activity data has no rows for the base year {drivers.base_year}")
    ratio = energy_ratio_by(Context(library))
    shift = growth_shift or {}
    out = [a for a in history if a.year <= drivers.base_year]
    base_rows = group_rows(base)
    for year in range(drivers.base_year + 1, (end_year or drivers.end_year) + 1):
        rows: Rows = {}
        for a in base:
            rule = driver_rule(drivers, a)
            growth = (
                drivers.index(rule.driver, year, shift.get(rule.driver, 0.0)) ** rule.elasticity
                if rule is not None
                else 1.0
            )
            projected = replace(
                a, year=year, source=f"projection from {drivers.base_year}", quality="estimate"
            )
            k = row_key(projected)
            amount = np.array([a.amount * growth])
            rows[k] = (rows[k][0], rows[k][1] + amount) if k in rows else (projected, amount)
        for lever in scenario.levers:
            effect = np.array([lever.ramp(year, drivers.base_year)])
            rows = apply_lever(lever, rows, effect, ratio, base_rows)
        out.extend(_merge([replace(a, amount=float(v[0])) for a, v in rows.values()]))
    return out


def project_statistics(
    statistics: Sequence[Statistic],
    drivers: Drivers,
    inv: Inventory,
    *,
    end_year: int | None = None,
    growth_shift: Mapping[str, float] | None = None,
) -> list[Statistic]:
    """City statistics of the projected years: population and real GDP index by their
    drivers; energy consumption and electricity generation (where the base year has them) in
    proportion to the projected inventory's fuel energy and power-plant generation."""
    shift = growth_shift or {}
    city = [s for s in statistics if s.district == "city"]
    base = {s.indicator: s for s in city if s.year == drivers.base_year}
    for needed in ("population", "gdp_real_index"):
        if needed not in base:
            raise ScenarioError(f"statistics lack {needed} for the base year {drivers.base_year}")
    energy = energy_by_year(inv)
    generated = generation_by_year(inv)
    out = [s for s in city if s.year <= drivers.base_year]
    label = f"projection from {drivers.base_year} (drivers.yaml)"
    for year in range(drivers.base_year + 1, (end_year or drivers.end_year) + 1):
        pop, idx = base["population"], base["gdp_real_index"]
        out.append(
            replace(
                pop,
                year=year,
                value=pop.value * drivers.index("population", year, shift.get("population", 0.0)),
                source=label,
                quality="estimate",
            )
        )
        out.append(
            replace(
                idx,
                year=year,
                value=idx.value * drivers.index("gdp", year, shift.get("gdp", 0.0)),
                source=label,
                quality="estimate",
            )
        )
        if "energy_consumption" in base and energy.get(drivers.base_year, {}).get("total"):
            ratio = energy[year]["total"] / energy[drivers.base_year]["total"]
            e = base["energy_consumption"]
            out.append(
                replace(e, year=year, value=e.value * ratio, source=label, quality="estimate")
            )
        if "electricity_generation" in base and generated.get(drivers.base_year):
            g = base["electricity_generation"]
            ratio = generated.get(year, 0.0) / generated[drivers.base_year]
            out.append(
                replace(g, year=year, value=g.value * ratio, source=label, quality="estimate")
            )
    return out


@dataclass(frozen=True)
class TargetOutcome:
    """A plan target under a scenario: status at its deadline, first year met, shortfall."""

    target_id: str
    status: Status
    year_met: int | None
    value_at_deadline: float | None
    shortfall: float | None


@dataclass
class ScenarioResult:
    """A scenario's projected inventory, indicators, peak and target outcomes."""

    scenario: Scenario
    inventory: Inventory
    indicators: pd.DataFrame
    peak: Peak
    targets: list[TargetOutcome]
    statistics: list[Statistic]

    def synergy(self) -> pd.DataFrame:
        """The synergy degree by year of the projected inventory (``xietong.synergy``)."""
        from xietong.synergy.series import city_synergy

        return city_synergy(self.inventory, self.statistics)

    def series(self, indicator_id: str) -> dict[int, float]:
        """One indicator by year."""
        df = self.indicators[self.indicators.indicator_id == indicator_id]
        return {int(y): float(v) for y, v in zip(df.year, df.value, strict=True)}


def evaluate_targets(indicators: pd.DataFrame, plan: Plan) -> list[TargetOutcome]:
    """Each plan target fed by an indicator: status on its deadline from the projected values,
    the first year its bound is met, and the shortfall at the deadline (value − goal)."""
    out = []
    for target in plan.targets:
        df = indicators[indicators.indicator_id == target.indicator_id]
        if df.empty:
            continue
        values = {
            int(y): convert(float(v), str(u), target.unit)
            for y, v, u in zip(df.year, df.value, df.unit, strict=True)
        }
        records = [
            ProgressRecord(
                target_id=target.id, period_end=dt.date(y, 12, 31), value=v, reported_by="scenario"
            )
            for y, v in values.items()
        ]
        status = assess(target, records, target.deadline).status
        year_met = shortfall = None
        at_deadline = values.get(target.deadline.year)
        if target.goal is not None:
            year_met = next((y for y in sorted(values) if meets(target, values[y])), None)
            if at_deadline is not None:
                shortfall = at_deadline - target.goal
        out.append(TargetOutcome(target.id, status, year_met, at_deadline, shortfall))
    return out


def run_scenario(
    scenario: Scenario,
    history: Sequence[Activity],
    statistics: Sequence[Statistic],
    drivers: Drivers,
    library: FactorLibrary,
    plan: Plan | None = None,
    *,
    options: InventoryOptions | None = None,
    growth_shift: Mapping[str, float] | None = None,
) -> ScenarioResult:
    """Project, build the inventory, compute the indicators, find the peak, judge targets."""
    acts = project_activities(history, drivers, scenario, library, growth_shift=growth_shift)
    inv = apply_factor_levers(build_inventory(acts, library, options), scenario, drivers.base_year)
    stats = project_statistics(statistics, drivers, inv, growth_shift=growth_shift)
    indicators = compute_indicators(inv, stats)
    series = {
        int(y): float(v)
        for y, i, v in indicators[["year", "indicator_id", "value"]].itertuples(index=False)
        if i == PEAK_INDICATOR
    }
    targets = evaluate_targets(indicators, plan) if plan is not None else []
    return ScenarioResult(scenario, inv, indicators, find_peak(series), targets, stats)


def added_levers(scenario: Scenario, baseline: Scenario) -> list[Lever]:
    """The levers of ``scenario`` that the baseline does not have as they are (a baseline
    lever the scenario changes counts as added)."""
    return [lv for lv in scenario.levers if lv not in baseline.levers]


@dataclass(frozen=True)
class Wedges:
    """CO2 avoided by each lever alone (vs baseline), by the combined scenario, and the
    interaction term: ``combined − Σ single = interaction`` (t by year)."""

    single: Mapping[str, Mapping[int, float]]
    combined: Mapping[int, float]
    interaction: Mapping[int, float]


def wedges(
    scenario: Scenario,
    history: Sequence[Activity],
    statistics: Sequence[Statistic],
    drivers: Drivers,
    library: FactorLibrary,
    baseline: Scenario,
    *,
    indicator: str = PEAK_INDICATOR,
    vectorised: bool = True,
) -> Wedges:
    """Single-lever and combined effects against the shared baseline (no double counting:
    the difference between the combined effect and the sum of single effects is reported).

    The baseline's own levers (the existing-policy assumptions: the grid path, the fleet's
    turnover) are in every run, the baseline's included; a wedge is a lever the scenario adds
    (``added_levers``), alone on top of the baseline. A scenario that changes a baseline lever
    is compared with the baseline like any other (the changed lever is one of its wedges).

    When the indicator is one the vectorised projection gives (``fast.OUTPUTS``), all runs go
    through it in one pass (it reproduces the engine exactly); otherwise, or with
    ``vectorised=False``, each run is a full engine run."""
    from xietong.scenarios.fast import OUTPUTS, Assumptions, LinearModel, simulate

    added = added_levers(scenario, baseline)
    kept = [lv for lv in baseline.levers if lv in scenario.levers]
    # a baseline lever the scenario changed or dropped: in the baseline run only (renamed, as
    # the scenario may hold a lever of the same id)
    missing = [
        replace(lv, id=f"{lv.id}@{baseline.id}")
        for lv in baseline.levers
        if lv not in scenario.levers
    ]
    if vectorised and indicator in OUTPUTS:
        union = replace(scenario, levers=(*scenario.levers, *missing))
        model = LinearModel(history, drivers, union, library)
        runs = len(added) + 2  # baseline, combined, each added lever alone
        strength = {}
        for lv in kept + missing:
            strength[lv.id] = np.full(runs, lv.strength)
            if lv in missing:
                strength[lv.id][1] = 0.0  # the scenario runs without it
        for i, lv in enumerate(added):
            col = np.zeros(runs)
            col[1] = lv.strength
            col[2 + i] = lv.strength
            strength[lv.id] = col
        shifts = {name: np.zeros(runs) for name in drivers.rates}
        sim = simulate(model, Assumptions(shifts, strength), (indicator,))[indicator]
        history_years = sorted({a.year for a in history if a.year <= drivers.base_year})
        zero = dict.fromkeys(history_years, 0.0)
        combined_f = {**zero, **{y: float(v[0] - v[1]) for y, v in sim.items()}}
        single_f = {
            lv.id: {**zero, **{y: float(v[0] - v[2 + i]) for y, v in sim.items()}}
            for i, lv in enumerate(added)
        }
        inter = {y: combined_f[y] - sum(w[y] for w in single_f.values()) for y in combined_f}
        return Wedges(single_f, combined_f, inter)

    def series(s: Scenario) -> dict[int, float]:
        return run_scenario(s, history, statistics, drivers, library).series(indicator)

    base = series(baseline)
    combined_s = series(scenario)
    combined = {y: base[y] - combined_s[y] for y in base}
    single: dict[str, dict[int, float]] = {}
    for lever in added:
        alone = series(replace(baseline, levers=(*baseline.levers, lever)))
        single[lever.id] = {y: base[y] - alone[y] for y in base}
    total: dict[int, float] = defaultdict(float)
    for w in single.values():
        for y, v in w.items():
            total[y] += v
    interaction = {y: combined[y] - total[y] for y in base}
    return Wedges(single, combined, interaction)
