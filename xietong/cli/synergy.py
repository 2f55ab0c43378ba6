"""``xietong synergy index|coordinates|decompose|measures``: the synergy of pollution and
carbon reduction (减污降碳协同), on the database or, with ``--activity``, on an analyst's own
files (no database touched)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.measure import Measurement
from rich.table import Table

if TYPE_CHECKING:
    from xietong.service.synergy_views import (
        SynergyData,
    )
from xietong.accounting.grid_regions import DEFAULT_GRID_REGION
from xietong.cli.common import JsonOpt, command, console, platform, print_json
from xietong.cli.inventory import Co2MethodOpt, GridOpt, GwpOpt
from xietong.errors import XietongError

app = typer.Typer(
    help="Synergy of pollution and carbon reduction: synergy degree, co-control coordinates, "
    "LMDI drivers, measures and MAC curve. 减污降碳协同评估。",
    no_args_is_help=True,
)

FACTOR_ZH = {
    "population": "人口",
    "gdp_per_capita": "人均GDP",
    "energy_intensity": "能源强度",
    "energy_mix": "能源结构",
    "emission_factor": "排放因子(含末端治理)",
    "activity": "经济规模",
    "structure": "产业结构",
    "intensity": "产业能源强度",
    "household_intensity": "居民人均能耗",
}

ActivityOpt = Annotated[
    Path | None,
    typer.Option(
        "--activity",
        exists=True,
        dir_okay=False,
        readable=True,
        help="Compute on this activity table (.xlsx or .csv, the import template's columns) "
        "instead of the database's; nothing is written.",
    ),
]
StatisticsOpt = Annotated[
    Path | None,
    typer.Option(
        "--statistics",
        exists=True,
        dir_okay=False,
        readable=True,
        help="City statistics CSV (year,indicator,value,unit,source,quality[,district]) instead "
        "of the city's shipped statistics.",
    ),
]
Year0Opt = Annotated[
    int | None,
    typer.Option("--year0", min=1900, max=2100, help="First year (default: 2015 if present)."),
]
Year1Opt = Annotated[
    int | None,
    typer.Option("--year1", min=1900, max=2100, help="Second year (default: the latest)."),
]


def _substance(value: str) -> str:
    from xietong.service.synergy_views import STRUCTURAL_SUBSTANCES

    if value not in STRUCTURAL_SUBSTANCES:
        raise typer.BadParameter(f"'{value}': choose one of {', '.join(STRUCTURAL_SUBSTANCES)}")
    return value


def _ghg(value: str) -> str:
    from xietong.service.synergy_views import GHG_MEASURES

    if value not in GHG_MEASURES:
        raise typer.BadParameter(f"'{value}': choose {' or '.join(GHG_MEASURES)}")
    return value


def _apeq_weights(value: str) -> str:
    from xietong.synergy.equivalents import weight_sets

    if value not in weight_sets():
        raise typer.BadParameter(f"'{value}': choose one of {', '.join(weight_sets())}")
    return value


def _data(
    activity: Path | None,
    statistics: Path | None,
    co2_method: str,
    grid_region: str,
    measures: Path | None = None,
) -> SynergyData:
    """The figures' inputs: the analyst's files (``--activity``), else the database."""
    from xietong.accounting.factors import FactorLibrary
    from xietong.accounting.inventory import InventoryOptions
    from xietong.config import Settings
    from xietong.files.activity_files import read_activity_file
    from xietong.plan.loader import load_plan
    from xietong.service.base import city_file
    from xietong.service.synergy_views import SynergyData

    options = InventoryOptions(co2_method=co2_method, grid_region=grid_region)
    settings = Settings()
    if activity is None:
        p = platform()
        if statistics is not None:
            p.statistics_file = statistics
        if measures is not None:
            p.measures_file = measures
        return p.synergy_data(options)
    plan = load_plan(settings.plan)
    acts = read_activity_file(activity, districts=[d.code for d in plan.districts])
    city = settings.plan.split("-")[0]
    stats_file = statistics or city_file(city, "statistics.csv")
    library = FactorLibrary.load(settings.factors_dir)
    return SynergyData.from_files(acts, stats_file, library, options, measures, city)


def _busy(json_: bool, what: str) -> AbstractContextManager[object]:
    """A Rich spinner while the inventory is built and the figures computed (none with
    ``--json``, whose output must stay plain JSON)."""
    return nullcontext() if json_ else console.status(f"{what} …")


def _print(table: Table) -> None:
    """Print a table at its natural width (no figure or label cut short); wider than the
    terminal, the terminal wraps the lines."""
    need = Measurement.get(console, console.options.update(max_width=10_000), table).maximum
    width = console.width
    console.width = max(width, need)
    try:
        console.print(table)
    finally:
        console.width = width


def _estimate_note(data: SynergyData) -> None:
    """Say how much of the figures rests on estimated (or demo) activity data and statistics."""
    from xietong.accounting.factors import load_gwp
    from xietong.service.inventory_views import ESTIMATED, estimate_share

    share = estimate_share(data.inventory, load_gwp("AR5"))
    years = sorted(
        {
            s.year
            for s in data.statistics
            if s.year in data.years and (s.quality in ESTIMATED or "估算" in s.source)
        }
    )
    console.print(
        f"[yellow]估算 estimate[/]: {share['rows_share']:.0%} of the activity rows and "
        f"{share['co2e_share']:.0%} of direct CO2e (GWP AR5) rest on estimated or demo figures; "
        f"statistics with estimates: {', '.join(map(str, years)) or 'none'}",
        highlight=False,
    )


def _years(data: SynergyData, year0: int | None, year1: int | None) -> tuple[int, int]:
    first, last = data.default_years()
    return (first if year0 is None else year0), (last if year1 is None else year1)


def _f(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _t(value: float | None) -> str:
    """Tonnes (or CNY) for a table cell: thousands separated, 3 significant digits below 100."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}%"


