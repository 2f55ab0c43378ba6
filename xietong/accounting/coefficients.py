"""Resolution once, arithmetic in columns: the inventory as a join of activity rows with a
coefficient table (issue #11, first step).

Every method of :mod:`xietong.accounting.methods` except the series methods (first-order decay
of landfill deposits) is linear in the activity amount: the emission of a row is its amount
times a coefficient that depends only on the row's *template*, the row without its amount
(year, district, sector, subsector, activity, technology, control, unit and parameters). The
coefficient of a template is computed once, by the same method code that computes one row
(:func:`resolve` runs the method on the template with an amount of 1), so each formula keeps
one implementation and pint is used once per template, never per row. Emissions are then the
activity rows joined with the coefficients and multiplied (:func:`emission_table`), in columns.

Series methods keep the row engine (:func:`xietong.accounting.inventory.build_inventory`): their
few rows are resolved there. ``tests/accounting/test_coefficients.py`` checks that the columnar
result equals the row engine's to 1e-9 relative on the Wuhan data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from xietong.accounting.activity import Activity
from xietong.accounting.factors import FactorError, FactorLibrary
from xietong.accounting.inventory import InventoryError, InventoryOptions, _where
from xietong.accounting.methods import METHODS, SERIES_METHODS
from xietong.errors import UnitError

TemplateKey = tuple[object, ...]

COEFFICIENT_COLUMNS = ("template", "substance", "scope", "method", "coefficient", "factor_ids")
"""Columns of the coefficient table: ``coefficient`` is tonnes of ``substance`` per unit of
the template's activity amount (in the template's unit)."""

ROW_COLUMNS = (  # the row number, then the fields of ``Activity.key`` in their order
    "row",
    "year",
    "district",
    "sector",
    "subsector",
    "activity",
    "technology",
    "control",
    "quality",
    "amount",
    "template",
)


def template_key(act: Activity) -> TemplateKey:
    """What a row's coefficients depend on: the row without its amount, source and quality."""
    return (*act.key, act.unit, act.parameters)


@dataclass(frozen=True)
class Coefficients:
    """The activity rows the columnar engine computes (``rows``: one per activity, with its
    template id) and the coefficient table of their templates; ``series`` are the rows left
    to the row engine (series methods)."""

    rows: pd.DataFrame
    coefficients: pd.DataFrame
    series: tuple[Activity, ...]

    @property
    def templates(self) -> int:
        """How many distinct templates were resolved."""
        return int(self.rows["template"].nunique()) if len(self.rows) else 0


def resolve(
    activities: Iterable[Activity],
    library: FactorLibrary | None = None,
    options: InventoryOptions | None = None,
) -> Coefficients:
    """Resolve the coefficients of every distinct template of ``activities`` once.

    Raises InventoryError naming every activity row whose template lacks a required factor or
    has a wrong unit, as the row engine does.
    """
    ctx = (options or InventoryOptions()).context(library or FactorLibrary.load())
    ids: dict[TemplateKey, int] = {}
    failed: dict[TemplateKey, str] = {}
    coef_rows: list[tuple[int, str, str, str, float, str]] = []
    rows: list[tuple[object, ...]] = []
    series: list[Activity] = []
    problems: list[str] = []
    for n, act in enumerate(activities):
        method = act.kind.method
        if method in SERIES_METHODS:
            series.append(act)
            continue
        key = template_key(act)
        if key in failed:
            problems.append(f"{_where(act)}: {failed[key]}")
            continue
        if key not in ids:
            unit_row = dataclasses.replace(act, amount=1.0, source="", quality="statistic")
            try:
                emissions = METHODS[method](unit_row, ctx)
            except (FactorError, UnitError) as exc:
                failed[key] = str(exc)
                problems.append(f"{_where(act)}: {exc}")
                continue
            ids[key] = len(ids)
            coef_rows.extend(
                (ids[key], e.substance, e.scope, e.method, e.tonnes, "; ".join(e.factor_ids))
                for e in emissions
            )
        rows.append((n, *act.key, act.quality, act.amount, ids[key]))
    if problems:
        raise InventoryError(problems)
    return Coefficients(
        pd.DataFrame(rows, columns=list(ROW_COLUMNS)),
        pd.DataFrame(coef_rows, columns=list(COEFFICIENT_COLUMNS)),
        tuple(series),
    )


def emission_table(coefficients: Coefficients) -> pd.DataFrame:
    """Emissions (t) of the resolved rows: each activity row joined with its template's
    coefficients, ``value = amount × coefficient``; one row per (activity row, substance,
    scope, method)."""
    joined = coefficients.rows.merge(coefficients.coefficients, on="template", how="inner")
    joined["value"] = joined["amount"].to_numpy() * joined["coefficient"].to_numpy()
    return joined.sort_values(["row", "substance", "scope", "method"], kind="stable").reset_index(
        drop=True
    )


def rollup(table: pd.DataFrame, by: Sequence[str], *, scope: str | None = "direct") -> pd.DataFrame:
    """Emissions (t) of an emission table summed by ``by`` and ``substance`` for ``scope``
    (``direct``, ``indirect`` or None for both)."""
    df = table if scope is None else table[table["scope"] == scope]
    keys = list(dict.fromkeys([*by, "substance"]))
    return pd.DataFrame(df.groupby(keys, as_index=False, sort=True)["value"].sum())


def replicate(activities: Sequence[Activity], factor: int) -> list[Activity]:
    """``factor`` copies of every row with amounts split evenly (a synthetic table of the same
    totals, for benchmarks): the templates stay those of ``activities``."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    share = 1.0 / factor
    return [
        dataclasses.replace(a, amount=a.amount * share) for a in activities for _ in range(factor)
    ]
