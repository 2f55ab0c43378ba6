"""Approach 2 at scale: the rows of one group sharing every factor are drawn as one lognormal
of the same mean and variance (Fenton–Wilkinson), above MERGE_ABOVE rows only."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xietong.accounting import uncertainty
from xietong.accounting.activity import default_activity
from xietong.accounting.coefficients import replicate
from xietong.accounting.inventory import build_inventory


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0.01, 1e6), st.floats(0.01, 0.5)), min_size=2, max_size=12))
def test_the_merged_row_keeps_the_mean_and_variance(rows: list[tuple[float, float]]) -> None:
    x = np.array([v for v, _ in rows])
    sigmas = [0.0, 0.1] + [s for _, s in rows]  # 0: none, 1: a shared factor, then one per row
    rows_idx = [[1, 2 + r] for r in range(len(rows))]
    per_row = set(range(2, 2 + len(rows)))
    mx, groups, idx, sig = uncertainty._merged(
        x, np.zeros(len(rows), dtype=np.int64), rows_idx, sigmas, per_row
    )
    assert len(mx) == 1 and list(groups) == [0]
    shared, own = idx[0]
    assert sig[shared] == 0.1  # the shared factor is still drawn once for all
    s2 = np.array([s for _, s in rows]) ** 2
    mean = float(np.sum(x * np.exp(s2 / 2)))
    var = float(np.sum(x**2 * np.exp(s2) * np.expm1(s2)))
    w = sig[own] ** 2
    assert mx[0] * math.exp(w / 2) == pytest.approx(mean, rel=1e-9)
    assert (mx[0] * math.exp(w / 2)) ** 2 * math.expm1(w) == pytest.approx(var, rel=1e-9)


def test_removals_mixed_with_emissions_are_not_merged() -> None:
    x = np.array([5.0, -2.0])
    out = uncertainty._merged(
        x, np.zeros(2, dtype=np.int64), [[1, 2], [1, 3]], [0, 0.1, 0.2, 0.2], {2, 3}
    )
    assert list(out[0]) == [5.0, -2.0]


def test_small_data_is_drawn_row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    inv = build_inventory(default_activity("wuhan"))
    nox = inv.frame()
    assert (
        (nox["substance"] == "NOx") & (nox["scope"] == "direct")
    ).sum() < uncertainty.MERGE_ABOVE

    def refuse(*args: object) -> object:
        raise AssertionError("merged below the threshold")

    monkeypatch.setattr(uncertainty, "_merged", refuse)
    assert uncertainty.change_u95(inv, "NOx", 2020, draws=400)


def test_merged_and_row_by_row_agree_on_a_large_table(monkeypatch: pytest.MonkeyPatch) -> None:
    inv = build_inventory(replicate(default_activity("wuhan"), 30))
    merged = uncertainty.change_u95(inv, "NOx", 2020, draws=1000)
    monkeypatch.setattr(uncertainty, "MERGE_ABOVE", 10**9)
    exact = uncertainty.change_u95(inv, "NOx", 2020, draws=1000)
    assert set(merged) == set(exact)
    for year in exact:  # two Monte Carlo estimates of the same width (percentage points)
        assert merged[year] == pytest.approx(exact[year], abs=0.4)
