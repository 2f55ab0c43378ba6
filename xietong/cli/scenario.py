"""``xietong scenario list|run|compare|export|uncertainty|sensitivity``: pathways to 2035 under
the baseline, the plan's measures and stronger ones (情景分析), on the stored activity data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from xietong.cli.common import (
    STATUS_STYLE,
    JsonOpt,
    LangOpt,
    command,
    console,
    export_kind,
    platform,
    print_json,
    print_wide,
)
from xietong.cli.inventory import GwpOpt
from xietong.scenarios.bounds import MAX_DRAWS, SOBOL_N

if TYPE_CHECKING:
    from xietong.scenarios.scenario import Scenario
    from xietong.service.platform import Platform

app = typer.Typer(
    help="Scenarios to 2035: pathways, carbon peak, targets, wedges, uncertainty. 情景分析。",
    no_args_is_help=True,
)

ESTIMATE_NOTE = (
    "[yellow]估算 estimate[/]: the drivers (GDP and population growth, elasticities) and "
    "{n} of {m} lever sizes are estimates; only a lever whose basis cites a plan target or a "
    "figure in the plan's text (a plan clause) is sized by the plan"
)


@contextmanager
def _busy(json_: bool, what: str) -> Iterator[None]:
    """Rich progress (spinner and elapsed time) while a scenario runs; none with ``--json``,
    whose output must stay plain JSON."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=json_,
    ) as bar:
        bar.add_task(f"{what} …", total=None)
        yield


def _is_file(arg: str) -> bool:
    return arg.lower().endswith((".yaml", ".yml")) or "/" in arg or "\\" in arg


def _scenario(p: Platform, arg: str) -> Scenario:
    """A scenario by id, or an analyst's own scenario file."""
    return p.scenario_file(Path(arg)) if _is_file(arg) else p.scenario(arg)


def _name(rec: dict[str, Any], lang: str) -> str:
    return str(rec["zh"] if lang == "zh" else rec["en"])


