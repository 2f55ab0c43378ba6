"""``xietong inventory build|show|export|import|template|uncertainty``: the emission inventory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

if TYPE_CHECKING:
    from xietong.accounting.inventory import InventoryOptions
from xietong.accounting.grid_regions import DEFAULT_GRID_REGION
from xietong.cli.common import (
    JsonOpt,
    command,
    console,
    export_kind,
    platform,
    print_json,
    print_wide,
    step_progress,
)
from xietong.errors import NotFound, NotInitialised

app = typer.Typer(
    help="The emission inventory: build, show, export, import activity data. 排放清单。",
    no_args_is_help=True,
)

GWPS = ("AR4", "AR5", "AR6")


def _gwp(value: str) -> str:
    if value not in GWPS:
        raise typer.BadParameter(f"'{value}': choose AR4, AR5 or AR6")
    return value


def _co2_method(value: str) -> str:
    if value not in ("china", "ipcc"):
        raise typer.BadParameter(f"'{value}': choose china or ipcc")
    return value


def _by(value: str) -> str:
    from xietong.service.inventory_views import ROLLUP_BY

    if value not in ROLLUP_BY:
        raise typer.BadParameter(f"'{value}': choose one of {', '.join(ROLLUP_BY)}")
    return value


GwpOpt = Annotated[
    str,
    typer.Option(
        "--gwp",
        callback=_gwp,
        help="GWP100 set for CO2e: AR4, AR5 (default) or AR6; named next to every CO2e figure.",
    ),
]
Co2MethodOpt = Annotated[
    str,
    typer.Option(
        "--co2-method",
        callback=_co2_method,
        help="Fuel CO2: china (AD × NCV × CC × OF × 44/12, default) or ipcc (AD × NCV × EF).",
    ),
]
GridOpt = Annotated[
    str,
    typer.Option(
        "--grid-region",
        help="Grid factor of purchased electricity: hubei (the province's, default), "
        "central_china (华中), national, …",
    ),
]
YearOpt = Annotated[int | None, typer.Option("--year", help="Only this year.")]


def _options(co2_method: str, grid_region: str) -> InventoryOptions:
    from xietong.accounting.inventory import InventoryOptions

    return InventoryOptions(co2_method=co2_method, grid_region=grid_region)


def _t(value: float) -> str:
    """Tonnes for a table cell: thousands separated, at most 4 significant digits below 1."""
    return f"{value:,.0f}" if abs(value) >= 1 else f"{value:.4g}"


def _scale(values: list[float]) -> tuple[str, float, int]:
    """A display unit for tonnes (t, kt or Mt) that keeps the largest value short: the unit,
    the factor from tonnes and the decimals to show."""
    top = max((abs(v) for v in values), default=0.0)
    if top >= 1e7:
        return "Mt", 1e-6, 2
    if top >= 1e5:
        return "kt", 1e-3, 1
    return "t", 1.0, 0 if top >= 100 else 2


def _kt(tonnes: float) -> str:
    """Tonnes shown in kilotonnes: one decimal from 0.1 kt, else 2 significant digits."""
    kt = tonnes / 1000
    return f"{kt:,.1f}" if abs(kt) >= 0.1 else f"{kt:.2g}"


@app.command()
@command
def build(
    co2_method: Co2MethodOpt = "china",
    grid_region: GridOpt = DEFAULT_GRID_REGION,
    gwp: GwpOpt = "AR5",
    update_targets: Annotated[
        bool,
        typer.Option(
            "--update-targets/--no-update-targets",
            help="Recompute the indicator values the inventory defines (default: yes; always "
            "with the platform's accounting options, whatever options show this view).",
        ),
    ] = True,
    json_: JsonOpt = False,
) -> None:
    """Build the inventory and print totals by year. 编制排放清单。"""
    from xietong.accounting.factors import load_gwp
    from xietong.service.inventory_views import (
        MAIN_POLLUTANTS,
        co2_calibers,
        estimate_share,
        year_totals,
    )

    p = platform()
    opts = _options(co2_method, grid_region)
    with step_progress(json_) as bar:
        steps = 3 if update_targets else 2
        task = bar.add_task("reading activity data …", total=steps)
        activities = p.activities()
        bar.update(
            task, advance=1, description=f"building the inventory of {len(activities)} rows …"
        )
        inv = p.inventory(opts)
        bar.update(task, advance=1)
        counts: dict[str, int] | None = None
        if update_targets:
            bar.update(task, description="computing indicators, updating targets …")
            counts = p.update_targets_from_inventory(gwp)
            bar.update(task, advance=1)
    gwp_set = load_gwp(gwp)
    totals = year_totals(inv, gwp_set)
    share = estimate_share(inv, gwp_set)
    calibers = co2_calibers(inv, p.statistics())
    if json_:
        print_json(
            {
                "years": inv.years,
                "editions": inv.editions,
                "options": {"co2_method": co2_method, "grid_region": grid_region},
                "gwp": gwp,
                "totals": totals,
                "calibers": calibers,
                "gaps": len(inv.gaps),
                "estimate_share": share,
                "targets": counts,
            }
        )
        return
    table = Table(title=f"温室气体 Greenhouse gases by year (t); GWP: {gwp}")
    table.add_column("year 年份")
    table.add_column("CO2 direct 直接", justify="right", no_wrap=True)
    table.add_column("CO2 indirect 间接", justify="right", no_wrap=True)
    table.add_column(f"CO2e direct ({gwp})", justify="right", no_wrap=True)
    for t in totals:
        table.add_row(
            str(t["year"]), _t(t["co2_direct"]), _t(t["co2_indirect"]), _t(t["co2e_direct"])
        )
    print_wide(table)
    cal = Table(
        title="二氧化碳排放口径 CO2 calibers (t): official 官方口径 (the intensity target's, the "
        "peak's) · D territorial 辖区 · F end-use 终端"
    )
    for name in ("year 年份", "official 官方", "D 辖区", "F 终端", "net import 净调入电力"):
        cal.add_column(name, justify="right", no_wrap=True)
    for c in calibers:
        cal.add_row(
            str(c["year"]),
            _t(c["official"]),
            _t(c["territorial"]),
            _t(c["enduse"]),
            _t(c["net_import"]),
        )
    print_wide(cal)
    shown = [s for s in MAIN_POLLUTANTS if any(s in t["pollutants"] for t in totals)]
    if shown:
        pollutants = Table(title="主要污染物 Main pollutants by year (kt, direct)")
        pollutants.add_column("year")
        for s in shown:
            pollutants.add_column(s, justify="right", no_wrap=True)
        for t in totals:
            pollutants.add_row(
                str(t["year"]),
                *(_kt(t["pollutants"][s]) if s in t["pollutants"] else "—" for s in shown),
            )
        print_wide(pollutants)
    console.print(
        f"factor editions 因子版本: {', '.join(inv.editions)} · CO2 method: {co2_method} · "
        f"grid: {grid_region} · {inv.row_count} emission rows · {len(inv.gaps)} gap(s)"
    )
    console.print(
        f"[yellow]估算 estimate[/]: {share['rows_share']:.0%} of activity rows, "
        f"{share['co2e_share']:.0%} of CO2e ({gwp}) rest on estimated figures"
    )
    if counts is not None:
        console.print(
            f"[green]indicator values recomputed 指标值已重算[/]: {counts['records']} values "
            f"from the inventory and the scenarios ({counts['inserted']} new, "
            f"{counts['updated']} changed, {counts['unchanged']} unchanged, "
            f"{counts['deleted']} removed); "
            "reported figures of these indicators stay beside them as comparisons"
        )


@app.command()
@command
def show(
    year: YearOpt = None,
    by: Annotated[
        str,
        typer.Option(
            "--by", callback=_by, help="sector (default), district, substance, subsector …"
        ),
    ] = "sector",
    substance: Annotated[
        str | None,
        typer.Option(help="Tonnes of this substance (e.g. SO2) instead of CO2e."),
    ] = None,
    gwp: GwpOpt = "AR5",
    scope: Annotated[
        str, typer.Option(help="direct (default) or indirect (purchased electricity, heat).")
    ] = "direct",
    row: Annotated[
        int | None, typer.Option("--row", help="Print how emission row N was computed.")
    ] = None,
    co2_method: Co2MethodOpt = "china",
    grid_region: GridOpt = DEFAULT_GRID_REGION,
    json_: JsonOpt = False,
) -> None:
    """Show the inventory rolled up, or the trace of one row. 查看排放清单。"""
    from xietong.accounting.activity import sectors
    from xietong.accounting.factors import load_gwp
    from xietong.service.inventory_views import rollup_records

    if scope not in ("direct", "indirect"):
        raise typer.BadParameter("choose direct or indirect", param_hint="--scope")
    inv = platform().inventory(_options(co2_method, grid_region))
    if row is not None:
        try:
            trace = inv.trace(row)
        except KeyError:
            raise NotFound(f"no emission row {row} (rows are 0 to {inv.row_count - 1})") from None
        if json_:
            print_json(trace)
        else:
            _print_trace(trace)
        return
    if year is not None and year not in inv.years:
        raise NotFound(f"no year {year} in the inventory (years: {inv.years})")
    gwp_set = None if substance else load_gwp(gwp)
    records = rollup_records(inv, by, year=year, substance=substance, gwp=gwp_set, scope=scope)
    if json_:
        print_json(records)
        return
    unit, k, decimals = _scale([r["value"] for r in records])
    what = f"{substance} ({unit})" if substance else f"CO2e ({unit} CO2e), GWP: {gwp}"
    years = [year] if year is not None else inv.years
    table = Table(title=f"排放 Emissions {scope} by {by} — {what}")
    table.add_column(by, overflow="fold", max_width=24)
    show_substance = by != "substance" and not gwp_set
    if show_substance:
        table.add_column("substance")
    for y in years:
        table.add_column(str(y), justify="right", no_wrap=True)
    cells: dict[tuple[str, str], dict[int, float]] = {}
    for r in records:
        cells.setdefault((r["key"], r["substance"]), {})[r["year"]] = r["value"]
    names = sectors()
    for (key, sub), values in cells.items():
        label = f"{key} {names[key].zh}" if by == "sector" and key in names else key
        table.add_row(
            label,
            *([sub] if show_substance else []),
            *(f"{values[y] * k:,.{decimals}f}" if y in values else "—" for y in years),
        )
    print_wide(table)
    if not records:
        console.print("no emissions match 无匹配数据")


def _print_trace(trace: dict[str, Any]) -> None:
    a = trace["activity"]
    where = " ".join(
        x
        for x in (
            str(a["year"]),
            a["district"],
            f"{a['sector']}/{a['subsector'] or '—'}",
            a["activity"],
            a["technology"],
            a["control"],
        )
        if x
    )
    console.print(
        f"[bold]row {trace['row_id']}[/]: {trace['substance']} ({trace['scope']}) of {where} · "
        f"method {trace['method']}",
        highlight=False,
    )
    for i, t in enumerate(trace["terms"]):
        sign = " " if i == 0 else "×"
        head = f"{sign} {t['name']:<12} {t['value']:,.6g} {t['unit']}"
        if t.get("factor_id"):
            verified = "verified 已核实" if t.get("verified") else "not verified 未核实"
            console.print(
                f"{head}   [{t['factor_id']} · {t.get('edition', '')} · {verified}]",
                markup=False,
                highlight=False,
            )
            source = ", ".join(x for x in (t.get("source_document"), t.get("source_table")) if x)
            console.print(f"      source 来源: {source}", markup=False, highlight=False)
        elif i == 0:
            console.print(
                f"{head}   [activity 活动 · quality 质量: {a['quality']}]",
                markup=False,
                highlight=False,
            )
            console.print(f"      source 来源: {a['source'] or '—'}", markup=False, highlight=False)
        else:
            console.print(f"{head}   ({t.get('source', '')})", markup=False, highlight=False)
    console.print(f"= {trace['value']:,.6g} t", markup=False, highlight=False)
    console.print(f"formula 公式: {trace['formula']}", markup=False, highlight=False)


@app.command()
@command
def export(
    file: Annotated[Path, typer.Argument(help="Where to write: .xlsx or .csv.")],
    format_: Annotated[
        str | None,
        typer.Option(
            "--format", help="xlsx, csv or iamc (IAMC table via pyam); default: the suffix."
        ),
    ] = None,
    gwp: GwpOpt = "AR5",
    co2_method: Co2MethodOpt = "china",
    grid_region: GridOpt = DEFAULT_GRID_REGION,
) -> None:
    """Export the inventory (Excel, CSV or IAMC). 导出排放清单。"""
    kind = export_kind(file, format_)
    with console.status(f"exporting the inventory to {file.name} …"):
        result = platform().export_inventory(
            file, kind, gwp=gwp, options=_options(co2_method, grid_region)
        )
    console.print(
        f"[green]已导出 Exported[/] {result['format']} to {file} ({result['rows']} "
        f"{'variables' if kind == 'iamc' else 'rows'}; GWP: {gwp})"
    )


@app.command("import")
@command
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="An .xlsx, .csv (UTF-8 or GBK) or .parquet activity table (see "
            "`xietong inventory template`).",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    actor: Annotated[str, typer.Option(help="Who is importing (audit log).")] = "cli",
    json_: JsonOpt = False,
) -> None:
    """Replace the activity data, all or nothing. 导入活动水平数据(整体成功或整体拒绝)。"""
    p = platform()
    with step_progress(json_) as bar:
        task = bar.add_task(f"reading {file.name} …", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)
            if total and done >= total:
                bar.update(task, description="computing the derived values …")

        counts = p.import_activity_file(file, actor, progress=advance)
    if json_:
        print_json({"file": str(file), **counts})
    else:
        console.print(
            f"[green]导入成功 Imported[/] {file.name}: {counts['inserted']} activity rows "
            f"(replacing {counts['deleted']})"
        )


@app.command()
@command
def template(
    file: Annotated[Path, typer.Argument(help="Where to write the .xlsx template.")],
) -> None:
    """Write the activity-data Excel template. 生成活动水平数据模板。"""
    from xietong.files.activity_files import write_activity_template

    if file.suffix.lower() != ".xlsx":
        raise typer.BadParameter("the template file must end in .xlsx", param_hint="FILE")
    p = platform()
    try:
        districts = [(d.code, d.name.zh, d.name.en) for d in p.plan().districts]
    except (NotFound, NotInitialised):
        districts = []  # no database yet: the template lists 'city' only
    n = write_activity_template(file, districts=districts)
    console.print(f"[green]已生成 Written[/] {file} ({n} example rows, one per sector)")


@app.command()
@command
def uncertainty(
    year: YearOpt = None,
    draws: Annotated[int, typer.Option(min=100, max=1_000_000, help="Monte Carlo draws.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same intervals).")] = 20230,
    gwp: GwpOpt = "AR5",
    co2_method: Co2MethodOpt = "china",
    grid_region: GridOpt = DEFAULT_GRID_REGION,
    json_: JsonOpt = False,
) -> None:
    """95 % intervals of CO2e per sector and in total (IPCC approach 1 and Monte Carlo).
    不确定性分析。"""
    from xietong.accounting.factors import load_gwp
    from xietong.service.inventory_views import uncertainty_table

    p = platform()
    with step_progress(json_) as bar:
        task = bar.add_task("building the inventory …", total=3)
        inv = p.inventory(_options(co2_method, grid_region))
        chosen = year if year is not None else (inv.years[-1] if inv.years else None)
        if chosen is None or chosen not in inv.years:
            raise NotFound(f"no year {year} in the inventory (years: {inv.years})")

        def step(description: str) -> None:
            bar.update(task, advance=1, description=description)

        rows = uncertainty_table(
            inv, load_gwp(gwp), year=chosen, draws=draws, seed=seed, progress=step
        )
    if json_:
        print_json(rows)
        return
    table = Table(
        title=f"不确定性 Uncertainty of CO2e {chosen} (t; GWP: {gwp}; {draws:,} draws, seed {seed})"
    )
    table.add_column("sector", no_wrap=True)
    for col in ("CO2e", "approach 1 ±%", "MC mean", "MC 2.5%", "MC 97.5%"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in rows:
        key = r["sector"]
        label = "合计 total" if key == "total" else key
        table.add_row(
            label,
            _t(r["value"]),
            f"±{r['approach1_u95_pct']:.1f}",
            _t(r["mc_mean"]),
            _t(r["mc_p2_5"]),
            _t(r["mc_p97_5"]),
            style="bold" if key == "total" else None,
        )
    print_wide(table)
