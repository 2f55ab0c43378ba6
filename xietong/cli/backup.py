"""``xietong backup`` and ``xietong restore``: the whole database (every table, with its schema
revision) in one portable file, which restores into SQLite or PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from xietong.cli.common import JsonOpt, command, console, platform, print_json

if TYPE_CHECKING:
    pass


def _bars(disable: bool) -> tuple[Progress, Callable[[str, int, int], None]]:
    """A Rich progress display with a bar per table, and the callback that drives it."""
    bars = Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=disable,
    )
    tasks: dict[str, TaskID] = {}

    def report(table: str, done: int, total: int) -> None:
        if table not in tasks:
            tasks[table] = bars.add_task(table, total=max(total, 1))
        # an empty table is shown done: its bar counts 1 of 1
        bars.update(tasks[table], total=max(total, 1), completed=done if total else 1)

    return bars, report


def _print_counts(title: str, result: dict[str, Any]) -> None:
    """Print the rows per table of a backup or restore ``result``."""
    table = Table("表 table", title=title)
    table.add_column("行数 rows", justify="right")
    for name, rows in result["tables"].items():
        table.add_row(name, f"{rows:,}")
    console.print(table)


@command
def backup(
    file: Annotated[
        Path, typer.Argument(dir_okay=False, help="The backup file to write (e.g. xietong.zip).")
    ],
    json_: JsonOpt = False,
) -> None:
    """Write the whole database into one backup file (zip). 备份整个数据库。"""
    from xietong.store.backup import write_backup

    bars, report = _bars(json_)
    with bars:
        result = write_backup(platform().engine, file, progress=report)
    if json_:
        print_json(result)
        return
    _print_counts(f"xietong {result['xietong_version']}, schema {result['revision']}", result)
    console.print(
        f"[green]已备份 Backup written[/] {file}: {result['rows']:,} rows in "
        f"{len(result['tables'])} tables",
        highlight=False,
    )


@command
def restore(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="The backup file."),
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Replace the data the database holds (all of it). 覆盖现有数据。"
        ),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Restore a backup file into the database, all or nothing; a database that holds data
    is only replaced with --replace. 从备份恢复数据库。"""
    from xietong.store.backup import restore_backup

    bars, report = _bars(json_)
    with bars:
        result = restore_backup(
            platform(initialised=False).engine, file, replace=replace, progress=report
        )
    if json_:
        print_json(result)
        return
    _print_counts(
        f"{file.name}: xietong {result['xietong_version']}, {result['created_at']}", result
    )
    console.print(
        f"[green]已恢复 Restored[/] {result['rows']:,} rows in {len(result['tables'])} tables"
        + (" (existing data replaced 已覆盖)" if replace else ""),
        highlight=False,
    )
