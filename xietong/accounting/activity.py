"""Activity data: the tidy input table of the inventory, its catalogue and its validation.

One row per (year, district, sector, subsector, activity, technology, control, entity, period)
with an amount in a unit, its source and a quality flag. Columns (Chinese or English header):

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
entity       主体        enterprise or facility the amount belongs to, e.g. its 18-character
                        unified social credit code (统一社会信用代码, 企业 also accepted);
                        empty for an aggregate; at most 64 characters
period       期间        ``2024-Q1`` … ``Q4`` or ``2024-01`` … ``12`` within ``year``; empty
                        (or the year itself) for the whole year
============ ========== ==================================================================

:func:`read_activity_rows` validates every cell and returns all activities or raises
:class:`~xietong.errors.ImportRejected` naming every bad row, column and reason: nothing is
returned half-read. :class:`ActivityRowChecker` holds the same rules for one row at a time, so
that :func:`iter_activity_chunks` can validate a table of any length in bounded memory (only
a 16-byte digest of each row's key is kept, to find duplicates across chunks).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
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
    "entity": ("entity", "主体", "企业", "统一社会信用代码"),
    "period": ("period", "期间"),
}
REQUIRED = ("year", "district", "sector", "activity", "amount", "unit")
HEADERS_ZH = {key: names[1] for key, names in COLUMNS.items()}
NEGATIVE_ALLOWED = frozenset({"forest_stock_change"})
ENTITY_MAX = 64
"""The longest entity id (an 18-character unified social credit code fits easily)."""
MAX_PROBLEMS = 1000
"""At most this many problems are listed for one table; the count of the rest is given."""
CHUNK_ROWS = 50_000
"""Rows per chunk of :func:`iter_activity_chunks` (memory is bounded by a chunk)."""


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
    ch4_origin: str = ""
    """``fossil`` or ``nonfossil``: where the carbon of the activity's methane comes from (the
    GWP of methane depends on it in AR6); blank where the activity gives no methane."""


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
                r.get("ch4_origin") or "",
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


@cache
def code_labels() -> dict[str, dict[str, tuple[str, str]]]:
    """Display names (zh, en) of the subsector, technology and control codes of activity
    data, from ``data/accounting/labels.csv``, by kind then code."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    with data_path("accounting", "labels.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["kind"], {})[r["code"]] = (r["zh"], r["en"])
    return out


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
    if type(value) is str:
        return value.strip()
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


_PERIOD = re.compile(r"(\d{4})-(?:[Qq]([1-4])|(\d{1,2}))")
PERIOD_FORMS = "the year (2024), a quarter (2024-Q1 … 2024-Q4) or a month (2024-01 … 2024-12)"


def parse_period(value: object, year: int | None = None) -> str:
    """The stored form of a period cell: ``""`` for the whole year, else ``YYYY-Qn`` or
    ``YYYY-MM``; ValueError (with the reason) when it is not a period of ``year``.

    A date on the first of a month (what a spreadsheet makes of a typed ``2024-03``) is that
    month.

    >>> parse_period("2024-q2", 2024), parse_period("2024-3", 2024), parse_period(2024, 2024)
    ('2024-Q2', '2024-03', '')
    """
    if isinstance(value, dt.date):
        whole_day = not isinstance(value, dt.datetime) or value.time() == dt.time()
        if value.day != 1 or not whole_day:
            raise ValueError(f"'{value}' is a day, not a period: use {PERIOD_FORMS}")
        text = f"{value.year:04d}-{value.month:02d}"
    else:
        text = _text(value)
    if not text:
        return ""
    match = _PERIOD.fullmatch(text)
    if match is not None:
        p_year = int(match[1])
        if match[2]:
            period = f"{p_year}-Q{match[2]}"
        else:
            month = int(match[3])
            if not 1 <= month <= 12:
                raise ValueError(f"'{text}': month {month} is not between 01 and 12")
            period = f"{p_year}-{month:02d}"
    else:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not (number.is_integer() and 1900 <= number <= 2100):
            raise ValueError(f"'{text}' is not a period: use {PERIOD_FORMS}")
        p_year, period = int(number), ""
    if year is not None and p_year != year:
        raise ValueError(f"period '{text}' is not in the row's year {year}")
    return period


