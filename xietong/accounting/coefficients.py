"""Resolution once: the coefficient table of the inventory's row templates (issue #11).

Every method of :mod:`xietong.accounting.methods` except the series methods (first-order decay
of landfill deposits) is linear in the activity amount: the emission of a row is its amount
times a coefficient that depends only on the row's *template*, the row without its amount,
district, entity, period, source and quality (year, sector, subsector, activity, technology,
control, unit and parameters; the year selects vintage factors). The coefficient of a template
is computed once, by the same method code that computes one row (:class:`Resolver` runs the
method on the template with an amount of 1), so each formula keeps one implementation and pint
is used once per template, never per row. A controlled row's template also carries the CO2 of
its control's reagent (:mod:`xietong.accounting.control_penalties`). Emissions are then the
activity rows joined with the coefficients and multiplied, in columns
(:mod:`xietong.accounting.columnar`).

A :class:`Resolver` keeps the templates it has resolved, so a second build with the same
factor library and options resolves only the templates it has not seen.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from xietong.accounting.activity import Activity
from xietong.accounting.control_penalties import reagent_emissions
from xietong.accounting.factors import FactorError, FactorLibrary
from xietong.accounting.methods import METHODS, SERIES_METHODS
from xietong.accounting.methods.base import Emission
from xietong.errors import UnitError

if TYPE_CHECKING:
    from xietong.accounting.inventory import InventoryOptions

TemplateKey = tuple[object, ...]
Progress = Callable[[float, str], None]
"""A progress callback: the share done (0–1) and the phase."""

ACTIVITY_PLACEHOLDER = "{activity}"
"""Where a template's formula shows the activity amount of each row."""

COEFFICIENT_COLUMNS = (
    "template",
    "k",
    "substance",
    "scope",
    "method",
    "coefficient",
    "factor_ids",
    "formula",
)
"""Columns of the coefficient table: ``coefficient`` is tonnes of ``substance`` per unit of
the template's activity amount (in the template's unit); ``k`` is the emission's position in
the method's output; ``formula`` shows the activity amount as :data:`ACTIVITY_PLACEHOLDER`."""

KEY_FIELDS = (
    "year",
    "district",
    "sector",
    "subsector",
    "activity",
    "technology",
    "control",
    "entity",
    "period",
)
"""The fields of ``Activity.key``, in its order."""

ROW_COLUMNS = ("n", *KEY_FIELDS, "quality", "amount", "template")
"""Columns of the activity rows handed to the engine: ``n`` is the row's position in the
activity table, ``template`` the id of its template in the coefficient table."""


def template_key(act: Activity) -> TemplateKey:
    """What a row's coefficients depend on (see the module docstring)."""
    return (
        act.year,
        act.sector,
        act.subsector,
        act.activity,
        act.technology,
        act.control,
        act.unit,
        act.parameters,
    )


def where(act: Activity) -> str:
    """A row as named in problems: year, district, sector/subsector, activity, technology."""
    return (
        f"{act.year} {act.district} {act.sector}/{act.subsector} {act.activity}"
        f"{' ' + act.technology if act.technology else ''}"
        f"{' ' + act.entity if act.entity else ''}"
        f"{' ' + act.period if act.period else ''}"
    )


@dataclass(frozen=True)
class Coefficients:
    """The linear rows of a build (``rows``: columns :data:`ROW_COLUMNS`), the coefficient
    table of their templates (:data:`COEFFICIENT_COLUMNS`), the positions of the rows left to
    the series methods, and the problems of rows whose template could not be resolved."""

    rows: pd.DataFrame
    coefficients: pd.DataFrame
    series: tuple[int, ...]
    problems: tuple[str, ...]

    @property
    def templates(self) -> int:
        """How many distinct templates the rows use."""
        return int(self.rows["template"].nunique()) if len(self.rows) else 0


