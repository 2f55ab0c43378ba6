"""What every sector method shares: terms of a formula, the emission they give, the context.

A method turns one :class:`~xietong.accounting.activity.Activity` into emissions. Each emission
is a product of *terms* (the activity amount and factors, each a pint quantity with its factor
id and source) times a constant; the product is converted to tonnes with pint, so a wrong unit
raises :class:`~xietong.errors.UnitError` instead of giving a wrong number. The terms are the
emission's trace, and the uncertainty module uses the ones marked ``scales`` (the emission is
proportional to them).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pint

from xietong.accounting.activity import Activity
from xietong.accounting.factors import (
    VINTAGE_EDITIONS,
    VINTAGE_TIERS,
    Factor,
    FactorError,
    FactorLibrary,
)
from xietong.accounting.grid_regions import DEFAULT_GRID_REGION
from xietong.errors import UnitError
from xietong.units import Q_, unit_quantity

GHGS = (
    "CO2",
    "CH4",
    "N2O",
    "HFC-134a",
    "SF6",
    "CF4",
    "NF3",
    "C2F6",
    "HFC-32",
    "HFC-125",
    "HFC-143a",
)
AIR_POLLUTANTS = ("SO2", "NOx", "PM10", "PM2.5", "VOCs", "NH3", "CO")
WATER_POLLUTANTS = ("COD", "NH3-N", "TN", "TP")
REMOVAL = {"NOx": "removal_NOx", "SO2": "removal_SO2", "PM10": "removal_PM", "PM2.5": "removal_PM"}
"""Control-efficiency parameter that applies to each pollutant's generation factor."""


@dataclass(frozen=True)
class Term:
    """One input of a formula: a value in a unit, from a factor (``factor_id``) or the activity.

    ``scales`` says the emission is proportional to this term (true for activity amounts and
    emission factors, false for e.g. ``1 − η`` or a decay rate). ``uncertainty_pct`` is the
    half-width of the 95 % interval in percent, where known.
    """

    name: str
    value: float
    unit: str
    factor_id: str | None = None
    source: str = ""
    scales: bool = True
    uncertainty_pct: float | None = None

    @property
    def quantity(self) -> pint.Quantity[Any]:
        """The term as a pint quantity."""
        q: pint.Quantity[Any] = self.value * unit_quantity(self.unit)
        return q

    def shown(self) -> str:
        """The term as written in a formula, e.g. ``23.204 GJ / t``."""
        return f"{self.value:,.6g} {self.unit}".strip()


@dataclass(frozen=True)
class Emission:
    """An emission (or removal, negative) in tonnes of ``substance``, with its trace."""

    substance: str
    tonnes: float
    method: str
    formula: str
    terms: tuple[Term, ...]
    scope: str = "direct"

    @property
    def factor_ids(self) -> tuple[str, ...]:
        """Ids of the factors the emission used."""
        return tuple(t.factor_id for t in self.terms if t.factor_id)


@dataclass
class Context:
    """Choices of an inventory build that methods need.

    ``editions`` restricts factor editions (None: all, by the selection rule); ``co2_method``
    is ``china`` (AD × NCV × CC × OF × 44/12) or ``ipcc`` (AD × NCV × EF); ``grid_region``
    selects the purchased-electricity factor; ``region`` is passed to factor selection.
    """

    library: FactorLibrary
    editions: tuple[str, ...] | None = None
    co2_method: str = "china"
    grid_region: str = DEFAULT_GRID_REGION
    region: str | None = None
    landfill_history_years: int = 30
    used: set[str] = field(default_factory=set)

    _cache: dict[tuple[object, ...], Factor | str] = field(default_factory=dict, repr=False)

    def factor(self, substance: str, act: Activity, **over: str | None) -> Factor:
        """The factor of ``substance`` for ``act`` by the library's selection rule.

        The activity's own applicability (activity code, fuel, sector, subsector, technology,
        control, region) is used unless overridden in ``over``.
        """
        wanted = self._wanted(act, over)
        key = (substance, *sorted(wanted.items(), key=lambda kv: kv[0]))
        chosen = self._select(key, substance, wanted, None)
        if chosen.tier in VINTAGE_TIERS or chosen.edition in VINTAGE_EDITIONS:
            chosen = self._select((*key, act.year), substance, wanted, act.year)
        self.used.add(chosen.id)
        return chosen

    def _wanted(self, act: Activity, over: dict[str, str | None]) -> dict[str, str | None]:
        """The applicability a factor is selected by: the activity's own (code, fuel, sector,
        subsector, technology, control) and the build's region, overridden by ``over``."""
        return {
            "activity": act.activity,
            "fuel": act.kind.fuel,
            "sector": act.sector,
            "subsector": act.subsector or None,
            "technology": act.technology or None,
            "control": act.control or None,
            "region": self.region,
            **over,
        }

    def _select(
        self,
        key: tuple[object, ...],
        substance: str,
        wanted: dict[str, str | None],
        year: int | None,
        editions: tuple[str, ...] | None = None,
    ) -> Factor:
        """The rule's factor, kept per ``key`` (failures too), from ``editions`` (default: the
        build's)."""
        chosen = self._cache.get(key)
        if chosen is None:
            try:
                chosen = self.library.select(
                    substance, editions=editions or self.editions, year=year, **wanted
                ).factor
            except FactorError as exc:
                chosen = str(exc)
            self._cache[key] = chosen
        if isinstance(chosen, str):
            raise FactorError(chosen)
        return chosen

    def term(
        self, substance: str, act: Activity, name: str | None = None, **over: str | None
    ) -> Term:
        """The selected factor of ``substance`` as a formula term."""
        return factor_term(self.factor(substance, act, **over), name or substance)

    def paired(
        self,
        substance: str,
        act: Activity,
        partner: Term,
        name: str | None = None,
        **over: str | None,
    ) -> Term:
        """The factor of ``substance`` taken from the edition of ``partner`` (e.g. the NCV of
        the edition whose emission factor is used: a method takes its NCV and its factor from
        the same edition); where that edition has none, the factor the selection rule gives,
        whose edition the trace then shows beside the partner's."""
        edition = self.library.get(partner.factor_id).edition if partner.factor_id else None
        if edition is not None and (self.editions is None or edition in self.editions):
            wanted = self._wanted(act, over)
            key = ("paired", edition, act.year, substance, *sorted(wanted.items()))
            try:
                chosen = self._select(key, substance, wanted, act.year, (edition,))
            except FactorError:
                pass
            else:
                self.used.add(chosen.id)
                return factor_term(chosen, name or substance)
        return self.term(substance, act, name, **over)

    def candidate(self, substance: str, act: Activity, **over: str | None) -> Factor | None:
        """The factor the rule would select for ``act``, without recording it as used (to look
        at its unit before choosing a formula); None where none applies."""
        wanted = self._wanted(act, over)
        key = (substance, *sorted(wanted.items(), key=lambda kv: kv[0]))
        try:
            return self._select(key, substance, wanted, None)
        except FactorError:
            return None

    def optional(self, substance: str, act: Activity, **over: str | None) -> Term | None:
        """Like :meth:`term` but None where no factor applies."""
        try:
            return self.term(substance, act, **over)
        except FactorError:
            return None


