"""``xietong report …``: the year's 考核 scores (the annual and inventory reports follow)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from xietong.cli.common import JsonOpt, command, console, platform, print_json, print_wide

app = typer.Typer(help="Reports and 考核 scores. 报告与考核。", no_args_is_help=True)

YearOpt = Annotated[
    int,
    typer.Option("--year", min=2000, max=2100, help="The year assessed (default: last year)."),
]


@app.command()
@command
def assessment(
    year: YearOpt = dt.date.today().year - 1,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the scores and their breakdown to FILE.xlsx."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Each district's and body's 考核 score: the criteria's points, rank and change on the
    previous year. 区和部门考核得分。"""
    from xietong.files.assessment_workbook import write_assessment_workbook
    from xietong.service.assessment_views import ranking_record

    if out is not None and out.suffix.lower() != ".xlsx":
        raise typer.BadParameter("the scores are written as .xlsx", param_hint="--out")
    p = platform()
    record = ranking_record(p.assessment(year, actor="cli"), p.plan())
    if out is not None:
        n = write_assessment_workbook(record, out)
        if not json_:
            console.print(f"{n} 个单位 units → {out}")
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
