"""Indirect emissions of purchased electricity and heat (scope 2)."""

from __future__ import annotations

import pytest

from tests.accounting.conftest import make
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.methods.base import Context
from xietong.accounting.methods.indirect import purchased_electricity, purchased_heat


def test_electricity_by_the_provinces_grid_factor_by_default(ctx: Context) -> None:
    """1,000 MWh × 0.4364 kg/kWh (MEE/NBS 2022, 湖北, the default for a city) = 436.4 t CO2,
    indirect."""
    (e,) = purchased_electricity(make("electricity", 1000, "MWh", "industry"), ctx)
    assert e.tonnes == pytest.approx(436.4)
    assert e.scope == "indirect"
    assert e.factor_ids == ("t.grid.hubei",)


def test_electricity_by_central_china_grid_factor(library: FactorLibrary) -> None:
    """1,000 MWh × 0.5395 kg/kWh (MEE/NBS 2022, 华中, chosen) = 539.5 t CO2, indirect."""
    ctx = Context(library, grid_region="central_china")
    (e,) = purchased_electricity(make("electricity", 1000, "MWh", "industry"), ctx)
    assert e.tonnes == pytest.approx(539.5)
    assert e.factor_ids == ("t.grid.cc",)


def test_electricity_in_wan_kwh(ctx: Context) -> None:
    """100 万 kWh = 1,000 MWh → the same 436.4 t."""
    (e,) = purchased_electricity(make("electricity", 100, "wan * kWh", "industry"), ctx)
    assert e.tonnes == pytest.approx(436.4)


def test_heat(ctx: Context) -> None:
    """1,000 GJ × 0.11 tCO2/GJ (China guideline default) = 110 t, indirect."""
    (e,) = purchased_heat(make("heat", 1000, "GJ", "buildings"), ctx)
    assert (e.tonnes, e.scope) == (pytest.approx(110.0), "indirect")
