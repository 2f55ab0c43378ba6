"""The least-cost pathway of the shipped levers (``docs/methods/scenarios.md``, "Least-cost
pathway"): the programme of :mod:`xietong.scenarios.optimise` built from the projection
engine, solved, and checked by re-running the result.

- **Candidates**: the levers of the cost file's scenario (the plan's) and the extra levers it
  names from other scenarios (``data/scenarios/costs/lever_costs.yaml``), each with its
  annual cost at strength 1 and its feasible strengths (fixed levers stay at 1).
- **Coefficients**: vectorised projections (:func:`xietong.scenarios.fast.simulate`, which
  reproduces the engine) at a point (the fixed levers on, the others off), and with each lever
  at 0 and at 1 around it, give the baseline and each lever's avoided CO2 (official caliber)
  and pollutants (NOx, SO2, VOCs, PM2.5) in every projected year to the horizon.
- **Cost** of a lever per unit of strength: ``Σ_t annual_cost × progress_t × (1 + r)^−(t − base)``
  over the projected years (present value at the file's discount rate).
- **Check**: the optimal strengths are run again through the projection (levers together,
  so their interaction counts): the constraints must hold there too. Where they do not, the
  programme is linearised again around that optimum (each lever's effect measured with the
  others at their optimal strengths) and solved again, up to :data:`REFINEMENTS` times; the
  result says which constraint still fails, if any.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from xietong.datafiles import data_path
from xietong.scenarios.fast import Assumptions, LinearModel, simulate
from xietong.scenarios.optimise import LeverOption, Problem, Solution, solve
from xietong.scenarios.peak import PLATEAU_BAND, find_peak
from xietong.scenarios.projection import PEAK_INDICATOR
from xietong.scenarios.scenario import Scenario, ScenarioError, _as_raw, load_scenario

POLLUTANTS = ("NOx", "SO2", "VOCs", "PM2.5")
"""Pollutants the programme can cap or value (those the vectorised projection gives)."""

CHECK_TOLERANCE = 1e-6
"""Relative slack allowed when the re-run checks a constraint (rounding of the solver)."""

PEAK_MARGIN = 1e-4
"""Added to the plateau band in the programme, so that an optimum on the constraint's edge
still turns down beyond the band when the engine recomputes it (rounding)."""

REFINEMENTS = 4
"""How many times the programme is linearised again at the last optimum when the re-run
shows that the levers' interaction broke a constraint."""


@dataclass(frozen=True)
class LeverCost:
    """A lever's annual cost at strength 1 (CNY/yr) and its feasible strengths, with bases."""

    id: str
    annual_cost: float
    min_strength: float
    max_strength: float
    fixed: bool
    basis: str
    basis_zh: str
    range: str


@dataclass(frozen=True)
class CostFile:
    """The candidate scenario, the extra levers it takes from other scenarios, the discount
    rate and the levers' costs."""

    scenario: str
    extra: Mapping[str, tuple[str, ...]]
    discount_rate: float
    levers: Mapping[str, LeverCost]


def load_lever_costs(path: Path | None = None) -> CostFile:
    """The lever cost file (default: the shipped one); ScenarioError names a bad entry."""
    file = path or data_path("scenarios", "costs", "lever_costs.yaml")
    return _read_costs(file, file.stat().st_mtime_ns)


@cache
def _read_costs(file: Path, mtime_ns: int) -> CostFile:
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("scenario"), str):
        raise ScenarioError(f"{file.name}, key 'scenario': the candidate scenario's id is missing")
    levers = {}
    for lid, entry in (raw.get("levers") or {}).items():
        where = f"{file.name}, key 'levers.{lid}'"
        try:
            fixed = bool(entry.get("fixed", False))
            lo = 1.0 if fixed else float(entry.get("min", 0.0))
            hi = 1.0 if fixed else float(entry.get("max", 1.0))
            cost = float(entry["annual_cost"])
        except KeyError:
            raise ScenarioError(f"{where}.annual_cost: missing") from None
        except (TypeError, ValueError, AttributeError):
            raise ScenarioError(f"{where}: annual_cost, min and max must be numbers") from None
        if not 0 <= lo <= hi:
            raise ScenarioError(f"{where}: need 0 ≤ min ≤ max")
        if not math.isfinite(cost):
            raise ScenarioError(f"{where}.annual_cost: not a finite number")
        levers[str(lid)] = LeverCost(
            str(lid),
            cost,
            lo,
            hi,
            fixed,
            str(entry.get("basis", "")),
            str(entry.get("basis_zh", "")),
            str(entry.get("range", "")),
        )
    return CostFile(
        raw["scenario"],
        {str(k): tuple(v) for k, v in (raw.get("extra_levers") or {}).items()},
        float(raw.get("discount_rate", 0.0)),
        levers,
    )


