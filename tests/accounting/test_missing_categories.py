"""The categories added for issue 14 (11), worked by hand from the factor rows they cite and
run through the public API (``build_inventory``, ``FactorLibrary.load(folder)`` on a user's own
factor folder, ``Inventory.co2e``). Each expected figure is computed in the docstring, not by
the code under test."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from tests.accounting.conftest import make
from xietong.accounting.activity import Activity, read_activity_csv
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.inventory import InventoryOptions, build_inventory
from xietong.datafiles import data_path

NEW_FILES = (
    "fugitive.csv",
    "fgas.csv",
    "biomass_burning.csv",
    "process.csv",
    "area_sources.csv",
    "transport.csv",
    "water_pollutants.csv",
    "agriculture.csv",
    "air_pollutants.csv",
    "wastewater.csv",
    "waste.csv",
    "forestry.csv",
)


def _by_substance(rows: list[Activity], library: FactorLibrary | None = None) -> dict[str, float]:
    inv = build_inventory(rows, library, InventoryOptions())
    return inv.frame().groupby("substance")["value"].sum().to_dict()


def _co2e(rows: list[Activity], gwp: str) -> float:
    inv = build_inventory(rows, None, InventoryOptions())
    return float(inv.co2e(load_gwp(gwp), ["year"])["co2e"].sum())


@pytest.fixture(scope="module")
def own_factors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's factor folder: copies of the files of the new categories and the GWPs."""
    folder = tmp_path_factory.mktemp("factors")
    for name in (*NEW_FILES, "gwp.csv"):
        shutil.copy(data_path("factors", name), folder / name)
    return folder


# ---------------------------------------------------------------- 1. fugitive CH4 of oil and gas
REFINERY = [make("crude_refined", 1_000_000, "t", "energy_industries", subsector="fugitive")]


def test_refinery_fugitive_methane(own_factors: Path) -> None:
    """1 000 000 t of crude at the library's density 0.86 t/m³ = 1 162 790.70 m³ refined ×
    IPCC 2006 Vol.2 Table 4.2.4 (midpoint of 2.6–41.0 g CH4 per m³) 21.8 g/m³ = 25.348837 t
    CH4; fossil methane: AR6 × 29.8 = 755.395349 t CO2e, AR5 × 28 = 709.767442 t. A refinery
    that gives its own density (0.85 t/m³): 1 000 000 / 0.85 × 21.8e-6 = 25.647059 t."""
    for library in (None, FactorLibrary.load(own_factors)):
        assert _by_substance(REFINERY, library)["CH4"] == pytest.approx(25.348837, rel=1e-6)
    assert _co2e(REFINERY, "AR6") == pytest.approx(755.395349, rel=1e-6)
    assert _co2e(REFINERY, "AR5") == pytest.approx(709.767442, rel=1e-6)
    own = [
        make(
            "crude_refined",
            1_000_000,
            "t",
            "energy_industries",
            subsector="fugitive",
            parameters="density=0.85 t / m3",
        )
    ]
    assert _by_substance(own)["CH4"] == pytest.approx(25.647059, rel=1e-6)
    formula = build_inventory(REFINERY, None, InventoryOptions()).table()["formula"].iloc[0]
    assert "m3 / t" in formula and "21.8 g / m3" in formula


def test_city_gas_distribution() -> None:
    """10 000 万Nm³ = 10⁸ m³ distributed × IPCC 2006 Vol.2 Table 4.2.5 midpoints (developing
    countries): CH4 1.8 g/m³ → 180 t, CO2 0.0955 g/m³ → 9.55 t, NMVOC 0.026 g/m³ → 2.6 t;
    AR6: 180 × 29.8 + 9.55 = 5 373.55 t CO2e. The same volume metered in Sm³ (20 °C) is
    10⁸ × 273.15 / 293.15 = 93 177 554 Nm³ → 167.72 t CH4."""
    gas = [make("gas_distributed", 10_000, "wan * Nm3", "energy_industries", subsector="fugitive")]
    got = _by_substance(gas)
    assert got == {
        "CH4": pytest.approx(180.0),
        "CO2": pytest.approx(9.55),
        "VOCs": pytest.approx(2.6),
    }
    assert _co2e(gas, "AR6") == pytest.approx(5_373.55)
    sm3 = [make("gas_distributed", 10_000, "wan * Sm3", "energy_industries", subsector="fugitive")]
    assert _by_substance(sm3)["CH4"] == pytest.approx(180.0 * 273.15 / 293.15)
    # the leaked gas's CO2 is not fuel-combustion CO2: no NCV in its trace
    frame = build_inventory(gas, None, InventoryOptions()).table()
    assert "NCV" not in frame.loc[frame["substance"] == "CO2", "formula"].iloc[0]


