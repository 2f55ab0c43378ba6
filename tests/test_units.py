"""The domain units of xietong (data/units.txt) and conversion between compatible units."""

from __future__ import annotations

import re

import pytest

from xietong.errors import UnitError
from xietong.units import Q_, convert, parse_unit, unit_label, ureg

# -- 亩 (mu) ---------------------------------------------------------------------------------


def test_one_mu_is_ten_thousand_fifteenths_of_a_square_metre() -> None:
    # 1 mu = 10000 / 15 m² = 666.666… m²
    assert convert(1, "mu", "m**2") == pytest.approx(10000 / 15, rel=1e-15)
    assert convert(1, "mu", "m**2") == pytest.approx(666.6666666666666, rel=1e-15)


def test_fifteen_mu_are_one_hectare() -> None:
    # 15 mu × 10000/15 m² = 10000 m² = 1 ha
    assert convert(15, "mu", "m**2") == pytest.approx(10_000.0, rel=1e-12)
    assert convert(15, "mu", "hectare") == pytest.approx(1.0, rel=1e-12)


def test_mu_has_its_chinese_alias() -> None:
    assert parse_unit("亩") == parse_unit("mu")
    assert convert(3, "亩", "mu") == pytest.approx(3.0, rel=1e-15)


def test_mu_is_an_area() -> None:
    assert ureg.Unit("mu").dimensionality == ureg.Unit("m**2").dimensionality


# -- 万 and 亿 --------------------------------------------------------------------------------


def test_wan_and_yi_are_pure_multipliers() -> None:
    # 万 = 1e4, 亿 = 1e8, 1 亿 = 1e8 / 1e4 = 10000 万
    assert convert(1, "wan", "dimensionless") == 1e4
    assert convert(1, "yi", "dimensionless") == 1e8
    assert convert(1, "yi", "wan") == pytest.approx(1e4, rel=1e-15)
    assert parse_unit("万") == parse_unit("wan")
    assert parse_unit("亿") == parse_unit("yi")


def test_ten_wan_mu_is_one_hundred_thousand_mu() -> None:
    # the afforestation target: 10 万亩 = 10 × 1e4 mu = 100,000 mu = 100,000 × 10000/15 m²
    assert convert(10, "wan * mu", "mu") == pytest.approx(100_000.0, rel=1e-15)
    assert convert(10, "万 * 亩", "m**2") == pytest.approx(100_000 * 10000 / 15, rel=1e-12)
    # = 6,666.67 ha (1 ha = 1e4 m²)
    assert convert(10, "wan * mu", "hectare") == pytest.approx(6666.666666666667, rel=1e-12)


def test_forty_yi_cubic_metres_are_four_billion() -> None:
    # the natural-gas target: 40 亿 m³ = 40 × 1e8 m³ = 4e9 m³
    assert convert(40, "yi * m**3", "m**3") == pytest.approx(4e9, rel=1e-15)
    assert convert(40, "yi * m ** 3", "billion_m3") == pytest.approx(4.0, rel=1e-15)
    assert convert(4, "billion_m3", "yi * m**3") == pytest.approx(40.0, rel=1e-15)


def test_quantity_helper_agrees_with_convert() -> None:
    assert Q_(40, "yi * m**3").to("m**3").magnitude == pytest.approx(4e9, rel=1e-15)


# -- tonne of coal equivalent -----------------------------------------------------------------


def test_tce_is_29_3076_gigajoule() -> None:
    assert convert(1, "tce", "GJ") == pytest.approx(29.3076, rel=1e-15)
    assert convert(1, "tonne_coal_equivalent", "J") == pytest.approx(29.3076e9, rel=1e-15)


def test_tce_is_7000_kcal_per_kg_of_coal() -> None:
    # 1 t × 7000 kcal(IT)/kg = 7,000,000 kcal_IT; 7e6 × 4186.8 J = 29.3076e9 J
    assert convert(1, "tce", "kcal_it") == pytest.approx(7_000_000.0, rel=1e-12)


def test_tce_in_kilowatt_hours() -> None:
    # 29.3076e9 J / 3.6e6 J/kWh = 8141 kWh
    assert convert(1, "tce", "kWh") == pytest.approx(8141.0, rel=1e-12)


def test_energy_intensity_per_wan_yuan() -> None:
    # 0.5 tce/万元 = 0.5 × 29.3076 GJ / 1e4 CNY = 0.00146538 GJ/CNY
    assert convert(0.5, "tce / (wan * CNY)", "GJ / CNY") == pytest.approx(0.00146538, rel=1e-12)


# -- normal cubic metre -----------------------------------------------------------------------


def test_normal_cubic_metre_is_a_volume() -> None:
    assert convert(1, "Nm3", "m**3") == pytest.approx(1.0, rel=1e-15)
    assert convert(1, "normal_cubic_meter", "litre") == pytest.approx(1000.0, rel=1e-15)
    # 40 亿 Nm³ = 4e9 m³ = 4 billion m³
    assert convert(40, "yi * Nm3", "billion_m3") == pytest.approx(4.0, rel=1e-15)


# -- currency ---------------------------------------------------------------------------------


