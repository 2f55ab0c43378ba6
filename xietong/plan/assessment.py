"""考核: the yearly score of each district and each body on the plan (plan clause 二十六), by a
scheme of criteria and weights in a data file (``data/assessment/scheme.yaml``,
``docs/methods/assessment.md``).

Each criterion turns what the platform holds into a fraction 0–1 for one unit and year:

- ``target_status``: the mean points (``status_points``) of the unit's targets by their status
  on 31 December — a body's targets are those it is answerable for (lead or measure body), a
  district's those that apply to it;
- ``ghg_status``: the same on the unit's targets fed by a GHG indicator (``ghg_indicators``);
- ``on_time``: the share of the unit's owed task reports of the year's periods submitted by the
  period's due date;
- ``evidence``: the share of owed reports accepted, 1 each when accepted at the first
  submission with evidence (an attachment or an evidence note), 0.5 otherwise.

The score of a criterion is ``weight × fraction``; a criterion with nothing to judge for a
unit (no target, no owed report) is left out and the weights of the others are scaled up to
the scheme's total, so units with different duties are scored on the same 100 points. A
target whose status rests on an estimate or demo figure is marked in the breakdown, never
judged silently. Units are ranked within their kind (district, body) by total, best first;
the change on the previous year is the difference of the totals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from xietong.datafiles import data_path
from xietong.errors import XietongError
from xietong.plan.progress import Assessment, Quality, Status

RULES = ("target_status", "ghg_status", "on_time", "evidence")
UnitKind = Literal["body", "district"]
ESTIMATED = frozenset({Quality.ESTIMATE, Quality.DEMO, Quality.ASSUMED})


class SchemeError(XietongError):
    """An assessment scheme file is malformed: names the file, the key and the reason."""


@dataclass(frozen=True)
class Criterion:
    """One criterion of the scheme: its rule and its weight (points)."""

    id: str
    zh: str
    en: str
    weight: float
    rule: str
    basis: str = ""
    basis_zh: str = ""


@dataclass(frozen=True)
class Scheme:
    """The criteria and weights, the points of each target status and the GHG indicators."""

    version: int
    edition: str
    criteria: tuple[Criterion, ...]
    status_points: Mapping[Status, float]
    ghg_indicators: frozenset[str]
    title_zh: str = ""
    title_en: str = ""

    @property
    def total(self) -> float:
        """The points of the whole scheme (the sum of the weights)."""
        return sum(c.weight for c in self.criteria)


def load_scheme(path: Path | None = None) -> Scheme:
    """The assessment scheme (default: the shipped one); SchemeError names a bad key."""
    file = path or data_path("assessment", "scheme.yaml")
    return _read_scheme(file, file.stat().st_mtime_ns)


@cache
def _read_scheme(file: Path, mtime_ns: int) -> Scheme:
    """The scheme file, read once per change of the file (it is read on every score)."""
    return parse_scheme_text(file.read_text(encoding="utf-8"), file.name)


def parse_scheme_text(text: str, name: str = "scheme.yaml") -> Scheme:
    """A scheme from its YAML ``text`` (an upload), refused like a scenario file when too
    large, with anchors or too deeply nested (SchemeError names the reason)."""
    from xietong.scenarios.scenario import ScenarioError, safe_yaml

    try:
        raw = safe_yaml(text, name)
    except ScenarioError as exc:
        raise SchemeError(str(exc)) from None
    return parse_scheme(raw, name)


def parse_scheme(raw: Any, name: str) -> Scheme:
    """A scheme from its parsed YAML ``raw`` (``name`` for the messages)."""
    if not isinstance(raw, Mapping):
        raise SchemeError(f"{name}: a scheme must be a mapping")
    for key in ("version", "criteria", "status_points"):
        if key not in raw:
            raise SchemeError(f"{name}: key '{key}' is missing")
    criteria = []
    seen: set[str] = set()
    for i, entry in enumerate(raw["criteria"] or []):
        where = f"{name}, key 'criteria[{i}]'"
        if not isinstance(entry, Mapping):
            raise SchemeError(f"{where}: a criterion must be a mapping")
        try:
            c = Criterion(
                str(entry["id"]),
                str(entry.get("zh", entry["id"])),
                str(entry.get("en", entry["id"])),
                float(entry["weight"]),
                str(entry["rule"]),
                str(entry.get("basis", "")),
                str(entry.get("basis_zh", "")),
            )
        except KeyError as exc:
            raise SchemeError(f"{where}: key {exc} is missing") from None
        except (TypeError, ValueError):
            raise SchemeError(f"{where}, key 'weight': a number") from None
        if c.rule not in RULES:
            raise SchemeError(f"{where}, key 'rule': '{c.rule}' is not one of {', '.join(RULES)}")
        if c.weight <= 0:
            raise SchemeError(f"{where}, key 'weight': must be positive")
        if c.id in seen:
            raise SchemeError(f"{where}, key 'id': '{c.id}' is used twice")
        seen.add(c.id)
        criteria.append(c)
    if not criteria:
        raise SchemeError(f"{name}, key 'criteria': at least one criterion")
    points: dict[Status, float] = {}
    for key, value in (raw["status_points"] or {}).items():
        try:
            status = Status(str(key))
            points[status] = float(value)
        except ValueError:
            raise SchemeError(
                f"{name}, key 'status_points.{key}': a status "
                f"({', '.join(s.value for s in Status)}) with a number 0–1"
            ) from None
        if not 0 <= points[status] <= 1:
            raise SchemeError(f"{name}, key 'status_points.{key}': between 0 and 1")
    title = raw.get("title") or {}
    try:
        version = int(raw["version"])
    except (TypeError, ValueError):
        raise SchemeError(f"{name}, key 'version': a whole number") from None
    return Scheme(
        version,
        str(raw.get("edition", "")),
        tuple(criteria),
        points,
        frozenset(str(i) for i in raw.get("ghg_indicators") or ()),
        str(title.get("zh", "")),
        str(title.get("en", "")),
    )


@dataclass(frozen=True)
class TargetItem:
    """A target in a unit's breakdown: its status on 31 December and the points it earns."""

    target_id: str
    indicator_id: str
    status: Status
    points: float
    estimated: bool
    """Whether the status rests on an estimate, a demo or an assumed figure."""


