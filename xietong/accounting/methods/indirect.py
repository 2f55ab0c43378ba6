"""Indirect (scope 2) emissions of purchased electricity and heat, reported apart from direct.

``E = consumption × EF_grid`` with the MEE / NBS grid factor of the chosen region (national,
华中 or 湖北) and ``E = heat × EF_heat`` with the China guidelines' default for purchased heat.
"""

from __future__ import annotations

from xietong.accounting.activity import Activity
from xietong.accounting.methods.base import Context, Emission, activity_term, product


def purchased_electricity(act: Activity, ctx: Context) -> list[Emission]:
    """CO2 (t, indirect) of electricity consumed, by the grid factor of ``ctx.grid_region``."""
    ef = ctx.term("CO2", act, fuel="electricity", region=ctx.grid_region, name="EF_grid")
    return [product("CO2", "grid-factor", [activity_term(act), ef], scope="indirect")]


def purchased_heat(act: Activity, ctx: Context) -> list[Emission]:
    """CO2 (t, indirect) of heat consumed, by the purchased-heat factor."""
    ef = ctx.term("CO2", act, fuel="heat", name="EF_heat")
    return [product("CO2", "heat-factor", [activity_term(act), ef], scope="indirect")]