def _t(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def _g(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def _estimate_note(levers: list[dict[str, Any]]) -> None:
    n = sum(1 for lv in levers if lv["estimate"])
    console.print(ESTIMATE_NOTE.format(n=n, m=len(levers)), highlight=False)


@app.command("list")
@command
def list_(json_: JsonOpt = False, lang: LangOpt = "zh") -> None:
    """The shipped and the user scenarios. 情景列表。"""
    rows = platform().scenarios()
    if json_:
        print_json(rows)
        return
    table = Table(title="情景 Scenarios")
    for col in ("id", "name 名称", "levers 措施", "kind 类型", "extends 继承"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["id"]),
            _name(r, lang) if not r["error"] else f"[red]{r['error']}[/]",
            str(r["levers"]),
            "user 用户" if r["user"] else "shipped 内置",
            str(r["extends"] or "—"),
        )
    print_wide(table)


def _print_run(rec: dict[str, Any], lang: str) -> None:
    from xietong.scenarios.projection import PEAK_INDICATOR
    from xietong.service.scenario_views import PATHWAY_POLLUTANTS

    s = rec["scenario"]
    base = rec["base_year"]
    table = Table(
        title=f"情景 {s['id']} — {_name(s, lang)}: pathway 排放路径 (t; history to {base}, "
        "projected after)"
    )
    table.add_column("year 年份")
    table.add_column("CO2 official caliber 官方口径CO2", justify="right", no_wrap=True)
    for sub in PATHWAY_POLLUTANTS:
        table.add_column(f"{sub} direct", justify="right", no_wrap=True)
    table.add_column("")
    for p in rec["pathway"]:
        table.add_row(
            str(p["year"]),
            _t(p[PEAK_INDICATOR]),
            *(_t(p[sub]) for sub in PATHWAY_POLLUTANTS),
            "预测 projected" if p["projected"] else "历史 history",
            style="bold" if p["year"] == rec["peak"]["year"] else None,
        )
    print_wide(table)
    _print_peak(rec["peak"])
    _print_targets(rec["targets"], lang)
    _estimate_note(s["levers"])


def _print_peak(peak: dict[str, Any]) -> None:
    from xietong.service.scenario_views import PEAK_YEARS

    by = " · ".join(f"{y} {'yes 是' if peak['peaked_by'][str(y)] else 'no 否'}" for y in PEAK_YEARS)
    turned = (
        ""
        if peak["peaked_in_series"]
        else " (still rising or within 2 % of the peak at the horizon: the peak may lie beyond)"
    )
    console.print(
        f"[bold]达峰 Peak[/]: {peak['year']}, {_t(peak['value'])} t CO2 (plateau 平台期 "
        f"{peak['plateau_start']}–{peak['plateau_end']}); peaked by 是否已达峰: {by}{turned}",
        highlight=False,
    )


def _status(status: str, lang: str) -> str:
    from xietong.plan.progress import STATUS_ZH

    label = STATUS_ZH[status] if lang == "zh" else status
    return f"[{STATUS_STYLE[status]}]{label}[/]"


def _print_targets(targets: list[dict[str, Any]], lang: str) -> None:
    table = Table(title="目标核对 Target checklist (status on each deadline, projected values)")
    table.add_column("target 目标", no_wrap=True)
    table.add_column("indicator 指标")
    for col in ("goal 目标值", "deadline", "status 状态", "year met 达成年份"):
        table.add_column(col, no_wrap=True)
    table.add_column("value at deadline", justify="right", no_wrap=True)
    table.add_column("shortfall 差距", justify="right", no_wrap=True)
    for t in targets:
        unit = t["unit_zh"] if lang == "zh" else t["unit_en"]
        goal = f"{t['direction']} {_g(t['goal'])} {unit}" if t["goal"] is not None else "—"
        table.add_row(
            t["target_id"],
            t["indicator_zh"] if lang == "zh" else t["indicator_en"],
            goal,
            t["deadline"],
            _status(t["status"], lang),
            str(t["year_met"] or "—"),
            _g(t["value_at_deadline"]),
            _g(t["shortfall"]),
        )
    print_wide(table)


@app.command()
@command
def run(
    scenario: Annotated[
        str, typer.Argument(help="A scenario id (see `xietong scenario list`) or a YAML file.")
    ],
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
) -> None:
    """Project a scenario: pathway, peak and target checklist. 运行情景。"""
    from xietong.service.scenario_views import run_record, scenario_record

    p = platform()
    with _busy(json_, f"running {scenario}"):
        s = _scenario(p, scenario)
        result = p.run_scenario(s)
        user = not _is_file(scenario) and p.is_user_scenario(scenario)
        rec = run_record(scenario_record(s, user=user), result, p.plan(), p.drivers().base_year)
    if json_:
        print_json(rec)
        return
    _print_run(rec, lang)


@app.command()
@command
def compare(
    scenarios: Annotated[list[str], typer.Argument(help="Two or more scenario ids.")],
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
) -> None:
    """Scenarios side by side: CO2 pathways, peaks, targets. 情景对比。"""
    from xietong.scenarios.projection import PEAK_INDICATOR
    from xietong.service.scenario_views import PEAK_YEARS

    p = platform()
    with _busy(json_, f"running {', '.join(scenarios)}"):
        rec = p.compare(scenarios)
    if json_:
        print_json(rec)
        return
    runs: list[dict[str, Any]] = rec["scenarios"]
    table = Table(title="能源消费CO2 End-use energy CO2 by scenario (t)")
    table.add_column("year 年份")
    for r in runs:
        table.add_column(str(r["id"]), justify="right", no_wrap=True)
    for i, year in enumerate(rec["years"]):
        table.add_row(str(year), *(_t(r["pathway"][i][PEAK_INDICATOR]) for r in runs))
    print_wide(table)
    peaks = Table(title="达峰 Peaks")
    for col in ("scenario 情景", "peak year", "peak t CO2", "plateau 平台期"):
        peaks.add_column(col)
    for y in PEAK_YEARS:
        peaks.add_column(f"by {y}")
    for r in runs:
        pk = r["peak"]
        peaks.add_row(
            f"{r['id']} {_name(r, lang)}",
            str(pk["year"]),
            _t(pk["value"]),
            f"{pk['plateau_start']}–{pk['plateau_end']}",
            *("是 yes" if pk["peaked_by"][str(y)] else "否 no" for y in PEAK_YEARS),
        )
    print_wide(peaks)
    targets = Table(title="目标核对 Targets by scenario (status on the deadline; year met)")
    targets.add_column("target 目标", no_wrap=True)
    for r in runs:
        targets.add_column(str(r["id"]), no_wrap=True)
    ids = [t["target_id"] for t in runs[0]["targets"]] if runs else []
    for tid in ids:
        cells = []
        for r in runs:
            t = next((x for x in r["targets"] if x["target_id"] == tid), None)
            cells.append(
                "—" if t is None else f"{_status(t['status'], lang)} {t['year_met'] or ''}".rstrip()
            )
        targets.add_row(tid, *cells)
    print_wide(targets)


@app.command()
@command
def export(
    file: Annotated[Path, typer.Argument(help="Where to write: .csv or .xlsx.")],
    format_: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="iamc (IAMC table via pyam), xlsx (workbook) or csv (long table); "
            "default: the suffix.",
        ),
    ] = None,
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", "-s", help="A scenario to export (repeat; default: all)."),
    ] = None,
    gwp: GwpOpt = "AR5",
) -> None:
    """Export scenario runs (IAMC, Excel or CSV). 导出情景结果。"""
    kind = export_kind(file, format_)
    p = platform()
    ids = scenario or p.scenario_ids()
    with _busy(False, f"running {', '.join(ids)} and writing {file.name}"):
        result = p.export_scenarios(file, ids, kind, gwp=gwp)
    console.print(
        f"[green]已导出 Exported[/] {kind} of {', '.join(ids)} to {file} ({result['rows']} "
        f"{'variables' if kind == 'iamc' else 'rows'}; GWP: {gwp})"
    )


