"""Load a plan from its YAML file and validate it, failing with the file, entry and field named.

Plans ship under ``xietong/data/plans/<plan-id>.yaml``; another city's plan loads from its own
file with no code change (``load_plan(path)``), or from ``$XIETONG_DATA_DIR/plans/``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from xietong.errors import PlanError
from xietong.plan.models import Plan

DEFAULT_PLAN_ID = "wuhan-2023"


def plan_dirs() -> list[Path]:
    """Folders searched for ``<plan-id>.yaml``: ``$XIETONG_DATA_DIR/plans`` first, then shipped."""
    dirs: list[Path] = []
    extra = os.environ.get("XIETONG_DATA_DIR")
    if extra:
        dirs.append(Path(extra) / "plans")
    dirs.append(Path(str(resources.files("xietong") / "data" / "plans")))
    return dirs


def find_plan_file(plan: str) -> Path:
    """The YAML file of a plan given by id or by path; PlanError if there is none."""
    candidate = Path(plan)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        return candidate
    for folder in plan_dirs():
        path = folder / f"{plan}.yaml"
        if path.exists():
            return path
    searched = ", ".join(str(d) for d in plan_dirs())
    raise PlanError(f"no plan '{plan}': not a YAML file and not found in {searched}")


def _entry_name(data: Any, loc: tuple[int | str, ...]) -> str:
    """Describe the entry a validation error points at, e.g. ``targets[3] (id 'coal-share')``."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            node = node[key]
            label = f"[{key}]"
            if isinstance(node, dict):
                ident = node.get("id", node.get("code", node.get("number")))
                if ident is not None:
                    label += f" ({ident})"
            parts.append(label)
        elif isinstance(node, dict) and key in node:
            node = node[key]
            parts.append(f".{key}" if parts else str(key))
        else:
            parts.append(f".{key}" if parts else str(key))
    return "".join(parts) or "(top level)"


def parse_plan(data: Any, source: str) -> Plan:
    """Validate a plan mapping (already parsed from YAML); PlanError names source, entry, field."""
    if not isinstance(data, dict):
        raise PlanError(f"{source}: a plan file must hold a mapping at the top level")
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = _entry_name(data, tuple(err["loc"]))
            lines.append(f"{source}: {where}: {err['msg']}")
        raise PlanError("\n".join(lines)) from exc


def load_plan(plan: str | Path = DEFAULT_PLAN_ID) -> Plan:
    """Load and validate a plan by id (e.g. ``"wuhan-2023"``) or by path to its YAML file.

    >>> plan = load_plan("wuhan-2023")
    >>> len(plan.measures)
    26
    """
    path = find_plan_file(str(plan))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PlanError(f"{path}: not valid YAML: {exc}") from exc
    return parse_plan(data, str(path))


def with_assigned_goals(plan: Plan, goals: Mapping[str, tuple[float, str]]) -> Plan:
    """The plan with the figures entered for its assigned goals (target id → (value, source));
    targets the plan gives a figure for keep it."""
    if not goals:
        return plan
    targets = [
        t.model_copy(update={"value": goals[t.id][0], "goal_source": goals[t.id][1]})
        if t.id in goals and t.goal_assigned_by is not None
        else t
        for t in plan.targets
    ]
    return plan.model_copy(update={"targets": targets})