def candidates(costs: CostFile, load: Callable[[str], Scenario] = load_scenario) -> Scenario:
    """The scenario of every candidate lever: the cost file's scenario and its extra levers
    (at strength 1, as their scenarios define them); ScenarioError names a lever without a
    cost."""
    base = load(costs.scenario)
    levers = list(base.levers)
    for other, ids in costs.extra.items():
        found = {lv.id: lv for lv in load(other).levers}
        for lid in ids:
            if lid not in found:
                raise ScenarioError(f"lever_costs.yaml: no lever '{lid}' in scenario {other}")
            levers.append(replace(found[lid], strength=1.0))
    missing = [lv.id for lv in levers if lv.id not in costs.levers]
    if missing:
        raise ScenarioError(f"lever_costs.yaml: no cost for lever(s) {', '.join(missing)}")
    return replace(base, levers=tuple(replace(lv, strength=1.0) for lv in levers))


def co_benefit_values(province: str = "hubei") -> dict[str, float]:
    """CNY per t of each pollutant avoided: the province's environmental tax on it
    (rate × pollution equivalents of a t; PM2.5 weighted as 烟尘, like PM10), a floor of the
    damage avoided (``xietong.synergy.env_tax``)."""
    from xietong.synergy.env_tax import load_tax_rates, pollution_equivalents

    rates = load_tax_rates(province)
    weight = {"PM2.5": "PM10"}
    return {
        p: rates.rate("air", weight.get(p, p)) * pollution_equivalents(weight.get(p, p), 1.0)
        for p in POLLUTANTS
    }


def caps_of(
    nox: float | None = None,
    vocs: float | None = None,
    so2: float | None = None,
    pm25: float | None = None,
) -> dict[str, float]:
    """Pollutant caps (t per year) by pollutant, the ones given."""
    given = {"NOx": nox, "VOCs": vocs, "SO2": so2, "PM2.5": pm25}
    return {p: v for p, v in given.items() if v is not None}


@dataclass(frozen=True)
class Request:
    """What the pathway must achieve: CO2 (official caliber) peaking by ``peak_by`` (no rise
    from that year on), pollutant caps (t per year from ``cap_from``), the horizon's last
    year, and whether the avoided pollutants' tax value lowers the cost."""

    peak_by: int | None = None
    caps: Mapping[str, float] = field(default_factory=dict)
    cap_from: int = 2025
    last_year: int = 2035
    co_benefit: bool = False

    def label(self) -> tuple[str, str]:
        """Short zh and en descriptions of the constraints."""
        zh, en = [], []
        if self.peak_by is not None:
            zh.append(f"{self.peak_by}年前碳达峰")
            en.append(f"CO2 peaks by {self.peak_by}")
        for p, cap in self.caps.items():
            zh.append(f"{p} ≤ {cap:,.0f} 吨/年（{self.cap_from}年起）")
            en.append(f"{p} ≤ {cap:,.0f} t/yr from {self.cap_from}")
        return "；".join(zh) or "无约束", "; ".join(en) or "no constraint"


@dataclass(frozen=True)
class Check:
    """The optimum re-run through the projection: its emissions and any constraint that
    fails there (the peak judged by :func:`xietong.scenarios.peak.find_peak` on the history
    and the re-run, as the platform judges it)."""

    co2: Mapping[int, float]
    pollutants: Mapping[str, Mapping[int, float]]
    failures: tuple[str, ...]

    @property
    def holds(self) -> bool:
        """Every constraint holds on the re-run."""
        return not self.failures


@dataclass(frozen=True)
class LeastCost:
    """The least-cost strengths, the scenario they make, the re-run check, and the plan
    scenario's cost and whether it meets the same constraints."""

    request: Request
    solution: Solution
    scenario: Scenario
    check: Check
    plan_cost: float
    plan_check: Check
    costs: CostFile
    unit_costs: Mapping[str, float]
    """Present-value cost (CNY) of each lever at strength 1."""
    history: Mapping[int, float] = field(default_factory=dict)
    """CO2 (official caliber, t) of the history years the peak was judged with."""

    @property
    def cost(self) -> float:
        """Present-value cost (CNY) of the least-cost strengths, without co-benefits."""
        return sum(self.unit_costs[k] * s for k, s in self.solution.strengths.items())