def check_entity(text: str) -> str:
    """``text`` as an entity id (already stripped), or ValueError: at most
    :data:`ENTITY_MAX` characters, no control or invisible formatting character."""
    if len(text) > ENTITY_MAX:
        raise ValueError(f"{len(text)} characters long; at most {ENTITY_MAX} are allowed")
    if text.isprintable():
        return text
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf"):
            raise ValueError(f"{text!r} holds the control character U+{ord(ch):04X}")
    return text


@lru_cache(maxsize=4096)
def _unit_problem(
    unit: str, dimension_unit: str | None, activity_en: str, method: str | None = None
) -> str | None:
    """Why ``unit`` is refused for an activity measured like ``dimension_unit``, or None. A
    fuel measured by mass may also be given as a volume (m³, L): its density converts it."""
    try:
        parsed = parse_unit(unit)
        expected = parse_unit(dimension_unit).dimensionality if dimension_unit else None
        volume_of_fuel = (
            method == "fuel_combustion"
            and expected == parse_unit("t").dimensionality
            and parsed.dimensionality == parse_unit("m3").dimensionality
        )
        if expected is not None and parsed.dimensionality != expected and not volume_of_fuel:
            return f"'{unit}' is not a unit of {activity_en} (expected like '{dimension_unit}')"
    except UnitError as exc:
        return str(exc)
    return None


@lru_cache(maxsize=4096)
def _parameters(text: str) -> tuple[tuple[str, float, str], ...]:
    return parse_parameters(text)


def _key_digest(key: tuple[object, ...]) -> bytes:
    """16 bytes standing for a row key: what is kept per row to find duplicates."""
    return hashlib.blake2b(repr(key).encode("utf-8"), digest_size=16).digest()


class ActivityRowChecker:
    """The row rules of an activity table with ``header``, one data row at a time.

    Duplicate keys are found across every row checked so far (a 16-byte digest of each key is
    kept, not the row). Problems are collected: the first :data:`MAX_PROBLEMS` are listed,
    all are counted. ``districts`` restricts district codes (``city`` is always allowed).
    Raises ImportRejected at once when a required column is missing.
    """

    def __init__(
        self,
        header: Sequence[object],
        source: str,
        *,
        districts: Iterable[str] | None = None,
        first_row: int = 1,
    ) -> None:
        self.source = source
        self.columns = map_header(header)
        missing = [c for c in REQUIRED if c not in self.columns]
        if missing:
            raise ImportRejected(
                source,
                [RowProblem(first_row, c, "required column is missing") for c in missing],
            )
        self.allowed = None if districts is None else {*districts, CITY}
        self.problems: list[RowProblem] = []
        self.problem_count = 0
        self.accepted = 0
        self._seen: dict[bytes, int] = {}
        self._kinds = catalogue()
        self._sectors = sectors()

    def _problem(self, problem: RowProblem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def check(self, n: int, raw: Sequence[object]) -> Activity | None:
        """The activity of spreadsheet row ``n``; None when the row is empty or refused (its
        problems are then added to ``problems``)."""
        cols = self.columns
        cell = {k: _text(raw[i]) if i < len(raw) else "" for k, i in cols.items()}
        if not any(cell.values()):
            return None
        row_problems: list[RowProblem] = []

        def bad(column: str, reason: str) -> None:
            row_problems.append(RowProblem(n, column, reason))

        year = 0
        try:
            year = int(float(cell["year"]))
            if not 1900 <= year <= 2100 or float(cell["year"]) != year:
                bad("year", f"'{cell['year']}' is not a year between 1900 and 2100")
                year = 0
        except (ValueError, OverflowError):
            bad("year", f"'{cell['year']}' is not a year")
        if not cell["district"]:
            bad("district", "empty (use 'city' for a city-wide figure)")
        elif self.allowed is not None and cell["district"] not in self.allowed:
            bad("district", f"unknown district '{cell['district']}'")
        if cell["sector"] not in self._sectors:
            bad(
                "sector",
                f"unknown sector '{cell['sector']}' (one of {', '.join(self._sectors)})",
            )
        kind = self._kinds.get(cell["activity"])
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
        reason = _unit_problem(
            cell["unit"],
            kind.dimension_unit if kind is not None else None,
            kind.en if kind is not None else "",
            kind.method if kind is not None else None,
        )
        if reason is not None:
            bad("unit", reason)
        quality = cell.get("quality", "") or "statistic"
        if quality not in QUALITY:
            bad("quality", f"'{quality}' is not one of {', '.join(QUALITY)}")
        params: tuple[tuple[str, float, str], ...] = ()
        try:
            params = _parameters(cell.get("parameters", ""))
        except (ValueError, UnitError) as exc:
            bad("parameters", str(exc))
        if cell["activity"] == "forest_stock_change" and year:
            from xietong.accounting.methods.forestry import stock_interval

            try:
                stock_interval(
                    Activity(
                        year,
                        "city",
                        "forestry",
                        "forest_stock_change",
                        0.0,
                        "m3",
                        parameters=params,
                    )
                )
            except (ValueError, UnitError, pint.DimensionalityError) as exc:
                bad("parameters", str(exc))
        entity = cell.get("entity", "")
        try:
            check_entity(entity)
        except ValueError as exc:
            bad("entity", str(exc))
        period = ""
        if "period" in cols:
            i = cols["period"]
            try:
                period = parse_period(raw[i] if i < len(raw) else None, year or None)
            except ValueError as exc:
                bad("period", str(exc))
        if row_problems:
            for p in row_problems:
                self._problem(p)
            return None
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
            entity=entity,
            period=period,
        )
        digest = _key_digest(act.key)
        first = self._seen.get(digest)
        if first is not None:
            self._problem(
                RowProblem(
                    n,
                    "*",
                    f"duplicate of row {first}: same year, district, sector, subsector, "
                    f"activity, technology, control, entity ('{act.entity}') and period "
                    f"({act.period_label})",
                )
            )
            return None
        self._seen[digest] = n
        self.accepted += 1
        return act

    def rejection(self) -> ImportRejected | None:
        """ImportRejected listing the problems found so far, or None when there are none."""
        if not self.problem_count:
            return None
        listed = list(self.problems)
        if self.problem_count > len(listed):
            listed.append(
                RowProblem(
                    0,
                    "*",
                    f"{self.problem_count} problems in all: only the first {len(self.problems)} "
                    "are listed",
                )
            )
        return ImportRejected(self.source, listed, total=self.problem_count)


