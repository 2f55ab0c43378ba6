"""The one pint unit registry of xietong and the domain units it adds.

Domain units (亩, 万, 亿, tce, Nm³, CNY) are defined in ``data/units.txt`` with their sources.

>>> from xietong.units import Q_
>>> Q_(1, "mu").to("m**2").magnitude
666.666...
>>> Q_(40, "yi * m**3").to("m**3").magnitude
4000000000.0
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import pint

from xietong.errors import UnitError

ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(
    autoconvert_offset_to_baseunit=True, on_redefinition="raise"
)
with resources.as_file(resources.files("xietong") / "data" / "units.txt") as _path:
    ureg.load_definitions(str(_path))
ureg.formatter.default_format = "~P"

Q_ = ureg.Quantity
Quantity = pint.Quantity


_PARSE_ERRORS = (
    pint.errors.UndefinedUnitError,
    pint.errors.DefinitionSyntaxError,
    ValueError,
    AttributeError,
    TypeError,
    AssertionError,
    ZeroDivisionError,
)
"""What pint raises on a malformed or unknown unit expression."""


def parse_unit(text: str) -> pint.Unit:
    """Parse a unit expression such as ``"km"`` or ``"yi * m**3"``; raise UnitError if unknown.

    >>> parse_unit("t / day") == parse_unit("tonne / d")
    True
    """
    try:
        return ureg.Unit(text.strip())
    except _PARSE_ERRORS as exc:
        raise UnitError(f"unknown unit '{text}': {exc}") from exc


@lru_cache(maxsize=4096)
def unit_quantity(text: str) -> pint.Quantity[Any]:
    """One of a unit expression that may carry a scale, e.g. ``"L / (100 * km)"`` (litres per
    100 km, as fuel economy is written); raise UnitError if unknown.

    >>> unit_quantity("L / (100 * km)").to("L / km").magnitude
    0.01
    """
    try:
        q = ureg.parse_expression(text.strip())
    except _PARSE_ERRORS as exc:
        raise UnitError(f"unknown unit '{text}': {exc}") from exc
    if not isinstance(q, pint.Quantity):
        raise UnitError(f"unknown unit '{text}': not a unit expression")
    return q


def format_unit(text: str) -> str:
    """The short symbol of a unit expression, e.g. ``"%"`` for ``percent``, ``"t/d"``.

    >>> format_unit("percent"), format_unit("t / day"), format_unit("dimensionless")
    ('%', 't/d', '')
    """
    return format(parse_unit(text), "~P")


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` from one unit to another; raise UnitError if dimensions differ.

    >>> convert(4, "billion_m3", "yi * m**3")
    40.0
    """
    try:
        scale = _scale(from_unit, to_unit)
        if scale is not None:
            return float(value) * scale
        return float(Q_(value, parse_unit(from_unit)).to(parse_unit(to_unit)).magnitude)
    except pint.errors.DimensionalityError as exc:
        raise UnitError(
            f"cannot convert {value} {from_unit} to {to_unit}: different dimensions"
        ) from exc


@lru_cache(maxsize=4096)
def _scale(from_unit: str, to_unit: str) -> float | None:
    """The factor from one unit to the other, found by pint once per pair, when the
    conversion is a pure scale (zero stays zero); None for one with an offset (°C to K)."""
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    if Q_(0.0, source).to(target).magnitude != 0:
        return None
    return float(Q_(1.0, source).to(target).magnitude)


_UNIT_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "t": "吨",
        "tonne": "吨",
        "wan": "万",
        "yi": "亿",
        "mu": "亩",
        "ha": "公顷",
        "hectare": "公顷",
        "head": "头",
        "person": "人",
        "capita": "人",
        "day": "日",
        "d": "日",
        "year": "年",
        "a": "年",
        "percent": "%",
        "dimensionless": "",
        "tce": "吨标准煤",
        "tonne_coal_equivalent": "吨标准煤",
        "CNY": "元",
        "yuan": "元",
        "veh": "辆",
        "vehicle": "辆",
        "m3": "m³",
        "Nm3": "Nm³",
        "Sm3": "Sm³",
        "normal_cubic_meter": "Nm³",
        "meter": "m",
        "l": "L",
        "liter": "L",
    },
    "en": {
        "wan": "10⁴",
        "yi": "10⁸",
        "percent": "%",
        "dimensionless": "",
        "m3": "m³",
        "Nm3": "Nm³",
        "Sm3": "Sm³",
        "normal_cubic_meter": "Nm³",
        "meter": "m",
        "yuan": "CNY",
        "vehicle": "veh",
        "year": "yr",
        "l": "L",
        "liter": "L",
    },
}
"""How a unit name of the registry is written for readers of each language (the legal unit
symbols of GB 3100–3102 stay as they are: kg, GJ, km, MWh)."""

_MULTIPLIERS = {"wan", "yi"}
_UNIT_TOKEN = re.compile(r"\s*(\*\*\s*-?\d+|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[*/()])")
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def unit_label(text: str, lang: str = "zh") -> str:
    """A unit expression as readers of ``lang`` write it: ``"wan * t"`` → 万吨 (10⁴ t),
    ``"GJ / t"`` → GJ/吨, ``"yi * m**3"`` → 亿m³, ``"percent"`` → %, ``"dimensionless"`` → ''.
    Display only: the expression itself stays what :func:`parse_unit` computes with. An
    expression it cannot read is returned unchanged.

    >>> unit_label("wan * t"), unit_label("GJ / t"), unit_label("yi * m**3")
    ('万吨', 'GJ/吨', '亿m³')
    >>> unit_label("wan * t", "en"), unit_label("kg / head / year", "en")
    ('10⁴ t', 'kg/head/yr')
    """
    words = _UNIT_WORDS.get(lang, _UNIT_WORDS["en"])
    pos, out, joined = 0, [], True
    text = text.strip()
    while pos < len(text):
        m = _UNIT_TOKEN.match(text, pos)
        if m is None:
            return text
        pos, token = m.end(), m.group(1)
        if token.startswith("**"):
            out.append(token[2:].strip().translate(_SUPERSCRIPT))
        elif token == "*":
            out.append("" if joined else "·")
        elif token == "/":
            out.append("/")
        elif token in "()":
            out.append(token)
        else:
            word = words.get(token, token)
            joined = token in _MULTIPLIERS or token[0].isdigit()
            if joined and lang != "zh":
                word += " "
            out.append(word)
            continue
        joined = joined and token == "*"
    label = "".join(out)
    return label.replace("(100 km)", "100 km").replace("(100km)", "100km").strip()


def format_number(value: Any, decimals: int | None = None) -> str:
    """A figure as the pages, the API's readers and the reports print it: thousands
    separated; no decimals from 100, else 3 significant digits (or ``decimals`` when given);
    — for a missing value.

    >>> format_number(1234567.8), format_number(0.79812), format_number(None), format_number(2.5, 1)
    ('1,234,568', '0.798', '—', '2.5')
    """
    if value is None:
        return "—"
    x = float(value)
    if x != x:
        return "—"
    if decimals is not None:
        return f"{x:,.{decimals}f}"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.3g}"
