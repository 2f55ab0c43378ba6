"""The one pint unit registry of xietong and the domain units it adds.

Domain units (亩, 万, 亿, tce, Nm³, CNY) are defined in ``data/units.txt`` with their sources.

>>> from xietong.units import Q_
>>> Q_(1, "mu").to("m**2").magnitude
666.666...
>>> Q_(40, "yi * m**3").to("m**3").magnitude
4000000000.0
"""

from __future__ import annotations

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