def iter_activity_chunks(
    rows: Iterable[Sequence[object]],
    source: str,
    *,
    districts: Iterable[str] | None = None,
    first_row: int = 1,
    chunk_size: int = CHUNK_ROWS,
) -> Iterator[list[Activity]]:
    """Validate a table (header row first) in chunks of at most ``chunk_size`` activities.

    Chunks are yielded while every row so far is good; after the first problem nothing more is
    yielded, but every row is still checked, and at the end ImportRejected names the problems
    of the whole table. What was yielded before is then void: write the chunks in one
    transaction and roll it back on ImportRejected. Memory is bounded by a chunk (and one
    16-byte digest per row).
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    it = iter(rows)
    try:
        header = next(it)
    except StopIteration:
        raise ImportRejected(source, [RowProblem(first_row, "*", "the file is empty")]) from None
    checker = ActivityRowChecker(header, source, districts=districts, first_row=first_row)
    chunk: list[Activity] = []
    for n, raw in enumerate(it, start=first_row + 1):
        act = checker.check(n, raw)
        if checker.problem_count:
            chunk = []
        elif act is not None:
            chunk.append(act)
            if len(chunk) >= chunk_size:
                yield chunk
                chunk = []
    rejection = checker.rejection()
    if rejection is not None:
        raise rejection
    if chunk:
        yield chunk


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
    Raises ImportRejected with every bad cell if any (the first :data:`MAX_PROBLEMS`).
    """
    return [
        act
        for chunk in iter_activity_chunks(
            rows, source, districts=districts, first_row=first_row, chunk_size=sys.maxsize
        )
        for act in chunk
    ]


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
        "entity": a.entity,
        "period": a.period,
    }


def activity_records(activities: Iterable[Activity]) -> list[Mapping[str, object]]:
    """Activities as plain mappings in column order (for tables and export)."""
    return [activity_record(a) for a in activities]
