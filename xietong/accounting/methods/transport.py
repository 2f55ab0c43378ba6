"""Road transport by distance (vehicle class × kilometres); fuel-based transport (waterborne,
rail, aviation and road fuel sales) is fuel combustion with the transport factors.

Distance-based (MEE 道路机动车大气污染物排放清单编制技术指南, IPCC 2006 Vol.2 Ch.3):
fuel = VKT × fuel economy (× density for liquid fuels); CO2 of that fuel by the inventory's
CO2 method; CH4 and N2O ``fuel × NCV × EF_mobile``; electric classes give indirect CO2 by the
grid factor; pollutants ``VKT × EF(class, emission stage)``.
"""

from __future__ import annotations

import csv
from functools import cache

from xietong.accounting.activity import Activity
from xietong.accounting.factors import FactorError
from xietong.accounting.methods.base import Context, Emission, activity_term, product
from xietong.accounting.methods.energy import co2_terms, energy_ncv
from xietong.datafiles import data_path

VEHICLE_POLLUTANTS = ("NOx", "PM10", "PM2.5", "CO", "VOCs")


@cache
def vehicle_fuels() -> dict[str, str]:
    """Fuel code of each vehicle class (``data/accounting/vehicle_classes.csv``)."""
    path = data_path("accounting", "vehicle_classes.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["code"]: r["fuel"] for r in csv.DictReader(fh)}


def road_distance(act: Activity, ctx: Context) -> list[Emission]:
    """CO2, CH4, N2O (t) and pollutants of ``VKT`` driven by vehicles of class ``technology``."""
    try:
        fuel = vehicle_fuels()[act.technology]
    except KeyError:
        raise FactorError(f"unknown vehicle class '{act.technology}'") from None
    vkt = activity_term(act)
    economy = ctx.term("fuel_economy", act, fuel=fuel)
    out: list[Emission] = []
    if fuel == "electricity":
        ef = ctx.term(
            "CO2",
            act,
            fuel="electricity",
            region=ctx.grid_region,
            sector=None,
            subsector=None,
            technology=None,
            control=None,
            activity=None,
            name="EF_grid",
        )
        out.append(product("CO2", "distance-electric", [vkt, economy, ef], scope="indirect"))
    else:
        use = [vkt, economy]
        if fuel != "natural_gas":
            use.append(ctx.term("density", act, fuel=fuel))
        method, terms = co2_terms(act, ctx, use[0], fuel, use)
        out.append(product("CO2", f"distance-{method}", [*use, *terms[1:]]))
        ncv = energy_ncv(terms)
        for gas in ("CH4", "N2O"):
            ef = ctx.term(gas, act, fuel=fuel, technology=None, control=None, name="EF")
            out.append(product(gas, "distance-ipcc-mobile", [*use, ncv, ef]))
    for sub in VEHICLE_POLLUTANTS:
        factor = ctx.optional(sub, act, fuel=None)
        if factor is not None:
            out.append(product(sub, "distance-vehicle-factor", [vkt, factor]))
    return out
