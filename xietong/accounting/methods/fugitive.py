"""Fugitive emissions from oil and natural-gas systems (IPCC 2006 Vol.2 Ch.4, Section 4.2).

Tier 1 (Eq. 4.2.1): ``E_gas = A × EF_gas`` for each segment of the industry.

- Oil refining (``crude_refined``, 1.B.2.a.iv): the factors of Table 4.2.4 are per volume of
  oil refined (Gg per 10³ m³); a crude throughput given as a mass is turned into a volume by
  the crude's density (``density`` factor or row parameter), so ``E = M × (1 / ρ) × EF``.
- Distribution of oil products (``oil_products_distributed``, 1.B.2.a.v, EMEP/EEA 2023 Tier 2):
  VOCs of each stage, depot loading of road tankers, filling of service-station tanks, their
  breathing, refuelling of vehicles and its spillage, ``E_s = M × (1 / ρ) × EF_s × TVP × (1 −
  η_s)`` (``EF_s`` per m³ of throughput and kPa of true vapour pressure), and of depot storage
  ``M × EF``; ``technology`` the product (``gasoline``, ``diesel``: its density and TVP),
  ``control = vapour_recovery`` (油气回收) applies the stage's abatement efficiency.
- City-gas distribution (``gas_distributed``, 1.B.2.b.v): ``E = V × EF`` with ``V`` the gas
  distributed (utility sales) and the factors of Table 4.2.5 per volume.

Both give fossil methane (``ch4_origin = fossil``: AR6 29.8). The CO2 of the gas leaked from a
distribution network is counted where a factor is given; it is not fuel-combustion CO2 (no
NCV), so it never enters the energy-CO2 indicators.
"""

from __future__ import annotations

from xietong.accounting.activity import Activity
from xietong.accounting.methods.base import (
    Context,
    Emission,
    Term,
    activity_term,
    is_mass_rate,
    one_minus,
    parameter_term,
    product,
)

REFINING_SUBSTANCES = ("CO2", "VOCs", "SO2", "NOx", "CO", "PM10", "PM2.5")
"""Substances of refining given where a factor applies (CH4 is required): the process (not
combustion) emissions of EMEP/EEA 2023 1.B.2.a.iv Tier 1, per t of crude."""
DISTRIBUTION_SUBSTANCES = ("CO2", "VOCs")
"""Substances of gas distribution given where a factor applies (CH4 is required)."""


def _inverse(t: Term) -> Term:
    """The term ``1 / t`` (e.g. the volume per mass of a density: ``t / m3`` → ``m3 / t``)."""
    num, sep, den = t.unit.partition(" / ")
    unit = f"{den} / {num}" if sep and "/" not in den else f"1 / ({t.unit})"
    return Term(f"1 / {t.name}", 1.0 / t.value, unit, t.factor_id, t.source, True)


def _per_volume(act: Activity, ctx: Context, method: str, substance: str, ef: Term) -> Emission:
    """``A × EF``, or ``M × (1 / ρ) × EF`` where the factor is per volume and ``A`` a mass."""
    terms = [activity_term(act), ef]
    if not is_mass_rate(act, ef):
        terms.insert(1, _inverse(parameter_term(act, ctx, "density")))
    return product(substance, method, terms)


def _segment(act: Activity, ctx: Context, method: str, optional: tuple[str, ...]) -> list[Emission]:
    out = [_per_volume(act, ctx, method, "CH4", ctx.term("CH4", act, name="EF"))]
    for s in optional:
        ef = ctx.optional(s, act)
        if ef is not None:
            out.append(_per_volume(act, ctx, method, s, ef))
    return out


def oil_refining(act: Activity, ctx: Context) -> list[Emission]:
    """Fugitive CH4 (and CO2, VOCs where a factor applies) of crude oil refined (t)."""
    return _segment(act, ctx, "ipcc-2006-fugitive-refining", REFINING_SUBSTANCES)


def gas_distribution(act: Activity, ctx: Context) -> list[Emission]:
    """Fugitive CH4, CO2 and VOCs (t) of natural gas distributed in a city's network."""
    return _segment(act, ctx, "ipcc-2006-fugitive-gas-distribution", DISTRIBUTION_SUBSTANCES)


OIL_DISTRIBUTION_STAGES = (
    "depot_storage",
    "loading",
    "tank_filling",
    "tank_breathing",
    "refuelling",
    "refuelling_spillage",
)
"""Stages of oil-product distribution, each with its ``EF_VOCs_<stage>`` factor where one
applies (and ``abatement_<stage>`` under ``control = vapour_recovery``)."""


def oil_distribution(act: Activity, ctx: Context) -> list[Emission]:
    """VOCs (t) of gasoline or diesel (``technology``) distributed, stage by stage."""
    product_code = act.technology or None
    mass = activity_term(act)
    out = []
    for stage in OIL_DISTRIBUTION_STAGES:
        ef = ctx.optional(f"EF_VOCs_{stage}", act)
        if ef is None:
            continue
        terms = [mass, ef]
        if not is_mass_rate(act, ef):
            density = ctx.term("density", act, fuel=product_code)
            tvp = ctx.term("TVP", act)
            terms = [mass, _inverse(density), ef, tvp]
        eta = ctx.optional(f"abatement_{stage}", act)
        if eta is not None:
            terms.append(one_minus(eta))
        out.append(product("VOCs", f"emep-2023-oil-distribution-{stage}", terms))
    if not out:
        ctx.term(f"EF_VOCs_{OIL_DISTRIBUTION_STAGES[1]}", act)  # the rule's FactorError
    return out
