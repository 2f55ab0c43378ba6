"""The city's greenhouse-gas inventory report as documents for the bureau: an editable Word file
(python-docx), a PDF (WeasyPrint, Noto Sans CJK) and an Excel workbook (openpyxl, one sheet per
table), in Chinese, from the record of
:func:`xietong.service.inventory_report.inventory_report_record` (the same figures the web
inventory page and the API show).

The Word file and the PDF are made from one list of blocks (headings, paragraphs, tables,
charts), so they hold the same text; the two charts (emissions by sector and gas, stacked; the
trend of total CO2e) are drawn on the server by :mod:`xietong.files.report_charts`. The first
page states the date the data run to and the data version. A figure resting on an estimate or
demo value carries ※ and the table is followed by the footnote saying what it means. Emissions
are written in tonnes (t, or t CO2e under the record's GWP set) with thousands separators and
two decimals; the charts are in 万吨 (10⁴ t). Same record → same text and same chart bytes (the
files' creation stamps aside).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xietong.files.report_charts import bar_chart, data_uri, line_chart
from xietong.files.report_document import (
    ESTIMATE_MARK,
    MEDIA,
    add_picture,
    new_document,
    render_html,
    write_pdf,
)
from xietong.files.workbooks import save_workbook
from xietong.units import convert

FORMATS = ("docx", "pdf", "xlsx")
"""The formats the inventory report is written in (media types: :data:`MEDIA`)."""
__all__ = [
    "ESTIMATE_MARK",
    "FORMATS",
    "MEDIA",
    "inventory_blocks",
    "inventory_charts",
    "inventory_html",
    "write_inventory_docx",
    "write_inventory_file",
    "write_inventory_pdf",
    "write_inventory_workbook",
]

FOOTNOTE = (
    f"{ESTIMATE_MARK} 该数值全部或部分依据估算或演示数据（活动水平数据质量标记为“估算”或“演示”），"
    "仅供参考；核实的统计数据到位后将更新。"
)
DEMO_NOTE = (
    "本报告使用的活动水平数据中含演示数据（为展示平台功能而合成的数据，非统计数据），"
    "相关结果不得作为正式清单引用。"
)
CO2_METHOD_ZH = {
    "china": "中国企业核算方法 AD × NCV × CC × OF × 44/12"
    "（《企业温室气体排放核算方法与报告指南》）",
    "ipcc": "IPCC 2006 方法 AD × NCV × EF（第2卷第2章式2.1）",
}
SCOPE_ZH = {"direct": "直接", "indirect": "间接"}

Block = dict[str, Any]


def _t(value: float | None) -> str:
    """An emission or removal in t (or t CO2e): thousands separators, two decimals; — for none."""
    return "—" if value is None else f"{value:,.2f}"


def _amount(value: float) -> str:
    """An activity quantity or factor value: thousands separators, up to six significant
    digits (factor values are printed as the library holds them)."""
    if value == 0:
        return "0"
    if abs(value) >= 1e5:
        return f"{value:,.2f}"
    return f"{value:,.6g}"


def _pct(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def _mark(text: str, flagged: dict[str, Any]) -> str:
    """``text`` with the estimate marker when ``flagged['estimated']``."""
    return text + ESTIMATE_MARK if flagged.get("estimated") else text


def _short(name: str) -> str:
    """A sector's name without its parenthesis (for chart labels)."""
    return name.split("（")[0]


def inventory_charts(record: dict[str, Any]) -> dict[str, bytes]:
    """The two charts of the report as PNG bytes: ``sector_gas`` (the year's direct emissions
    by sector, stacked by the guideline's gas groups, 万吨 CO2e) and ``trend`` (direct CO2e of
    every year up to the report's, 万吨 CO2e)."""
    results = record["results"]
    gwp = record["gwp"]
    sectors = results["sectors"]
    series = {
        group: [convert(s["groups"][group]["co2e"] or 0.0, "t", "wan * t") for s in sectors]
        for group in results["groups"]
    }
    bar = bar_chart(
        [_short(s["zh"]) for s in sectors],
        series,
        title=f"{record['year']}年分部门、分气体温室气体排放",
        unit=f"万吨 CO2e（{gwp}）",
        stacked=True,
    )
    trend = record["trend"]
    line = line_chart(
        [t["year"] for t in trend],
        {"直接排放总量": [convert(t["co2e_direct"], "t", "wan * t") for t in trend]},
        title="历年温室气体排放总量",
        unit=f"万吨 CO2e（{gwp}）",
    )
    return {"sector_gas": bar, "trend": line}


