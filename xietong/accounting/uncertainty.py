"""Uncertainty of an inventory: IPCC approach 1 (error propagation) and approach 2 (Monte
Carlo), IPCC 2006 Vol.1 Ch.3.

Every emission is a product of terms; the terms marked ``scales`` (activity amounts and
factors) carry an uncertainty: the factor's 95 % range where its source gives one, else the
default of ``data/accounting/uncertainty_defaults.csv`` by factor tier or activity quality
(assumptions, stated there).

- Approach 1: the relative 95 % half-width of a product is ``√Σ U_i²`` (Eq.3.1); of a sum
  ``√Σ (U_i x_i)² / |Σ x_i|`` (Eq.3.2), assuming independent rows.
- Approach 2: each activity row and each factor is one random multiplier, lognormal with
  median 1 and ``σ = ln(1 + U/100) / 1.96``; a factor shared by many rows is drawn once per
  draw, so its error is fully correlated across them. Seeded: the same seed gives the same
  intervals. Results: mean and the 2.5 / 97.5 percentiles per group.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd

from xietong.accounting.factors import GWPSet
from xietong.accounting.inventory import Inventory
from xietong.accounting.methods.base import Term
from xietong.accounting.potentials import row_potentials
from xietong.datafiles import data_path

CHUNK = 500

MERGE_ABOVE = 5_000
"""Above this many emission rows of the substance (or of the GHGs), the rows of one group that
share every factor are drawn as one (their independent activity errors combined by moment
matching, :func:`_merged`)."""


@cache
def defaults() -> dict[tuple[str, str], float]:
    """Default 95 % half-widths (%) by (``quality`` | ``tier``, key)."""
    path = data_path("accounting", "uncertainty_defaults.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["kind"], r["key"]): float(r["half_width_pct"]) for r in csv.DictReader(fh)}


def _term_u(inv: Inventory, t: Term, quality: str) -> float:
    if t.uncertainty_pct is not None:
        return t.uncertainty_pct
    if t.factor_id:
        return defaults().get(("tier", inv.library.get(t.factor_id).tier), 30.0)
    return defaults().get(("quality", quality), 30.0)


def _weights(inv: Inventory, gwp: GWPSet | None, substance: str | None) -> np.ndarray:
    table = inv.frame()
    direct = (table["scope"] == "direct").to_numpy()
    subs = table["substance"]
    weight: np.ndarray = (
        row_potentials(gwp, subs, table["activity"])
        if gwp is not None
        else (subs == substance).to_numpy(dtype=float)
    )
    return np.where(direct, weight, 0.0)


def _groups(inv: Inventory, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    table = inv.frame()
    if not by:
        return np.zeros(len(table), dtype=np.int64), pd.DataFrame(index=range(1))
    groups = table.groupby(list(by), sort=True)
    labels = groups.size().reset_index()[list(by)].astype(str)
    return groups.ngroup().to_numpy(dtype=np.int64), labels


def approach1(
    inv: Inventory, by: Sequence[str], *, gwp: GWPSet | None = None, substance: str | None = None
) -> pd.DataFrame:
    """Approach 1: value and relative 95 % half-width (%) per group of ``by`` — for CO2e under
    ``gwp`` or for one ``substance``."""
    w = _weights(inv, gwp, substance)
    codes, labels = _groups(inv, by)
    g = len(labels)
    value, var = np.zeros(g), np.zeros(g)
    for i, r in enumerate(inv.rows):
        if w[i] == 0:
            continue
        x = r.emission.tonnes * w[i]
        u = math.sqrt(
            sum(_term_u(inv, t, r.activity.quality) ** 2 for t in r.emission.terms if t.scales)
        )
        value[codes[i]] += x
        var[codes[i]] += (u * x) ** 2
    out = labels.copy()
    out["value"] = value
    out["u95_pct"] = np.where(
        value != 0, np.sqrt(var) / np.abs(np.where(value == 0, 1, value)), 0.0
    )
    return out[out["value"] != 0].reset_index(drop=True)


def _draws(
    inv: Inventory,
    by: Sequence[str],
    *,
    draws: int,
    seed: int,
    gwp: GWPSet | None,
    substance: str | None,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Approach 2's draws: the group labels, the central values and the drawn totals
    (groups × draws)."""
    w = _weights(inv, gwp, substance)
    keep = np.flatnonzero(w)
    codes, labels = _groups(inv, by)
    sources: dict[object, int] = {"none": 0}
    sigmas: list[float] = [0.0]
    rows_idx: list[list[int]] = []
    per_row: set[int] = set()  # the sources drawn for one activity row alone
    frame = inv.frame()
    shapes: dict[tuple[int, int], list[tuple[str | None, Term]]] = {}
    for i, n, tid, k in zip(
        keep,
        frame["n"].to_numpy()[keep],
        frame["template"].to_numpy()[keep],
        frame["k"].to_numpy()[keep],
        strict=True,
    ):
        act = inv.activities[int(n)]
        if tid < 0:  # a series row: its own terms
            scaling = [(t.factor_id, t) for t in inv.row(int(i)).emission.terms if t.scales]
        else:  # a template row: the template's scaling terms, worked out once
            template = (inv.template_of(int(n)), int(k))
            shape = shapes.get(template)
            if shape is None:
                terms = inv.unit_emission(int(n), int(k)).terms
                shape = shapes[template] = [(t.factor_id, t) for t in terms if t.scales]
            scaling = shape
        idx: list[int] = []
        for factor_id, t in scaling:
            key: object = ("f", factor_id) if factor_id else ("a", id(act), t.name)
            if key not in sources:
                sources[key] = len(sigmas)
                sigmas.append(math.log1p(_term_u(inv, t, act.quality) / 100) / 1.96)
                if not factor_id:
                    per_row.add(sources[key])
            idx.append(sources[key])
        rows_idx.append(idx)
    x = frame["value"].to_numpy(dtype=float)[keep] * w[keep]
    groups = codes[keep]
    g = len(labels)
    central = np.bincount(groups, weights=x, minlength=g)
    if len(keep) > MERGE_ABOVE:
        x, groups, rows_idx, sigmas = _merged(x, groups, rows_idx, sigmas, per_row)
    width = max((len(r) for r in rows_idx), default=1)
    index = np.zeros((len(rows_idx), width), dtype=np.int64)
    for n, idx in enumerate(rows_idx):
        index[n, : len(idx)] = idx
    sigma = np.asarray(sigmas)
    # group sums by sorting the rows once and adding contiguous runs (no dense g × rows matrix)
    order = np.argsort(groups, kind="stable")
    present, starts = np.unique(groups[order], return_index=True)
    rng = np.random.default_rng(seed)
    sums = np.empty((g, draws))
    for start in range(0, draws, CHUNK):
        n = min(CHUNK, draws - start)
        z = rng.standard_normal((len(sigma), n)) * sigma[:, None]
        log_mult = np.zeros((len(rows_idx), n))
        for k in range(width):
            log_mult += z[index[:, k]]
        drawn = (x[:, None] * np.exp(log_mult))[order]
        sums[:, start : start + n] = 0.0
        if len(present):
            sums[present, start : start + n] = np.add.reduceat(drawn, starts, axis=0)
    return labels, central, sums


