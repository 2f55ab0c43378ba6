"""Write Wuhan's district allocation data (proxy shares) and the district statistics, 2015–2024.

Outputs (deterministic, no randomness):
  xietong/data/cities/wuhan/district_proxies.csv     proxy, year, district, share, quality, source
  xietong/data/cities/wuhan/district_statistics.csv  year, district, indicator, value, unit, …

The allocation rules (which proxy each sector uses) are hand-written data in
``district_allocation.csv``; this script only writes the shares and the statistics.

What is real and what is demo (演示数据):
- ``population``: the 7th-census (2020) resident population of the 16 units that partition the
  city (census bulletin no. 2, as in the plan file), held constant over the years. The shares are
  read figures; holding them constant is an estimate (quality ``estimate``).
- ``gdp``, ``industry``, ``agriculture``, ``forest``, ``port``: district shares were NOT found
  in a source readable here. They are demo values (quality ``demo``): plausible orders of
  magnitude chosen by xietong (the development zones and the industrial districts carry most
  industry, the six outer districts most farming and forest, the Yangtze port districts most
  shipping), moving in a straight line from 2015 to 2024. They exist so that the district
  ranking can be shown and tested; replace them with the statistical yearbook's district tables
  (《武汉统计年鉴》分区县主要指标) when they are at hand.
- ``road``: the mean of the population and GDP shares (demo, because GDP is).
- District statistics: GDP = city GDP × GDP share (demo); the real GDP index = the city's index ×
  the district's GDP share relative to 2020 (demo); population = city population × census share
  (estimate); electricity generation of the two coal power plants' districts = the generation
  ``make_wuhan_activity.py`` assumes for their coal rows (estimate).

Run: ``.venv/bin/python scripts/make_wuhan_district_data.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from make_wuhan_activity import GEN_QINGSHAN, GEN_YANGLUO

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "xietong" / "data" / "cities" / "wuhan"
YEARS = list(range(2015, 2025))
DEMO = "演示数据 demo: "
CENSUS = (
    "武汉市第七次全国人口普查公报(第二号) 各区常住人口, 2020-11-01 (as in the plan file "
    "xietong/data/plans/wuhan-2023.yaml); 武汉经开区 less 汉南区 (the bulletin counts 汉南 in "
    "经开区); the 16 units sum to the city's 12,326,518"
)

CENSUS_2020 = {
    "jiang_an": 965260,
    "jianghan": 647932,
    "qiaokou": 666661,
    "hanyang": 837263,
    "wuchang": 1092750,
    "qingshan": 463295,
    "hongshan": 1728811,
    "dongxihu": 845782,
    "hannan": 145103,
    "caidian": 554383,
    "jiangxia": 974715,
    "huangpi": 1151644,
    "xinzhou": 860377,
    "ehdz": 935146,
    "wedz": 481338 - 145103,
    "east_lake_scenic": 121161,
}

# Demo weights (not read in a source): (2015, 2024) per proxy and district; normalised per year.
DEMO_WEIGHTS: dict[str, dict[str, tuple[float, float]]] = {
    "gdp": {
        "jiang_an": (9.0, 8.0),
        "jianghan": (8.5, 7.6),
        "qiaokou": (5.0, 4.4),
        "hanyang": (5.5, 5.2),
        "wuchang": (9.5, 9.0),
        "qingshan": (6.5, 4.0),
        "hongshan": (6.5, 6.5),
        "dongxihu": (4.5, 4.8),
        "hannan": (0.8, 1.0),
        "caidian": (2.8, 3.0),
        "jiangxia": (5.0, 5.3),
        "huangpi": (4.8, 5.0),
        "xinzhou": (3.6, 3.8),
        "ehdz": (11.0, 15.0),
        "wedz": (11.0, 11.8),
        "east_lake_scenic": (0.3, 0.3),
    },
    "industry": {
        "jiang_an": (1.0, 0.6),
        "jianghan": (0.5, 0.3),
        "qiaokou": (2.0, 0.8),
        "hanyang": (5.0, 3.5),
        "wuchang": (1.0, 0.5),
        "qingshan": (12.0, 9.0),
        "hongshan": (3.0, 2.5),
        "dongxihu": (10.0, 11.0),
        "hannan": (3.0, 3.5),
        "caidian": (8.0, 9.0),
        "jiangxia": (9.0, 10.0),
        "huangpi": (7.0, 7.0),
        "xinzhou": (8.0, 8.5),
        "ehdz": (12.0, 15.0),
        "wedz": (18.5, 18.8),
    },
    "agriculture": {
        "hongshan": (3.0, 2.0),
        "dongxihu": (8.0, 7.0),
        "hannan": (7.0, 7.0),
        "caidian": (15.0, 15.0),
        "jiangxia": (20.0, 20.0),
        "huangpi": (25.0, 26.0),
        "xinzhou": (22.0, 23.0),
    },
    "forest": {
        "jiang_an": (0.5, 0.5),
        "jianghan": (0.2, 0.2),
        "qiaokou": (0.3, 0.3),
        "hanyang": (1.0, 1.0),
        "wuchang": (0.5, 0.5),
        "qingshan": (1.0, 1.0),
        "hongshan": (4.0, 4.0),
        "dongxihu": (4.0, 4.0),
        "hannan": (3.0, 3.0),
        "caidian": (12.0, 12.0),
        "jiangxia": (20.0, 20.0),
        "huangpi": (30.0, 30.0),
        "xinzhou": (20.0, 20.0),
        "ehdz": (2.0, 2.0),
        "wedz": (1.0, 1.0),
        "east_lake_scenic": (1.0, 1.0),
    },
    "port": {
        "jiang_an": (15.0, 12.0),
        "qiaokou": (5.0, 3.0),
        "hanyang": (10.0, 8.0),
        "wuchang": (10.0, 8.0),
        "qingshan": (15.0, 14.0),
        "hannan": (5.0, 5.0),
        "jiangxia": (5.0, 5.0),
        "xinzhou": (35.0, 45.0),
    },
}
DEMO_BASIS = {
    "gdp": "GDP share of the district (services, commerce, refrigerant banks)",
    "industry": "share of industrial energy use outside the steelworks, refinery and power plants",
    "agriculture": "share of farmed area, livestock and farm machinery (the outer districts "
    "and 洪山)",
    "forest": "share of forest area",
    "port": "share of fuel sold to vessels (阳逻港 in 新洲 and the city-centre quays)",
}


def _shares(weights: dict[str, tuple[float, float]], year: int) -> dict[str, float]:
    t = (year - YEARS[0]) / (YEARS[-1] - YEARS[0])
    raw = {d: a + (b - a) * t for d, (a, b) in weights.items()}
    total = sum(raw.values())
    return {d: v / total for d, v in raw.items()}


def proxy_shares() -> dict[tuple[str, int], dict[str, float]]:
    """Shares by (proxy, year) and district."""
    pop_total = sum(CENSUS_2020.values())
    out: dict[tuple[str, int], dict[str, float]] = {}
    for year in YEARS:
        out[("population", year)] = {d: v / pop_total for d, v in CENSUS_2020.items()}
        for proxy, weights in DEMO_WEIGHTS.items():
            out[(proxy, year)] = _shares(weights, year)
        pop, gdp = out[("population", year)], out[("gdp", year)]
        out[("road", year)] = {d: (pop[d] + gdp.get(d, 0.0)) / 2 for d in CENSUS_2020}
    return out


def _rounded(shares: dict[str, float]) -> dict[str, float]:
    """Shares rounded to 8 decimals, the rounding residue put on the largest share, so that the
    file sums to 1 exactly at that precision."""
    out = {d: round(v, 8) for d, v in shares.items()}
    top = max(out, key=lambda d: out[d])
    out[top] = round(out[top] + 1 - sum(out.values()), 8)
    return out


def write_proxies(shares: dict[tuple[str, int], dict[str, float]]) -> int:
    rows = []
    for (proxy, year), by_district in sorted(shares.items()):
        for district, share in sorted(_rounded(by_district).items()):
            if proxy == "population":
                quality = "estimate"
                source = f"估算 estimate: 2020 census share held constant; {CENSUS}"
            elif proxy == "road":
                quality, source = "demo", f"{DEMO}mean of the population and gdp shares"
            else:
                quality, source = "demo", f"{DEMO}{DEMO_BASIS[proxy]}; not read in a source"
            rows.append([proxy, year, district, f"{share:.8f}", quality, source])
    with (OUT_DIR / "district_proxies.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["proxy", "year", "district", "share", "quality", "source"])
        w.writerows(rows)
    return len(rows)


def _city_statistics() -> dict[tuple[int, str], tuple[float, str]]:
    with (OUT_DIR / "statistics.csv").open(encoding="utf-8") as fh:
        return {
            (int(r["year"]), r["indicator"]): (float(r["value"]), r["unit"])
            for r in csv.DictReader(fh)
        }


def _generation() -> dict[tuple[int, str], float]:
    """Generation (亿kWh) of the coal power plants by year and district: the assumptions
    ``make_wuhan_activity.py`` derives their coal rows from."""
    out: dict[tuple[int, str], float] = {}
    for year in YEARS:
        out[(year, "xinzhou")] = float(GEN_YANGLUO[year])
        out[(year, "qingshan")] = float(GEN_QINGSHAN[year])
    return out


def write_statistics(shares: dict[tuple[str, int], dict[str, float]]) -> int:
    city = _city_statistics()
    rows = []
    for year in YEARS:
        gdp_share, pop_share = shares[("gdp", year)], shares[("population", year)]
        for district in sorted(CENSUS_2020):
            s_gdp = gdp_share.get(district, 0.0)
            gdp, unit = city[(year, "gdp")]
            rows.append(
                [
                    year,
                    district,
                    "gdp",
                    f"{gdp * s_gdp:.2f}",
                    unit,
                    f"{DEMO}city GDP {gdp:g} {unit} × demo GDP share {s_gdp:.4f}",
                    "demo",
                ]
            )
            index, _ = city[(year, "gdp_real_index")]
            rel = s_gdp / shares[("gdp", 2020)][district]
            rows.append(
                [
                    year,
                    district,
                    "gdp_real_index",
                    f"{index * rel:.3f}",
                    "dimensionless",
                    f"{DEMO}city real index {index:g} (2020 = 100) × demo GDP share / its 2020 "
                    f"value ({rel:.4f})",
                    "demo",
                ]
            )
            pop, punit = city[(year, "population")]
            rows.append(
                [
                    year,
                    district,
                    "population",
                    f"{pop * pop_share[district]:.2f}",
                    punit,
                    f"估算 estimate: city population {pop:g} {punit} × 2020 census share "
                    f"{pop_share[district]:.4f}",
                    "estimate",
                ]
            )
    for (year, district), value in sorted(_generation().items()):
        rows.append(
            [
                year,
                district,
                "electricity_generation",
                f"{value:.2f}",
                "yi * kWh",
                "估算 estimate: the generation assumed for the plant's coal row in activity.csv "
                "(scripts/make_wuhan_activity.py: 华能阳逻 in 新洲, 华电青山热电 in 青山)",
                "estimate",
            ]
        )
    with (OUT_DIR / "district_statistics.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["year", "district", "indicator", "value", "unit", "source", "quality"])
        w.writerows(rows)
    return len(rows)


def main() -> None:
    shares = proxy_shares()
    n_shares = write_proxies(shares)
    n_stats = write_statistics(shares)
    print(f"district_proxies.csv: {n_shares} rows; district_statistics.csv: {n_stats} rows")


if __name__ == "__main__":
    main()
