"""Waste: landfill first-order decay, incineration, composting (IPCC 2006 Vol.5)."""

from __future__ import annotations

import math

import pytest

from tests.accounting.conftest import make
from xietong.accounting.factors import FactorError
from xietong.accounting.methods import waste
from xietong.accounting.methods.base import Context


def landfill(year: int, tonnes: float = 1000):
    return make("msw_landfilled", tonnes, "t", "waste", year=year, technology="managed_anaerobic")


def test_first_order_decay_by_hand(library) -> None:
    """1,000 t/yr from 2020, no back-cast. DDOCm = 1000 × 0.15 × 0.5 × 1.0 = 75 t/yr.
    2020: nothing decays yet → 0. 2021: 75 × (1 − e^−0.09) = 6.455163 t C decomposed →
    × 0.5 × 16/12 × (1 − 0.1) = 3.873098 t CH4. 2022: stock 75 e^−0.09 + 75 = 143.544845;
    × (1 − e^−0.09) = 12.354723 → 7.412834 t CH4."""
    ctx = Context(library, landfill_history_years=0)
    out = [
        e.tonnes
        for _, e in waste.landfill_fod([landfill(2022), landfill(2020), landfill(2021)], ctx)
    ]
    d = 1 - math.exp(-0.09)
    assert out[0] == 0.0
    assert out[1] == pytest.approx(75 * d * 0.5 * 16 / 12 * 0.9)
    assert out[1] == pytest.approx(3.873098, rel=1e-6)
    assert out[2] == pytest.approx((75 * math.exp(-0.09) + 75) * d * 0.6)
    assert out[2] == pytest.approx(7.412834, rel=1e-6)


def test_back_cast_history_reaches_steady_state(library) -> None:
    """With a long back-cast of constant deposits, emissions approach the steady state
    DDOCm × F × 16/12 × (1 − OX) = 75 × 0.6 = 45 t CH4 per year."""
    ctx = Context(library, landfill_history_years=300)
    ((_, e),) = waste.landfill_fod([landfill(2022)], ctx)
    assert e.tonnes == pytest.approx(45.0, rel=1e-6)


def test_gap_in_series_is_refused(ctx: Context) -> None:
    with pytest.raises(FactorError, match="missing years"):
        waste.landfill_fod([landfill(2020), landfill(2022)], ctx)


def test_incineration(ctx: Context) -> None:
    """1,000 t × dm 0.5 × CF 0.4 × FCF 0.4 × OF 1 × 44/12 = 293.333 t fossil CO2;
    CH4 0.2 kg/kt → 0.2 kg; N2O 50 g/t → 50 kg."""
    out = {
        e.substance: e.tonnes
        for e in waste.incineration(make("msw_incinerated", 1000, "t", "waste"), ctx)
    }
    assert out["CO2"] == pytest.approx(1000 * 0.5 * 0.4 * 0.4 * 44 / 12)
    assert out["CH4"] == pytest.approx(0.2e-3)
    assert out["N2O"] == pytest.approx(0.05)


def test_composting(ctx: Context) -> None:
    """1,000 t × 4 kg CH4/t = 4 t; × 0.3 kg N2O/t = 0.3 t (Vol.5 Table 4.1)."""
    out = {
        e.substance: e.tonnes
        for e in waste.composting(make("waste_composted", 1000, "t", "waste"), ctx)
    }
    assert out == {"CH4": pytest.approx(4.0), "N2O": pytest.approx(0.3)}
