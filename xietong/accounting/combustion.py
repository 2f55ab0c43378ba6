"""Stationary combustion CO2 by the China method and by IPCC Tier 1.

China enterprise method (企业温室气体排放核算方法与报告指南):
``E_CO2 = AD × NCV × CC × OF × 44/12`` — activity in t (or 10⁴ Nm³), NCV in GJ per unit,
CC in tC/GJ, OF the oxidation factor. IPCC 2006 Vol.2 Ch.2, Tier 1:
``E = AD × NCV × EF`` with EF in kg/TJ. Both return tonnes of CO2 with a trace of every input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pint

from xietong.accounting.factors import FactorLibrary, Selection

C_TO_CO2 = 44.0 / 12.0
"""Molar-mass ratio CO2/C (44/12), IPCC 2006 Vol.2 Ch.1."""


@dataclass(frozen=True)
class Result:
    """An emission in tonnes with the formula and every factor used."""

    substance: str
    tonnes: float
    method: str
    formula: str
    factors: tuple[Selection, ...]


def co2_china(
    amount: pint.Quantity[Any], fuel: str, library: FactorLibrary, edition: str = "CN-ENT-2022"
) -> Result:
    """CO2 (t) of burning ``amount`` of ``fuel`` by AD × NCV × CC × OF × 44/12 (China method).

    ``amount`` must be a mass (or, for gaseous fuels, a volume) compatible with the NCV's unit;
    a wrong unit raises pint's DimensionalityError.
    """
    ncv = library.select("NCV", fuel=fuel, editions=[edition])
    cc = library.select("CC", fuel=fuel, editions=[edition])
    of = library.select("OF", fuel=fuel, editions=[edition])
    energy = (amount * ncv.factor.quantity).to("GJ")
    carbon = (energy * cc.factor.quantity).to("t")  # tonnes of carbon
    co2 = carbon * of.factor.quantity.to("dimensionless").magnitude * C_TO_CO2
    return Result(
        "CO2",
        float(co2.to("t").magnitude),
        "china-enterprise",
        f"{amount:~P} × {ncv.factor.value} {ncv.factor.unit} × {cc.factor.value} tC/GJ × "
        f"{of.factor.value} % × 44/12",
        (ncv, cc, of),
    )


def co2_ipcc_tier1(amount: pint.Quantity[Any], fuel: str, library: FactorLibrary) -> Result:
    """CO2 (t) of burning ``amount`` of ``fuel`` by AD × NCV × EF (IPCC 2006 Tier 1)."""
    ncv = library.select("NCV", fuel=fuel, editions=["IPCC-2006"])
    ef = library.select("CO2", fuel=fuel, editions=["IPCC-2006"])
    co2 = amount * ncv.factor.quantity * ef.factor.quantity
    return Result(
        "CO2",
        float(co2.to("t").magnitude),
        "ipcc-2006-tier1",
        f"{amount:~P} × {ncv.factor.value} {ncv.factor.unit} × {ef.factor.value} {ef.factor.unit}",
        (ncv, ef),
    )
