"""Fugitive emissions from oil and natural-gas systems (IPCC 2006 Vol.2 Ch.4, Section 4.2).

Tier 1 (Eq. 4.2.1): ``E_gas = A × EF_gas`` for each segment of the industry.

- Oil refining (``crude_refined``, 1.B.2.a.iv): the factors of Table 4.2.4 are per volume of
  oil refined (Gg per 10³ m³); a crude throughput given as a mass is turned into a volume by
  the crude's density (``density`` factor or row parameter), so ``E = M × (1 / ρ) × EF``.
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
    parameter_term,
    product,
)

REFINING_SUBSTANCES = ("CO2", "VOCs")
"""Substances of refining given where a factor applies (CH4 is required)."""
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
