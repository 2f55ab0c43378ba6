"""Stationary and mobile fuel combustion (IPCC 1.A), and flue-gas monitoring.

CO2 by the China enterprise method ``AD × NCV × CC × OF × 44/12`` (企业温室气体排放核算方法与报告
指南) or by IPCC 2006 Vol.2 Ch.2 ``AD × NCV × EF``; CH4 and N2O by ``AD × NCV × EF`` with the
factor of the activity's sector (IPCC 2006 Vol.2 Tables 2.2–2.5, 3.2.2, 3.4.1, 3.5.3, 3.6.5);
air pollutants by ``AD × EF × (1 − η)`` (generation factor × control efficiency, MEE source
coefficients) and SO2 by sulphur balance ``AD × S × f_SO2 × 64/32 × (1 − η)`` where no SO2
factor applies. Monitored flue gas: ``V × c`` for each measured concentration.
"""

from __future__ import annotations

import math

from xietong.accounting.activity import Activity
from xietong.accounting.methods.base import (
    REMOVAL,
    Context,
    Emission,
    Term,
    activity_term,
    constant,
    one_minus,
    parameter_term,
    product,
    yields_mass,
)
from xietong.units import Q_, unit_quantity

C_TO_CO2 = constant("44/12", 44.0 / 12.0, source="molar mass ratio CO2/C")
S_TO_SO2 = constant("64/32", 64.0 / 32.0, source="molar mass ratio SO2/S")
COMBUSTION_POLLUTANTS = ("NOx", "PM10", "PM2.5", "CO", "VOCs")


def co2_terms(
    act: Activity, ctx: Context, amount: Term, fuel: str, fuel_terms: list[Term] | None = None
) -> tuple[str, list[Term]]:
    """Method name and terms of fuel CO2 for ``amount`` of ``fuel`` under ``ctx.co2_method``.

    The NCV (and the oxidation factor) come from the edition of the carbon factor the method
    uses: the IPCC EF with the IPCC NCV (IPCC 2006 Vol.2 Ch.1 Tables 1.2 and 1.4: 10 000 t of
    other bituminous coal give 10 Gg × 25.8 TJ/Gg × 94 600 kg/TJ = 24 406.8 t CO2), the China
    CC with the China NCV and OF. Where the edition has no NCV, or its NCV does not fit the
    fuel's unit (an NCV per tonne for a gas measured in Nm³), the rule's NCV is used and the
    trace shows both editions. ``fuel_terms`` give the amount of fuel where it is a product
    (distance × consumption × density), default ``[amount]``."""
    quantity = math.prod((t.quantity for t in fuel_terms or [amount]), start=Q_(1.0))
    own = ctx.candidate("CO2", act, fuel=fuel)
    if own is not None and (quantity * unit_quantity(own.unit)).check("[mass]"):
        # a CO2 factor per unit of fuel (t CO2 per t or per m³, e.g. a plant's own): AD × EF
        return "fuel-co2-factor", [amount, ctx.term("CO2", act, fuel=fuel, name="EF")]

    def ncv_for(partner: Term) -> Term:
        ncv = ctx.paired("NCV", act, partner, fuel=fuel)
        if (quantity * ncv.quantity).check("[energy]"):
            return ncv
        # the edition's NCV is per tonne and the fuel is a volume (or the reverse): the rule's
        return ctx.term("NCV", act, fuel=fuel)

    if ctx.co2_method == "ipcc":
        ef = ctx.term("CO2", act, fuel=fuel, name="EF")
        return "ipcc-2006-tier1", [amount, ncv_for(ef), ef]
    cc = ctx.term("CC", act, fuel=fuel)
    of = ctx.paired("OF", act, cc, fuel=fuel)
    return "china-enterprise", [amount, ncv_for(cc), cc, of, C_TO_CO2]


def energy_ncv(terms: list[Term]) -> Term:
    """The NCV among the terms of :func:`co2_terms`: the CH4 and N2O of the same fuel use the
    energy the CO2 was computed from."""
    return next(t for t in terms if t.name == "NCV")


