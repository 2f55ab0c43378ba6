"""Milestone reports on SQLite and PostgreSQL: all-or-nothing, audited imports; the shipped
demo reports load once; measure statuses on the stored reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from xietong.errors import ImportRejected
from xietong.plan.milestones import MilestoneState
from xietong.service.platform import Platform
from xietong.store import repository
from xietong.store.database import session_scope


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["milestone_id,date,state,district,reported_by,evidence", *rows]))
    return path


def test_a_bad_table_saves_nothing_and_names_every_bad_row(
    platform: Platform, tmp_path: Path
) -> None:
    _, ms = platform.plan().milestones()[0]
    bad = _csv(
        tmp_path / "m.csv",
        [f"{ms.id},2024-06-30,done,,eeb,纪要", "nope,2024-06-30,done,,,", f"{ms.id},x,done,,,"],
    )
    with pytest.raises(ImportRejected) as err:
        platform.import_milestones(bad, actor="alice")
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "milestone_id"), (4, "date")]
    assert platform.milestone_reports() == []


def test_a_good_workbook_is_stored_audited_and_judges_the_measure(
    platform: Platform, tmp_path: Path
) -> None:
    m, ms = platform.plan().milestones()[0]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["里程碑编号", "日期", "状态", "区", "报送单位", "佐证材料"])
    ws.append([ms.id, dt.date(2024, 6, 30), "已完成", None, "eeb", "印发通知"])
    path = tmp_path / "m.xlsx"
    wb.save(path)
    assert platform.import_milestones(path, actor="alice") == {"inserted": 1}
    [stored] = platform.milestone_reports()
    assert (stored.milestone_id, stored.state, stored.evidence) == (
        ms.id,
        MilestoneState.DONE,
        "印发通知",
    )
    with session_scope(platform.engine) as s:
        entry = repository.audit_entries(s, 1)[0]
    assert (entry.actor, entry.action) == ("alice", "milestones.import")
    found = platform.measure_statuses(dt.date(2024, 7, 1))[m.number]
    assert found.milestones[0].state is MilestoneState.DONE


def test_the_demo_reports_load_once_labelled(demo_platform: Platform) -> None:
    reports = demo_platform.milestone_reports()
    assert reports and all(r.demo for r in reports if "演示数据" in (r.evidence or ""))
    demo_platform.init(demo=True, activity=False)
    assert len(demo_platform.milestone_reports()) == len(reports)
    statuses = demo_platform.measure_statuses()
    assert len(statuses) == 26 and any(s.on_estimate for s in statuses.values())
