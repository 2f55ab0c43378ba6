"""The ``xietong`` command: init, serve, status, and the plan / progress groups."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from xietong.cli import backup as backup_cli
from xietong.cli import inventory as inventory_cli
from xietong.cli import milestones as milestones_cli
from xietong.cli import plan as plan_cli
from xietong.cli import progress as progress_cli
from xietong.cli import report as report_cli
from xietong.cli import scenario as scenario_cli
from xietong.cli import synergy as synergy_cli
from xietong.cli import user as user_cli
from xietong.cli.common import (
    BASIS_LABEL,
    STATUS_STYLE,
    AsOfOpt,
    JsonOpt,
    LangOpt,
    as_date,
    command,
    console,
    platform,
    print_json,
    user_errors,
)

app = typer.Typer(
    name="xietong",
    help="xietong 协同 — synergistic reduction of pollution and carbon (减污降碳协同增效).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(plan_cli.app, name="plan")
app.add_typer(progress_cli.app, name="progress")
app.add_typer(milestones_cli.app, name="milestones")
app.add_typer(inventory_cli.app, name="inventory")
app.add_typer(synergy_cli.app, name="synergy")
app.add_typer(scenario_cli.app, name="scenario")
app.add_typer(user_cli.app, name="user")
app.add_typer(report_cli.app, name="report")
app.command("backup")(backup_cli.backup)
app.command("restore")(backup_cli.restore)


@app.command()
@command
def init(
    plan: Annotated[str | None, typer.Option(help="Plan id or path to a plan YAML file.")] = None,
    demo: Annotated[bool, typer.Option(help="Load the shipped demo progress figures.")] = True,
    activity: Annotated[
        bool, typer.Option(help="Load the city's shipped activity data (once, if it has none).")
    ] = True,
    json_: JsonOpt = False,
) -> None:
    """Create the database, load the plan and the demo data. 初始化数据库并载入方案。"""
    p = platform(initialised=False)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        disable=json_,
    ) as bar:
        bar.add_task(
            "migrating database, loading plan, demo progress and activity data …", total=None
        )
        result = p.init(plan_source=plan, demo=demo, activity=activity)
    if json_:
        print_json(result)
        return
    console.print(
        f"[green]已初始化 Initialised[/] plan {result['plan']}: "
        f"{result['measures']} measures, {result['targets']} targets, "
        f"{result['sample_records']} progress records loaded, of which "
        f"{result['demo_records']} synthetic (演示数据 demo); "
        f"{result['activity_rows']} activity rows loaded"
    )
    _print_admin(result)


def _print_admin(result: dict[str, object]) -> None:
    if result.get("admin_password"):
        console.print(
            f"[bold]管理员账户 Administrator[/] {result['admin']} — 初始密码 password "
            f"(shown once, change it after logging in): [bold]{result['admin_password']}[/]",
            highlight=False,
        )


@app.command()
@command
def status(
    as_of: AsOfOpt = None,
    district: Annotated[str | None, typer.Option(help="A district's own figures.")] = None,
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
) -> None:
    """Status of every target, coloured. 各目标进展状态。"""
    from xietong.plan.progress import STATUS_ZH

    p = platform()
    plan = p.plan()
    day = as_date(as_of) or dt.date.today()
    dcode = plan.district(district).code if district else None
    assessments = p.assessments(day, dcode)
    if json_:
        print_json([a.model_dump(mode="json") for a in assessments.values()])
        return
    table = Table(title=f"{plan.title.get(lang)} — status on {day.isoformat()}")
    table.add_column("target", no_wrap=True)
    table.add_column("indicator", ratio=2)
    table.add_column("goal", ratio=1)
    table.add_column("deadline", no_wrap=True)
    table.add_column("latest")
    table.add_column("status", no_wrap=True)
    table.add_column("reason", ratio=2)
    for t in plan.targets:
        if t.id not in assessments:
            continue
        a = assessments[t.id]
        goal = t.direction.value + ("" if t.value is None else f" {t.value:g} {t.unit_text(lang)}")
        latest = (
            "—"
            if a.latest_value is None
            else (f"{a.latest_value:g} ({a.latest_period.year if a.latest_period else ''})")
        )
        label = STATUS_ZH[a.status.value] if lang == "zh" else a.status.value
        if a.on_estimate and a.basis is not None:
            sep = ":" if lang == "zh" else ": "
            label = f"{BASIS_LABEL['zh' if lang == 'zh' else 'en'][a.basis.value]}{sep}{label}"
        table.add_row(
            t.id,
            t.indicator.get(lang),
            goal,
            t.deadline.isoformat(),
            latest,
            f"[{STATUS_STYLE[a.status.value]}]{label}[/]",
            a.reason_in(lang),
        )
    console.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    init_db: Annotated[
        bool, typer.Option("--init/--no-init", help="Initialise the database first.")
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes (each keeps its own results; use about one per core).",
        ),
    ] = 1,
) -> None:
    """Run the web platform. 启动网页平台。"""
    import os
    import secrets

    import uvicorn

    from xietong.web.app import create_app
    from xietong.web.form_token import FORM_SECRET_ENV

    if init_db:
        with user_errors():
            _print_admin(platform(initialised=False).init())
    console.print(
        f"xietong 协同: http://{host}:{port} — 登录 log in at http://{host}:{port}/login "
        "(`xietong user add NAME --role ...` creates accounts; `xietong user password admin` "
        "sets a new administrator password)",
        highlight=False,
    )
    if workers > 1:
        # each process builds its own app (and platform) from the same settings, and signs
        # the public feedback form with the same key
        os.environ.setdefault(FORM_SECRET_ENV, secrets.token_hex(32))
        uvicorn.run(
            "xietong.web.app:served_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
        )
        return
    uvicorn.run(create_app(warm=True), host=host, port=port, log_level="info")


def main() -> None:
    """Entry point of the ``xietong`` script."""
    app()
