"""The headline synergy degree (协同度) from the indicator system of
``data/synergy/indicator_system.yaml`` (``docs/methods/synergy.md``, "The headline synergy
degree").

Four subsystems — emissions, structure, environmental quality and co-control effect — after
CAEP's 减污降碳协同指数 (ISEC v1.0, 2022). Each indicator is scored against **fixed reference
values** with the efficacy-coefficient (功效系数) scale: its value in the reference year (the
plan's base year, 2020) scores the pass mark ``p`` (0.6) and its satisfactory value (a 2025 or
2030 target of the plan or the nation, a standard, or a stated expert anchor) scores 1:
``s = clip(p + (1 − p) × (x − x_ref)/(x_sat − x_ref), 0, 1)``. A score therefore never depends
on which other years are present, and no year scores 0 by construction. Subsystem scores are
weighted sums (expert weights of the file, or entropy weights over the years); the synergy
degree is the coupling coordination degree ``D`` of the subsystems
(:func:`xietong.synergy.coupling.coupling_n`). A year whose co-control coordinates say that
one of pollution and carbon rose while the grade reads 协调 carries a visible flag.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from xietong.datafiles import data_path
from xietong.synergy.coordinates import QUADRANT_ZH, Quadrant
from xietong.synergy.coupling import coupling_n, entropy_divergence, entropy_weights, grades
from xietong.units import convert

WEIGHTINGS = ("expert", "entropy")
"""How the indicators of a subsystem are weighted: the file's stated weights, or entropy
weights over the years scored."""

UNEVEN = (Quadrant.POLLUTANT_ONLY, Quadrant.CARBON_ONLY, Quadrant.BOTH_WORSE)
"""Quadrants in which one of pollution and carbon rose: a 协调 grade there is flagged."""

QUADRANT_EN = {
    Quadrant.POLLUTANT_ONLY: "pollution down, carbon up",
    Quadrant.CARBON_ONLY: "carbon down, pollution up",
    Quadrant.BOTH_WORSE: "both up",
}


@dataclass(frozen=True)
class Reference:
    """The fixed reference values an indicator is scored against: the reference-year value
    (or a fixed ``base_value``) scores the pass mark, the satisfactory value (``satisfactory``,
    absolute, or ``change`` relative to the base) scores 1."""

    kind: str
    basis: str
    satisfactory: float | None = None
    change: float | None = None
    base_value: float | None = None
    year: int | None = None

    def satisfactory_for(self, base: float) -> float:
        """The satisfactory value for a base value ``base``."""
        if self.satisfactory is not None:
            return self.satisfactory
        assert self.change is not None
        return base * (1 + self.change)


@dataclass(frozen=True)
class Indicator:
    """One indicator of the system: its subsystem, direction, expert weight and references."""

    id: str
    subsystem: str
    zh: str
    en: str
    unit: str
    direction: str
    weight: float
    reference: Reference | None = None
    scoring: str = "reference"


@dataclass(frozen=True)
class Subsystem:
    """A subsystem and its coordination weight β in ``T``."""

    id: str
    zh: str
    en: str
    weight: float


@dataclass(frozen=True)
class IndicatorSystem:
    """The subsystems, the indicators, the reference year and pass mark, and the co-control
    effect's class scores and full-score elasticity."""

    version: int
    reference_year: int
    pass_score: float
    subsystems: tuple[Subsystem, ...]
    indicators: tuple[Indicator, ...]
    class_scores: Mapping[str, float] = field(default_factory=dict)
    elasticity_full: float = 2.0
    elasticity_bonus: float = 0.2

    @property
    def base_year(self) -> int:
        """The reference year (the plan's base year)."""
        return self.reference_year

    def subsystem(self, name: str) -> tuple[Indicator, ...]:
        """Indicators of one subsystem."""
        return tuple(i for i in self.indicators if i.subsystem == name)

    def indicator(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, if the system has it."""
        return next((i for i in self.indicators if i.id == indicator_id), None)


def load_system(path: Path | None = None) -> IndicatorSystem:
    """The indicator system (default: the shipped one); ValueError names a bad entry. A file
    is read once per version (its path and modification time)."""
    file = path or data_path("synergy", "indicator_system.yaml")
    return _read_system(file, file.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _read_system(file: Path, mtime_ns: int) -> IndicatorSystem:
    raw: dict[str, Any] = yaml.safe_load(file.read_text(encoding="utf-8"))
    name = file.name
    subsystems = tuple(
        Subsystem(str(k), str(v["zh"]), str(v["en"]), float(v["weight"]))
        for k, v in (raw.get("subsystems") or {}).items()
    )
    known = {s.id for s in subsystems}
    items = []
    for n, entry in enumerate(raw.get("indicators", []), start=1):
        entry = dict(entry)
        ref = entry.pop("reference", None)
        try:
            reference = Reference(**ref) if ref is not None else None
            items.append(Indicator(**entry, reference=reference))
        except TypeError as exc:
            raise ValueError(f"{name}: indicator {n}: {exc}") from None
        ind = items[-1]
        if ind.subsystem not in known:
            raise ValueError(f"{name}: indicator {ind.id}: unknown subsystem {ind.subsystem}")
        if ind.direction not in ("positive", "negative"):
            raise ValueError(f"{name}: indicator {ind.id}: direction must be positive or negative")
        if ind.scoring not in ("reference", "direct"):
            raise ValueError(f"{name}: indicator {ind.id}: scoring must be reference or direct")
        if ind.scoring == "reference":
            _check_reference(name, ind)
    system = IndicatorSystem(
        int(raw["version"]),
        int(raw["reference_year"]),
        float(raw["pass_score"]),
        subsystems,
        tuple(items),
        {
            str(k): float(v)
            for k, v in (raw.get("co_control", {}).get("class_scores") or {}).items()
        },
        float(raw.get("co_control", {}).get("elasticity_full", 2.0)),
        float(raw.get("co_control", {}).get("elasticity_bonus", 0.2)),
    )
    if not 0 < system.pass_score < 1:
        raise ValueError(f"{name}: pass_score must lie in (0, 1)")
    if abs(sum(s.weight for s in subsystems) - 1) > 1e-9:
        raise ValueError(f"{name}: the subsystems' weights do not sum to 1")
    for sub in subsystems:
        total = sum(i.weight for i in system.subsystem(sub.id))
        if abs(total - 1) > 1e-9:
            raise ValueError(f"{name}: weights of subsystem {sub.id} sum to {total}, not 1")
    missing = {q.value for q in Quadrant} - set(system.class_scores)
    if missing:
        raise ValueError(f"{name}: co_control.class_scores lacks {', '.join(sorted(missing))}")
    return system


def _check_reference(name: str, ind: Indicator) -> None:
    ref = ind.reference
    if ref is None:
        raise ValueError(f"{name}: indicator {ind.id}: a reference is needed")
    if (ref.satisfactory is None) == (ref.change is None):
        raise ValueError(f"{name}: indicator {ind.id}: give satisfactory or change, not both")
    if ref.kind not in ("target", "standard", "expert"):
        raise ValueError(f"{name}: indicator {ind.id}: kind must be target, standard or expert")
    if ref.change is not None and (ref.change < 0) != (ind.direction == "negative"):
        raise ValueError(f"{name}: indicator {ind.id}: the change goes the wrong way")
    if ref.change == 0:
        raise ValueError(f"{name}: indicator {ind.id}: a change of 0 gives no scale")
    if ref.base_value is not None and ref.satisfactory is not None:
        better = _gain(ref.satisfactory, ref.base_value, ind.direction)
        if better <= 0:
            raise ValueError(
                f"{name}: indicator {ind.id}: the satisfactory value must be better than the base"
            )


def _gain(value: float, base: float, direction: str) -> float:
    return value - base if direction == "positive" else base - value


def score(value: float, base: float, indicator: Indicator, pass_score: float = 0.6) -> float:
    """Efficacy-coefficient score in [0, 1] of ``value``: the base value (the reference year's,
    or the reference's fixed ``base_value``) scores ``pass_score``, the satisfactory value 1,
    linear in between and beyond, clipped. ValueError when the satisfactory value is not
    better than the base (the scale has no direction). A ``direct`` indicator is its own
    score.

    >>> ref = Reference("target", "", change=-0.1)
    >>> i = Indicator("x", "emissions", "", "", "t", "negative", 1.0, ref)
    >>> score(100.0, 100.0, i), score(95.0, 100.0, i), score(90.0, 100.0, i)
    (0.6, 0.8, 1.0)
    >>> round(score(110.0, 100.0, i), 6)
    0.2
    """
    if indicator.scoring == "direct":
        return min(1.0, max(0.0, value))
    ref = indicator.reference
    assert ref is not None
    b = ref.base_value if ref.base_value is not None else base
    sat = ref.satisfactory_for(b)
    span = _gain(sat, b, indicator.direction)
    if span <= 0:
        raise ValueError(
            f"indicator {indicator.id}: the satisfactory value {sat:g} is not better than the "
            f"base value {b:g}: no scale"
        )
    y = pass_score + (1 - pass_score) * _gain(value, b, indicator.direction) / span
    return min(1.0, max(0.0, y))


def synergy_degree(
    values: pd.DataFrame,
    system: IndicatorSystem | None = None,
    *,
    weights: str = "expert",
    quadrants: Mapping[int, Sequence[tuple[str, str, Quadrant]]] | None = None,
) -> pd.DataFrame:
    """Synergy degree by year from indicator values (columns ``year, indicator_id, value,
    unit``; ids not in the system are ignored).

    An indicator scored against the reference year needs a value there; one that has none, or
    whose reference-year value already beats its satisfactory value (no scale), is missing in
    every year. A subsystem's score is the weighted mean of its indicators present
    that year (weights renormalised); a subsystem with none present is left out of ``C`` and
    ``T``, and ``missing`` names what is absent. Years with fewer than two subsystems are
    left out. ``quadrants`` gives each year's co-control coordinates (label zh, label en,
    quadrant) for the consistency flag.

    Columns: year, ``u_<subsystem>`` (NaN where absent), c, t, d, grade, grade_zh, grade_en,
    index (= T), subsystems (how many entered), complete, missing, consistent, flag_zh,
    flag_en.
    """
    sys_ = system or load_system()
    if weights not in WEIGHTINGS:
        raise ValueError(f"weights '{weights}': choose {' or '.join(WEIGHTINGS)}")
    table: dict[tuple[int, str], float] = {}
    for year, ind_id, value, unit in values[["year", "indicator_id", "value", "unit"]].itertuples(
        index=False
    ):
        ind = sys_.indicator(str(ind_id))
        if ind is not None and value is not None and math.isfinite(float(value)):
            table[(int(year), ind.id)] = convert(float(value), str(unit), ind.unit)
    years = sorted({y for y, _ in table})
    ref_year = sys_.reference_year
    no_base = {
        i.id
        for i in sys_.indicators
        if i.scoring == "reference"
        and i.reference is not None
        and i.reference.base_value is None
        and (ref_year, i.id) not in table
    }
    for i in sys_.indicators:
        ref = i.reference
        if i.scoring == "reference" and ref is not None and i.id not in no_base:
            b = ref.base_value if ref.base_value is not None else table.get((ref_year, i.id))
            if b is not None and _gain(ref.satisfactory_for(b), b, i.direction) <= 0:
                no_base.add(i.id)  # the reference year already beats the satisfactory value
    scores: dict[tuple[int, str], float] = {}
    for (year, ind_id), value in table.items():
        if ind_id in no_base:
            continue
        ind = sys_.indicator(ind_id)
        assert ind is not None
        base = table.get((ref_year, ind_id), math.nan)
        scores[(year, ind_id)] = score(value, base, ind, sys_.pass_score)
    used = _weights(sys_, scores, years, weights)
    rows = []
    for year in years:
        u: dict[str, float] = {}
        missing: list[str] = []
        for sub in sys_.subsystems:
            present = [i for i in sys_.subsystem(sub.id) if (year, i.id) in scores]
            missing += [i.id for i in sys_.subsystem(sub.id) if (year, i.id) not in scores]
            total_w = sum(used[i.id] for i in present)
            if present and total_w > 0:
                u[sub.id] = sum(used[i.id] * scores[(year, i.id)] for i in present) / total_w
        if len(u) < 2:
            continue
        entered = [s for s in sys_.subsystems if s.id in u]
        c = coupling_n([u[s.id] for s in entered], [s.weight for s in entered])
        flag_zh, flag_en = _flag(year, c.grade, c.grade_zh, c.grade_en, (quadrants or {}).get(year))
        rows.append(
            {
                "year": year,
                **{f"u_{s.id}": u.get(s.id, math.nan) for s in sys_.subsystems},
                "c": c.c,
                "t": c.t,
                "d": c.d,
                "grade": c.grade,
                "grade_zh": c.grade_zh,
                "grade_en": c.grade_en,
                "index": c.t,
                "subsystems": len(entered),
                "complete": not missing,
                "missing": ", ".join(missing),
                "consistent": not flag_en,
                "flag_zh": flag_zh,
                "flag_en": flag_en,
                **{f"w:{k}": w for k, w in used.items()},
            }
        )
    if not rows:
        raise ValueError(
            f"no year has two subsystems scored (the reference year {ref_year} must give the "
            "indicators scored against it)"
        )
    return pd.DataFrame(rows)


def _weights(
    system: IndicatorSystem,
    scores: Mapping[tuple[int, str], float],
    years: Sequence[int],
    weights: str,
) -> dict[str, float]:
    """The weight of each indicator within its subsystem: the stated expert weights, or the
    entropy weights of the scores, each indicator's divergence ``1 − e`` taken over the years
    in which it is scored (at least two; fewer carry no information). A subsystem none of
    whose indicators has two scored years, or whose scores never vary, keeps its expert
    weights."""
    out = {i.id: i.weight for i in system.indicators}
    if weights == "expert":
        return out
    for sub in system.subsystems:
        divergence = {}
        for ind in system.subsystem(sub.id):
            column = [scores[(y, ind.id)] for y in years if (y, ind.id) in scores]
            divergence[ind.id] = entropy_divergence(column) if len(column) >= 2 else 0.0
        total = sum(divergence.values())
        if total > 0:
            out.update({k: v / total for k, v in divergence.items()})
    return out


def coordinated_grade() -> int:
    """The first grade whose name says 协调 (勉强协调, D ≥ 0.5 in the shipped bands of
    ``data/synergy/coupling_grades.csv``)."""
    return min(grade for _, _, grade, zh, _ in grades() if zh.endswith("协调"))


def _flag(
    year: int,
    grade: int,
    grade_zh: str,
    grade_en: str,
    coordinates: Sequence[tuple[str, str, Quadrant]] | None,
) -> tuple[str, str]:
    """The consistency flag of a year: its grade reads 协调 while a coordinate of the year says
    that pollution or carbon rose ('' when consistent)."""
    if grade < coordinated_grade() or not coordinates:
        return "", ""
    bad = [(zh, en, q) for zh, en, q in coordinates if q in UNEVEN]
    if not bad:
        return "", ""
    zh = "；".join(f"{label}为{QUADRANT_ZH[q]}" for label, _, q in bad)
    en = "; ".join(f"{label} {QUADRANT_EN[q]}" for _, label, q in bad)
    return (
        f"需复核：{year}年协同度等级为「{grade_zh}」，但减污降碳坐标显示{zh}",
        f"check: {year} is graded '{grade_en}' while the co-control coordinates show {en}",
    )


def coupling_panel(
    values: pd.DataFrame,
    system: IndicatorSystem | None = None,
    *,
    weights: str = "entropy",
) -> pd.DataFrame:
    """Coupling coordination of a panel (years, or districts in one year: the ``year`` column
    names the unit) with the textbook normalisation: min–max over the panel (positive
    ``(x − min)/(max − min)``, negative ``(max − x)/(max − min)``) and, with
    ``weights="entropy"``, entropy weights per subsystem (``"expert"``: the system's weights),
    over the subsystems whose indicators every unit has. Unlike :func:`synergy_degree` the
    scores move when a unit is added: use it for a cross-section and comparisons with the
    literature, not for the headline series. Columns: unit, ``u_<subsystem>``, c, t, d,
    grade, grade_zh, grade_en, and the weights used (``w:<indicator>``)."""
    from xietong.synergy.coupling import normalise

    if weights not in WEIGHTINGS:
        raise ValueError(f"weights '{weights}': choose {' or '.join(WEIGHTINGS)}")
    sys_ = system or load_system()
    table: dict[tuple[int, str], float] = {}
    for y, i, v, unit in values[["year", "indicator_id", "value", "unit"]].itertuples(index=False):
        ind = sys_.indicator(str(i))
        if ind is not None:
            table[(int(y), ind.id)] = convert(float(v), str(unit), ind.unit)
    units = sorted({y for y, _ in table})
    u_by: dict[str, list[float]] = {}
    used: dict[str, float] = {}
    for sub in sys_.subsystems:
        inds = [i for i in sys_.subsystem(sub.id) if all((y, i.id) in table for y in units)]
        if not inds:
            continue
        cols = [
            normalise([table[(y, ind.id)] for y in units], ind.direction == "positive")
            for ind in inds
        ]
        matrix = [[col[r] for col in cols] for r in range(len(units))]
        if weights == "entropy":
            w = entropy_weights(matrix)
        else:
            total = sum(i.weight for i in inds)
            w = [i.weight / total for i in inds]
        used.update({f"w:{ind.id}": wj for ind, wj in zip(inds, w, strict=True)})
        u_by[sub.id] = [min(1.0, sum(wj * row[j] for j, wj in enumerate(w))) for row in matrix]
    entered = [s for s in sys_.subsystems if s.id in u_by]
    if len(entered) < 2:
        raise ValueError("a panel needs two subsystems whose indicators every unit has")
    rows = []
    for r, unit in enumerate(units):
        c = coupling_n([u_by[s.id][r] for s in entered], [s.weight for s in entered])
        rows.append(
            {
                "unit": unit,
                **{f"u_{s.id}": u_by[s.id][r] for s in entered},
                "c": c.c,
                "t": c.t,
                "d": c.d,
                "grade": c.grade,
                "grade_zh": c.grade_zh,
                "grade_en": c.grade_en,
                **used,
            }
        )
    return pd.DataFrame(rows)
