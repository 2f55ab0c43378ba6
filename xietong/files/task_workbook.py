"""A body's or district's reporting template for a period (.xlsx), generated from the task
ledger, and the reading of it when it comes back filled in.

The workbook has three sheets a unit fills in, each row named by its codes (the grey columns
are not read back, the white ones are):

* 任务进展 (tasks): one row per task the unit owes a report on: 任务编号, 任务名称, 原文条款,
  期限, then 进展情况 (the narrative) and 提交 (是 to submit, else the report is saved as a
  draft);
* 指标数值 (figures): one row per target of those tasks: 任务编号, 目标编号, 指标, 单位, then
  数值 and 佐证材料;
* 里程碑 (milestones): one row per milestone of those tasks: 任务编号, 里程碑编号, 里程碑,
  期限, then 状态 (未启动/推进中/已完成, a drop-down), 日期 and 佐证材料;

and a fourth, 说明, that says how. What the unit already saved is filled in. Reading it back
(:func:`read_task_workbook`) names every bad cell by sheet, row and column in Chinese
(``指标数值!E7``); nothing is taken from a workbook with a bad cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from xietong.errors import ImportRejected, RowProblem
from xietong.files.workbooks import check_xlsx, save_workbook
from xietong.plan.models import Plan
from xietong.plan.progress_table import parse_number
from xietong.plan.reporting import FigureEntry, MilestoneEntry, ReportingPeriod, TaskReport
from xietong.plan.tasks import Task

TASKS, FIGURES, MILESTONES, HELP = "任务进展", "指标数值", "里程碑", "说明"
TASK_HEADER = ("任务编号", "任务名称", "原文条款", "期限", "进展情况", "提交(是/否)")
FIGURE_HEADER = ("任务编号", "目标编号", "指标", "单位", "数值", "佐证材料")
MILESTONE_HEADER = (
    "任务编号",
    "里程碑编号",
    "里程碑",
    "期限",
    "状态(未启动/推进中/已完成)",
    "日期",
    "佐证材料",
)
STATE_WORDS = {"未启动": "not_started", "推进中": "in_progress", "已完成": "done"}
STATE_ZH = {v: k for k, v in STATE_WORDS.items()}
YES = {"是", "提交", "yes", "y", "1", "true"}
NO = {"", "否", "草稿", "no", "n", "0", "false"}
MAX_ROWS = 5000
"""The most rows a sheet of the template is read for."""

_FIXED = PatternFill("solid", fgColor="EDEDED")
_HEAD = Font(bold=True)


@dataclass
class FilledReport:
    """What a filled-in template says about one task: the narrative, whether to submit, the
    figures and milestone states; ``cells`` remembers where each came from (for errors)."""

    task_id: str
    cell: str = ""
    """The task's row on the tasks sheet (``任务进展!A5``), where a refusal of the whole report
    is shown."""
    progress: str = ""
    submit: bool = False
    figures: list[FigureEntry] = field(default_factory=list)
    milestones: list[MilestoneEntry] = field(default_factory=list)
    figure_cells: list[str] = field(default_factory=list)
    milestone_cells: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether the row gives nothing (left as generated, with nothing typed in)."""
        return not (self.progress or self.submit or self.figures or self.milestones)


