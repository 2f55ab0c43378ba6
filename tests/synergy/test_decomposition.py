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


def _pylmdi_add(vt: list[float], v0: list[float], xt: list[list[float]], x0: list[list[float]]):
    """PyLMDI 1.0's additive LMDI (Xiang, Ma, Ma & Ma, "Python-LMDI: A tool for the index
    decomposition analysis", the repository's PyLMDI.Add): ΔV_k = Σ_i L(V_ti, V_0i) ×
    ln(x_tki / x_0ki), factors as rows and sub-categories as columns."""
    return [
        sum(logmean(vt[i], v0[i]) * math.log(end[i] / start[i]) for i in range(len(start)))
        for start, end in zip(x0, xt, strict=True)
    ]


def test_pylmdi_published_example() -> None:
    """PyLMDI's published example (Numercial_Examples/Examples_China.py): CO2 of China's
    commercial buildings 2017 → 2018, C = P × g × s × i × e × K (761.98 → 794.61 Mt). Our
    LMDI-I gives PyLMDI's effects and sums to the change."""
    x0 = [1390.08, 59.04367375, 0.51892765, 0.002876626, 3.004500526, 2.07]
    xt = [1395.38, 64.52073987, 0.521570193, 0.002743568, 3.053397862, 2.02]
    names = ["P", "g", "s", "i", "e", "K"]
    d = lmdi(names, [x0], [xt])
    assert d.v0 == pytest.approx(761.984276581356, rel=1e-9)
    assert d.vt == pytest.approx(794.6119504871361, rel=1e-9)
    theirs = _pylmdi_add([d.vt], [d.v0], [[x] for x in xt], [[x] for x in x0])
    assert [d.additive[n] for n in names] == pytest.approx(theirs, rel=1e-9)
    assert sum(theirs) == pytest.approx(d.vt - d.v0, rel=1e-9)


def test_the_wuhan_structural_drivers_equal_pylmdi_and_sum_exactly() -> None:
    """All direct CO2 and NOx (forestry aside) of the shipped data, 2020 → 2024, by 三次产业
    and households: the effects sum to the change with no residual, equal PyLMDI's formula
    on the same sub-categories, and the total is the territorial direct CO2 (caliber C)."""
    from xietong.accounting.activity import default_activity
    from xietong.accounting.indicators import read_statistics
    from xietong.accounting.inventory import build_inventory
    from xietong.datafiles import data_path
    from xietong.synergy.drivers import STRUCTURAL_FACTORS, structural_drivers, structural_terms

    inv = build_inventory(default_activity())
    stats = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    f = inv.frame()
    for substance in ("CO2", "NOx"):
        d = structural_drivers(inv, stats, substance, 2020, 2024)
        assert abs(d.residual) < 1e-9 * d.v0
        assert set(d.additive) == set(STRUCTURAL_FACTORS)
        base, final = structural_terms(inv, stats, substance, 2020, 2024)
        kept = [i for i, (b, t) in enumerate(zip(base, final, strict=True)) if min(b + t) > 0]
        v0 = [math.prod(base[i]) for i in kept]
        vt = [math.prod(final[i]) for i in kept]
        x0 = [[base[i][k] for i in kept] for k in range(len(STRUCTURAL_FACTORS))]
        xt = [[final[i][k] for i in kept] for k in range(len(STRUCTURAL_FACTORS))]
        # PyLMDI takes no zeros: compare on the terms without one (most of the total)
        assert len(kept) > len(base) / 2 and sum(vt) > 0.9 * d.vt
        ours = lmdi(STRUCTURAL_FACTORS, [base[i] for i in kept], [final[i] for i in kept])
        theirs = _pylmdi_add(vt, v0, xt, x0)
        assert [ours.additive[n] for n in STRUCTURAL_FACTORS] == pytest.approx(theirs, rel=1e-9)
        for year, v in ((2020, d.v0), (2024, d.vt)):
            direct = f[
                (f.year == year)
                & (f.substance == substance)
                & (f.scope == "direct")
                & (f.sector != "forestry")
            ]
            assert v == pytest.approx(float(direct["value"].sum()), rel=1e-9)
    with pytest.raises(ValueError, match="2019: the statistics lack gdp_primary"):
        structural_drivers(inv, stats, "CO2", 2019, 2024)
