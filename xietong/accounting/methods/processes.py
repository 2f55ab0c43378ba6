"""Industrial processes and product use (IPCC 2006 Vol.3).

Process CO2 of cement clinker (Ch.2 Eq.2.4), lime (Eq.2.8), glass ``M × EF × (1 − CR)``
(Eq.2.10) and ethylene (Ch.3) (iron and steel: :mod:`~xietong.accounting.methods.steel`); F-gases
``bank × annual leak rate`` (Ch.7, Ch.8); solvent VOCs ``use × EF``. Process air pollutants by
``output × EF`` with the factor's stated control level.
"""

from __future__ import annotations

from collections.abc import Sequence

from xietong.accounting.activity import Activity
from xietong.accounting.methods.base import (
    REMOVAL,
    Context,
    Emission,
    activity_term,
    one_minus,
    parameter_term,
    product,
)

PROCESS_POLLUTANTS = ("SO2", "NOx", "PM10", "PM2.5", "CO", "VOCs")


def by_factor(
    act: Activity, ctx: Context, method: str, required: Sequence[str], optional: Sequence[str] = ()
) -> list[Emission]:
    """``activity × EF`` for each required substance (FactorError if missing) and each optional
    substance that has a factor; an activity that names a control (other than ``none``) has
    its pollutants reduced by the control's removal efficiency (``× (1 − η)``)."""
    amount = activity_term(act)
    out = [product(s, method, [amount, ctx.term(s, act, name="EF")]) for s in required]
    for s in optional:
        ef = ctx.optional(s, act)
        if ef is not None:
            terms = [amount, ef]
            removal = REMOVAL.get(s)
            if removal and act.control and act.control != "none":
                eta = ctx.optional(removal, act)
                if eta is not None:
                    terms.append(one_minus(eta))
            out.append(product(s, "source-coefficient", terms))
    return out


def cement_clinker(act: Activity, ctx: Context) -> list[Emission]:
    """Process CO2 (t) of clinker production = clinker × EF_clc, and process air pollutants."""
    return by_factor(act, ctx, "ipcc-2006-clinker", ["CO2"], PROCESS_POLLUTANTS)


def lime(act: Activity, ctx: Context) -> list[Emission]:
    """Process CO2 (t) of lime production = lime × EF_lime (by lime type)."""
    return by_factor(act, ctx, "ipcc-2006-lime", ["CO2"], PROCESS_POLLUTANTS)


def petrochemical(act: Activity, ctx: Context) -> list[Emission]:
    """Process CO2 and CH4 (t) of ethylene by steam cracking, and process VOCs."""
    return by_factor(act, ctx, "ipcc-2006-petrochemical", ["CO2", "CH4"], PROCESS_POLLUTANTS)


def glass(act: Activity, ctx: Context) -> list[Emission]:
    """Process CO2 (t) of glass = M × EF × (1 − CR), CR the cullet ratio (row or default)."""
    amount = activity_term(act)
    cr = parameter_term(act, ctx, "cullet_ratio")
    co2 = product(
        "CO2", "ipcc-2006-glass", [amount, ctx.term("CO2", act, name="EF"), one_minus(cr)]
    )
    return [co2, *by_factor(act, ctx, "", [], PROCESS_POLLUTANTS)]


FGAS = {"hfc134a_bank": "HFC-134a", "sf6_bank": "SF6"}


def fgas_use(act: Activity, ctx: Context) -> list[Emission]:
    """F-gas emitted (t) = bank in equipment × annual leak rate (by equipment type)."""
    rate = ctx.term("leak_rate", act)
    return [product(FGAS[act.activity], "ipcc-2006-fgas-bank", [activity_term(act), rate])]


def solvent_use(act: Activity, ctx: Context) -> list[Emission]:
    """VOCs (t) = solvent or coating used × VOC factor of the use."""
    return by_factor(act, ctx, "source-coefficient", ["VOCs"])


ELECTRONICS_GASES = ("CF4", "C2F6", "NF3", "SF6")
"""Fluorinated gases of etching and chamber cleaning counted by the Tier 1 method."""


def electronics_fgas(act: Activity, ctx: Context) -> list[Emission]:
    """PFCs, NF3 and SF6 (t) of semiconductor and display fabs, IPCC 2006 Vol.3 Ch.6 Tier 1:
    ``E_i = A × EF_i × (1 − abatement)`` for each gas with a factor for the technology
    (``semiconductor``: per m² of silicon processed; ``tft_fpd``: per m² of glass substrate),
    ``A`` the substrate area processed and ``abatement`` the share of the gas destroyed
    (a × d, the fraction of the gas sent to abatement × its destruction efficiency; row
    parameter, else the library's default)."""
    area = activity_term(act)
    abated = one_minus(parameter_term(act, ctx, "abatement"))
    out = []
    for gas in ELECTRONICS_GASES:
        ef = ctx.optional(gas, act)
        if ef is not None:
            out.append(product(gas, "ipcc-2006-electronics-tier1", [area, ef, abated]))
    if not out:
        ctx.term(ELECTRONICS_GASES[0], act)  # raises the selection rule's FactorError
    return out


REFRIGERANT_GASES = ("HFC-32", "HFC-125", "HFC-134a", "HFC-143a")
"""HFCs a refrigerant bank may hold (alone or as a blend)."""


def refrigerant_bank(act: Activity, ctx: Context) -> list[Emission]:
    """HFCs emitted (t) from a bank of refrigerant in equipment, IPCC 2006 Vol.3 Ch.7 Tier 1
    (operating emissions): ``E_i = bank × leak rate × x_i``, the annual leak rate of the
    equipment type (``technology``, the Table 7.9 rates of ``hfc134a_bank``, which depend on
    the equipment, not the gas) and ``x_i`` the mass fraction of HFC ``i`` in the refrigerant
    (``fraction_<gas>`` rows of the activity: R-410A = HFC-32 / HFC-125 50/50 %)."""
    bank = activity_term(act)
    rate = ctx.term("leak_rate", act, activity="hfc134a_bank")
    out = []
    for gas in REFRIGERANT_GASES:
        x = ctx.optional(f"fraction_{gas}", act, technology=None)
        if x is not None:
            out.append(product(gas, "ipcc-2006-refrigerant-bank", [bank, rate, x]))
    if not out:
        ctx.term(f"fraction_{REFRIGERANT_GASES[0]}", act, technology=None)
    return out
