"""Print the figures of docs/data/wuhan-inventory-comparison.md from the shipped Wuhan data.

Run: ``.venv/bin/python scripts/wuhan_comparison.py`` (shipped activity, statistics and factor
library, default options: China enterprise CO2 method, Hubei grid factor). Prints, in Mt CO2:
the scopes A–G and the official caliber by year, the CO2 method's effect, and the 2017 totals
of SO2, NOx, COD and NH3-N by sector and activity (t).
"""

from __future__ import annotations

import pandas as pd

from xietong.accounting.activity import default_activity
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.indicators import compute_indicators, official_by_year, read_statistics
from xietong.accounting.inventory import InventoryOptions, build_inventory
from xietong.datafiles import data_path

YEARS = (2015, 2017, 2020, 2022, 2024)
POLLUTANTS = ("SO2", "NOx", "COD", "NH3-N")


def scopes(inv, stats) -> pd.DataFrame:
    """Mt CO2 by scope (rows) and year (columns); generation in 亿kWh."""
    t = inv.table()
    co2 = t[t["substance"] == "CO2"]
    direct = co2[co2["scope"] == "direct"]
    indirect = co2[co2["scope"] == "indirect"]
    official = official_by_year(inv, stats)
    ind = compute_indicators(inv, stats)
    enduse = ind[ind["indicator_id"] == "co2_energy"].set_index("year")["value"]
    co2e = inv.co2e(load_gwp("AR5"), ["year", "sector"])
    co2e = co2e[co2e["sector"] != "forestry"]
    columns = {}
    for y in YEARS:
        d = direct[direct["year"] == y]
        o = official[y]
        c = d[d["sector"] != "forestry"]["value"].sum()
        columns[y] = {
            "B direct CO2 of energy and processes (no waste, no forestry)": d[
                ~d["sector"].isin(["forestry", "waste", "wastewater"])
            ]["value"].sum()
            / 1e6,
            "C territorial, direct CO2 except forestry": c / 1e6,
            "D = C + net imported electricity": (c + o.net_import) / 1e6,
            "E = C + all indirect": (c + indirect[indirect["year"] == y]["value"].sum()) / 1e6,
            "F co2_energy (end-use)": float(enduse[y]) / 1e6,
            "official caliber (co2_official)": o.total / 1e6,
            "  of which fuel": o.fuel / 1e6,
            "  of which net import": o.net_import / 1e6,
            "  generation (亿kWh)": o.generation_mwh / 1e5,
            "G CO2e AR5 except forestry": co2e[co2e["year"] == y]["co2e"].sum() / 1e6,
            "forestry": d[d["sector"] == "forestry"]["value"].sum() / 1e6,
        }
    return pd.DataFrame(columns)


def pollutants_2017(inv) -> pd.DataFrame:
    """t of each main pollutant in 2017 by sector and activity."""
    t = inv.table()
    t = t[(t["year"] == 2017) & (t["scope"] == "direct") & t["substance"].isin(POLLUTANTS)]
    return t.pivot_table(
        index=["sector", "activity"], columns="substance", values="value", aggfunc="sum"
    ).fillna(0.0)


def main() -> None:
    acts = default_activity("wuhan")
    stats = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    library = FactorLibrary.load()
    inv = build_inventory(acts, library)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_colwidth", 70)
    print("Mt CO2 (generation in 亿kWh)")
    print(scopes(inv, stats).round(2))
    ipcc = build_inventory(acts, library, InventoryOptions(co2_method="ipcc"))
    a = official_by_year(inv, stats)
    b = official_by_year(ipcc, stats)
    print("\nofficial caliber, IPCC method vs China method (%):")
    print({y: round(100 * (b[y].total / a[y].total - 1), 1) for y in YEARS})
    central = build_inventory(acts, library, InventoryOptions(grid_region="central_china"))
    c = official_by_year(central, stats)
    print("official caliber with the 华中 grid factor (Mt):")
    print({y: round(c[y].total / 1e6, 1) for y in YEARS})
    table = pollutants_2017(inv)
    print("\n2017 main pollutants by sector (t):")
    print(table.groupby(level="sector").sum().round(0))
    print("\ntotal:", table.sum().round(0).to_dict())
    print("\nlargest rows:")
    for s in POLLUTANTS:
        if s in table:
            print(s, table[s].sort_values(ascending=False).head(6).round(0).to_dict())


if __name__ == "__main__":
    main()
