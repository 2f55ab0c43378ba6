"""Views of the scenario module that every interface shows: the scenarios and their levers, a
run's pathways (CO2 of the official caliber, end-use energy CO2 and the NOx, VOCs and SO2
totals by year), its CO2 by sector, the peak, the target checklist, the wedges with the
measure ranking, the Monte Carlo fan and the sensitivity tables. The CLI, the pages, the API
and the exports all use these (through :class:`xietong.service.Platform`), so they show the
same figures.

Every driver (growth rates, elasticities) and every lever size shipped is an estimate unless
the lever's ``basis`` cites a plan target and says nothing of an estimate
(:func:`lever_estimated`); projected activity rows are marked ``estimate`` by the projection.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from xietong.accounting.indicators import official_by_year, official_co2
from xietong.plan.models import Plan
from xietong.scenarios.fast import PERCENTILES, Fan
from xietong.scenarios.least_cost import LeastCost
from xietong.scenarios.peak import Peak
from xietong.scenarios.projection import PEAK_INDICATOR, ScenarioResult, TargetOutcome, Wedges
from xietong.scenarios.scenario import Lever, Scenario

PATHWAY_POLLUTANTS = ("NOx", "VOCs", "SO2")
"""Pollutants whose direct totals are shown beside CO2 on every pathway."""

PEAK_YEARS = (2025, 2030, 2035)
"""Years for which 'peaked by' is reported (the plan's 2025 horizon, the national 2030 peak)."""

SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
"""What a scenario id may look like (it names the file ``<id>.yaml``)."""

LEVER_SIZE = {
    "scale": "factor",
    "emission_factor": "factor",
    "shift": "share",
    "control": "share",
    "cap": "factor",
}
"""The field that sizes each kind of lever (beside ``strength``, ``start`` and ``full``)."""


def lever_estimated(lever: Lever) -> bool:
    """Whether a lever's size is an estimate: it is unless its ``basis`` cites a plan target
    or a plan clause (a figure the plan's text gives) and does not call any part of itself an
    estimate.

    >>> lever_estimated(Lever("a", "scale", {}, basis="plan target steel-ule-2023: done"))
    False
    >>> lever_estimated(Lever("b", "scale", {}, basis="estimate: 10 % less (plan measure 9)"))
    True
    >>> lever_estimated(Lever("c", "scale", {}, basis="plan clause (measure 12): 600 t/d"))
    False
    """
    basis = lever.basis.lower()
    cites_plan = "plan target" in basis or "plan clause" in basis
    return not cites_plan or "estimate" in basis or "估算" in lever.basis


def lever_record(lever: Lever) -> dict[str, Any]:
    """A lever as plain data (match, target fields, sizes, ramp years, names, basis)."""
    return {
        "id": lever.id,
        "kind": lever.kind,
        "zh": lever.zh,
        "en": lever.en,
        "match": {k: list(v) for k, v in lever.match.items()},
        "exclude": {k: list(v) for k, v in lever.exclude.items()},
        "to": dict(lever.to),
        "factor": lever.factor,
        "share": lever.share,
        "substances": list(lever.substances),
        "conversion": lever.conversion,
        "start": lever.start,
        "full": lever.full,
        "strength": lever.strength,
        "size_field": LEVER_SIZE[lever.kind],
        "basis": lever.basis,
        "basis_zh": lever.basis_zh,
        "estimate": lever_estimated(lever),
    }


def scenario_summary(
    scenario: Scenario, *, user: bool, extends: str | None = None
) -> dict[str, Any]:
    """A line of the scenario list: id, names, description, lever count, shipped or user."""
    return {
        "id": scenario.id,
        "zh": scenario.zh,
        "en": scenario.en,
        "description": scenario.description.strip(),
        "description_zh": scenario.description_zh.strip(),
        "levers": len(scenario.levers),
        "user": user,
        "extends": extends,
    }


def scenario_record(
    scenario: Scenario, *, user: bool, extends: str | None = None
) -> dict[str, Any]:
    """A scenario with its levers."""
    return {
        **scenario_summary(scenario, user=user, extends=extends),
        "levers": [lever_record(lv) for lv in scenario.levers],
    }


def direct_totals_by_year(
    result: ScenarioResult, substances: Iterable[str] = PATHWAY_POLLUTANTS
) -> dict[int, dict[str, float]]:
    """Direct emissions (t) of ``substances`` by year of a run's inventory."""
    wanted = set(substances)
    out: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(wanted, 0.0))
    sums = result.inventory.rollup(["year"], substances=wanted)
    for year, substance, value in sums[["year", "substance", "value"]].itertuples(index=False):
        out[int(year)][str(substance)] += float(value)
    return out


