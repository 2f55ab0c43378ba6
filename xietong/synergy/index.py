"""The headline synergy degree (协同度) and the synergy index, from an indicator system kept in
``data/synergy/indicator_system.yaml`` (``docs/methods/synergy.md``).

Each indicator of a unit (the city in a year, or a district) is scored against its value in
the system's base year: for a negative indicator ``s = clip((x_base − x)/(x_base × r_full), 0, 1)``,
for a positive one ``s = clip((x − x_base)/(x_base × r_full), 0, 1)``, where ``r_full`` is the
change that earns full marks. Scores therefore never depend on which other years are present,
and the series stays stable as years are added. Subsystem scores ``U_pollution`` and
``U_carbon`` are weighted sums; the synergy degree is their coupling coordination degree ``D``
(:func:`xietong.synergy.coupling.coupling`). The synergy index, used for ranking, is the
weighted mean of the subsystem scores with the system's ``index_weights``, including the
governance subsystem (indicators scored on absolute bounds, e.g. the share of plan targets
achieved or on track) where its values are given; without them the weights of pollution and
carbon are renormalised.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from xietong.datafiles import data_path
from xietong.synergy.coupling import coupling
from xietong.units import convert


@dataclass(frozen=True)
class Indicator:
    """One indicator of the system: its subsystem, direction, weight and full-score change."""

    id: str
    subsystem: str
    zh: str
    en: str
    unit: str
    direction: str
    weight: float
    full_score_reduction: float = 0.5
    scoring: str = "base_year"
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class IndicatorSystem:
    """The indicators, the base year, the coupling weights α, β and the weights of the
    subsystems in the synergy index."""

    base_year: int
    alpha: float
    beta: float
    indicators: tuple[Indicator, ...]
    index_weights: Mapping[str, float] = field(
        default_factory=lambda: {"pollution": 0.5, "carbon": 0.5}
    )

    def subsystem(self, name: str) -> tuple[Indicator, ...]:
        """Indicators of one subsystem (``pollution`` or ``carbon``)."""
        return tuple(i for i in self.indicators if i.subsystem == name)


def load_system(path: Path | None = None) -> IndicatorSystem:
    """The indicator system (default: the shipped one); ValueError names a bad entry. A file
    is read once per version (its path and modification time)."""
    file = path or data_path("synergy", "indicator_system.yaml")
    return _read_system(file, file.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _read_system(file: Path, mtime_ns: int) -> IndicatorSystem:
    raw: dict[str, Any] = yaml.safe_load(file.read_text(encoding="utf-8"))
    items = []
    for n, entry in enumerate(raw.get("indicators", []), start=1):
        try:
            items.append(Indicator(**entry))
        except TypeError as exc:
            raise ValueError(f"{file.name}: indicator {n}: {exc}") from None
        if entry.get("scoring", "base_year") == "absolute" and (
            entry.get("low") is None or entry.get("high") is None
        ):
            raise ValueError(
                f"{file.name}: indicator {entry['id']}: absolute scoring needs low and high"
            )
        if entry["direction"] not in ("positive", "negative"):
            raise ValueError(
                f"{file.name}: indicator {entry['id']}: direction must be positive or negative"
            )
    index_weights = {str(k): float(v) for k, v in (raw.get("index_weights") or {}).items()}
    system = IndicatorSystem(
        int(raw["base_year"]),
        float(raw["alpha"]),
        float(raw["beta"]),
        tuple(items),
        index_weights or {"pollution": 0.5, "carbon": 0.5},
    )
    for sub in sorted({i.subsystem for i in items}):
        total = sum(i.weight for i in system.subsystem(sub))
        if abs(total - 1) > 1e-9:
            raise ValueError(f"{file.name}: weights of subsystem {sub} sum to {total}, not 1")
    return system


def score(value: float, base: float, indicator: Indicator) -> float:
    """Score in [0, 1] of ``value`` against the base-year value ``base``.

    >>> i = Indicator("x", "carbon", "", "", "t", "negative", 1.0, 0.5)
    >>> score(75.0, 100.0, i)
    0.5
    """
    if indicator.scoring == "absolute" and indicator.low is not None and indicator.high is not None:
        span = indicator.high - indicator.low
        y = (value - indicator.low) / span if span else 1.0
        y = y if indicator.direction == "positive" else 1 - y
        return min(1.0, max(0.0, y))
    if base == 0:
        return 0.0
    change = (base - value) if indicator.direction == "negative" else (value - base)
    return min(1.0, max(0.0, change / (abs(base) * indicator.full_score_reduction)))


def synergy_degree(values: pd.DataFrame, system: IndicatorSystem | None = None) -> pd.DataFrame:
    """Synergy degree by year from indicator values (columns ``year, indicator_id, value,
    unit``); the base year must be present. Columns of the result: year, u_pollution,
    u_carbon, u_governance (NaN where not given), c, t, d, grade, grade_zh, grade_en, index."""
    sys_ = system or load_system()
    table: dict[tuple[int, str], tuple[float, str]] = {}
    for year, ind, value, unit in values[["year", "indicator_id", "value", "unit"]].itertuples(
        index=False
    ):
        table[(int(year), str(ind))] = (float(value), str(unit))
    rows = []
    years = sorted({y for y, _ in table})
    core = [i for i in sys_.indicators if i.subsystem in ("pollution", "carbon")]
    missing = [i.id for i in core if (sys_.base_year, i.id) not in table]
    if missing:
        raise ValueError(f"base year {sys_.base_year} lacks indicator(s): {', '.join(missing)}")
    for year in years:
        u: dict[str, float] = {}
        for sub in ("pollution", "carbon"):
            total = 0.0
            for ind in sys_.subsystem(sub):
                if (year, ind.id) not in table:
                    raise ValueError(f"{year} lacks indicator {ind.id}")
                total += ind.weight * score(
                    _value(table, year, ind), _value(table, sys_.base_year, ind), ind
                )
            u[sub] = total
        governance = sys_.subsystem("governance")
        if governance and all((year, i.id) in table for i in governance):
            u["governance"] = sum(
                i.weight * score(_value(table, year, i), _value(table, year, i), i)
                for i in governance
            )
        weights = {k: w for k, w in sys_.index_weights.items() if k in u}
        index = sum(w * u[k] for k, w in weights.items()) / sum(weights.values())
        c = coupling(u["pollution"], u["carbon"], sys_.alpha, sys_.beta)
        rows.append(
            {
                "year": year,
                "u_pollution": u["pollution"],
                "u_carbon": u["carbon"],
                "u_governance": u.get("governance", math.nan),
                "c": c.c,
                "t": c.t,
                "d": c.d,
                "grade": c.grade,
                "grade_zh": c.grade_zh,
                "grade_en": c.grade_en,
                "index": index,
            }
        )
    return pd.DataFrame(rows)


def _value(table: Mapping[tuple[int, str], tuple[float, str]], year: int, ind: Indicator) -> float:
    value, unit = table[(year, ind.id)]
    return convert(value, unit, ind.unit)


def coupling_panel(
    values: pd.DataFrame,
    system: IndicatorSystem | None = None,
    *,
    weights: str = "entropy",
) -> pd.DataFrame:
    """Coupling coordination of a panel (years, or districts in one year: the ``year`` column
    names the unit) with the textbook normalisation: min–max over the panel (positive
    ``(x − min)/(max − min)``, negative ``(max − x)/(max − min)``) and, with
    ``weights="entropy"``, entropy weights per subsystem (``"given"``: the system's weights).
    Unlike :func:`synergy_degree` the scores move when a unit is added: use it for a
    cross-section, not for the headline series. Columns: unit, u_pollution, u_carbon, c, t, d,
    grade, grade_zh, grade_en, and the weights used (``w:<indicator>``)."""
    from xietong.synergy.coupling import entropy_weights, normalise

    if weights not in ("entropy", "given"):
        raise ValueError("weights must be 'entropy' or 'given'")
    sys_ = system or load_system()
    table = {
        (int(y), str(i)): convert(float(v), str(u), _unit_of(sys_, str(i)))
        for y, i, v, u in values[["year", "indicator_id", "value", "unit"]].itertuples(index=False)
        if _unit_of(sys_, str(i))
    }
    units = sorted({y for y, _ in table})
    u_by: dict[str, list[float]] = {}
    used: dict[str, float] = {}
    for sub in ("pollution", "carbon"):
        inds = sys_.subsystem(sub)
        for ind in inds:
            missing = [y for y in units if (y, ind.id) not in table]
            if missing:
                raise ValueError(f"{ind.id} missing for {missing}")
        cols = [
            normalise([table[(y, ind.id)] for y in units], ind.direction == "positive")
            for ind in inds
        ]
        matrix = [[col[r] for col in cols] for r in range(len(units))]
        w = entropy_weights(matrix) if weights == "entropy" else [i.weight for i in inds]
        used.update({f"w:{ind.id}": wj for ind, wj in zip(inds, w, strict=True)})
        u_by[sub] = [sum(wj * row[j] for j, wj in enumerate(w)) for row in matrix]
    rows = []
    for r, unit in enumerate(units):
        c = coupling(
            min(1.0, u_by["pollution"][r]), min(1.0, u_by["carbon"][r]), sys_.alpha, sys_.beta
        )
        rows.append(
            {
                "unit": unit,
                "u_pollution": c.u1,
                "u_carbon": c.u2,
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


def _unit_of(system: IndicatorSystem, indicator_id: str) -> str:
    return next((i.unit for i in system.indicators if i.id == indicator_id), "")
