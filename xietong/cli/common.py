"""What every command shares: the platform handle, JSON output, language, error exits."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from xietong.errors import ImportRejected, NotInitialised, XietongError

if TYPE_CHECKING:
    from xietong.service.platform import Platform

console = Console()
err_console = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of names: zh (default) or en.")]

STATUS_STYLE = {
    "achieved": "bold green",
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "bold red",
    "missed": "red",
    "unjudged": "magenta",
    "no_data": "dim",
}
BASIS_LABEL = {
    "zh": {"estimate": "依估算", "demo": "依演示数据"},
    "en": {"estimate": "on estimates", "demo": "on demo data"},
}
"""How a judgement on estimates or demo figures is labelled (docs/user: 依估算)."""


def _iso_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date YYYY-MM-DD") from None
    return value


AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        callback=_iso_date,
        help="Judge statuses on this date (YYYY-MM-DD; default today).",
    ),
]


def as_date(value: str | None) -> dt.date | None:
    """The date of a validated ``--as-of`` option."""
    return dt.date.fromisoformat(value) if value else None


_open: list[Platform] = []


def platform(*, initialised: bool = True) -> Platform:
    """The platform for the configured database (``XIETONG_DATABASE_URL``/``XIETONG_DATA_DIR``);
    its connections are closed when the command ends. With ``initialised`` (every command but
    ``init``), a database without the platform's tables is refused with a message that says
    to run ``xietong init``, instead of failing on the first missing table."""
    from sqlalchemy import inspect

    from xietong.service.platform import Platform

    p = Platform.from_settings()
    _open.append(p)
    if initialised:
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        from xietong.store.database import alembic_config

        url = p.engine.url.render_as_string(hide_password=True)
        with p.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                raise NotInitialised(
                    f"数据库尚未初始化 the database ({url}) has no tables yet: run `xietong init` "
                    "first"
                )
            current = MigrationContext.configure(conn).get_current_revision()
        head = ScriptDirectory.from_config(alembic_config(p.engine)).get_current_head()
        if current != head:
            raise NotInitialised(
                f"数据库结构需要升级 the database ({url}) is at schema {current}, this version "
                f"of xietong needs {head}: run `xietong init` (it upgrades and keeps the data)"
            )
    return p


def close_platforms() -> None:
    """Close the database connections the command opened."""
    while _open:
        _open.pop().engine.dispose()


def print_wide(table: Table) -> None:
    """Print a table whole: when it needs more columns than the terminal has, it is printed at
    its own width (the terminal wraps lines) rather than with its figures cut short."""
    need = Measurement.get(console, console.options.update(max_width=10_000), table).minimum
    if need <= console.width:
        console.print(table)
        return
    width = console.width
    console.width = need
    try:
        console.print(table)
    finally:
        console.width = width


def print_json(data: Any) -> None:
    """Print ``data`` as JSON (UTF-8, dates as ISO text)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn domain errors into a clear message and exit code 1."""
    try:
        yield
    except ImportRejected as exc:
        err_console.print(
            f"[bold red]导入被拒绝 Import rejected[/] {exc.source}: "
            f"nothing was written ({len(exc.problems)} problem(s))"
        )
        for p in exc.problems:
            err_console.print(f"  row {p.row}, column '{p.column}': {p.reason}", markup=False)
        raise typer.Exit(1) from exc
    except XietongError as exc:
        err_console.print(f"[bold red]错误 Error:[/] {exc}", markup=True, highlight=False)
        raise typer.Exit(1) from exc


def command(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator: run a command body inside :func:`user_errors`."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with user_errors():
                return fn(*args, **kwargs)
        finally:
            close_platforms()

    return wrapper


EXPORT_SUFFIXES = {"xlsx": ("xlsx",), "csv": ("csv",), "iamc": ("xlsx", "csv")}
"""Export formats and the file suffixes each may be written to."""


def export_kind(file: Path, format_: str | None) -> str:
    """The export format of ``file`` (``--format`` or its suffix); BadParameter when the
    format is unknown or does not fit the suffix."""
    suffix = file.suffix.lower().lstrip(".")
    kind = format_ or suffix
    if kind not in EXPORT_SUFFIXES:
        raise typer.BadParameter(
            f"format '{kind}': choose xlsx, csv or iamc (or name a .xlsx / .csv file)",
            param_hint="--format",
        )
    allowed = EXPORT_SUFFIXES[kind]
    if suffix not in allowed:
        raise typer.BadParameter(
            f"a {kind} export must end in {' or '.join('.' + a for a in allowed)}",
            param_hint="FILE",
        )
    return kind


def step_progress(disable: bool) -> Progress:
    """A Rich progress bar for a command of a few steps (spinner, bar, elapsed time), cleared
    when done; ``disable`` (for ``--json``) keeps the output plain."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=disable,
    )
