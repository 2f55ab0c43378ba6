"""Area sources of particles and VOCs counted by activity × factor: fugitive dust (扬尘) of
construction sites and paved roads, and cooking fumes (餐饮油烟).

- Construction and demolition (``construction_area``, EMEP/EEA 2023 2.A.5.b Tier 1):
  ``E = A × EF × d × (1 − CE)``, ``A`` the site area under construction (m²), ``EF`` per m² and
  year by the kind of construction (``technology``), ``d`` the duration (row parameter
  ``duration``, else 1 year) and ``CE`` the share removed by dust control (row parameter
  ``dust_control``, else 0). The MEE 扬尘源颗粒物排放清单编制技术指南 (试行, 2014) has the same
  form ``W = E × A × T`` with its own factors, which could not be read here.
- Paved-road dust (``paved_road_vkt``, US EPA AP-42 13.2.1, Eq. 1 and 2, January 2011, which the
  MEE 2014 guideline adopts): ``E = VKT × k × (sL)^0.91 × (W)^1.02 × (1 − P / (4 N)) × (1 −
  CE)``, ``sL`` the road-surface silt loading (g/m²), ``W`` the mean weight of the vehicles (t),
  ``P`` the days of a year with at least 0.254 mm of rain and ``N`` = 365; row parameters
  ``silt_loading``, ``vehicle_weight`` (else the library's defaults), ``rain_days`` (else no
  wet-day correction, Eq. 1 alone) and ``dust_control``. Linear in the vehicle-kilometres.
- Cooking fumes (``cooking_population``): ``E = P × EF × 1 year``, the per-person factors of a
  city study.
"""

from __future__ import annotations

from xietong.accounting.activity import Activity
from xietong.accounting.methods.base import (
    Context,
    Emission,
    Term,
    activity_term,
    constant,
    parameter_term,
    product,
)
from xietong.errors import UnitError

ONE_YEAR = constant("1 year", 1.0, "year", source="annual emission")
DUST = ("PM10", "PM2.5")
COOKING = ("PM2.5", "PM10", "VOCs")
SL_EXPONENT = 0.91
W_EXPONENT = 1.02


def _share_removed(act: Activity, name: str) -> list[Term]:
    """``1 − CE`` where the row gives the share ``name`` removed by control, else nothing."""
    share = act.parameter(name)
    if share is None:
        return []
    ce = float(share.to("dimensionless").magnitude)
    if not 0 <= ce <= 1:
        raise UnitError(f"{act.activity}: {name} {ce:g} is not a share between 0 and 1")
    return [Term(f"1 − {name}", 1 - ce, "dimensionless", None, "activity row parameter", False)]


def construction_dust(act: Activity, ctx: Context) -> list[Emission]:
    """PM10 and PM2.5 (t) of construction sites: ``A × EF × d × (1 − CE)``."""
    area = activity_term(act)
    own = act.parameter("duration")
    d = (
        Term("duration", float(own.to("year").magnitude), "year", None, "activity row parameter")
        if own is not None
        else ONE_YEAR
    )
    control = _share_removed(act, "dust_control")
    return [
        product(s, "emep-2023-construction-dust", [area, ctx.term(s, act, name="EF"), d, *control])
        for s in DUST
    ]


def _power(t: Term, unit: str, exponent: float) -> Term:
    """``(t / 1 unit)^exponent`` as a dimensionless term (AP-42's empirical powers)."""
    x = float(t.quantity.to(unit).magnitude)
    if x <= 0:
        raise UnitError(f"road dust: {t.name} {x:g} {unit} is not positive")
    return Term(
        f"({t.name} / {unit})^{exponent:g}",
        x**exponent,
        "dimensionless",
        t.factor_id,
        f"{t.source}; {t.name} = {x:g} {unit}",
        True,
        t.uncertainty_pct,
    )


def road_dust(act: Activity, ctx: Context) -> list[Emission]:
    """PM10 and PM2.5 (t) resuspended from paved roads, AP-42 13.2.1 Eq. 1 and 2."""
    vkt = activity_term(act)
    sl = _power(parameter_term(act, ctx, "silt_loading"), "g / m ** 2", SL_EXPONENT)
    w = _power(parameter_term(act, ctx, "vehicle_weight"), "t", W_EXPONENT)
    control = [*_wet_days(act, ctx), *_share_removed(act, "dust_control")]
    return [
        product(s, "ap42-paved-road-dust", [vkt, ctx.term(s, act, name="k"), sl, w, *control])
        for s in DUST
    ]


def _wet_days(act: Activity, ctx: Context) -> list[Term]:
    """``1 − P / (4 × 365)`` (AP-42 13.2.1 Eq. 2) where the row or the library gives the
    days ``P`` of the year with at least 0.254 mm of rain; nothing (Eq. 1) otherwise."""
    own = act.parameter("rain_days")
    rain = (
        Term("rain_days", float(own.to("day").magnitude), "day", None, "activity row parameter")
        if own is not None
        else ctx.optional("rain_days", act)
    )
    if rain is None:
        return []
    p = float(rain.quantity.to("day").magnitude)
    if not 0 <= p <= 365:
        raise UnitError(f"road dust: rain_days {p:g} is not between 0 and 365")
    return [
        Term("1 − P / (4 × 365)", 1 - p / 1460, "dimensionless", rain.factor_id, rain.source, False)
    ]


def cooking_fumes(act: Activity, ctx: Context) -> list[Emission]:
    """PM2.5 (required), PM10 and VOCs (where a factor applies) of cooking, per person."""
    people = activity_term(act)
    out = [product("PM2.5", "per-capita-cooking", [people, ctx.term("PM2.5", act), ONE_YEAR])]
    for s in COOKING[1:]:
        ef = ctx.optional(s, act)
        if ef is not None:
            out.append(product(s, "per-capita-cooking", [people, ef, ONE_YEAR]))
    return out
