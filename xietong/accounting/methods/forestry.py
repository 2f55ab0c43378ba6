"""Forestry sinks (IPCC 2006 Vol.4 Ch.4; China provincial inventory guideline 2011).

Stock difference: ``CO2 = −ΔV / Δt × 1 year × D × BEF × (1 + R) × CF × 44/12`` per year of the
interval ``Δt`` the volume change ``ΔV`` covers (IPCC 2006 Vol.4 Eq. 2.8: (C_t2 − C_t1) /
(t2 − t1)), so a 5-year change entered as one row gives one year's removal; a growing stock
gives a negative emission, a removal. Each row names its interval: parameter ``interval``
(years) or ``start_year`` (the interval is the row's year − start_year). Afforestation: the
same with ``ΔV = A × growth × 1 year``. The carbon (tC) is the CO2 × 12/44 (the trace shows
it). Flooded land (reservoirs): CH4 ``A × EF × 1 year`` (IPCC 2019 Refinement Vol.4 Ch.7).
"""

from __future__ import annotations

import pint

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


def stock_interval(act: Activity) -> float:
    """The years the row's volume change covers: its ``interval`` parameter (a time), else its
    year − ``start_year``; ValueError where it gives neither or a non-positive interval.

    >>> from xietong.accounting.activity import Activity, parse_parameters
    >>> a = Activity(2020, "city", "forestry", "forest_stock_change", 5e4, "m3",
    ...              parameters=parse_parameters("start_year=2015"))
    >>> stock_interval(a)
    5.0
    """
    interval = act.parameter("interval")
    start = act.parameter("start_year")
    if interval is None and start is None:
        raise ValueError(
            "a forest stock change names the years it covers: parameter interval=N year or "
            "start_year=YYYY / 须注明蓄积量变化所跨年数(参数 interval=N year 或 start_year=YYYY)"
        )
    try:
        years = (
            float(interval.to("year").magnitude)
            if interval is not None
            else float(act.year - start.to("dimensionless").magnitude)  # type: ignore[union-attr]
        )
    except pint.DimensionalityError as exc:
        raise ValueError(f"interval / start_year: {exc}") from None
    if not years > 0:
        raise ValueError(f"the interval of a forest stock change must be positive, not {years:g}")
    return years


def forest_stock(act: Activity, ctx: Context) -> list[Emission]:
    """CO2 (t per year; negative = removal) of a change ``ΔV`` in growing stock over the row's
    interval (:func:`stock_interval`)."""
    years = stock_interval(act)
    per_year = Term("1/Δt", 1.0 / years, "1 / year", None, f"interval {years:g} years", False)
    terms = [activity_term(act), per_year, constant("1 year", 1.0, "year")]
    return [product("CO2", "stock-difference", [*terms, *_biomass_terms(act, ctx)], sign=-1.0)]


def afforestation(act: Activity, ctx: Context) -> list[Emission]:
    """CO2 (t; negative = removal) of one year's growth on ``A`` afforested."""
    growth = ctx.term("growth", act)
    terms = [activity_term(act), growth, constant("1 year", 1.0, "year"), *_biomass_terms(act, ctx)]
    return [product("CO2", "afforestation-growth", terms, sign=-1.0)]


ONE_YEAR = constant("1 year", 1.0, "year", source="annual emission")


def flooded_land(act: Activity, ctx: Context) -> list[Emission]:
    """CH4 (t) of flooded land remaining flooded land (reservoirs), IPCC 2019 Refinement
    Vol.4 Ch.7 Eq. 7.10 (Tier 1): ``CH4 = A × EF × 1 year``, ``A`` the flooded area (ha) and
    ``EF`` the factor of the climate zone (``technology``)."""
    return [
        product(
            "CH4",
            "ipcc-2019-flooded-land",
            [activity_term(act), ctx.term("CH4", act, name="EF"), ONE_YEAR],
        )
    ]