def _heading(text: str, level: int = 2) -> Block:
    return {"kind": "heading", "text": text, "level": level}


def _para(text: str) -> Block:
    return {"kind": "para", "text": text}


def _note(text: str) -> Block:
    return {"kind": "note", "text": text}


def _table(
    caption: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[int] = (),
    *,
    total: bool = False,
) -> list[Block]:
    """A caption, the table, and the footnote when a cell carries the estimate marker."""
    out: list[Block] = [
        {"kind": "caption", "text": caption},
        {
            "kind": "table",
            "headers": list(headers),
            "rows": [list(r) for r in rows],
            "numeric": list(numeric),
            "total": total,
        },
    ]
    if any(ESTIMATE_MARK in cell for r in rows for cell in r):
        out.append(_note(FOOTNOTE))
    return out


def _front(record: dict[str, Any]) -> list[Block]:
    """Title, the data's date and version, the basis and the units."""
    meta = record["meta"]
    years = meta["inventory_years"]
    span = f"{years[0]}–{years[-1]}年" if years else "—"
    dataset = meta.get("dataset")
    if not dataset:
        source = "活动水平数据：—"
    elif dataset.get("shipped"):
        source = f"活动水平数据：平台随附的本市数据集（{dataset['rows']}行，来源见各行出处）"
    else:
        name = Path(str(dataset["source"])).name
        source = f"活动水平数据：{name}（{dataset['rows']}行，{dataset['at'][:10]}导入）"
    out = [
        _heading(record["title"], 1),
        _para(
            f"数据截至 {meta.get('as_of') or '—'}；数据版本 {meta.get('data_version') or '—'}；"
            f"清单数据年份 {span}；{source}"
        ),
        _para(
            f"编制依据：{record['guideline']}，按城市清单调整。温室气体按 {record['gwp']} "
            "的100年全球增温潜势（GWP100）折算为二氧化碳当量；除另注明外，排放量单位为吨（t），"
            "二氧化碳当量单位为吨二氧化碳当量（t CO2e）；负值为吸收（碳汇）。"
        ),
    ]
    if record.get("estimated"):
        out.append(_note(FOOTNOTE))
    if record.get("demo"):
        out.append(_note(DEMO_NOTE))
    return out


def _scope_blocks(record: dict[str, Any]) -> list[Block]:
    scope = record["scope"]
    year = record["year"]
    gwp = scope["gwp"]
    out = [
        _heading("一、概述"),
        _para(f"地理边界：{scope['boundary']}。清单年份：{year}年（1月1日至12月31日）。"),
        _para(
            f"温室气体种类：本年度清单包括 {'、'.join(scope['gases']) or '—'}；"
            "平台可核算的温室气体为 "
            f"{'、'.join(scope['gases_covered'])}。平台同时核算大气和水污染物："
            f"{'、'.join(scope['pollutants']) or '—'}（见表5-6）。"
        ),
    ]
    rows = []
    for g in scope["sectors"]:
        if g["sectors"]:
            rows += [[g["zh"], s["zh"], s["ipcc_category"]] for s in g["sectors"]]
        else:
            rows.append([g["zh"], "本年度无数据", "—"])
    out += _table("表1-1 清单范围（部门）", ["清单部门", "本市清单部门", "IPCC 类别"], rows)
    out += _table(
        f"表1-2 全球增温潜势（{gwp['set']}，{gwp['horizon']}）",
        ["气体", "GWP100"],
        [[gas, value] for gas, value in gwp["values"].items()],
        [1],
    )
    out.append(_para(f"GWP 来源：{'；'.join(gwp['source']) or '—'}。"))
    out += [_para(f"{s['zh']}：{s['text']}") for s in scope["scopes"]]
    out += _table(
        f"表1-3 二氧化碳核算口径（{year}年）",
        ["口径", "定义", "排放量（t CO2）"],
        [[c["zh"], c["text"], _t(c["value"])] for c in scope["calibers"]],
        [2],
    )
    return out


