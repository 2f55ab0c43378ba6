"""The inventory build: activities × factors → a tidy emissions table with a trace per row.

:func:`build_inventory` runs each activity through the method its code names (one module per
sector under :mod:`xietong.accounting.methods`), records which factors and editions were used,
and refuses to return a partial inventory: a missing required factor anywhere raises
:class:`InventoryError` listing every row that lacks one. The result's :meth:`Inventory.table`
has one row per (activity row, substance, method) with the value in tonnes; roll-ups are one
group-by; CO2e always needs an explicit GWP set.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from xietong.accounting.activity import Activity, activity_record
from xietong.accounting.factors import FactorError, FactorLibrary, GWPSet
from xietong.accounting.methods import EXPECTED, METHODS, SERIES_METHODS
from xietong.accounting.methods.base import GHGS, Context, Emission
from xietong.errors import UnitError, XietongError

TABLE_COLUMNS = (
    "row_id",
    "year",
    "district",
    "sector",
    "subsector",
    "activity",
    "technology",
    "control",
    "substance",
    "scope",
    "value",
    "unit",
    "method",
    "formula",
    "factor_ids",
    "quality",
)


class InventoryError(XietongError):
    """The inventory could not be built: ``problems`` names every activity row and reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "\n".join(self.problems[:30])
        more = f"\n… and {len(self.problems) - 30} more" if len(self.problems) > 30 else ""
        super().__init__(f"inventory not built ({len(self.problems)} problem(s)):\n{shown}{more}")


@dataclass(frozen=True)
class InventoryOptions:
    """Choices of a build: CO2 method (``china`` or ``ipcc``), factor editions (None = all,
    by the selection rule), grid region of purchased electricity, region for factor selection,
    years of back-cast landfill deposits."""

    co2_method: str = "china"
    editions: tuple[str, ...] | None = None
    grid_region: str = "central_china"
    region: str | None = None
    landfill_history_years: int = 30

    def context(self, library: FactorLibrary) -> Context:
        """The methods' context of a build with these options over ``library``."""
        return Context(
            library,
            editions=self.editions,
            co2_method=self.co2_method,
            grid_region=self.grid_region,
            region=self.region,
            landfill_history_years=self.landfill_history_years,
        )

    def __post_init__(self) -> None:
        if self.co2_method not in ("china", "ipcc"):
            raise InventoryError([f"co2_method must be 'china' or 'ipcc', not '{self.co2_method}'"])


@dataclass(frozen=True)
class InventoryRow:
    """One emission of one activity row."""

    row_id: int
    activity: Activity
    emission: Emission


@dataclass(frozen=True)
class Gap:
    """A substance a method is expected to give but no factor applied to."""

    activity: Activity
    substance: str

    def __str__(self) -> str:
        a = self.activity
        return f"{a.year} {a.district} {a.sector}/{a.activity} {a.technology}: no {self.substance}"


