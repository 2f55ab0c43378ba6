"""Co-control coordinate system and cross-elasticity (Mao Xianqiang et al., 2011–2012;
applied to Tangshan in 中国环境管理 2020, 12(4)).

For two states (two years, or without / with a measure) of a GHG emission ``G`` and a pollutant
emission ``P``, the reductions are ``ΔG = G₀ − G₁`` and ``ΔP = P₀ − P₁`` (reductions positive).
The point ``(ΔG, ΔP)`` falls in a quadrant:

- I   both fall: **synergy** (协同);
- II  the pollutant falls, the GHG rises: trade-off at the climate's expense;
- III both rise: both worse;
- IV  the GHG falls, the pollutant rises: trade-off at the air's expense.

The cross-elasticity ``Els = (ΔP/P₀)/(ΔG/G₀)`` is positive in I and III and negative in II and
IV; it is undefined when ``ΔG = 0``. A point on an axis that cuts one of the two and leaves
the other unchanged is ``pollution_axis`` (减污, e.g. an end-of-pipe control) or
``carbon_axis`` (降碳, e.g. PV whose pollutants fall outside the city); ``neutral`` is any
other point on an axis.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Quadrant(StrEnum):
    """Where a pair of reductions falls on the co-control coordinate system."""

    SYNERGY = "synergy"
    POLLUTANT_ONLY = "pollutant_only"
    BOTH_WORSE = "both_worse"
    CARBON_ONLY = "carbon_only"
    POLLUTION_AXIS = "pollution_axis"
    CARBON_AXIS = "carbon_axis"
    NEUTRAL = "neutral"


QUADRANT_ZH = {
    Quadrant.SYNERGY: "协同减排",
    Quadrant.POLLUTANT_ONLY: "减污增碳",
    Quadrant.BOTH_WORSE: "双增",
    Quadrant.CARBON_ONLY: "降碳增污",
    Quadrant.POLLUTION_AXIS: "减污（碳不变）",
    Quadrant.CARBON_AXIS: "降碳（污染物不变）",
    Quadrant.NEUTRAL: "无变化",
}


@dataclass(frozen=True)
class CoControl:
    """Reductions (positive = fell), reduction rates and the cross-elasticity of one pair."""

    ghg_reduction: float
    pollutant_reduction: float
    ghg_rate: float
    pollutant_rate: float
    quadrant: Quadrant
    elasticity: float | None


def quadrant(ghg_reduction: float, pollutant_reduction: float) -> Quadrant:
    """The quadrant of a point (ΔG, ΔP) of reductions."""
    if ghg_reduction > 0 and pollutant_reduction > 0:
        return Quadrant.SYNERGY
    if ghg_reduction < 0 and pollutant_reduction > 0:
        return Quadrant.POLLUTANT_ONLY
    if ghg_reduction < 0 and pollutant_reduction < 0:
        return Quadrant.BOTH_WORSE
    if ghg_reduction > 0 and pollutant_reduction < 0:
        return Quadrant.CARBON_ONLY
    if ghg_reduction == 0 and pollutant_reduction > 0:
        return Quadrant.POLLUTION_AXIS
    if ghg_reduction > 0 and pollutant_reduction == 0:
        return Quadrant.CARBON_AXIS
    return Quadrant.NEUTRAL


def co_control(ghg: tuple[float, float], pollutant: tuple[float, float]) -> CoControl:
    """Co-control effect between state 0 and state 1 of ``ghg`` and ``pollutant`` (same units
    in each pair; values must be positive in state 0).

    >>> c = co_control((100.0, 90.0), (50.0, 40.0))
    >>> c.quadrant.value, c.elasticity
    ('synergy', 2.0)
    """
    g0, g1 = ghg
    p0, p1 = pollutant
    if g0 <= 0 or p0 <= 0:
        raise ValueError("the reference state needs positive emissions")
    dg, dp = g0 - g1, p0 - p1
    rg, rp = dg / g0, dp / p0
    return CoControl(dg, dp, rg, rp, quadrant(dg, dp), rp / rg if rg != 0 else None)


def effect_score(
    effect: CoControl,
    class_scores: dict[str, float],
    elasticity_full: float,
    elasticity_bonus: float,
) -> float:
    """The co-control effect as a score in [0, 1] (``docs/methods/synergy.md``, "co-control
    effect"): the score of the quadrant (``class_scores``, by quadrant value), plus, where both
    fall (quadrant I), ``elasticity_bonus × clip(Els / elasticity_full, 0, 1)``.

    >>> c = co_control((100.0, 90.0), (50.0, 40.0))  # CO2 −10 %, pollutant −20 %: Els = 2
    >>> effect_score(c, {"synergy": 0.8}, 4.0, 0.2)
    0.9
    """
    klass = class_scores[effect.quadrant.value]
    if effect.quadrant is Quadrant.SYNERGY and effect.elasticity is not None:
        klass += elasticity_bonus * min(1.0, max(0.0, effect.elasticity / elasticity_full))
    return min(1.0, klass)
