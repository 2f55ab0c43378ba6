"""Arithmetic in columns: the inventory's join, adjustments and group-bys as ibis expressions.

Emissions are the activity rows joined with their templates' coefficients and multiplied,
``value = amount × coefficient`` (t), plus the rows of the series methods, computed row by
row (:mod:`xietong.accounting.coefficients`). Every expression here is backend-neutral: the
same expression runs on DuckDB and on Spark (:mod:`xietong.accounting.engine`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.datatypes as dt
import pandas as pd

EMISSION_SCHEMA: dict[str, dt.DataType] = {
    "n": dt.int64,
    "template": dt.int64,
    "k": dt.int64,
    "year": dt.int64,
    "district": dt.string,
    "sector": dt.string,
    "subsector": dt.string,
    "activity": dt.string,
    "technology": dt.string,
    "control": dt.string,
    "entity": dt.string,
    "period": dt.string,
    "quality": dt.string,
    "substance": dt.string,
    "scope": dt.string,
    "method": dt.string,
    "value": dt.float64,
    "factor_ids": dt.string,
}
"""Columns of an emission table: ``n`` is the activity row, ``template`` its template (−1 for
a series-method row), ``k`` the emission's position in the method's output; ``value`` in t."""

ORDER = ("year", "sector", "district", "activity", "phase", "n", "k")
"""The order of emission rows (``phase``: 0 for template rows, 1 for series rows); a row's id
is its position in this order."""


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with exactly the columns of :data:`EMISSION_SCHEMA`, in their types."""
    out = pd.DataFrame({c: frame[c] for c in EMISSION_SCHEMA})
    for c, t in EMISSION_SCHEMA.items():
        out[c] = out[c].astype("int64" if t.is_integer() else "float64" if t.is_floating() else str)
    return out


def emissions(rows: ibis.Table, coefficients: ibis.Table, series: ibis.Table) -> ibis.Table:
    """Activity rows × coefficients of their template (t), with the series rows appended."""
    joined = rows.join(coefficients, rows.template == coefficients.template)
    linear = joined.select(
        n=rows.n,
        template=rows.template,
        k=coefficients.k,
        year=rows.year,
        district=rows.district,
        sector=rows.sector,
        subsector=rows.subsector,
        activity=rows.activity,
        technology=rows.technology,
        control=rows.control,
        entity=rows.entity,
        period=rows.period,
        quality=rows.quality,
        substance=coefficients.substance,
        scope=coefficients.scope,
        method=coefficients.method,
        value=rows.amount * coefficients.coefficient,
        factor_ids=coefficients.factor_ids,
    )
    linear = linear.cast(EMISSION_SCHEMA)
    return linear.union(series.select(*EMISSION_SCHEMA).cast(EMISSION_SCHEMA))


@dataclass(frozen=True)
class Adjustment:
    """A multiplier on the emissions of matching rows (a scenario's emission-factor lever):
    ``multipliers`` by year, for ``substances``, on rows whose fields are in ``match``."""

    name: str
    multipliers: Mapping[int, float]
    substances: frozenset[str]
    match: Mapping[str, frozenset[str]]
    basis: str = ""

    def applies(self, fields: Mapping[str, object]) -> float:
        """The multiplier of one emission row (given its fields), 1 where it does not apply."""
        m = self.multipliers.get(int(str(fields["year"])), 1.0)
        if m == 1.0 or fields["substance"] not in self.substances:
            return 1.0
        if any(str(fields.get(k, "")) not in v for k, v in self.match.items()):
            return 1.0
        return m


def adjusted(table: ibis.Table, adjustments: Sequence[Adjustment]) -> ibis.Table:
    """``table`` with each adjustment's multiplier applied to ``value``."""
    for adj in adjustments:
        years = {y: m for y, m in adj.multipliers.items() if m != 1.0}
        if not years or not adj.substances:
            continue
        cond = table.year.isin(list(years)) & table.substance.isin(sorted(adj.substances))
        for column, values in adj.match.items():
            cond = cond & table[column].isin(sorted(values))
        factor = table.year.cases(*((y, m) for y, m in years.items()), else_=1.0)
        table = table.mutate(value=ibis.ifelse(cond, table.value * factor, table.value))
    return table


def rollup(
    table: ibis.Table,
    by: Sequence[str],
    *,
    substances: Iterable[str] | None = None,
    scope: str | None = "direct",
) -> ibis.Table:
    """Emissions (t) summed by ``by`` and ``substance`` for ``scope`` (``direct``,
    ``indirect`` or None for both), ordered by the keys."""
    if scope is not None:
        table = table.filter(table.scope == scope)
    if substances is not None:
        table = table.filter(table.substance.isin(sorted(set(substances))))
    keys = list(dict.fromkeys([*by, "substance"]))
    return table.group_by(keys).aggregate(value=table.value.sum()).order_by(keys)


def co2e(
    table: ibis.Table, potentials: ibis.Table, by: Sequence[str], *, scope: str | None
) -> ibis.Table:
    """Greenhouse gases in t CO2e: each row's value × the potential of its substance emitted
    by its activity (the table ``potentials`` has ``substance``, ``activity`` and ``gwp``:
    :func:`xietong.accounting.potentials.potentials`), summed by ``by``."""
    if scope is not None:
        table = table.filter(table.scope == scope)
    joined = table.join(
        potentials,
        [table.substance == potentials.substance, table.activity == potentials.activity],
    )
    weighted = joined.select(*(table[c] for c in by), co2e=table.value * potentials.gwp)
    if not by:
        return weighted.aggregate(co2e=weighted.co2e.sum())
    return weighted.group_by(list(by)).aggregate(co2e=weighted.co2e.sum()).order_by(list(by))


def ordered(table: ibis.Table) -> ibis.Table:
    """The emission rows in :data:`ORDER`."""
    phase = ibis.ifelse(table.template < 0, 1, 0)
    return table.mutate(phase=phase).order_by(list(ORDER)).drop("phase")
