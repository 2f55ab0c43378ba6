"""LMDI-I: a worked example by hand and the exactness properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xietong.synergy.decomposition import kaya, lmdi, logmean, structural


def test_logmean() -> None:
    assert logmean(3.0, 3.0) == 3.0
    assert logmean(2.0, 1.0) == pytest.approx(1 / math.log(2))
    assert logmean(5.0, 0.0) == 0.0


def test_worked_two_factor_example() -> None:
    """V = activity × intensity: 100 × 2 = 200 → 150 × 1.6 = 240 (ΔV = 40).
    L(240, 200) = 40 / ln(1.2) = 219.3929; activity effect 219.3929 × ln(1.5) = 88.9560;
    intensity effect 219.3929 × ln(0.8) = −48.9560; sum 40.0 exactly.
    Multiplicative: D_act = 1.5, D_int = 0.8, product 1.2 = 240/200."""
    d = lmdi(["activity", "intensity"], [[100, 2]], [[150, 1.6]])
    w = 40 / math.log(1.2)
    assert d.additive["activity"] == pytest.approx(w * math.log(1.5))
    assert d.additive["activity"] == pytest.approx(88.9560, abs=1e-4)
    assert d.additive["intensity"] == pytest.approx(-48.9560, abs=1e-4)
    assert d.residual == pytest.approx(0.0, abs=1e-9)
    assert d.multiplicative["activity"] == pytest.approx(1.5)
    assert d.multiplicative["intensity"] == pytest.approx(0.8)


def test_fuel_that_appears_is_handled_by_the_limit() -> None:
    """Gas from 0 to 50 t: the sum stays exact; the new fuel's 50 t goes to the factors that
    changed from zero (mix and emission factor), not to population."""
    d = kaya(
        population=(10, 10),
        gdp=(100, 100),
        energy=(1000, 1000),
        by_fuel={"coal": ((1000, 900), (100, 90)), "gas": ((0, 100), (0, 50))},
    )
    assert d.residual == pytest.approx(0.0, abs=1e-9)
    assert d.additive["population"] == pytest.approx(0.0, abs=1e-9)
    assert d.change == pytest.approx(40.0)


positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(positive, min_size=3, max_size=3), min_size=n, max_size=n),
            st.lists(st.lists(positive, min_size=3, max_size=3), min_size=n, max_size=n),
        )
    )
)
def test_effects_sum_exactly_to_the_change(data) -> None:
    base, final = data
    d = lmdi(["a", "b", "c"], base, final)
    scale = max(abs(d.v0), abs(d.vt), 1.0)
    assert abs(d.residual) <= 1e-9 * scale
    assert math.prod(d.multiplicative.values()) == pytest.approx(d.vt / d.v0, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1e4), st.floats(0, 1e4)), min_size=1, max_size=4))
def test_zeros_keep_the_sum_exact(pairs) -> None:
    base = [[1.0, b] for b, _ in pairs]
    final = [[1.0, f] for _, f in pairs]
    d = lmdi(["x", "y"], base, final)
    assert abs(d.residual) <= 1e-9 * max(abs(d.v0), abs(d.vt), 1.0)


def test_three_sectors_with_a_structure_effect_sum_exactly() -> None:
    """GDP 100 → 120; output shares 0.5/0.3/0.2 → 0.4/0.35/0.25; energy per output 2/1/0.5 →
    1.8/1/0.5; one fuel each at 1 t CO2 per unit of energy. V₀ = 100 × (0.5 × 2 + 0.3 × 1 +
    0.2 × 0.5) = 140; V_T = 120 × (0.4 × 1.8 + 0.35 × 1 + 0.25 × 0.5) = 143.4. By hand, with
    the sector emissions V₀ = (100, 30, 10), V_T = (86.4, 42, 15) and L their logarithmic
    means: activity = ln 1.2 × Σ L; structure = Σ L_s × ln(share_T / share_0); intensity =
    L_1 × ln 0.9; mix and factor 0. The five effects add up to 3.4 with no residual."""

    def sector(q: tuple[float, float], e: tuple[float, float]):
        return (q, {"coal": (e, e)})

    d = structural(
        (100.0, 120.0),
        {
            "industry": sector((50.0, 48.0), (100.0, 86.4)),
            "services": sector((30.0, 42.0), (30.0, 42.0)),
            "households": sector((20.0, 30.0), (10.0, 15.0)),
        },
    )
    v0, vt = (100.0, 30.0, 10.0), (86.4, 42.0, 15.0)
    weights = [(a - b) / (math.log(a) - math.log(b)) for a, b in zip(vt, v0, strict=True)]
    shares = [(0.5, 0.4), (0.3, 0.35), (0.2, 0.25)]
    assert d.v0 == pytest.approx(140.0) and d.vt == pytest.approx(143.4)
    assert d.additive["activity"] == pytest.approx(sum(weights) * math.log(1.2), rel=1e-12)
    structure = sum(w * math.log(t / b) for w, (b, t) in zip(weights, shares, strict=True))
    assert d.additive["structure"] == pytest.approx(structure, rel=1e-12)
    assert d.additive["intensity"] == pytest.approx(weights[0] * math.log(0.9), rel=1e-12)
    assert d.additive["energy_mix"] == 0.0 and d.additive["emission_factor"] == 0.0
    assert sum(d.additive.values()) == pytest.approx(3.4, abs=1e-12)
    assert math.prod(d.multiplicative.values()) == pytest.approx(143.4 / 140.0, rel=1e-12)
