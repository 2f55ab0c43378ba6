"""Top-down spatial allocation: city-wide activity rows split among districts by proxy shares.

Method (``docs/methods/inventory.md``, "District allocation"): a city-wide activity row
(district ``city``) of year *y* whose (sector, subsector, activity) matches an allocation rule
with proxy *p* becomes one row per district *d* with amount ``A × s(p, y, d)``, where the shares
``s(p, y, ·)`` of a proxy and year are non-negative and sum to 1; rows that already name a
district are kept as they are. Because every method of the engine is linear in the amount and
the row parameters are intensities (concentrations, ratios), the allocated inventory's city
total equals the unallocated one, which the tests check; the emissions are recomputed by the
same engine, never scaled after the fact. This is the usual proxy-based downscaling of
top-down inventories (e.g. EMEP/EEA Guidebook 2023, Part A chapter 7 "Spatial mapping of
emissions": distribute national totals with surrogate data such as population or land use).

The shares and the rules are data (``data/cities/<city>/district_proxies.csv`` and
``district_allocation.csv``); each share carries its quality flag and source, and the rows it
produces say which proxy and share made them.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from xietong.accounting.activity import QUALITY, Activity
from xietong.errors import ImportRejected, RowProblem, XietongError

SHARE_TOLERANCE = 1e-6
"""How far the shares of one proxy and year may sum from 1 (rounding in the data file)."""


class AllocationError(XietongError):
    """An activity row has no rule or no shares to be allocated with."""


@dataclass(frozen=True)
class AllocationRule:
    """Rows of ``sector`` (and ``subsector``, ``activity`` where given; empty matches any)
    are allocated by ``proxy``; ``basis_zh`` / ``basis_en`` say why that proxy."""

    sector: str
    subsector: str
    activity: str
    proxy: str
    basis_zh: str = ""
    basis_en: str = ""

    def matches(self, act: Activity) -> bool:
        """Whether the rule applies to ``act``."""
        return (
            self.sector == act.sector
            and self.subsector in ("", act.subsector)
            and self.activity in ("", act.activity)
        )

    @property
    def specificity(self) -> int:
        """2 for an activity rule, 1 for a subsector rule, 0 for a sector rule."""
        return 2 if self.activity else 1 if self.subsector else 0


@dataclass(frozen=True)
class ProxyShare:
    """The share of ``district`` in ``proxy`` in ``year`` (a fraction), with its source."""

    proxy: str
    year: int
    district: str
    share: float
    quality: str
    source: str


@dataclass(frozen=True)
class Allocation:
    """Allocation rules and proxy shares of one city."""

    rules: tuple[AllocationRule, ...]
    shares: tuple[ProxyShare, ...]

    def __post_init__(self) -> None:
        sums: dict[tuple[str, int], float] = defaultdict(float)
        for s in self.shares:
            sums[(s.proxy, s.year)] += s.share
        bad = [
            f"{p} {y}: {v:.6f}"
            for (p, y), v in sorted(sums.items())
            if abs(v - 1) > SHARE_TOLERANCE
        ]
        if bad:
            raise AllocationError(
                f"proxy shares must sum to 1 per proxy and year: {'; '.join(bad)}"
            )
        proxies = {s.proxy for s in self.shares}
        unknown = sorted({r.proxy for r in self.rules} - proxies)
        if unknown:
            raise AllocationError(f"rules name proxies without shares: {', '.join(unknown)}")

    @cached_property
    def _by_key(self) -> dict[tuple[str, int], list[ProxyShare]]:
        found: dict[tuple[str, int], list[ProxyShare]] = defaultdict(list)
        for s in self.shares:
            found[(s.proxy, s.year)].append(s)
        return dict(found)

    def rule_for(self, act: Activity) -> AllocationRule:
        """The most specific rule matching ``act``; AllocationError when none does."""
        found = [r for r in self.rules if r.matches(act)]
        if not found:
            raise AllocationError(
                f"no allocation rule for sector '{act.sector}', subsector '{act.subsector}', "
                f"activity '{act.activity}'"
            )
        return max(found, key=lambda r: r.specificity)

    def shares_of(self, proxy: str, year: int) -> list[ProxyShare]:
        """The shares of ``proxy`` in ``year``; AllocationError when the data have none."""
        found = self._by_key.get((proxy, year), [])
        if not found:
            years = sorted({s.year for s in self.shares if s.proxy == proxy})
            raise AllocationError(
                f"no shares of proxy '{proxy}' for {year} (years with shares: "
                f"{years[0] if years else '—'}–{years[-1] if years else '—'})"
            )
        return found


def allocate(activities: Iterable[Activity], allocation: Allocation) -> list[Activity]:
    """The activities with every city-wide row split among districts (amount × share, see the
    module docstring); rows of a district are returned unchanged. A share of zero gives no
    row. Raises AllocationError naming the first row without a rule or shares."""
    out: list[Activity] = []
    for act in activities:
        if act.district != "city":
            out.append(act)
            continue
        rule = allocation.rule_for(act)
        for s in allocation.shares_of(rule.proxy, act.year):
            if s.share <= 0:
                continue
            note = f"按{rule.proxy}份额分配 allocated by proxy '{rule.proxy}': {s.share:.6g}"
            out.append(
                replace(
                    act,
                    district=s.district,
                    amount=act.amount * s.share,
                    source=f"{act.source} | {note} ({s.quality})",
                    quality="demo" if s.quality == "demo" else act.quality,
                )
            )
    return out


def read_rules(path: Path) -> list[AllocationRule]:
    """Rules from a CSV (``sector,subsector,activity,proxy,basis_zh,basis_en``), all or
    nothing: ImportRejected names every bad row."""
    problems: list[RowProblem] = []
    out: list[AllocationRule] = []
    seen: dict[tuple[str, str, str], int] = {}
    for n, row in _rows(path):
        sector, proxy = row.get("sector") or "", row.get("proxy") or ""
        if not sector:
            problems.append(RowProblem(n, "sector", "empty"))
        if not proxy:
            problems.append(RowProblem(n, "proxy", "empty"))
        key = (sector, row.get("subsector") or "", row.get("activity") or "")
        if key in seen:
            problems.append(
                RowProblem(n, "*", f"same sector/subsector/activity as row {seen[key]}")
            )
        seen[key] = n
        if sector and proxy:
            out.append(
                AllocationRule(
                    *key,
                    proxy=proxy,
                    basis_zh=row.get("basis_zh") or "",
                    basis_en=row.get("basis_en") or "",
                )
            )
    if problems:
        raise ImportRejected(path.name, problems)
    return out


def read_shares(path: Path) -> list[ProxyShare]:
    """Proxy shares from a CSV (``proxy,year,district,share,quality,source``), all or
    nothing: ImportRejected names every bad row (a share outside [0, 1], a bad year or
    quality flag)."""
    problems: list[RowProblem] = []
    out: list[ProxyShare] = []
    for n, row in _rows(path):
        try:
            share = float(row.get("share") or "")
            if not (math.isfinite(share) and 0 <= share <= 1):
                raise ValueError
        except ValueError:
            problems.append(RowProblem(n, "share", f"'{row.get('share')}' is not in [0, 1]"))
            continue
        try:
            year = int(row.get("year") or "")
        except ValueError:
            problems.append(RowProblem(n, "year", f"'{row.get('year')}' is not a year"))
            continue
        quality = row.get("quality") or ""
        if quality not in QUALITY:
            problems.append(RowProblem(n, "quality", f"'{quality}' is not one of {QUALITY}"))
            continue
        if not row.get("proxy") or not row.get("district"):
            problems.append(RowProblem(n, "proxy/district", "empty"))
            continue
        out.append(
            ProxyShare(row["proxy"], year, row["district"], share, quality, row.get("source", ""))
        )
    if problems:
        raise ImportRejected(path.name, problems)
    return out


def load_allocation(rules_path: Path, shares_path: Path) -> Allocation:
    """The allocation of the two files (see :func:`read_rules`, :func:`read_shares`)."""
    return Allocation(tuple(read_rules(rules_path)), tuple(read_shares(shares_path)))


def _rows(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from enumerate(csv.DictReader(fh), start=2)