@dataclass(frozen=True)
class ReportItem:
    """An owed task report in a unit's breakdown."""

    period_id: str
    task_id: str
    due: dt.date
    submitted: dt.date | None
    accepted: bool
    first_time: bool
    """Accepted at the first submission (never returned)."""
    evidence: bool


@dataclass(frozen=True)
class UnitInput:
    """What the platform holds on one unit for one year."""

    kind: UnitKind
    code: str
    targets: Sequence[tuple[str, str, Assessment]] = ()
    """(target id, indicator id, status on 31 December) of the unit's targets."""
    reports: Sequence[ReportItem] = ()


@dataclass(frozen=True)
class CriterionScore:
    """One criterion for one unit: its fraction 0–1, its weight after rescaling and its
    points, or ``None`` when there was nothing to judge."""

    criterion: Criterion
    fraction: float | None
    weight: float
    points: float
    counted: int
    """How many targets or reports it judged."""
    detail: str


@dataclass(frozen=True)
class UnitScore:
    """A unit's score for a year, its breakdown and rank among its kind."""

    kind: UnitKind
    code: str
    year: int
    total: float
    criteria: tuple[CriterionScore, ...]
    targets: tuple[TargetItem, ...]
    reports: tuple[ReportItem, ...]
    rank: int = 0
    change: float | None = None
    """The change of the total on the previous year (points), where it was scored."""
    estimated: bool = False
    """Whether any target it was judged on rests on an estimate or demo figure."""

    @property
    def judged(self) -> bool:
        """Whether any criterion had something to judge (else it has no score and no rank)."""
        return any(c.fraction is not None for c in self.criteria)


