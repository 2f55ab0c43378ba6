"""Coupling coordination: worked example, properties (range, symmetry, unit invariance)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.synergy.coupling import coupling, entropy_weights, normalise

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def test_worked_example() -> None:
    """U1 0.64, U2 0.36: C = 2√0.2304/1.0 = 0.96; T = 0.5; D = √0.48 = 0.69282 → 初级协调."""
    c = coupling(0.64, 0.36)
    assert (c.c, c.t) == (pytest.approx(0.96), pytest.approx(0.5))
    assert c.d == pytest.approx(math.sqrt(0.48))
    assert (c.grade, c.grade_en) == (7, "primary coordination")


def test_entropy_weights_by_hand() -> None:
    """Column a = (0, 1): p = (0, 1), e = 0 → divergence 1; column b = (1, 1): e = 1 →
    divergence 0. Weights (1, 0)."""
    assert entropy_weights([[0.0, 1.0], [1.0, 1.0]]) == [1.0, 0.0]


@given(unit, unit)
def test_degree_in_unit_interval_and_symmetric(u1: float, u2: float) -> None:
    a, b = coupling(u1, u2), coupling(u2, u1)
    assert 0.0 <= a.c <= 1.0 + 1e-12 and 0.0 <= a.d <= 1.0 + 1e-12
    assert a.c == pytest.approx(b.c) and a.d == pytest.approx(b.d)


@given(
    st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=8),
    st.floats(min_value=1e-3, max_value=1e3),
)
def test_normalisation_is_unit_invariant(values: list[float], scale: float) -> None:
    """Scores do not depend on the unit an indicator is given in (t vs 万t)."""
    for positive in (True, False):
        assert normalise([v * scale for v in values], positive) == pytest.approx(
            normalise(values, positive), abs=1e-9
        )


def test_three_subsystems_by_hand() -> None:
    """U = (0.8, 0.2, 0.2), equal β: C = 3 × (0.032)^(1/3) / 1.2 = 0.793700;
    T = 0.4; D = √(0.31748) = 0.563454 → 勉强协调."""
    from xietong.synergy.coupling import coupling_n

    c = coupling_n([0.8, 0.2, 0.2], [1, 1, 1])
    assert c.c == pytest.approx(3 * 0.032 ** (1 / 3) / 1.2)
    assert c.t == pytest.approx(0.4)
    assert c.d == pytest.approx(math.sqrt(c.c * 0.4))
    assert c.grade_zh == "勉强协调"


@given(unit, unit)
def test_two_subsystems_agree_with_the_pair_formula(u1: float, u2: float) -> None:
    from xietong.synergy.coupling import coupling_n

    a, b = coupling(u1, u2), coupling_n([u1, u2], [0.5, 0.5])
    if min(u1, u2) > 0:
        assert a.c == pytest.approx(b.c) and a.d == pytest.approx(b.d)
    else:
        assert b.c == 0.0