@app.command()
@command
def uncertainty(
    scenario: Annotated[str, typer.Argument(help="A scenario id or a YAML file.")],
    draws: Annotated[int, typer.Option(min=10, max=MAX_DRAWS, help="Monte Carlo draws.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same fan).")] = 20230,
    json_: JsonOpt = False,
) -> None:
    """Monte Carlo fan of CO2 (official caliber) and P(peak by 2025/2030/2035). 不确定性分析。"""
    from xietong.service.scenario_views import fan_record

    p = platform()
    with _busy(json_, f"{draws:,} Monte Carlo runs of {scenario}"):
        s = _scenario(p, scenario)
        rec = fan_record(p.scenario_uncertainty(s, draws, seed), p.drivers().base_year)
    if json_:
        print_json(rec)
        return
    table = Table(
        title=f"不确定性 Uncertainty of CO2, official caliber (t), {s.id}: {draws:,} draws, "
        f"seed {seed}"
    )
    table.add_column("year 年份")
    for q in rec["percentiles"]:
        table.add_column(f"P{q}", justify="right", no_wrap=True)
    for year, values in zip(rec["years"], rec["values"], strict=True):
        if year >= rec["base_year"]:
            table.add_row(str(year), *(_t(v) for v in values))
    print_wide(table)
    console.print(
        "P(peaked by 已达峰概率): "
        + " · ".join(f"{y} {p_:.1%}" for y, p_ in rec["p_peak_by"].items()),
        highlight=False,
    )
    console.print(
        "Drawn: annual GDP growth ± sd 1 point, population ± 0.2 point, each lever's strength "
        "uniform in 50–100 % of planned (docs/methods/scenarios.md)",
        highlight=False,
    )


@app.command()
@command
def sensitivity(
    scenario: Annotated[str, typer.Argument(help="A scenario id or a YAML file.")],
    year: Annotated[int, typer.Option(min=1900, max=2100, help="Projected year.")] = 2030,
    n: Annotated[int, typer.Option("--n", help="Sobol base sample size (64 … 1024).")] = 256,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 20230,
    json_: JsonOpt = False,
) -> None:
    """Which assumptions matter: Sobol indices and one-at-a-time swings. 敏感性分析。"""
    if n not in SOBOL_N:
        raise typer.BadParameter(f"choose one of {', '.join(map(str, SOBOL_N))}", param_hint="--n")
    p = platform()
    with _busy(json_, f"sensitivity of {scenario}"):
        s = _scenario(p, scenario)
        try:
            rec = p.sensitivity(s, year=year, n=n, seed=seed)
        except ValueError as e:  # beyond the budget for this many levers
            raise typer.BadParameter(str(e), param_hint="--n") from e
    if json_:
        print_json(rec)
        return
    oat = {r["input"]: r for r in rec["one_at_a_time"]}
    table = Table(
        title=f"敏感性 Sensitivity of CO2 (official caliber) in {year} ({s.id}; Sobol N={n}, "
        f"seed {seed})"
    )
    for col in ("input 输入", "S1", "ST", "low → t", "high → t", "swing t"):
        table.add_column(col, justify="left" if col.startswith("input") else "right")
    for r in rec["sobol"]:
        o = oat.get(r["input"], {})
        table.add_row(
            r["input"],
            f"{r['s1']:.3f}",
            f"{r['st']:.3f}",
            _t(o.get("low")),
            _t(o.get("high")),
            _t(o.get("swing")),
        )
    print_wide(table)


