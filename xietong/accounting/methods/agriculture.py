"""Agriculture (IPCC 2006 Vol.4; China provincial inventory guideline 2011).

Rice CH4 ``A × EF_season`` (a per-season factor where one applies) or
``A × EFc × SFw × SFp × SFo × t`` (Vol.4 Ch.5 Eq.5.1–5.3, SFo from the organic amendments);
fertiliser N2O direct ``N × EF1 × 44/28`` and indirect
``N × FracGASF × EF4 × 44/28 + N × FracLEACH × EF5 × 44/28`` (Ch.11 Eq.11.1, 11.9, 11.10);
NH3 ``N × Frac_NH3 × 17/14``; livestock ``heads × EF × 1 year`` for enteric CH4, manure CH4,
manure N2O and NH3 (Ch.10).
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
from xietong.accounting.methods.processes import by_factor

N2ON_TO_N2O = constant("44/28", 44.0 / 28.0, source="molar mass ratio N2O/N2O-N")
NH3N_TO_NH3 = constant("17/14", 17.0 / 14.0, source="molar mass ratio NH3/NH3-N")
ONE_YEAR = constant("1 year", 1.0, "year")


AMENDMENTS = ("straw_short", "straw_long", "compost", "manure", "green_manure")
"""Organic amendments of IPCC 2006 Vol.4 Table 5.14, as row parameters (t/ha: dry weight for
straw, fresh weight for the others): straw incorporated shortly (< 30 days) or long (> 30
days) before cultivation, compost, farm yard manure, green manure."""
SFO_EXPONENT = 0.59
"""IPCC 2006 Vol.4 Eq. 5.3 (unchanged in the 2019 Refinement)."""


def scaling_organic(act: Activity, ctx: Context, edition_of: Term) -> Term | None:
    """``SFo = (1 + Σ ROAᵢ × CFOAᵢ)^0.59`` (IPCC 2006 Vol.4 Eq. 5.3) from the row's amendment
    parameters, with the CFOA of ``edition_of``'s edition (2006 or 2019, Table 5.14); the row's
    own ``SFo`` where it gives one; None where it gives neither (no amendment: SFo = 1)."""
    if act.parameter("SFo") is not None:
        return parameter_term(act, ctx, "SFo")
    parts: list[str] = []
    total = 0.0
    for name in AMENDMENTS:
        roa = act.parameter(name)
        if roa is None:
            continue
        cfoa = ctx.paired(f"CFOA_{name}", act, edition_of)
        rate = float(roa.to("t / ha").magnitude)
        total += rate * float(cfoa.quantity.to("dimensionless").magnitude)
        parts.append(f"{name} {rate:g} t/ha × {cfoa.value:g} ({cfoa.factor_id})")
    if not parts:
        return None
    return Term(
        "SFo",
        (1 + total) ** SFO_EXPONENT,
        "dimensionless",
        None,
        f"(1 + Σ ROA × CFOA)^0.59, IPCC 2006 Vol.4 Eq. 5.3: {'; '.join(parts)}",
        False,
    )


def rice_ch4(act: Activity, ctx: Context) -> list[Emission]:
    """CH4 (t) of rice paddies harvested on ``A`` (per-season factor, else IPCC daily factor
    ``EFc × SFw × SFp × SFo × days``, whose scaling factors come from the edition of EFc: the
    2006 or the 2019 defaults, not a mix; the trace names the edition of each)."""
    area = activity_term(act)
    season = ctx.optional("CH4", act)
    if season is not None:
        return [product("CH4", "cn-provincial-rice", [area, season])]
    efc = ctx.term("EFc", act)
    terms = [
        area,
        efc,
        ctx.paired("SFw", act, efc),
        ctx.paired("SFp", act, efc),
        parameter_term(act, ctx, "cultivation_days"),
    ]
    sfo = scaling_organic(act, ctx, efc)
    if sfo is not None:
        terms.append(sfo)
    return [product("CH4", "ipcc-2006-rice", terms)]


def fertiliser(act: Activity, ctx: Context) -> list[Emission]:
    """N2O (t) direct, via volatilisation and via leaching, and NH3 (t) of N applied."""
    n = activity_term(act)
    out = [
        product("N2O", "ipcc-2006-n2o-direct", [n, ctx.term("EF1", act), N2ON_TO_N2O]),
        product(
            "N2O",
            "ipcc-2006-n2o-volatilisation",
            [n, ctx.term("FracGASF", act), ctx.term("EF4", act), N2ON_TO_N2O],
        ),
        product(
            "N2O",
            "ipcc-2006-n2o-leaching",
            [n, ctx.term("FracLEACH", act), ctx.term("EF5", act), N2ON_TO_N2O],
        ),
    ]
    frac = ctx.optional("NH3_volatilised", act)
    if frac is not None:
        out.append(product("NH3", "nh3-volatilisation", [n, frac, NH3N_TO_NH3]))
    return out


def livestock(act: Activity, ctx: Context) -> list[Emission]:
    """Enteric and manure CH4, manure N2O and NH3 (t) of ``heads`` kept for a year."""
    heads = activity_term(act)
    out = [
        product("CH4", "ipcc-2006-enteric", [heads, ctx.term("enteric_CH4", act), ONE_YEAR]),
        product("CH4", "ipcc-2006-manure-ch4", [heads, ctx.term("manure_CH4", act), ONE_YEAR]),
        product("N2O", "manure-n2o", [heads, ctx.term("manure_N2O", act), ONE_YEAR]),
    ]
    nh3 = ctx.optional("NH3", act)
    if nh3 is not None:
        out.append(product("NH3", "livestock-nh3", [heads, nh3, ONE_YEAR]))
    for water in LIVESTOCK_WATER:
        ef = ctx.optional(water, act)
        if ef is not None:
            out.append(product(water, "livestock-water-discharge", [heads, ef, ONE_YEAR]))
    return out


LIVESTOCK_WATER = ("COD", "NH3-N")
"""Water pollutants discharged by livestock farms (after their manure and wastewater
treatment), per head of the population and day, where a factor applies."""


def aquaculture(act: Activity, ctx: Context) -> list[Emission]:
    """COD and NH3-N (t) discharged by aquaculture: ``output × EF`` (per t of product)."""
    return by_factor(act, ctx, "aquaculture-discharge", list(LIVESTOCK_WATER))


RESIDUE_BURNING_POLLUTANTS = ("CO", "NOx", "SO2", "PM10", "PM2.5", "VOCs", "NH3")


def residue_burning(act: Activity, ctx: Context) -> list[Emission]:
    """CH4, N2O and air pollutants (t) of crop residues burnt in the field, IPCC 2006 Vol.4
    Ch.2 Eq. 2.27 ``L = A × M_B × C_f × G_ef × 10⁻³`` with the activity the dry matter
    actually burnt (``A × M_B × C_f``, t), so ``L = M × G_ef``; the CO2 is biogenic and not
    counted (the crop regrows within the year)."""
    required = ["CH4", "N2O"]
    return by_factor(act, ctx, "ipcc-2006-biomass-burning", required, RESIDUE_BURNING_POLLUTANTS)