def _method_blocks(record: dict[str, Any]) -> list[Block]:
    m = record["methods"]
    out = [
        _heading("二、方法"),
        _para(m["text"]),
        _para(
            f"化石燃料燃烧二氧化碳：{CO2_METHOD_ZH.get(m['co2_method'], m['co2_method'])}；"
            f"外购电力排放因子区域：{m['grid_region']}；因子版本：{'、'.join(m['editions'])}。"
        ),
    ]
    rows = [
        [
            r["sector_zh"],
            r["activity_zh"],
            "、".join(r["substances"]),
            "、".join(SCOPE_ZH.get(s, s) for s in r["scopes"]),
            r["formula"],
            "、".join(r["tiers"]) or "—",
            "；".join(r["sources"]) or "—",
        ]
        for r in m["rows"]
    ]
    out += _table(
        "表2-1 各排放源类别的计算方法",
        ["部门", "活动", "气体/污染物", "范围", "计算式", "因子层级", "因子来源"],
        rows,
    )
    return out


def _activity_blocks(record: dict[str, Any]) -> list[Block]:
    rows = [
        [
            a["guideline_zh"],
            a["sector_zh"],
            a["activity_zh"],
            _mark(_amount(a["quantity"]), a),
            a["unit_zh"],
            str(a["rows"]),
            "、".join(a["quality_zh"]),
            "；".join(a["sources"]),
        ]
        for a in record["activity"]
    ]
    return [
        _heading("三、活动水平数据"),
        _para(
            "各类别活动水平数据为该类别本年度全部数据行之和（单位同数据行；各区及全市数据合计），"
            "数据质量为各行的质量标记（统计、推算、实测、估算、演示）。"
        ),
        *_table(
            f"表3-1 {record['year']}年活动水平数据",
            ["清单部门", "部门", "活动", "数量", "单位", "数据行数", "数据质量", "来源"],
            rows,
            [3, 5],
        ),
    ]


def _factor_blocks(record: dict[str, Any]) -> list[Block]:
    rows = [
        [
            f["id"],
            f["substance"],
            _amount(f["value"]),
            f["unit_zh"] or f["unit"],
            f["tier"],
            f["edition"],
            f"{f['source_document']}{('，' + f['source_table']) if f['source_table'] else ''}",
            "是" if f["verified"] else "否",
        ]
        for f in record["factors"]
    ]
    return [
        _heading("四、排放因子"),
        _para(
            "本年度排放所用的全部因子及参数（按版本、编号排列）。“已核对”为“否”的因子其数值"
            "尚未在原始文献中逐项核对（见 xietong/data/factors/README.md）。"
        ),
        *_table(
            "表4-1 排放因子及参数",
            ["编号", "物质/参数", "数值", "单位", "层级", "版本", "来源（文献，表）", "已核对"],
            rows,
            [2],
        ),
    ]


