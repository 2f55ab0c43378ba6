"""Write the Wuhan default activity dataset and city statistics, 2015–2024.

Outputs (deterministic, no randomness):
  xietong/data/cities/wuhan/activity.csv    one row per (year, district, sector, subsector,
                                            activity, technology, control)
  xietong/data/cities/wuhan/statistics.csv  gdp, gdp_real_index, population,
                                            energy_consumption, electricity_consumption

Every figure is either READ in a public copy of a statistic (quality ``statistic``; the source
names the document and where the copy was read), DERIVED from read figures by a formula stated in
the source cell (quality ``derived``), or an ESTIMATE (quality ``estimate``; the source starts with
"估算 estimate:" and says how it was made). The assumptions are the tables below; the description
of every series is ``docs/data/wuhan-activity.md``.

Energy balance. Fuel use is estimated bottom-up (power plants from their generation, steel from
crude steel, road fuel implied by the vehicle-kilometres and fuel economies below, …); the total
energy consumption is then ``coal (tce) / coal share``, with the coal share 35.13 % in 2020 and
30.5 % in 2023 (Wuhan EEB statement) and a straight-line extrapolation in the other years. The
residual (total − coal − oil − gas) is the net electricity inflow, local non-fossil power and
unallocated use; the script checks that it is positive and of the size of the imported
electricity at coal-equivalent.

Run: ``.venv/bin/python scripts/make_wuhan_activity.py`` (add ``--check`` to print the balance).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "xietong" / "data" / "cities" / "wuhan"
YEARS = list(range(2015, 2025))
E = "估算 estimate: "

# --------------------------------------------------------------------------------------------
# Sources read (public copies found with the project's search tool)
# --------------------------------------------------------------------------------------------
SRC_BULL_2024 = (
    "2024年武汉市国民经济和社会发展统计公报 (武汉市统计局/国家统计局武汉调查队), 一、综合; "
    "copy read at https://tjgb.hongheiku.com/djs/58204.html"
)
SRC_BULL_2023 = (
    "2023年武汉市国民经济和社会发展统计公报, 一、综合; copy read at "
    "http://bx2200.com/tjgongbao/huazhong/11559.html"
)
SRC_BULL_2022 = (
    "2022年武汉市国民经济和社会发展统计公报, 一、综合; copy read at "
    "http://bx2200.com/tjgongbao/huazhong/6171.html"
)
SRC_BULL_2020 = (
    "武汉市2020年国民经济和社会发展统计公报, 一、综合; copy read at "
    "https://www.mofile.net/item/c703572f64f945b58e7d9d63fb03eb86.html"
)
SRC_YB_2019 = (
    "2019 武汉统计年鉴 (2018 data) as summarised at https://nianjianbao.com/2019nwhstjnj.html "
    "(secondary copy)"
)
SRC_GDP_CHART = (
    "武汉市统计公报 GDP series 2014–2021 (10069.5, 10905, 11912.61, 13410.34, 14847.29, "
    "16223.21, 15616.1, 17716.76 亿元) read in a public chart data file on GitHub "
    "(an Angular ECharts component, analysischarts.component.ts, chart '各地区GDP变化', series "
    "'武汉市'; repository not recorded; secondary copy)"
)
SRC_ELEC_2021 = (
    "湖北日报 2022-01-04 '684.42亿千瓦时!武汉2021年全社会用电量创新高' (国网武汉供电公司), "
    "https://hb.cri.cn/2022-01-04/550ca658-e0aa-6222-b250-cc4c14ad40ff.html"
)
SRC_ELEC_2024 = (
    "中新网武汉 2025-01-10 (国网武汉供电公司): 武汉市2024年全社会用电量818.91亿千瓦时, "
    "同比2023年增长8.4%; copy read at http://rpsgia.com/article/jiawan/363415"
)
SRC_COAL_SHARE = (
    "Wuhan EEB public statement (2024): 2023 coal share of energy 30.5 %, −4.63 points vs 2020 "
    "(武汉市生态环境局 report meeting of 23 September, as reported by 极目新闻: "
    "2023年武汉市煤炭消费总量占比为30.5%, 比“十三五”末下降4.63个百分点; repost seen at "
    "https://jiadian.lansin.com/bgl/35)"
)
SRC_YANGLUO = (
    "湖北日报 2023-11-20 photo report on 华能阳逻电厂 (https://hb.cri.cn/2023-11-20/"
    "e3049e82-d0a1-155a-8d6c-52e52fa48e8c.html): 6 units 257万kW, 54 % of Wuhan's installed "
    "capacity, 年发电量约115亿度, 省内最早完成超低排放改造"
)
SRC_WW = (
    "长江商报 2021-03 (武汉市水务局 at the 碧水保卫战 press conference): 十三五 new capacity "
    "182.5万t/d, total 461.5万t/d at end-2020; copy read at http://kxznkj.cn/2021/03/614028.html"
)
SRC_VEH = (
    "武汉市国民经济和社会发展统计公报 2020–2022 汽车拥有量 365.55 / 392.00 / 422 万辆, as quoted "
    "at http://chinasihan.com/news/cyxw/13641.html (secondary copy)"
)
SRC_AGRI_2016 = (
    "2016年武汉市国民经济和社会发展统计公报, 农业: 生猪出栏288.46万头 (−5.1 %), 家禽出笼4047万只 "
    "(−22.9 %), 粮食种植面积209.69千公顷; copy read at http://dafeitan.com/html/"
    ".whszfwzzjwh.jjfz201609t20160901_87227.html"
)
SRC_AGRI_2018 = (
    "2018年武汉市国民经济和社会发展统计公报, 二、农业: 生猪出栏246.57万头 (−2.0 %), 家禽出笼"
    "3820.34万只 (+2.3 %); copy read at http://m.xiaomonv0755.com/tjgb/17hb/35881.html"
)
SRC_ETHYLENE = (
    "长江网 2021-04-12 (中韩石化, 青山区): 武汉乙烯 80% of capacity kept during the 2020 "
    "lockdown; 脱瓶颈改造 raising capacity from 80 to 110万t/yr, http://news.cjn.cn/sywh/"
    "202104/t3815311.htm; 中新社 2013-08-13: 80万t/yr plant in production"
)
SRC_PLAN = (
    "武汉市减污降碳协同增效实施方案 (武环〔2023〕55号, published by 武汉市生态环境局 2023-05-11)"
)
SRC_PLAN_LANDFILL = SRC_PLAN + ", 四(十四); read in a reposted copy of the notice"
SRC_PLAN_FOREST = SRC_PLAN + ", 三(十); read in a reposted copy of the notice"
SRC_PEAK = (
    "楚天都市报 2018-01-03 on 《武汉市碳排放达峰行动计划(2017-2022年)》 (武政〔2017〕36号): 2022 "
    "碳排放量控制在1.73亿吨; 煤炭消费总量控制在1950万吨标准煤以内, 力争控制在1600万吨标准煤以内; "
    "copy read at http://taihang881.com/html/gundong/20180103/688169.htm"
)
SRC_MSW_2014 = (
    "汉斯 paper on Wuhan MSW (hanspub PaperID=16814): 2014 全市日产近7300吨, 年产量264万吨, "
    "焚烧为主, 卫生填埋不足5 %"
)

# --------------------------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------------------------
# GDP 亿元 (current prices) with the source it was read in
GDP = {
    2015: (
        10905.60,
        SRC_GDP_CHART + "; the chart gives 10905, the .60 is the bulletin value as recalled",
        "statistic",
    ),
    2016: (11912.61, SRC_GDP_CHART, "statistic"),
    2017: (13410.34, SRC_GDP_CHART, "statistic"),
    2018: (14847.29, SRC_YB_2019 + "; also " + SRC_GDP_CHART, "statistic"),
    2019: (
        16223.21,
        SRC_GDP_CHART + "; preliminary bulletin figure (later revised in the "
        "yearbooks after the 4th economic census; not checked here)",
        "statistic",
    ),
    2020: (15616.06, SRC_BULL_2020, "statistic"),
    2021: (17716.76, SRC_GDP_CHART, "statistic"),
    2022: (18866.43, SRC_BULL_2022, "statistic"),
    2023: (20011.65, SRC_BULL_2023, "statistic"),
    2024: (21106.23, SRC_BULL_2024, "statistic"),
}
# real growth rate % (按可比/不变价格) and whether it was read
GROWTH = {
    2015: (8.8, False),
    2016: (7.8, False),
    2017: (8.0, False),
    2018: (8.0, True),
    2019: (7.4, False),
    2020: (-4.7, True),
    2021: (12.2, False),
    2022: (4.0, True),
    2023: (5.7, True),
    2024: (5.2, True),
}
# resident population, year end, 万人
POP = {
    2015: (
        1060.77,
        E + "year-end resident population of the 2015 bulletin as recalled (not read "
        "here); pre-census basis",
        "estimate",
    ),
    2016: (
        1076.62,
        E + "2016 bulletin value as recalled (not read here); pre-census basis",
        "estimate",
    ),
    2017: (
        1089.29,
        E + "2017 bulletin value as recalled (not read here); pre-census basis",
        "estimate",
    ),
    2018: (1108.10, SRC_YB_2019 + " (常住人口1108.1万人); pre-census basis", "statistic"),
    2019: (
        1121.20,
        E + "2019 bulletin value as recalled (not read here); pre-census basis",
        "estimate",
    ),
    2020: (
        1244.77,
        E + "2020 year-end figure on the 7th-census basis as recalled (2021 bulletin: "
        "1364.89, +120.12 on 2020; not read here); census 2020-11-01 gives 1232.65万 "
        "(12,326,518: Wuhan bulletin of the 7th national census, 2020; read in a secondary "
        "copy, the project's notes on Wuhan public figures)",
        "estimate",
    ),
    2021: (
        1364.89,
        "derived: 2022 bulletin 年末常住人口1373.90万人, 比上年末增加9.01万人 → "
        "1373.90 − 9.01; " + SRC_BULL_2022,
        "derived",
    ),
    2022: (1373.90, SRC_BULL_2022, "statistic"),
    2023: (1377.40, SRC_BULL_2023, "statistic"),
    2024: (1380.91, SRC_BULL_2024, "statistic"),
}
URBAN_RATE = {
    2015: 0.796,
    2016: 0.798,
    2017: 0.800,
    2018: 0.803,
    2019: 0.806,
    2020: 0.843,
    2021: 0.8456,
    2022: 0.8466,
    2023: 0.8479,
    2024: 0.850,
}
# 全社会用电量 亿kWh
SRC_BULL_2017 = (
    "《2017年武汉市国民经济和社会发展统计公报》 as quoted on the wuhan.gov.cn page 城市发展 > "
    "资源环境; mirror read at "
    "https://bomhot.com/html/.whszfwzzjwh.csfz201609t20160901_87164.html (secondary copy)"
)
SRC_ELEC_2017 = (
    "全年用电量519.37亿千瓦时,增长5.7% (其中全行业用电422.24亿千瓦时,城乡居民生活用电"
    "97.13亿千瓦时): " + SRC_BULL_2017
)
ELEC: dict[int, tuple[float, str, str]] = {
    2015: (
        round(519.37 / 1.057 / 1.05, 2),
        E + "back-cast from the derived 2016 figure at ≈ 5 %/yr growth (assumed)",
        "estimate",
    ),
    2016: (
        round(519.37 / 1.057, 2),
        "derived: 2017 use 519.37 亿kWh was +5.7 % on 2016 → 519.37 / 1.057; " + SRC_ELEC_2017,
        "derived",
    ),
    2017: (519.37, SRC_ELEC_2017, "statistic"),
    2018: (
        round((519.37 * 684.42 / 1.1112) ** 0.5, 2),
        E + "geometric mean of 2017 (519.37, read) and 2019 (615.93, derived)",
        "estimate",
    ),
    2019: (
        round(684.42 / 1.1112, 2),
        "derived: 2021 use 684.42 亿kWh was +11.12 % on 2019 → 684.42 / 1.1112; " + SRC_ELEC_2021,
        "derived",
    ),
    2020: (
        round(684.42 / 1.2033, 2),
        "derived: 2021 use 684.42 亿kWh was +20.33 % on 2020 → 684.42 / 1.2033; " + SRC_ELEC_2021,
        "derived",
    ),
    2021: (684.42, SRC_ELEC_2021, "statistic"),
    2022: (
        715.0,
        E + "interpolated between 2021 (684.42, read) and 2023 (755.45, derived)",
        "estimate",
    ),
    2023: (
        round(818.91 / 1.084, 2),
        "derived: 2024 use 818.91 亿kWh was +8.4 % on 2023 → 818.91 / 1.084; " + SRC_ELEC_2024,
        "derived",
    ),
    2024: (818.91, SRC_ELEC_2024, "statistic"),
}
# 2021 Jan–Nov structure (read, SRC_ELEC_2021): 第一产业 2.98, 第二产业 305.75, 第三产业 198.67,
# 城乡居民生活 117.66 亿kWh (sum 625.06)
ELEC_SPLIT = {"primary": 2.98, "secondary": 305.75, "tertiary": 198.67, "residential": 117.66}
# years whose bulletin gives 城乡居民生活用电 (亿kWh) beside the total (the rest is 全行业用电)
ELEC_RESIDENTIAL_READ = {2017: (97.13, SRC_ELEC_2017)}

# coal share of total energy consumption (fraction)
COAL_SHARE = {
    2015: 0.426,
    2016: 0.411,
    2017: 0.396,
    2018: 0.381,
    2019: 0.366,
    2020: 0.3513,
    2021: 0.336,
    2022: 0.320,
    2023: 0.305,
    2024: 0.295,
}

# --------------------------------------------------------------------------------------------
# Estimated drivers (all 估算 unless a source is attached where used)
# --------------------------------------------------------------------------------------------
# Crude steel of 武钢有限 (BF-BOF, Qingshan), 万t
STEEL = {
    2015: 1550,
    2016: 1500,
    2017: 1500,
    2018: 1580,
    2019: 1650,
    2020: 1560,
    2021: 1680,
    2022: 1600,
    2023: 1540,
    2024: 1500,
}
# coal input to coking + PCI per t crude steel (tce/t): the steel_reductant rows (energy
# activity of the works) and the energy balance
STEEL_COAL_TCE = {y: 0.60 - 0.004 * (y - 2015) for y in YEARS}
# of which PCI coal (bituminous), t per t crude steel: about 150 kg per t hot metal × 0.9
STEEL_PCI_T = 0.135
# 华能阳逻电厂 (Xinzhou) and 华电青山热电 (Qingshan) net-ish generation, 亿kWh
GEN_YANGLUO = {
    2015: 125,
    2016: 120,
    2017: 115,
    2018: 125,
    2019: 120,
    2020: 110,
    2021: 130,
    2022: 125,
    2023: 115,
    2024: 110,
}
GEN_QINGSHAN = {
    2015: 50,
    2016: 48,
    2017: 50,
    2018: 50,
    2019: 50,
    2020: 45,
    2021: 52,
    2022: 50,
    2023: 48,
    2024: 46,
}
COAL_RATE_YANGLUO = 0.300  # kgce/kWh
COAL_RATE_QINGSHAN = 0.310  # kgce/kWh
ULE_FROM = {"xinzhou": 2016, "qingshan": 2017}
# tce per physical unit (China Energy Statistical Yearbook reference coefficients; bituminous and
# anthracite from the CN-ENT NCVs 23.204 and 24.515 GJ/t ÷ 29.3076 GJ/tce)
TCE = {
    "raw_coal": 0.7143,
    "bituminous_coal": 23.204 / 29.3076,
    "anthracite": 24.515 / 29.3076,
    "washed_coal": 0.9000,
    "coke": 0.9714,
    "gasoline": 1.4714,
    "diesel": 1.4571,
    "kerosene": 1.4714,
    "fuel_oil": 1.4286,
    "lpg": 1.7143,
}
GAS_TCE_PER_WAN_NM3 = 13.3
COAL_FUELS = ("raw_coal", "bituminous_coal", "anthracite", "washed_coal", "coke")
OIL_FUELS = ("gasoline", "diesel", "kerosene", "fuel_oil", "lpg")


def lin(y: int, a: float, b: float, y0: int = 2015, y1: int = 2024) -> float:
    """Straight line from a in y0 to b in y1."""
    return a + (b - a) * (y - y0) / (y1 - y0)


# Natural gas, total city use, 亿m3 (plan target 2025 ≥ 40亿m3)
GAS_TOTAL = {
    2015: 16,
    2016: 18,
    2017: 20,
    2018: 23,
    2019: 26,
    2020: 25,
    2021: 29,
    2022: 30,
    2023: 33,
    2024: 35,
}
# shares of non-road gas by use (sum 1)
GAS_SHARES = {
    ("industry", "steel", "qingshan"): 0.08,
    ("industry", "petrochemical", "qingshan"): 0.08,
    ("industry", "automotive", "city"): 0.06,
    ("industry", "chemicals", "city"): 0.05,
    ("industry", "other", "city"): 0.20,
    ("energy_industries", "heat", "city"): 0.05,
    ("buildings", "commercial", "city"): 0.21,
    ("buildings", "residential", "city"): 0.27,
}
# Vehicles (汽车拥有量, 万辆); 2020–2022 read (SRC_VEH)
VEH = {
    2015: 215,
    2016: 245,
    2017: 275,
    2018: 305,
    2019: 335,
    2020: 365.55,
    2021: 392.00,
    2022: 422.0,
    2023: 448,
    2024: 470,
}
EV_SHARE_CAR = {
    2015: 0.003,
    2016: 0.005,
    2017: 0.008,
    2018: 0.012,
    2019: 0.017,
    2020: 0.023,
    2021: 0.035,
    2022: 0.055,
    2023: 0.080,
    2024: 0.110,
}
TAXI_FLEET = 1.80  # 万辆
TAXI_EV = {
    2015: 0.0,
    2016: 0.0,
    2017: 0.01,
    2018: 0.03,
    2019: 0.05,
    2020: 0.10,
    2021: 0.25,
    2022: 0.40,
    2023: 0.55,
    2024: 0.65,
}
BUS_FLEET = {y: lin(y, 0.80, 1.00) for y in YEARS}  # 万辆
BUS_MIX = {  # (diesel, cng, electric)
    2015: (0.55, 0.40, 0.05),
    2016: (0.50, 0.40, 0.10),
    2017: (0.42, 0.38, 0.20),
    2018: (0.32, 0.35, 0.33),
    2019: (0.22, 0.30, 0.48),
    2020: (0.15, 0.25, 0.60),
    2021: (0.12, 0.20, 0.68),
    2022: (0.09, 0.16, 0.75),
    2023: (0.07, 0.13, 0.80),
    2024: (0.05, 0.10, 0.85),
}
TRUCK_LIGHT_SHARE = 0.075  # of 汽车拥有量
TRUCK_HEAVY_SHARE = 0.020
MOTO = {y: lin(y, 25.0, 12.0) for y in YEARS}  # 万辆 (outer districts; central-city ban)
KM = {  # km per vehicle per year
    "car_gasoline": lambda y: lin(y, 12000, 10500),
    "car_electric": lambda y: lin(y, 12000, 10500),
    "taxi_gasoline": lambda y: 110000.0,
    "taxi_electric": lambda y: 110000.0,
    "bus_diesel": lambda y: 55000.0,
    "bus_cng": lambda y: 55000.0,
    "bus_electric": lambda y: 50000.0,
    "truck_light_diesel": lambda y: 25000.0,
    "truck_heavy_diesel": lambda y: 40000.0,
    "motorcycle_gasoline": lambda y: 5000.0,
}
# fuel economy used ONLY for the energy balance (the engine uses transport.csv)
ECON = {  # L, Nm3 or kWh per 100 km
    "car_gasoline": lambda y: lin(y, 8.0, 7.0),
    "taxi_gasoline": lambda y: 8.5,
    "motorcycle_gasoline": lambda y: 2.5,
    "bus_diesel": lambda y: 35.0,
    "bus_cng": lambda y: 40.0,
    "truck_light_diesel": lambda y: 11.0,
    "truck_heavy_diesel": lambda y: 30.0,
    "car_electric": lambda y: 15.0,
    "taxi_electric": lambda y: 16.0,
    "bus_electric": lambda y: 100.0,
}
DENSITY = {"gasoline": 0.74, "diesel": 0.845}  # kg/L
CLASS_FUEL = {
    "car_gasoline": "gasoline",
    "taxi_gasoline": "gasoline",
    "motorcycle_gasoline": "gasoline",
    "bus_diesel": "diesel",
    "bus_cng": "natural_gas",
    "truck_light_diesel": "diesel",
    "truck_heavy_diesel": "diesel",
    "car_electric": "electricity",
    "taxi_electric": "electricity",
    "bus_electric": "electricity",
}


ZH_SECTOR = {
    ("agriculture", "energy"): "第一产业",
    ("industry", ""): "第二产业",
    ("buildings", "commercial"): "第三产业",
    ("buildings", "residential"): "城乡居民生活",
}
POULTRY_HOW = {"statistic": "read", "derived": "derived from read growth", "estimate": "assumed"}


def stage_mix(cls: str, y: int) -> dict[str, float]:
    """Share of the class's kilometres by emission stage (pre-国三 vehicles counted as cn3)."""
    if cls.startswith("motorcycle"):
        cn4 = min(0.9, max(0.0, 0.12 * (y - 2017)))
        return {"cn3": 1 - cn4, "cn4": cn4}
    diesel = CLASS_FUEL[cls] in ("diesel", "natural_gas")
    if diesel:  # heavy/diesel: 国四 2013, 国五 2017, 国六a 2021-07
        cn6 = {2021: 0.04, 2022: 0.12, 2023: 0.20, 2024: 0.28}.get(y, 0.0)
        cn5 = {
            2017: 0.10,
            2018: 0.20,
            2019: 0.30,
            2020: 0.40,
            2021: 0.45,
            2022: 0.45,
            2023: 0.45,
            2024: 0.45,
        }.get(y, 0.0)
        cn3 = max(0.05, 0.55 - 0.08 * (y - 2015))
    else:  # light gasoline: 国四 2011, 国五 2017 (2018 nationally), 国六 2019-07/2020-07
        cn6 = {2019: 0.03, 2020: 0.10, 2021: 0.20, 2022: 0.30, 2023: 0.38, 2024: 0.45}.get(y, 0.0)
        cn5 = {
            2016: 0.08,
            2017: 0.18,
            2018: 0.30,
            2019: 0.40,
            2020: 0.42,
            2021: 0.42,
            2022: 0.40,
            2023: 0.38,
            2024: 0.36,
        }.get(y, 0.0)
        cn3 = max(0.04, 0.35 - 0.05 * (y - 2015))
    cn4 = 1.0 - cn3 - cn5 - cn6
    return {"cn3": cn3, "cn4": cn4, "cn5": cn5, "cn6": cn6}


