"""Which assumptions matter: one-at-a-time and Sobol (SALib) sensitivity of a projected output.

Inputs: a shift added to each driver's annual growth rate (± ``growth_range``) and each
lever's strength in ``strength_range`` (defaults: the drivers file's ``uncertainty``
section). The output is the projected value of ``output`` (default ``co2_official``, the
peak's indicator) in ``year``, from the vectorised projection (:mod:`xietong.scenarios.fast`).

- One-at-a-time: the change of the output when one input moves from its low to its high bound
  with the others central.
- Sobol: first-order ``S1`` and total ``ST`` indices (Saltelli sampling and Sobol analysis of
  SALib, seeded; ``N`` base samples → ``N × (k + 2)`` runs without second-order terms).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from xietong.scenarios.fast import Assumptions, LinearModel, simulate
from xietong.scenarios.projection import PEAK_INDICATOR


@dataclass(frozen=True)
class Input:
    """One uncertain input with its bounds and its central value."""

    name: str
    kind: str  # "growth" or "strength"
    key: str
    low: float
    high: float
    central: float


def inputs(
    model: LinearModel,
    *,
    growth_range: Mapping[str, float] | None = None,
    strength_range: tuple[float, float] | None = None,
) -> list[Input]:
    """The uncertain inputs of a model's scenario; bounds default to the ``uncertainty``
    section of the drivers file."""
    bound = model.drivers.growth_range if growth_range is None else growth_range
    out = [
        Input(f"growth:{name}", "growth", name, -bound.get(name, 0.0), bound.get(name, 0.0), 0.0)
        for name in sorted(model.drivers.rates)
    ]
    lo, hi = model.drivers.strength_range if strength_range is None else strength_range
    out += [
        Input(f"lever:{lv.id}", "strength", lv.id, lo * lv.strength, hi * lv.strength, lv.strength)
        for lv in model.scenario.levers
    ]
    return out


def _evaluate(
    model: LinearModel, items: list[Input], matrix: np.ndarray, output: str, year: int
) -> np.ndarray:
    shifts = {i.key: matrix[:, n] for n, i in enumerate(items) if i.kind == "growth"}
    strengths = {i.key: matrix[:, n] for n, i in enumerate(items) if i.kind == "strength"}
    return simulate(model, Assumptions(shifts, strengths), (output,))[output][year]


def one_at_a_time(
    model: LinearModel, *, output: str = PEAK_INDICATOR, year: int = 2030, **bounds: object
) -> list[tuple[str, float, float, float]]:
    """(input, output at low, output at high, high − low) for each input, largest effect
    first."""
    items = inputs(model, **bounds)  # type: ignore[arg-type]
    rows = []
    centre = np.array([[i.central for i in items]])
    for n, item in enumerate(items):
        lo, hi = centre.copy(), centre.copy()
        lo[0, n], hi[0, n] = item.low, item.high
        y_lo = float(_evaluate(model, items, lo, output, year)[0])
        y_hi = float(_evaluate(model, items, hi, output, year)[0])
        rows.append((item.name, y_lo, y_hi, y_hi - y_lo))
    return sorted(rows, key=lambda r: -abs(r[3]))


def sobol(
    model: LinearModel,
    *,
    output: str = PEAK_INDICATOR,
    year: int = 2030,
    n: int = 256,
    seed: int = 20230,
    **bounds: object,
) -> list[tuple[str, float, float]]:
    """(input, S1, ST) for each input, largest total index first."""
    items = inputs(model, **bounds)  # type: ignore[arg-type]
    problem = {
        "num_vars": len(items),
        "names": [i.name for i in items],
        "bounds": [[i.low, i.high] for i in items],
    }
    sample = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = _evaluate(model, items, sample, output, year)
    result = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
    rows = [
        (i.name, float(s1), float(st))
        for i, s1, st in zip(items, result["S1"], result["ST"], strict=True)
    ]
    return sorted(rows, key=lambda r: -r[2])
