"""The factor library: emission factors, calorific values, carbon contents, oxidation factors,
grid factors and GWP sets, each with its unit, edition and source (``xietong/data/factors``).

Selection rule (documented in ``docs/methods/factors.md``): among the factors of the wanted
quantity (substance) that apply to an activity, the most specific wins — a factor whose
applicability columns (activity, fuel, sector, subsector, technology, control, region) all
match and that names more of them beats a more generic one; ties go to the higher tier
(measured > plant > China default > IPCC Tier 1 > literature > estimate), then to the newer
year. A factor that names a column the activity does not
match never applies. The choice and the reason are returned with the factor.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pint

from xietong.datafiles import data_path
from xietong.errors import XietongError
from xietong.units import unit_quantity

APPLICABILITY = ("activity", "fuel", "sector", "subsector", "technology", "control", "region")
TIER_RANK = {
    "measured": 0,
    "plant": 1,
    "CN-default": 2,
    "CN-stat": 2,
    "grid": 2,
    "IPCC-T1": 3,
    "literature": 4,
    "estimate": 5,
}
"""Lower is preferred: measured > plant > China default > IPCC Tier 1 > literature > estimate."""


VINTAGE_TIERS = frozenset({"grid"})
VINTAGE_EDITIONS = frozenset({"GB-STANDARD"})
"""Factors in force from their year (grid factors, fuel-quality and emission standards): for
them the activity's year picks the vintage."""


class FactorError(XietongError):
    """No factor applies, a factor file is malformed, or a GWP set was not chosen."""


@dataclass(frozen=True)
class Factor:
    """One factor row: ``value`` in ``unit`` for ``substance``, where it applies, its source."""

    id: str
    edition: str
    substance: str
    value: float
    unit: str
    applies: Mapping[str, str]
    tier: str
    source_document: str
    source_table: str
    year: int | None
    uncertainty_pct: tuple[float, float] | None
    verified: bool
    note: str = ""

    @property
    def quantity(self) -> pint.Quantity[Any]:
        """The factor as a pint quantity."""
        q: pint.Quantity[Any] = self.value * unit_quantity(self.unit)
        return q

    @property
    def source(self) -> str:
        """Document and table, for traces and reports."""
        return f"{self.source_document}, {self.source_table}"


@dataclass(frozen=True)
class Selection:
    """A chosen factor and why it was chosen over the other candidates."""

    factor: Factor
    reason: str
    candidates: tuple[str, ...] = field(default_factory=tuple)