def fleet(y: int) -> dict[str, float]:
    """Vehicles by class, 万辆."""
    v = VEH[y]
    buses = BUS_FLEET[y]
    light, heavy = v * TRUCK_LIGHT_SHARE, v * TRUCK_HEAVY_SHARE
    cars = v - light - heavy - buses - TAXI_FLEET
    d, c, e = BUS_MIX[y]
    return {
        "car_gasoline": cars * (1 - EV_SHARE_CAR[y]),
        "car_electric": cars * EV_SHARE_CAR[y],
        "taxi_gasoline": TAXI_FLEET * (1 - TAXI_EV[y]),
        "taxi_electric": TAXI_FLEET * TAXI_EV[y],
        "bus_diesel": buses * d,
        "bus_cng": buses * c,
        "bus_electric": buses * e,
        "truck_light_diesel": light,
        "truck_heavy_diesel": heavy,
        "motorcycle_gasoline": MOTO[y],
    }


# Tianhe airport (Huangpi) passengers, 万人次, and jet fuel uplift per passenger (t)
AIR_PAX = {
    2015: 1894,
    2016: 2077,
    2017: 2313,
    2018: 2450,
    2019: 2715,
    2020: 1280,
    2021: 1560,
    2022: 960,
    2023: 2580,
    2024: 3360,
}
FUEL_PER_PAX = 0.021
# Clinker (万t), lime (t per t crude steel), flat glass (万t, 汉南)
CLINKER = {y: lin(y, 320, 270) for y in YEARS}
LIME_PER_STEEL = 0.060
GLASS = {y: 48.0 if y != 2020 else 44.0 for y in YEARS}
ETHYLENE = {
    2015: 78,
    2016: 82,
    2017: 84,
    2018: 85,
    2019: 86,
    2020: 76,
    2021: 88,
    2022: 100,
    2023: 108,
    2024: 110,
}
# MSW treated (万t) and shares landfilled / composted (rest incinerated)
MSW = {
    2015: 290,
    2016: 310,
    2017: 330,
    2018: 350,
    2019: 380,
    2020: 350,
    2021: 440,
    2022: 455,
    2023: 470,
    2024: 480,
}
LANDFILL_SHARE = {
    2015: 0.08,
    2016: 0.08,
    2017: 0.10,
    2018: 0.10,
    2019: 0.12,
    2020: 0.08,
    2021: 0.06,
    2022: 0.04,
    2023: 0.01,
    2024: 0.0,
}
COMPOST_SHARE = {y: lin(y, 0.01, 0.06) for y in YEARS}
# Wastewater: domestic capacity 万t/d (2015 and 2020 from SRC_WW), load factor
WW_CAP = {
    2015: 279.0,
    2016: 310.0,
    2017: 345.0,
    2018: 380.0,
    2019: 430.0,
    2020: 461.5,
    2021: 480.0,
    2022: 505.0,
    2023: 530.0,
    2024: 550.0,
}
WW_LOAD = 0.85
WW_IND = {y: lin(y, 15000, 10000) for y in YEARS}  # 万m3/yr in own industrial plants
URBAN_SERVED = {y: lin(y, 0.93, 0.98) for y in YEARS}
RURAL_SERVED = {y: lin(y, 0.15, 0.55) for y in YEARS}
# Agriculture
RICE_AREA = {
    2015: 125000,
    2016: 115000,
    2017: 110000,
    2018: 100000,
    2019: 95000,
    2020: 93000,
    2021: 95000,
    2022: 96000,
    2023: 97000,
    2024: 97000,
}  # ha, all seasons
RICE_SPLIT = {"single": 0.70, "early": 0.15, "late": 0.15}
FLOODED_SHARE = {y: lin(y, 0.05, 0.20) for y in YEARS}  # of single rice: 稻虾/稻渔 fields
N_FERT = {y: lin(y, 62000, 45000) for y in YEARS}  # t N
SWINE_OUT = {  # 出栏 万头 and how known
    2015: (288.46 / (1 - 0.051), "derived"),
    2016: (288.46, "statistic"),
    2017: (246.57 / (1 - 0.020), "derived"),
    2018: (246.57, "statistic"),
    2019: (190.0, "estimate"),
    2020: (170.0, "estimate"),
    2021: (210.0, "estimate"),
    2022: (220.0, "estimate"),
    2023: (215.0, "estimate"),
    2024: (200.0, "estimate"),
}
STOCK_PER_OUT_SWINE = 0.65  # 年末存栏 / 全年出栏, national 2022: 45256 / 69995 (read)
POULTRY_OUT = {
    2015: (4047 / (1 - 0.229), "derived"),
    2016: (4047.0, "statistic"),
    2017: (3820.34 / 1.023, "derived"),
    2018: (3820.34, "statistic"),
    2019: (3700.0, "estimate"),
    2020: (3300.0, "estimate"),
    2021: (3500.0, "estimate"),
    2022: (3450.0, "estimate"),
    2023: (3400.0, "estimate"),
    2024: (3350.0, "estimate"),
}
STOCK_PER_OUT_POULTRY = 0.30
OTHER_LIVESTOCK = {  # 万头, 2015 → 2024 straight line
    "dairy_cattle": (1.2, 0.8),
    "other_cattle": (9.0, 6.5),
    "buffalo": (3.5, 2.0),
    "sheep": (1.2, 0.8),
    "goat": (9.0, 6.0),
}
# Forestry
FOREST_GROWTH_M3 = {y: lin(y, 230000, 300000) for y in YEARS}
AFFOREST_NEW_HA = {y: (2000.0 if y <= 2020 else 100000 / 15 / 5) for y in YEARS}
# 植树造林 read in a bulletin (万亩 → ha at 15 亩 per ha)
AFFOREST_READ_MU = {2017: (4.53, "植树造林4.53万亩: " + SRC_BULL_2017)}
for _y, (_mu, _src) in AFFOREST_READ_MU.items():
    AFFOREST_NEW_HA[_y] = _mu * 1e4 / 15
