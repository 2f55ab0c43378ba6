"""Forestry sinks (IPCC 2006 Vol.4 Ch.4; China provincial inventory guideline 2011).

Stock difference: ``CO2 = −ΔV × D × BEF × (1 + R) × CF × 44/12`` (a growing stock gives a
negative emission, a removal); afforestation: the same with ``ΔV = A × growth × 1 year``.
"""

from __future__ import annotations

from xietong.accounting.activity import Activity
from xietong.accounting.methods.base import (
    Context,
    Emission,
    Term,
    activity_term,
    constant,
    product,
)

C_TO_CO2 = constant("44/12", 44.0 / 12.0, source="molar mass ratio CO2/C")
STOCK = "forest_stock_change"


def _biomass_terms(act: Activity, ctx: Context) -> list[Term]:
    r = ctx.term("root_shoot", act, activity=STOCK)
    one_plus_r = Term(
        "1 + R",
        1 + float(r.quantity.to("dimensionless").magnitude),
        "dimensionless",
        r.factor_id,
        r.source,
        False,
    )
    return [
        ctx.term("wood_density", act, activity=STOCK),
        ctx.term("BEF", act, activity=STOCK),
        one_plus_r,
        ctx.term("carbon_fraction", act, activity=STOCK),
        C_TO_CO2,
    ]


def forest_stock(act: Activity, ctx: Context) -> list[Emission]:
    """CO2 (t; negative = removal) of a change ``ΔV`` in growing stock."""
    return [
        product(
            "CO2", "stock-difference", [activity_term(act), *_biomass_terms(act, ctx)], sign=-1.0
        )
    ]


def afforestation(act: Activity, ctx: Context) -> list[Emission]:
    """CO2 (t; negative = removal) of one year's growth on ``A`` afforested."""
    growth = ctx.term("growth", act)
    terms = [activity_term(act), growth, constant("1 year", 1.0, "year"), *_biomass_terms(act, ctx)]
    return [product("CO2", "afforestation-growth", terms, sign=-1.0)]
