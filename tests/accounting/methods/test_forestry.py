"""Forestry sinks: stock difference and afforestation (removals are negative)."""

from __future__ import annotations

import pytest

from tests.accounting.conftest import make
from xietong.accounting.methods import forestry
from xietong.accounting.methods.base import Context


def test_stock_difference(ctx: Context) -> None:
    """ΔV 1,000 m³ × D 0.5 t/m³ × BEF 1.5 × (1 + R 0.25) × CF 0.47 × 44/12 = 1,615.625 t CO2
    removed → −1,615.625 t."""
    (e,) = forestry.forest_stock(
        make("forest_stock_change", 1000, "m3", "forestry", parameters="interval=1 year"), ctx
    )
    assert e.tonnes == pytest.approx(-1615.625)


def test_stock_loss_is_an_emission(ctx: Context) -> None:
    (e,) = forestry.forest_stock(
        make("forest_stock_change", -1000, "m3", "forestry", parameters="interval=1 year"), ctx
    )
    assert e.tonnes == pytest.approx(1615.625)


def test_afforestation(ctx: Context) -> None:
    """100 ha × 5 m³/ha/yr = 500 m³ → −807.8125 t CO2."""
    (e,) = forestry.afforestation(make("afforestation", 100, "ha", "forestry"), ctx)
    assert e.tonnes == pytest.approx(-807.8125)
