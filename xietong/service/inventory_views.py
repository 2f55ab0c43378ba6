"""Views of an inventory that every interface shows: totals by year, roll-ups as records, the
share resting on estimates. The CLI, the pages, the API and the exports all use these, so they
show the same figures.

CO2e figures always carry the name of their GWP set (``gwp``); emissions are in tonnes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from xietong.accounting.factors import FactorError, GWPSet
from xietong.accounting.grid import REGIONS, GridYear, grid_years
from xietong.accounting.indicators import Statistic, enduse_by_year, official_by_year
from xietong.accounting.inventory import Inventory
from xietong.accounting.methods.base import GHGS
from xietong.accounting.potentials import row_potentials
from xietong.accounting.uncertainty import approach1, monte_carlo
from xietong.units import convert

MAIN_POLLUTANTS = ("SO2", "NOx", "PM10", "PM2.5", "VOCs", "NH3", "CO", "COD", "NH3-N")
"""Air and water pollutants shown beside the greenhouse gases."""

ROLLUP_BY = ("sector", "district", "subsector", "substance", "activity", "year")
"""Columns an inventory can be rolled up by in the interfaces."""

ESTIMATED = ("estimate", "demo")
"""Activity quality flags that mark a figure as not read in a source."""


def year_totals(inv: Inventory, gwp: GWPSet) -> list[dict[str, Any]]:
    """Per year: direct and indirect CO2 (t), direct greenhouse gases in t CO2e under ``gwp``,
    and the direct totals (t) of the main pollutants."""
    df = inv.table()
    direct = df[df["scope"] == "direct"]
    by_sub = direct.groupby(["year", "substance"])["value"].sum()
    indirect = df[(df["scope"] == "indirect") & (df["substance"] == "CO2")]
    ind = indirect.groupby("year")["value"].sum()
    co2e = inv.co2e(gwp, ["year"]).set_index("year")["co2e"] if len(direct) else pd.Series()
    out: list[dict[str, Any]] = []
    for year in inv.years:
        out.append(
            {
                "year": year,
                "co2_direct": float(by_sub.get((year, "CO2"), 0.0)),
                "co2_indirect": float(ind.get(year, 0.0)),
                "co2e_direct": float(co2e.get(year, 0.0)),
                "gwp": gwp.name,
                "pollutants": {
                    s: float(by_sub[(year, s)]) for s in MAIN_POLLUTANTS if (year, s) in by_sub
                },
            }
        )
    return out


def rollup_records(
    inv: Inventory,
    by: str,
    *,
    year: int | None = None,
    substance: str | None = None,
    gwp: GWPSet | None = None,
    scope: str = "direct",
) -> list[dict[str, Any]]:
    """Emissions summed by ``by`` and year: tonnes of each substance (or of ``substance``), or
    with ``gwp`` greenhouse gases in t CO2e. Records ``{key, year, substance, value, unit, gwp}``,
    ordered by key, year and substance."""
    if by not in ROLLUP_BY:
        raise ValueError(f"roll-up by '{by}': choose one of {', '.join(ROLLUP_BY)}")
    keys = list(dict.fromkeys([by, "year"]))
    if gwp is not None:
        df = inv.table()
        df = df[(df["scope"] == scope) & df["substance"].isin(GHGS)]
        if substance is not None:
            df = df[df["substance"] == substance]
        if year is not None:
            df = df[df["year"] == year]
        if df.empty:
            return []
        df = df.assign(co2e=df["value"] * row_potentials(gwp, df["substance"], df["activity"]))
        grouped = pd.DataFrame(df.groupby(keys, as_index=False, sort=True)["co2e"].sum())
        return [
            {
                "key": str(r[by]),
                "year": int(r["year"]),
                "substance": str(r["substance"]) if by == "substance" else "CO2e",
                "value": float(r["co2e"]),
                "unit": "t CO2e",
                "gwp": gwp.name,
            }
            for r in grouped.to_dict("records")
        ]
    subs = [substance] if substance is not None else None
    table = inv.rollup(keys, substances=subs, scope=scope)
    if year is not None:
        table = table[table["year"] == year]
    return [
        {
            "key": str(r[by]),
            "year": int(r["year"]),
            "substance": str(r["substance"]),
            "value": float(r["value"]),
            "unit": "t",
            "gwp": None,
        }
        for r in table.to_dict("records")
    ]


def estimate_share(inv: Inventory, gwp: GWPSet) -> dict[str, float]:
    """How much of the inventory rests on estimated (or demo) activity figures: the share of
    activity rows, and the share of direct CO2e (absolute values, so removals count too)."""
    used = inv.frame()["n"].unique()
    n = len(used)
    est_rows = sum(1 for i in used if inv.activities[int(i)].quality in ESTIMATED)
    df = inv.frame()
    df = df[(df["scope"] == "direct") & df["substance"].isin(GHGS)]
    potentials = row_potentials(gwp, df["substance"], df["activity"])
    weights = (df["value"].astype(float) * potentials).abs()
    total = float(weights.sum())
    est = float(weights[df["quality"].isin(list(ESTIMATED))].sum())
    return {
        "activity_rows": float(n),
        "estimated_rows": float(est_rows),
        "rows_share": est_rows / n if n else 0.0,
        "co2e_share": est / total if total else 0.0,
    }


def factors_used(inv: Inventory) -> list[dict[str, Any]]:
    """The factors the inventory used, with edition and source, ordered by edition and id."""
    out = []
    for fid in sorted(inv.factors_used):
        f = inv.library.get(fid)
        out.append(
            {
                "id": f.id,
                "edition": f.edition,
                "substance": f.substance,
                "value": f.value,
                "unit": f.unit,
                "tier": f.tier,
                "source_document": f.source_document,
                "source_table": f.source_table,
                "year": f.year,
                "verified": f.verified,
            }
        )
    return sorted(out, key=lambda f: (f["edition"], f["id"]))


def gap_records(inv: Inventory) -> list[dict[str, Any]]:
    """Substances a method is expected to give but no factor applied to, one record each."""
    return [
        {
            "year": g.activity.year,
            "district": g.activity.district,
            "sector": g.activity.sector,
            "activity": g.activity.activity,
            "technology": g.activity.technology,
            "substance": g.substance,
        }
        for g in inv.gaps
    ]


def pick_years(inv: Inventory, year: int | None) -> Sequence[int]:
    """``[year]`` if the inventory covers it, all its years if ``year`` is None, else []."""
    if year is None:
        return inv.years
    return [year] if year in inv.years else []


def year_inventory(inv: Inventory, year: int) -> Inventory:
    """The part of ``inv`` of one year."""
    return inv.part(year=year)


def uncertainty_table(
    inv: Inventory,
    gwp: GWPSet,
    *,
    year: int,
    draws: int = 10_000,
    seed: int = 20230,
    progress: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """95 % intervals of direct CO2e (t, under ``gwp``) in ``year``, per sector and in total:
    IPCC approach 1 (relative half-width, %) and approach 2 (Monte Carlo mean, 2.5 and 97.5
    percentiles; the total's interval comes from the same draws, not from adding sectors).
    ``progress`` is called with a description before each of the three steps."""
    part = year_inventory(inv, year)
    note = progress or (lambda _: None)
    note("IPCC approach 1 (error propagation) …")
    a1 = approach1(part, ["sector"], gwp=gwp).set_index("sector")
    a1_total = approach1(part, [], gwp=gwp)
    note(f"Monte Carlo by sector, {draws:,} draws …")
    mc = monte_carlo(part, ["sector"], draws=draws, seed=seed, gwp=gwp).set_index("sector")
    note(f"Monte Carlo total, {draws:,} draws …")
    mc_total = monte_carlo(part, [], draws=draws, seed=seed, gwp=gwp)
    rows: list[dict[str, Any]] = []

    def row(key: str, value: float, u: float, m: pd.Series) -> dict[str, Any]:
        return {
            "year": year,
            "sector": key,
            "value": value,
            "approach1_u95_pct": u,
            "mc_mean": float(m["mean"]),
            "mc_p2_5": float(m["p2_5"]),
            "mc_p97_5": float(m["p97_5"]),
            "gwp": gwp.name,
            "draws": draws,
            "seed": seed,
        }

    for sector in a1.index:
        rows.append(
            row(
                str(sector),
                float(a1.loc[sector, "value"]),
                float(a1.loc[sector, "u95_pct"]),
                mc.loc[sector],
            )
        )
    if len(a1_total) and len(mc_total):
        rows.append(
            row(
                "total",
                float(a1_total["value"].iloc[0]),
                float(a1_total["u95_pct"].iloc[0]),
                mc_total.iloc[0],
            )
        )
    return rows


def co2_calibers(inv: Inventory, statistics: Sequence[Statistic]) -> list[dict[str, Any]]:
    """Three CO2 calibers of each year side by side (t), with the parts of the official one
    (``docs/methods/inventory.md``, "CO2 calibers"):

    - ``territorial`` (D): all direct CO2 except forestry + net imported electricity × grid
      factor;
    - ``enduse`` (F, indicator ``co2_energy``): end-use energy CO2, electricity and heat at
      their factors, power and heat plants left out;
    - ``official`` (indicator ``co2_official``, the numerator of the plan's intensity target,
      the peak's indicator): energy-activity CO2 in the city + net imported electricity × grid
      factor.

    The official figure is the indicator's (same function, same statistics)."""
    co2 = inv.rollup(["year", "sector"], substances=["CO2"])
    direct = co2[co2["sector"] != "forestry"].groupby("year")["value"].sum()
    enduse = enduse_by_year(inv)
    return [
        {
            "year": year,
            "territorial": float(direct.get(year, 0.0)) + o.net_import,
            "enduse": enduse.get(year, 0.0),
            "official": o.total,
            "fuel": o.fuel,
            "electricity": o.electricity,
            "generation_mwh": o.generation_mwh,
            "generation_statistic": o.generation_basis.startswith("statistic"),
            "t_per_mwh": o.t_per_mwh,
            "net_import": o.net_import,
        }
        for year, o in sorted(official_by_year(inv, statistics).items())
    ]


def grid_comparison(inv: Inventory) -> dict[str, Any]:
    """The grid factor of each year and region (the inventory's region first, then the others
    of :data:`~xietong.accounting.grid.REGIONS`), with the electricity bought (MWh) and the
    indirect CO2 (t) it gives under each; ``stand_in`` years use a factor published for another
    year, and every page that shows indirect emissions says so."""
    mwh: dict[int, float] = {}
    for a in inv.activities:
        if a.activity == "electricity":
            mwh[a.year] = mwh.get(a.year, 0.0) + convert(a.amount, a.unit, "MWh")
    regions = [inv.options.grid_region] + [r for r in REGIONS if r != inv.options.grid_region]
    by_region: dict[str, list[GridYear]] = {}
    for region in regions:
        try:
            by_region[region] = grid_years(inv.library, region, mwh, inv.options.editions)
        except FactorError:
            continue
    rows = [
        {
            "year": year,
            "mwh": mwh[year],
            "regions": {
                region: {
                    "factor_id": g.factor_id,
                    "factor_year": g.factor_year,
                    "t_per_mwh": g.t_per_mwh,
                    "stand_in": g.stand_in,
                    "co2": mwh[year] * g.t_per_mwh,
                }
                for region, found in by_region.items()
                for g in found
                if g.year == year
            },
        }
        for year in sorted(mwh)
    ]
    chosen = by_region.get(inv.options.grid_region, [])
    return {
        "region": inv.options.grid_region,
        "regions": list(by_region),
        "rows": rows,
        "stand_in_years": [g.year for g in chosen if g.stand_in],
        "published_years": sorted({g.factor_year for g in chosen if g.factor_year}),
    }
