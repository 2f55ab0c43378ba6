"""LMDI-I decomposition (Ang 2004, Energy Policy 32:1131; Ang 2015, Energy Policy 86:233).

A quantity ``V = Σ_i Π_k x_ik`` (e.g. CO2 = Σ_fuels P × G/P × E/G × E_i/E × C_i/E_i) changes
from period 0 to T. LMDI-I gives each factor k

- additive:  ``ΔV_k = Σ_i L(V_iT, V_i0) × ln(x_ikT / x_ik0)``, with the logarithmic mean
  ``L(a, b) = (a − b)/(ln a − ln b)``, ``L(a, a) = a``; the effects sum exactly to
  ``V_T − V_0`` (no residual);
- multiplicative: ``D_k = exp(Σ_i L(V_iT, V_i0)/L(V_T, V_0) × ln(x_ikT / x_ik0))``; the effects
  multiply exactly to ``V_T / V_0``.

Zero values follow Ang & Liu (2007, Energy Policy 35:238): a zero is replaced by a small
``δ`` (default 1e-100) and the limit is taken; a sub-category that appears (``V_i0 = 0``) or
disappears then contributes its whole value to the factors that change from or to zero, and
the sums stay exact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DELTA = 1e-100


def logmean(a: float, b: float) -> float:
    """The logarithmic mean L(a, b) = (a − b)/(ln a − ln b), L(a, a) = a, L(a, 0) = 0.

    >>> round(logmean(2.0, 1.0), 6)
    1.442695
    """
    if a < 0 or b < 0:
        raise ValueError("the logarithmic mean needs non-negative values")
    if a == b:
        return a
    if a == 0 or b == 0:
        return 0.0
    d = math.log(a) - math.log(b)
    return a if d == 0 else (a - b) / d


@dataclass(frozen=True)
class Decomposition:
    """Effects of each factor: additive (in the unit of V) and multiplicative (ratios)."""

    v0: float
    vt: float
    additive: Mapping[str, float]
    multiplicative: Mapping[str, float]

    @property
    def change(self) -> float:
        """V_T − V_0."""
        return self.vt - self.v0

    @property
    def residual(self) -> float:
        """V_T − V_0 minus the sum of the additive effects (zero up to rounding)."""
        return self.change - sum(self.additive.values())


def _safe(x: float, delta: float) -> float:
    if x < 0:
        raise ValueError(f"LMDI needs non-negative factor values, got {x}")
    return x if x > 0 else delta


def lmdi(
    factors: Sequence[str],
    base: Sequence[Sequence[float]],
    final: Sequence[Sequence[float]],
    *,
    delta: float = DELTA,
) -> Decomposition:
    """Decompose ``V = Σ_i Π_k x_ik`` between ``base`` (rows i, columns k in the order of
    ``factors``) and ``final`` by LMDI-I, additive and multiplicative."""
    if len(base) != len(final):
        raise ValueError("base and final need the same sub-categories")
    k = len(factors)
    for row in (*base, *final):
        if len(row) != k:
            raise ValueError(f"each sub-category needs {k} factor values")
    v0_i = [math.prod(r) for r in base]
    vt_i = [math.prod(r) for r in final]
    v0, vt = sum(v0_i), sum(vt_i)
    additive = dict.fromkeys(factors, 0.0)
    for i in range(len(base)):
        if v0_i[i] == 0 and vt_i[i] == 0:
            continue
        safe0 = math.prod(_safe(x, delta) for x in base[i])
        safet = math.prod(_safe(x, delta) for x in final[i])
        w = logmean(safet, safe0)
        for j, name in enumerate(factors):
            r = math.log(_safe(final[i][j], delta)) - math.log(_safe(base[i][j], delta))
            additive[name] += w * r
    total_w = logmean(_safe(vt, delta), _safe(v0, delta))
    multiplicative = {name: _exp(additive[name] / total_w) for name in factors}
    return Decomposition(v0, vt, additive, multiplicative)


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def kaya(
    population: tuple[float, float],
    gdp: tuple[float, float],
    energy: tuple[float, float],
    by_fuel: Mapping[str, tuple[tuple[float, float], tuple[float, float]]],
) -> Decomposition:
    """Kaya decomposition of an emission ``Σ_f P × G/P × E/G × E_f/E × C_f/E_f`` between two
    years: ``population``, ``gdp`` and total ``energy`` as (base, final); ``by_fuel`` maps a fuel
    to ((energy base, energy final), (emission base, emission final)). Factors: population,
    gdp_per_capita, energy_intensity, energy_mix, emission_factor."""
    names = ["population", "gdp_per_capita", "energy_intensity", "energy_mix", "emission_factor"]
    base, final = [], []
    for (e0, et), (c0, ct) in by_fuel.values():
        base.append(
            [
                population[0],
                gdp[0] / population[0],
                energy[0] / gdp[0],
                e0 / energy[0],
                c0 / e0 if e0 else 0.0,
            ]
        )
        final.append(
            [
                population[1],
                gdp[1] / population[1],
                energy[1] / gdp[1],
                et / energy[1],
                ct / et if et else 0.0,
            ]
        )
    return lmdi(names, base, final)


Pair = tuple[float, float]
"""A value in the base and in the final period."""


def structural(
    activity: Pair,
    sectors: Mapping[str, tuple[Pair, Mapping[str, tuple[Pair, Pair]]]],
) -> Decomposition:
    """Multi-sector LMDI-I of an emission ``Σ_s Σ_f Q × Q_s/Q × E_s/Q_s × E_sf/E_s ×
    C_sf/E_sf`` between two periods (Ang 2015, Energy Policy 86:233, the IDA identity with a
    structure effect): ``activity`` is the total output ``Q`` (e.g. GDP at constant prices) as
    (base, final); ``sectors`` maps a sector to (its output ``Q_s`` as (base, final), and per
    fuel or source f ((energy base, final), (emission base, final))). Factors: ``activity``,
    ``structure`` (output shares), ``intensity`` (energy per output of the sector),
    ``energy_mix`` and ``emission_factor``; the additive effects sum exactly to the change.

    An emission without energy (a process) takes its sector's output as its "energy" (pass
    the output as the energy pair), so its intensity and mix stay 1 and its change falls on
    activity, structure and the emission factor (emission per output)."""
    names = ["activity", "structure", "intensity", "energy_mix", "emission_factor"]
    periods: tuple[list[list[float]], list[list[float]]] = ([], [])
    for q, fuels in sectors.values():
        for p, rows in enumerate(periods):
            e = sum(energy[p] for energy, _ in fuels.values())
            for energy, emission in fuels.values():
                rows.append(
                    [
                        activity[p],
                        q[p] / activity[p],
                        e / q[p] if q[p] else 0.0,
                        energy[p] / e if e else 0.0,
                        emission[p] / energy[p] if energy[p] else 0.0,
                    ]
                )
    return lmdi(names, *periods)