# 日均污水处理量 (万t/d) read in a bulletin
WW_DAILY_READ = {2017: 256.46}


# --------------------------------------------------------------------------------------------
rows: list[dict[str, object]] = []
balance: dict[int, dict[str, float]] = {y: {"coal": 0.0, "oil": 0.0, "gas": 0.0} for y in YEARS}


def add(
    y: int,
    district: str,
    sector: str,
    subsector: str,
    activity: str,
    amount: float,
    unit: str,
    source: str,
    quality: str,
    technology: str = "",
    control: str = "",
    parameters: str = "",
    tce: float | None = None,
    fuel_class: str | None = None,
) -> None:
    rows.append(
        {
            "year": y,
            "district": district,
            "sector": sector,
            "subsector": subsector,
            "activity": activity,
            "technology": technology,
            "control": control,
            "amount": round(amount, 4) if abs(amount) < 100 else round(amount, 2),
            "unit": unit,
            "source": source,
            "quality": quality,
            "parameters": parameters,
        }
    )
    if tce is not None and fuel_class:
        balance[y][fuel_class] += tce


def fuel(
    y: int,
    district: str,
    sector: str,
    subsector: str,
    code: str,
    wan_t: float,
    how: str,
    technology: str = "",
    control: str = "",
    parameters: str = "",
) -> None:
    """A solid or liquid fuel row in 万t, booked in the energy balance."""
    cls = "coal" if code in COAL_FUELS else "oil"
    add(
        y,
        district,
        sector,
        subsector,
        code,
        wan_t,
        "wan * t",
        E + how,
        "estimate",
        technology,
        control,
        parameters=parameters,
        tce=wan_t * TCE[code],
        fuel_class=cls,
    )


