"""The plan's task ledger: every action of every measure as a task, checked against the plan.

A task is one action of a measure (the plan's 150 actions) or the goals of a year (two goal
tasks), quoted verbatim from the plan text, with the body that leads it and those that
cooperate, the districts that carry it out, its due date and how that date was read, how often
it is reported, and the milestones, targets and indicators it answers for. The ledger ships
beside the plan as ``<plan-id>-tasks.yaml`` (``xietong/data/plans/wuhan-2023-tasks.yaml``,
transcribed from ``wuhan-2023.source.txt``) and is found the way
:func:`xietong.plan.loader.load_plan` finds a plan: in ``$XIETONG_DATA_DIR/plans`` first, then
among the shipped plans.

:func:`load_task_ledger` refuses a ledger that does not fit its plan, naming the task and the
field: an unknown body, district, measure, milestone or target, an indicator that is not one of
the linked targets' indicators, a duplicate id, or a milestone claimed by two tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from xietong.errors import PlanError
from xietong.plan.loader import plan_dirs
from xietong.plan.models import Plan, Text

TASKS_SUFFIX = "-tasks.yaml"


class TaskLedgerError(PlanError, ValueError):
    """A task ledger is malformed or does not fit its plan (names the file, task and field)."""


class ReportCycle(StrEnum):
    """How often a task's progress is reported."""

    ANNUAL = "annual"
    QUARTERLY = "quarterly"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Task(_Frozen):
    """One action of a measure as a task (重点任务), or the plan's overall goals of a year as a
    task of no measure (``measure`` None).

    ``clause`` is the action quoted verbatim from the plan's source text; ``text`` a short
    title. ``lead`` answers for the task (the measure's lead; ``lead_basis`` says why where the
    measure names none) and ``cooperating`` are the other bodies. ``districts`` is ``"all"``
    where every district carries the task out, ``"none"`` where it is the city's alone, or the
    codes of the districts the clause confines it to. ``due`` is read from the clause or, where
    it gives no date, set by the rule that ``due_basis`` states. ``milestones`` and ``targets``
    are the ids the task answers for; ``indicators`` are the targets' indicators.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
    measure: int | None = Field(default=None, ge=1)
    """The measure the task belongs to; None for the plan's overall goals (主要目标)."""
    clause: str = Field(min_length=4)
    text: Text
    lead: str
    lead_basis: Text | None = None
    cooperating: list[str] = Field(default_factory=list)
    districts: Literal["all", "none"] | list[str]
    due: dt.date
    due_basis: Text
    cycle: ReportCycle = ReportCycle.ANNUAL
    milestones: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    indicators: list[str] = Field(default_factory=list)

    def involves(self, body: str) -> bool:
        """Whether ``body`` (a body code) leads the task or cooperates on it."""
        return body == self.lead or body in self.cooperating

    def covers(self, district: str) -> bool:
        """Whether ``district`` (a district code) carries the task out: every district does
        for ``"all"``, none for ``"none"``, else the districts listed.

        >>> t = Task(id="m01-8", measure=1, clause="支持武昌区试点", lead="drc",
        ...          text={"zh": "武昌区试点", "en": "Wuchang pilot"}, districts=["wuchang"],
        ...          due="2025-12-31",
        ...          due_basis={"zh": "原文未给日期", "en": "no date in the text"})
        >>> t.covers("wuchang"), t.covers("hongshan")
        (True, False)
        """
        if self.districts == "all":
            return True
        if self.districts == "none":
            return False
        return district in self.districts


class TaskLedger(_Frozen):
    """The tasks of a plan, in plan order, with look-ups by id, measure, body and district."""

    plan_id: str
    tasks: tuple[Task, ...]

    def task(self, task_id: str) -> Task:
        """The task with this id; KeyError if none."""
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise KeyError(task_id)

    def for_measure(self, number: int) -> tuple[Task, ...]:
        """The tasks of a measure, in plan order."""
        return tuple(t for t in self.tasks if t.measure == number)

    def for_body(self, code: str) -> tuple[Task, ...]:
        """The tasks a body leads or cooperates on, in plan order."""
        return tuple(t for t in self.tasks if t.involves(code))

    def for_district(self, code: str) -> tuple[Task, ...]:
        """The tasks a district carries out: those of every district and those naming it."""
        return tuple(t for t in self.tasks if t.covers(code))

    def for_milestone(self, milestone_id: str) -> Task:
        """The task a milestone belongs to; KeyError if none."""
        for t in self.tasks:
            if milestone_id in t.milestones:
                return t
        raise KeyError(milestone_id)


def find_task_file(plan: Plan) -> Path:
    """The ledger file of ``plan``: ``<plan-id>-tasks.yaml`` in the folders searched for plans
    (``$XIETONG_DATA_DIR/plans`` first, then the shipped ones); TaskLedgerError if none."""
    name = f"{plan.id}{TASKS_SUFFIX}"
    for folder in plan_dirs():
        path = folder / name
        if path.exists():
            return path
    searched = ", ".join(str(d) for d in plan_dirs())
    raise TaskLedgerError(f"no task ledger '{name}' for plan '{plan.id}' in {searched}")