def _runs(
    model: LinearModel, levers: Sequence[str], strengths: Sequence[Mapping[str, float]]
) -> dict[str, dict[int, np.ndarray]]:
    """Simulate one run per strength set (levers absent from a set at 0)."""
    n = len(strengths)
    arrays = {lid: np.array([s.get(lid, 0.0) for s in strengths]) for lid in levers}
    shifts = {name: np.zeros(n) for name in model.drivers.rates}
    return simulate(model, Assumptions(shifts, arrays), (PEAK_INDICATOR, *POLLUTANTS))


def _check(
    sim: Mapping[str, Mapping[int, np.ndarray]],
    run: int,
    request: Request,
    years: list[int],
    history: Mapping[int, float],
) -> Check:
    co2 = {y: float(sim[PEAK_INDICATOR][y][run]) for y in years}
    pollutants = {p: {y: float(sim[p][y][run]) for y in years} for p in POLLUTANTS}
    failures = []
    if request.peak_by is not None:
        peak = find_peak({**history, **co2})
        if not peak.peaked_by(request.peak_by):
            failures.append(
                f"CO2 peaks in {peak.year}"
                + ("" if peak.peaked_in_series else " and has not turned down by the horizon")
                + f", not by {request.peak_by}"
            )
    for p, cap in request.caps.items():
        for t in years:
            if t >= request.cap_from and pollutants[p][t] > cap * (1 + CHECK_TOLERANCE):
                failures.append(f"{p} {t} {pollutants[p][t]:,.0f} t > cap {cap:,.0f} t")
    return Check(co2, pollutants, tuple(failures))


def least_cost(
    model: LinearModel,
    request: Request,
    history_co2: Mapping[int, float],
    costs: CostFile | None = None,
) -> LeastCost:
    """Solve the least-cost pathway of ``model``'s scenario (its levers are the candidates:
    :func:`candidates`) for ``request``, with the CO2 (official caliber) of the history years
    ``history_co2`` (the peak may lie there); ScenarioError when no strengths meet it.

    The peak rule is the platform's (:mod:`xietong.scenarios.peak`): the programme is solved
    once for each year ``s ≤ peak_by`` as the reference no later year may exceed, and the
    cheapest feasible one is kept (exact for that rule, which is not convex)."""
    cost_file = costs or load_lever_costs()
    scenario = model.scenario
    base_year = model.drivers.base_year
    if request.peak_by is not None and not base_year <= request.peak_by < request.last_year:
        raise ScenarioError(
            f"peak-by {request.peak_by}: choose a year from the base year {base_year} to "
            f"{request.last_year - 1} (the series must turn down before {request.last_year})"
        )
    if request.caps and request.cap_from <= base_year:
        raise ScenarioError(f"caps apply from a projected year (after {base_year})")
    unknown = sorted(set(request.caps) - set(POLLUTANTS))
    if unknown:
        raise ScenarioError(f"no cap on {', '.join(unknown)}: choose {', '.join(POLLUTANTS)}")
    ids = [lv.id for lv in scenario.levers]
    years = sorted(
        y for y in range(base_year + 1, model.drivers.end_year + 1) if y <= request.last_year
    )
    r = cost_file.discount_rate
    unit_costs = {
        lv.id: sum(
            cost_file.levers[lv.id].annual_cost
            * lv.progress(t, base_year)
            / (1 + r) ** (t - base_year)
            for t in years
        )
        for lv in scenario.levers
    }
    history = {y: v for y, v in history_co2.items() if y <= base_year}
    point = {lid: 1.0 if cost_file.levers[lid].fixed else 0.0 for lid in ids}
    own = {lv.id for lv in load_scenario(cost_file.scenario).levers}
    plan = {lid: 1.0 for lid in ids if lid in own}
    for _ in range(REFINEMENTS):
        problem = _linearised(model, ids, point, years, history, request, cost_file, unit_costs)
        solution = _cheapest(problem, request)
        again = _runs(model, ids, [dict(solution.strengths), plan])
        check = _check(again, 0, request, years, history)
        if check.holds:
            break
        point = dict(solution.strengths)
    zh, en = request.label()
    result = replace(
        scenario.with_strength(solution.strengths),
        id="least-cost",
        zh=f"最低成本情景（{zh}）",
        en=f"Least-cost scenario ({en})",
    )
    return LeastCost(
        request,
        solution,
        result,
        check,
        sum(unit_costs[k] * s for k, s in plan.items()),
        _check(again, 1, request, years, history),
        cost_file,
        unit_costs,
        history,
    )