def pollutant(
    act: Activity,
    ctx: Context,
    substance: str,
    amount: Term | list[Term],
    fuel: str | None,
    method: str,
    ncv: Term | None = None,
) -> Emission | None:
    """``amount × EF × (1 − η)`` for one air pollutant, or None if no factor applies.

    A factor per unit of energy (g/GJ) is multiplied by the fuel's NCV; the control efficiency
    applies when the activity names a control other than ``none`` and a removal factor exists.
    """
    ef = ctx.optional(substance, act, fuel=fuel)
    if ef is None:
        return None
    use = amount if isinstance(amount, list) else [amount]
    terms = [*use, ef]
    if fuel and not yields_mass(*use, ef):
        terms.insert(len(use), ncv or ctx.term("NCV", act, fuel=fuel))
    removal = REMOVAL.get(substance)
    if removal and act.control and act.control != "none":
        eta = ctx.optional(removal, act, fuel=fuel)
        if eta is not None:
            terms.append(one_minus(eta))
    return product(substance, method, terms)


def fuel_amount(act: Activity, ctx: Context, fuel: str) -> list[Term]:
    """The terms that give the mass (or, for a gas, the volume) of fuel burnt: the amount, and
    the fuel's density where a liquid measured by mass is given as a volume (m³, L; density at
    20 °C as data, e.g. GB 19147-2016 diesel 810–845 kg/m³)."""
    amount = activity_term(act)
    dimension = unit_quantity(act.kind.dimension_unit)
    if amount.quantity.check("[volume]") and dimension.check("[mass]"):
        return [amount, ctx.term("density", act, fuel=fuel)]
    return [amount]


def fuel_combustion(act: Activity, ctx: Context) -> list[Emission]:
    """CO2, CH4, N2O and air pollutants (t) of burning the activity's fuel."""
    fuel = act.kind.fuel or act.activity
    use = fuel_amount(act, ctx, fuel)
    method, terms = co2_terms(act, ctx, use[0], fuel, use)
    out = [product("CO2", method, [*use, *terms[1:]])]
    ncv = energy_ncv(terms) if method != "fuel-co2-factor" else ctx.term("NCV", act, fuel=fuel)
    for gas in ("CH4", "N2O"):
        out.append(product(gas, "ipcc-2006-tier1", [*use, ncv, ctx.term(gas, act, name="EF")]))
    out.extend(
        e
        for sub in COMBUSTION_POLLUTANTS
        if (e := pollutant(act, ctx, sub, use, fuel, "source-coefficient", ncv)) is not None
    )
    so2 = pollutant(act, ctx, "SO2", use, fuel, "source-coefficient", ncv)
    out.append(so2 if so2 is not None else sulphur_balance(act, ctx, use))
    return out


def sulphur_balance(act: Activity, ctx: Context, amount: Term | list[Term]) -> Emission:
    """SO2 (t) = AD × S × f_SO2 × 64/32 × (1 − η_SO2): sulphur in the fuel burnt, the share
    converted to SO2 (0.8 for coal) and the desulphurisation efficiency of the control."""
    terms = [
        *(amount if isinstance(amount, list) else [amount]),
        parameter_term(act, ctx, "S_content"),
        parameter_term(act, ctx, "S_to_SO2"),
        S_TO_SO2,
    ]
    if act.control and act.control != "none":
        eta = ctx.optional("removal_SO2", act)
        if eta is not None:
            terms.append(one_minus(eta))
    return product("SO2", "sulphur-balance", terms)


FLUE_GAS = {"so2": "SO2", "nox": "NOx", "pm": "PM10", "pm10": "PM10", "pm2_5": "PM2.5"}
"""Concentration parameters of monitored flue gas and the pollutant each gives (CEMS total
particulate ``pm`` is booked as PM10)."""


def flue_gas_monitoring(act: Activity, ctx: Context) -> list[Emission]:
    """Pollutants (t) = flue-gas volume × measured concentration, for each concentration given."""
    amount = activity_term(act)
    out: list[Emission] = []
    for name, substance in FLUE_GAS.items():
        c = act.parameter(name)
        if c is not None:
            conc = Term(
                f"c({name})",
                float(c.magnitude),
                f"{c.units:~}",
                None,
                "measured concentration (activity row parameter)",
            )
            out.append(product(substance, "flue-gas-monitoring", [amount, conc]))
    return out
