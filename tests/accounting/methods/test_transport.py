"""Road transport by distance: hand-worked cases for a petrol car and an electric bus."""

from __future__ import annotations

import pytest

from tests.accounting.conftest import make
from xietong.accounting.factors import FactorLibrary
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
    """1 万 km × 100 kWh/100 km = 10,000 kWh × 0.4364 kg/kWh (湖北) = 4.364 t CO2, indirect."""
    act = make("vkt", 1, "wan * km", "transport", subsector="road", technology="bus_electric")
    (e,) = road_distance(act, ctx)
    assert (e.tonnes, e.scope) == (pytest.approx(4.364), "indirect")


def test_china_vehicle_factors_win_over_emep_where_the_guideline_has_the_stage() -> None:
    """Shipped library: a 国Ⅳ heavy diesel truck uses the MEE 2014 base factor, NOx 5.554 g/km
    (道路机动车 guideline, secondary copy in VEIN's tests): 1 万 km → 10,000 × 5.554 g =
    55.54 kg; HC 0.129 g/km is counted as VOCs (1.29 kg). 国Ⅵ is not in the 2014 guideline:
    the EMEP row of the same class and stage is used."""
    shipped = Context(FactorLibrary.load())
    truck = make(
        "vkt",
        1,
        "wan * km",
        "transport",
        subsector="road",
        technology="truck_heavy_diesel",
        control="cn4",
    )
    e = {x.substance: x for x in road_distance(truck, shipped)}
    assert e["NOx"].tonnes == pytest.approx(55.54e-3)
    assert e["VOCs"].tonnes == pytest.approx(1.29e-3)
    nox = shipped.library.select(
        "NOx",
        activity="vkt",
        sector="transport",
        subsector="road",
        technology="truck_heavy_diesel",
        control="cn4",
    )
    assert nox.factor.edition == "MEE-VEH-2014" and nox.factor.tier == "CN-default"
    cn6 = shipped.library.select(
        "NOx",
        activity="vkt",
        sector="transport",
        subsector="road",
        technology="truck_heavy_diesel",
        control="cn6",
    )
    assert cn6.factor.edition != "MEE-VEH-2014"