def _result_blocks(record: dict[str, Any]) -> list[Block]:
    res = record["results"]
    year = record["year"]
    gwp = record["gwp"]
    gases = res["gases"]
    total = res["total"]
    out = [
        _heading("五、排放结果"),
        _para(
            f"{year}年{record['city']['zh']}温室气体直接排放总量（含林业碳汇）"
            f"{_mark(_t(total['co2e']), total)} t CO2e（{gwp}），其中二氧化碳 "
            f"{_t(total['co2_direct'])} t；外购电力、热力间接排放二氧化碳 "
            f"{_t(total['co2_indirect'])} t（单独列示，不计入总量）。"
        ),
    ]
    groups = list(res["groups"])
    rows = [
        [
            s["guideline_zh"],
            s["zh"],
            *[_mark(_t(s["groups"][g]["co2e"]), s["groups"][g]) for g in groups],
            _mark(_t(s["co2e"]), s),
        ]
        for s in res["sectors"]
    ]
    sums = res["group_totals"]
    rows.append(
        [
            "合计",
            "",
            *[_mark(_t(sums[g]["co2e"]), sums[g]) for g in groups],
            _mark(_t(total["co2e"]), total),
        ]
    )
    out += _table(
        f"表5-1 {year}年分部门、分气体温室气体排放（t CO2e，{gwp}）",
        ["清单部门", "部门", *[f"{g}（t CO2e）" for g in groups], "合计（t CO2e）"],
        rows,
        list(range(2, 3 + len(groups))),
        total=True,
    )
    members = [f"{g}：{'、'.join(m)}" for g, m in res["groups"].items() if m != [g]]
    if members:
        out.append(_note(f"气体类别包括 {'；'.join(members)}（逐一见表5-3、表5-4）。"))
    out.append({"kind": "chart", "key": "sector_gas"})
    out += _table(
        f"表5-2 {year}年按清单部门的温室气体排放（t CO2e，{gwp}）",
        ["清单部门", "排放量（t CO2e）"],
        [[g["zh"], _mark(_t(g["co2e"]), g)] for g in res["guideline_sectors"]]
        + [["合计", _mark(_t(total["co2e"]), total)]],
        [1],
        total=True,
    )
    out += _table(
        f"表5-3 {year}年按气体的温室气体排放",
        ["气体", "排放量（t）", f"GWP100（{gwp}）", "二氧化碳当量（t CO2e）"],
        [
            [g["gas"], _mark(_t(g["t"]), g), g["gwp_value"], _mark(_t(g["co2e"]), g)]
            for g in res["by_gas"]
        ],
        [1, 2, 3],
    )
    out += _table(
        f"表5-4 {year}年各部门分气体排放量（t 与 t CO2e，{gwp}）",
        ["清单部门", "部门", "气体", "排放量（t）", "二氧化碳当量（t CO2e）"],
        [
            [
                s["guideline_zh"],
                s["zh"],
                g,
                _mark(_t(s["cells"][g]["t"]), s["cells"][g]),
                _mark(_t(s["cells"][g]["co2e"]), s["cells"][g]),
            ]
            for s in res["sectors"]
            for g in gases
            if s["cells"][g]["co2e"] is not None
        ],
        [3, 4],
    )
    out += _table(
        f"表5-5 {year}年外购电力、热力间接二氧化碳排放（t CO2，不计入总量）",
        ["部门", "间接排放（t CO2）"],
        [[r["zh"], _mark(_t(r["t"]), r)] for r in res["indirect"]]
        + [["合计", _t(total["co2_indirect"])]],
        [1],
        total=True,
    )
    pol = res["pollutants"]
    subs = pol["substances"]
    if subs:
        out += _table(
            f"表5-6 {year}年分部门大气和水污染物排放（t）",
            ["部门", *[f"{p}（t）" for p in subs]],
            [[_mark(s["zh"], s), *[_t(s["values"].get(p)) for p in subs]] for s in pol["sectors"]]
            + [["合计", *[_t(pol["totals"][p]) for p in subs]]],
            list(range(1, 1 + len(subs))),
            total=True,
        )
    return out


def _uncertainty_blocks(record: dict[str, Any]) -> list[Block]:
    u = record["uncertainty"]
    rows = [
        [
            r["zh"],
            _mark(_t(r["value"]), r),
            f"±{_pct(r['approach1_u95_pct'])}",
            _t(r["mc_mean"]),
            _t(r["mc_p2_5"]),
            _t(r["mc_p97_5"]),
        ]
        for r in u["rows"]
    ]
    draws = f"{u['draws']:,}" if u["draws"] else "—"
    return [
        _heading("六、不确定性"),
        _para(u["text"]),
        *_table(
            f"表6-1 {record['year']}年温室气体排放的不确定性（{u['unit']}；"
            f"蒙特卡洛 {draws} 次抽样，随机种子 {u['seed']}）",
            [
                "部门",
                "排放量（t CO2e）",
                "方法1 95%区间半宽（%）",
                "方法2 均值（t CO2e）",
                "2.5%分位（t CO2e）",
                "97.5%分位（t CO2e）",
            ],
            rows,
            [1, 2, 3, 4, 5],
            total=True,
        ),
    ]