def build() -> None:
    for y in YEARS:
        # ---------------- energy industries: power plants
        for district, gen, rate, name in (
            (
                "xinzhou",
                GEN_YANGLUO[y],
                COAL_RATE_YANGLUO,
                "华能阳逻电厂 (Huaneng Yangluo, 新洲区)",
            ),
            (
                "qingshan",
                GEN_QINGSHAN[y],
                COAL_RATE_QINGSHAN,
                "华电青山热电 (Huadian Qingshan CHP)",
            ),
        ):
            tce = gen * rate * 10  # 亿kWh × kgce/kWh → 万tce
            control = "ule" if y >= ULE_FROM[district] else "wfgd"
            how = (
                f"{name} coal = generation {gen} 亿kWh (assumed; the 2023 report gives "
                f"≈ 115亿kWh/yr for Yangluo) × {rate} kgce/kWh ÷ 0.7143 tce/t raw coal (parameter "
                f"heat_rate: the same supply coal rate, for the generation of the official CO2 "
                f"caliber). "
                f"Control: ule from "
                f"{ULE_FROM[district]} (assumed year; Yangluo was the first ULE retrofit in Hubei "
                f"per the 2023 report, year not read), before that wfgd (plants also had SCR). "
                + (SRC_YANGLUO if district == "xinzhou" else "")
            )
            fuel(
                y,
                district,
                "energy_industries",
                "power",
                "raw_coal",
                tce / TCE["raw_coal"],
                how,
                technology="pulverised_coal",
                control=control,
                parameters=f"heat_rate={rate} kgce / kWh",
            )
        fuel(
            y,
            "qingshan",
            "energy_industries",
            "heat",
            "raw_coal",
            100.0,
            "coal-fired steam/heat plant serving the 化工区 and 武汉石化 (Qingshan) assumed "
            "100万t raw coal per year (the 十四五 climate plan keeps coal only in steel, power, "
            "clinker and "
            "petrochemicals); plant and amount not read",
            technology="",
            control="ule" if y >= 2018 else "wfgd",
        )
        # ---------------- natural gas
        road_cng = 0.0
        fl = fleet(y)
        for cls in ("bus_cng",):
            road_cng += fl[cls] * 1e4 * KM[cls](y) * ECON[cls](y) / 100 / 1e4  # 万Nm3
        gas_total = GAS_TOTAL[y] * 1e4  # 万m3
        gas_rest = gas_total - road_cng
        for (sector, sub, district), share in GAS_SHARES.items():
            amt = gas_rest * share
            add(
                y,
                district,
                sector,
                sub,
                "natural_gas",
                amt,
                "wan * Nm3",
                E + f"city natural-gas use {GAS_TOTAL[y]} 亿m3 (assumed; the 2023 plan targets "
                f"≥ 40亿m3 in 2025) less road CNG implied by the bus vkt, × share {share:.2f} for "
                f"this use (assumed)",
                "estimate",
                tce=amt * GAS_TCE_PER_WAN_NM3 / 1e4,
                fuel_class="gas",
            )
        balance[y]["gas"] += road_cng * GAS_TCE_PER_WAN_NM3 / 1e4
        # ---------------- industry solid fuels
        fuel(
            y,
            "qingshan",
            "industry",
            "steel",
            "raw_coal",
            0.12 * STEEL[y],
            "coal burnt in the steelworks' own power plant and boilers = 0.12 t/t crude steel "
            "(assumed; the coking and PCI coal are the steel_reductant row). Control ule from "
            "2024 (the 2023 plan: 武钢 ULE retrofit basically done "
            "by end-2023)",
            control="ule" if y >= 2024 else "wfgd",
        )
        fuel(
            y,
            "city",
            "industry",
            "cement",
            "bituminous_coal",
            CLINKER[y] * 0.11 / TCE["bituminous_coal"],
            "kiln coal = clinker (estimated) × 0.11 tce/t clinker ÷ 0.79 tce/t bituminous coal",
        )
        fuel(
            y,
            "city",
            "industry",
            "other",
            "raw_coal",
            lin(y, 150, 18),
            "coal in other industrial boilers, 150万t in 2015 falling to 18万t in 2024 with the "
            "coal-boiler phase-out (assumed; the 十四五 climate plan has all coal users outside "
            "steel, power, clinker and petrochemicals at zero by 2025)",
            control="wfgd",
        )
        fuel(
            y,
            "city",
            "industry",
            "other",
            "washed_coal",
            lin(y, 10, 4),
            "washed coal in other industry (assumed, small)",
        )
        fuel(
            y,
            "city",
            "industry",
            "other",
            "coke",
            lin(y, 12, 6),
            "coke burnt outside the steelworks (foundries, chemicals; assumed)",
        )
        fuel(
            y,
            "city",
            "industry",
            "other",
            "diesel",
            lin(y, 20, 16),
            "diesel in industrial and construction machinery (assumed)",
        )
        fuel(
            y,
            "qingshan",
            "industry",
            "petrochemical",
            "fuel_oil",
            lin(y, 22, 18),
            "refinery fuel of 武汉石化 (Qingshan) as fuel-oil equivalent (assumed; ethylene "
            "cracker fuel is inside the ethylene process factor)",
        )
        # ---------------- buildings
        fuel(
            y,
            "city",
            "buildings",
            "residential",
            "lpg",
            lin(y, 13, 8),
            "household LPG (assumed, falling as piped gas spreads)",
        )
        fuel(
            y,
            "city",
            "buildings",
            "commercial",
            "lpg",
            lin(y, 9, 6),
            "LPG in restaurants and services (assumed)",
        )
        fuel(
            y,
            "city",
            "buildings",
            "residential",
            "anthracite",
            lin(y, 5, 0.5),
            "rural household coal briquettes (assumed, falling)",
        )
        fuel(
            y,
            "city",
            "buildings",
            "commercial",
            "raw_coal",
            lin(y, 3, 0.2),
            "small commercial coal boilers and stoves (assumed, phased out)",
        )
        fuel(
            y,
            "city",
            "buildings",
            "commercial",
            "diesel",
            2.0,
            "diesel in back-up generators and service-sector boilers (assumed)",
        )
        # ---------------- agriculture energy
        fuel(
            y,
            "city",
            "agriculture",
            "energy",
            "diesel",
            lin(y, 9, 7),
            "farm machinery and fishing-boat diesel (assumed)",
        )
        fuel(
            y,
            "city",
            "agriculture",
            "energy",
            "gasoline",
            lin(y, 2.0, 1.5),
            "small farm engines (assumed)",
        )
        fuel(
            y,
            "city",
            "agriculture",
            "energy",
            "raw_coal",
            lin(y, 2.0, 0.3),
            "coal for crop drying and greenhouses (assumed)",
        )
        # ---------------- transport fuels other than road
        fuel(
            y,
            "city",
            "transport",
            "waterborne",
            "diesel",
            lin(y, 14, 17),
            "diesel sold to inland vessels in Wuhan port (assumed)",
        )
        fuel(
            y,
            "city",
            "transport",
            "waterborne",
            "fuel_oil",
            lin(y, 6, 4),
            "fuel oil sold to inland vessels (assumed)",
        )
        fuel(y, "city", "transport", "waterborne", "gasoline", 0.8, "small craft (assumed)")
        fuel(
            y,
            "city",
            "transport",
            "rail",
            "diesel",
            lin(y, 4, 2.5),
            "diesel locomotives and shunting (assumed; most rail traction is electric)",
        )
        fuel(
            y,
            "huangpi",
            "transport",
            "aviation",
            "kerosene",
            AIR_PAX[y] * FUEL_PER_PAX,
            f"jet fuel uplift at Tianhe airport (黄陂区) = passengers {AIR_PAX[y]}万 (as recalled, "
            f"not read here) × {FUEL_PER_PAX} t per passenger (assumed); includes international "
            "departures",
        )
        # ---------------- road: vkt
        for cls, n in fl.items():
            vkt_total = n * 1e4 * KM[cls](y) / 1e4  # 万km
            econ = ECON[cls](y)
            fuel_code = CLASS_FUEL[cls]
            if fuel_code in ("gasoline", "diesel"):
                t = vkt_total * 1e4 * econ / 100 * DENSITY[fuel_code] / 1000 / 1e4  # 万t
                balance[y]["oil"] += t * TCE[fuel_code]
            mix = {"": 1.0} if fuel_code == "electricity" else stage_mix(cls, y)
            for stage, share in mix.items():
                if share <= 0:
                    continue
                how = (
                    f"vehicles of class {cls} {n:.2f}万 (from 汽车拥有量 {VEH[y]}万 split by "
                    f"assumed class shares) × {KM[cls](y):.0f} km/yr (assumed)"
                    + (
                        f" × share of stage {stage} {share:.2f} (assumed fleet-age mix; pre-国三 "
                        "counted as cn3)"
                        if stage
                        else ""
                    )
                )
                q = "estimate"
                add(
                    y,
                    "city",
                    "transport",
                    "road",
                    "vkt",
                    vkt_total * share,
                    "wan * km",
                    E + how + ("; " + SRC_VEH if y in (2020, 2021, 2022) else ""),
                    q,
                    technology=cls,
                    control=stage,
                )
        # ---------------- electricity by sector (purchased, scope 2)
        total, src, qual = ELEC[y]
        ev_kwh = (
            sum(
                fl[c] * 1e4 * KM[c](y) * ECON[c](y) / 100
                for c in ("car_electric", "taxi_electric", "bus_electric")
            )
            / 1e8
        )  # 亿kWh
        s = sum(ELEC_SPLIT.values())
        parts = {
            ("agriculture", "energy"): ELEC_SPLIT["primary"] / s,
            ("industry", ""): ELEC_SPLIT["secondary"] / s,
            ("buildings", "commercial"): ELEC_SPLIT["tertiary"] / s,
            ("buildings", "residential"): ELEC_SPLIT["residential"] / s,
        }
        for (sector, sub), share in parts.items():
            amt = total * share
            note = ""
            if y in ELEC_RESIDENTIAL_READ:
                # the bulletin splits the year's use into 全行业 and 城乡居民生活 (both read)
                read_res, read_src = ELEC_RESIDENTIAL_READ[y]
                trade = total - read_res
                amt = (
                    read_res
                    if sub == "residential"
                    else trade * share / (1 - parts[("buildings", "residential")])
                )
            if sub == "commercial":
                amt -= ev_kwh
                note = (
                    f" less electric-vehicle charging {ev_kwh:.2f} 亿kWh implied by the "
                    "electric vkt rows (counted there)"
                )
            if y in ELEC_RESIDENTIAL_READ and sub == "residential":
                add(
                    y,
                    "city",
                    sector,
                    sub,
                    "electricity",
                    amt,
                    "yi * kWh",
                    f"城乡居民生活用电 {amt} 亿kWh; {read_src}",
                    "statistic",
                )
                continue
            base = "derived" if (y == 2021 and qual == "statistic") else "estimate"
            how = (
                f"全社会用电量 {total} 亿kWh ({qual}: {src}) × share {share:.4f} of "
                f"{ZH_SECTOR[(sector, sub)]} "
                f"in Jan–Nov 2021 (read, {SRC_ELEC_2021.split(',')[0]})" + note
            )
            if y in ELEC_RESIDENTIAL_READ:
                how = (
                    f"全行业用电 {trade:.2f} 亿kWh (read: {read_src}) × share "
                    f"{share / (1 - parts[('buildings', 'residential')]):.4f} of "
                    f"{ZH_SECTOR[(sector, sub)]} among 第一/第二/第三产业 in Jan–Nov 2021 (read, "
                    f"{SRC_ELEC_2021.split(',')[0]})" + note
                )
            add(
                y,
                "city",
                sector,
                sub,
                "electricity",
                amt,
                "yi * kWh",
                ("derived: " if base == "derived" else E + "shares of 2021 applied to this year; ")
                + how,
                base,
            )
        # purchased heat (steam from CHP) in industry
        add(
            y,
            "city",
            "industry",
            "other",
            "heat",
            lin(y, 6.0e6, 5.0e6),
            "GJ",
            E + "steam bought by industry from CHP plants (assumed 5–6 million GJ/yr); the CHP "
            "fuel is in energy_industries (scope 1), this row is scope 2",
            "estimate",
        )
        # ---------------- industrial processes
        add(
            y,
            "qingshan",
            "industrial_processes",
            "steel",
            "crude_steel",
            STEEL[y],
            "wan * t",
            E + f"crude steel of 武钢有限 (BF-BOF, 青山区) assumed {STEEL[y]}万t; plausibility: "
            "Hubei 2018 3071.8万t, 2019 3611.51万t (NBS provincial tables read in copies at "
            "visiochats.com / furst.com.cn). Process CO2 of fluxes and decarburisation by the "
            "library's BF-BOF defaults; the coal that makes the iron is the steel_reductant row",
            "estimate",
            technology="bof",
        )
        pci = STEEL_PCI_T
        coking = (STEEL_COAL_TCE[y] - pci * TCE["bituminous_coal"]) / TCE["washed_coal"]
        add(
            y,
            "qingshan",
            "industry",
            "steel",
            "steel_reductant",
            STEEL[y],
            "wan * t",
            E + f"the coal that makes 武钢's iron, per t of crude steel ({STEEL[y]}万t): "
            f"{STEEL_COAL_TCE[y]:.3f} tce/t of coking and PCI coal (assumed, falling 0.004 "
            f"tce/t a year from 0.600 in 2015), of which PCI {pci} t bituminous coal/t (about "
            f"150 kg per t hot metal × 0.9) and the rest coking coal ÷ "
            f"{TCE['washed_coal']} tce/t = {coking:.3f} t/t, charged to the coke ovens",
            "estimate",
            technology="bof",
            parameters=f"coking_coal={coking:.3f} t / t; pci_coal={pci} t / t",
        )
        add(
            y,
            "city",
            "industrial_processes",
            "cement",
            "clinker",
            CLINKER[y],
            "wan * t",
            E + "clinker of the kilns in Wuhan, 320万t (2015) → 270万t (2024) assumed; "
            "the 2012 bulletin gives 水泥 971.38万t (incl. grinding plants) "
            "(copy at http://pc0n6y.cn/toutiao/37740)",
            "estimate",
        )
        add(
            y,
            "qingshan",
            "industrial_processes",
            "lime",
            "lime",
            STEEL[y] * LIME_PER_STEEL,
            "wan * t",
            E + f"lime burnt for the steelworks = crude steel × {LIME_PER_STEEL} t/t (assumed)",
            "estimate",
            technology="high_calcium",
        )
        add(
            y,
            "hannan",
            "industrial_processes",
            "glass",
            "glass",
            GLASS[y],
            "wan * t",
            E + "float glass of 武汉长利玻璃(汉南) assumed 2 lines ≈ 48万t/yr (44 in 2020); "
            "cullet ratio assumed 0.2",
            "estimate",
            parameters="cullet_ratio=0.2 dimensionless",
        )
        add(
            y,
            "qingshan",
            "industrial_processes",
            "petrochemical",
            "ethylene",
            ETHYLENE[y],
            "wan * t",
            E + f"武汉乙烯 (中韩石化, 化工区 counted as Qingshan) output assumed "
            f"{ETHYLENE[y]}万t from its capacity (80万t/yr to 2021, 110 after the 脱瓶颈 project); "
            + SRC_ETHYLENE,
            "estimate",
        )
        cars_all = VEH[y]
        add(
            y,
            "city",
            "industrial_processes",
            "fgas",
            "hfc134a_bank",
            cars_all * 1e4 * 0.65,
            "kg",
            E + f"mobile-AC bank = 汽车拥有量 {cars_all}万 × 0.65 kg HFC-134a per vehicle "
            "(assumed average charge)" + ("; " + SRC_VEH if y in (2020, 2021, 2022) else ""),
            "estimate",
            technology="mobile_ac",
        )
        pop = POP[y][0]
        add(
            y,
            "city",
            "industrial_processes",
            "fgas",
            "hfc134a_bank",
            pop * 1e4 * 0.10,
            "kg",
            E + "stationary refrigeration bank = resident population × 0.10 kg HFC-134a per "
            "person (assumed)",
            "estimate",
            technology="refrigeration",
        )
        add(
            y,
            "city",
            "industrial_processes",
            "fgas",
            "sf6_bank",
            ELEC[y][0] * 100 * 3.0,
            "kg",
            E + "SF6 in switchgear = electricity use (亿kWh × 100 = GWh) × 3 kg SF6 per GWh "
            "(assumed from a national bank of roughly 20–30 kt for ~8,000 TWh)",
            "estimate",
        )
        gdp_idx = GDP[y][0] / GDP[2020][0]
        for tech, per_cap_kg, extra in (
            ("industrial_coating", None, "automotive and other industrial coatings"),
            ("architectural_coating", 5.0, "architectural coatings"),
            ("printing", 0.55, "printing inks"),
            ("other", 1.5, "adhesives, cleaning and consumer solvents"),
        ):
            if per_cap_kg is None:
                amt = 45000 * gdp_idx**0.5
                how = "45,000 t in 2020 scaled by (nominal GDP / 2020)^0.5 (assumed)"
            else:
                amt = pop * 1e4 * per_cap_kg / 1000
                how = f"resident population × {per_cap_kg} kg per person (assumed)"
            add(
                y,
                "city",
                "industrial_processes",
                "solvent",
                "solvent",
                amt,
                "t",
                E + f"{extra}: " + how,
                "estimate",
                technology=tech,
            )
        # ---------------- agriculture
        area = RICE_AREA[y]
        for tech, sh in RICE_SPLIT.items():
            regimes = (
                {"single_aeration": 1 - FLOODED_SHARE[y], "continuously_flooded": FLOODED_SHARE[y]}
                if tech == "single"
                else {"single_aeration": 1.0}
            )
            for ctrl, f in regimes.items():
                add(
                    y,
                    "city",
                    "agriculture",
                    "rice",
                    "rice_area",
                    area * sh * f,
                    "ha",
                    E + f"rice sown area {area} ha (assumed; 2016 grain area 209.69千ha read, "
                    f"{SRC_AGRI_2016.split(';')[0]}) × {tech} share {sh} × water regime "
                    f"{ctrl} {f:.2f} (稻虾/稻渔 fields assumed continuously flooded)",
                    "estimate",
                    technology=tech,
                    control=ctrl,
                )
        add(
            y,
            "city",
            "agriculture",
            "fertiliser",
            "n_fertiliser",
            N_FERT[y],
            "t",
            E + "N fertiliser (折纯) 62,000 t (2015) falling to 45,000 t (2024) with 化肥减量 "
            "(assumed)",
            "estimate",
        )
        out, q = SWINE_OUT[y]
        if q == "statistic":
            src = SRC_AGRI_2016 if y == 2016 else SRC_AGRI_2018
        elif q == "derived":
            src = (
                (SRC_AGRI_2016 + " → 2015 = 288.46 / (1 − 0.051)")
                if y == 2015
                else (SRC_AGRI_2018 + " → 2017 = 246.57 / (1 − 0.020)")
            )
        else:
            src = "出栏 assumed (ASF fall 2019–2020, partial recovery)"
        add(
            y,
            "city",
            "agriculture",
            "livestock",
            "livestock",
            out * STOCK_PER_OUT_SWINE,
            "wan * head",
            ("derived: " if q != "estimate" else E) + f"swine population = "
            f"出栏 {out:.2f}万头 × 0.65 (年末存栏/出栏, national 2022 45256/69995 read in the NBS "
            f"2022 bulletin copy at claytorial.com); {src}",
            "derived" if q != "estimate" else "estimate",
            technology="swine",
        )
        out, q = POULTRY_OUT[y]
        poultry_src = ""
        if q != "estimate":
            poultry_src = "; " + (SRC_AGRI_2016 if y in (2015, 2016) else SRC_AGRI_2018)
        add(
            y,
            "city",
            "agriculture",
            "livestock",
            "livestock",
            out * STOCK_PER_OUT_POULTRY,
            "wan * head",
            E + f"poultry population = 出笼 {out:.1f}万只 "
            f"({POULTRY_HOW[q]}"
            f"{poultry_src}"
            ") × 0.30 standing/throughput ratio (assumed)",
            "estimate",
            technology="poultry",
        )
        for sp, (a, b) in OTHER_LIVESTOCK.items():
            add(
                y,
                "city",
                "agriculture",
                "livestock",
                "livestock",
                lin(y, a, b),
                "wan * head",
                E + f"{sp} population {a}万 (2015) → {b}万 (2024) straight line (assumed)",
                "estimate",
                technology=sp,
            )
        # ---------------- waste
        msw = MSW[y] * 1e4
        lf, cp = LANDFILL_SHARE[y], COMPOST_SHARE[y]
        msw_how = f"MSW treated {MSW[y]}万t (assumed; 2014 264万t in {SRC_MSW_2014})"
        add(
            y,
            "city",
            "waste",
            "landfill",
            "msw_landfilled",
            msw * lf,
            "t",
            E + msw_how + f" × landfill share {lf:.2f} (assumed; the plan targets zero landfill "
            f"of raw MSW by end-2023, {SRC_PLAN_LANDFILL})"
            + (LANDFILL_BACKCAST_HOW if y == YEARS[0] else ""),
            "estimate",
            technology="managed_anaerobic",
            parameters=landfill_backcast(lf) if y == YEARS[0] else "",
        )
        add(
            y,
            "city",
            "waste",
            "incineration",
            "msw_incinerated",
            msw * (1 - lf - cp),
            "t",
            E + msw_how + f" × incineration share {1 - lf - cp:.2f}",
            "estimate",
        )
        add(
            y,
            "city",
            "waste",
            "composting",
            "waste_composted",
            msw * cp,
            "t",
            E + msw_how + f" × composting / food-waste treatment share {cp:.3f} (assumed)",
            "estimate",
        )
        # ---------------- wastewater
        cap = WW_CAP[y]
        treated = cap * WW_LOAD * 365
        if y in WW_DAILY_READ:
            treated = WW_DAILY_READ[y] * 365
            wq = "derived"
            whow = (
                f"derived: 日均污水处理量 {WW_DAILY_READ[y]}万t/d "
                f"(read: 日均污水处理量256.46万吨/日, {SRC_BULL_2017}) × 365 d"
            )
        elif y in (2015, 2020):
            wq = "derived"
            whow = (
                f"derived: capacity {cap}万t/d ({'461.5 − 182.5' if y == 2015 else '461.5'}, "
                f"{SRC_WW}) × load factor {WW_LOAD} (assumed) × 365 d"
            )
            wq = "estimate"  # the load factor is an assumption
            whow = E + whow[len("derived: ") :]
        else:
            wq = "estimate"
            whow = E + (
                f"capacity {cap}万t/d interpolated/extrapolated from 279 (2015) and "
                f"461.5 (2020) ({SRC_WW}) × load factor {WW_LOAD} × 365 d"
            )
        add(
            y,
            "city",
            "wastewater",
            "domestic",
            "wastewater_treated",
            treated,
            "wan * m3",
            whow,
            wq,
            technology="domestic",
            parameters="cod_in=200 mg/L; cod_out=25 mg/L; tn_in=30 mg/L; tn_out=11 mg/L; "
            "nh3n_out=1.5 mg/L",
        )
        add(
            y,
            "city",
            "wastewater",
            "industrial",
            "wastewater_treated",
            WW_IND[y],
            "wan * m3",
            E + "wastewater treated in industrial plants' own works (steel, petrochemical), "
            "15,000万m3 (2015) → 10,000万m3 (2024) (assumed)",
            "estimate",
            technology="industrial",
            parameters="cod_in=400 mg/L; cod_out=50 mg/L; tn_in=40 mg/L; tn_out=15 mg/L; "
            "nh3n_out=3 mg/L",
        )
        ur = URBAN_RATE[y]
        # urban residents only: the rural ones are the rural_population rows (census discharge
        # per resident, served or not; area_and_water_sources)
        unserved = pop * 1e4 * ur * (1 - URBAN_SERVED[y])
        add(
            y,
            "city",
            "wastewater",
            "domestic",
            "sewage_untreated",
            unserved,
            "person",
            E + f"urban residents not served = resident population {pop}万 × urban share "
            f"{ur:.3f} × unserved {1 - URBAN_SERVED[y]:.3f}; service rate assumed (urban "
            "93→98 %); urban shares 2022–2024 read in the bulletins; rural residents are in the "
            "rural_population rows",
            "estimate",
        )
        # ---------------- forestry
        add(
            y,
            "city",
            "forestry",
            "forest",
            "forest_stock_change",
            FOREST_GROWTH_M3[y],
            "m3",
            E + "net growth of forest growing stock 230,000 m3 (2015) → 300,000 m3 (2024) "
            "assumed (≈ 4–5 % of an assumed stock of 5–7 million m3); excludes stands planted "
            "since 2015 (in afforestation)",
            "estimate",
            parameters="interval=1 year",
        )
        cum = sum(AFFOREST_NEW_HA[x] for x in YEARS if x <= y)
        add(
            y,
            "city",
            "forestry",
            "forest",
            "afforestation",
            cum,
            "ha",
            E + "area afforested since 2015 and growing: 2,000 ha/yr to 2020 (assumed, ≈ 3万亩/yr) "
            "and 1,333 ha/yr from 2021 (plan: 10万亩 in 2021–2025, "
            + SRC_PLAN_FOREST
            + ")"
            + "".join(
                f"; {x}: {mu}万亩 = {mu * 1e4 / 15:.0f} ha read ({src})"
                for x, (mu, src) in AFFOREST_READ_MU.items()
                if x <= y
            ),
            "estimate",
        )
        new_categories(y)
        area_and_water_sources(y)


