"""Iron and steel as the provincial guideline books it (省级温室气体清单编制指南, 2011).

The carbon of the coal that makes iron is an **energy** activity: the coking coal charged to
the coke ovens (whose coke goes to the blast furnace and, as breeze, to the sinter strand, and
whose gas is burnt in the works) and the coal injected into the blast furnace (PCI). A
``steel_reductant`` row (sector ``industry``, subsector ``steel``; amount = crude steel, t)
gives that CO2 by the fuel method of :mod:`~xietong.accounting.methods.energy`: crude steel ×
coal per t crude steel (row parameters ``coking_coal`` and ``pci_coal``, else the library's
defaults for the route) × NCV × CC × OF × 44/12 (or × NCV × EF under the IPCC method), so the
indicators count it as fuel energy and fuel CO2 (official caliber, coal share).

The **process** CO2 of a BF-BOF ``crude_steel`` row (sector ``industrial_processes``) is what
is left: the carbonate fluxes of the sinter strand and the blast furnace (limestone and
dolomite × their IPCC 2006 Vol.3 Table 2.1 factors) and the carbon taken out of the hot metal
in the converter: crude steel × hot metal per t × C_hot metal − crude steel × C_steel (IPCC 2006
Vol.3 Ch.4 Eq. 4.9 and Table 4.3 carbon contents), × 44/12. An EAF row keeps the IPCC Tier 1
factor (electrodes and additions, 0.08 t/t; its electricity is a purchased-electricity row).

The two rows carry the same route (technology ``bof`` / ``eaf``), so a lever that moves crude
steel from BOF to EAF moves its reductant with it: the EAF defaults of ``coking_coal`` and
``pci_coal`` are zero.
"""

from __future__ import annotations

from xietong.accounting.activity import Activity
from xietong.accounting.methods.base import (
    Context,
    Emission,
    activity_term,
    parameter_term,
    product,
)
from xietong.accounting.methods.energy import C_TO_CO2, co2_terms
from xietong.accounting.methods.processes import PROCESS_POLLUTANTS, by_factor

REDUCTANTS = (("coking_coal", "washed_coal"), ("pci_coal", "bituminous_coal"))
"""Coal per t of crude steel (row parameter or library default) and the fuel whose factors
give its CO2: coking coal is washed coal (洗精煤), PCI coal bituminous coal (烟煤)."""
FLUXES = ("limestone", "dolomite")


def steel_reductant(act: Activity, ctx: Context) -> list[Emission]:
    """CO2 (t) of the coal that makes the works' iron, an energy activity (module
    docstring): for each of coking coal (coke ovens, blast furnace and sinter via coke) and
    PCI coal, crude steel × coal per t × the fuel's CO2 terms."""
    amount = activity_term(act)
    out = []
    for parameter, fuel in REDUCTANTS:
        rate = parameter_term(act, ctx, parameter)
        use = [amount, rate]
        method, terms = co2_terms(act, ctx, amount, fuel, use)
        out.append(product("CO2", method, [*use, *terms[1:]]))
    return out


def crude_steel(act: Activity, ctx: Context) -> list[Emission]:
    """Process CO2 (t) of crude steel and its process pollutants: BF-BOF by the guideline's
    fluxes and decarburisation (module docstring), other routes by the IPCC Tier 1 factor."""
    if act.technology != "bof":
        return by_factor(act, ctx, "ipcc-2006-steel-tier1", ["CO2"], PROCESS_POLLUTANTS)
    amount = activity_term(act)
    out = []
    for flux in FLUXES:
        rate = parameter_term(act, ctx, flux)
        ef = ctx.term("CO2", act, activity=flux, technology=None, name=f"EF_{flux}")
        out.append(product("CO2", "guideline-steel-flux", [amount, rate, ef]))
    hot_metal = parameter_term(act, ctx, "hot_metal")
    c_iron = parameter_term(act, ctx, "c_hot_metal")
    c_steel = parameter_term(act, ctx, "c_steel")
    out.append(
        product("CO2", "guideline-steel-decarburisation", [amount, hot_metal, c_iron, C_TO_CO2])
    )
    # the carbon that stays in the steel is subtracted
    out.append(
        product("CO2", "guideline-steel-decarburisation", [amount, c_steel, C_TO_CO2], sign=-1.0)
    )
    return [*out, *by_factor(act, ctx, "", [], PROCESS_POLLUTANTS)]