def write_task_workbook(
    path: Path,
    plan: Plan,
    tasks: Sequence[Task],
    period: ReportingPeriod,
    unit_name: str,
    reports: Mapping[str, TaskReport],
) -> None:
    """Write the template of a unit (``unit_name``) for ``period``: its ``tasks``, with what
    ``reports`` (by task id) already hold filled in."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = TASKS
    _header(ws, TASK_HEADER, widths=(10, 28, 60, 12, 50, 12))
    for t in tasks:
        r = reports.get(t.id)
        ws.append([t.id, t.text.zh, t.clause, t.due.isoformat(), r.progress if r else "", "否"])
    _shade(ws, len(tasks), fixed=4)
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    ws.add_data_validation(yes_no)
    yes_no.add(f"F2:F{max(2, len(tasks) + 1)}")

    figures = wb.create_sheet(FIGURES)
    _header(figures, FIGURE_HEADER, widths=(10, 24, 36, 14, 14, 40))
    n = 0
    for t in tasks:
        r = reports.get(t.id)
        given = {f.target_id: f for f in r.figures} if r else {}
        for target_id in t.targets:
            target = plan.target(target_id)
            f = given.get(target_id)
            figures.append(
                [
                    t.id,
                    target_id,
                    target.indicator.zh,
                    target.unit_text("zh") or target.unit,
                    f.value if f else None,
                    f.evidence if f and f.evidence else "",
                ]
            )
            n += 1
    _shade(figures, n, fixed=4)

    milestones = wb.create_sheet(MILESTONES)
    _header(milestones, MILESTONE_HEADER, widths=(10, 24, 36, 12, 18, 12, 40))
    owners = {ms.id: ms for _, ms in plan.milestones()}
    n = 0
    for t in tasks:
        r = reports.get(t.id)
        states = {m.milestone_id: m for m in r.milestones} if r else {}
        for ms_id in t.milestones:
            ms = owners[ms_id]
            m = states.get(ms_id)
            milestones.append(
                [
                    t.id,
                    ms_id,
                    ms.text.zh,
                    ms.due.isoformat(),
                    STATE_ZH[m.state] if m else "",
                    m.date.isoformat() if m else "",
                    m.evidence if m and m.evidence else "",
                ]
            )
            n += 1
    _shade(milestones, n, fixed=4)
    states = DataValidation(type="list", formula1='"未启动,推进中,已完成"', allow_blank=True)
    milestones.add_data_validation(states)
    states.add(f"E2:E{max(2, n + 1)}")

    help_ = wb.create_sheet(HELP)
    for line in (
        f"{unit_name} · {period.label('zh')}报送模板(截止 {period.due.isoformat()})",
        "灰色列由平台生成,不读取;请只填写白色列。",
        "任务进展:填写进展情况;“提交”选“是”则提交审核,否则保存为草稿。",
        "指标数值:填写数值(按“单位”列的单位,如 % 填 55 表示 55%)和佐证材料。",
        "里程碑:选择状态(未启动/推进中/已完成),填写日期(YYYY-MM-DD)和佐证材料。",
        "已提交待审核或已采纳的任务不能再修改;有错误的单元格会逐一列出,整份不导入。",
        "附件请在任务页面上传。",
    ):
        help_.append([line])
    help_.column_dimensions["A"].width = 100
    save_workbook(wb, path)


def _header(ws: object, header: Sequence[str], widths: Sequence[int]) -> None:
    ws.append(list(header))  # type: ignore[attr-defined]
    for i, width in enumerate(widths):
        letter = chr(ord("A") + i)
        ws.column_dimensions[letter].width = width  # type: ignore[attr-defined]
        ws.cell(row=1, column=i + 1).font = _HEAD  # type: ignore[attr-defined]
    ws.freeze_panes = "A2"  # type: ignore[attr-defined]


def _shade(ws: object, rows: int, fixed: int) -> None:
    for r in range(2, rows + 2):
        for c in range(1, fixed + 1):
            cell = ws.cell(row=r, column=c)  # type: ignore[attr-defined]
            cell.fill = _FIXED
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).strip()


def _rows(wb: object, sheet: str, label: str) -> list[tuple[int, list[object]]]:
    if sheet not in wb.sheetnames:  # type: ignore[attr-defined]
        raise ImportRejected(label, [RowProblem(0, sheet, f"缺少工作表“{sheet}”")])
    ws = wb[sheet]  # type: ignore[index]
    out = []
    for n, row in enumerate(ws.iter_rows(min_row=2, max_row=MAX_ROWS + 1, values_only=True), 2):
        values = list(row)
        if any(_text(v) for v in values):
            out.append((n, values))
    return out


def read_task_workbook(path: Path, label: str, owed: Sequence[Task]) -> list[FilledReport]:
    """The reports a filled-in template gives, one per task with anything typed in, for the
    ``owed`` tasks only; ImportRejected naming every bad cell (``指标数值!E7``: not a number,
    an unknown state or date, a task, target or milestone that is not the unit's, a row
    given twice) in Chinese."""
    check_xlsx(path, label)
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        tasks = {t.id: t for t in owed}
        problems: list[RowProblem] = []
        found: dict[str, FilledReport] = {}

        def report(task_id: str) -> FilledReport:
            return found.setdefault(task_id, FilledReport(task_id))

        seen: set[tuple[str, ...]] = set()
        for n, row in _rows(wb, TASKS, label):
            task_id = _text(row[0] if row else None)
            if task_id not in tasks:
                problems.append(RowProblem(n, f"{TASKS}!A{n}", f"“{task_id[:32]}”不是本单位的任务"))
                continue
            if (TASKS, task_id) in seen:
                problems.append(RowProblem(n, f"{TASKS}!A{n}", f"任务 {task_id} 重复"))
                continue
            seen.add((TASKS, task_id))
            progress = _text(row[4] if len(row) > 4 else None)
            submit = _text(row[5] if len(row) > 5 else None).lower()
            if submit not in YES | NO:
                problems.append(RowProblem(n, f"{TASKS}!F{n}", f"“{submit[:16]}”应为 是 或 否"))
                continue
            if len(progress) > 5000:
                problems.append(RowProblem(n, f"{TASKS}!E{n}", "进展情况超过 5000 字"))
                continue
            r = report(task_id)
            r.cell, r.progress, r.submit = f"{TASKS}!A{n}", progress, submit in YES
        for n, row in _rows(wb, FIGURES, label):
            task_id, target_id = _text(row[0]), _text(row[1] if len(row) > 1 else None)
            task = tasks.get(task_id)
            if task is None or target_id not in task.targets:
                problems.append(
                    RowProblem(
                        n,
                        f"{FIGURES}!B{n}",
                        f"目标“{target_id[:32]}”不属于本单位的任务 {task_id[:16]}",
                    )
                )
                continue
            if (FIGURES, task_id, target_id) in seen:
                problems.append(RowProblem(n, f"{FIGURES}!B{n}", f"目标 {target_id} 重复"))
                continue
            seen.add((FIGURES, task_id, target_id))
            raw = row[4] if len(row) > 4 else None
            if _text(raw) == "":
                continue
            try:
                value, _ = parse_number(raw)  # a % sign is the target's own unit here
            except ValueError as exc:
                problems.append(RowProblem(n, f"{FIGURES}!E{n}", str(exc).split(" / ")[0]))
                continue
            evidence = _text(row[5] if len(row) > 5 else None) or None
            r = report(task_id)
            r.figures.append(FigureEntry(target_id=target_id, value=value, evidence=evidence))
            r.figure_cells.append(f"{FIGURES}!E{n}")
        for n, row in _rows(wb, MILESTONES, label):
            task_id, ms_id = _text(row[0]), _text(row[1] if len(row) > 1 else None)
            task = tasks.get(task_id)
            if task is None or ms_id not in task.milestones:
                problems.append(
                    RowProblem(
                        n,
                        f"{MILESTONES}!B{n}",
                        f"里程碑“{ms_id[:32]}”不属于本单位的任务 {task_id[:16]}",
                    )
                )
                continue
            if (MILESTONES, task_id, ms_id) in seen:
                problems.append(RowProblem(n, f"{MILESTONES}!B{n}", f"里程碑 {ms_id} 重复"))
                continue
            seen.add((MILESTONES, task_id, ms_id))
            state = _text(row[4] if len(row) > 4 else None)
            if not state:
                continue
            if state not in STATE_WORDS:
                problems.append(
                    RowProblem(
                        n, f"{MILESTONES}!E{n}", f"“{state[:16]}”应为 未启动、推进中 或 已完成"
                    )
                )
                continue
            raw_date = _text(row[5] if len(row) > 5 else None)
            try:
                day = dt.date.fromisoformat(raw_date[:10]) if raw_date else dt.date.today()
            except ValueError:
                problems.append(
                    RowProblem(n, f"{MILESTONES}!F{n}", f"“{raw_date[:16]}”不是日期(YYYY-MM-DD)")
                )
                continue
            evidence = _text(row[6] if len(row) > 6 else None) or None
            r = report(task_id)
            r.milestones.append(
                MilestoneEntry(
                    milestone_id=ms_id,
                    state=STATE_WORDS[state],
                    date=day,
                    evidence=evidence,
                )
            )
            r.milestone_cells.append(f"{MILESTONES}!E{n}")
    finally:
        wb.close()
    if problems:
        raise ImportRejected(label, problems)
    return [r for r in found.values() if not r.empty]