# --------------------------------------------------------------------------------------------
# Categories added for issue 14 (11): fugitive CH4 of oil and gas, F-gases of electronics and
# refrigerants, field burning of crop residues. All estimates; assumptions below.
# --------------------------------------------------------------------------------------------
CRUDE_RUNS = {y: lin(y, 750, 850) for y in YEARS}  # 万t/yr, 武汉石化 (capacity 800万t/yr)
WAFER_M2 = 3.14159265 * 0.15**2  # one 300 mm wafer, m2
WAFER_STARTS = {  # 千片/月 (thousand 300 mm wafers a month), 武汉新芯 + 长江存储
    2015: 15,
    2016: 18,
    2017: 20,
    2018: 25,
    2019: 45,
    2020: 70,
    2021: 110,
    2022: 140,
    2023: 120,
    2024: 150,
}
GEN6_M2 = 1.5 * 1.85  # one Gen 6 glass substrate (1500 × 1850 mm), m2
PANEL_STARTS = {  # 千片/月 of Gen 6 substrates: (华星 t3, 华星 t4, 华星 t5, 天马)
    2015: (0, 0, 0, 0),
    2016: (15, 0, 0, 10),
    2017: (30, 0, 0, 25),
    2018: (45, 0, 0, 30),
    2019: (45, 5, 0, 40),
    2020: (45, 15, 0, 50),
    2021: (45, 30, 0, 50),
    2022: (45, 45, 0, 50),
    2023: (45, 45, 10, 50),
    2024: (45, 45, 30, 50),
}
FAB_ABATEMENT = 0.81  # a 0.9 (share of the gas sent to point-of-use abatement) × d 0.9
AC_UNITS_PER_PERSON = 0.5
AC_CHARGE_KG = 1.1
R404A_KG_PER_PERSON = 0.015
STRAW = {"grain_t_per_ha": 7.0, "straw_per_grain": 1.0, "dry_matter": 0.85, "cf": 0.80}


