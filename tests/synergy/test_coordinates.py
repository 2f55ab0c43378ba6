"""Co-control coordinates and cross-elasticity; pollution equivalents."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.synergy.coordinates import Quadrant, co_control
from xietong.synergy.equivalents import apeq, pollution_equivalents, weights


def test_worked_example() -> None:
    """CO2 100 → 95 (−5 %), NOx 40 → 30 (−25 %): synergy, Els = 0.25/0.05 = 5."""
    c = co_control((100, 95), (40, 30))
    assert c.quadrant is Quadrant.SYNERGY
    assert c.elasticity == pytest.approx(5.0)


def test_trade_offs() -> None:
    assert co_control((100, 110), (40, 30)).quadrant is Quadrant.POLLUTANT_ONLY
    assert co_control((100, 90), (40, 50)).quadrant is Quadrant.CARBON_ONLY
    assert co_control((100, 110), (40, 50)).quadrant is Quadrant.BOTH_WORSE
    assert co_control((100, 100), (40, 30)).elasticity is None


positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


@given(positive, positive, positive, positive)
def test_elasticity_sign_follows_the_quadrant(g0, g1, p0, p1) -> None:
    c = co_control((g0, g1), (p0, p1))
    if c.elasticity is None or c.elasticity == 0:
        return
    same_side = c.quadrant in (Quadrant.SYNERGY, Quadrant.BOTH_WORSE)
    assert (c.elasticity > 0) == same_side


def test_apeq_by_hand() -> None:
    """1 t SO2 + 1 t NOx + 2.18 t PM10 (烟尘 2.18 kg/eq) + 9.09 t NH3:
    APeq = 1 + 1 + 2.18 × 0.95/2.18 + 9.09 × 0.95/9.09 = 3.9 t SO2-eq;
    equivalents = 1000/0.95 × 2 + 1000 + 1000 = 4105.26."""
    e = {"SO2": 1.0, "NOx": 1.0, "PM10": 2.18, "NH3": 9.09, "CO2": 1e6}
    assert apeq(e) == pytest.approx(3.9)
    assert pollution_equivalents(e) == pytest.approx(2000 / 0.95 + 2000)


def test_weight_sets() -> None:
    assert weights("equal_mass")["CO"] == 1
    with pytest.raises(KeyError, match="tax"):
        weights("nonexistent")


def test_points_on_an_axis() -> None:
    """An end-of-pipe control cuts pollution with CO2 unchanged: on the pollution axis."""
    assert co_control((100, 100), (40, 30)).quadrant is Quadrant.POLLUTION_AXIS
    assert co_control((100, 90), (40, 40)).quadrant is Quadrant.CARBON_AXIS
    assert co_control((100, 100), (40, 40)).quadrant is Quadrant.NEUTRAL


def test_effect_score_by_hand() -> None:
    """Class scores, with the elasticity bonus only where both fall: CO2 −10 %, NOx −15 %
    (Els 1.5): 0.8 + 0.2 × 1.5/2 = 0.95; NOx −40 % (Els 4): capped at 1; CO2 +10 % with NOx
    −10 %: the trade-off's 0.3, no bonus."""
    from xietong.synergy.coordinates import effect_score

    scores = {"synergy": 0.8, "pollutant_only": 0.3}
    assert effect_score(co_control((100, 90), (100, 85)), scores, 2.0, 0.2) == pytest.approx(0.95)
    assert effect_score(co_control((100, 90), (100, 60)), scores, 2.0, 0.2) == 1.0
    assert effect_score(co_control((100, 110), (100, 90)), scores, 2.0, 0.2) == 0.3
