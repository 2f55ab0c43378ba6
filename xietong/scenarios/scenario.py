"""Scenarios and their levers as YAML (``data/scenarios/*.yaml``), and the drivers file.

A scenario names levers; a lever changes the projected activity of the rows it matches from a
``start`` year, ramping linearly to full effect in the ``full`` year, times its ``strength``
(1 by default; 0 = no effect):

- ``scale``: amounts × (1 − ramp × strength × (1 − factor)) — e.g. ``factor: 0.9`` = 10 % less;
- ``shift``: a share of the amount moves to rows with the fields of ``to`` changed (activity,
  technology, control, subsector; ``parameters: ""`` clears row parameters); ``conversion:
  energy`` keeps the heat (amount × NCV_from / NCV_to), ``same`` keeps the amount;
- ``control``: a share of the amount moves to the control of ``to`` (e.g. ``ule``);
- ``emission_factor``: the factor behind ``substances`` of the matched rows × (1 − ramp ×
  strength × (1 − factor)) — e.g. a cleaner grid: ``match: {activity: electricity}``,
  ``substances: [CO2]``, ``factor: 0.8``. Emissions are linear in their factor, so the engine
  scales the emission and records the lever in the row's trace;
- ``cap``: the heat of the matched rows is held to at most ``factor`` × their heat in the base
  year (``factor: 1``: no growth); the excess × ramp × strength is taken from every matched row
  in proportion, removed, or moved to the rows with the fields of ``to`` changed (as
  ``shift``; ``conversion: energy`` keeps the heat) — e.g. a coal consumption cap.

``extends`` takes another scenario's levers; ``overrides`` changes fields of inherited levers.
Errors name the file, the key and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from xietong.datafiles import data_path
from xietong.errors import XietongError

KINDS = ("scale", "shift", "control", "emission_factor", "cap")
MATCH_FIELDS = ("sector", "subsector", "activity", "technology", "control", "district")


class ScenarioError(XietongError):
    """A scenario or drivers file is malformed: names the file, the key and the reason."""


@dataclass(frozen=True)
class Lever:
    """One change to activity from ``start``, full in ``full``, scaled by ``strength``."""

    id: str
    kind: str
    match: Mapping[str, tuple[str, ...]]
    exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    to: Mapping[str, str] = field(default_factory=dict)
    factor: float = 1.0
    substances: tuple[str, ...] = ()
    share: float = 0.0
    conversion: str = "same"
    start: int = 2025
    full: int = 2025
    strength: float = 1.0
    zh: str = ""
    en: str = ""
    basis: str = ""
    basis_zh: str = ""
    """The basis in Chinese, where the scenario file gives it."""

    def progress(self, year: int, since: int | None = None) -> float:
        """Fraction of full effect in ``year``: 0 before ``start``, linear, 1 from ``full``.
        With ``since`` (the projection's base year), only the part after it: the part of a
        lever done by the base year is in the history data, so a lever that began before it
        has less left to do (``docs/methods/scenarios.md``, "Levers")."""
        done = self._progress(since) if since is not None else 0.0
        return max(0.0, self._progress(year) - done)

    def _progress(self, year: int) -> float:
        if year < self.start:
            return 0.0
        if year >= self.full or self.full == self.start:
            return 1.0
        return (year - self.start + 1) / (self.full - self.start + 1)

    def ramp(self, year: int, since: int | None = None) -> float:
        """Effect in ``year``: :meth:`progress` (after ``since``) × strength."""
        return self.strength * self.progress(year, since)


@dataclass(frozen=True)
class Scenario:
    """A named set of levers."""

    id: str
    zh: str
    en: str
    levers: tuple[Lever, ...]
    description: str = ""
    description_zh: str = ""

    def without(self, *lever_ids: str) -> Scenario:
        """The scenario with some levers removed."""
        return replace(self, levers=tuple(lv for lv in self.levers if lv.id not in lever_ids))

    def only(self, lever_id: str) -> Scenario:
        """The scenario with one lever alone."""
        return replace(
            self,
            id=f"{self.id}:{lever_id}",
            levers=tuple(lv for lv in self.levers if lv.id == lever_id),
        )

    def with_strength(self, strengths: Mapping[str, float]) -> Scenario:
        """The scenario with some levers' strengths changed."""
        return replace(
            self,
            levers=tuple(
                replace(lv, strength=strengths.get(lv.id, lv.strength)) for lv in self.levers
            ),
        )


def _tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return (str(value),)


def _lever(raw: Any, where: str) -> Lever:
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"{where}: a lever must be a mapping")
    known = {f for f in Lever.__dataclass_fields__}
    unknown = set(raw) - known
    if unknown:
        raise ScenarioError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("id", "kind", "match"):
        if key not in raw:
            raise ScenarioError(f"{where}: key '{key}' is missing")
    if raw["kind"] not in KINDS:
        raise ScenarioError(
            f"{where}, key 'kind': '{raw['kind']}' is not one of {', '.join(KINDS)}"
        )
    for key in ("match", "exclude"):
        bad = set(raw.get(key) or {}) - set(MATCH_FIELDS)
        if bad:
            raise ScenarioError(f"{where}, key '{key}': unknown field(s) {', '.join(sorted(bad))}")
    try:
        lever = Lever(
            id=str(raw["id"]),
            kind=str(raw["kind"]),
            match={k: _tuple(v) for k, v in raw["match"].items()},
            exclude={k: _tuple(v) for k, v in (raw.get("exclude") or {}).items()},
            to={k: str(v) for k, v in (raw.get("to") or {}).items()},
            factor=float(raw.get("factor", 1.0)),
            substances=_tuple(raw["substances"]) if raw.get("substances") else (),
            share=float(raw.get("share", 0.0)),
            conversion=str(raw.get("conversion", "same")),
            start=int(raw.get("start", 2025)),
            full=int(raw.get("full", raw.get("start", 2025))),
            strength=float(raw.get("strength", 1.0)),
            zh=str(raw.get("zh", "")),
            en=str(raw.get("en", "")),
            basis=str(raw.get("basis", "")),
            basis_zh=str(raw.get("basis_zh", "")),
        )
    except (TypeError, ValueError) as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    if lever.full < lever.start:
        raise ScenarioError(f"{where}, key 'full': {lever.full} is before start {lever.start}")
    if lever.conversion not in ("same", "energy"):
        raise ScenarioError(f"{where}, key 'conversion': must be 'same' or 'energy'")
    if not 0 <= lever.share <= 1:
        raise ScenarioError(f"{where}, key 'share': {lever.share} is not in [0, 1]")
    if lever.factor < 0:
        raise ScenarioError(f"{where}, key 'factor': must not be negative")
    if lever.kind == "emission_factor" and not lever.substances:
        raise ScenarioError(f"{where}, key 'substances': an emission_factor lever names them")
    bad_to = set(lever.to) - {*MATCH_FIELDS, "parameters"}
    if bad_to:
        raise ScenarioError(
            f"{where}, key 'to': unknown field(s) {', '.join(sorted(bad_to))} (choose among "
            f"{', '.join(MATCH_FIELDS)}, parameters)"
        )
    if lever.kind in ("shift", "control") and not lever.to:
        raise ScenarioError(f"{where}, key 'to': a {lever.kind} lever needs a target")
    return lever