def _trend_blocks(record: dict[str, Any]) -> list[Block]:
    gwp = record["gwp"]
    rows = [
        [
            str(t["year"]),
            _mark(_t(t["co2e_direct"]), t),
            _pct(t["change_pct"], signed=True),
            _t(t["co2_direct"]),
            _t(t["co2_indirect"]),
            _t(t["co2_official"]),
        ]
        for t in record["trend"]
    ]
    return [
        _heading("七、历年比较"),
        _para(
            f"清单中截至{record['year']}年的各年度排放（同一方法、同一因子库、"
            "同一 GWP 口径逐年重算，时间序列一致）。较上年变化 = （本年 − 上年）/ |上年| × 100%。"
        ),
        *_table(
            "表7-1 历年排放",
            [
                "年份",
                f"直接排放总量（t CO2e，{gwp}）",
                "较上年（%）",
                "直接 CO2（t）",
                "间接 CO2（t）",
                "官方口径 CO2（t）",
            ],
            rows,
            [1, 2, 3, 4, 5],
        ),
        {"kind": "chart", "key": "trend"},
    ]


def _quality_blocks(record: dict[str, Any]) -> list[Block]:
    q = record["quality"]
    share = q["estimate_share"]
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for g in q["gaps"]:
        key = (g["sector_zh"], g["activity_zh"], g["technology"] or "—")
        if g["substance"] not in grouped.setdefault(key, []):
            grouped[key].append(g["substance"])
    out = [
        _heading("八、数据缺口与质量"),
        _para(
            f"本年度 {int(share['activity_rows'])} 行活动水平数据中 "
            f"{int(share['estimated_rows'])} 行"
            f"为估算或演示数据（{share['rows_share']:.0%}）；按二氧化碳当量（绝对值）计，"
            f"{share['co2e_share']:.0%} 的直接温室气体排放依据估算或演示数据。"
        ),
        _para(
            "数据缺口：方法应给出但因子库中没有适用因子的物质（未计入，非零排放）。"
            + ("本年度无数据缺口。" if not grouped else "")
        ),
    ]
    if grouped:
        out += _table(
            "表8-1 数据缺口",
            ["部门", "活动", "技术", "缺少的物质"],
            [[*key, "、".join(subs)] for key, subs in sorted(grouped.items())],
        )
    return out


def inventory_blocks(record: dict[str, Any]) -> list[Block]:
    """The report as an ordered list of blocks (``heading``, ``para``, ``note``, ``caption``,
    ``table`` with ``headers``, ``rows`` of text and the ``numeric`` columns, ``chart`` with
    its ``key`` in :func:`inventory_charts`): what the Word file and the PDF both print."""
    return [
        *_front(record),
        *_scope_blocks(record),
        *_method_blocks(record),
        *_activity_blocks(record),
        *_factor_blocks(record),
        *_result_blocks(record),
        *_uncertainty_blocks(record),
        *_trend_blocks(record),
        *_quality_blocks(record),
    ]