def _parse_tasks(data: Any, source: str) -> list[Task]:
    """The tasks of a parsed ledger file; TaskLedgerError naming the task and field."""
    if not isinstance(data, Mapping) or not isinstance(data.get("tasks"), list):
        raise TaskLedgerError(f"{source}: a task ledger holds a mapping with a 'tasks' list")
    tasks: list[Task] = []
    problems: list[str] = []
    for index, entry in enumerate(data["tasks"]):
        name = entry.get("id", f"#{index + 1}") if isinstance(entry, Mapping) else f"#{index + 1}"
        try:
            tasks.append(Task.model_validate(entry))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(part) for part in err["loc"]) or "(entry)"
                problems.append(f"task '{name}', field '{field}': {err['msg']}")
    if problems:
        raise TaskLedgerError(f"{source}: " + "; ".join(problems))
    return tasks


def check_tasks(plan: Plan, tasks: list[Task] | tuple[Task, ...]) -> list[str]:
    """What in ``tasks`` does not fit ``plan``, one line per problem naming the task and field:
    unknown bodies, districts, measures, milestones (of the task's measure) and targets, targets
    of another measure, indicators other than the linked targets', duplicate ids, and
    milestones claimed by two tasks. Empty when the tasks fit."""
    problems: list[str] = []
    bodies = {b.code for b in plan.bodies}
    districts = {d.code for d in plan.districts}
    measures = {m.number: m for m in plan.measures}
    targets = {t.id: t for t in plan.targets}
    seen_ids: set[str] = set()
    claimed: dict[str, str] = {}
    for t in tasks:
        where = f"task '{t.id}'"
        if t.id in seen_ids:
            problems.append(f"{where}, field 'id': duplicate task id")
        seen_ids.add(t.id)
        for field, code in [("lead", t.lead), *(("cooperating", c) for c in t.cooperating)]:
            if code not in bodies:
                problems.append(f"{where}, field '{field}': unknown body '{code}'")
        if t.lead in t.cooperating:
            problems.append(f"{where}, field 'cooperating': lists the lead '{t.lead}'")
        if isinstance(t.districts, list):
            if not t.districts:
                problems.append(f"{where}, field 'districts': an empty list (use 'none')")
            for code in t.districts:
                if code not in districts:
                    problems.append(f"{where}, field 'districts': unknown district '{code}'")
        measure = measures.get(t.measure) if t.measure is not None else None
        if t.measure is not None and measure is None:
            problems.append(f"{where}, field 'measure': unknown measure {t.measure}")
        if t.measure is None and t.milestones:
            problems.append(f"{where}, field 'milestones': a goal task (no measure) has none")
        own = {ms.id for ms in measure.milestones} if measure is not None else set()
        for ms_id in t.milestones:
            if ms_id not in own:
                problems.append(
                    f"{where}, field 'milestones': unknown milestone '{ms_id}' "
                    f"(not of measure {t.measure})"
                )
            elif ms_id in claimed:
                problems.append(
                    f"{where}, field 'milestones': milestone '{ms_id}' already belongs to "
                    f"task '{claimed[ms_id]}'"
                )
            else:
                claimed[ms_id] = t.id
        expected: list[str] = []
        for target_id in t.targets:
            target = targets.get(target_id)
            if target is None:
                problems.append(f"{where}, field 'targets': unknown target '{target_id}'")
                continue
            if t.measure is None and target.measure is not None:
                problems.append(
                    f"{where}, field 'targets': target '{target_id}' belongs to measure "
                    f"{target.measure}, not to the plan's overall goals"
                )
            if target.measure is not None and t.measure is not None and target.measure != t.measure:
                problems.append(
                    f"{where}, field 'targets': target '{target_id}' belongs to measure "
                    f"{target.measure}, not {t.measure}"
                )
            if target.indicator_id not in expected:
                expected.append(target.indicator_id)
        for ind in t.indicators:
            if ind not in expected:
                problems.append(
                    f"{where}, field 'indicators': '{ind}' is not the indicator of a linked target"
                )
        for ind in expected:
            if ind not in t.indicators:
                problems.append(
                    f"{where}, field 'indicators': missing '{ind}', "
                    "the indicator of a linked target"
                )
    return problems


def parse_task_ledger(plan: Plan, data: Any, source: str) -> TaskLedger:
    """The ledger in ``data`` (parsed from YAML) checked against ``plan``; TaskLedgerError
    (a ValueError) naming ``source``, the task and the field otherwise."""
    tasks = _parse_tasks(data, source)
    declared = data.get("plan")
    if declared is not None and declared != plan.id:
        raise TaskLedgerError(f"{source}: the ledger is for plan '{declared}', not '{plan.id}'")
    problems = check_tasks(plan, tasks)
    if problems:
        raise TaskLedgerError(f"{source}: " + "; ".join(problems))
    return TaskLedger(plan_id=plan.id, tasks=tuple(tasks))


def load_task_ledger(plan: Plan, path: Path | None = None) -> TaskLedger:
    """Load the task ledger of ``plan`` from ``path`` or, by default, from
    ``<plan-id>-tasks.yaml`` beside the plan, and check it against the plan.

    >>> from xietong.plan.loader import load_plan
    >>> ledger = load_task_ledger(load_plan("wuhan-2023"))
    >>> len(ledger.tasks), ledger.task("m01-8").districts
    (152, ['wuchang'])
    """
    file = path if path is not None else find_task_file(plan)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TaskLedgerError(f"{file}: not valid YAML: {exc}") from exc
    return parse_task_ledger(plan, data, str(file))