def new_categories(y: int) -> None:
    """Rows of the categories added for issue 14 (11), one year; none touches the energy
    balance (they are not fuel use), so statistics.csv does not change."""
    add(
        y,
        "qingshan",
        "energy_industries",
        "fugitive",
        "crude_refined",
        CRUDE_RUNS[y],
        "wan * t",
        E + f"crude oil refined by 中石化武汉分公司 (武汉石化, 青山区) assumed {CRUDE_RUNS[y]:.1f}"
        "万t: 750万t (2015) → 850万t (2024) straight line around its 800万t/yr capacity "
        "(capacity as recalled, throughput not read here); the density of the crude is the "
        "library's 0.86 t/m3 (estimate)",
        "estimate",
    )
    add(
        y,
        "city",
        "energy_industries",
        "fugitive",
        "gas_distributed",
        GAS_TOTAL[y] * 1e4,
        "wan * Nm3",
        E + f"natural gas distributed in the city = city natural-gas use {GAS_TOTAL[y]} 亿m3 "
        "(the same assumed total as the natural_gas rows), all of it taken as passing the "
        "city network (large users fed from the transmission line would be less; not known)",
        "estimate",
    )
    wafers = WAFER_STARTS[y]
    add(
        y,
        "ehdz",
        "industrial_processes",
        "electronics",
        "substrate_processed",
        wafers * 1e3 * 12 * WAFER_M2,
        "m ** 2",
        E + f"silicon processed by 武汉新芯 (XMC) and 长江存储 (YMTC, from 2018) in 东湖高新区 "
        f"= {wafers}千 300 mm wafer starts a month (assumed from announced capacities: YMTC "
        "phase 1 planned 100千/月, XMC about 20–30千/月; not read) × 12 × 0.0707 m2 per "
        f"wafer; parameter abatement = {FAB_ABATEMENT} (a 0.9 of the gas to point-of-use "
        "abatement × d 0.9 destruction, assumed for new fabs)",
        "estimate",
        technology="semiconductor",
        parameters=f"abatement={FAB_ABATEMENT} dimensionless",
    )
    t3, t4, t5, tm = PANEL_STARTS[y]
    if t3 + t4 + t5 + tm > 0:
        add(
            y,
            "ehdz",
            "industrial_processes",
            "electronics",
            "substrate_processed",
            (t3 + t4 + t5 + tm) * 1e3 * 12 * GEN6_M2,
            "m ** 2",
            E + f"glass substrates processed by the Gen 6 display fabs of 东湖高新区 = (华星光电 "
            f"t3 {t3} + t4 {t4} + t5 {t5} + 天马 {tm})千 substrates a month (assumed from "
            "announced capacities and start years; not read) × 12 × 2.775 m2 per "
            "1500 × 1850 mm substrate; no abatement assumed (the IPCC Tier 1 default). "
            "京东方 B17 (Gen 10.5) is not included",
            "estimate",
            technology="tft_fpd",
        )
    pop = POP[y][0]
    units = pop * 1e4 * AC_UNITS_PER_PERSON
    for code, share in (
        ("r410a_bank", lin(y, 0.15, 0.45)),
        ("r32_bank", lin(y, 0.01, 0.20)),
    ):
        if share <= 0:
            continue
        add(
            y,
            "city",
            "industrial_processes",
            "fgas",
            code,
            units * AC_CHARGE_KG * share,
            "kg",
            E + f"room air-conditioner bank = resident population {pop}万 × "
            f"{AC_UNITS_PER_PERSON} units per person × {AC_CHARGE_KG} kg charge × share "
            f"{share:.3f} of the stock on {'R-410A' if code == 'r410a_bank' else 'R-32'} "
            "(assumed: R-410A 15 % → 45 %, R-32 1 % → 20 % from 2015 to 2024; the rest R-22, an "
            "HCFC outside the inventory)",
            "estimate",
            technology="stationary_ac",
        )
    add(
        y,
        "city",
        "industrial_processes",
        "fgas",
        "r404a_bank",
        pop * 1e4 * R404A_KG_PER_PERSON,
        "kg",
        E + f"R-404A in commercial refrigeration (supermarkets, cold stores) = resident "
        f"population {pop}万 × {R404A_KG_PER_PERSON} kg per person (assumed)",
        "estimate",
        technology="refrigeration",
    )
    burnt_share = lin(y, 0.10, 0.02)
    st = STRAW
    add(
        y,
        "city",
        "agriculture",
        "residue_burning",
        "crop_residue_burned",
        RICE_AREA[y]
        * st["grain_t_per_ha"]
        * st["straw_per_grain"]
        * st["dry_matter"]
        * burnt_share
        * st["cf"]
        / 1e4,
        "wan * t",
        E + f"rice straw burnt in the field (dry matter) = rice area {RICE_AREA[y]} ha × "
        f"{st['grain_t_per_ha']} t grain/ha × straw/grain {st['straw_per_grain']} × dry "
        f"matter {st['dry_matter']} × share burnt in the field {burnt_share:.3f} (assumed, "
        f"10 % → 2 % under the 秸秆禁烧 ban) × combustion factor {st['cf']} (IPCC 2006 Vol.4 "
        "Table 2.6 rice straw, as recalled); other crops' residues not counted",
        "estimate",
        technology="rice_straw",
    )