def test_a_users_own_factor_wins(own_factors: Path, tmp_path: Path) -> None:
    """A city's own measured leak factor (2.4 g CH4/m³, tier measured) in its factor folder
    wins over the IPCC default: 10⁸ m³ × 2.4 g/m³ = 240 t CH4."""
    folder = tmp_path / "own"
    shutil.copytree(own_factors, folder)
    with (folder / "fugitive.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(
            ["city.gas_leak.ch4", "CITY", "CH4", "2.4", "g / m3", "gas_distributed"]
            + [""] * 6
            + ["measured", "city gas company survey", "leak survey", "2022"]
            + [""] * 3
            + ["yes", "own measurement"]
        )
    gas = [make("gas_distributed", 10_000, "wan * Nm3", "energy_industries", subsector="fugitive")]
    assert _by_substance(gas, FactorLibrary.load(folder))["CH4"] == pytest.approx(240.0)


# ------------------------------------------------------------ 2. F-gases of fabs and refrigerants
def test_semiconductor_fab_with_abatement() -> None:
    """10 000 m² of silicon, abatement a × d = 0.8, IPCC 2006 Vol.3 Table 6.2 Tier 1 (kg/m²):
    CF4 0.9 × 10 000 × 0.2 = 1.8 t, C2F6 1.0 → 2.0 t, NF3 0.04 → 0.08 t, SF6 0.2 → 0.4 t.
    AR6: 1.8 × 7 380 + 2.0 × 12 400 + 0.08 × 17 400 + 0.4 × 25 200 = 13 284 + 24 800 + 1 392 +
    10 080 = 49 556 t CO2e; AR4: 13 302 + 24 400 + 1 376 + 9 120 = 48 198 t."""
    fab = [
        make(
            "substrate_processed",
            10_000,
            "m ** 2",
            "industrial_processes",
            subsector="electronics",
            technology="semiconductor",
            parameters="abatement=0.8 dimensionless",
        )
    ]
    got = _by_substance(fab)
    expected = {"CF4": 1.8, "C2F6": 2.0, "NF3": 0.08, "SF6": 0.4}
    assert got == {k: pytest.approx(v) for k, v in expected.items()}
    assert _co2e(fab, "AR6") == pytest.approx(49_556.0)
    assert _co2e(fab, "AR4") == pytest.approx(48_198.0)


def test_display_fab_without_abatement() -> None:
    """10⁶ m² of glass (TFT-FPD), no abatement (the Tier 1 default a × d = 0), Table 6.2
    (g/m²): CF4 0.5 → 0.5 t, NF3 0.9 → 0.9 t, SF6 4 → 4 t; no C2F6 factor for displays."""
    fpd = [
        make(
            "substrate_processed",
            1_000_000,
            "m ** 2",
            "industrial_processes",
            subsector="electronics",
            technology="tft_fpd",
        )
    ]
    assert _by_substance(fpd) == {
        "CF4": pytest.approx(0.5),
        "NF3": pytest.approx(0.9),
        "SF6": pytest.approx(4.0),
    }