MAX_YAML_BYTES = 64 * 1024
"""The largest scenario file read (the shipped ones are under 10 KB)."""

MAX_DEPTH = 16
"""The deepest nesting of mappings and lists a scenario file may have."""

MAX_EXTENDS = 8
"""The longest chain of ``extends``."""

ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
"""A scenario id: what ``extends`` names (never a path)."""

_LONG_NUMBER = re.compile(r"[-+]?[0-9_.eE]{40,}")


def safe_yaml(text: str, name: str) -> object:
    """The YAML ``text`` of a scenario, refused (ScenarioError naming ``name``) when it is too
    large, uses anchors or aliases (whose expansion can cost any time and memory), nests deeper
    than :data:`MAX_DEPTH` or writes a number of 40 characters or more."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise ScenarioError(f"{name}: larger than {MAX_YAML_BYTES // 1024} KB")
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ScenarioError(f"{name}: anchors and aliases (&, *) are not accepted")
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ScenarioError(f"{name}: nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
            elif (
                isinstance(event, yaml.ScalarEvent)
                and event.implicit[0]
                and _LONG_NUMBER.fullmatch(event.value)
            ):
                raise ScenarioError(f"{name}: the number '{event.value[:20]}…' is too long")
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{name}: not valid YAML: {exc}") from None


def scenario_dir() -> Path:
    """The folder of the shipped scenarios."""
    return data_path("scenarios")


def load_scenario(
    name_or_path: str | Path,
    folder: Path | None = None,
    *,
    search: Sequence[Path] = (),
    _seen: tuple[str, ...] = (),
) -> Scenario:
    """A scenario by id (``baseline``, ``plan``, ``enhanced``) or path, with ``extends``
    resolved. An id is looked up in ``folder`` (default: the shipped scenarios), then in the
    ``search`` folders, then among the shipped scenarios; a parent named by ``extends`` is
    looked up in the child's folder first. ScenarioError names the file, key and reason (also
    for an ``extends`` loop)."""
    path = Path(name_or_path)
    if not path.suffix:
        folders = [folder or scenario_dir(), *search, scenario_dir()]
        path = next(
            (f / f"{name_or_path}.yaml" for f in folders if (f / f"{name_or_path}.yaml").exists()),
            folders[0] / f"{name_or_path}.yaml",
        )
    if not path.exists():
        raise ScenarioError(f"no scenario '{name_or_path}' ({path.name} not found)")
    ident = str(path.resolve())
    if ident in _seen:
        raise ScenarioError(f"{path.name}, key 'extends': the chain loops back to {path.name}")
    raw = safe_yaml(path.read_text(encoding="utf-8"), path.name)
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"{path.name}: a scenario must be a mapping")
    for key in ("id", "zh", "en"):
        if key not in raw:
            raise ScenarioError(f"{path.name}: key '{key}' is missing")
    inherited: list[Lever] = []
    if raw.get("extends"):
        if not isinstance(raw["extends"], str) or not ID.fullmatch(raw["extends"]):
            raise ScenarioError(
                f"{path.name}, key 'extends': a scenario id (like 'plan'), not "
                f"'{str(raw['extends'])[:40]}'"
            )
        if len(_seen) >= MAX_EXTENDS:
            raise ScenarioError(
                f"{path.name}, key 'extends': a chain longer than {MAX_EXTENDS} scenarios"
            )
        parent = load_scenario(
            str(raw["extends"]), path.parent, search=search, _seen=(*_seen, ident)
        )
        overrides = raw.get("overrides") or {}
        ids = {lv.id for lv in parent.levers}
        for lid in overrides:
            if lid not in ids:
                raise ScenarioError(
                    f"{path.name}, key 'overrides.{lid}': no such lever in {parent.id}"
                )
        for lv in parent.levers:
            changes = overrides.get(lv.id) or {}
            if changes:
                merged = {**_as_raw(lv), **changes}
                lv = _lever(merged, f"{path.name}, key 'overrides.{lv.id}'")
            inherited.append(lv)
    own = [
        _lever(entry, f"{path.name}, key 'levers[{i}]'")
        for i, entry in enumerate(raw.get("levers") or [])
    ]
    levers = inherited + own
    lever_ids = [lv.id for lv in levers]
    dupes = sorted({i for i in lever_ids if lever_ids.count(i) > 1})
    if dupes:
        raise ScenarioError(f"{path.name}, key 'levers': duplicate id(s) {', '.join(dupes)}")
    return Scenario(
        str(raw["id"]),
        str(raw["zh"]),
        str(raw["en"]),
        tuple(levers),
        str(raw.get("description", "")),
        str(raw.get("description_zh", "")),
    )


def _as_raw(lv: Lever) -> dict[str, Any]:
    return {
        "id": lv.id,
        "kind": lv.kind,
        "match": {k: list(v) for k, v in lv.match.items()},
        "exclude": {k: list(v) for k, v in lv.exclude.items()},
        "to": dict(lv.to),
        "factor": lv.factor,
        "substances": list(lv.substances),
        "share": lv.share,
        "conversion": lv.conversion,
        "start": lv.start,
        "full": lv.full,
        "strength": lv.strength,
        "zh": lv.zh,
        "en": lv.en,
        "basis": lv.basis,
        "basis_zh": lv.basis_zh,
    }


def shipped_scenarios() -> list[str]:
    """Ids of the shipped scenarios."""
    return sorted(p.stem for p in scenario_dir().glob("*.yaml") if p.stem != "drivers")


@dataclass(frozen=True)
class Calibration:
    """Where a calibrated elasticity comes from: the arc elasticity of the city statistic
    ``statistic`` against ``against`` between ``start`` and ``end``
    (:mod:`xietong.scenarios.calibration`)."""

    statistic: str
    against: str
    start: int
    end: int


@dataclass(frozen=True)
class DriverRule:
    """How matched activity follows a driver: ``(driver_y / driver_base) ** elasticity``."""

    match: Mapping[str, tuple[str, ...]]
    driver: str
    elasticity: float
    calibrated: Calibration | None = None
    """The calibration the elasticity was taken from, where the drivers file names one."""


def _calibration(raw: Any) -> Calibration | None:
    if raw is None:
        return None
    return Calibration(str(raw["statistic"]), str(raw["against"]), int(raw["from"]), int(raw["to"]))


@dataclass(frozen=True)
class Drivers:
    """Growth rates of the drivers by year and the activity rules, from the base year on."""

    base_year: int
    end_year: int
    rates: Mapping[str, Mapping[int, float]]
    rules: tuple[DriverRule, ...]
    basis: Mapping[str, str]
    growth_sd: Mapping[str, float] = field(default_factory=dict)
    """Monte Carlo: standard deviation of the shift of each driver's annual growth rate."""
    growth_range: Mapping[str, float] = field(default_factory=dict)
    """Sensitivity: ± bound of the shift of each driver's annual growth rate."""
    strength_range: tuple[float, float] = (1.0, 1.0)
    """Uncertainty runs: lever strengths between these fractions of the planned strength."""
    basis_zh: Mapping[str, str] = field(default_factory=dict)
    """The basis of each driver in Chinese, where the drivers file gives it."""

    def index(self, driver: str, year: int, shift: float = 0.0) -> float:
        """Driver level in ``year`` relative to the base year (base = 1); ``shift`` adds to
        every annual growth rate (for uncertainty runs)."""
        level = 1.0
        for y in range(self.base_year + 1, year + 1):
            level *= 1 + self.rates[driver].get(y, 0.0) + shift
        return level


