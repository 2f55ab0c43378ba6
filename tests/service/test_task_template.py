"""A unit's Excel template: generated from the ledger with what it saved, opened by openpyxl
(a second program), filled in and taken back all or nothing, with every bad cell named in
Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from xietong.accounts.roles import Principal, Role
from xietong.errors import Forbidden, ImportRejected
from xietong.files.task_workbook import FIGURES, MILESTONES, TASKS
from xietong.plan.reporting import ReportState
from xietong.service.platform import Platform

TRANSPORT = Principal("transport-1", Role.BODY, body="transport")


@pytest.fixture
def opened(platform: Platform) -> Platform:
    platform.open_period(2025, actor="cli")
    return platform


def _template(p: Platform, tmp_path: Path) -> Path:
    path = tmp_path / "template.xlsx"
    n = p.write_task_template("2025", "body", "transport", path, actor=TRANSPORT)
    assert n == len(p.owed_tasks("body", "transport"))
    return path


def _row_of(ws: object, column: int, value: str) -> int:
    for row in ws.iter_rows(min_row=2):  # type: ignore[attr-defined]
        if row[column].value == value:
            return int(row[column].row)
    raise AssertionError(value)


def test_the_template_lists_the_units_tasks_targets_and_milestones(
    opened: Platform, tmp_path: Path
) -> None:
    p = opened
    wb = load_workbook(_template(p, tmp_path))
    owed = p.owed_tasks("body", "transport")
    assert [r[0].value for r in wb[TASKS].iter_rows(min_row=2)] == [t.id for t in owed]
    targets = [(t.id, x) for t in owed for x in t.targets]
    assert [(r[0].value, r[1].value) for r in wb[FIGURES].iter_rows(min_row=2)] == targets
    milestones = [(t.id, m) for t in owed for m in t.milestones]
    assert [(r[0].value, r[1].value) for r in wb[MILESTONES].iter_rows(min_row=2)] == milestones
    assert wb[TASKS]["C2"].value == owed[0].clause
    with pytest.raises(Forbidden):
        p.write_task_template(
            "2025",
            "body",
            "transport",
            tmp_path / "x.xlsx",
            actor=Principal("e", Role.BODY, body="eitb"),
        )


def test_a_filled_template_comes_back_as_reports(opened: Platform, tmp_path: Path) -> None:
    p = opened
    path = _template(p, tmp_path)
    owed = p.owed_tasks("body", "transport")
    with_target = next(t for t in owed if t.targets)
    with_milestone = next(t for t in owed if t.milestones)
    wb = load_workbook(path)
    tasks = wb[TASKS]
    r = _row_of(tasks, 0, with_target.id)
    tasks[f"E{r}"], tasks[f"F{r}"] = "全年完成", "是"
    r = _row_of(tasks, 0, with_milestone.id)
    tasks[f"E{r}"] = "推进中"
    figures = wb[FIGURES]
    r = _row_of(figures, 1, with_target.targets[0])
    target = p.plan().target(with_target.targets[0])
    figures[f"E{r}"] = 50 if target.unit == "percent" else 1
    ms = wb[MILESTONES]
    r = _row_of(ms, 1, with_milestone.milestones[0])
    ms[f"E{r}"], ms[f"F{r}"] = "已完成", "2025-09-30"
    wb.save(path)
    counts = p.import_task_workbook(
        "2025", "body", "transport", path, label="模板.xlsx", actor=TRANSPORT
    )
    expected_submitted = 1
    expected_saved = 0 if with_milestone.id == with_target.id else 1
    assert counts == {"saved": expected_saved, "submitted": expected_submitted}
    sent = p.task_report("2025", with_target.id, "body", "transport")
    assert sent is not None and sent.state is ReportState.SUBMITTED
    assert sent.figures[0].target_id == with_target.targets[0]
    # the template of the unit now shows what it saved
    again = load_workbook(_template(p, tmp_path))
    r = _row_of(again[TASKS], 0, with_target.id)
    assert again[TASKS][f"E{r}"].value == "全年完成"


def test_bad_cells_are_named_and_nothing_is_saved(opened: Platform, tmp_path: Path) -> None:
    p = opened
    path = _template(p, tmp_path)
    owed = p.owed_tasks("body", "transport")
    with_target = next(t for t in owed if t.targets)
    with_milestone = next(t for t in owed if t.milestones)
    wb = load_workbook(path)
    tasks = wb[TASKS]
    tasks["E2"], tasks["F2"] = "好的进展", "也许"
    tasks.append(["m99-9", "", "", "", "x", "否"])
    figures = wb[FIGURES]
    r = _row_of(figures, 1, with_target.targets[0])
    figures[f"E{r}"] = "五十"
    ms = wb[MILESTONES]
    r = _row_of(ms, 1, with_milestone.milestones[0])
    ms[f"E{r}"], ms[f"F{r}"] = "差不多", "2025-13-01"
    wb.save(path)
    with pytest.raises(ImportRejected) as found:
        p.import_task_workbook("2025", "body", "transport", path, label="t.xlsx", actor=TRANSPORT)
    cells = {pr.column: pr.reason for pr in found.value.problems}
    assert cells[f"{TASKS}!F2"].startswith("“也许”应为")
    assert "不是本单位的任务" in cells[f"{TASKS}!A{tasks.max_row}"]
    assert "不是数值" in next(v for k, v in cells.items() if k.startswith(f"{FIGURES}!E"))
    assert "应为 未启动" in next(v for k, v in cells.items() if k.startswith(f"{MILESTONES}!E"))
    assert p.task_reports("2025") == []


def test_a_figure_out_of_range_is_named_by_its_cell(opened: Platform, tmp_path: Path) -> None:
    p = opened
    path = _template(p, tmp_path)
    owed = p.owed_tasks("body", "transport")
    percent = next((t, x) for t in owed for x in t.targets if p.plan().target(x).unit == "percent")
    wb = load_workbook(path)
    figures = wb[FIGURES]
    r = _row_of(figures, 1, percent[1])
    figures[f"E{r}"] = 250
    wb.save(path)
    with pytest.raises(ImportRejected) as found:
        p.import_task_workbook("2025", "body", "transport", path, label="t.xlsx", actor=TRANSPORT)
    (problem,) = found.value.problems
    assert problem.column == f"{FIGURES}!E{r}"


def test_a_decimal_comma_is_refused_not_read_as_ten_times_the_figure(
    opened: Platform, tmp_path: Path
) -> None:
    p = opened
    path = _template(p, tmp_path)
    owed = p.owed_tasks("body", "transport")
    task = next(t for t in owed if t.targets)
    wb = load_workbook(path)
    figures = wb[FIGURES]
    r = _row_of(figures, 1, task.targets[0])
    figures[f"E{r}"] = "29,5"
    tasks = wb[TASKS]
    tr = _row_of(tasks, 0, task.id)
    wb.save(path)
    with pytest.raises(ImportRejected) as found:
        p.import_task_workbook("2025", "body", "transport", path, label="t.xlsx", actor=TRANSPORT)
    (problem,) = found.value.problems
    assert problem.column == f"{FIGURES}!E{r}" and "小数点请写" in problem.reason
    # a report that may no longer change is named by its task's row
    figures[f"E{r}"] = None
    tasks[f"E{tr}"] = "进展"
    wb.save(path)
    p.save_task_report("2025", task.id, "body", "transport", submit=True, actor=TRANSPORT)
    with pytest.raises(ImportRejected) as found:
        p.import_task_workbook("2025", "body", "transport", path, label="t.xlsx", actor=TRANSPORT)
    (problem,) = found.value.problems
    assert problem.column == f"{TASKS}!A{tr}" and "已提交待审核" in problem.reason