def test_refrigerant_blends() -> None:
    """R-410A (HFC-32/HFC-125 50/50) 1 000 t in room air conditioners × 5.5 %/yr (Table 7.9,
    stationary A/C) = 55 t: 27.5 t HFC-32 + 27.5 t HFC-125; AR6 27.5 × 771 + 27.5 × 3 740 =
    124 052.5 t CO2e. R-404A (HFC-125/143a/134a 44/52/4) 100 t in commercial refrigeration ×
    8 %/yr = 8 t: 3.52 t HFC-125, 4.16 t HFC-143a, 0.32 t HFC-134a; AR4 3.52 × 3 500 + 4.16 ×
    4 470 + 0.32 × 1 430 = 31 372.8 t = 8 t × 3 921.6 (the published R-404A AR4 GWP, 3 922)."""
    r410a = [
        make(
            "r410a_bank",
            1_000_000,
            "kg",
            "industrial_processes",
            subsector="fgas",
            technology="stationary_ac",
        )
    ]
    assert _by_substance(r410a) == {"HFC-32": pytest.approx(27.5), "HFC-125": pytest.approx(27.5)}
    assert _co2e(r410a, "AR6") == pytest.approx(124_052.5)
    r404a = [
        make(
            "r404a_bank",
            100_000,
            "kg",
            "industrial_processes",
            subsector="fgas",
            technology="refrigeration",
        )
    ]
    got = _by_substance(r404a)
    assert got == {
        "HFC-125": pytest.approx(3.52),
        "HFC-143a": pytest.approx(4.16),
        "HFC-134a": pytest.approx(0.32),
    }
    assert _co2e(r404a, "AR4") == pytest.approx(31_372.8)


def test_every_gas_has_a_potential_in_every_set() -> None:
    for name in ("AR4", "AR5", "AR6"):
        gwp = load_gwp(name)
        for gas in ("C2F6", "HFC-32", "HFC-125", "HFC-143a", "CF4", "NF3"):
            assert gwp[gas] > 100, (name, gas)


# ------------------------------------------------------------------- 3. crop residue burning
def test_field_burning_of_crop_residues() -> None:
    """10 000 t of dry matter burnt (IPCC 2006 Vol.4 Eq. 2.27 with A × M_B × C_f given), Table
    2.5 agricultural residues: CH4 2.7 g/kg → 27 t, N2O 0.07 → 0.7 t, CO 92 → 920 t, NOx 2.5 →
    25 t; Andreae & Merlet (2001) SO2 0.4 → 4 t, PM2.5 3.9 → 39 t, NH3 1.3 → 13 t; estimates
    PM10 4.3 → 43 t, VOCs 7 → 70 t; no CO2 (biogenic). Non-fossil methane: AR6 27 × 27.0 +
    0.7 × 273 = 920.1 t CO2e."""
    burnt = [make("crop_residue_burned", 10_000, "t", "agriculture", subsector="residue_burning")]
    expected = {
        "CH4": 27.0,
        "N2O": 0.7,
        "CO": 920.0,
        "NOx": 25.0,
        "SO2": 4.0,
        "PM2.5": 39.0,
        "PM10": 43.0,
        "VOCs": 70.0,
        "NH3": 13.0,
    }
    assert _by_substance(burnt) == {k: pytest.approx(v) for k, v in expected.items()}
    assert _co2e(burnt, "AR6") == pytest.approx(920.1)
    inv = build_inventory(burnt, None, InventoryOptions())
    assert not [g for g in inv.gaps if "crop_residue_burned" in str(g)]


# ------------------------------------------------------------------------ the shipped Wuhan rows
NEW_CODES = {
    "sludge_treated",
    "flooded_land_area",
    "aquaculture_output",
    "rural_population",
    "oil_products_distributed",
    "construction_area",
    "paved_road_vkt",
    "cooking_population",
    "crude_refined",
    "gas_distributed",
    "substrate_processed",
    "r410a_bank",
    "r404a_bank",
    "r32_bank",
    "crop_residue_burned",
}