def test_cny_is_its_own_dimension() -> None:
    assert dict(ureg.Unit("CNY").dimensionality) == {"[currency]": 1}
    assert parse_unit("元") == parse_unit("CNY") == parse_unit("yuan")


def test_yuan_multipliers() -> None:
    # 1 亿元 = 1e8 / 1e4 = 10000 万元
    assert convert(1, "yi * CNY", "wan * CNY") == pytest.approx(1e4, rel=1e-15)
    assert convert(2.5, "万 * 元", "CNY") == pytest.approx(25_000.0, rel=1e-15)


@pytest.mark.parametrize("other", ["dimensionless", "m", "kg", "J", "veh"])
def test_cny_does_not_convert_to_another_dimension(other: str) -> None:
    with pytest.raises(UnitError, match="different dimensions"):
        convert(1, "CNY", other)


# -- other conversions ------------------------------------------------------------------------


def test_tonnes_per_day() -> None:
    # 600 t/day ÷ 24 h/day = 25 t/h; t/day and tonne/d are one unit
    assert convert(600, "t / day", "t / hour") == pytest.approx(25.0, rel=1e-15)
    assert parse_unit("t / day") == parse_unit("tonne / d")


def test_percent_is_a_hundredth() -> None:
    # 30 % = 30 / 100 = 0.3
    assert convert(30, "percent", "dimensionless") == pytest.approx(0.3, rel=1e-15)


def test_unit_text_is_stripped() -> None:
    assert parse_unit("  km  ") == ureg.kilometer


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("t", "percent"),  # mass vs dimensionless
        ("mu", "m**3"),  # area vs volume
        ("tce", "t"),  # energy vs mass: a tonne of coal equivalent is not a tonne
        ("Nm3", "m**2"),  # volume vs area
        ("veh", "count"),  # vehicles are their own dimension
        ("km", "t / day"),
    ],
)
def test_incompatible_units_raise_unit_error(source: str, target: str) -> None:
    with pytest.raises(UnitError, match=f"cannot convert 1 {source} to .*different dimensions"):
        convert(1, source, target)


@pytest.mark.parametrize("text", ["furlongz", "m**", "吨标煤", "tce per"])
def test_unknown_units_raise_unit_error(text: str) -> None:
    with pytest.raises(UnitError, match="unknown unit"):
        parse_unit(text)


@pytest.mark.parametrize(("source", "target"), [("furlongz", "m"), ("m", "furlongz")])
def test_convert_from_or_to_an_unknown_unit_raises_unit_error(source: str, target: str) -> None:
    with pytest.raises(UnitError, match="unknown unit 'furlongz'"):
        convert(1, source, target)


def test_unit_error_is_a_xietong_error() -> None:
    from xietong.errors import XietongError

    with pytest.raises(XietongError):
        parse_unit("no-such-unit")


def test_division_by_zero_in_a_unit_raises_unit_error() -> None:
    with pytest.raises(UnitError):
        parse_unit("1/0")


@pytest.mark.parametrize(
    ("value", "source", "target"),
    [
        (4.0, "billion_m3", "yi * m**3"),
        (123.456, "t", "kg"),
        (0.3, "percent", "dimensionless"),
        (7.0, "wan * t", "Mt"),
        (20.0, "degC", "K"),
        (-40.0, "degC", "degF"),
    ],
)
def test_convert_equals_pint(value: float, source: str, target: str) -> None:
    """A conversion (its factor found once per unit pair, an offset one through pint each
    time) equals pint's own."""
    expected = ureg.Quantity(value, ureg.Unit(source)).to(ureg.Unit(target)).magnitude
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    ("unit", "zh", "en"),
    [
        ("wan * t", "万吨", "10⁴ t"),
        ("yi * m**3", "亿m³", "10⁸ m³"),
        ("wan * mu", "万亩", "10⁴ mu"),
        ("GJ / t", "GJ/吨", "GJ/t"),
        ("kg / head / year", "kg/头/年", "kg/head/yr"),
        ("GJ / (wan * Nm3)", "GJ/(万Nm³)", "GJ/(10⁴ Nm³)"),
        ("L / (100 * km)", "L/100km", "L/100 km"),
        ("mg / l", "mg/L", "mg/L"),
        ("percent", "%", "%"),
        ("dimensionless", "", ""),
    ],
)
def test_units_are_written_as_readers_write_them(unit: str, zh: str, en: str) -> None:
    assert unit_label(unit, "zh") == zh and unit_label(unit, "en") == en


def test_every_unit_of_the_shipped_data_is_written_without_code_words() -> None:
    """No unit of the shipped factors and activity data keeps a registry word (wan, yi, mu,
    percent, dimensionless) or an operator on a Chinese page."""
    import glob

    import pandas as pd

    units: set[str] = set()
    for f in glob.glob("xietong/data/factors/*.csv") + glob.glob("xietong/data/cities/*/*.csv"):
        frame = pd.read_csv(f)
        if "unit" in frame:
            units |= set(frame["unit"].dropna())
    assert len(units) > 20
    for unit in units:
        label = unit_label(unit, "zh")
        assert not re.search(r"\b(wan|yi|mu|percent|dimensionless|tonne|year|day)\b|\*", label), (
            unit,
            label,
        )
