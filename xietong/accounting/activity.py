"""Activity data: the tidy input table of the inventory, its catalogue and its validation.

One row per (year, district, sector, subsector, activity, technology, control) with an amount in
a unit, its source and a quality flag. Columns (Chinese or English header):

============ ========== ==================================================================
English      中文        meaning
============ ========== ==================================================================
year         年份        calendar year of the activity (required)
district     区          district code, or ``city`` for a city-wide figure (required)
sector       部门        sector code of ``data/accounting/sectors.csv`` (required)
subsector    子部门      free code within the sector (power, steel, road, …)
activity     活动        activity code of ``data/accounting/activities.csv`` (required)
technology   技术        technology / vehicle class / species / landfill type
control      控制措施    control device or emission stage
amount       活动水平    the amount (required), ≥ 0 except for stock changes
unit         单位        a pint unit of the activity's dimension (required)
source       来源        the document and table the amount was read in, or how it was estimated
quality      数据质量    statistic / derived / estimate / measured / demo
parameters   参数        ``name=value unit; …`` (sulphur content, concentrations, …)
============ ========== ==================================================================

:func:`read_activity_rows` validates every cell and returns all activities or raises
:class:`~xietong.errors.ImportRejected` naming every bad row, column and reason: nothing is
returned half-read.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pint

from xietong.datafiles import data_path
from xietong.errors import ImportRejected, RowProblem, UnitError
from xietong.units import Q_, parse_unit

QUALITY = ("statistic", "derived", "estimate", "measured", "demo")
"""Quality flags: read in a statistic, derived from read figures, estimated, measured, demo."""

CITY = "city"
"""District code of city-wide figures."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("year", "年份"),
    "district": ("district", "区", "行政区"),
    "sector": ("sector", "部门"),
    "subsector": ("subsector", "子部门"),
    "activity": ("activity", "活动"),
    "technology": ("technology", "技术"),
    "control": ("control", "控制措施"),
    "amount": ("amount", "活动水平", "数量"),
    "unit": ("unit", "单位"),
    "source": ("source", "来源"),
    "quality": ("quality", "数据质量"),
    "parameters": ("parameters", "参数"),
}
REQUIRED = ("year", "district", "sector", "activity", "amount", "unit")
HEADERS_ZH = {key: names[1] for key, names in COLUMNS.items()}
NEGATIVE_ALLOWED = frozenset({"forest_stock_change"})


@dataclass(frozen=True)
class ActivityKind:
    """A catalogue entry: what an activity code measures and which method computes it."""

    code: str
    method: str
    dimension_unit: str
    zh: str
    en: str
    fuel: str | None
    note: str = ""


@dataclass(frozen=True)
class Sector:
    """A sector of the inventory with its names and IPCC category."""

    code: str
    zh: str
    en: str
    ipcc_category: str


@cache
def catalogue() -> dict[str, ActivityKind]:
    """The activity codes of ``data/accounting/activities.csv`` by code."""
    with data_path("accounting", "activities.csv").open(encoding="utf-8", newline="") as fh:
        return {
            r["code"]: ActivityKind(
                r["code"],
                r["method"],
                r["dimension_unit"],
                r["zh"],
                r["en"],
                r["fuel"] or None,
                r["note"],
            )
            for r in csv.DictReader(fh)
        }


@cache
def sectors() -> dict[str, Sector]:
    """The sectors of ``data/accounting/sectors.csv`` by code."""
    with data_path("accounting", "sectors.csv").open(encoding="utf-8", newline="") as fh:
        return {
            r["code"]: Sector(r["code"], r["zh"], r["en"], r["ipcc_category"])
            for r in csv.DictReader(fh)
        }


