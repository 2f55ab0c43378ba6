"""The least-cost set of lever strengths that peaks CO2 by a chosen year and keeps pollutants
under caps: a linear programme solved by HiGHS (``scipy.optimize.linprog``, method
``highs``), as GAINS does for air pollution, here for both.

Each lever ``l`` has a strength ``s_l`` in ``[min, max]`` and, per unit of strength, the CO2 and
pollutants it avoids in each year (``a_lt``, t; from the scenario engine: the lever's wedge at
strength 1) and its cost (CNY over the horizon, annualised capital + operating − fuel savings).
Emissions are ``E_t = B_t − Σ_l s_l × a_lt`` (the baseline ``B`` less the levers; linear: the
levers' interaction is left to the re-run through the normal projection, which checks the
result). The programme:

- minimise ``Σ_l s_l × (cost_l − Σ_p v_p × Σ_t a_plt)``, ``v_p`` the optional co-benefit value
  of a t of pollutant ``p`` avoided (CNY/t);
- peak by year ``Y``: ``E_{t+1} ≤ E_t`` for every pair of years from ``Y`` on; or, with a
  reference year ``s ≤ Y`` (``peak_reference``), the platform's peak rule
  (:mod:`xietong.scenarios.peak`) made linear: ``E_t ≤ E_s`` for every ``t > Y`` and
  ``E_last ≤ (1 − band) × E_s`` (the series turns down beyond the plateau band), which make
  the peak year ``≤ Y``;
- caps: ``E_pt ≤ cap_p`` in every year from the cap's first year on.

The shadow price of a binding constraint (its dual, CNY per t of relaxation) is the marginal
abatement cost of that constraint.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

from xietong.scenarios.scenario import ScenarioError


@dataclass(frozen=True)
class LeverOption:
    """A lever the programme may use: cost (CNY per unit of strength, over the horizon), CO2
    and pollutants avoided per unit of strength by year (t), and its strength bounds."""

    id: str
    cost: float
    co2: Mapping[int, float]
    pollutants: Mapping[str, Mapping[int, float]] = field(default_factory=dict)
    min_strength: float = 0.0
    max_strength: float = 1.0


@dataclass(frozen=True)
class Problem:
    """Baseline CO2 and pollutants by year (t), the levers, the peak year and the caps."""

    baseline_co2: Mapping[int, float]
    levers: tuple[LeverOption, ...]
    peak_by: int | None = None
    baseline_pollutants: Mapping[str, Mapping[int, float]] = field(default_factory=dict)
    caps: Mapping[str, tuple[float, int]] = field(default_factory=dict)
    """Per pollutant: (cap in t, first year it applies)."""
    co_benefit: Mapping[str, float] = field(default_factory=dict)
    """CNY per t of pollutant avoided, subtracted from the cost (optional)."""
    peak_reference: int | None = None
    """With ``peak_by``: the year ``s ≤ peak_by`` no later year may exceed (module
    docstring); None: CO2 may not rise from ``peak_by`` on."""
    band: float = 0.02
    """The plateau band of the peak rule (the last year ≤ (1 − band) × E_s)."""

    @property
    def years(self) -> list[int]:
        """The years of the horizon."""
        return sorted(self.baseline_co2)


@dataclass(frozen=True)
class Constraint:
    """A constraint of the programme: its name, whether it binds, and its shadow price (CNY
    per t by which relaxing it lowers the cost)."""

    name: str
    binding: bool
    shadow_price: float
    name_zh: str = ""


@dataclass(frozen=True)
class Solution:
    """The least-cost strengths, the cost, the resulting emissions and the constraints."""

    strengths: Mapping[str, float]
    cost: float
    co2: Mapping[int, float]
    pollutants: Mapping[str, Mapping[int, float]]
    constraints: tuple[Constraint, ...]

    @property
    def binding(self) -> list[Constraint]:
        """The constraints that bind at the optimum."""
        return [c for c in self.constraints if c.binding]


TOLERANCE = 1e-7
"""Slack (t) under which a constraint counts as binding."""


def solve(problem: Problem) -> Solution:
    """The least-cost strengths of ``problem`` (module docstring); ScenarioError where no
    strengths within the bounds meet the constraints."""
    years = problem.years
    levers = problem.levers
    if not levers:
        raise ScenarioError("the least-cost problem needs at least one lever")
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    names: list[str] = []
    names_zh: list[str] = []

    def avoided(lv: LeverOption, substance: str, year: int) -> float:
        if substance == "CO2":
            return lv.co2.get(year, 0.0)
        return lv.pollutants.get(substance, {}).get(year, 0.0)

    ref = problem.peak_reference
    if problem.peak_by is not None and ref is not None:
        if ref > problem.peak_by or ref not in problem.baseline_co2:
            raise ScenarioError(f"peak reference {ref}: a year of the horizon ≤ {problem.peak_by}")
        for t in years:
            if t <= problem.peak_by:
                continue
            # E_t − E_s ≤ 0  ⇔  −Σ x (a_t − a_s) ≤ B_s − B_t
            factor = (1 - problem.band) if t == years[-1] else 1.0
            rows.append(
                np.array(
                    [-(avoided(lv, "CO2", t) - factor * avoided(lv, "CO2", ref)) for lv in levers]
                )
            )
            rhs.append(factor * problem.baseline_co2[ref] - problem.baseline_co2[t])
            shown = f"{factor:g} × " if factor != 1.0 else ""
            names.append(f"CO2 {t} ≤ {shown}CO2 {ref} (peak by {problem.peak_by})")
            names_zh.append(f"{t}年CO2 ≤ {shown}{ref}年CO2（{problem.peak_by}年前达峰）")
    elif problem.peak_by is not None:
        for t0, t1 in itertools.pairwise(years):
            if t0 < problem.peak_by:
                continue
            # E_t1 − E_t0 ≤ 0  ⇔  −Σ s (a_t1 − a_t0) ≤ B_t0 − B_t1
            rows.append(
                np.array([-(avoided(lv, "CO2", t1) - avoided(lv, "CO2", t0)) for lv in levers])
            )
            rhs.append(problem.baseline_co2[t0] - problem.baseline_co2[t1])
            names.append(f"CO2 {t1} ≤ {t0} (peak by {problem.peak_by})")
            names_zh.append(f"{t1}年CO2 ≤ {t0}年（{problem.peak_by}年前达峰）")
    for substance, (cap, first) in problem.caps.items():
        base = problem.baseline_pollutants.get(substance)
        if base is None:
            raise ScenarioError(f"a cap on {substance} needs its baseline")
        for t in years:
            if t < first:
                continue
            # B − Σ s a ≤ cap  ⇔  −Σ s a ≤ cap − B
            rows.append(np.array([-avoided(lv, substance, t) for lv in levers]))
            rhs.append(cap - base[t])
            names.append(f"{substance} {t} ≤ {cap:g} t")
            names_zh.append(f"{t}年{substance} ≤ {cap:g} 吨")
    cost = np.array(
        [
            lv.cost
            - sum(
                value * sum(lv.pollutants.get(p, {}).get(t, 0.0) for t in years)
                for p, value in problem.co_benefit.items()
            )
            for lv in levers
        ]
    )
    bounds = [(lv.min_strength, lv.max_strength) for lv in levers]
    result = linprog(
        cost,
        A_ub=np.vstack(rows) if rows else None,
        b_ub=np.array(rhs) if rows else None,
        bounds=bounds,
        method="highs",
    )
    if result.status == 2:
        raise ScenarioError(
            "no lever strengths within their bounds meet the constraints "
            f"({'; '.join(names)}): relax a cap or the peak year, or add levers"
        )
    if result.status != 0:
        raise ScenarioError(f"the least-cost problem was not solved: {result.message}")
    s = result.x
    strengths = {lv.id: float(x) for lv, x in zip(levers, s, strict=True)}
    co2 = {
        t: problem.baseline_co2[t]
        - sum(x * avoided(lv, "CO2", t) for lv, x in zip(levers, s, strict=True))
        for t in years
    }
    pollutants = {
        p: {
            t: base[t] - sum(x * avoided(lv, p, t) for lv, x in zip(levers, s, strict=True))
            for t in sorted(base)
        }
        for p, base in problem.baseline_pollutants.items()
    }
    constraints = []
    if rows:
        slack = result.ineqlin.residual
        duals = result.ineqlin.marginals
        for name, zh, sl, dual in zip(names, names_zh, slack, duals, strict=True):
            constraints.append(Constraint(name, bool(sl <= TOLERANCE), float(-dual), zh))
    return Solution(strengths, float(result.fun), co2, pollutants, tuple(constraints))