def _linearised(
    model: LinearModel,
    ids: Sequence[str],
    point: Mapping[str, float],
    years: Sequence[int],
    history: Mapping[int, float],
    request: Request,
    costs: CostFile,
    unit_costs: Mapping[str, float],
) -> Problem:
    """The programme linearised at ``point`` (strengths of every lever): each lever's
    avoided emissions are those of moving it from 0 to 1 with the others at ``point`` (so
    its interaction with them counts), and the baseline is ``E(point) + Σ point × a``."""
    runs = [dict(point)]
    for lid in ids:
        runs.append({**point, lid: 0.0})
        runs.append({**point, lid: 1.0})
    sim = _runs(model, ids, runs)
    outputs = (PEAK_INDICATOR, *POLLUTANTS)
    avoided = {
        lid: {
            o: {y: float(sim[o][y][1 + 2 * i] - sim[o][y][2 + 2 * i]) for y in years}
            for o in outputs
        }
        for i, lid in enumerate(ids)
    }
    base = {
        o: {
            y: float(sim[o][y][0]) + sum(point[lid] * avoided[lid][o][y] for lid in ids)
            for y in years
        }
        for o in outputs
    }
    options = tuple(
        LeverOption(
            lid,
            unit_costs[lid],
            avoided[lid][PEAK_INDICATOR],
            {p: avoided[lid][p] for p in POLLUTANTS},
            costs.levers[lid].min_strength,
            costs.levers[lid].max_strength,
        )
        for lid in ids
    )
    return Problem(
        {**history, **base[PEAK_INDICATOR]},
        options,
        request.peak_by,
        {p: base[p] for p in POLLUTANTS},
        {p: (cap, request.cap_from) for p, cap in request.caps.items()},
        co_benefit_values() if request.co_benefit else {},
        band=PLATEAU_BAND + PEAK_MARGIN,
    )


def _cheapest(problem: Problem, request: Request) -> Solution:
    """The cheapest solution over the peak's reference years (module docstring of
    :func:`least_cost`); the problem as given when no peak is asked."""
    if request.peak_by is None:
        return solve(problem)
    found: list[Solution] = []
    for ref in (y for y in problem.years if y <= request.peak_by):
        try:
            found.append(solve(replace(problem, peak_reference=ref)))
        except ScenarioError:
            continue
    if not found:
        raise ScenarioError(
            f"no lever strengths within their bounds make CO2 peak by {request.peak_by}"
            + (f" with {', '.join(request.caps)} capped" if request.caps else "")
            + ": relax a cap or the peak year, or widen the levers' ranges "
            "(data/scenarios/costs/lever_costs.yaml)"
        )
    return min(found, key=lambda s: s.cost)


def scenario_yaml(result: LeastCost, scenario_id: str) -> str:
    """The least-cost scenario as a scenario file (``extends`` the cost file's scenario, the
    strengths as overrides, the extra levers in full), with the optimum, the binding
    constraints and their shadow prices in its description."""
    base_ids = {lv.id for lv in load_scenario(result.costs.scenario).levers}
    zh, en = result.request.label()
    binding = result.solution.binding
    prices_en = "; ".join(f"{c.name}: {c.shadow_price:,.0f} CNY/t" for c in binding) or "none"
    prices_zh = "；".join(f"{c.name_zh}：{c.shadow_price:,.0f} 元/吨" for c in binding) or "无"
    check_en = "holds" if result.check.holds else "fails: " + "; ".join(result.check.failures)
    check_zh = "成立" if result.check.holds else "不成立：" + "；".join(result.check.failures)
    raw: dict[str, Any] = {
        "id": scenario_id,
        "zh": f"最低成本情景（{zh}）",
        "en": f"Least-cost scenario ({en})",
        "description": (
            f"Least-cost lever strengths (HiGHS) for: {en}. Present-value cost "
            f"{result.cost / 1e8:,.2f}亿 CNY (plan scenario {result.plan_cost / 1e8:,.2f}亿). "
            f"Binding constraints and their shadow prices (marginal abatement costs): "
            f"{prices_en}. Re-run through the projection: {check_en}. Costs: estimates "
            "(data/scenarios/costs/lever_costs.yaml)."
        ),
        "description_zh": (
            f"按最低成本求解的措施力度（HiGHS），约束：{zh}。成本现值 "
            f"{result.cost / 1e8:,.2f}亿元（规划情景 {result.plan_cost / 1e8:,.2f}亿元）。"
            f"起作用的约束及其影子价格（边际减排成本）：{prices_zh}。"
            f"按常规预测复算：{check_zh}。成本均为估算（依据见措施成本文件）。"
        ),
        "extends": result.costs.scenario,
        "overrides": {
            lv.id: {"strength": round(lv.strength, 6)}
            for lv in result.scenario.levers
            if lv.id in base_ids
        },
        "levers": [
            {**_as_raw(lv), "strength": round(lv.strength, 6)}
            for lv in result.scenario.levers
            if lv.id not in base_ids
        ],
    }
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)
