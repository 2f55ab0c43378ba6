"""Wastewater (IPCC 2006 Vol.5 Ch.6 and its 2019 Refinement).

Treated: CH4 ``(TOW − S) × B0 × MCF − R`` (IPCC 2006 Vol.5 Eq. 6.1, 6.2), with ``TOW = V × COD_in``,
the organic component removed as sludge ``S = V × COD_sludge`` (row parameter ``cod_sludge``, COD
removed with the sludge per volume treated; 0 where the row gives none) and the methane
recovered or flared ``R = r × (TOW − S) × B0 × MCF`` (row parameter ``ch4_recovered``, the share
r recovered; 0 where none): a product ``V × (COD_in − COD_sludge) × B0 × MCF × (1 − r)``, linear
in V. Plant N2O ``V × TN_in × EF_plant × 44/28``
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
    Term,
    activity_term,
    constant,
    parameter_term,
    product,
)
from xietong.errors import UnitError

DAYS = constant("365 days", 365.0, "day", source="days of a year for per-capita daily loads")
ONE_YEAR = constant("1 year", 1.0, "year", source="annual discharge")


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
            [
                v,
                _less_sludge(act, p["cod_in"]),
                ctx.term("B0", act),
                ctx.term("MCF", act),
                *_recovery(act),
            ],
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


def _less_sludge(act: Activity, cod_in: Term) -> Term:
    """``COD_in − COD_sludge``: the influent COD less the COD removed with the sludge (same
    unit as COD_in); COD_in as it is where the row removes none."""
    sludge = act.parameter("cod_sludge")
    if sludge is None:
        return cod_in
    removed = float(sludge.to(cod_in.quantity.units).magnitude) / cod_in.quantity.magnitude
    if not 0 <= removed <= 1:
        raise UnitError(
            f"wastewater: cod_sludge {sludge:~} is not between 0 and the influent COD "
            f"{cod_in.value:g} {cod_in.unit}"
        )
    return Term(
        "COD_in − S",
        cod_in.value * (1 - removed),
        cod_in.unit,
        cod_in.factor_id,
        f"{cod_in.source}; less cod_sludge {sludge:~} (activity row parameter)",
        True,
        cod_in.uncertainty_pct,
    )


def _recovery(act: Activity) -> list[Term]:
    """``1 − r`` where the row says a share r of the methane is recovered or flared."""
    share = act.parameter("ch4_recovered")
    if share is None:
        return []
    r = float(share.to("dimensionless").magnitude)
    if not 0 <= r <= 1:
        raise UnitError(f"wastewater: ch4_recovered {r:g} is not a share between 0 and 1")
    return [Term("1 − R", 1 - r, "dimensionless", None, "ch4_recovered (activity row)", False)]


def _per_person(
    act: Activity, ctx: Context, method: str, period: Term, **mcf_over: str
) -> list[Emission]:
    """COD, NH3-N and CH4 (t) of ``P`` persons' sewage: ``P × load × period`` for COD and
    NH3-N, and ``P × COD × period × B0 × MCF`` for CH4 (the B0 of domestic wastewater)."""
    people = activity_term(act)
    cod = ctx.term("COD", act, name="COD per person")
    return [
        product("COD", method, [people, cod, period]),
        product("NH3-N", method, [people, ctx.term("NH3-N", act), period]),
        product(
            "CH4",
            "ipcc-wastewater-ch4",
            [
                people,
                cod,
                period,
                ctx.term("B0", act, technology="domestic"),
                ctx.term("MCF", act, **mcf_over),
            ],
        ),
    ]


def untreated_sewage(act: Activity, ctx: Context) -> list[Emission]:
    """COD, NH3-N and CH4 (t per year) of the sewage of ``P`` persons not served by treatment."""
    return _per_person(act, ctx, "per-capita-load", DAYS)


def rural_domestic_sewage(act: Activity, ctx: Context) -> list[Emission]:
    """COD and NH3-N (t per year) discharged by ``P`` rural residents: ``P × EF × 1 year``,
    EF the discharge per resident (after whatever treatment the rural average has), so the
    whole rural population is the activity, served or not; CH4 of that COD as of untreated
    sewage, ``P × COD × 1 year × B0 × MCF`` (the B0 of domestic wastewater and the MCF of
    ``sewage_untreated``)."""
    return _per_person(act, ctx, "per-capita-discharge", ONE_YEAR, activity="sewage_untreated")
