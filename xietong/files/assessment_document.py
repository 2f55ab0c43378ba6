"""The 考核 score table as a document for the committee: an editable Word file (python-docx)
and a PDF (WeasyPrint, Noto Sans CJK), in Chinese, from the same record as the workbook, the
page and the API (:func:`xietong.service.assessment_views.ranking_record`).

Each document states the scheme and its version, the date the data run to and the data
version; a unit judged on an estimate or demo figure carries a marker (※) and the footnote
says what it means; a criterion with nothing to judge shows —. Same record → same text (the
files' creation stamps aside).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xietong.files.report_document import (
    ESTIMATE_MARK,
    MEDIA,
    add_table,
    new_document,
    render_html,
    write_pdf,
)

FORMATS = ("xlsx", "docx", "pdf")
"""The formats the scores are written in (media types: :data:`MEDIA`)."""
__all__ = ["ESTIMATE_MARK", "FORMATS", "MEDIA", "write_assessment_file"]
KINDS = (("districts", "各区考核得分"), ("bodies", "各部门考核得分"))


def _cell(c: dict[str, Any]) -> str:
    return "—" if c["fraction"] is None else f"{c['points']:.1f}"


def _total(s: dict[str, Any]) -> str:
    return "—" if s["total"] is None else f"{s['total']:.1f}"


def _change(s: dict[str, Any]) -> str:
    return "—" if s["change"] is None else f"{s['change']:+.1f}"


def _lines(record: dict[str, Any], meta: dict[str, str]) -> dict[str, Any]:
    """The texts every format shares."""
    scheme = record["scheme"]
    return {
        "title": f"{record['year']}年度减污降碳协同增效考核得分",
        "scheme": f"考核方案：{scheme['title_zh']}，第{scheme['version']}版（{scheme['edition']}）",
        "data": f"数据截至 {meta.get('as_of') or '—'}；数据版本 {meta.get('data_version') or '—'}；"
        f"目标状态取 {record['year']}年12月31日",
        "method": (
            "指标得分 = 权重 × 完成比例；某单位无可考核内容的指标不计（—），其余指标按比例折算为"
            "100分；同分并列排名；较上年为两年总分之差。方法说明见 docs/methods/assessment.md。"
        ),
        "footnote": (
            f"{ESTIMATE_MARK} 该单位所考核的目标中至少有一项的状态依据估算或演示数据判断，"
            "得分仅供参考。"
        ),
        "headers": ["排名", "单位", "总分", "较上年"] + [c["zh"] for c in scheme["criteria"]],
    }


def _rows(record: dict[str, Any], key: str) -> list[list[str]]:
    return [
        [
            "—" if s["rank"] is None else str(s["rank"]),
            s["name_zh"] + (ESTIMATE_MARK if s["estimated"] else ""),
            _total(s),
            _change(s),
            *[_cell(c) for c in s["criteria"]],
        ]
        for s in record[key]
    ]


def write_assessment_docx(record: dict[str, Any], path: Path, meta: dict[str, str]) -> None:
    """The score table as an editable Word document at ``path``."""
    text = _lines(record, meta)
    doc = new_document()
    doc.add_heading(text["title"], level=1)
    doc.add_paragraph(text["scheme"])
    doc.add_paragraph(text["data"])
    doc.add_heading("考核指标与权重", level=2)
    add_table(
        doc,
        ("指标", "权重（分）", "依据"),
        [(c["zh"], f"{c['weight']:g}", c["basis_zh"]) for c in record["scheme"]["criteria"]],
    )
    doc.add_paragraph(text["method"])
    for key, heading in KINDS:
        doc.add_heading(heading, level=2)
        add_table(doc, text["headers"], _rows(record, key))
    doc.add_paragraph(text["footnote"])
    doc.save(str(path))


def assessment_html(record: dict[str, Any], meta: dict[str, str]) -> str:
    """The score table as a printable HTML page (what the PDF renders)."""
    return render_html(
        "assessment.html",
        t=_lines(record, meta),
        criteria=record["scheme"]["criteria"],
        tables=[(heading, _rows(record, key)) for key, heading in KINDS],
    )


def write_assessment_pdf(record: dict[str, Any], path: Path, meta: dict[str, str]) -> None:
    """The score table as a PDF at ``path`` (WeasyPrint; the CJK font is embedded)."""
    write_pdf(assessment_html(record, meta), path)


def write_assessment_file(
    kind: str, record: dict[str, Any], path: Path, meta: dict[str, str]
) -> None:
    """The scores in one of :data:`FORMATS` at ``path``: the workbook (with the breakdown),
    the Word document or the PDF (``meta``: the data's date and version)."""
    from xietong.files.assessment_workbook import write_assessment_workbook

    if kind == "xlsx":
        write_assessment_workbook(record, path)
    elif kind == "docx":
        write_assessment_docx(record, path, meta)
    elif kind == "pdf":
        write_assessment_pdf(record, path, meta)
    else:
        raise ValueError(f"'{kind}': choose {', '.join(FORMATS)}")
