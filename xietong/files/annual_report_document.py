"""The year's report to the city's eco-environment committee as an editable Word document
(python-docx) and a PDF (WeasyPrint), in Chinese, from the record of
:func:`xietong.service.annual_report.annual_report_record`.

Both formats carry the same texts, tables and charts (drawn on the server by
:mod:`xietong.files.report_charts`): the same record gives the same text and the same images
(the Word file's creation stamp aside). The first page states the day the targets were judged
on, the date the data run to and the data version; a figure judged on an estimate or demo
value is marked ※ and the footnote says what that means.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xietong.files.report_charts import bar_chart, data_uri, line_chart
from xietong.files.report_document import (
    ESTIMATE_MARK,
    MEDIA,
    add_picture,
    add_table,
    new_document,
    render_html,
    write_pdf,
)
from xietong.plan.milestones import STATE_ZH, MilestoneState
from xietong.plan.progress import STATUS_ZH, Status
from xietong.units import convert, format_number

FORMATS = ("docx", "pdf")
"""The formats the annual report is written in (media types: :data:`MEDIA`)."""
__all__ = ["FORMATS", "MEDIA", "annual_report_html", "write_annual_report_file"]

TARGET_HEADERS = (
    "序号",
    "指标",
    "单位",
    "基准值（年）",
    "目标值",
    "期限",
    "最新值（期末）",
    "状态",
)
MEASURE_HEADERS = ("序号", "重点任务", "牵头单位", "状态", "里程碑完成")
DELIVERY_HEADERS = ("单位", "应报", "已审核通过", "已报送待审", "退回修改", "未报送", "逾期")
TOTAL_HEADERS = ("年份", "直接CO2（万吨）", "间接CO2（万吨）", "温室气体（万吨CO2e）")
SYNERGY_HEADERS = ("年份", "协同度", "等级", "说明")


def _wan(value: float | None) -> str:
    return "—" if value is None else format_number(_in_wan(value), 2)


def _in_wan(tonnes: float) -> float:
    """t → 万吨 (the report gives emissions in 万吨), by pint."""
    return convert(tonnes, "t", "wan * t")


def _figure(value: float | None) -> str:
    """A target's value as the pages' target tables print it (6 significant digits)."""
    return "—" if value is None else f"{value:g}"


def _target_rows(record: dict[str, Any]) -> list[list[str]]:
    rows = []
    for i, t in enumerate(record["targets"], 1):
        base = "—" if t["baseline"] is None else f"{_figure(t['baseline'])}（{t['baseline_year']}）"
        latest = (
            "—"
            if t["latest_value"] is None
            else f"{_figure(t['latest_value'])}（{(t['latest_period'] or '')[:4]}）"
        )
        rows.append(
            [
                str(i),
                t["indicator_zh"],
                t["unit_zh"],
                base,
                _figure(t["goal"]),
                t["deadline"][:4],
                latest + (ESTIMATE_MARK if t["estimated"] else ""),
                t["status_zh"],
            ]
        )
    return rows


def _measure_rows(record: dict[str, Any]) -> list[list[str]]:
    return [
        [
            str(m["number"]),
            m["title_zh"],
            m["lead_zh"] or "—",
            m["state_zh"] + (ESTIMATE_MARK if m["estimated"] else ""),
            f"{m['milestones_done']}/{m['milestones']}",
        ]
        for m in record["measures"]
    ]


def _delivery_rows(record: dict[str, Any]) -> list[list[str]]:
    return [
        [
            u["name_zh"],
            str(u["owed"]),
            str(u["accepted"]),
            str(u["submitted"]),
            str(u["returned"]),
            str(u["not_started"] + u["draft"]),
            str(u["overdue"]),
        ]
        for u in record["delivery"]["units"]
    ]


def _total_rows(record: dict[str, Any]) -> list[list[str]]:
    inv = record["inventory"]
    if not inv["available"]:
        return []
    return [
        [str(t["year"]), _wan(t["co2_direct"]), _wan(t["co2_indirect"]), _wan(t["co2e_direct"])]
        for t in inv["totals"]
    ]


def _synergy_rows(record: dict[str, Any]) -> list[list[str]]:
    syn = record["synergy"]
    if not syn["available"]:
        return []
    return [
        [str(s["year"]), format_number(s["d"], 3), s["grade_zh"], s["flag_zh"] or "—"]
        for s in syn["series"]
    ]


def _counts(counts: dict[str, int], labels: dict[str, str]) -> str:
    return "、".join(f"{labels[k]}{counts[k]}项" for k in labels if counts.get(k))


def _texts(record: dict[str, Any]) -> dict[str, Any]:
    """The paragraphs every format shares."""
    meta = record["meta"]
    year = record["year"]
    n_targets = len(record["targets"])
    target_counts = _counts(record["target_counts"], {s.value: STATUS_ZH[s.value] for s in Status})
    measure_counts = _counts(
        record["measure_counts"], {s.value: STATE_ZH[s] for s in MilestoneState}
    )
    d = record["delivery"]
    if d["periods"]:
        delivery = (
            f"{year}年报送期（{'、'.join(d['periods'])}）共应报送任务报告{d['totals']['owed']}份，"
            f"已审核通过{d['totals']['accepted']}份，已报送待审{d['totals']['submitted']}份，"
            f"退回修改{d['totals']['returned']}份，逾期{d['totals']['overdue']}份。"
        )
    else:
        delivery = f"{year}年未开启报送期，任务台账中没有应报送的报告。"
    inv = record["inventory"]
    if inv["available"]:
        last = inv["totals"][-1]
        pollutants = "、".join(
            f"{k} {_wan(v)}万吨"
            for k, v in last["pollutants"].items()
            if k in ("SO2", "NOx", "VOCs", "PM2.5")
        )
        inventory = (
            f"清单最新年份为{inv['year']}年：直接CO2排放{_wan(last['co2_direct'])}万吨，外购电力热力"
            f"间接CO2排放{_wan(last['co2_indirect'])}万吨，直接温室气体排放"
            f"{_wan(last['co2e_direct'])}万吨CO2当量（{inv['gwp']}）；主要大气污染物{pollutants}。"
        )
    else:
        inventory = f"清单不可用：{inv['reason']}"
    syn = record["synergy"]
    target = record["synergy_target"]
    if syn["available"]:
        last_s = syn["series"][-1]
        degree = format_number(last_s["d"], 3)
        synergy = f"{last_s['year']}年减污降碳协同度为{degree}（{last_s['grade_zh']}）。"
        if target is not None:
            synergy += (
                f"方案目标「{target['indicator_zh']}」截至{record['status_day']}的状态为"
                f"{target['status_zh']}" + (ESTIMATE_MARK if target["estimated"] else "") + "。"
            )
    else:
        synergy = f"协同度不可用：{syn['reason']}"
    return {
        "title": f"{record['city_zh']}{year}年度减污降碳协同增效工作情况报告",
        "basis": f"依据《{record['plan_zh']}》（{record['document_number']}）",
        "data": (
            f"目标状态判断日 {record['status_day']}；数据截至 {meta.get('as_of') or '—'}；"
            f"数据版本 {meta.get('data_version') or '—'}"
        ),
        "summary": (
            f"方案共设{n_targets}项量化目标，截至{record['status_day']}：{target_counts}。"
            f"{len(record['measures'])}项重点任务：{measure_counts}。"
        ),
        "delivery": delivery,
        "inventory": inventory,
        "synergy": synergy,
        "footnote": (
            f"{ESTIMATE_MARK} 该项数值或状态依据估算或演示数据（演示数据）判断，仅供参考，"
            "不作为考核依据。状态判断方法见 docs/methods/status.md，清单方法见 docs/methods/。"
        ),
        "no_risks": "未发现需要特别关注的风险。",
        "no_priorities": "下一年度无到期目标或里程碑。",
    }


def _charts(record: dict[str, Any]) -> dict[str, bytes]:
    """The report's charts as PNG bytes: target statuses; CO2e by sector and year; the
    synergy degree by year."""
    labels = [STATUS_ZH[s.value] for s in Status]
    counts = [record["target_counts"].get(s.value, 0) for s in Status]
    charts = {"status": bar_chart(labels, {"目标数": counts}, title="方案目标完成状态", unit="项")}
    inv = record["inventory"]
    if inv["available"]:
        charts["sector"] = bar_chart(
            [str(y) for y in inv["years"]],
            {s["name_zh"]: [_in_wan(v) for v in s["values"]] for s in inv["by_sector"]},
            title=f"分部门直接温室气体排放（{inv['gwp']}）",
            unit="万吨CO2e",
            stacked=True,
        )
    syn = record["synergy"]
    if syn["available"]:
        charts["synergy"] = line_chart(
            [s["year"] for s in syn["series"]],
            {"协同度": [s["d"] for s in syn["series"]]},
            title="减污降碳协同度",
            unit="协同度（0–1）",
        )
    return charts


def _sections(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's sections in order: heading, paragraphs, table, chart key and bullets."""
    text = _texts(record)
    return [
        {
            "heading": "一、总体情况",
            "paragraphs": [text["summary"]],
            "chart": "status",
        },
        {
            "heading": "二、目标完成情况",
            "table": (TARGET_HEADERS, _target_rows(record)),
        },
        {
            "heading": "三、重点任务推进情况",
            "table": (MEASURE_HEADERS, _measure_rows(record)),
        },
        {
            "heading": "四、各单位任务落实情况",
            "paragraphs": [text["delivery"]],
            "table": (DELIVERY_HEADERS, _delivery_rows(record)),
        },
        {
            "heading": "五、温室气体与大气污染物排放清单",
            "paragraphs": [text["inventory"]],
            "chart": "sector",
            "table": (TOTAL_HEADERS, _total_rows(record)),
        },
        {
            "heading": "六、减污降碳协同度",
            "paragraphs": [text["synergy"]],
            "chart": "synergy",
            "table": (SYNERGY_HEADERS, _synergy_rows(record)),
        },
        {
            "heading": "七、主要风险",
            "bullets": [r["text"] for r in record["risks"]] or [text["no_risks"]],
        },
        {
            "heading": f"八、{record['year'] + 1}年工作重点",
            "bullets": [p["text"] for p in record["priorities"]] or [text["no_priorities"]],
        },
    ]


