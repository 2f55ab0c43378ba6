"""``xietong plan …``: list measures, targets, bodies and districts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from xietong.cli.common import JsonOpt, LangOpt, command, console, platform, print_json
from xietong.errors import NotFound

app = typer.Typer(
    help="The plan: measures, targets, bodies, districts. 方案内容。", no_args_is_help=True
)


def _body_code(plan, body: str | None) -> str | None:  # type: ignore[no-untyped-def]
    if body is None:
        return None
    try:
        return str(plan.body(body).code)
    except KeyError:
        raise NotFound(
            f"no body '{body}' (use a code such as 'transport' or a name such as "
            "'市交通运输局'; 'xietong plan bodies' lists them)"
        ) from None


@app.command()
@command
def measures(
    body: Annotated[
        str | None,
        typer.Option(help="Only measures this body leads or cooperates on (code or Chinese name)."),
    ] = None,
    chapter: Annotated[int | None, typer.Option(help="Only this chapter number.")] = None,
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
) -> None:
    """List the plan's measures. 列出重点举措。"""
    plan = platform().plan()
    code = _body_code(plan, body)
    items = plan.measures_of_body(code) if code else list(plan.measures)
    if chapter is not None:
        items = [m for m in items if m.chapter == chapter]
    if json_:
        print_json([m.model_dump(mode="json") for m in items])
        return
    names = {b.code: b.name.get(lang) for b in plan.bodies}
    table = Table(title=f"{plan.title.get(lang)} — {len(items)} measures")
    for col in ("#", "chapter", "title", "lead", "cooperating"):
        table.add_column(col)
    for m in items:
        table.add_row(
            str(m.number),
            str(m.chapter),
            m.title.get(lang),
            names.get(m.lead or "", "—"),
            "、".join(names[c] for c in m.cooperating),
        )
    console.print(table)


@app.command()
@command
def targets(
    body: Annotated[str | None, typer.Option(help="Only targets this body answers for.")] = None,
    measure: Annotated[int | None, typer.Option(help="Only targets of this measure.")] = None,
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
) -> None:
    """List the plan's quantitative targets. 列出量化目标。"""
    plan = platform().plan()
    code = _body_code(plan, body)
    items = [
        t
        for t in plan.targets
        if (code is None or code in plan.responsible_bodies(t))
        and (measure is None or t.measure == measure)
    ]
    if json_:
        print_json([t.model_dump(mode="json") for t in items])
        return
    table = Table(title=f"{len(items)} targets")
    for col in ("id", "measure", "indicator", "direction", "value", "unit", "deadline"):
        table.add_column(col)
    for t in items:
        table.add_row(
            t.id,
            str(t.measure or "—"),
            t.indicator.get(lang),
            t.direction.value,
            "" if t.value is None else f"{t.value:g}",
            t.unit,
            t.deadline.isoformat(),
        )
    console.print(table)


@app.command()
@command
def bodies(json_: JsonOpt = False, lang: LangOpt = "zh") -> None:
    """List the responsible bodies. 列出责任单位。"""
    plan = platform().plan()
    if json_:
        print_json([b.model_dump(mode="json") for b in plan.bodies])
        return
    table = Table(title=f"{len(plan.bodies)} bodies")
    for col in ("code", "name", "leads", "cooperates"):
        table.add_column(col)
    for b in plan.bodies:
        leads = sum(1 for m in plan.measures if m.lead == b.code)
        coop = sum(1 for m in plan.measures if b.code in m.cooperating)
        table.add_row(b.code, b.name.get(lang), str(leads), str(coop))
    console.print(table)


@app.command()
@command
def districts(json_: JsonOpt = False, lang: LangOpt = "zh") -> None:
    """List the districts and zones. 列出各区及功能区。"""
    plan = platform().plan()
    if json_:
        print_json([d.model_dump(mode="json") for d in plan.districts])
        return
    table = Table(title=f"{len(plan.districts)} districts")
    for col in ("code", "name", "kind", "area km²", "population", "year"):
        table.add_column(col)
    for d in plan.districts:
        table.add_row(
            d.code,
            d.name.get(lang),
            d.kind.value,
            "—" if d.area_km2 is None else f"{d.area_km2:,.2f}",
            "—" if d.population is None else f"{d.population:,}",
            str(d.population_year or ""),
        )
    console.print(table)


@app.command("set-goal")
@command
def set_goal(
    target: Annotated[str, typer.Argument(help="The target id, e.g. pm25-2025.")],
    value: Annotated[float, typer.Argument(help="The assigned figure, in the target's unit.")],
    source: Annotated[
        str, typer.Option(help="The document that assigned it (title, number, date).")
    ],
    actor: Annotated[str, typer.Option(help="Who enters it (audit log).")] = "cli",
    json_: JsonOpt = False,
) -> None:
    """Enter a figure the plan leaves to the province's assignment. 录入省级下达目标值。"""
    t = platform().assign_goal(target, value, source=source, actor=actor).target(target)
    if json_:
        print_json(t.model_dump(mode="json"))
    else:
        console.print(
            f"[green]已录入 Entered[/] {t.id}: {t.direction.value} {t.value:g} {t.unit_text()} "
            f"({t.goal_source})"
        )
