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
from xietong.accounting.methods.base import GHGS, Term
from xietong.datafiles import data_path

CHUNK = 500


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
    w = np.zeros(len(inv.rows))
    for i, r in enumerate(inv.rows):
        s = r.emission.substance
        if r.emission.scope != "direct":
            continue
        if gwp is not None and s in GHGS:
            w[i] = gwp[s]
        elif gwp is None and s == substance:
            w[i] = 1.0
    return w


def _groups(inv: Inventory, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    table = inv.table()
    keys = table[list(by)].astype(str).agg("|".join, axis=1) if by else pd.Series([""] * len(table))
    codes, uniques = pd.factorize(keys, sort=True)
    labels = pd.DataFrame([u.split("|") if by else [] for u in uniques], columns=list(by))
    return np.asarray(codes), labels


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
    for i in keep:
        r = inv.rows[i]
        idx: list[int] = []
        for t in r.emission.terms:
            if not t.scales:
                continue
            key: object = ("f", t.factor_id) if t.factor_id else ("a", id(r.activity), t.name)
            if key not in sources:
                sources[key] = len(sigmas)
                sigmas.append(math.log1p(_term_u(inv, t, r.activity.quality) / 100) / 1.96)
            idx.append(sources[key])
        rows_idx.append(idx)
    width = max((len(x) for x in rows_idx), default=1)
    index = np.zeros((len(keep), width), dtype=np.int64)
    for n, idx in enumerate(rows_idx):
        index[n, : len(idx)] = idx
    sigma = np.asarray(sigmas)
    x = np.array([inv.rows[i].emission.tonnes for i in keep]) * w[keep]
    g = len(labels)
    # group sums by sorting the rows once and adding contiguous runs (no dense g × rows matrix)
    groups = codes[keep]
    order = np.argsort(groups, kind="stable")
    present, starts = np.unique(groups[order], return_index=True)
    rng = np.random.default_rng(seed)
    sums = np.empty((g, draws))
    for start in range(0, draws, CHUNK):
        n = min(CHUNK, draws - start)
        z = rng.standard_normal((len(sigma), n)) * sigma[:, None]
        log_mult = np.zeros((len(keep), n))
        for k in range(width):
            log_mult += z[index[:, k]]
        drawn = (x[:, None] * np.exp(log_mult))[order]
        sums[:, start : start + n] = 0.0
        if len(present):
            sums[present, start : start + n] = np.add.reduceat(drawn, starts, axis=0)
    return labels, np.bincount(groups, weights=x, minlength=g), sums


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


def change_u95(
    inv: Inventory, substance: str, year0: int, *, draws: int = 2000, seed: int = 20230
) -> dict[int, float]:
    """Half-width (percentage points) of the 95 % interval of the change of a substance's
    direct total from ``year0`` to each later year, ``100 × (E_y / E_0 − 1)``, by approach 2.

    A factor shared by both years is drawn once per draw, so its error cancels in the change;
    activity amounts are drawn per row and year (IPCC 2006 Vol.1 Ch.3, section 3.2.3.1: trend
    uncertainty, correlated factors, uncorrelated activity data)."""
    if not any(r.emission.substance == substance for r in inv.rows):
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