# --------------------------------------------------------------------------------------------
# Air-pollutant area sources and agricultural / rural water pollution, issue 14 (11), points 4
# and 5: oil-product distribution, construction and road dust, cooking. All estimates.
# --------------------------------------------------------------------------------------------
VAPOUR_RECOVERY = {y: lin(y, 0.60, 0.95) for y in YEARS}  # share of throughput with 油气回收
FLOOR_UNDER_CONSTRUCTION = {y: lin(y, 1.20, 1.40) for y in YEARS}  # 亿m2 房屋施工面积
PLOT_RATIO = 2.5  # floor area per m2 of site
NONRES_SHARE = 0.30  # of the floor area under construction
ROAD_WORKS_M2 = 4.0e6  # m2 of road works a year (≈ 100 km × 40 m)
SITE_DUST_CONTROL = {y: lin(y, 0.30, 0.60) for y in YEARS}  # share removed (围挡, 洒水, 覆盖)
RAIN_DAYS = 120  # days a year with ≥ 0.254 mm of rain, Wuhan
AQUACULTURE = {y: lin(y, 48.0, 38.0) for y in YEARS}  # 万t
SLUDGE_T_PER_WAN_M3 = 7.0  # t wet sludge (80 % water) per 万m3 treated
SLUDGE_SHARES = {
    y: {
        "composting": lin(y, 0.20, 0.30),
        "anaerobic_digestion": 0.0 if y < 2019 else lin(y, 0.10, 0.25, 2019, 2024),
    }
    for y in YEARS
}
RESERVOIR_HA = 8000.0

# landfill history (issue 14 (11), point 7): the deposits before 2015 back-cast as population ×
# waste per capita × landfilled share, parameters of the first (2015) row
LANDFILL_BACKCAST = {
    "backcast_population_growth": "1.9 percent",  # 1985–2015, ≈ 600万 → 1,061万 (as recalled)
    "backcast_waste_growth": "3 percent",  # MSW per resident a year (assumed)
    "backcast_landfill_share": "0.9 dimensionless",  # before the incineration plants
    "backcast_share_year": "2012 dimensionless",
}
LANDFILL_BACKCAST_HOW = (
    "; deposits before 2015 back-cast (parameters of this row): population growing 1.9 %/yr "
    "(≈ 600万 in 1985 → 1,061万 in 2015, as recalled), MSW per resident 3 %/yr (assumed), "
    "landfilled share 0.9 before 2012, when the incineration plants (长山口, 星火, 锅顶山, "
    "汉口北: 2012–2013, as recalled) took most of the waste, the 2015 share from 2012 on"
)


def landfill_backcast(share: float) -> str:
    """Row parameters of the first landfill row: its landfilled share and the back-cast."""
    parts = [f"landfill_share={share} dimensionless"]
    parts += [f"{k}={v}" for k, v in LANDFILL_BACKCAST.items()]
    return "; ".join(parts)


def road_fuel(y: int) -> dict[str, float]:
    """Gasoline and diesel burnt on the roads, 万t, from the vehicle classes (as the energy
    balance does)."""
    fl = fleet(y)
    out = {"gasoline": 0.0, "diesel": 0.0}
    for cls, n in fl.items():
        f = CLASS_FUEL[cls]
        if f in out:
            out[f] += n * KM[cls](y) * ECON[cls](y) / 100 * DENSITY[f] / 1e3
    return out