def test_the_shipped_wuhan_rows_are_labelled_estimates() -> None:
    """Every year 2015–2024 has the refinery, gas network, fabs, refrigerant banks and straw
    burning; each row is an estimate that says how it was made; the inventory computes them."""
    rows = read_activity_csv(data_path("cities", "wuhan", "activity.csv"))
    new = [r for r in rows if r.activity in NEW_CODES]
    assert {(r.year, r.activity) for r in new} >= {
        (y, c) for y in range(2015, 2025) for c in NEW_CODES
    }
    for r in new:
        assert r.quality == "estimate" and r.source.startswith("估算 estimate: "), r
    refinery = [r for r in new if r.activity == "crude_refined"]
    assert {r.district for r in refinery} == {"qingshan"}
    inv = build_inventory(new, None, InventoryOptions())
    frame = inv.frame()
    y24 = frame[frame["year"] == 2024].groupby("substance")["value"].sum()
    # 2024 refinery 850万t / 0.86 t/m³ × 21.8 g/m³ = 215.465 t; network 35亿m³ × 1.8 = 6 300 t
    assert y24["CH4"] > 215.465 + 6_300.0
    assert {"CF4", "C2F6", "NF3", "SF6", "HFC-32", "HFC-125", "HFC-143a"} <= set(y24.index)


# ---------------------------- 4. air-pollutant area sources (扬尘, 油品储运, 餐饮)
def test_refinery_process_emissions(own_factors: Path) -> None:
    """EMEP/EEA 2023 1.B.2.a.iv Tier 1 (Table 3-1, kg per t of crude, non-EU NMVOC row):
    1 000 000 t × 0.2 = 200 t VOCs, × 0.245 = 245 t SO2, × 0.035 = 35 t NOx, × 0.041 = 41 t CO,
    × 0.005 = 5 t PM10, × 0.002 = 2 t PM2.5, beside the 25.35 t of fugitive CH4 above."""
    expected = {"VOCs": 200.0, "SO2": 245.0, "NOx": 35.0, "CO": 41.0, "PM10": 5.0, "PM2.5": 2.0}
    for library in (None, FactorLibrary.load(own_factors)):
        got = _by_substance(REFINERY, library)
        assert {k: got[k] for k in expected} == {k: pytest.approx(v) for k, v in expected.items()}
    assert not build_inventory(REFINERY, None, InventoryOptions()).gaps


def _oil(tech: str, control: str = "") -> list[Activity]:
    return [
        make(
            "oil_products_distributed",
            10_000,
            "t",
            "energy_industries",
            subsector="fugitive",
            technology=tech,
            control=control,
        )
    ]


def test_oil_product_distribution_by_stage(own_factors: Path) -> None:
    """10 000 t of gasoline at 0.74 t/m³ = 13 513.514 m³ at TVP 45 kPa; EMEP/EEA 2023
    1.B.2.a.v Tier 2 (g per m³ and kPa): tanker loading 9, station tank filling 24, breathing
    3, refuelling 37, spillage 2 → 75 × 45 × 13 513.514 = 45.608108 t, + depot storage
    0.06 kg/t × 10 000 t = 0.6 t: 46.208108 t VOCs (4.62 kg/t; Tier 1 'other region' 4.5).
    With vapour recovery (depot unit 98 %, Stage 1B 95 %, Stage II 90 %): 13 513.514 × 45 ×
    (9 × 0.02 + 24 × 0.05 + 3 + 37 × 0.1 + 2 = 10.08) = 6.129730 t + 0.6 = 6.729730 t.
    Diesel (0.84 t/m³, TVP 0.3 kPa, no depot-storage factor): 11 904.762 × 0.3 × 75 =
    0.267857 t."""
    for library in (None, FactorLibrary.load(own_factors)):
        assert _by_substance(_oil("gasoline"), library) == {
            "VOCs": pytest.approx(46.208108, rel=1e-6)
        }
    assert _by_substance(_oil("gasoline", "vapour_recovery"))["VOCs"] == pytest.approx(
        6.729730, rel=1e-6
    )
    assert _by_substance(_oil("diesel"))["VOCs"] == pytest.approx(0.267857, rel=1e-5)
    methods = set(build_inventory(_oil("gasoline"), None, InventoryOptions()).table()["method"])
    assert "emep-2023-oil-distribution-refuelling" in methods and len(methods) == 6


