"""Stationary combustion CO2: hand-worked reference cases, units, linearity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.accounting.combustion import co2_china, co2_ipcc_tier1
from xietong.accounting.factors import FactorLibrary
from xietong.errors import UnitError
from xietong.units import Q_


@pytest.fixture(scope="module")
def library() -> FactorLibrary:
    return FactorLibrary.load()


def test_china_method_anthracite(library: FactorLibrary) -> None:
    # China enterprise guideline defaults (REFERENCES.md): NCV 24.515 GJ/t, CC 0.02749 tC/GJ,
    # OF 94 %. 1,000 t × 24.515 = 24,515 GJ; × 0.02749 = 673.917 tC; × 0.94 = 633.482 tC;
    # × 44/12 = 2,322.77 t CO2.
    r = co2_china(Q_(1000, "t"), "anthracite", library)
    assert r.tonnes == pytest.approx(2322.7685, rel=1e-6)
    assert [s.factor.id for s in r.factors] == [
        "cn2022.ncv.anthracite",
        "cn2022.cc.anthracite",
        "cn2022.of.anthracite",
    ]


def test_china_method_natural_gas_in_wan_nm3(library: FactorLibrary) -> None:
    # 1 万 Nm³ × 389.31 GJ/万Nm³ = 389.31 GJ; × 0.01530 = 5.95644 tC; × 0.99 × 44/12
    # = 21.6219 t CO2. The same gas given in Nm³ (10,000 Nm³) gives the same result.
    r = co2_china(Q_(1, "wan * Nm3"), "natural_gas", library)
    assert r.tonnes == pytest.approx(21.62189, rel=1e-6)
    assert co2_china(Q_(10_000, "Nm3"), "natural_gas", library).tonnes == pytest.approx(r.tonnes)


def test_ipcc_tier1_anthracite(library: FactorLibrary) -> None:
    # IPCC 2006 Vol.2: NCV 26.7 TJ/Gg, EF 98,300 kg/TJ. 1,000 t = 1 Gg → 26.7 TJ × 98,300
    # = 2,624,610 kg = 2,624.61 t CO2.
    assert co2_ipcc_tier1(Q_(1000, "t"), "anthracite", library).tonnes == pytest.approx(2624.61)


def test_a_wrong_unit_raises(library: FactorLibrary) -> None:
    with pytest.raises(UnitError, match="not a mass"):
        co2_china(Q_(1000, "kWh"), "anthracite", library)


@given(st.floats(min_value=0, max_value=1e7), st.floats(min_value=0, max_value=1e3))
def test_linear_in_activity_and_zero_in_zero_out(a: float, k: float) -> None:
    lib = FactorLibrary.load()
    base = co2_china(Q_(a, "t"), "bituminous_coal", lib).tonnes
    assert co2_china(Q_(a * k, "t"), "bituminous_coal", lib).tonnes == pytest.approx(
        base * k, rel=1e-9, abs=1e-9
    )
    assert co2_china(Q_(0, "t"), "bituminous_coal", lib).tonnes == 0