def _float(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise FactorError(f"{where}: '{text}' is not a number") from None


def read_factor_file(path: Path) -> list[Factor]:
    """Factors of one CSV file; FactorError names the file, row and column of a bad cell."""
    factors: list[Factor] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            where = f"{path.name}, row {n}"
            try:
                unit_quantity(row["unit"])
            except XietongError as exc:
                raise FactorError(f"{where}, column 'unit': {exc}") from None
            low, high = row.get("uncertainty_low_pct", ""), row.get("uncertainty_high_pct", "")
            factors.append(
                Factor(
                    id=row["id"],
                    edition=row["edition"],
                    substance=row["substance"],
                    value=_float(row["value"], f"{where}, column 'value'"),
                    unit=row["unit"],
                    applies={k: row[k] for k in APPLICABILITY if row.get(k)},
                    tier=row["tier"],
                    source_document=row["source_document"],
                    source_table=row["source_table"],
                    year=int(row["year"]) if row.get("year") else None,
                    uncertainty_pct=(
                        (_float(low, where), _float(high, where)) if low and high else None
                    ),
                    verified=row.get("verified") == "yes",
                    note=row.get("note", ""),
                )
            )
    return factors


class FactorLibrary:
    """All factors of the shipped (or given) factor files, with the selection rule."""

    def __init__(self, factors: Iterable[Factor]) -> None:
        self.factors = list(factors)
        ids = [f.id for f in self.factors]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise FactorError(f"duplicate factor id(s): {', '.join(dupes)}")
        self._by_id = {f.id: f for f in self.factors}
        self._by_substance: dict[str, list[Factor]] = {}
        for f in self.factors:
            self._by_substance.setdefault(f.substance, []).append(f)

    @classmethod
    def load(cls, folder: Path | None = None) -> FactorLibrary:
        """Read every ``*.csv`` factor file except ``gwp.csv`` from ``folder`` (default:
        the shipped ``xietong/data/factors``)."""
        base = folder or data_path("factors")
        files = sorted(p for p in base.glob("*.csv") if p.name != "gwp.csv")
        return cls(f for path in files for f in read_factor_file(path))

    def get(self, factor_id: str) -> Factor:
        """The factor with this id; FactorError if none."""
        try:
            return self._by_id[factor_id]
        except KeyError:
            raise FactorError(f"no factor '{factor_id}'") from None

    def select(
        self,
        substance: str,
        *,
        editions: Iterable[str] | None = None,
        year: int | None = None,
        **activity: str | None,
    ) -> Selection:
        """The factor of ``substance`` for an activity described by the applicability columns
        (``activity=``, ``fuel=``, ``sector=``, ``subsector=``, ``technology=``, ``control=``,
        ``region=``), by the rule in the module docstring; ``editions`` restricts the
        candidates. ``year``, the activity's year, makes the last tie-break of factors in force
        from a year (grid factors, standards: :data:`VINTAGE_TIERS`, :data:`VINTAGE_EDITIONS`)
        their vintage: the latest year not after ``year``, else the earliest after it; other
        factors keep the newest edition, for a consistent time series. FactorError if none
        applies."""
        unknown = set(activity) - set(APPLICABILITY)
        if unknown:
            raise FactorError(f"unknown applicability column(s): {', '.join(sorted(unknown))}")
        wanted = {k: v for k, v in activity.items() if v}
        allowed = set(editions) if editions is not None else None
        candidates = [
            f
            for f in self._by_substance.get(substance, ())
            if (allowed is None or f.edition in allowed)
            and all(wanted.get(k) == v for k, v in f.applies.items())
        ]
        if not candidates:
            described = ", ".join(f"{k}={v}" for k, v in sorted(wanted.items())) or "any"
            scope = f" in edition(s) {', '.join(sorted(allowed))}" if allowed else ""
            raise FactorError(f"no {substance} factor applies to {described}{scope}")

        def key(f: Factor) -> tuple[int, int, int, int]:
            fy = f.year or 0
            if year is None or not (f.tier in VINTAGE_TIERS or f.edition in VINTAGE_EDITIONS):
                return (-len(f.applies), TIER_RANK.get(f.tier, 9), 0, -fy)
            # vintage: the latest factor not after the activity year, else the earliest after it
            return (
                -len(f.applies),
                TIER_RANK.get(f.tier, 9),
                int(fy > year),
                -fy if fy <= year else fy,
            )

        ranked = sorted(candidates, key=key)
        best = ranked[0]
        reason = (
            f"{best.id}: matches {len(best.applies)} applicability column(s) "
            f"({', '.join(sorted(best.applies)) or 'none'}), tier {best.tier}, "
            f"edition {best.edition}; {len(ranked) - 1} other candidate(s)"
        )
        return Selection(best, reason, tuple(f.id for f in ranked))


@dataclass(frozen=True)
class GWPSet:
    """GWP100 values of one IPCC assessment report (AR4, AR5 or AR6), with their sources."""

    name: str
    values: Mapping[str, float]
    sources: Mapping[str, str]

    def __getitem__(self, gas: str) -> float:
        try:
            return self.values[gas]
        except KeyError:
            raise FactorError(f"GWP set {self.name} has no value for '{gas}'") from None


def load_gwp(name: str, path: Path | None = None) -> GWPSet:
    """The GWP100 set ``name`` ("AR4", "AR5", "AR6") from ``gwp.csv``. There is no default:
    CO2e always needs an explicit set."""
    file = path or data_path("factors", "gwp.csv")
    values: dict[str, float] = {}
    sources: dict[str, str] = {}
    with file.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            if row["set"] == name:
                values[row["gas"]] = _float(row["value"], f"{file.name}, row {n}")
                sources[row["gas"]] = f"{row['source_document']}, {row['source_table']}"
    if not values:
        raise FactorError(f"no GWP set '{name}' (choose AR4, AR5 or AR6)")
    return GWPSet(name, values, sources)


@cache
def edition_titles() -> dict[str, tuple[str, str]]:
    """Short titles (zh, en) of the shipped factor editions, from
    ``data/accounting/factor_editions.csv``, by edition code."""
    with data_path("accounting", "factor_editions.csv").open(encoding="utf-8", newline="") as fh:
        return {r["edition"]: (r["zh"], r["en"]) for r in csv.DictReader(fh)}
