"""Fuel combustion: hand-worked reference cases (China method, IPCC Tier 1, pollutants)."""

from __future__ import annotations

import math

import pytest

from tests.accounting.conftest import make
from xietong.accounting.methods.base import Context
from xietong.accounting.methods.energy import flue_gas_monitoring, fuel_combustion
from xietong.errors import UnitError


def by_substance(emissions):
    return {e.substance: e for e in emissions}


def test_bituminous_coal_in_industry_with_fgd(ctx: Context) -> None:
    """1,000 t bituminous coal in an industrial boiler with wet FGD (control ``wfgd``).

    China method (enterprise guideline defaults, 烟煤: NCV 23.204 GJ/t, CC 0.02618 tC/GJ,
    OF 93 %): 1000 × 23.204 = 23,204 GJ; × 0.02618 = 607.48072 tC; × 0.93 = 564.9570696 tC;
    × 44/12 = 2,071.509255 t CO2.
    CH4 (IPCC 2006 Vol.2 Table 2.3, 10 kg/TJ): 23.204 TJ × 10 = 232.04 kg;
    N2O 1.5 kg/TJ → 34.806 kg.
    SO2 by sulphur balance (REFERENCES: 1,600 × B × S): 1000 t × 0.8 % × 0.8 × 64/32 = 12.8 t;
    × (1 − 0.95) = 0.64 t. NOx 1000 t × 4 kg/t × (1 − 0.8) = 0.8 t. PM10 10 kg/t, no PM removal
    for wfgd → 10 t. CO 200 g/GJ × 23,204 GJ = 4.6408 t.
    """
    e = by_substance(
        fuel_combustion(make("bituminous_coal", 1000, "t", "industry", control="wfgd"), ctx)
    )
    assert e["CO2"].tonnes == pytest.approx(2071.509255, rel=1e-9)
    assert e["CO2"].method == "china-enterprise"
    assert e["CO2"].factor_ids == ("t.ncv.bit", "t.cc.bit", "t.of.bit")
    assert e["CH4"].tonnes == pytest.approx(0.23204)
    assert e["N2O"].tonnes == pytest.approx(0.034806)
    assert e["SO2"].tonnes == pytest.approx(0.64)
    assert e["SO2"].method == "sulphur-balance"
    assert e["NOx"].tonnes == pytest.approx(0.8)
    assert e["PM10"].tonnes == pytest.approx(10.0)
    assert e["CO"].tonnes == pytest.approx(4.6408)
    assert "23.204 GJ / t" in e["CO2"].formula


def test_ipcc_tier1(library) -> None:
    """IPCC Tier 1: 1,000 t × 23.204 GJ/t = 23.204 TJ × 94,600 kg/TJ = 2,195.0984 t CO2."""
    ctx = Context(library, co2_method="ipcc")
    e = by_substance(fuel_combustion(make("bituminous_coal", 1000, "t", "industry"), ctx))
    assert e["CO2"].tonnes == pytest.approx(2195.0984)


def test_sulphur_content_of_the_row_wins(ctx: Context) -> None:
    """A row's own S_content (0.5 %) replaces the default: 1000 × 0.005 × 0.8 × 2 = 8 t."""
    act = make("bituminous_coal", 1000, "t", "industry", parameters="S_content=0.5 percent")
    assert by_substance(fuel_combustion(act, ctx))["SO2"].tonnes == pytest.approx(8.0)


def test_wrong_unit_raises(ctx: Context) -> None:
    with pytest.raises(UnitError):
        fuel_combustion(make("bituminous_coal", 1000, "kWh", "industry"), ctx)


def test_flue_gas_volume_times_concentration(ctx: Context) -> None:
    """1 万 Nm³ × 35 mg/Nm³ SO2 = 0.35 kg; × 50 mg NOx = 0.5 kg."""
    act = make(
        "flue_gas", 1, "wan * Nm3", "energy_industries", parameters="so2=35 mg/Nm3; nox=50 mg/Nm3"
    )
    e = by_substance(flue_gas_monitoring(act, ctx))
    assert e["SO2"].tonnes == pytest.approx(0.35e-3)
    assert e["NOx"].tonnes == pytest.approx(0.5e-3)
    assert math.isclose(sum(x.tonnes for x in e.values()), 0.85e-3)
