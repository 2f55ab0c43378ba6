"""Write the demo progress table of the Wuhan plan: ``xietong/data/cities/wuhan/progress.csv``.

Deterministic (no randomness beyond a fixed seed). Rows whose figure was read in a public
source cite that source in ``evidence``; every other row is synthetic and its evidence starts
with 演示数据 (demo), so the platform labels it as demo wherever it shows.
Run: ``.venv/bin/python scripts/make_demo_progress.py``
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "xietong" / "data" / "cities" / "wuhan" / "progress.csv"
DEMO = "演示数据 demo: synthetic figure for demonstration, not an official statistic"
EEB_COAL = (
    "武汉市生态环境局公开表述:2023年全市煤炭消费占比30.5%,较2020年下降4.63个百分点 "
    "(Wuhan EEB statement; 2020 value = 30.5 + 4.63)"
)

# (target_id, reported_by, {year: value}) — city-wide series
CITY: list[tuple[str, str, dict[int, float]]] = [
    ("coal-share-2025", "drc", {2021: 33.9, 2022: 32.1, 2024: 29.9, 2025: 29.4}),
    ("natural-gas-2025", "drc", {2021: 31.8, 2022: 32.6, 2023: 34.9, 2024: 36.2, 2025: 37.5}),
    ("construction-waste-2024", "urban_mgmt", {2022: 58.0, 2023: 64.5, 2024: 71.2}),
    ("new-energy-bus-share", "transport", {2022: 100.0, 2023: 100.0, 2024: 100.0, 2025: 100.0}),
    ("slow-traffic-146km", "transport", {2023: 52.0, 2024: 98.0, 2025: 131.0}),
    ("fertiliser-efficiency-2025", "agri", {2022: 41.2, 2023: 41.9, 2024: 42.6, 2025: 43.1}),
    ("pesticide-efficiency-2025", "agri", {2022: 41.0, 2023: 41.8, 2024: 42.5, 2025: 43.0}),
    ("afforestation-2025", "forestry", {2021: 2.1, 2022: 4.3, 2023: 6.4, 2024: 8.5, 2025: 10.6}),
    (
        "forest-tending-14fyp",
        "forestry",
        {2021: 8.2, 2022: 16.5, 2023: 24.1, 2024: 32.0, 2025: 40.3},
    ),
    ("forest-towns-14fyp", "forestry", {2022: 2, 2023: 4, 2024: 5, 2025: 7}),
    ("forest-villages-14fyp", "forestry", {2022: 6, 2023: 11, 2024: 15, 2025: 18}),
    ("steel-ule-2023", "eeb", {2022: 70.0, 2023: 100.0}),
    ("incinerator-denox", "urban_mgmt", {2023: 50.0, 2024: 83.0, 2025: 100.0}),
    ("sludge-capacity-600", "water", {2024: 300.0, 2025: 600.0}),
    ("zero-landfill-2023", "urban_mgmt", {2021: 12.0, 2022: 4.0, 2023: 0.0, 2024: 0.0}),
    ("qianzishan-organic-waste", "urban_mgmt", {2023: 60.0, 2024: 100.0}),
    ("construction-land-safe-use-2025", "eeb", {2023: 80.0, 2024: 90.0, 2025: 100.0}),
    ("farmland-safe-use-2025", "agri", {2023: 85.0, 2024: 95.0, 2025: 100.0}),
    ("energy-intensity-2025", "drc", {2021: 0.385, 2022: 0.372, 2023: 0.361, 2024: 0.352}),
    ("co2-intensity-2025", "drc", {2021: 0.84, 2022: 0.81, 2023: 0.79, 2024: 0.77}),
    ("pollutant-total-nox", "eeb", {2021: 61200, 2022: 58900, 2023: 57800, 2024: 56100}),
    ("pollutant-total-vocs", "eeb", {2021: 80500, 2022: 78100, 2023: 78900, 2024: 76300}),
    ("pollutant-total-cod", "eeb", {2021: 152000, 2022: 146500, 2023: 141300, 2024: 137900}),
    ("pollutant-total-nh3n", "eeb", {2021: 9100, 2022: 8800, 2023: 8500, 2024: 8350}),
    ("no-new-coal-power", "drc", {2023: 0, 2024: 0, 2025: 0}),
    ("annual-report", "eeb", {2023: 100.0, 2024: 100.0, 2025: 100.0}),
    ("carbon-peak-2030", "drc", {2024: 40.0, 2025: 50.0}),
]

DISTRICTS = [
    "jiang_an",
    "jianghan",
    "qiaokou",
    "hanyang",
    "wuchang",
    "qingshan",
    "hongshan",
    "dongxihu",
    "hannan",
    "caidian",
    "jiangxia",
    "huangpi",
    "xinzhou",
    "ehdz",
    "wedz",
    "changjiang",
    "east_lake_scenic",
]


def rows() -> list[dict[str, object]]:
    """All rows of the demo table, in a fixed order."""
    out: list[dict[str, object]] = [
        {
            "target_id": "coal-share-2025",
            "period": 2020,
            "value": 35.13,
            "district": "",
            "reported_by": "eeb",
            "evidence": EEB_COAL,
        },
        {
            "target_id": "coal-share-2025",
            "period": 2023,
            "value": 30.5,
            "district": "",
            "reported_by": "eeb",
            "evidence": EEB_COAL,
        },
    ]
    for target_id, body, series in CITY:
        for year, value in series.items():
            out.append(
                {
                    "target_id": target_id,
                    "period": year,
                    "value": value,
                    "district": "",
                    "reported_by": body,
                    "evidence": DEMO,
                }
            )
    rng = random.Random(2023)
    # District figures of two rate targets, so the district pages and the map show data.
    for district in DISTRICTS:
        start = rng.uniform(55, 66)
        step = rng.uniform(2.0, 6.5)
        for i, year in enumerate((2022, 2023, 2024)):
            out.append(
                {
                    "target_id": "construction-waste-2024",
                    "period": year,
                    "value": round(start + step * i, 1),
                    "district": district,
                    "reported_by": "district_govs",
                    "evidence": DEMO,
                }
            )
        share = rng.choice([0.0, 0.0, 0.0, 0.0, 2.5])
        for year, value in ((2022, round(rng.uniform(3, 9), 1)), (2023, share)):
            out.append(
                {
                    "target_id": "zero-landfill-2023",
                    "period": year,
                    "value": value,
                    "district": district,
                    "reported_by": "district_govs",
                    "evidence": DEMO,
                }
            )
    out.sort(key=lambda r: (str(r["target_id"]), str(r["district"]), int(str(r["period"]))))
    return out


def main() -> None:
    """Write the CSV (UTF-8 with BOM so that Excel opens the Chinese text correctly)."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fields = ["target_id", "period", "value", "district", "reported_by", "evidence"]
    with OUT.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