def monte_carlo(
    inv: Inventory,
    by: Sequence[str],
    *,
    draws: int = 10_000,
    seed: int = 20230,
    gwp: GWPSet | None = None,
    substance: str | None = None,
) -> pd.DataFrame:
    """Approach 2: central value, mean and 95 % interval (2.5 / 97.5 percentiles) per group."""
    labels, central, sums = _draws(inv, by, draws=draws, seed=seed, gwp=gwp, substance=substance)
    out = labels.copy()
    out["value"] = central
    out["mean"] = sums.mean(axis=1)
    out["p2_5"] = np.percentile(sums, 2.5, axis=1)
    out["p97_5"] = np.percentile(sums, 97.5, axis=1)
    out["draws"] = draws
    out["seed"] = seed
    return out[out["value"] != 0].reset_index(drop=True)


def _merged(
    x: np.ndarray,
    groups: np.ndarray,
    rows_idx: list[list[int]],
    sigmas: list[float],
    per_row: set[int],
) -> tuple[np.ndarray, np.ndarray, list[list[int]], list[float]]:
    """Rows of one group with the same factor sources merged into one row.

    Each row is ``x_i × exp(f + a_i)`` with ``f`` the shared factors' draw and ``a_i ~
    N(0, s_i²)`` its own activity (and row-parameter) errors, independent between rows. The
    sum ``Σ x_i exp(a_i)`` has mean ``Σ x_i e^{s_i²/2}`` and variance ``Σ x_i² e^{s_i²}
    (e^{s_i²} − 1)``; it is drawn as the lognormal of the same mean and variance
    (Fenton–Wilkinson), one new source per merged row. A group of one row is kept as it is.
    """
    members: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    for r, idx in enumerate(rows_idx):
        shared = tuple(sorted(i for i in idx if i not in per_row))
        members.setdefault((int(groups[r]), shared), []).append(r)
    out_x: list[float] = []
    out_groups: list[int] = []
    out_idx: list[list[int]] = []
    out_sigmas = list(sigmas)
    for (group, shared), rows in members.items():
        xs = x[rows]
        if len(rows) == 1 or not (np.all(xs > 0) or np.all(xs < 0)):
            for r in rows:  # alone, or removals mixed with emissions: kept as they are
                out_x.append(float(x[r]))
                out_groups.append(group)
                out_idx.append(rows_idx[r])
            continue
        s2 = np.array([sum(sigmas[i] ** 2 for i in rows_idx[r] if i in per_row) for r in rows])
        mean = float(np.sum(xs * np.exp(s2 / 2)))
        var = float(np.sum(xs**2 * np.exp(s2) * np.expm1(s2)))
        width2 = math.log1p(var / mean**2)
        out_x.append(math.copysign(math.exp(math.log(abs(mean)) - width2 / 2), mean))
        out_groups.append(group)
        out_sigmas.append(math.sqrt(width2))
        out_idx.append([*shared, len(out_sigmas) - 1])
    used = sorted({0, *(i for idx in out_idx for i in idx)})  # drop the merged rows' sources
    new = {old: n for n, old in enumerate(used)}
    return (
        np.asarray(out_x),
        np.asarray(out_groups, dtype=np.int64),
        [[new[i] for i in idx] for idx in out_idx],
        [out_sigmas[i] for i in used],
    )


def change_u95(
    inv: Inventory, substance: str, year0: int, *, draws: int = 2000, seed: int = 20230
) -> dict[int, float]:
    """Half-width (percentage points) of the 95 % interval of the change of a substance's
    direct total from ``year0`` to each later year, ``100 × (E_y / E_0 − 1)``, by approach 2.

    A factor shared by both years is drawn once per draw, so its error cancels in the change;
    activity amounts are drawn per row and year (IPCC 2006 Vol.1 Ch.3, section 3.2.3.1: trend
    uncertainty, correlated factors, uncorrelated activity data)."""
    if not (inv.frame()["substance"] == substance).any():
        return {}
    labels, _, sums = _draws(inv, ("year",), draws=draws, seed=seed, gwp=None, substance=substance)
    years = [int(y) for y in labels["year"]]
    if year0 not in years:
        return {}
    base = sums[years.index(year0)]
    out: dict[int, float] = {}
    for i, year in enumerate(years):
        if year <= year0 or not np.all(base > 0):
            continue
        change = 100 * (sums[i] / base - 1)
        out[year] = float((np.percentile(change, 97.5) - np.percentile(change, 2.5)) / 2)
    return out
