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


def entropy_weights(matrix: Sequence[Sequence[float]]) -> list[float]:
    """Entropy weights of the columns of a normalised matrix (rows: units, columns:
    indicators). Needs at least two units. Columns that are all zero carry no information."""
    n = len(matrix)
    if n < 2:
        raise ValueError("entropy weights need at least two units")
    m = len(matrix[0])
    divergence = []
    for j in range(m):
        col = [row[j] for row in matrix]
        total = sum(col)
        if total == 0:
            divergence.append(0.0)
            continue
        e = -sum((y / total) * math.log(y / total) for y in col if y > 0) / math.log(n)
        divergence.append(1.0 - e)
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
    for lo, hi, grade, zh, en in grades():
        if lo <= d < hi or (d == hi == 1.0):
            return Coupling(u1, u2, c, t, d, grade, zh, en)
    raise ValueError(f"no grade band for D = {d}")
