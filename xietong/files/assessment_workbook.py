"""The 考核 scores as an Excel workbook: the scheme, the districts' and the bodies' scores with
each criterion's points, and every target and report each unit was judged on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from xietong.files.workbooks import save_workbook
from xietong.plan.progress import STATUS_ZH


def write_assessment_workbook(record: dict[str, Any], path: Path) -> int:
    """Write ``record`` (:func:`xietong.service.assessment_views.ranking_record`) to ``path``;
    the number of scored units."""
    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = "方案 scheme"
    scheme = record["scheme"]
    about.append(["考核年度 year", record["year"]])
    about.append(["方案 scheme", scheme["title_zh"], scheme["title_en"]])
    about.append(["版本 version", scheme["version"], scheme["edition"]])
    about.append([])
    about.append(["指标 criterion", "id", "权重 weight", "规则 rule", "依据", "basis"])
    for c in scheme["criteria"]:
        about.append([c["zh"], c["id"], c["weight"], c["rule"], c["basis_zh"], c["basis"]])
    criteria = [c["id"] for c in scheme["criteria"]]
    units = 0
    for key, title in (("districts", "区 districts"), ("bodies", "部门 bodies")):
        ws = wb.create_sheet(title)
        ws.append(
            [
                "排名 rank",
                "单位 unit",
                "code",
                "总分 total",
                "较上年 change",
                *[f"{c} points" for c in criteria],
                "含估算 rests on estimates",
            ]
        )
        for s in record[key]:
            points = {c["id"]: c["points"] for c in s["criteria"]}
            ws.append(
                [
                    s["rank"],
                    s["name_zh"],
                    s["code"],
                    s["total"],
                    s["change"],
                    *[points[c] for c in criteria],
                    "是 yes" if s["estimated"] else "否 no",
                ]
            )
            units += 1
    detail = wb.create_sheet("明细 breakdown")
    detail.append(
        ["单位 unit", "code", "类别 item", "id", "状态/期次", "得分 points", "说明 detail"]
    )
    for key in ("districts", "bodies"):
        for s in record[key]:
            for c in s["criteria"]:
                detail.append(
                    [
                        s["name_zh"],
                        s["code"],
                        "指标 criterion",
                        c["id"],
                        c["fraction"],
                        c["points"],
                        c["detail"],
                    ]
                )
            for t in s["targets"]:
                detail.append(
                    [
                        s["name_zh"],
                        s["code"],
                        "目标 target",
                        t["target_id"],
                        STATUS_ZH.get(t["status"], t["status"]),
                        t["points"],
                        "估算 estimate" if t["estimated"] else "",
                    ]
                )
            for r in s["reports"]:
                detail.append(
                    [
                        s["name_zh"],
                        s["code"],
                        "报告 report",
                        r["task_id"],
                        r["period_id"],
                        None,
                        f"due {r['due']}; submitted {r['submitted'] or '—'}; "
                        f"accepted {r['accepted']}; first time {r['first_time']}; "
                        f"evidence {r['evidence']}",
                    ]
                )
    save_workbook(wb, path)
    return units
