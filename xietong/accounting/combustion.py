"""Fuel CO2 of a single quantity, for notebooks: the China method and IPCC Tier 1 through the
inventory's combustion method (:mod:`xietong.accounting.methods.energy`), so there is one
implementation of each formula.

China enterprise method (企业温室气体排放核算方法与报告指南):
``E_CO2 = AD × NCV × CC × OF × 44/12`` — activity in t (or 10⁴ Nm³), NCV in GJ per unit,
CC in tC/GJ, OF the oxidation factor. IPCC 2006 Vol.2 Ch.2, Tier 1:
``E = AD × NCV × EF`` with EF in kg/TJ. Both return tonnes of CO2 with a trace of every input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pint

from xietong.accounting.activity import Activity
from xietong.accounting.factors import FactorLibrary, Selection
from xietong.accounting.methods.base import Context, activity_term, product
from xietong.accounting.methods.energy import co2_terms


@dataclass(frozen=True)
class Result:
    """An emission in tonnes with the formula and every factor used."""

    substance: str
    tonnes: float
    method: str
    formula: str
    factors: tuple[Selection, ...]


def _co2(
    amount: pint.Quantity[Any], fuel: str, library: FactorLibrary, method: str, edition: str
) -> Result:
    act = Activity(
        year=2022,
        district="city",
        sector="industry",
        activity=fuel,
        amount=float(amount.magnitude),
        unit=str(amount.units),
    )
    ctx = Context(library, editions=(edition,), co2_method=method)
    name, terms = co2_terms(act, ctx, activity_term(act), fuel)
    e = product("CO2", name, terms)
    chosen = tuple(Selection(library.get(i), f"{i}: edition {edition}") for i in e.factor_ids)
    return Result("CO2", e.tonnes, e.method, e.formula, chosen)


def co2_china(
    amount: pint.Quantity[Any], fuel: str, library: FactorLibrary, edition: str = "CN-ENT-2022"
) -> Result:
    """CO2 (t) of burning ``amount`` of ``fuel`` by AD × NCV × CC × OF × 44/12 (China method,
    factors of ``edition``); a wrong unit raises :class:`~xietong.errors.UnitError`."""
    return _co2(amount, fuel, library, "china", edition)


def co2_ipcc_tier1(amount: pint.Quantity[Any], fuel: str, library: FactorLibrary) -> Result:
    """CO2 (t) of burning ``amount`` of ``fuel`` by AD × NCV × EF (IPCC 2006 Tier 1)."""
    return _co2(amount, fuel, library, "ipcc", "IPCC-2006")