def pathway_records(result: ScenarioResult, base_year: int) -> list[dict[str, Any]]:
    """Per year: CO2 of the official caliber (the peak's indicator) and end-use energy CO2
    (t), the direct NOx, VOCs and SO2 totals (t), and whether the year is projected (after
    the base year)."""
    co2 = result.series(PEAK_INDICATOR)
    enduse = result.series("co2_energy")
    pollutants = direct_totals_by_year(result)
    return [
        {
            "year": year,
            "projected": year > base_year,
            PEAK_INDICATOR: co2[year],
            "co2_energy": enduse[year],
            **{s: pollutants.get(year, {}).get(s, 0.0) for s in PATHWAY_POLLUTANTS},
        }
        for year in sorted(co2)
    ]


def sector_pathways(result: ScenarioResult) -> dict[str, dict[int, float]]:
    """CO2 of the official caliber (t) by sector and year: each row's share
    (:func:`~xietong.accounting.indicators.official_co2`: the power plants' CO2 less the
    grid-factor CO2 of what they generate, which the users' electricity counts), so the
    sectors add up to ``co2_official`` where generation comes from the rows."""
    inv = result.inventory
    factor = {y: o.t_per_mwh for y, o in official_by_year(inv).items()}
    out: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for r in inv.rows:
        a = r.activity
        share = official_co2(a, r.emission, inv.library, factor[a.year])
        if share:
            out[a.sector][a.year] += share
    return {s: dict(v) for s, v in sorted(out.items())}


def peak_record(peak: Peak, years: Sequence[int] = PEAK_YEARS) -> dict[str, Any]:
    """The peak year and value (t), the plateau and whether the series has peaked by each of
    ``years`` (the rule of ``docs/methods/scenarios.md``)."""
    return {
        "indicator": PEAK_INDICATOR,
        "year": peak.year,
        "value": peak.value,
        "plateau_start": peak.plateau_start,
        "plateau_end": peak.plateau_end,
        "peaked_in_series": peak.peaked_in_series,
        "peaked_by": {str(y): peak.peaked_by(y) for y in years},
    }


def target_records(outcomes: Sequence[TargetOutcome], plan: Plan) -> list[dict[str, Any]]:
    """The target checklist of a run: each target fed by a projected indicator, its status on
    its deadline, the first year met, the value at the deadline and the shortfall (value −
    goal, in the target's unit)."""
    targets = {t.id: t for t in plan.targets}
    out = []
    for o in outcomes:
        t = targets.get(o.target_id)
        if t is None:
            continue
        out.append(
            {
                "target_id": o.target_id,
                "indicator_id": t.indicator_id,
                "indicator_zh": t.indicator.zh,
                "indicator_en": t.indicator.en,
                "direction": t.direction.value,
                "goal": t.goal,
                "unit": t.unit,
                "unit_zh": t.unit_text("zh"),
                "unit_en": t.unit_text("en"),
                "deadline": t.deadline.isoformat(),
                "status": o.status.value,
                "met": o.status.value == "achieved",
                "year_met": o.year_met,
                "value_at_deadline": o.value_at_deadline,
                "shortfall": o.shortfall,
            }
        )
    return out


def run_record(
    scenario_rec: Mapping[str, Any], result: ScenarioResult, plan: Plan, base_year: int
) -> dict[str, Any]:
    """A run: the scenario, the pathway, CO2 by sector, the peak and the target checklist."""
    sectors = sector_pathways(result)
    return {
        "scenario": dict(scenario_rec),
        "base_year": base_year,
        "end_year": max(result.series(PEAK_INDICATOR)),
        "pathway": pathway_records(result, base_year),
        "sectors": [
            {"sector": s, "values": [{"year": y, "value": v} for y, v in sorted(by.items())]}
            for s, by in sectors.items()
        ],
        "peak": peak_record(result.peak),
        "targets": target_records(result.targets, plan),
    }


