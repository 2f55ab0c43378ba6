"""``xietong milestones import|status``: the measures' milestones and their states."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from xietong.cli.common import AsOfOpt, JsonOpt, as_date, command, console, platform, print_json

app = typer.Typer(
    help="Milestones of the measures: import states, show statuses. 里程碑。", no_args_is_help=True
)

STATE_ZH = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成", "late": "滞后"}


@app.command("import")
@command
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="An .xlsx or .csv milestone table (milestone_id, date, state, district, "
            "reported_by, evidence).",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    actor: Annotated[str, typer.Option(help="Who is importing (audit log).")] = "cli",
    json_: JsonOpt = False,
) -> None:
    """Import milestone states, all or nothing. 导入里程碑进展(整体成功或整体拒绝)。"""
    counts = platform().import_milestones(file, actor=actor)
    if json_:
        print_json({"file": str(file), **counts})
    else:
        console.print(f"[green]导入成功 Imported[/] {file.name}: {counts['inserted']} reports")


@app.command()
@command
def status(as_of: AsOfOpt = None, json_: JsonOpt = False) -> None:
    """Every measure's status and its milestones' statuses. 各举措及里程碑状态。"""
    p = platform()
    plan = p.plan()
    found = p.measure_statuses(as_date(as_of))
    if json_:
        print_json([s.model_dump(mode="json") for s in found.values()])
        return
    table = Table(title="举措状态 Measure status")
    for col in ("measure", "title", "status", "milestones"):
        table.add_column(col)
    for m in plan.measures:
        found_m = found[m.number]
        label = f"{STATE_ZH[found_m.state.value]} {found_m.state.value}"
        if found_m.on_estimate:
            label = f"依估算:{label}"
        table.add_row(
            str(m.number),
            m.title.zh,
            label,
            ", ".join(f"{s.milestone_id}: {STATE_ZH[s.state.value]}" for s in found_m.milestones),
        )
    console.print(table)