def load_drivers(path: Path | None = None) -> Drivers:
    """The drivers file (default: the shipped one); ScenarioError names the key."""
    file = path or data_path("scenarios", "drivers.yaml")
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    try:
        base, end = int(raw["base_year"]), int(raw["end_year"])
        rates: dict[str, dict[int, float]] = {}
        basis: dict[str, str] = {}
        basis_zh: dict[str, str] = {}
        for name, spec in raw["drivers"].items():
            basis[name] = str(spec.get("basis", ""))
            basis_zh[name] = str(spec.get("basis_zh", ""))
            table: dict[int, float] = {}
            for r in spec["rates"]:
                for y in range(int(r["from"]), int(r["to"]) + 1):
                    table[y] = float(r["value"])
            rates[name] = table
        rules = tuple(
            DriverRule(
                {k: _tuple(v) for k, v in r["match"].items()},
                str(r["driver"]),
                float(r["elasticity"]),
                _calibration(r.get("calibrated")),
            )
            for r in raw["activity"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ScenarioError(f"{file.name}: {exc!r}") from None
    for rule in rules:
        if rule.driver not in rates:
            raise ScenarioError(f"{file.name}, key 'activity': unknown driver '{rule.driver}'")
    unc = raw.get("uncertainty") or {}
    try:
        growth_sd = {str(k): float(v) for k, v in (unc.get("growth_sd") or {}).items()}
        growth_range = {str(k): float(v) for k, v in (unc.get("growth_range") or {}).items()}
        lo, hi = (float(x) for x in unc.get("strength_range", (1.0, 1.0)))
    except (TypeError, ValueError) as exc:
        raise ScenarioError(f"{file.name}, key 'uncertainty': {exc}") from None
    for key, spread in (("growth_sd", growth_sd), ("growth_range", growth_range)):
        strangers = sorted(set(spread) - set(rates))
        if strangers:
            raise ScenarioError(
                f"{file.name}, key 'uncertainty.{key}': unknown driver(s) {', '.join(strangers)}"
            )
    return Drivers(
        base, end, rates, rules, basis, growth_sd, growth_range, (lo, hi), basis_zh=basis_zh
    )


def matches(fields: Mapping[str, str], match: Mapping[str, Sequence[str]]) -> bool:
    """Whether a row's fields satisfy every condition of ``match``."""
    return all(fields.get(k, "") in v for k, v in match.items())
