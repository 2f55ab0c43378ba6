"""``xietong report …``: the year's report to the committee, the 考核 scores (and the inventory
report), as files or JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from xietong.cli.common import (
    JsonOpt,
    command,
    console,
    platform,
    print_json,
    print_wide,
    step_progress,
)
from xietong.cli.inventory import GwpOpt

app = typer.Typer(help="Reports and 考核 scores. 报告与考核。", no_args_is_help=True)

YearOpt = Annotated[
    int,
    typer.Option("--year", min=2000, max=2100, help="The year assessed (default: last year)."),
]


FormatOpt = Annotated[
    str | None, typer.Option("--format", "-f", help="The file's format (docx, pdf or xlsx).")
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="The file to write (its suffix gives the format)."),
]


def _output(
    format_: str | None,
    out: Path | None,
    formats: tuple[str, ...],
    stem: str,
    default: str | None = None,
) -> tuple[str | None, Path | None]:
    """The format and the file a report command writes (None, None: print it), from
    ``--format`` and ``--out`` (else ``default``); a usage error for a format not in
    ``formats`` or a file whose suffix disagrees."""
    kind = format_ or (out.suffix.lower().lstrip(".") if out is not None else None) or default
    if kind is not None and kind not in formats:
        suffixes = " / ".join(f".{f}" for f in formats)
        raise typer.BadParameter(
            f"'{kind}': choose {', '.join(formats)} (or name a {suffixes} file)",
            param_hint="--format",
        )
    if kind is not None and out is not None and out.suffix.lower() != f".{kind}":
        raise typer.BadParameter(f"a {kind} file must end in .{kind}", param_hint="--out")
    return kind, out or (Path(f"{stem}.{kind}") if kind else None)


def _build_and_write(
    json_: bool,
    label: str,
    build: Callable[[], dict[str, Any]],
    write: Callable[[str, dict[str, Any], Path], None],
    kind: str | None,
    target: Path | None,
) -> dict[str, Any]:
    """``build()`` the record, then (with a ``target``) ``write`` it there, under a progress
    bar of the two steps; the record."""
    with step_progress(json_) as bar:
        step = bar.add_task(label, total=2)
        record = build()
        bar.advance(step)
        if target is not None:
            bar.update(step, description=f"写入 writing {target.name}")
            write(str(kind), record, target)
        bar.advance(step)
    return record


def _data_line(record: dict[str, Any]) -> str:
    meta = record["meta"]
    return f"data to {meta['as_of'] or '—'}, version {meta['data_version']}"


@app.command()
@command
def annual(
    year: Annotated[
        int,
        typer.Option("--year", min=2000, max=2100, help="The year reported (default: this year)."),
    ] = dt.date.today().year,
    format_: FormatOpt = None,
    out: OutOpt = None,
    json_: JsonOpt = False,
) -> None:
    """The year's report to the city's eco-environment committee: targets, measures, what
    each body and district delivered, the inventory, the synergy degree, risks and next
    year's priorities, as Word or PDF (or JSON). 年度工作情况报告。"""
    from xietong.files.annual_report_document import FORMATS, write_annual_report_file
    from xietong.service.annual_report import annual_report_record

    default = None if json_ else "docx"
    kind, target = _output(format_, out, FORMATS, f"xietong-annual-report-{year}", default)
    p = platform()
    record = _build_and_write(
        json_,
        "汇总数据 gathering the year's figures",
        lambda: annual_report_record(p, year, actor="cli"),
        write_annual_report_file,
        kind,
        target,
    )
    if json_:
        print_json(record)
        return
    counts = ", ".join(f"{k} {v}" for k, v in record["target_counts"].items())
    console.print(f"{year}年度报告 annual report → {target}")
    console.print(
        f"  targets judged on {record['status_day']}: {counts}; risks {len(record['risks'])}; "
        + _data_line(record)
    )


@app.command()
@command
def inventory(
    year: Annotated[
        int | None,
        typer.Option(
            "--year", min=2000, max=2100, help="The inventory year (default: the latest)."
        ),
    ] = None,
    gwp: GwpOpt = "AR5",
    format_: FormatOpt = None,
    out: OutOpt = None,
    json_: JsonOpt = False,
) -> None:
    """The city's greenhouse-gas inventory report in the structure of the provincial
    guideline (scope, methods, activity data, factors, results by sector and gas,
    uncertainty, previous years, gaps) as Word, PDF or Excel tables (or JSON).
    温室气体清单报告。"""
    from xietong.files.inventory_document import FORMATS, write_inventory_file
    from xietong.service.inventory_report import inventory_report_record

    default = None if json_ else "docx"
    kind, _ = _output(format_, out, FORMATS, "", default)  # a bad format before any work
    p = platform()
    chosen = year or p.latest_inventory_year()
    _, target = _output(format_, out, FORMATS, f"xietong-inventory-report-{chosen}", default)
    record = _build_and_write(
        json_,
        "核算清单 building the inventory",
        lambda: inventory_report_record(p, chosen, gwp=gwp),
        write_inventory_file,
        kind,
        target,
    )
    if json_:
        print_json(record)
        return
    console.print(f"{chosen}年温室气体清单报告 inventory report → {target}")
    console.print("  " + _data_line(record))