def _to_kg(tonnes: float) -> float:
    """``tonnes`` rounded to the kg, without a negative zero."""
    return round(tonnes, 3) + 0.0


def wedge_record(w: Wedges, scenario: Scenario, base_year: int) -> dict[str, Any]:
    """CO2 avoided (t of ``co2_official``) by each lever alone against the baseline, the
    interaction term and the combined effect, over the projected years; levers ranked by
    their avoided CO2 summed over the projection (largest first). The baseline's own levers
    (existing policy) are in the baseline too, so they have no wedge and are not listed."""
    years = sorted(y for y in w.combined if y > base_year)
    levers: list[dict[str, Any]] = []
    for lv in scenario.levers:
        if lv.id not in w.single:
            continue
        by_year = w.single[lv.id]
        levers.append(
            {
                "id": lv.id,
                "zh": lv.zh,
                "en": lv.en,
                "estimate": lever_estimated(lv),
                # to the kg: a lever that changes nothing shows 0, not the float noise of
                # the difference of two runs
                "avoided": [_to_kg(by_year.get(y, 0.0)) for y in years],
                "cumulative": _to_kg(sum(by_year.get(y, 0.0) for y in years)),
                "at_2030": _to_kg(by_year[2030]) if 2030 in by_year else None,
            }
        )
    ranking = sorted(levers, key=lambda r: -r["cumulative"])
    return {
        "scenario": scenario.id,
        "indicator": PEAK_INDICATOR,
        "unit": "t",
        "years": years,
        "levers": levers,
        "interaction": [w.interaction[y] for y in years],
        "combined": [w.combined[y] for y in years],
        "cumulative_interaction": sum(w.interaction[y] for y in years),
        "cumulative_combined": sum(w.combined[y] for y in years),
        "ranking": [
            {"rank": i, "id": r["id"], "cumulative": r["cumulative"], "at_2030": r["at_2030"]}
            for i, r in enumerate(ranking, start=1)
        ],
    }


def fan_record(fan: Fan, base_year: int) -> dict[str, Any]:
    """The Monte Carlo fan: percentiles (5, 25, 50, 75, 95) of CO2 (official caliber) by year
    (history: the recorded value five times) and P(peaked by 2025 / 2030 / 2035)."""
    return {
        "indicator": fan.output,
        "unit": "t",
        "draws": fan.draws,
        "seed": fan.seed,
        "base_year": base_year,
        "percentiles": list(PERCENTILES),
        "years": list(fan.years),
        "values": [list(fan.percentiles[y]) for y in fan.years],
        "p_peak_by": {str(y): p for y, p in fan.p_peak_by.items()},
    }


def sensitivity_record(
    oat: Sequence[tuple[str, float, float, float]],
    sobol: Sequence[tuple[str, float, float]],
    *,
    year: int,
    n: int,
    seed: int,
) -> dict[str, Any]:
    """One-at-a-time swings and Sobol indices of CO2 (official caliber) in ``year``."""
    return {
        "indicator": PEAK_INDICATOR,
        "unit": "t",
        "year": year,
        "n": n,
        "seed": seed,
        "one_at_a_time": [
            {"input": name, "low": lo, "high": hi, "swing": d} for name, lo, hi, d in oat
        ],
        "sobol": [{"input": name, "s1": _finite(s1), "st": _finite(st)} for name, s1, st in sobol],
    }


def _finite(value: float) -> float | None:
    """``value``, or None when it is not a finite number (a Sobol index of an output that
    does not vary)."""
    return float(value) if math.isfinite(value) else None


_PROBLEM = re.compile(r"^(?P<file>[^\s,:]+\.ya?ml)(?P<where>(?:, [^:]*?)?): (?P<reason>.*)$", re.S)