@dataclass
class Inventory:
    """Emissions with their traces, the options and the factor editions the build used."""

    rows: list[InventoryRow]
    options: InventoryOptions
    library: FactorLibrary
    factors_used: frozenset[str]
    gaps: list[Gap] = field(default_factory=list)
    _table: pd.DataFrame | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def editions(self) -> list[str]:
        """Factor editions the inventory used (recorded with every export)."""
        return sorted({self.library.get(i).edition for i in self.factors_used})

    @property
    def years(self) -> list[int]:
        """Years covered, ascending."""
        return sorted({r.activity.year for r in self.rows})

    def only(self, district: str) -> Inventory:
        """The rows of one district (``city`` for the city-wide rows), as an inventory of its own
        (row ids renumbered from 0)."""
        rows = [r for r in self.rows if r.activity.district == district]
        kept = [InventoryRow(i, r.activity, r.emission) for i, r in enumerate(rows)]
        return Inventory(kept, self.options, self.library, self.factors_used, [])

    def table(self) -> pd.DataFrame:
        """The tidy emissions table (columns :data:`TABLE_COLUMNS`; ``value`` in tonnes), built
        once per inventory; each call returns a copy (cheap under pandas' copy-on-write), so a
        caller that adds a column changes nothing here."""
        if self._table is None:
            self._table = self._build_table()
        return self._table.copy(deep=False)

    def _build_table(self) -> pd.DataFrame:
        records = [
            {
                "row_id": r.row_id,
                "year": r.activity.year,
                "district": r.activity.district,
                "sector": r.activity.sector,
                "subsector": r.activity.subsector,
                "activity": r.activity.activity,
                "technology": r.activity.technology,
                "control": r.activity.control,
                "substance": r.emission.substance,
                "scope": r.emission.scope,
                "value": r.emission.tonnes,
                "unit": "t",
                "method": r.emission.method,
                "formula": r.emission.formula,
                "factor_ids": "; ".join(r.emission.factor_ids),
                "quality": r.activity.quality,
            }
            for r in self.rows
        ]
        return pd.DataFrame.from_records(records, columns=list(TABLE_COLUMNS))

    def row(self, row_id: int) -> InventoryRow:
        """The row with this id; KeyError if none."""
        if 0 <= row_id < len(self.rows) and self.rows[row_id].row_id == row_id:
            return self.rows[row_id]
        raise KeyError(row_id)

    def trace(self, row_id: int) -> dict[str, Any]:
        """How row ``row_id`` was computed: the activity, each term (with the factor's source,
        table, edition and unit), the formula and the value (t)."""
        r = self.row(row_id)
        terms = []
        for t in r.emission.terms:
            entry: dict[str, Any] = {
                "name": t.name,
                "value": t.value,
                "unit": t.unit,
                "factor_id": t.factor_id,
                "source": t.source,
            }
            if t.factor_id:
                f = self.library.get(t.factor_id)
                entry.update(
                    edition=f.edition,
                    source_document=f.source_document,
                    source_table=f.source_table,
                    verified=f.verified,
                    note=f.note,
                )
            terms.append(entry)
        return {
            "row_id": row_id,
            "activity": activity_record(r.activity),
            "substance": r.emission.substance,
            "scope": r.emission.scope,
            "method": r.emission.method,
            "formula": f"{r.emission.formula} = {r.emission.tonnes:,.6g} t",
            "value": r.emission.tonnes,
            "unit": "t",
            "terms": terms,
        }

    def rollup(
        self,
        by: Sequence[str],
        *,
        substances: Iterable[str] | None = None,
        scope: str | None = "direct",
    ) -> pd.DataFrame:
        """Emissions (t) summed by the columns ``by`` (and ``substance``), for ``scope``
        (``direct``, ``indirect`` or None for both)."""
        df = self.table()
        if scope is not None:
            df = df[df["scope"] == scope]
        if substances is not None:
            df = df[df["substance"].isin(list(substances))]
        keys = list(dict.fromkeys([*by, "substance"]))
        return pd.DataFrame(df.groupby(keys, as_index=False, sort=True)["value"].sum())

    def co2e(self, gwp: GWPSet, by: Sequence[str], *, scope: str | None = "direct") -> pd.DataFrame:
        """Greenhouse gases in tonnes CO2e under ``gwp`` (AR4/AR5/AR6), summed by ``by``."""
        df = self.table()
        if scope is not None:
            df = df[df["scope"] == scope]
        df = df[df["substance"].isin(GHGS)].copy()
        df["co2e"] = [v * gwp[s] for v, s in zip(df["value"], df["substance"], strict=True)]
        if not by:
            return pd.DataFrame({"co2e": [df["co2e"].sum()], "gwp": [gwp.name]})
        out = pd.DataFrame(df.groupby(list(by), as_index=False, sort=True)["co2e"].sum())
        out["gwp"] = gwp.name
        return out


def build_inventory(
    activities: Iterable[Activity],
    library: FactorLibrary | None = None,
    options: InventoryOptions | None = None,
) -> Inventory:
    """The inventory of ``activities`` with the shipped (or given) factor library.

    Raises InventoryError naming every activity row whose method lacks a required factor or
    has a wrong unit; substances a method is expected to give but has no factor for are kept
    as :attr:`Inventory.gaps`.
    """
    lib = library or FactorLibrary.load()
    opts = options or InventoryOptions()
    ctx = opts.context(lib)
    acts = list(activities)
    pairs: list[tuple[Activity, Emission]] = []
    problems: list[str] = []
    series: dict[tuple[str, ...], list[Activity]] = defaultdict(list)
    for act in acts:
        method_name = act.kind.method
        if method_name in SERIES_METHODS:
            key: tuple[str, ...] = (
                method_name,
                act.district,
                act.sector,
                act.subsector,
                act.activity,
                act.technology,
                act.control,
            )
            series[key].append(act)
            continue
        try:
            pairs.extend((act, e) for e in METHODS[method_name](act, ctx))
        except (FactorError, UnitError) as exc:
            problems.append(f"{_where(act)}: {exc}")
    for group_key, members in series.items():
        try:
            pairs.extend(SERIES_METHODS[group_key[0]](members, ctx))
        except (FactorError, UnitError) as exc:
            problems.append(f"{_where(members[0])} (series): {exc}")
    if problems:
        raise InventoryError(problems)
    pairs.sort(key=lambda p: (p[0].year, p[0].sector, p[0].district, p[0].activity))
    rows = [InventoryRow(i, a, e) for i, (a, e) in enumerate(pairs)]
    given: dict[int, set[str]] = defaultdict(set)
    for a, e in pairs:
        given[id(a)].add(e.substance)
    gaps = [
        Gap(a, s)
        for a in acts
        for s in EXPECTED.get(a.kind.method, ())
        if s not in given[id(a)] and not _electric(a)
    ]
    return Inventory(rows, opts, lib, frozenset(ctx.used), gaps)


def _electric(act: Activity) -> bool:
    return act.activity == "vkt" and act.technology.endswith("_electric")


def _where(act: Activity) -> str:
    return (
        f"{act.year} {act.district} {act.sector}/{act.subsector} {act.activity}"
        f"{' ' + act.technology if act.technology else ''}"
    )


def period_end(year: int) -> dt.date:
    """Last day of a calendar year, the period end of an annual figure."""
    return dt.date(year, 12, 31)


def totals(inv: Inventory, substances: Iterable[str]) -> Mapping[tuple[int, str], float]:
    """Direct emissions (t) by (year, substance) for the given substances."""
    df = inv.rollup(["year"], substances=substances)
    return {(int(y), str(s)): float(v) for y, s, v in df.itertuples(index=False)}
