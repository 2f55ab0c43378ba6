"""Wastewater (IPCC 2006 Vol.5 Ch.6 and its 2019 Refinement).

Treated: CH4 ``V × COD_in × B0 × MCF``; plant N2O ``V × TN_in × EF_plant × 44/28``
(2019 Refinement); effluent N2O ``V × TN_out × EF_effluent × 44/28``; discharged COD and NH3-N
``V × c_out``. Untreated domestic sewage: ``P × g × 365 days`` for COD, NH3-N and CH4
``P × COD_g × B0 × MCF × 365 days``. The plants' electricity is an ``electricity`` activity of
sector ``wastewater`` (indirect).
"""

from __future__ import annotations

from xietong.accounting.activity import Activity
from xietong.accounting.methods.agriculture import N2ON_TO_N2O
from xietong.accounting.methods.base import (
    Context,
    Emission,
    activity_term,
    constant,
    parameter_term,
    product,
)

DAYS = constant("365 days", 365.0, "day", source="days of a year for per-capita daily loads")


def wastewater_treatment(act: Activity, ctx: Context) -> list[Emission]:
    """CH4, N2O, COD and NH3-N (t) of wastewater treated (concentrations from the row or the
    factor library's defaults)."""
    v = activity_term(act)
    p = {
        n: parameter_term(act, ctx, n) for n in ("cod_in", "tn_in", "tn_out", "cod_out", "nh3n_out")
    }
    return [
        product(
            "CH4",
            "ipcc-wastewater-ch4",
            [v, p["cod_in"], ctx.term("B0", act), ctx.term("MCF", act)],
        ),
        product(
            "N2O",
            "ipcc-2019-plant-n2o",
            [v, p["tn_in"], ctx.term("EF_N2O_plant", act), N2ON_TO_N2O],
        ),
        product(
            "N2O",
            "ipcc-effluent-n2o",
            [v, p["tn_out"], ctx.term("EF_N2O_effluent", act), N2ON_TO_N2O],
        ),
        product("COD", "effluent-load", [v, p["cod_out"]]),
        product("NH3-N", "effluent-load", [v, p["nh3n_out"]]),
    ]


def untreated_sewage(act: Activity, ctx: Context) -> list[Emission]:
    """COD, NH3-N and CH4 (t per year) of the sewage of ``P`` persons not served by treatment."""
    people = activity_term(act)
    cod = ctx.term("COD", act, name="COD per person")
    return [
        product("COD", "per-capita-load", [people, cod, DAYS]),
        product("NH3-N", "per-capita-load", [people, ctx.term("NH3-N", act), DAYS]),
        product(
            "CH4",
            "ipcc-wastewater-ch4",
            [
                people,
                cod,
                DAYS,
                ctx.term("B0", act, technology="domestic"),
                ctx.term("MCF", act),
            ],
        ),
    ]