@dataclass(frozen=True)
class Activity:
    """One validated row of activity data; ``amount`` is in ``unit``."""

    year: int
    district: str
    sector: str
    activity: str
    amount: float
    unit: str
    subsector: str = ""
    technology: str = ""
    control: str = ""
    source: str = ""
    quality: str = "statistic"
    parameters: tuple[tuple[str, float, str], ...] = field(default_factory=tuple)
    entity: str = ""
    period: str = ""

    @property
    def quantity(self) -> pint.Quantity[Any]:
        """The amount as a pint quantity."""
        return Q_(self.amount, parse_unit(self.unit))

    @property
    def kind(self) -> ActivityKind:
        """The catalogue entry of this activity's code."""
        return catalogue()[self.activity]

    def parameter(self, name: str) -> pint.Quantity[Any] | None:
        """The row's own value of parameter ``name`` (e.g. ``S_content``), or None."""
        for key, value, unit in self.parameters:
            if key == name:
                return Q_(value, parse_unit(unit))
        return None

    @property
    def key(self) -> tuple[int, str, str, str, str, str, str, str, str]:
        """The row's identity: no two rows of a table may share it."""
        return (
            self.year,
            self.district,
            self.sector,
            self.subsector,
            self.activity,
            self.technology,
            self.control,
            self.entity,
            self.period,
        )

    @property
    def period_label(self) -> str:
        """The period the amount covers: ``2024`` (the year), ``2024-Q1`` or ``2024-03``."""
        return self.period or str(self.year)


