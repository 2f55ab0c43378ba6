"""``xietong progress import|export|list``: progress figures in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from xietong.cli.common import AsOfOpt, JsonOpt, as_date, command, console, platform, print_json

app = typer.Typer(help="Progress figures: import, export, list. 进度数据。", no_args_is_help=True)

ActorOpt = Annotated[str, typer.Option(help="Who is importing (recorded in the audit log).")]


@app.command("import")
@command
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="An .xlsx or .csv progress table.", exists=True, dir_okay=False, readable=True
        ),
    ],
    actor: ActorOpt = "cli",
    json_: JsonOpt = False,
) -> None:
    """Import progress figures, all or nothing. 导入进度数据(整体成功或整体拒绝)。"""
    with console.status(f"importing {file.name} …"):
        counts = platform().import_file(file, actor=actor)
    if json_:
        print_json({"file": str(file), **counts})
    else:
        console.print(
            f"[green]导入成功 Imported[/] {file.name}: {counts['inserted']} new, "
            f"{counts['updated']} replaced"
        )


@app.command()
@command
def export(
    file: Annotated[Path, typer.Argument(help="Where to write the .xlsx workbook.")],
    as_of: AsOfOpt = None,
) -> None:
    """Export progress and statuses to Excel. 导出进度与状态到 Excel。"""
    day = as_date(as_of)
    if file.suffix.lower() != ".xlsx":
        raise typer.BadParameter("the export file must end in .xlsx", param_hint="FILE")
    n = platform().export_xlsx(file, day)
    console.print(f"[green]已导出 Exported[/] {n} records to {file}")


@app.command("list")
@command
def list_(
    target: Annotated[str | None, typer.Option(help="Only this target id.")] = None,
    comparisons: Annotated[
        bool,
        typer.Option(
            "--comparisons", help="Also the comparison values (reported beside a computed one)."
        ),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """List the indicator values of the targets, with their quality. 列出指标数值。"""
    records = platform().records(target, comparisons=comparisons)
    if json_:
        print_json([r.model_dump(mode="json") for r in records])
        return
    table = Table(title=f"{len(records)} values")
    for col in ("target", "district", "period", "value", "by", "quality", "source"):
        table.add_column(col)
    for r in records:
        table.add_row(
            r.target_id,
            r.district or "全市",
            r.period_end.isoformat(),
            f"{r.value:g}",
            r.reported_by or "",
            "演示数据 demo" if r.demo else r.quality.value,
            r.source_kind.value + (" (对照 comparison)" if r.comparison else ""),
        )
    console.print(table)
