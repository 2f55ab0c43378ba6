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
import json
import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pyarrow.parquet as pq

from xietong.accounting.activity import Activity, activity_record
from xietong.accounting.coefficients import (
    ACTIVITY_PLACEHOLDER,
    KEY_FIELDS,
    Coefficients,
    Progress,
    Resolver,
    resolver,
    where,
)
from xietong.accounting.columnar import EMISSION_SCHEMA, Adjustment, adjusted, ordered, typed
from xietong.accounting.columnar import co2e as columnar_co2e
from xietong.accounting.columnar import emissions as columnar_emissions
from xietong.accounting.columnar import rollup as columnar_rollup
from xietong.accounting.engine import Engine, engine
from xietong.accounting.factors import FactorError, FactorLibrary, GWPSet
from xietong.accounting.grid_regions import DEFAULT_GRID_REGION
from xietong.accounting.methods import EXPECTED, SERIES_METHODS
from xietong.accounting.methods.base import Context, Emission, Term, activity_term
from xietong.accounting.potentials import potentials as gwp_by_activity
from xietong.errors import UnitError, XietongError

TABLE_COLUMNS = (
    "row_id",
    *KEY_FIELDS,
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
    grid_region: str = DEFAULT_GRID_REGION
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


class Inventory:
    """Emissions of a set of activity rows, computed in columns by the engine, with the options
    and the factor editions the build used.

    The emission rows live in the engine (:attr:`emissions`, an ibis table); roll-ups run there
    and are kept per inventory. The tidy table with one formula per row (:meth:`table`) and the
    traces (:meth:`trace`) are built when first asked, from the same coefficient table.
    """

    def __init__(
        self,
        activities: Sequence[Activity],
        resolver: Resolver,
        emissions: ibis.Table,
        series: Mapping[tuple[int, int], Emission],
        gaps: Sequence[Gap],
        *,
        engine: Engine,
        adjustments: Sequence[Adjustment] = (),
    ) -> None:
        self.activities = tuple(activities)
        self.resolver = resolver
        self.emissions = emissions
        self.series = dict(series)
        self.gaps = list(gaps)
        self.engine = engine
        self.adjustments = tuple(adjustments)
        self._frame: pd.DataFrame | None = None
        self._table: pd.DataFrame | None = None
        self._rows: list[InventoryRow] | None = None
        self._memo: dict[tuple[object, ...], pd.DataFrame] = {}
        self._templates: dict[int, int] = {}
        self._count: int | None = None
        self._lock = threading.RLock()

    @property
    def options(self) -> InventoryOptions:
        """The options of the build."""
        return self.resolver.options

    @property
    def library(self) -> FactorLibrary:
        """The factor library of the build."""
        return self.resolver.library

    @property
    def factors_used(self) -> frozenset[str]:
        """Ids of the factors the emissions used."""
        frame = self.frame()
        ids = {i for text in frame["factor_ids"].unique() for i in str(text).split("; ") if i}
        return frozenset(ids)

    @property
    def editions(self) -> list[str]:
        """Factor editions the inventory used (recorded with every export)."""
        return sorted({self.library.get(i).edition for i in self.factors_used})

    @property
    def years(self) -> list[int]:
        """Years covered, ascending."""
        return sorted(int(y) for y in self.frame()["year"].unique())

    @property
    def row_count(self) -> int:
        """How many emission rows the inventory has."""
        if self._count is None:
            if self._frame is not None:
                self._count = len(self._frame)
            else:
                with self.engine.lock:
                    self._count = int(self.engine.backend.execute(self.emissions.count()))
        return self._count

    @property
    def rows(self) -> list[InventoryRow]:
        """Every emission row with its trace terms, built on first use (prefer :meth:`table`
        and :meth:`rollup`, which stay in columns)."""
        with self._lock:
            if self._rows is None:
                frame = self.frame()
                self._rows = [
                    self._row(i, fields) for i, fields in enumerate(frame.to_dict("records"))
                ]
            return self._rows

    def only(self, district: str) -> Inventory:
        """The rows of one district (``city`` for the city-wide rows), as an inventory of its own
        (row ids renumbered from 0)."""
        return self.part(district=district)

    def part(self, **equal: object) -> Inventory:
        """The rows whose columns equal the given values (e.g. ``year=2020``,
        ``district="420102"``), as an inventory of its own (row ids renumbered from 0)."""
        table = self.emissions
        for column, value in equal.items():
            table = table.filter(table[column] == value)

        def keeps(act: Activity) -> bool:
            return all(getattr(act, c) == v for c, v in equal.items())

        return Inventory(
            self.activities,
            self.resolver,
            self.engine.materialise(table, "part"),
            {k: e for k, e in self.series.items() if keeps(self.activities[k[0]])},
            [g for g in self.gaps if keeps(g.activity)],
            engine=self.engine,
            adjustments=self.adjustments,
        )

    def adjust(self, adjustments: Sequence[Adjustment]) -> Inventory:
        """The inventory with ``adjustments`` applied (each becomes a term of the traces of the
        rows it changes)."""
        if not adjustments:
            return self
        table = adjusted(self.emissions, adjustments)
        return Inventory(
            self.activities,
            self.resolver,
            self.engine.materialise(table, "adjusted"),
            self.series,
            self.gaps,
            engine=self.engine,
            adjustments=(*self.adjustments, *adjustments),
        )

    def frame(self) -> pd.DataFrame:
        """The emission rows in their order (row id = position), without formulas."""
        with self._lock:
            if self._frame is None:
                arrow = self.engine.query(
                    ("ordered",), lambda t: ordered(t["emissions"]), {"emissions": self.emissions}
                )
                frame = pd.DataFrame(arrow.to_pandas())
                self._frame = frame.reset_index(drop=True)
            return self._frame

    def table(self) -> pd.DataFrame:
        """The tidy emissions table (columns :data:`TABLE_COLUMNS`; ``value`` in tonnes), built
        once per inventory; each call returns a copy (cheap under pandas' copy-on-write), so a
        caller that adds a column changes nothing here."""
        with self._lock:
            if self._table is None:
                self._table = self._build_table()
            return self._table.copy(deep=False)

    def _build_table(self) -> pd.DataFrame:
        frame = self.frame()
        for n in frame.loc[frame["template"] >= 0, "n"].unique():
            self._template(int(n))  # a stored inventory resolves its templates here
        coefs = self.resolver.coefficient_table()
        formulas = dict(
            zip(zip(coefs["template"], coefs["k"], strict=True), coefs["formula"], strict=True)
        )
        amounts = [self.activities[n] for n in frame["n"]]
        column: list[str] = []
        for i, (n, tid, k) in enumerate(
            zip(frame["n"], frame["template"], frame["k"], strict=True)
        ):
            if tid < 0:
                column.append(self.series[(int(n), int(k))].formula)
                continue
            act = amounts[i]
            text = formulas[(self._template(int(n)), int(k))].replace(
                ACTIVITY_PLACEHOLDER, f"{act.amount:,.6g} {act.unit}".strip()
            )
            if self.adjustments:
                fields = {str(c): v for c, v in frame.iloc[i].to_dict().items()}
                text += self._adjustment_text(fields)
            column.append(text)
        out = frame.assign(row_id=range(len(frame)), unit="t", formula=column)
        return pd.DataFrame(out[list(TABLE_COLUMNS)])

    def unit_emission(self, n: int, k: int) -> Emission:
        """Emission ``k`` of one unit of activity row ``n``'s template (its terms: the
        activity term with value 1, then the factors)."""
        return self.resolver.emissions(self._template(n))[k]

    def template_of(self, n: int) -> int:
        """The resolver's template id of activity row ``n``."""
        return self._template(n)

    def _template(self, n: int) -> int:
        """The resolver's template id of activity row ``n`` (a stored inventory's ids were
        given by another process, so rows are looked up by their template, not their id)."""
        found = self._templates.get(n)
        if found is None:
            found = self._templates[n] = self.resolver.template_id(self.activities[n])
        return found

    def save(self, path: Path) -> None:
        """Store the emission rows (Parquet, in row order) and the gaps (JSON beside it),
        atomically: written to temporary files, then renamed."""
        path.parent.mkdir(parents=True, exist_ok=True)
        table = self.engine.to_arrow(ordered(self.emissions))
        tmp = path.with_name(path.name + ".tmp")
        pq.write_table(table, tmp)
        gaps = [[self._index[id(g.activity)], g.substance] for g in self.gaps]
        gaps_tmp = path.with_name(path.name + ".gaps.tmp")
        gaps_tmp.write_text(json.dumps(gaps), encoding="utf-8")
        os.replace(gaps_tmp, _gaps_path(path))
        os.replace(tmp, path)

    @property
    def _index(self) -> dict[int, int]:
        return {id(a): n for n, a in enumerate(self.activities)}

    @classmethod
    def load(
        cls,
        path: Path,
        activities: Sequence[Activity],
        library: FactorLibrary,
        options: InventoryOptions,
        *,
        engine_kind: str | None = None,
    ) -> Inventory:
        """An inventory stored by :meth:`save` for these activities, library and options (the
        caller keys the file by them): the rows are read, not computed; the series rows are
        recomputed for their traces."""
        acts = list(activities)
        res = resolver(library, options)
        eng = engine(engine_kind)
        stored = eng.register(pq.read_table(path), "stored")
        series = _series_rows(acts, res, [n for n, a in enumerate(acts) if _is_series(a)])
        gaps = [Gap(acts[n], s) for n, s in json.loads(_gaps_path(path).read_text("utf-8"))]
        return cls(acts, res, stored, series, gaps, engine=eng)

    def memory_bytes(self) -> int:
        """About how much memory the inventory holds (engine rows, tables built from them)."""
        held = sum(
            int(f.memory_usage(deep=False).sum())
            for f in (self._frame, self._table)
            if f is not None
        )
        return held + ENGINE_ROW_BYTES * self.row_count

    def _adjustment_terms(self, fields: Mapping[str, object]) -> list[Term]:
        terms = []
        for adj in self.adjustments:
            m = adj.applies(fields)
            if m != 1.0:
                terms.append(Term(adj.name, m, "dimensionless", None, adj.basis, False, 0.0))
        return terms

    def _adjustment_text(self, fields: Mapping[str, object]) -> str:
        return "".join(f" × {t.value:.6g} ({t.name})" for t in self._adjustment_terms(fields))

    def row(self, row_id: int) -> InventoryRow:
        """The row with this id, its emission rebuilt from the template's unit emission
        (the activity term replaced by the row's amount); KeyError if none."""
        frame = self.frame()
        if not 0 <= row_id < len(frame):
            raise KeyError(row_id)
        fields = {str(k): v for k, v in frame.iloc[row_id].to_dict().items()}
        return self._row(row_id, fields)

    def _row(self, row_id: int, fields: Mapping[Any, Any]) -> InventoryRow:
        n, tid, k = int(fields["n"]), int(fields["template"]), int(fields["k"])
        act = self.activities[n]
        if tid < 0:
            e = self.series[(n, k)]
        else:
            tid = self._template(n)
            unit = self.resolver.emissions(tid)[k]
            amount = activity_term(act)
            terms = tuple(
                amount if t.name == "activity" and t.factor_id is None else t for t in unit.terms
            )
            formula = self.resolver.formula(tid, k).replace(ACTIVITY_PLACEHOLDER, amount.shown())
            e = replace(unit, terms=terms, formula=formula)
        extra = self._adjustment_terms(fields) if self.adjustments else []
        if extra:
            e = replace(
                e,
                terms=(*e.terms, *extra),
                formula=e.formula + "".join(f" × {t.value:.6g} ({t.name})" for t in extra),
            )
        return InventoryRow(row_id, act, replace(e, tonnes=float(fields["value"])))

    def trace(self, row_id: int) -> dict[str, Any]:
        """How row ``row_id`` was computed: the activity, each term (with the factor's source,
        table, edition and unit), the formula and the value (t), equal to the table's."""
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
                    year=f.year,
                    tier=f.tier,
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
            "carbon": r.emission.tonnes * 12.0 / 44.0 if r.emission.substance == "CO2" else None,
        }

    def derived(self, key: tuple[object, ...], build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """A table derived from this inventory by ``build`` (a pure function of it), computed
        once per ``key`` and kept with the roll-ups (e.g. the indicators' row facts)."""
        with self._lock:
            found = self._memo.get(("derived", *key))
        if found is None:
            found = build()
            with self._lock:
                if len(self._memo) < MEMO_ENTRIES:
                    self._memo[("derived", *key)] = found
        return found.copy(deep=False)

    def _memoised(
        self, key: tuple[object, ...], build: Callable[[Mapping[str, ibis.Table]], ibis.Table]
    ) -> pd.DataFrame:
        with self._lock:
            found = self._memo.get(key)
            if found is None:
                arrow = self.engine.query(key, build, {"emissions": self.emissions})
                found = pd.DataFrame(arrow.to_pandas())
                if len(self._memo) < MEMO_ENTRIES:
                    self._memo[key] = found
            return found.copy(deep=False)

    def rollup(
        self,
        by: Sequence[str],
        *,
        substances: Iterable[str] | None = None,
        scope: str | None = "direct",
    ) -> pd.DataFrame:
        """Emissions (t) summed by the columns ``by`` (and ``substance``), for ``scope``
        (``direct``, ``indirect`` or None for both), computed by the engine."""
        subs = None if substances is None else tuple(sorted(set(substances)))
        key = ("rollup", tuple(by), subs, scope)
        return self._memoised(
            key, lambda t: columnar_rollup(t["emissions"], by, substances=subs, scope=scope)
        )

    def co2e(self, gwp: GWPSet, by: Sequence[str], *, scope: str | None = "direct") -> pd.DataFrame:
        """Greenhouse gases in tonnes CO2e under ``gwp`` (AR4/AR5/AR6), summed by ``by``."""
        key = ("co2e", gwp.name, tuple(by), scope)
        with self._lock:
            if key not in self._memo:
                potentials = self.engine.register(gwp_by_activity(gwp), "gwp")
                out = self.engine.to_pandas(
                    columnar_co2e(self.emissions, potentials, by, scope=scope)
                )
                if out.empty and not by:
                    out = pd.DataFrame({"co2e": [0.0]})
                out["co2e"] = out["co2e"].fillna(0.0).astype(float)
                out["gwp"] = gwp.name
                self._memo[key] = out
            return self._memo[key].copy(deep=False)


@cache
def shipped_library() -> FactorLibrary:
    """The shipped factor library, read once per process."""
    return FactorLibrary.load()


MEMO_ENTRIES = 256
"""Roll-ups kept per inventory."""


def build_inventory(
    activities: Iterable[Activity],
    library: FactorLibrary | None = None,
    options: InventoryOptions | None = None,
    *,
    engine_kind: str | None = None,
    progress: Progress | None = None,
) -> Inventory:
    """The inventory of ``activities`` with the shipped (or given) factor library, computed in
    columns (:mod:`xietong.accounting.columnar`) on the engine of ``engine_kind`` (default:
    ``XIETONG_ENGINE``, else DuckDB).

    Raises InventoryError naming every activity row whose method lacks a required factor or
    has a wrong unit; substances a method is expected to give but has no factor for are kept
    as :attr:`Inventory.gaps`. ``progress`` (optional) is told the share done and the phase
    (``resolve`` the templates, ``series``, ``engine``).
    """
    lib = library or shipped_library()
    opts = options or InventoryOptions()
    acts = list(activities)
    res = resolver(lib, opts)
    step = progress or (lambda share, phase: None)
    resolved = res.resolve(acts, lambda share, phase: step(0.6 * share, phase))
    step(0.6, "series")
    problems = list(resolved.problems)
    series_rows: dict[tuple[int, int], Emission] = {}
    try:
        series_rows = _series_rows(acts, res, resolved.series)
    except InventoryError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InventoryError(problems)
    step(0.7, "engine")
    eng = engine(engine_kind)
    series_frame = typed(
        pd.DataFrame(
            [
                {
                    "n": n,
                    "template": -1,
                    "k": k,
                    **{c: getattr(acts[n], c) for c in SERIES_FIELDS},
                    "substance": e.substance,
                    "scope": e.scope,
                    "method": e.method,
                    "value": e.tonnes,
                    "factor_ids": "; ".join(e.factor_ids),
                }
                for (n, k), e in series_rows.items()
            ],
            columns=list(EMISSION_SCHEMA),
        )
    )
    rows_t = eng.register(resolved.rows, "rows")
    coefs_t = eng.register(resolved.coefficients, "coefficients")
    series_t = eng.register(series_frame, "series")
    emissions_t = eng.materialise_query(
        ("emissions",),
        lambda t: columnar_emissions(t["rows"], t["coefficients"], t["series"]),
        {"rows": rows_t, "coefficients": coefs_t, "series": series_t},
        "emissions",
    )
    gaps = _gaps(acts, resolved, res, series_rows)
    step(1.0, "engine")
    return Inventory(acts, res, emissions_t, series_rows, gaps, engine=eng)


def _is_series(act: Activity) -> bool:
    return act.kind.method in SERIES_METHODS


def _gaps_path(path: Path) -> Path:
    return path.with_name(path.name + ".gaps.json")


def _series_rows(
    acts: Sequence[Activity], res: Resolver, positions: Iterable[int]
) -> dict[tuple[int, int], Emission]:
    """The emissions of the series-method rows at ``positions``, by (row, position in the
    method's output); InventoryError naming every series that lacks a factor."""
    problems: list[str] = []
    out: dict[tuple[int, int], Emission] = {}
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for n in positions:
        act = acts[n]  # one series: the same row in every year
        key = (act.kind.method, *act.key[1:8])
        groups[key].append(n)
    for group_key, members in groups.items():
        index = {id(acts[n]): n for n in members}
        try:
            pairs = SERIES_METHODS[group_key[0]]([acts[n] for n in members], res.context)
        except (FactorError, UnitError) as exc:
            problems.append(f"{where(acts[members[0]])} (series): {exc}")
            continue
        counts: dict[int, int] = defaultdict(int)
        for a, e in pairs:
            n = index[id(a)]
            out[(n, counts[n])] = e
            counts[n] += 1
    if problems:
        raise InventoryError(problems)
    return out


ENGINE_ROW_BYTES = 120
"""About how much an emission row takes in the engine (its columns, uncompressed)."""

SERIES_FIELDS = (*KEY_FIELDS, "quality")
"""The activity fields a series row carries into the emission table."""


def _gaps(
    acts: Sequence[Activity],
    resolved: Coefficients,
    res: Resolver,
    series: Mapping[tuple[int, int], Emission],
) -> list[Gap]:
    """Substances each row's method is expected to give but no factor applied to."""
    given: dict[int, set[str]] = defaultdict(set)
    for (n, _), e in series.items():
        given[n].add(e.substance)
    by_template: dict[int, set[str]] = {}
    for n, tid in zip(resolved.rows["n"], resolved.rows["template"], strict=True):
        t = int(tid)
        if t not in by_template:
            by_template[t] = {e.substance for e in res.emissions(t)}
        given[int(n)] = by_template[t]
    return [
        Gap(a, s)
        for n, a in enumerate(acts)
        for s in EXPECTED.get(a.kind.method, ())
        if s not in given[n] and not _electric(a)
    ]


def _electric(act: Activity) -> bool:
    return act.activity == "vkt" and act.technology.endswith("_electric")


def period_end(year: int) -> dt.date:
    """Last day of a calendar year, the period end of an annual figure."""
    return dt.date(year, 12, 31)


def totals(inv: Inventory, substances: Iterable[str]) -> Mapping[tuple[int, str], float]:
    """Direct emissions (t) by (year, substance) for the given substances."""
    df = inv.rollup(["year"], substances=substances)
    return {(int(y), str(s)): float(v) for y, s, v in df.itertuples(index=False)}