def test_construction_dust(own_factors: Path) -> None:
    """100 000 m² of apartment-building sites for a year, EMEP/EEA 2023 2.A.5.b Tier 1 (kg per
    m² and year): PM10 0.3 → 30 t, PM2.5 0.03 → 3 t; half removed by watering and covering
    (dust_control 0.5): 15 t and 1.5 t; a site worked for 6 months (duration 0.5 year) with
    no control: 15 t and 1.5 t too."""
    site = make(
        "construction_area",
        100_000,
        "m ** 2",
        "industrial_processes",
        subsector="construction_dust",
        technology="apartments",
        parameters="dust_control=0.5 dimensionless",
    )
    for library in (None, FactorLibrary.load(own_factors)):
        assert _by_substance([site], library) == {
            "PM10": pytest.approx(15.0),
            "PM2.5": pytest.approx(1.5),
        }
    half_year = make(
        "construction_area",
        100_000,
        "m ** 2",
        "industrial_processes",
        subsector="construction_dust",
        technology="apartments",
        parameters="duration=0.5 year",
    )
    assert _by_substance([half_year])["PM10"] == pytest.approx(15.0)


def test_paved_road_dust() -> None:
    """10⁸ vehicle-km (10 000 万km) on roads of silt loading 0.5 g/m² (library estimate), mean
    vehicle weight 2.5 t (estimate) and 120 wet days: AP-42 13.2.1 Eq. 1 and 2,
    E = k × 0.5^0.91 × 2.5^1.02 × (1 − 120 / 1460) = k × 0.532185 × 2.546237 × 0.917808;
    PM10 k = 0.62 g/km → 0.771090 g/km → 77.1090 t; PM2.5 k = 0.15 → 18.6554 t. Without the
    wet days (Eq. 1 alone): 84.0143 t PM10."""
    road = [
        make(
            "paved_road_vkt",
            10_000,
            "wan * km",
            "transport",
            subsector="road_dust",
            parameters="rain_days=120 day",
        )
    ]
    got = _by_substance(road)
    assert got == {
        "PM10": pytest.approx(77.1090, rel=1e-5),
        "PM2.5": pytest.approx(18.6554, rel=1e-5),
    }
    dry = [make("paved_road_vkt", 10_000, "wan * km", "transport", subsector="road_dust")]
    assert _by_substance(dry)["PM10"] == pytest.approx(84.0143, rel=1e-5)


def test_cooking_fumes() -> None:
    """10⁶ residents × Beijing 2014 restaurant emissions per resident (6 127 t particles and
    9 436 t NMHC ÷ 2 151.6万): PM2.5 0.28 kg → 280 t, PM10 280 t, VOCs 0.44 kg → 440 t."""
    people = [make("cooking_population", 1_000_000, "person", "buildings", subsector="catering")]
    assert _by_substance(people) == {
        "PM2.5": pytest.approx(280.0),
        "PM10": pytest.approx(280.0),
        "VOCs": pytest.approx(440.0),
    }


# ------------------------------------ 5. COD and NH3-N of farms, fish ponds and rural residents
def test_livestock_water_discharge(own_factors: Path) -> None:
    """10 000 pigs (year-end stock) × 0.049 kg COD per head and day (Chongqing 2013 discharge
    coefficient, stand-in for the census) × 365 d = 17.885 kg a year → 178.85 t COD; NH3-N
    0.049 × 11.09 / 1000.53 = 0.000543 kg/head/day (the census's national livestock ratio,
    rounded to three figures) × 365 = 0.198195 kg → 1.98195 t. 1 000 dairy cows: 0.626 × 365
    × 1 000 = 228.49 t COD. Sheep have no factor: no COD."""
    pigs = [
        make("livestock", 10_000, "head", "agriculture", subsector="livestock", technology="swine")
    ]
    for library in (None, FactorLibrary.load(own_factors)):
        got = _by_substance(pigs, library)
        assert got["COD"] == pytest.approx(178.85)
        assert got["NH3-N"] == pytest.approx(1.98195)
    cows = [
        make(
            "livestock",
            1_000,
            "head",
            "agriculture",
            subsector="livestock",
            technology="dairy_cattle",
        )
    ]
    assert _by_substance(cows)["COD"] == pytest.approx(228.49)
    sheep = [
        make("livestock", 1_000, "head", "agriculture", subsector="livestock", technology="sheep")
    ]
    assert "COD" not in _by_substance(sheep)