@app.command()
@command
def index(
    districts: Annotated[
        bool, typer.Option("--districts", help="Also rank the districts (with --year).")
    ] = False,
    year: Annotated[
        int | None,
        typer.Option("--year", min=1900, max=2100, help="Year of the district ranking."),
    ] = None,
    activity: ActivityOpt = None,
    statistics: StatisticsOpt = None,
    co2_method: Co2MethodOpt = "china",
    grid_region: GridOpt = DEFAULT_GRID_REGION,
    weights: Annotated[
        str,
        typer.Option(
            "--weights",
            help="Indicator weights within a subsystem: expert (documented) or entropy.",
        ),
    ] = "expert",
    json_: JsonOpt = False,
) -> None:
    """The synergy degree D by year: the scores of the four subsystems (emissions, structure,
    environmental quality, co-control effect), C, T, D and the grade, every indicator scored
    against fixed references; the missing indicators and the years whose grade contradicts
    their co-control coordinates. 协同度。"""
    from xietong.service.synergy_views import district_records, series_records
    from xietong.synergy.index import WEIGHTINGS, load_system

    if weights not in WEIGHTINGS:
        raise typer.BadParameter(f"choose {' or '.join(WEIGHTINGS)}", param_hint="--weights")
    system = load_system()
    ranking: list[dict[str, Any]] | None = None
    chosen: int | None = None
    with _busy(json_, "computing the synergy degree"):
        data = _data(activity, statistics, co2_method, grid_region)
        series = series_records(data.series(system, weights))
        if districts:
            chosen = year if year is not None else data.default_years(system)[1]
            ranking = district_records(data.districts(chosen, system))
    if json_:
        body: dict[str, Any] = {
            "base_year": system.reference_year,
            "version": system.version,
            "weights": weights,
            "series": series,
        }
        if districts:
            body.update({"year": chosen, "districts": ranking})
        print_json(body)
        return
    subs = system.subsystems
    table = Table(
        title=f"协同度 Synergy degree D (indicator system v{system.version}, {weights} weights; "
        f"pass mark at the {system.reference_year} value or the standard, full marks at the "
        "target)"
    )
    table.add_column("year 年份")
    for sub in subs:
        table.add_column(f"U {sub.zh} {sub.en}", justify="right")
    for col in ("C", "T", "D"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("grade 等级", no_wrap=True)
    table.add_column("missing 缺项")
    for r in series:
        flag = "" if r["consistent"] else " [red]⚠[/]"
        table.add_row(
            str(r["year"]),
            *(_f(r["u"].get(sub.id)) for sub in subs),
            _f(r["c"]),
            _f(r["t"]),
            f"[bold]{r['d']:.3f}[/]{flag}",
            f"{r['grade']} {r['grade_zh']} {r['grade_en']}",
            ", ".join(r["missing"]) or "—",
        )
    _print(table)
    for r in series:
        if not r["consistent"]:
            console.print(f"[red]⚠[/] {r['flag_zh']} / {r['flag_en']}", highlight=False)
    console.print(
        "Method: docs/methods/synergy.md. A year that lacks an indicator is scored on those it "
        "has, and judges the plan target only as an estimate.",
        highlight=False,
    )
    _estimate_note(data)
    if ranking is None:
        return
    if not ranking:
        console.print(
            f"[yellow]暂无分区数据 No district data yet[/] for {chosen}: no district has its own "
            "activity rows and statistics (GDP, real index, population), and the city ships no "
            "district allocation (proxy shares)."
        )
        return
    if ranking[0]["basis"] == "allocated":
        label = "[bold yellow]演示数据 demo[/] " if ranking[0]["demo"] else ""
        console.print(
            f"{label}城市级活动按代理指标份额分配到各区 City-wide activity rows allocated to the "
            "districts by proxy shares (population: 2020 census; GDP, industry, agriculture, "
            "forest and port shares: demo values) — docs/methods/inventory.md, "
            "'District allocation'.",
            highlight=False,
        )
    names = _district_names()
    rank = Table(title=f"分区协同排名 District ranking {chosen} (by the synergy index T)")
    for col in ("rank", "district 区", "index", "D"):
        rank.add_column(col, justify="right" if col in ("index", "D") else "left")
    for sub in subs:
        rank.add_column(f"U {sub.zh}", justify="right")
    rank.add_column("grade 等级")
    for r in ranking:
        rank.add_row(
            str(r["rank"]),
            names.get(r["district"], r["district"]),
            _f(r["index"]),
            _f(r["d"]),
            *(_f(r["u"].get(sub.id)) for sub in subs),
            f"{r['grade_zh']} {r['grade_en']}",
        )
    _print(rank)


def _district_names() -> dict[str, str]:
    from xietong.config import Settings
    from xietong.plan.loader import load_plan

    try:
        return {d.code: f"{d.name.zh} {d.name.en}" for d in load_plan(Settings().plan).districts}
    except XietongError:  # a plan that does not load just leaves the codes
        return {}


@app.command()
@command
def coordinates(
    year0: Year0Opt = None,
    year1: Year1Opt = None,
    ghg: Annotated[
        str,
        typer.Option(
            "--ghg", callback=_ghg, help="CO2e (direct GHGs under --gwp, default) or CO2."
        ),
    ] = "CO2e",
    gwp: GwpOpt = "AR5",
    apeq_weights: Annotated[
        str,
        typer.Option(
            "--apeq-weights",
            callback=_apeq_weights,
            help="Pollution-equivalent weight set of APeq: tax (环境保护税法 附表二, default) "
            "or equal_mass.",
        ),
    ] = "tax",
    activity: ActivityOpt = None,
    statistics: StatisticsOpt = None,
    co2_method: Co2MethodOpt = "china",
    grid_region: GridOpt = DEFAULT_GRID_REGION,
    json_: JsonOpt = False,
) -> None:
    """The city between two years on the co-control coordinates: CO2e (or CO2) against SO2,
    NOx, PM10, VOCs, NH3 and APeq. 协同控制坐标系。"""
    from xietong.service.synergy_views import APEQ

    with _busy(json_, "computing the co-control coordinates"):
        data = _data(activity, statistics, co2_method, grid_region)
        y0, y1 = _years(data, year0, year1)
        rows = data.coordinates(y0, y1, ghg=ghg, gwp=gwp, apeq_weights=apeq_weights)
    if json_:
        print_json(rows)
        return
    what = f"CO2e (t, GWP: {gwp})" if ghg == "CO2e" else "CO2 (t)"
    table = Table(
        title=f"协同控制坐标 Co-control coordinates {y0}→{y1}: {what} vs pollutants "
        "(reductions positive, direct emissions)"
    )
    table.add_column("pollutant 污染物", no_wrap=True)
    for col in (f"Δ{ghg}", "Δ pollutant", f"{ghg} rate", "pollutant rate", "elasticity Els"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("quadrant 象限", no_wrap=True)
    for r in rows:
        label = f"APeq (t SO2-eq, {apeq_weights})" if r["pollutant"] == APEQ else r["pollutant"]
        quadrant = f"{r['quadrant_zh']} {r['quadrant_en']}" if r["quadrant"] else r["note"]
        table.add_row(
            label,
            _t(r["ghg_reduction"]),
            _t(r["pollutant_reduction"]),
            _pct(r["ghg_rate"]),
            _pct(r["pollutant_rate"]),
            _f(r["elasticity"], 2),
            quadrant,
        )
    _print(table)
    console.print(
        "Els = (ΔP/P₀)/(ΔG/G₀): positive in 协同减排 and 双增, negative in 减污增碳 and 降碳增污.",
        highlight=False,
    )
    _estimate_note(data)


@app.command()
@command
def decompose(
    substance: Annotated[
        str,
        typer.Option(
            "--substance", callback=_substance, help="CO2 (default) or a pollutant, e.g. NOx."
        ),
    ] = "CO2",
    year0: Year0Opt = None,
    year1: Year1Opt = None,
    activity: ActivityOpt = None,
    statistics: StatisticsOpt = None,
    co2_method: Co2MethodOpt = "china",
    grid_region: GridOpt = DEFAULT_GRID_REGION,
    structure: Annotated[
        bool,
        typer.Option(
            "--structure",
            help="Every direct emission by 三次产业 and households, with the structure effect "
            "(needs the value added by industry of both years).",
        ),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """LMDI-I drivers of the change in emissions between two years (additive and
    multiplicative, no residual): the Kaya drivers of fuel combustion, or with --structure
    the multi-sector decomposition with the structure of the economy. 排放变化驱动因素分解。"""
    from xietong.service.synergy_views import decomposition_record

    method = "structural" if structure else "kaya"
    with _busy(json_, f"decomposing {substance}"):
        data = _data(activity, statistics, co2_method, grid_region)
        y0, y1 = _years(data, year0, year1)
        rec = decomposition_record(
            data.decomposition(substance, y0, y1, method), substance, y0, y1, method
        )
    if json_:
        print_json(rec)
        return
    table = Table(title=f"LMDI 分解 Drivers of {substance} {y0}→{y1} (t, {rec['scope']})")
    table.add_column("driver 因素", no_wrap=True)
    table.add_column("additive ΔV (t)", justify="right", no_wrap=True)
    table.add_column("multiplicative D", justify="right", no_wrap=True)
    for k in rec["factors"]:
        table.add_row(
            f"{FACTOR_ZH[k]} {k}", _t(rec["additive"][k]), _f(rec["multiplicative"][k], 4)
        )
    _print(table)
    console.print(
        f"{substance} {y0}: {_t(rec['v0'])} t → {y1}: {_t(rec['vt'])} t; change "
        f"{_t(rec['change'])} t = sum of the effects; residual {rec['residual']:.3g} t",
        highlight=False,
    )
    _estimate_note(data)


@app.command()
@command
def measures(
    gross: Annotated[
        bool,
        typer.Option("--gross", help="Order the MAC curve by gross cost (no co-benefit)."),
    ] = False,
    measures_file: Annotated[
        Path | None,
        typer.Option(
            "--measures",
            exists=True,
            dir_okay=False,
            readable=True,
            help="A measures YAML file instead of the shipped one.",
        ),
    ] = None,
    activity: ActivityOpt = None,
    statistics: StatisticsOpt = None,
    co2_method: Co2MethodOpt = "china",
    grid_region: GridOpt = DEFAULT_GRID_REGION,
    json_: JsonOpt = False,
) -> None:
    """Each quantifiable plan measure: ΔCO2e (GWP named), ΔAPeq, quadrant, cost and net cost
    per t CO2e, and the MAC order. 措施协同效益与边际减排成本。"""
    from xietong.accounting.inventory import InventoryOptions
    from xietong.service.synergy_views import curve_records, measure_record

    with _busy(json_, "computing the measures' effects"):
        if activity is None:  # the database's inventory places them, if there is one
            p = platform()
            p.measures_file = measures_file
            report = p.synergy_measures(
                InventoryOptions(co2_method=co2_method, grid_region=grid_region)
            )
        else:
            data = _data(activity, statistics, co2_method, grid_region, measures_file)
            report = data.measures()
    gwp = report.gwp
    rows = [measure_record(e, gwp) for e in report.effects]
    curve = curve_records(report, net=not gross)
    if json_:
        ms = report.measure_set
        print_json(
            {
                "year": ms.year,
                "gwp": gwp,
                "tax_rates": ms.tax_province,
                "co_benefit_basis": ms.co_benefit_basis,
                "city_year": report.city_year,
                "measures": rows,
                "mac": curve,
            }
        )
        return
    table = Table(
        title=f"措施 Measures at full implementation, one year ({report.measure_set.year} "
        f"factors); CO2e GWP: {gwp}; all sizes and costs are 估算 estimates"
    )
    table.add_column("measure 措施", no_wrap=True)
    for col in (
        f"ΔCO2e t ({gwp})",
        "ΔAPeq t",
        "cost CNY/t CO2e",
        "tax avoided CNY/yr",
        "net CNY/t CO2e",
    ):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("quadrant 象限", no_wrap=True)
    for r in rows:
        table.add_row(
            f"{r['zh']} {r['en']} (#{r['plan_measure']})",
            _t(r["co2e_reduction"]),
            _t(r["apeq_reduction"]),
            _t(r["cost_per_t_co2e"]),
            _t(r["co_benefit_cny"]),
            _t(r["net_cost_per_t_co2e"]),
            f"{r['quadrant_zh']} {r['quadrant_en']}" if r["quadrant"] else "—",
        )
    _print(table)
    console.print(
        f"net = cost − environmental tax avoided ({report.measure_set.tax_province} rates; "
        f"co-benefit: {' '.join(report.measure_set.co_benefit_basis.split())})",
        markup=False,
        highlight=False,
    )
    mac = Table(
        title=f"MAC 边际减排成本曲线 order ({'gross' if gross else 'net of the co-benefit'}; "
        f"width t CO2e, {gwp})"
    )
    for col in ("#", "measure 措施", "from t", "width t", "CNY/t"):
        mac.add_column(col, justify="left" if col == "measure 措施" else "right")
    for i, s in enumerate(curve, start=1):
        mac.add_row(str(i), f"{s['zh']} {s['en']}", _t(s["start"]), _t(s["width"]), _t(s["height"]))
    _print(mac)
    off = [r for r in rows if not r["on_curve"]]
    if off:
        console.print(
            "off the curve (no CO2e cut; cost per t APeq instead): "
            + "; ".join(f"{r['zh']} {_t(r['cost_per_t_apeq'])} CNY/t APeq" for r in off),
            highlight=False,
        )