@app.command()
@command
def assessment(
    year: YearOpt = dt.date.today().year - 1,
    version: Annotated[
        int | None,
        typer.Option("--scheme-version", min=1, help="An earlier edition of the scheme."),
    ] = None,
    format_: FormatOpt = None,
    out: OutOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Each district's and body's 考核 score: the criteria's points, rank and change on the
    previous year; as a table, JSON, or a workbook, Word or PDF file. 区和部门考核得分。"""
    from xietong.files.assessment_document import FORMATS, write_assessment_file
    from xietong.service.assessment_views import ranking_record

    kind, target = _output(format_, out, FORMATS, f"xietong-assessment-{year}")
    p = platform()
    record = _build_and_write(
        json_,
        "考核得分 scoring",
        lambda: ranking_record(p.assessment(year, actor="cli", version=version), p.plan()),
        lambda k, rec, path: write_assessment_file(k, rec, path, p.assessment_meta()),
        kind,
        target,
    )
    if target is not None and not json_:
        console.print(f"{year}年考核得分 assessment → {target}")
    if json_:
        print_json(record)
        return
    scheme = record["scheme"]
    criteria = scheme["criteria"]
    for key, title in (("districts", "区 Districts"), ("bodies", "部门 Bodies")):
        table = Table(
            title=f"{year}年考核 {title} — {scheme['title_zh']} v{scheme['version']} "
            f"({scheme['edition']})"
        )
        table.add_column("#", justify="right")
        table.add_column("单位 unit")
        table.add_column("总分 total", justify="right")
        table.add_column("较上年 change", justify="right")
        for c in criteria:
            table.add_column(f"{c['zh']} ({c['weight']:g})", justify="right")
        for s in record[key]:
            by_id = {c["id"]: c for c in s["criteria"]}
            change = "—" if s["change"] is None else f"{s['change']:+.1f}"
            mark = " [yellow]估算[/]" if s["estimated"] else ""
            table.add_row(
                "—" if s["rank"] is None else str(s["rank"]),
                f"{s['name_zh']}{mark}",
                "—" if s["total"] is None else f"{s['total']:.1f}",
                change,
                *[
                    "—" if by_id[c["id"]]["fraction"] is None else f"{by_id[c['id']]['points']:.1f}"
                    for c in criteria
                ],
            )
        print_wide(table)
    console.print(
        "[yellow]估算 estimate[/]: a unit so marked was judged on at least one target whose "
        "status rests on an estimate or demo figure; — : nothing to judge, the other criteria "
        "are scaled to 100. Method: docs/methods/assessment.md"
    )


@app.command()
@command
def scheme(
    set_: Annotated[
        Path | None,
        typer.Option(
            "--set",
            exists=True,
            dir_okay=False,
            help="Save FILE.yaml as the scheme's new edition (its version above the current).",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """The 考核 scheme in force (criteria and weights) and its editions; ``--set`` saves a new
    one. 考核方案及其版本。"""
    p = platform()
    if set_ is not None:
        saved = p.set_assessment_scheme(set_.read_text(encoding="utf-8"), actor="cli")
        if not json_:
            console.print(f"考核方案第{saved.version}版已保存 scheme version {saved.version} saved")
    current = p.assessment_scheme()
    editions = p.assessment_schemes()
    if json_:
        print_json(
            {
                "version": current.version,
                "edition": current.edition,
                "criteria": [
                    {"id": c.id, "zh": c.zh, "en": c.en, "weight": c.weight, "rule": c.rule}
                    for c in current.criteria
                ],
                "editions": editions,
            }
        )
        return
    table = Table(title=f"{current.title_zh} v{current.version} ({current.edition})")
    table.add_column("指标 criterion")
    table.add_column("权重 weight", justify="right")
    table.add_column("规则 rule")
    for c in current.criteria:
        table.add_row(f"{c.zh} / {c.en}", f"{c.weight:g}", c.rule)
    print_wide(table)
    for e in editions:
        who = (
            "shipped 随平台发布"
            if e["shipped"]
            else f"{e['saved_by']} {e['saved_at']:%Y-%m-%d %H:%M}"
        )
        console.print(f"  v{e['version']}: {who}")