def test_aquaculture_discharge() -> None:
    """10 000 t of fish from ponds × 14.17 kg COD/t (census national 66.60万t ÷ ≈ 4 700万t
    output) = 141.7 t COD; × 0.474 kg NH3-N/t = 4.74 t NH3-N."""
    ponds = [make("aquaculture_output", 10_000, "t", "agriculture", subsector="aquaculture")]
    assert _by_substance(ponds) == {"COD": pytest.approx(141.7), "NH3-N": pytest.approx(4.74)}


def test_rural_domestic_sewage() -> None:
    """100 000 rural residents × 8.53 kg COD a year (half the census's domestic COD ÷ the
    rural population) = 853 t COD; × 0.606 kg NH3-N = 60.6 t; CH4 of that COD as untreated
    sewage: 853 t × B0 0.25 × MCF 0.1 = 21.325 t (non-fossil)."""
    rural = [make("rural_population", 100_000, "person", "wastewater", subsector="rural_domestic")]
    assert _by_substance(rural) == {
        "COD": pytest.approx(853.0),
        "NH3-N": pytest.approx(60.6),
        "CH4": pytest.approx(21.325),
    }
    assert _co2e(rural, "AR6") == pytest.approx(21.325 * 27.0)


def test_shipped_cod_includes_farms_and_rural_residents() -> None:
    """The indicator cod_emissions_total is the direct COD of every row, so the new rows raise
    it: in 2017 livestock, fish ponds and rural residents give COD, and sewage_untreated counts
    urban residents only (the rural ones are no longer counted twice)."""
    rows = read_activity_csv(data_path("cities", "wuhan", "activity.csv"))
    y17 = [r for r in rows if r.year == 2017]
    inv = build_inventory(y17, None, InventoryOptions())
    frame = inv.frame()
    cod = frame[frame["substance"] == "COD"].groupby("activity")["value"].sum()
    assert {"livestock", "aquaculture_output", "rural_population"} <= set(cod.index)
    rural = next(r for r in y17 if r.activity == "rural_population")
    unserved = next(r for r in y17 if r.activity == "sewage_untreated")
    assert unserved.amount < rural.amount


# ------------------------------------------------------------- 6. sludge and flooded land
def test_sludge_composted_and_digested(own_factors: Path) -> None:
    """IPCC 2006 Vol.5 Table 4.1 (wet weight): 10 000 t of sludge composted × 4 kg CH4/t =
    40 t CH4, × 0.3 kg N2O/t = 3 t N2O; digested × 0.8 kg CH4/t = 8 t CH4, no N2O. AR6
    (non-fossil CH4 27.0, N2O 273): 40 × 27 + 3 × 273 = 1 899 t CO2e; 8 × 27 = 216 t."""
    composted = [
        make(
            "sludge_treated",
            10_000,
            "t",
            "wastewater",
            subsector="sludge",
            technology="composting",
        )
    ]
    digested = [
        make(
            "sludge_treated",
            10_000,
            "t",
            "wastewater",
            subsector="sludge",
            technology="anaerobic_digestion",
        )
    ]
    for library in (None, FactorLibrary.load(own_factors)):
        assert _by_substance(composted, library) == {
            "CH4": pytest.approx(40.0),
            "N2O": pytest.approx(3.0),
        }
        assert _by_substance(digested, library) == {"CH4": pytest.approx(8.0)}
    assert _co2e(composted, "AR6") == pytest.approx(1_899.0)
    assert _co2e(digested, "AR6") == pytest.approx(216.0)