def write_annual_report_docx(record: dict[str, Any], path: Path) -> None:
    """The report as an editable Word document at ``path``."""
    text = _texts(record)
    charts = _charts(record)
    doc = new_document()
    doc.add_heading(text["title"], level=0)
    doc.add_paragraph(text["basis"])
    doc.add_paragraph(text["data"])
    for s in _sections(record):
        doc.add_heading(s["heading"], level=1)
        for para in s.get("paragraphs", []):
            doc.add_paragraph(para)
        if s.get("chart") in charts:
            add_picture(doc, charts[s["chart"]])
        headers, rows = s.get("table", ((), []))
        if rows:
            add_table(doc, headers, rows)
        for bullet in s.get("bullets", []):
            doc.add_paragraph(bullet, style="List Bullet")
    doc.add_paragraph(text["footnote"])
    doc.save(str(path))


def annual_report_html(record: dict[str, Any]) -> str:
    """The report as a printable HTML page (what the PDF renders), charts inline."""
    return render_html(
        "annual.html",
        t=_texts(record),
        sections=_sections(record),
        charts={k: data_uri(v) for k, v in _charts(record).items()},
    )


def write_annual_report_file(kind: str, record: dict[str, Any], path: Path) -> None:
    """The report in one of :data:`FORMATS` at ``path``."""
    if kind == "docx":
        write_annual_report_docx(record, path)
    elif kind == "pdf":
        write_pdf(annual_report_html(record), path)
    else:
        raise ValueError(f"'{kind}': choose {', '.join(FORMATS)}")
