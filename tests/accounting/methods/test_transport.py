"""Road transport by distance: hand-worked cases for a petrol car and an electric bus."""

from __future__ import annotations

import pytest

from tests.accounting.conftest import make
from xietong.accounting.methods.base import Context
from xietong.accounting.methods.transport import road_distance


def test_petrol_car(ctx: Context) -> None:
    """1 万 km × 8 L/100 km = 800 L × 0.74 kg/L = 0.592 t petrol;
    CO2 = 0.592 × 44.80 GJ/t × 0.0189 tC/GJ × 98 % × 44/12 = 1.801188 t;
    CH4 = 26.5216 GJ × 33 kg/TJ = 0.8752128 kg; NOx (国五) 10,000 km × 0.05 g/km = 0.5 kg."""
    act = make(
        "vkt",
        1,
        "wan * km",
        "transport",
        subsector="road",
        technology="car_gasoline",
        control="cn5",
    )
    e = {x.substance: x for x in road_distance(act, ctx)}
    assert e["CO2"].tonnes == pytest.approx(0.592 * 44.80 * 0.0189 * 0.98 * 44 / 12)
    assert e["CO2"].tonnes == pytest.approx(1.801188, rel=1e-6)
    assert e["CH4"].tonnes == pytest.approx(0.8752128e-3)
    assert e["NOx"].tonnes == pytest.approx(0.5e-3)


def test_electric_bus_is_indirect(ctx: Context) -> None:
    """1 万 km × 100 kWh/100 km = 10,000 kWh × 0.5395 kg/kWh = 5.395 t CO2, indirect."""
    act = make("vkt", 1, "wan * km", "transport", subsector="road", technology="bus_electric")
    (e,) = road_distance(act, ctx)
    assert (e.tonnes, e.scope) == (pytest.approx(5.395), "indirect")