def factor_term(f: Factor, name: str, *, scales: bool = True) -> Term:
    """A factor as a formula term, with its uncertainty half-width (the larger side)."""
    u = max(abs(f.uncertainty_pct[0]), abs(f.uncertainty_pct[1])) if f.uncertainty_pct else None
    return Term(name, f.value, f.unit, f.id, f.source, scales, u)


def activity_term(act: Activity) -> Term:
    """The activity amount as a formula term."""
    return Term("activity", act.amount, act.unit, None, act.source, True, None)


def parameter_term(act: Activity, ctx: Context, name: str, **over: str | None) -> Term:
    """Parameter ``name`` from the activity row if it gives one, else from the factor library."""
    own = act.parameter(name)
    if own is not None:
        return Term(
            name,
            float(own.magnitude),
            f"{own.units:~}" or "dimensionless",
            None,
            "activity row parameter",
            True,
        )
    return ctx.term(name, act, **over)


def one_minus(t: Term) -> Term:
    """The term ``1 − t`` (e.g. 1 − control efficiency); the emission does not scale with t."""
    value = 1.0 - float(t.quantity.to("dimensionless").magnitude)
    return Term(f"1 − {t.name}", value, "dimensionless", t.factor_id, t.source, False)


def constant(name: str, value: float, unit: str = "dimensionless", source: str = "") -> Term:
    """A fixed constant of a formula (a molar-mass ratio, a year), without uncertainty."""
    return Term(name, value, unit, None, source, False, 0.0)


def product(
    substance: str,
    method: str,
    terms: Iterable[Term],
    *,
    scope: str = "direct",
    sign: float = 1.0,
) -> Emission:
    """The emission ``sign × Π terms`` in tonnes; UnitError if the product is not a mass."""
    ts = tuple(terms)
    try:
        tonnes = sign * math.prod(t.value for t in ts) * _to_tonnes(tuple(t.unit for t in ts))
    except pint.DimensionalityError as exc:
        raise UnitError(
            f"{method}: {substance} = {' × '.join(t.shown() for t in ts)} is not a mass ({exc})"
        ) from None
    if not math.isfinite(tonnes):
        raise UnitError(f"{method}: {substance} is not finite")
    formula = ("−" if sign < 0 else "") + " × ".join(t.shown() for t in ts)
    return Emission(substance, tonnes, method, formula, ts, scope)


def _to_tonnes(units: tuple[str, ...]) -> float:
    """Factor converting the product of ``units`` to tonnes (DimensionalityError if no mass)."""
    return product_factor(units, "t")


@cache
def product_factor(units: tuple[str, ...], target: str) -> float:
    """Factor converting the product of ``units`` to ``target`` (DimensionalityError if the
    dimensions differ), cached: a product of magnitudes times this factor is the product of
    the quantities in ``target``."""
    q: pint.Quantity[Any] = Q_(1.0, "dimensionless")
    for u in units:
        q = q * unit_quantity(u)
    return float(q.to(target).magnitude)


def is_mass_rate(act: Activity, t: Term) -> bool:
    """Whether ``activity × t`` is a mass (else the factor is per energy and needs an NCV)."""
    return _is_mass((act.unit, t.unit))


def yields_mass(*terms: Term) -> bool:
    """Whether the product of ``terms`` is a mass."""
    return _is_mass(tuple(t.unit for t in terms))


@cache
def _is_mass(units: tuple[str, ...]) -> bool:
    q: pint.Quantity[Any] = Q_(1.0, "dimensionless")
    for u in units:
        q = q * unit_quantity(u)
    return bool(q.dimensionality == unit_quantity("t").dimensionality)
