"""The environmental protection tax (环境保护税法, Hubei's rates): per pollutant, per outlet with
the first-three rule, per enterprise, worked by hand."""

from __future__ import annotations

import pytest

from xietong.synergy.env_tax import (
    enterprise_tax,
    load_tax_rates,
    outlet_tax,
    pollution_equivalents,
    tax_rules,
)

HUBEI = load_tax_rates("hubei")


def test_hubei_rates_by_pollutant() -> None:
    assert HUBEI.rate("air", "SO2") == HUBEI.rate("air", "NOx") == 2.4
    assert HUBEI.rate("air", "PM10") == HUBEI.rate("air", "VOCs") == 1.2
    assert HUBEI.rate("water", "COD") == HUBEI.rate("water", "NH3-N") == 2.8
    assert HUBEI.rate("water", "TP") == HUBEI.rate("water", "Pb") == 2.8
    assert HUBEI.rate("water", "SS") == 1.4
    assert "环境保护税" in HUBEI.sources[("air", "SO2")]
    with pytest.raises(KeyError, match="hubei"):
        load_tax_rates("atlantis")


def test_an_outlet_pays_on_its_three_largest_air_pollutants() -> None:
    """An outlet emitting 10 t SO2, 20 t NOx, 5 t PM10 (烟尘) and 3 t CO a year: equivalents
    10 000/0.95 = 10 526.32, 20 000/0.95 = 21 052.63, 5 000/2.18 = 2 293.58, 3 000/16.7 =
    179.64; the first three are taxed: 21 052.63 × 2.4 + 10 526.32 × 2.4 + 2 293.58 × 1.2 =
    78 541.77 CNY; CO, the fourth, is not."""
    tax = outlet_tax({"SO2": 10, "NOx": 20, "PM10": 5, "CO": 3}, "air", HUBEI)
    assert [line.substance for line in tax.lines] == ["NOx", "SO2", "PM10", "CO"]
    assert [line.taxed for line in tax.lines] == [True, True, True, False]
    assert tax.lines[-1].tax == 0
    rules = tax_rules()  # 第九条, as data
    assert (rules["air"].first_n, rules["water_class1"].first_n, rules["water"].first_n) == (
        3,
        5,
        3,
    )
    assert rules["water_class1"].substances == {"Hg", "Cd", "Cr", "Pb", "As"}
    assert pollution_equivalents("PM10", 5) == pytest.approx(5000 / 2.18)
    assert tax.total == pytest.approx(
        20_000 / 0.95 * 2.4 + 10_000 / 0.95 * 2.4 + 5000 / 2.18 * 1.2, rel=1e-12
    )
    assert tax.total == pytest.approx(78_541.77, abs=0.01)


def test_water_pollutants_and_an_enterprise_of_two_outlets() -> None:
    """A wastewater outlet of 50 t COD, 5 t NH3-N and 1 t TP: 50 000/1 × 2.8 + 5 000/0.8 ×
    2.8 + 1 000/0.25 × 2.8 = 140 000 + 17 500 + 11 200 = 168 700 CNY; with a stack of 10 t SO2
    (10 526.32 eq × 2.4 = 25 263.16 CNY) the enterprise pays 193 963.16 CNY."""
    water = outlet_tax({"COD": 50, "NH3-N": 5, "TP": 1}, "water", HUBEI)
    assert water.total == pytest.approx(168_700, rel=1e-12)
    works = enterprise_tax({"DW001": {"SO2": 10}}, "air", HUBEI)
    total = water.total + sum(t.total for t in works.values())
    assert total == pytest.approx(193_963.16, abs=0.01)