def write_inventory_docx(record: dict[str, Any], path: Path) -> None:
    """The inventory report as an editable Word document at ``path`` (A4 landscape)."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    charts = inventory_charts(record)
    doc = new_document(9)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    for block in inventory_blocks(record):
        kind = block["kind"]
        if kind == "heading":
            doc.add_heading(block["text"], level=block["level"])
        elif kind == "para":
            doc.add_paragraph(block["text"])
        elif kind == "note":
            doc.add_paragraph(block["text"]).runs[0].font.size = Pt(8)
        elif kind == "caption":
            doc.add_paragraph().add_run(block["text"]).bold = True
        elif kind == "chart":
            add_picture(doc, charts[block["key"]], 16)
        else:
            headers, rows = block["headers"], block["rows"]
            table = doc.add_table(rows=1, cols=len(headers))
            table.style = "Table Grid"
            for cell, label in zip(table.rows[0].cells, headers, strict=True):
                cell.text = label
            for values in rows:
                for i, (cell, value) in enumerate(zip(table.add_row().cells, values, strict=True)):
                    cell.text = value
                    if i in block["numeric"]:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(str(path))


def inventory_html(record: dict[str, Any]) -> str:
    """The inventory report as a printable HTML page (what the PDF renders), the charts
    embedded as ``data:`` URIs; every text of the record is escaped."""
    charts = {key: data_uri(png) for key, png in inventory_charts(record).items()}
    return render_html(
        "inventory.html", title=record["title"], blocks=inventory_blocks(record), charts=charts
    )


def write_inventory_pdf(record: dict[str, Any], path: Path) -> None:
    """The inventory report as a PDF at ``path`` (WeasyPrint; the CJK font is embedded)."""
    write_pdf(inventory_html(record), path)


def _sheet(
    wb: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Worksheet:
    """A sheet of ``rows`` under bold ``headers`` (units in them); numbers with thousands
    separators and two decimals."""
    ws = wb.create_sheet(title)
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 18
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
    ws.freeze_panes = "A2"
    return ws


def _flag(item: dict[str, Any]) -> str:
    return ESTIMATE_MARK if item.get("estimated") else ""


def write_inventory_workbook(record: dict[str, Any], path: Path) -> None:
    """The inventory report's tables as an Excel workbook at ``path``: 说明 (the data's date and
    version, basis, units, footnote), 部门×气体 in t CO2e and in t, 按气体, 间接排放, 污染物,
    活动数据, 排放因子 (with each factor's source), 不确定性, 历年比较 and 缺口. Figures are
    the record's numbers (not rounded); ※ marks those resting on estimates or demo data."""
    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = "说明"
    meta = record["meta"]
    dataset = meta.get("dataset") or {}
    res = record["results"]
    gwp = record["gwp"]
    gases = res["gases"]
    for key, value in (
        ("报告", record["title"]),
        ("年份", record["year"]),
        ("数据截至", meta.get("as_of") or ""),
        ("数据版本", meta.get("data_version") or ""),
        ("清单数据年份", "、".join(str(y) for y in meta["inventory_years"])),
        ("活动水平数据", dataset.get("source", "")),
        ("编制依据", record["guideline"]),
        ("GWP", f"{gwp}（GWP100）"),
        ("化石燃料 CO2 方法", record["methods"]["co2_method"]),
        ("电网区域", record["methods"]["grid_region"]),
        ("单位", "排放量 t；温室气体 t CO2e；负值为吸收"),
        ("注", FOOTNOTE),
    ):
        about.append([key, value])
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 90

    by_gas = {g["gas"]: g for g in res["by_gas"]}
    total = res["total"]
    _sheet(
        wb,
        "部门×气体 CO2e",
        [
            "清单部门",
            "部门",
            "部门代码",
            *[f"{g} (t CO2e, {gwp})" for g in gases],
            f"合计 (t CO2e, {gwp})",
            "估算※",
        ],
        [
            [
                s["guideline_zh"],
                s["zh"],
                s["code"],
                *[s["cells"][g]["co2e"] for g in gases],
                s["co2e"],
                _flag(s),
            ]
            for s in res["sectors"]
        ]
        + [["合计", "", "total", *[by_gas[g]["co2e"] for g in gases], total["co2e"], _flag(total)]],
    )
    _sheet(
        wb,
        "部门×气体 t",
        ["清单部门", "部门", "部门代码", *[f"{g} (t)" for g in gases], "估算※"],
        [
            [s["guideline_zh"], s["zh"], s["code"], *[s["cells"][g]["t"] for g in gases], _flag(s)]
            for s in res["sectors"]
        ]
        + [["合计", "", "total", *[by_gas[g]["t"] for g in gases], _flag(total)]],
    )
    _sheet(
        wb,
        "按气体",
        ["气体", "排放量 (t)", f"GWP100 ({gwp})", f"二氧化碳当量 (t CO2e, {gwp})", "估算※"],
        [[g["gas"], g["t"], g["gwp_value"], g["co2e"], _flag(g)] for g in res["by_gas"]],
    )
    _sheet(
        wb,
        "间接排放",
        ["部门", "部门代码", "间接 CO2 (t)", "估算※"],
        [[r["zh"], r["code"], r["t"], _flag(r)] for r in res["indirect"]]
        + [["合计", "total", total["co2_indirect"], ""]],
    )
    pol = res["pollutants"]
    _sheet(
        wb,
        "污染物",
        ["部门", "部门代码", *[f"{p} (t)" for p in pol["substances"]], "估算※"],
        [
            [s["zh"], s["code"], *[s["values"].get(p) for p in pol["substances"]], _flag(s)]
            for s in pol["sectors"]
        ]
        + [["合计", "total", *[pol["totals"][p] for p in pol["substances"]], ""]],
    )
    _sheet(
        wb,
        "活动数据",
        [
            "清单部门",
            "部门",
            "活动",
            "活动代码",
            "数量",
            "单位",
            "数据行数",
            "数据质量",
            "来源",
            "估算※",
        ],
        [
            [
                a["guideline_zh"],
                a["sector_zh"],
                a["activity_zh"],
                a["activity"],
                a["quantity"],
                a["unit_zh"],
                a["rows"],
                "、".join(a["quality_zh"]),
                "；".join(a["sources"]),
                _flag(a),
            ]
            for a in record["activity"]
        ],
    )
    _sheet(
        wb,
        "排放因子",
        ["编号", "物质/参数", "数值", "单位", "层级", "版本", "来源文献", "表号", "年份", "已核对"],
        [
            [
                f["id"],
                f["substance"],
                f["value"],
                f["unit"],
                f["tier"],
                f["edition"],
                f["source_document"],
                f["source_table"],
                f["year"],
                "是" if f["verified"] else "否",
            ]
            for f in record["factors"]
        ],
    )
    u = record["uncertainty"]
    _sheet(
        wb,
        "不确定性",
        [
            "部门",
            "部门代码",
            f"排放量 (t CO2e, {gwp})",
            "方法1 95%半宽 (%)",
            "方法2 均值 (t CO2e)",
            "2.5%分位 (t CO2e)",
            "97.5%分位 (t CO2e)",
            "抽样次数",
            "随机种子",
            "估算※",
        ],
        [
            [
                r["zh"],
                r["sector"],
                r["value"],
                r["approach1_u95_pct"],
                r["mc_mean"],
                r["mc_p2_5"],
                r["mc_p97_5"],
                r["draws"],
                r["seed"],
                _flag(r),
            ]
            for r in u["rows"]
        ],
    )
    _sheet(
        wb,
        "历年比较",
        [
            "年份",
            f"直接排放总量 (t CO2e, {gwp})",
            "较上年 (%)",
            "直接 CO2 (t)",
            "间接 CO2 (t)",
            "官方口径 CO2 (t)",
            "估算※",
        ],
        [
            [
                t["year"],
                t["co2e_direct"],
                t["change_pct"],
                t["co2_direct"],
                t["co2_indirect"],
                t["co2_official"],
                _flag(t),
            ]
            for t in record["trend"]
        ],
    )
    _sheet(
        wb,
        "缺口",
        ["年份", "区", "部门", "活动", "技术", "缺少的物质"],
        [
            [
                g["year"],
                g["district"],
                g["sector_zh"],
                g["activity_zh"],
                g["technology"],
                g["substance"],
            ]
            for g in record["quality"]["gaps"]
        ],
    )
    save_workbook(wb, path)


def write_inventory_file(kind: str, record: dict[str, Any], path: Path) -> None:
    """The inventory report in one of :data:`FORMATS` at ``path``: the Word document, the PDF
    or the workbook of its tables."""
    if kind == "docx":
        write_inventory_docx(record, path)
    elif kind == "pdf":
        write_inventory_pdf(record, path)
    elif kind == "xlsx":
        write_inventory_workbook(record, path)
    else:
        raise ValueError(f"'{kind}': choose {', '.join(FORMATS)}")
