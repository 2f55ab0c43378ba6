"""The task ledger: one task per action of the Wuhan plan, quoted from the text, linked to the
plan's milestones and targets, and refused with the task named where it does not fit the plan."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from xietong.plan.loader import load_plan
from xietong.plan.models import Plan
from xietong.plan.tasks import (
    ReportCycle,
    Task,
    TaskLedger,
    TaskLedgerError,
    find_task_file,
    load_task_ledger,
    parse_task_ledger,
)

PLANS = Path(__file__).resolve().parents[2] / "xietong" / "data" / "plans"
SOURCE_TEXT = (PLANS / "wuhan-2023.source.txt").read_text(encoding="utf-8")
TASKS_YAML = PLANS / "wuhan-2023-tasks.yaml"
DEFAULT_DUE_BASIS = "原文未给日期; 取方案目标年2025年"


@pytest.fixture(scope="module")
def wuhan() -> Plan:
    return load_plan()


@pytest.fixture(scope="module")
def ledger(wuhan: Plan) -> TaskLedger:
    return load_task_ledger(wuhan)


# -- the shipped ledger against the plan and its text ----------------------------------------


def test_the_ledger_is_found_beside_the_plan_and_loads(wuhan: Plan, ledger: TaskLedger) -> None:
    assert find_task_file(wuhan).resolve() == TASKS_YAML.resolve()
    assert ledger.plan_id == "wuhan-2023"
    assert len(ledger.tasks) == 152  # 150 actions of the measures and the 2 goal tasks


def test_one_task_per_action_in_plan_order(wuhan: Plan, ledger: TaskLedger) -> None:
    expected = [
        (f"m{m.number:02d}-{k}", m.number, action.zh)
        for m in wuhan.measures
        for k, action in enumerate(m.actions, start=1)
    ]
    assert len(expected) == 150
    actions = [t for t in ledger.tasks if t.measure is not None]
    assert [(t.id, t.measure) for t in actions] == [(i, n) for i, n, _ in expected]
    for t, (_, _, action) in zip(actions, expected, strict=True):
        assert t.clause in action or action in t.clause, t.id
    for m in wuhan.measures:
        assert len(ledger.for_measure(m.number)) == len(m.actions)


def test_every_overall_goal_is_on_a_goal_task(wuhan: Plan, ledger: TaskLedger) -> None:
    """The targets of the plan's overall goals (no measure) are reported through the two goal
    tasks, which quote the goals (二、主要目标) and come first, as the goals do in the plan;
    each is led by the body that leads most of its targets, the others cooperate."""
    goals = [t for t in ledger.tasks if t.measure is None]
    assert [t.id for t in goals] == ["g-2025", "g-2030"] == [t.id for t in ledger.tasks[:2]]
    on_goal_tasks = {tid for t in goals for tid in t.targets}
    assert on_goal_tasks == {t.id for t in wuhan.targets if t.measure is None}
    assert len(on_goal_tasks) == 12
    for task in goals:
        assert task.clause.startswith("到20") and task.milestones == []
        leads = [wuhan.target(tid).lead for tid in task.targets]
        assert task.lead == max(set(leads), key=leads.count)
        assert set(leads) - {task.lead} <= set(task.cooperating)


def test_a_goal_task_takes_no_milestone_and_no_target_of_a_measure(wuhan: Plan) -> None:
    base = {
        "id": "g-x",
        "clause": "到2025年,减污降碳协同推进的工作格局基本形成",
        "text": {"zh": "目标", "en": "goals"},
        "lead": "eeb",
        "districts": "none",
        "due": "2025-12-31",
        "due_basis": {"zh": "「到2025年」", "en": "by 2025"},
    }
    for extra, field in (
        ({"milestones": ["ghg-in-assessment"]}, "milestones"),
        (
            {"targets": ["new-energy-bus-share"], "indicators": ["new_energy_bus_share_new"]},
            "targets",
        ),
    ):
        with pytest.raises(TaskLedgerError, match=f"field '{field}'"):
            parse_task_ledger(wuhan, {"plan": "wuhan-2023", "tasks": [base | extra]}, "t.yaml")


def test_every_clause_is_quoted_verbatim_from_the_source_text(ledger: TaskLedger) -> None:
    missing = [t.id for t in ledger.tasks if t.clause not in SOURCE_TEXT]
    assert missing == []


def test_titles_are_short_and_bilingual(ledger: TaskLedger) -> None:
    for t in ledger.tasks:
        assert 0 < len(t.text.zh) <= 30, t.id
        assert t.text.en and t.text.en != t.text.zh, t.id


def test_every_milestone_belongs_to_exactly_one_task_of_its_measure(
    wuhan: Plan, ledger: TaskLedger
) -> None:
    milestones = wuhan.milestones()
    assert len(milestones) == 64
    for measure, ms in milestones:
        owners = [t for t in ledger.tasks if ms.id in t.milestones]
        assert len(owners) == 1, ms.id
        assert owners[0].measure == measure.number, ms.id
        assert ms.clause in owners[0].clause, ms.id
        assert ledger.for_milestone(ms.id) == owners[0]


def test_every_target_of_a_measure_is_linked_to_a_task_of_that_measure(
    wuhan: Plan, ledger: TaskLedger
) -> None:
    for target in wuhan.targets:
        if target.measure is None:
            continue
        tasks = [t for t in ledger.for_measure(target.measure) if target.id in t.targets]
        assert tasks, target.id
        # the target's sentence is quoted in one of its tasks
        assert any(target.source_sentence in t.clause for t in tasks), target.id


def test_indicators_are_those_of_the_linked_targets(wuhan: Plan, ledger: TaskLedger) -> None:
    linked = 0
    for t in ledger.tasks:
        assert set(t.indicators) == {wuhan.target(i).indicator_id for i in t.targets}, t.id
        linked += bool(t.targets)
    assert linked >= 20
    assert ledger.task("m04-6").indicators == ["coal_share_energy", "natural_gas_consumption"]


def test_leads_follow_the_measure_and_say_why_where_it_names_none(
    wuhan: Plan, ledger: TaskLedger
) -> None:
    leaderless = [m.number for m in wuhan.measures if m.lead is None]
    assert leaderless == [24, 25, 26]
    for t in ledger.tasks:
        if t.measure is None:  # a goal task: test_every_overall_goal_is_on_a_goal_task
            assert t.lead_basis, t.id
            continue
        measure = wuhan.measure(t.measure)
        if measure.lead is None:
            assert t.lead == "eeb" and t.lead_basis, t.id
        else:
            assert t.lead == measure.lead and t.lead_basis is None, t.id
            assert t.cooperating == [c for c in measure.cooperating if c != t.lead], t.id


def test_due_dates_follow_the_text_or_the_stated_rule(ledger: TaskLedger) -> None:
    for t in ledger.tasks:
        for phrase in re.findall("「(.*?)」", t.due_basis.zh):
            assert phrase in t.clause, (t.id, phrase)
        if t.due_basis.zh == DEFAULT_DUE_BASIS:
            assert t.due == dt.date(2025, 12, 31), t.id
        years = re.findall(r"「[^」]*?(\d{4})年[^」]*」", t.due_basis.zh)
        if years:
            assert t.due.year == int(years[0]), t.id
        if "十四五" in t.due_basis.zh:
            assert t.due == dt.date(2025, 12, 31), t.id
        assert t.cycle is ReportCycle.ANNUAL
    assert ledger.task("m11-5").due == dt.date(2023, 12, 31)  # 2023年底之前
    assert ledger.task("m14-4").due == dt.date(2023, 12, 31)  # 至2023年底
    assert ledger.task("m08-2").due == dt.date(2024, 12, 31)  # 到2024年
    assert ledger.task("m10-5").due == dt.date(2025, 12, 31)  # 十四五”期间
    assert ledger.task("m01-4").due_basis.zh == DEFAULT_DUE_BASIS


def test_no_task_is_due_before_its_targets_or_milestones(wuhan: Plan, ledger: TaskLedger) -> None:
    milestones = {ms.id: ms for _, ms in wuhan.milestones()}
    for t in ledger.tasks:
        for target_id in t.targets:
            assert wuhan.target(target_id).deadline <= t.due, (t.id, target_id)
        for ms_id in t.milestones:
            assert milestones[ms_id].due <= t.due, (t.id, ms_id)


def test_districts_are_all_or_the_named_sites(wuhan: Plan, ledger: TaskLedger) -> None:
    codes = {d.code for d in wuhan.districts}
    listed = {t.id: t.districts for t in ledger.tasks if isinstance(t.districts, list)}
    assert listed == {"m01-8": ["wuchang"], "m10-9": ["caidian"], "m14-5": ["caidian"]}
    for t in ledger.tasks:
        if isinstance(t.districts, list):
            assert set(t.districts) <= codes
        elif t.measure is None:
            assert t.districts == "none", t.id  # the goals are the city's
        elif wuhan.measure(t.measure).districts_implement:
            assert t.districts == "all", t.id


# -- look-ups -------------------------------------------------------------------------------


def test_for_body_gives_the_tasks_of_the_measures_the_body_serves(
    wuhan: Plan, ledger: TaskLedger
) -> None:
    serves = {m.number for m in wuhan.measures_of_body("transport")}
    assert serves == {1, 5, 6, 7, 11, 15, 16, 19, 20, 21}
    got = ledger.for_body("transport")
    assert {t.id for t in got} == {t.id for t in ledger.tasks if t.measure in serves}
    assert all(t.involves("transport") for t in got)
    assert list(got) == [t for t in ledger.tasks if t in got]  # plan order
    assert all(t.lead == "transport" for t in got if t.measure == 7)
    assert ledger.for_body("nobody") == ()


def test_for_district_gives_every_district_tasks_and_those_naming_it(
    ledger: TaskLedger,
) -> None:
    every = {t.id for t in ledger.tasks if t.districts == "all"}
    assert len(every) == 147
    assert {t.id for t in ledger.for_district("hongshan")} == every
    assert {t.id for t in ledger.for_district("wuchang")} == every | {"m01-8"}
    assert {t.id for t in ledger.for_district("caidian")} == every | {"m10-9", "m14-5"}


def test_a_city_level_task_is_carried_out_by_no_district(ledger: TaskLedger) -> None:
    city = ledger.task("m04-2").model_copy(update={"id": "x-1", "districts": "none"})
    one = TaskLedger(plan_id="wuhan-2023", tasks=(city, ledger.task("m01-8")))
    assert one.for_district("hongshan") == ()
    assert one.for_district("wuchang") == (ledger.task("m01-8"),)
    with pytest.raises(KeyError):
        one.task("m01-1")


# -- refusals -------------------------------------------------------------------------------


def _tasks_data() -> dict[str, Any]:
    data = yaml.safe_load(TASKS_YAML.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _task(data: dict[str, Any], task_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in data["tasks"] if t["id"] == task_id)
    return found


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "bad-tasks.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_an_unchanged_copy_loads(tmp_path: Path, wuhan: Plan, ledger: TaskLedger) -> None:
    assert load_task_ledger(wuhan, _write(tmp_path, _tasks_data())) == ledger


def _set(task_id: str, field: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        _task(data, task_id)[field] = value

    return change


def _add_milestone(task_id: str, milestone: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        _task(data, task_id)["milestones"].append(milestone)

    return change


BAD: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("unknown lead", _set("m02-1", "lead", "nobody"), r"task 'm02-1', field 'lead': unknown body"),
    (
        "unknown cooperating body",
        _set("m02-2", "cooperating", ["drc", "ghost"]),
        r"task 'm02-2', field 'cooperating': unknown body 'ghost'",
    ),
    (
        "lead also cooperating",
        _set("m02-3", "cooperating", ["eeb", "drc"]),
        r"task 'm02-3', field 'cooperating': lists the lead 'eeb'",
    ),
    (
        "unknown district",
        _set("m01-8", "districts", ["wuchang", "atlantis"]),
        r"task 'm01-8', field 'districts': unknown district 'atlantis'",
    ),
    (
        "districts neither all, none nor a list",
        _set("m01-9", "districts", "some"),
        r"task 'm01-9', field 'districts",
    ),
    (
        "unknown measure",
        _set("m26-1", "measure", 99),
        r"task 'm26-1', field 'measure': unknown measure 99",
    ),
    (
        "unknown milestone",
        _add_milestone("m01-3", "no-such-milestone"),
        r"task 'm01-3', field 'milestones': unknown milestone 'no-such-milestone'",
    ),
    (
        "a milestone of another measure",
        _set("m01-1", "milestones", ["three-lines-one-list"]),
        r"task 'm01-1', field 'milestones': unknown milestone 'three-lines-one-list' "
        r"\(not of measure 1\)",
    ),
    (
        "a milestone claimed by two tasks",
        _add_milestone("m01-4", "carbon-eia"),
        r"task 'm01-4', field 'milestones': milestone 'carbon-eia' already belongs to task "
        r"'m01-3'",
    ),
    (
        "unknown target",
        _set("m01-5", "targets", ["no-such-target"]),
        r"task 'm01-5', field 'targets': unknown target 'no-such-target'",
    ),
    (
        "a target of another measure",
        _set("m01-5", "targets", ["coal-share-2025"]),
        r"task 'm01-5', field 'targets': target 'coal-share-2025' belongs to measure 4",
    ),
    (
        "an indicator of no linked target",
        _set("m04-6", "indicators", ["coal_share_energy", "pm25_annual_mean"]),
        r"task 'm04-6', field 'indicators': 'pm25_annual_mean' is not the indicator",
    ),
    (
        "a linked target's indicator left out",
        _set("m04-6", "indicators", ["coal_share_energy"]),
        r"task 'm04-6', field 'indicators': missing 'natural_gas_consumption'",
    ),
    ("duplicate id", _set("m01-2", "id", "m01-1"), r"task 'm01-1', field 'id': duplicate task id"),
    ("a bad due date", _set("m03-1", "due", "2025-13-45"), r"task 'm03-1', field 'due'"),
    ("an unknown field", _set("m03-3", "owner", "eeb"), r"task 'm03-3', field 'owner'"),
]


@pytest.mark.parametrize(("change", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_ledger_that_does_not_fit_the_plan_is_refused_with_the_task_named(
    tmp_path: Path,
    wuhan: Plan,
    change: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    data = copy.deepcopy(_tasks_data())
    change(data)
    path = _write(tmp_path, data)
    with pytest.raises(ValueError, match=message) as raised:
        load_task_ledger(wuhan, path)
    assert isinstance(raised.value, TaskLedgerError)
    assert str(path) in str(raised.value)


def test_a_ledger_for_another_plan_is_refused(tmp_path: Path, wuhan: Plan) -> None:
    data = _tasks_data()
    data["plan"] = "other-city-2024"
    with pytest.raises(ValueError, match="for plan 'other-city-2024', not 'wuhan-2023'"):
        load_task_ledger(wuhan, _write(tmp_path, data))


def test_a_file_without_a_task_list_is_refused(tmp_path: Path, wuhan: Plan) -> None:
    with pytest.raises(ValueError, match="a 'tasks' list"):
        load_task_ledger(wuhan, _write(tmp_path, {"plan": "wuhan-2023"}))


def test_the_data_dir_is_searched_first_and_a_missing_ledger_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wuhan: Plan, ledger: TaskLedger
) -> None:
    data = _tasks_data()
    data["tasks"] = [t for t in data["tasks"] if t.get("measure") == 1]
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "wuhan-2023-tasks.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    monkeypatch.setenv("XIETONG_DATA_DIR", str(tmp_path))
    assert load_task_ledger(wuhan).tasks == ledger.for_measure(1)
    elsewhere = wuhan.model_copy(update={"id": "nowhere-2000"})
    with pytest.raises(ValueError, match=r"no task ledger 'nowhere-2000-tasks\.yaml'"):
        load_task_ledger(elsewhere)


def test_a_task_takes_only_all_none_or_a_list_of_districts() -> None:
    base: dict[str, Any] = {
        "id": "x-1",
        "measure": 1,
        "clause": "推进全市碳普惠机制建设",
        "text": {"zh": "碳普惠", "en": "carbon inclusion"},
        "lead": "drc",
        "due": "2025-12-31",
        "due_basis": {"zh": DEFAULT_DUE_BASIS, "en": "no date in the text"},
    }
    assert Task.model_validate({**base, "districts": "none"}).districts == "none"
    assert Task.model_validate({**base, "districts": ["wuchang"]}).covers("wuchang")
    with pytest.raises(ValueError, match="districts"):
        Task.model_validate({**base, "districts": "wuchang"})