class Resolver:
    """The coefficients of row templates under one factor library and one set of options,
    each template resolved once and kept (thread-safe)."""

    def __init__(self, library: FactorLibrary, options: InventoryOptions) -> None:
        self.library = library
        self.options = options
        self.context = options.context(library)
        self._ids: dict[TemplateKey, int] = {}
        self._failed: dict[TemplateKey, str] = {}
        self._emissions: list[tuple[Emission, ...]] = []
        self._formulas: list[tuple[str, ...]] = []
        self._table: list[tuple[int, int, str, str, str, float, str, str]] = []
        self._frame: pd.DataFrame | None = None
        self._lock = threading.Lock()

    def emissions(self, template: int) -> tuple[Emission, ...]:
        """The emissions of one unit (amount 1) of ``template``, with their terms."""
        return self._emissions[template]

    def formula(self, template: int, k: int) -> str:
        """The formula of emission ``k`` of ``template``, the activity shown as
        :data:`ACTIVITY_PLACEHOLDER`."""
        return self._formulas[template][k]

    def template_id(self, act: Activity) -> int:
        """The id of ``act``'s template, resolved now if it was not (FactorError if it
        cannot be)."""
        with self._lock:
            tid = self._resolve_one(template_key(act), act)
        if isinstance(tid, str):
            raise FactorError(tid)
        return tid

    def coefficient_table(self) -> pd.DataFrame:
        """Every resolved template's coefficients (columns :data:`COEFFICIENT_COLUMNS`)."""
        with self._lock:
            if self._frame is None or len(self._frame) != len(self._table):
                self._frame = pd.DataFrame(self._table, columns=list(COEFFICIENT_COLUMNS))
            return self._frame

    def _resolve_one(self, key: TemplateKey, act: Activity) -> int | str:
        known = self._ids.get(key)
        if known is not None:
            return known
        if key in self._failed:
            return self._failed[key]
        unit_row = dataclasses.replace(
            act, amount=1.0, source="", quality="statistic", district="", entity="", period=""
        )
        try:
            own = METHODS[act.kind.method](unit_row, self.context)
            emissions = (*own, *reagent_emissions(unit_row, self.context, own))
        except (FactorError, UnitError) as exc:
            self._failed[key] = str(exc)
            return self._failed[key]
        tid = len(self._emissions)
        self._ids[key] = tid
        self._emissions.append(emissions)
        self._formulas.append(tuple(template_formula(e) for e in emissions))
        self._table.extend(
            (
                tid,
                k,
                e.substance,
                e.scope,
                e.method,
                e.tonnes,
                "; ".join(e.factor_ids),
                self._formulas[tid][k],
            )
            for k, e in enumerate(emissions)
        )
        return tid

    def resolve(
        self, activities: Sequence[Activity], progress: Progress | None = None
    ) -> Coefficients:
        """The rows of ``activities`` with their template ids; templates not seen before are
        resolved now. Rows whose template lacks a factor or has a wrong unit are named in
        ``problems`` (not raised: the caller decides). ``progress`` is told the share of rows
        done every 10,000 rows."""
        rows: list[tuple[object, ...]] = []
        series: list[int] = []
        problems: list[str] = []
        total = max(1, len(activities))
        with self._lock:
            for n, act in enumerate(activities):
                if progress is not None and n % 10_000 == 0:
                    progress(n / total, "resolve")
                if act.kind.method in SERIES_METHODS:
                    series.append(n)
                    continue
                tid = self._resolve_one(template_key(act), act)
                if isinstance(tid, str):
                    problems.append(f"{where(act)}: {tid}")
                    continue
                rows.append((n, *act.key, act.quality, act.amount, tid))
        frame = pd.DataFrame(rows, columns=list(ROW_COLUMNS))
        return Coefficients(frame, self.coefficient_table(), tuple(series), tuple(problems))


def template_formula(e: Emission) -> str:
    """The formula of a unit emission with the activity term shown as the placeholder."""
    shown = [
        ACTIVITY_PLACEHOLDER if t.name == "activity" and t.factor_id is None else t.shown()
        for t in e.terms
    ]
    return ("−" if e.formula.startswith("−") else "") + " × ".join(shown)


_resolvers: dict[tuple[int, InventoryOptions], tuple[FactorLibrary, Resolver]] = {}
_resolvers_lock = threading.Lock()
MAX_RESOLVERS = 16


def resolver(library: FactorLibrary, options: InventoryOptions) -> Resolver:
    """The process's resolver for this library and these options (at most
    :data:`MAX_RESOLVERS` kept, the oldest dropped first)."""
    key = (id(library), options)
    with _resolvers_lock:
        found = _resolvers.get(key)
        if found is not None and found[0] is library:
            return found[1]
        if len(_resolvers) >= MAX_RESOLVERS:
            _resolvers.pop(next(iter(_resolvers)))
        made = Resolver(library, options)
        _resolvers[key] = (library, made)
        return made


def replicate(activities: Iterable[Activity], factor: int) -> list[Activity]:
    """``factor`` copies of every row, each copy a distinct entity (``E00000``, ``E00001``, …),
    with amounts split evenly: a synthetic table of the same totals and templates, for
    benchmarks and tests."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    share = 1.0 / factor
    return [
        dataclasses.replace(a, amount=a.amount * share, entity=f"E{i:05d}")
        for a in activities
        for i in range(factor)
    ]
