"""The categories added for issue 14 (11), worked by hand from the factor rows they cite and
run through the public API (``build_inventory``, ``FactorLibrary.load(folder)`` on a user's own
factor folder, ``Inventory.co2e``). Each expected figure is computed in the docstring, not by
the code under test."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from xietong.accounting.activity import Activity, parse_parameters, read_activity_csv
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.inventory import InventoryOptions, build_inventory
from xietong.datafiles import data_path

NEW_FILES = ("fugitive.csv", "fgas.csv", "biomass_burning.csv", "process.csv")


def _row(activity: str, amount: float, unit: str, sector: str, **kw: str) -> Activity:
    """A city-wide statistic row of 2022 (``parameters`` as text)."""
    params = kw.pop("parameters", "")
    return Activity(
        year=2022,
        district="city",
        sector=sector,
        activity=activity,
        amount=amount,
        unit=unit,
        quality="statistic",
        parameters=parse_parameters(params),
        **kw,
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
REFINERY = [_row("crude_refined", 1_000_000, "t", "energy_industries", subsector="fugitive")]


def test_refinery_fugitive_methane(own_factors: Path) -> None:
    """1 000 000 t of crude at the library's density 0.86 t/m³ = 1 162 790.70 m³ refined ×
    IPCC 2006 Vol.2 Table 4.2.4 (midpoint of 2.6–41.0 g CH4 per m³) 21.8 g/m³ = 25.348837 t
    CH4; fossil methane: AR6 × 29.8 = 755.395349 t CO2e, AR5 × 28 = 709.767442 t. A refinery
    that gives its own density (0.85 t/m³): 1 000 000 / 0.85 × 21.8e-6 = 25.647059 t."""
    for library in (None, FactorLibrary.load(own_factors)):
        assert _by_substance(REFINERY, library) == {"CH4": pytest.approx(25.348837, rel=1e-6)}
    assert _co2e(REFINERY, "AR6") == pytest.approx(755.395349, rel=1e-6)
    assert _co2e(REFINERY, "AR5") == pytest.approx(709.767442, rel=1e-6)
    own = [
        _row(
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
    gas = [_row("gas_distributed", 10_000, "wan * Nm3", "energy_industries", subsector="fugitive")]
    got = _by_substance(gas)
    assert got == {
        "CH4": pytest.approx(180.0),
        "CO2": pytest.approx(9.55),
        "VOCs": pytest.approx(2.6),
    }
    assert _co2e(gas, "AR6") == pytest.approx(5_373.55)
    sm3 = [_row("gas_distributed", 10_000, "wan * Sm3", "energy_industries", subsector="fugitive")]
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
    gas = [_row("gas_distributed", 10_000, "wan * Nm3", "energy_industries", subsector="fugitive")]
    assert _by_substance(gas, FactorLibrary.load(folder))["CH4"] == pytest.approx(240.0)


# ------------------------------------------------------------ 2. F-gases of fabs and refrigerants
def test_semiconductor_fab_with_abatement() -> None:
    """10 000 m² of silicon, abatement a × d = 0.8, IPCC 2006 Vol.3 Table 6.2 Tier 1 (kg/m²):
    CF4 0.9 × 10 000 × 0.2 = 1.8 t, C2F6 1.0 → 2.0 t, NF3 0.04 → 0.08 t, SF6 0.2 → 0.4 t.
    AR6: 1.8 × 7 380 + 2.0 × 12 400 + 0.08 × 17 400 + 0.4 × 25 200 = 13 284 + 24 800 + 1 392 +
    10 080 = 49 556 t CO2e; AR4: 13 302 + 24 400 + 1 376 + 9 120 = 48 198 t."""
    fab = [
        _row(
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
        _row(
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
        _row(
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
        _row(
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
    burnt = [_row("crop_residue_burned", 10_000, "t", "agriculture", subsector="residue_burning")]
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
