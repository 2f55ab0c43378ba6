"""Write the demo progress table of the Wuhan plan: ``xietong/data/cities/wuhan/progress.csv``.

Deterministic (no randomness beyond a fixed seed). Rows whose figure was read in a public
source cite that source in ``evidence``; every other row is synthetic and its evidence starts
with 演示数据 (demo), so the platform labels it as demo wherever it shows.

Which targets get rows:
- only targets whose indicator is ``reported`` (the plan's ``indicators``). Indicators computed
  from the activity data (``inventory``: emission totals, energy and CO2 intensity, coal share,
  synergy degree) or from the projections (``scenario``: the carbon peak) get no demo figure,
  so no invented figure contradicts the computed one. The two coal-share figures the Wuhan EEB
  published (2020, 2023) are kept as real reported figures to check the inventory against;
- synthetic figures only for reported targets, and never for the environmental-quality targets
  (PM2.5, good-air days, ozone, water sections), whose figures are published every year: those
  carry only figures read in a public source, and a year with none found has no row;
- district rows only for targets that apply to the district (``applies``): the every-district
  manure target, in the six outer districts where livestock is farmed.

The annual reports to the eco-environment committee are milestones
(``scripts/make_demo_milestones.py``), not progress figures.
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

# Real figures: (target_id, year, value, reported_by, evidence). Each evidence names the
# document, the section and the edition, and the address of the copy that was read.
BULLETIN_2024 = (
    "武汉市生态环境局《2024年武汉市生态环境状况公报》"
    "(2025-06-05发布, 索引号 731074791/2025-17200), "
    "一、环境空气质量{section}; copy read: http://www.js-bc.com/fbjd_19/xxgkml/zwgk/hjjc/hjzkgb/"
    "202506/t20250605_2591163.html (third-party mirror reproducing the EEB page; the title is "
    "identified from the content and the index number)"
)
BULLETIN_2022 = (
    "武汉市生态环境局《2022年武汉市生态环境状况公报》"
    "(2023-06-02发布, 索引号 731074791/2023-15149), "
    "【环境质量状况】一、环境空气质量: 全年优良天数294天, 空气质量优良率80.5%; copy read: "
    "https://3311yl.com/fxzhh202306/t20230602_2210085.html (third-party mirror reproducing the EEB "
    "page; the title is identified from the content and the index number)"
)
WATER_2022 = (
    "2022年度《武汉市水资源公报》: 11个国考断面水质优良率90.9%, as reported by 荆楚网(湖北日报网) "
    "2023-03-29 (记者李川, '2022年度《武汉市水资源公报》出炉 武汉水质提升明显'); copy read: "
    "http://www.cxm1cxm.com/yaowen/20230329/2991416.html (third-party republication)"
)
REAL: list[tuple[str, int, float, str, str]] = [
    ("coal-share-2025", 2020, 35.13, "eeb", EEB_COAL),
    ("coal-share-2025", 2023, 30.5, "eeb", EEB_COAL),
    ("good-air-days-2025", 2022, 80.5, "eeb", BULLETIN_2022),
    (
        "good-air-days-2025",
        2024,
        77.9,
        "eeb",
        BULLETIN_2024.format(section=": 全年优良天数285天, 环境空气质量优良率77.9%"),
    ),
    (
        "ozone-2025",
        2024,
        164.0,
        "eeb",
        BULLETIN_2024.format(
            section="(四)臭氧(O3): 臭氧日最大8小时滑动平均值的第90百分位数为164微克/立方米"
        ),
    ),
    ("water-sections-good-2025", 2022, 90.9, "eeb", WATER_2022),
]

# (target_id, reported_by, {year: value}) — synthetic city-wide series (reported targets only)
CITY: list[tuple[str, str, dict[int, float]]] = [
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
    ("no-new-coal-power", "drc", {2023: 0, 2024: 0, 2025: 0}),
]

# The every-district manure target: synthetic figures of the six outer districts, where the
# livestock farms are (the central districts and the zones report none).
MANURE_DISTRICTS = ["dongxihu", "hannan", "caidian", "jiangxia", "huangpi", "xinzhou"]


def rows() -> list[dict[str, object]]:
    """All rows of the demo table, in a fixed order."""
    out: list[dict[str, object]] = [
        {
            "target_id": target_id,
            "period": year,
            "value": value,
            "district": "",
            "reported_by": body,
            "evidence": evidence,
        }
        for target_id, year, value, body, evidence in REAL
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
    # District figures of the every-district manure target, so the district pages and the map
    # show data.
    for district in MANURE_DISTRICTS:
        start = rng.uniform(86, 92)
        step = rng.uniform(0.8, 2.2)
        for i, year in enumerate((2022, 2023, 2024)):
            out.append(
                {
                    "target_id": "manure-utilisation-2025",
                    "period": year,
                    "value": round(min(start + step * i, 99.0), 1),
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