def test_reservoir_methane(own_factors: Path) -> None:
    """1 000 ha of reservoirs in the warm temperate moist zone × 80.3 kg CH4/ha/yr (IPCC 2019
    Refinement Vol.4 Table 7.9, > 20 years) × 1 year = 80.3 t CH4 (1 year = 365.25 days does
    not enter: the factor is per year); AR6 non-fossil × 27.0 = 2 168.1 t CO2e."""
    lake = [
        make(
            "flooded_land_area",
            1_000,
            "ha",
            "forestry",
            subsector="wetlands",
            technology="warm_temperate_moist",
        )
    ]
    for library in (None, FactorLibrary.load(own_factors)):
        assert _by_substance(lake, library) == {"CH4": pytest.approx(80.3)}
    assert _co2e(lake, "AR6") == pytest.approx(2_168.1)


# ----------------------------------------------------------------- 7. landfill history back-cast
def _landfill(parameters: str = "") -> list[Activity]:
    """One landfill year (2022, 1 000 t) and a row the columnar engine computes beside it."""
    return [
        make(
            "msw_landfilled",
            1_000,
            "t",
            "waste",
            subsector="landfill",
            technology="managed_anaerobic",
            parameters=parameters,
        ),
        make("cooking_population", 1, "person", "buildings", subsector="catering"),
    ]


def _landfill_ch4(rows: list[Activity]) -> tuple[float, str]:
    inv = build_inventory(rows, None, InventoryOptions(landfill_history_years=2))
    table = inv.table()
    row = table[table["activity"] == "msw_landfilled"].iloc[0]
    return float(row["value"]), str(row["formula"])


def test_landfill_history_backcast() -> None:
    """First-order decay with two back-cast years (2020, 2021) before 1 000 t in 2022; DOC 0.14
    × DOCf 0.5 × MCF 1 = 0.07 t DDOCm per t, k 0.09 (e^−k = 0.913931), F 0.5, OX 0.1;
    CH4_2022 = DDOCma_2021 × (1 − e^−k) × 0.5 × 16/12 × 0.9.

    - No back-cast parameters (the old behaviour): 1 000 t each year; DDOCma_2021 = 70 × e^−k
      + 70 = 133.975 → 6.918651 t CH4.
    - Population +10 %/yr, waste per capita constant: W_2021 = 1 000 / 1.1 = 909.091,
      W_2020 = 1 000 / 1.21 = 826.446 → 6.016645 t.
    - The same with a landfilled share of 0.5 before 2021 against 0.25 in 2022: W_2020 =
      826.446 × 0.5 / 0.25 = 1 652.893, W_2021 = 909.091 → 8.747026 t."""
    old, old_formula = _landfill_ch4(_landfill())
    assert old == pytest.approx(6.918651, rel=1e-6)
    assert "first year's amount" in old_formula
    grown, formula = _landfill_ch4(_landfill("backcast_population_growth=10 percent"))
    assert grown == pytest.approx(6.016645, rel=1e-6)
    assert "population growing 0.1/yr" in formula
    shared, formula = _landfill_ch4(
        _landfill(
            "backcast_population_growth=10 percent; landfill_share=0.25 dimensionless; "
            "backcast_landfill_share=0.5 dimensionless; backcast_share_year=2021 dimensionless"
        )
    )
    assert shared == pytest.approx(8.747026, rel=1e-6)
    assert "landfilled share 0.5 (first year 0.25) before 2021" in formula


def test_the_shipped_landfill_series_is_back_cast() -> None:
    """Wuhan's 2015 landfill row carries the back-cast: population +1.9 %/yr, waste per
    resident +3 %/yr and a landfilled share of 0.9 before 2012 (0.08 in 2015)."""
    rows = read_activity_csv(data_path("cities", "wuhan", "activity.csv"))
    first = min((r for r in rows if r.activity == "msw_landfilled"), key=lambda r: r.year)
    assert first.year == 2015
    assert first.parameter("backcast_landfill_share") is not None
    assert "back-cast" in first.source
