"""Coupling coordination degree between a pollution-reduction and a carbon-reduction subsystem,
with min–max normalisation and entropy weights.

- Normalisation (per indicator j over the units i — years or districts): positive indicators
  ``y = (x − min)/(max − min)``, negative ``y = (max − x)/(max − min)``; a constant indicator
  gives ``y = 1`` for every unit (no information), or fixed anchors may be given instead of the
  sample's min and max so that scores do not move when a unit is added.
- Entropy weights: ``p_ij = y_ij / Σ_i y_ij``; ``e_j = −(1/ln n) Σ_i p_ij ln p_ij`` with
  ``0 · ln 0 = 0`` and **no shift added before the logarithm**; ``w_j = (1 − e_j)/Σ_k (1 − e_k)``.
- Subsystem scores ``U = Σ_j w_j y_j`` in [0, 1].
- Coupling ``C = 2√(U1·U2)/(U1 + U2)`` (0 when both are 0), coordination ``T = αU1 + βU2``
  (α = β = 0.5 by default), degree ``D = √(C·T)``; grades in ``data/synergy/coupling_grades.csv``
  (ten bands of 0.1, from 极度失调 to 优质协调).
- For ``n`` subsystems (:func:`coupling_n`): ``C = n·(Π U_i)^(1/n) / Σ U_i`` (the geometric over
  the arithmetic mean; for n = 2 the formula above), ``T = Σ β_i U_i`` with ``Σ β_i = 1``,
  ``D = √(C·T)`` (王淑佳 et al. 2021, 自然资源学报 36(3): 793, the normative form).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from xietong.datafiles import data_path


def normalise(
    values: Sequence[float],
    positive: bool,
    bounds: tuple[float, float] | None = None,
) -> list[float]:
    """Min–max scores in [0, 1]; ``bounds`` (low, high) are fixed anchors, else the sample's
    min and max. Values outside fixed anchors are clipped.

    >>> normalise([1.0, 2.0, 3.0], positive=False)
    [1.0, 0.5, 0.0]
    """
    lo, hi = bounds if bounds is not None else (min(values), max(values))
    if hi == lo:
        return [1.0 for _ in values]
    out = []
    for x in values:
        y = (x - lo) / (hi - lo) if positive else (hi - x) / (hi - lo)
        out.append(min(1.0, max(0.0, y)))
    return out


def entropy_divergence(column: Sequence[float]) -> float:
    """The divergence ``1 − e`` of one normalised indicator over its units (at least two;
    a column of zeros carries no information: 0)."""
    n = len(column)
    if n < 2:
        raise ValueError("entropy weights need at least two units")
    total = sum(column)
    if total == 0:
        return 0.0
    e = -sum((y / total) * math.log(y / total) for y in column if y > 0) / math.log(n)
    return 1.0 - e


def entropy_weights(matrix: Sequence[Sequence[float]]) -> list[float]:
    """Entropy weights of the columns of a normalised matrix (rows: units, columns:
    indicators). Needs at least two units. Columns that are all zero carry no information."""
    if len(matrix) < 2:
        raise ValueError("entropy weights need at least two units")
    m = len(matrix[0])
    divergence = [entropy_divergence([row[j] for row in matrix]) for j in range(m)]
    s = sum(divergence)
    if s == 0:
        return [1.0 / m] * m
    return [d / s for d in divergence]


@dataclass(frozen=True)
class Coupling:
    """Coupling C, coordination T, degree D and its grade for subsystem scores U1, U2."""

    u1: float
    u2: float
    c: float
    t: float
    d: float
    grade: int
    grade_zh: str
    grade_en: str


@cache
def grades() -> list[tuple[float, float, int, str, str]]:
    """The grade bands (lower, upper, grade, zh, en)."""
    path = data_path("synergy", "coupling_grades.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            (float(r["lower"]), float(r["upper"]), int(r["grade"]), r["zh"], r["en"])
            for r in csv.DictReader(fh)
        ]


def coupling(u1: float, u2: float, alpha: float = 0.5, beta: float = 0.5) -> Coupling:
    """Coupling coordination of two subsystem scores in [0, 1].

    >>> c = coupling(0.64, 0.36)
    >>> round(c.c, 4), round(c.t, 4), round(c.d, 4), c.grade_zh
    (0.96, 0.5, 0.6928, '初级协调')
    """
    for u in (u1, u2):
        if not 0.0 <= u <= 1.0:
            raise ValueError(f"subsystem scores must be in [0, 1], got {u}")
    c = min(1.0, 2 * math.sqrt(u1) * math.sqrt(u2) / (u1 + u2)) if u1 + u2 > 0 else 0.0
    t = alpha * u1 + beta * u2
    d = math.sqrt(c * t)
    grade, zh, en = grade_of(d)
    return Coupling(u1, u2, c, t, d, grade, zh, en)


def grade_of(d: float) -> tuple[int, str, str]:
    """(grade, zh, en) of a coupling coordination degree ``D`` in [0, 1]."""
    for lo, hi, grade, zh, en in grades():
        if lo <= d < hi or (d == hi == 1.0):
            return grade, zh, en
    raise ValueError(f"no grade band for D = {d}")


def coupling_n(scores: Sequence[float], weights: Sequence[float]) -> Coupling:
    """Coupling coordination of ``n`` ≥ 2 subsystem scores in [0, 1] with coordination
    weights ``β`` (renormalised to sum to 1): ``C = n (Π U)^(1/n) / Σ U`` (0 when any score is
    0), ``T = Σ β U``, ``D = √(C·T)``. ``u1``/``u2`` of the result are the first two scores.

    >>> c = coupling_n([0.64, 0.36], [0.5, 0.5])
    >>> round(c.c, 4), round(c.d, 4)
    (0.96, 0.6928)
    >>> round(coupling_n([0.8, 0.2, 0.2], [1, 1, 1]).c, 4)
    0.7937
    """
    n = len(scores)
    if n < 2 or len(weights) != n:
        raise ValueError("coupling needs at least two subsystems, each with a weight")
    for u in scores:
        if not 0.0 <= u <= 1.0:
            raise ValueError(f"subsystem scores must be in [0, 1], got {u}")
    total_w = sum(weights)
    if total_w <= 0:
        raise ValueError("coordination weights must sum to more than 0")
    total = sum(scores)
    if total == 0 or min(scores) == 0:
        c = 0.0
    else:
        geometric = math.exp(sum(math.log(u) for u in scores) / n)
        c = min(1.0, n * geometric / total)
    t = sum(w * u for w, u in zip(weights, scores, strict=True)) / total_w
    d = math.sqrt(c * t)
    grade, zh, en = grade_of(d)
    return Coupling(scores[0], scores[1], c, t, d, grade, zh, en)