def area_and_water_sources(y: int) -> None:
    """Rows of the area sources of issue 14 (11) points 4 and 5, one year; none touches the
    energy balance."""
    fuel_road = road_fuel(y)
    other_diesel = sum(
        float(r["amount"])
        for r in rows
        if r["year"] == y and r["activity"] == "diesel" and r["unit"] == "wan * t"
    )
    volumes = {"gasoline": fuel_road["gasoline"], "diesel": fuel_road["diesel"] + other_diesel}
    for product_code, wan_t in volumes.items():
        for control, share in (
            ("vapour_recovery", VAPOUR_RECOVERY[y]),
            ("none", 1 - VAPOUR_RECOVERY[y]),
        ):
            how = (
                f"{product_code} sold in the city = road {product_code} "
                f"{fuel_road[product_code]:.2f}万t (vehicle classes × km × fuel economy × density, "
                "as in the energy balance)"
                + (
                    f" + diesel of the other sectors' rows {other_diesel:.2f}万t"
                    if product_code == "diesel"
                    else ""
                )
                + f", × share {share:.3f} {'with' if control != 'none' else 'without'} vapour "
                "recovery (油气回收 at depots, tankers and service stations; assumed 60 % of the "
                "throughput in 2015 → 95 % in 2024)"
            )
            add(
                y,
                "city",
                "energy_industries",
                "fugitive",
                "oil_products_distributed",
                wan_t * share,
                "wan * t",
                E + how,
                "estimate",
                technology=product_code,
                control=control,
            )
    site = FLOOR_UNDER_CONSTRUCTION[y] * 1e8 / PLOT_RATIO
    ce = SITE_DUST_CONTROL[y]
    for tech, area, how in (
        (
            "apartments",
            site * (1 - NONRES_SHARE),
            f"residential share {1 - NONRES_SHARE:.2f} of the site area",
        ),
        ("non_residential", site * NONRES_SHARE, f"non-residential share {NONRES_SHARE:.2f}"),
    ):
        add(
            y,
            "city",
            "industrial_processes",
            "construction_dust",
            "construction_area",
            area,
            "m ** 2",
            E + f"site area under construction = floor area under construction (房屋施工面积) "
            f"{FLOOR_UNDER_CONSTRUCTION[y]:.3f}亿m2 (assumed, 1.2 → 1.4亿m2; not read) ÷ plot "
            f"ratio {PLOT_RATIO} (assumed) × {how}; parameter dust_control = {ce:.3f} (share "
            "removed by hoardings, watering and covering, assumed 0.30 → 0.60 under the "
            "六个百分之百 rules)",
            "estimate",
            technology=tech,
            parameters=f"dust_control={ce:.3f} dimensionless",
        )
    add(
        y,
        "city",
        "industrial_processes",
        "construction_dust",
        "construction_area",
        ROAD_WORKS_M2,
        "m ** 2",
        E + "road works = about 100 km of roads built or rebuilt a year × 40 m (assumed); "
        f"parameter dust_control = {ce:.3f} (as for buildings)",
        "estimate",
        technology="road_works",
        parameters=f"dust_control={ce:.3f} dimensionless",
    )
    fl = fleet(y)
    vkt_total = sum(n * 1e4 * KM[c](y) for c, n in fl.items()) / 1e4  # 万km
    add(
        y,
        "city",
        "transport",
        "road_dust",
        "paved_road_vkt",
        vkt_total,
        "wan * km",
        E + f"vehicle-kilometres of all road classes = the vkt rows' total {vkt_total:,.0f}万km "
        f"(all roads taken as paved); parameter rain_days = {RAIN_DAYS} (days with ≥ 0.254 mm of "
        "rain, Wuhan, as recalled); silt loading and vehicle weight the library's estimates "
        "(0.5 g/m2, 2.5 t); no sweeping or washing efficiency counted",
        "estimate",
        parameters=f"rain_days={RAIN_DAYS} day",
    )
    pop = POP[y][0]
    add(
        y,
        "city",
        "buildings",
        "catering",
        "cooking_population",
        pop * 1e4,
        "person",
        E + f"resident population {pop}万 (the population rows' figure), served by restaurants "
        "at the per-capita rate of Beijing 2014 (the factor's source)",
        "estimate",
    )
    # ---------------- point 5: aquaculture and rural domestic sewage (COD, NH3-N)
    add(
        y,
        "city",
        "agriculture",
        "aquaculture",
        "aquaculture_output",
        AQUACULTURE[y],
        "wan * t",
        E + f"aquaculture output (水产养殖产量) {AQUACULTURE[y]:.1f}万t, assumed 48万t (2015) → "
        "38万t (2024) as ponds and lake pens were withdrawn (退垸还湖, 拆围); not read",
        "estimate",
    )
    ur = URBAN_RATE[y]
    add(
        y,
        "city",
        "wastewater",
        "rural_domestic",
        "rural_population",
        pop * 1e4 * (1 - ur),
        "person",
        E + f"rural residents = resident population {pop}万 × (1 − urban share {ur:.3f}), the "
        "same figures as the sewage_untreated rows (which now count urban residents only)",
        "estimate",
    )
    # ---------------- point 6: sewage sludge treated biologically, reservoirs (CH4)
    treated = next(
        float(r["amount"])
        for r in rows
        if r["year"] == y
        and r["activity"] == "wastewater_treated"
        and r["technology"] == "domestic"
    )
    sludge = treated * SLUDGE_T_PER_WAN_M3
    for tech, share in SLUDGE_SHARES[y].items():
        if share <= 0:
            continue
        add(
            y,
            "city",
            "wastewater",
            "sludge",
            "sludge_treated",
            sludge * share / 1e4,
            "wan * t",
            E + f"wet sludge (80 % water) of the domestic plants = treated volume "
            f"{treated:,.0f}万m3 × {SLUDGE_T_PER_WAN_M3} t per 万m3 (assumed, the usual Chinese "
            f"6–8 t) × share {share:.3f} {tech.replace('_', ' ')} (assumed: composting 20 → 30 "
            "%, anaerobic digestion from 2019 10 → 25 %; the rest landfilled or incinerated, "
            "not counted here)",
            "estimate",
            technology=tech,
        )
    add(
        y,
        "city",
        "forestry",
        "wetlands",
        "flooded_land_area",
        RESERVOIR_HA,
        "ha",
        E + f"surface of Wuhan's reservoirs (道观河, 夏家寺 and the other small and medium "
        f"reservoirs), {RESERVOIR_HA:,.0f} ha assumed (not read); natural lakes are not "
        "flooded land and are not counted",
        "estimate",
        technology="warm_temperate_moist",
    )


def statistics() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    # real index 2020 = 100
    idx = {2020: 100.0}
    for y in range(2021, 2025):
        idx[y] = idx[y - 1] * (1 + GROWTH[y][0] / 100)
    for y in range(2019, 2014, -1):
        idx[y] = idx[y + 1] / (1 + GROWTH[y + 1][0] / 100)
    for y in YEARS:
        v, src, q = GDP[y]
        out.append(
            {
                "year": y,
                "indicator": "gdp",
                "value": v,
                "unit": "yi * CNY",
                "source": src,
                "quality": q,
            }
        )
        if y == 2020:
            used = []
        elif y > 2020:
            used = list(range(2021, y + 1))
        else:
            used = list(range(y + 1, 2021))
        unread = [u for u in used if not GROWTH[u][1]]
        rates = ", ".join(
            f"{u} {GROWTH[u][0]:+.1f} %{'' if GROWTH[u][1] else ' (recalled)'}" for u in used
        )
        how = (
            "GDP at comparable prices, 2020 = 100, chained from the bulletins' real growth "
            f"rates ({rates or 'base year'}); read rates: 2018 8.0 % ({SRC_YB_2019}), 2020 "
            "−4.7 % (2020 bulletin), 2022 4.0 %, 2023 5.7 %, 2024 5.2 % (bulletins)"
        )
        q = "derived" if not unread else "estimate"
        if unread:
            how = E + how + "; rates marked recalled were not read here"
        else:
            how = "derived: " + how
        out.append(
            {
                "year": y,
                "indicator": "gdp_real_index",
                "value": round(idx[y], 2),
                "unit": "dimensionless",
                "source": how,
                "quality": q,
            }
        )
        v, src, q = POP[y]
        out.append(
            {
                "year": y,
                "indicator": "population",
                "value": v,
                "unit": "wan * person",
                "source": src,
                "quality": q,
            }
        )
        tce = energy_total(y)
        out.append(
            {
                "year": y,
                "indicator": "energy_consumption",
                "value": round(tce, 1),
                "unit": "wan * tce",
                "source": E + f"not found published; = estimated coal use "
                f"{balance[y]['coal']:.0f}万tce (sum of the coal rows of activity.csv plus coking "
                f"and PCI coal of the steelworks, {STEEL_COAL_TCE[y]:.3f} tce/t crude steel) ÷ "
                f"coal share {COAL_SHARE[y]:.4f} ("
                + (
                    "read: 2023 30.5 %"
                    if y == 2023
                    else "derived: 2020 = 30.5 + 4.63 %"
                    if y == 2020
                    else "assumed straight line through the 2020 and 2023 values"
                )
                + f"; {SRC_COAL_SHARE}); plausibility: the "
                f"estimated coal use stays under the 2022 coal cap of the peak action plan ("
                f"{SRC_PEAK})",
                "quality": "estimate",
            }
        )
        v, src, q = ELEC[y]
        out.append(
            {
                "year": y,
                "indicator": "electricity_consumption",
                "value": v,
                "unit": "yi * kWh",
                "source": src,
                "quality": q,
            }
        )
    return out


def energy_total(y: int) -> float:
    return balance[y]["coal"] / COAL_SHARE[y]


def main() -> None:
    build()
    for y in YEARS:
        balance[y]["coal"] += STEEL[y] * STEEL_COAL_TCE[y]
    stats = statistics()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    cols = [
        "year",
        "district",
        "sector",
        "subsector",
        "activity",
        "technology",
        "control",
        "amount",
        "unit",
        "source",
        "quality",
        "parameters",
    ]
    with (OUT_DIR / "activity.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with (OUT_DIR / "statistics.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(
            fh,
            fieldnames=["year", "indicator", "value", "unit", "source", "quality", "assumes"],
            lineterminator="\n",
        )
        w.writeheader()
        # the energy total is estimated coal use ÷ an assumed coal share: a coal share
        # computed from it returns the assumption (circular), so it is marked as assuming it
        w.writerows(
            {**r, "assumes": "coal_share_energy" if r["indicator"] == "energy_consumption" else ""}
            for r in stats
        )
    if "--check" in sys.argv:
        print("year coal oil gas total residual import_coal_eq intensity(tce/万元 real2020)")
        idx = {r["year"]: r["value"] for r in stats if r["indicator"] == "gdp_real_index"}
        for y in YEARS:
            b = balance[y]
            tot = energy_total(y)
            local = GEN_YANGLUO[y] + GEN_QINGSHAN[y] + 20
            imp = (ELEC[y][0] - local) * 3.0  # 亿kWh × 0.300 kgce/kWh → 万tce
            resid = tot - b["coal"] - b["oil"] - b["gas"]
            print(
                y,
                round(b["coal"]),
                round(b["oil"]),
                round(b["gas"]),
                round(tot),
                round(resid),
                round(imp),
                round(tot / (GDP[2020][0] * idx[y] / 100), 3),
            )
    print(f"activity.csv {len(rows)} rows; statistics.csv {len(stats)} rows")


if __name__ == "__main__":
    main()