def _target_items(unit: UnitInput, scheme: Scheme) -> list[TargetItem]:
    return [
        TargetItem(
            tid,
            indicator,
            a.status,
            scheme.status_points.get(a.status, 0.0),
            a.quality in ESTIMATED,
        )
        for tid, indicator, a in unit.targets
        if a.status is not Status.UNJUDGED
    ]


def _fraction(
    rule: str, targets: Sequence[TargetItem], reports: Sequence[ReportItem], scheme: Scheme
) -> tuple[float | None, int, str]:
    """The fraction 0–1 of one rule, how many items it judged and a one-line account."""
    if rule in ("target_status", "ghg_status"):
        items = [
            t for t in targets if rule == "target_status" or t.indicator_id in scheme.ghg_indicators
        ]
        if not items:
            return None, 0, "no target"
        got = sum(t.points for t in items)
        return got / len(items), len(items), f"{got:g} of {len(items)} target points"
    if not reports:
        return None, 0, "no report owed"
    if rule == "on_time":
        on_time = sum(1 for r in reports if r.submitted is not None and r.submitted <= r.due)
        return on_time / len(reports), len(reports), f"{on_time} of {len(reports)} on time"
    worth = sum((1.0 if r.first_time and r.evidence else 0.5) for r in reports if r.accepted)
    return worth / len(reports), len(reports), f"{worth:g} of {len(reports)} report points"


def score_unit(unit: UnitInput, year: int, scheme: Scheme) -> UnitScore:
    """The score of one unit for ``year`` by ``scheme`` (module docstring), rank unset."""
    targets = _target_items(unit, scheme)
    raw = [(c, *_fraction(c.rule, targets, unit.reports, scheme)) for c in scheme.criteria]
    judged = sum(c.weight for c, f, _, _ in raw if f is not None)
    scale = scheme.total / judged if judged else 0.0
    criteria = tuple(
        CriterionScore(
            c,
            f,
            c.weight * scale if f is not None else 0.0,
            c.weight * scale * f if f is not None else 0.0,
            n,
            detail,
        )
        for c, f, n, detail in raw
    )
    return UnitScore(
        unit.kind,
        unit.code,
        year,
        sum(s.points for s in criteria),
        criteria,
        tuple(targets),
        tuple(unit.reports),
        estimated=any(t.estimated for t in targets),
    )


def score_all(
    units: Sequence[UnitInput],
    year: int,
    scheme: Scheme,
    previous: Mapping[tuple[UnitKind, str], float] | None = None,
) -> list[UnitScore]:
    """Every unit's score for ``year``, ranked within its kind (ties share a rank), with the
    change on ``previous`` (total by (kind, code) of the year before, of the units judged
    then). A unit with nothing to judge has rank 0 and comes last."""
    scored = [score_unit(u, year, scheme) for u in units]
    out: list[UnitScore] = []
    for kind in ("district", "body"):
        group = sorted(
            (s for s in scored if s.kind == kind), key=lambda s: (not s.judged, -s.total, s.code)
        )
        rank, last = 0, None
        for i, s in enumerate(group, start=1):
            if not s.judged:
                rank = 0
            elif last is None or abs(s.total - last) > 1e-9:
                rank, last = i, s.total
            before = (previous or {}).get((s.kind, s.code)) if s.judged else None
            out.append(
                UnitScore(
                    s.kind,
                    s.code,
                    s.year,
                    s.total,
                    s.criteria,
                    s.targets,
                    s.reports,
                    rank,
                    None if before is None else s.total - before,
                    s.estimated,
                )
            )
    return out


@dataclass(frozen=True)
class Ranking:
    """A year's scores under one scheme version."""

    year: int
    scheme: Scheme
    scores: list[UnitScore] = field(default_factory=list)

    def of(self, kind: UnitKind) -> list[UnitScore]:
        """The scores of one kind, best first."""
        return [s for s in self.scores if s.kind == kind]