def scenario_problem(message: str) -> dict[str, str | None]:
    """A ScenarioError message split into the file, the key (dotted) and the reason.

    >>> scenario_problem("a.yaml, key 'levers[0]', key 'kind': 'squash' is not a kind")
    {'file': 'a.yaml', 'key': 'levers[0].kind', 'reason': "'squash' is not a kind"}
    >>> scenario_problem("a.yaml: not valid YAML: mapping values are not allowed here")
    {'file': 'a.yaml', 'key': None, 'reason': 'not valid YAML: mapping values are not allowed here'}
    """
    m = _PROBLEM.match(message)
    if m is None:
        return {"file": None, "key": None, "reason": message}
    keys = re.findall(r"key '([^']*)'", m.group("where"))
    return {"file": m.group("file"), "key": ".".join(keys) or None, "reason": m.group("reason")}


def pathway_frame(runs: Mapping[str, ScenarioResult], base_year: int) -> pd.DataFrame:
    """Every run's indicators and pathway pollutants as one long table (``scenario, year,
    variable, value, unit, projected``) for the CSV and Excel exports."""
    rows: list[dict[str, Any]] = []
    for sid, result in runs.items():
        df = result.indicators
        for year, ind, value, unit in zip(
            df["year"], df["indicator_id"], df["value"], df["unit"], strict=True
        ):
            rows.append(
                {
                    "scenario": sid,
                    "year": int(year),
                    "variable": str(ind),
                    "value": float(value),
                    "unit": str(unit),
                }
            )
        for year, totals in sorted(direct_totals_by_year(result).items()):
            for s in PATHWAY_POLLUTANTS:
                rows.append(
                    {
                        "scenario": sid,
                        "year": year,
                        "variable": f"{s} direct total",
                        "value": totals[s],
                        "unit": "t",
                    }
                )
    frame = pd.DataFrame(rows, columns=["scenario", "year", "variable", "value", "unit"])
    frame["projected"] = frame["year"] > base_year
    return frame.sort_values(["scenario", "variable", "year"]).reset_index(drop=True)


def least_cost_record(
    result: LeastCost, levers: Mapping[str, Lever] | None = None
) -> dict[str, Any]:
    """The least-cost pathway as plain data (CLI, API and page): the request, each lever's
    strength, range and present-value cost with its basis, the cost against the plan
    scenario's, the binding constraints with their shadow prices (CNY/t, the marginal
    abatement costs), the re-run check and the CO2 and pollutant pathways of the re-run."""
    zh, en = result.request.label()
    names = {lv.id: lv for lv in result.scenario.levers}
    if levers:
        names.update(levers)
    return {
        "request": {
            "peak_by": result.request.peak_by,
            "caps": dict(result.request.caps),
            "cap_from": result.request.cap_from,
            "last_year": result.request.last_year,
            "co_benefit": result.request.co_benefit,
            "zh": zh,
            "en": en,
        },
        "levers": [
            {
                "id": lid,
                "zh": names[lid].zh if lid in names else lid,
                "en": names[lid].en if lid in names else lid,
                "strength": strength,
                "min": result.costs.levers[lid].min_strength,
                "max": result.costs.levers[lid].max_strength,
                "fixed": result.costs.levers[lid].fixed,
                "annual_cost": result.costs.levers[lid].annual_cost,
                "cost": result.unit_costs[lid] * strength,
                "basis": result.costs.levers[lid].basis,
                "basis_zh": result.costs.levers[lid].basis_zh,
            }
            for lid, strength in result.solution.strengths.items()
        ],
        "cost": result.cost,
        "objective": result.solution.cost,
        "plan_cost": result.plan_cost,
        "plan_meets": result.plan_check.holds,
        "plan_failures": list(result.plan_check.failures),
        "discount_rate": result.costs.discount_rate,
        "binding": [
            {"name": c.name, "name_zh": c.name_zh, "shadow_price": c.shadow_price}
            for c in result.solution.binding
        ],
        "check_holds": result.check.holds,
        "check_failures": list(result.check.failures),
        "co2": {int(y): v for y, v in result.check.co2.items()},
        "co2_history": {int(y): v for y, v in result.history.items()},
        "pollutants": {
            p: {int(y): v for y, v in series.items()}
            for p, series in result.check.pollutants.items()
        },
    }