def parse_parameters(text: str) -> tuple[tuple[str, float, str], ...]:
    """Parse ``"S_content=0.8 percent; cod_in=250 mg/L"`` into (name, value, unit) triples.

    >>> parse_parameters("S_content=0.8 percent; cod_in=250 mg/L")
    (('S_content', 0.8, 'percent'), ('cod_in', 250.0, 'mg/L'))
    """
    out: list[tuple[str, float, str]] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        name, sep, rest = part.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"'{part}' is not name=value unit")
        number, _, unit = rest.strip().partition(" ")
        try:
            value = float(number)
        except ValueError:
            raise ValueError(f"'{part}': '{number}' is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"'{part}': the value must be finite")
        unit = unit.strip() or "dimensionless"
        parse_unit(unit)
        out.append((name.strip(), value, unit))
    return tuple(out)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def map_header(header: Iterable[object]) -> dict[str, int]:
    """Map canonical column names to positions in ``header``; unknown columns are ignored."""
    aliases = {a.lower(): key for key, names in COLUMNS.items() for a in names}
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = aliases.get(_text(cell).lower())
        if key and key not in found:
            found[key] = i
    return found


def read_activity_rows(
    rows: Iterable[Sequence[object]],
    source: str,
    *,
    districts: Iterable[str] | None = None,
    first_row: int = 1,
) -> list[Activity]:
    """Validate a table (header row first) into activities, all or nothing.

    ``districts`` restricts district codes (``city`` is always allowed); ``first_row`` is the
    spreadsheet number of the header row, so that problems name rows as the user sees them.
    Raises ImportRejected with every bad cell if any.
    """
    it = iter(rows)
    try:
        header = next(it)
    except StopIteration:
        raise ImportRejected(source, [RowProblem(first_row, "*", "the file is empty")]) from None
    cols = map_header(header)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise ImportRejected(
            source,
            [RowProblem(first_row, c, "required column is missing") for c in missing],
        )
    allowed = None if districts is None else {*districts, CITY}
    kinds, known_sectors = catalogue(), sectors()
    problems: list[RowProblem] = []
    out: list[Activity] = []
    seen: dict[tuple[int, str, str, str, str, str, str, str, str], int] = {}
    for n, raw in enumerate(it, start=first_row + 1):
        cell = {k: _text(raw[i]) if i < len(raw) else "" for k, i in cols.items()}
        if not any(cell.values()):
            continue
        row_problems: list[RowProblem] = []

        def bad(
            column: str, reason: str, n: int = n, sink: list[RowProblem] = row_problems
        ) -> None:
            sink.append(RowProblem(n, column, reason))

        year = 0
        try:
            year = int(float(cell["year"]))
            if not 1900 <= year <= 2100 or float(cell["year"]) != year:
                bad("year", f"'{cell['year']}' is not a year between 1900 and 2100")
        except ValueError:
            bad("year", f"'{cell['year']}' is not a year")
        if not cell["district"]:
            bad("district", "empty (use 'city' for a city-wide figure)")
        elif allowed is not None and cell["district"] not in allowed:
            bad("district", f"unknown district '{cell['district']}'")
        if cell["sector"] not in known_sectors:
            bad("sector", f"unknown sector '{cell['sector']}' (one of {', '.join(known_sectors)})")
        kind = kinds.get(cell["activity"])
        if kind is None:
            bad("activity", f"unknown activity '{cell['activity']}'")
        amount = math.nan
        try:
            amount = float(cell["amount"])
            if not math.isfinite(amount):
                bad("amount", "must be a finite number")
            elif amount < 0 and cell["activity"] not in NEGATIVE_ALLOWED:
                bad("amount", f"{amount:g} is negative")
        except ValueError:
            bad("amount", f"'{cell['amount']}' is not a number")
        try:
            unit = parse_unit(cell["unit"])
            if (
                kind is not None
                and unit.dimensionality != parse_unit(kind.dimension_unit).dimensionality
            ):
                bad(
                    "unit",
                    f"'{cell['unit']}' is not a unit of {kind.en} (expected like "
                    f"'{kind.dimension_unit}')",
                )
        except UnitError as exc:
            bad("unit", str(exc))
        quality = cell.get("quality", "") or "statistic"
        if quality not in QUALITY:
            bad("quality", f"'{quality}' is not one of {', '.join(QUALITY)}")
        params: tuple[tuple[str, float, str], ...] = ()
        try:
            params = parse_parameters(cell.get("parameters", ""))
        except (ValueError, UnitError) as exc:
            bad("parameters", str(exc))
        if row_problems:
            problems.extend(row_problems)
            continue
        act = Activity(
            year=year,
            district=cell["district"],
            sector=cell["sector"],
            subsector=cell.get("subsector", ""),
            activity=cell["activity"],
            technology=cell.get("technology", ""),
            control=cell.get("control", ""),
            amount=amount,
            unit=cell["unit"],
            source=cell.get("source", ""),
            quality=quality,
            parameters=params,
        )
        if act.key in seen:
            problems.append(
                RowProblem(n, "*", f"same year/district/sector/activity as row {seen[act.key]}")
            )
            continue
        seen[act.key] = n
        out.append(act)
    if problems:
        raise ImportRejected(source, problems)
    return out


def read_activity_csv(path: Path, *, districts: Iterable[str] | None = None) -> list[Activity]:
    """Activities of a UTF-8 CSV file (header row first), all or nothing."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return read_activity_rows(list(csv.reader(fh)), path.name, districts=districts)


def default_activity(city: str = "wuhan") -> list[Activity]:
    """The shipped activity dataset of ``city`` (``data/cities/<city>/activity.csv``)."""
    return read_activity_csv(data_path("cities", city, "activity.csv"))


def activity_record(a: Activity) -> dict[str, object]:
    """One activity as a plain mapping in column order (for tables, traces and export)."""
    return {
        "year": a.year,
        "district": a.district,
        "sector": a.sector,
        "subsector": a.subsector,
        "activity": a.activity,
        "technology": a.technology,
        "control": a.control,
        "amount": a.amount,
        "unit": a.unit,
        "source": a.source,
        "quality": a.quality,
        "parameters": "; ".join(f"{k}={v:g} {u}" for k, v, u in a.parameters),
    }


def activity_records(activities: Iterable[Activity]) -> list[Mapping[str, object]]:
    """Activities as plain mappings in column order (for tables and export)."""
    return [activity_record(a) for a in activities]