@app.command()
@command
def optimise(
    peak_by: Annotated[
        int | None,
        typer.Option("--peak-by", min=2000, max=2100, help="CO2 (official caliber) peaks by."),
    ] = None,
    nox_cap: Annotated[
        float | None, typer.Option("--nox-cap", min=0, help="NOx cap, t per year.")
    ] = None,
    vocs_cap: Annotated[
        float | None, typer.Option("--vocs-cap", min=0, help="VOCs cap, t per year.")
    ] = None,
    so2_cap: Annotated[
        float | None, typer.Option("--so2-cap", min=0, help="SO2 cap, t per year.")
    ] = None,
    pm25_cap: Annotated[
        float | None, typer.Option("--pm25-cap", min=0, help="PM2.5 cap, t per year.")
    ] = None,
    cap_from: Annotated[
        int, typer.Option("--cap-from", min=2000, max=2100, help="First year the caps apply.")
    ] = 2025,
    co_benefit: Annotated[
        bool,
        typer.Option(
            "--co-benefit", help="Value avoided pollutants at the environmental tax (CNY/t)."
        ),
    ] = False,
    save: Annotated[
        str | None,
        typer.Option("--save", help="Save the result as this user scenario (then list/run it)."),
    ] = None,
    actor: Annotated[
        str, typer.Option(help="Who saves the scenario (recorded in the audit log).")
    ] = "cli",
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
) -> None:
    """The least-cost lever strengths for a peak year and pollutant caps (HiGHS), checked by
    re-running the projection; shadow prices are the marginal abatement costs.
    最低成本减排路径。"""
    from xietong.scenarios.least_cost import Request, caps_of
    from xietong.service.scenario_views import least_cost_record

    caps = caps_of(nox_cap, vocs_cap, so2_cap, pm25_cap)
    request = Request(peak_by=peak_by, caps=caps, cap_from=cap_from, co_benefit=co_benefit)
    p = platform()
    with _busy(json_, "solving the least-cost pathway"):
        result = p.least_cost(request)
        rec = least_cost_record(result)
        saved = p.save_least_cost(request, save, actor) if save else None
    if json_:
        print_json({**rec, "saved": saved.id if saved else None})
        return
    req = rec["request"]
    table = Table(title=f"最低成本路径 Least-cost pathway: {req['zh']} / {req['en']}")
    for col in ("lever 措施", "strength 力度", "range 范围", "PV cost 成本现值 (亿 CNY)"):
        table.add_column(col, justify="left" if col.startswith("lever") else "right")
    for lv in rec["levers"]:
        table.add_row(
            _name(lv, lang),
            f"{lv['strength']:.3f}",
            "fixed 固定" if lv["fixed"] else f"{lv['min']:g}–{lv['max']:g}",
            f"{lv['cost'] / 1e8:,.2f}",
        )
    print_wide(table)
    console.print(
        f"cost 成本现值 {rec['cost'] / 1e8:,.2f}亿 CNY (discount rate {rec['discount_rate']:.0%}); "
        f"plan scenario 规划情景 {rec['plan_cost'] / 1e8:,.2f}亿 CNY, "
        + ("meets 满足约束" if rec["plan_meets"] else "does not meet 不满足约束"),
        highlight=False,
    )
    for c in rec["binding"]:
        console.print(
            f"binding 起作用的约束: {c['name']} — shadow price 影子价格 "
            f"{c['shadow_price']:,.0f} CNY/t",
            highlight=False,
        )
    if rec["check_holds"]:
        console.print("[green]re-run through the projection: every constraint holds 复算成立[/]")
    else:
        console.print(
            "[red]re-run 复算不成立:[/] " + "; ".join(rec["check_failures"]), highlight=False
        )
    console.print(
        "Costs are estimates: data/scenarios/costs/lever_costs.yaml; method: "
        "docs/methods/scenarios.md (Least-cost pathway).",
        highlight=False,
    )
    if saved:
        console.print(
            f"[green]saved 已保存[/] as scenario {saved.id}: xietong scenario run {saved.id}"
        )
