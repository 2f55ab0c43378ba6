"""Worked examples worked by hand from the published tables, run through the public API:
``build_inventory``, ``FactorLibrary.load(folder)`` on a user's own factor folder, and the CLI
on that folder (``XIETONG_FACTORS_DIR``). Each expected figure is computed in the docstring
from the source table, not by the code under test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xietong.accounting.activity import Activity, parse_parameters, read_activity_csv
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.inventory import InventoryOptions, build_inventory
from xietong.cli.app import app
from xietong.datafiles import data_path
from xietong.errors import ImportRejected

FUEL_FILES = ("fuel_ipcc2006.csv", "fuel_china.csv", "combustion_nonco2.csv", "air_pollutants.csv")


def _row(activity: str, amount: float, unit: str, sector: str = "industry", **kw: str) -> Activity:
    """A city-wide statistic row of 2022 (``parameters`` as text)."""
    params = kw.pop("parameters", "")
    return Activity(
        year=int(kw.pop("year", "2022")),
        district="city",
        sector=sector,
        activity=activity,
        amount=amount,
        unit=unit,
        quality="statistic",
        parameters=parse_parameters(params),
        **kw,
    )


COAL = [_row("bituminous_coal", 10_000, "t")]


@pytest.fixture(scope="module")
def own_factors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's factor folder: copies of the shipped fuel, non-CO2, pollutant and GWP files."""
    folder = tmp_path_factory.mktemp("factors")
    for name in (*FUEL_FILES, "gwp.csv"):
        shutil.copy(data_path("factors", name), folder / name)
    return folder


def _by_substance(inv: object) -> dict[str, float]:
    frame = inv.frame()  # type: ignore[attr-defined]
    return frame.groupby("substance")["value"].sum().to_dict()


def test_ipcc_tier1_takes_ncv_and_ef_from_the_same_edition(own_factors: Path) -> None:
    """10 000 t of other bituminous coal by IPCC 2006 Tier 1 (Vol.2 Ch.1 Table 1.2 NCV 25.8
    TJ/Gg, Table 1.4 EF 94 600 kg CO2/TJ; Ch.2 Table 2.3 manufacturing industries CH4 10 and
    N2O 1.5 kg/TJ): 10 Gg × 25.8 = 258 TJ; CO2 = 258 × 94.6 = 24 406.8 t; CH4 = 258 × 0.010 =
    2.58 t; N2O = 258 × 0.0015 = 0.387 t. Before the fix the China NCV (23.204 GJ/t) was
    paired with the IPCC EF: 21 951 t."""
    for library in (None, FactorLibrary.load(own_factors)):
        inv = build_inventory(COAL, library, InventoryOptions(co2_method="ipcc"))
        got = _by_substance(inv)
        assert got["CO2"] == pytest.approx(24_406.8, rel=1e-9)
        assert got["CH4"] == pytest.approx(2.58, rel=1e-9)
        assert got["N2O"] == pytest.approx(0.387, rel=1e-9)
        frame = inv.frame()
        ids = ";".join(frame.loc[frame["substance"] == "CO2", "factor_ids"])
        assert "ipcc2006.ncv.bituminous_coal" in ids and "cn2022" not in ids
        # the pollutants per unit of energy use the same energy, 258 TJ
        nox = frame.loc[frame["substance"] == "NOx", "factor_ids"].iloc[0]
        assert nox.startswith("ipcc2006.ncv.bituminous_coal")


def test_the_china_method_takes_its_ncv_and_of_from_the_cc_edition(own_factors: Path) -> None:
    """The same coal by the China enterprise method (CN-ENT-2022 附录: 烟煤 NCV 23.204 GJ/t,
    CC 0.02618 t C/GJ, OF 93 %): 10 000 × 23.204 × 0.02618 × 0.93 × 44/12 = 20 715.09 t."""
    expected = 10_000 * 23.204 * 0.02618 * 0.93 * 44 / 12
    assert expected == pytest.approx(20_715.09, abs=0.01)
    for library in (None, FactorLibrary.load(own_factors)):
        inv = build_inventory(COAL, library, InventoryOptions(co2_method="china"))
        assert _by_substance(inv)["CO2"] == pytest.approx(expected, rel=1e-9)


def _cli_build(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: str
) -> dict[str, object]:
    """``xietong init``, ``inventory import`` of ``rows`` (CSV) and ``inventory build
    --co2-method ipcc --json`` on a fresh data folder with the factor folder ``folder``."""
    runner = CliRunner()
    monkeypatch.setenv("XIETONG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XIETONG_FACTORS_DIR", str(folder))
    monkeypatch.delenv("XIETONG_DATABASE_URL", raising=False)
    table = tmp_path / "rows.csv"
    table.write_text(rows, encoding="utf-8")
    for args in (["init", "--no-activity"], ["inventory", "import", str(table)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["inventory", "build", "--co2-method", "ipcc", "--json"])
    assert result.exit_code == 0, result.output
    out: dict[str, object] = json.loads(result.stdout)
    return out


def test_the_cli_on_a_users_factor_folder_gives_the_hand_worked_figure(
    own_factors: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = (
        "year,district,sector,activity,amount,unit,quality,source\n"
        "2022,city,industry,bituminous_coal,10000,t,statistic,worked example\n"
    )
    (year,) = _cli_build(own_factors, tmp_path, monkeypatch, rows)["totals"]  # type: ignore[misc]
    assert year["co2_direct"] == pytest.approx(24_406.8, rel=1e-9)


def test_a_gas_in_nm3_keeps_the_volume_ncv_and_the_trace_names_both_editions() -> None:
    """Natural gas measured in Nm³ has no IPCC NCV per volume (Table 1.2 is per Gg): the IPCC
    run uses the China NCV per 10⁴ Nm³ (CN-ENT-2022: 389.31 GJ) with the IPCC EF (56 100 kg
    CO2/TJ): 1 × 10⁴ Nm³ → 389.31 GJ × 0.0561 t/GJ = 21.840 t CO2; the row's factors say
    which editions are paired."""
    gas = [_row("natural_gas", 1, "wan * Nm3")]
    inv = build_inventory(gas, None, InventoryOptions(co2_method="ipcc"))
    frame = inv.frame()
    co2 = frame[frame["substance"] == "CO2"].iloc[0]
    assert co2["value"] == pytest.approx(389.31 * 0.0561, rel=1e-9)
    assert co2["factor_ids"] == "cn2022.ncv.natural_gas; ipcc2006.ef_co2.natural_gas"


def test_ar6_weighs_fossil_and_biogenic_methane_by_their_own_gwp() -> None:
    """IPCC AR6 WG1 Table 7.15: fossil CH4 29.8, non-fossil CH4 27.0 (the unsplit 27.9 is
    used for neither). 10 000 t of bituminous coal in industry give 2.58 t of fossil CH4 (IPCC
    run above); 1 000 ha of single rice under continuous flooding give biogenic CH4. CO2e of
    CH4 = 2.58 × 29.8 + rice CH4 × 27.0; under AR5 every CH4 takes 28 (its table gives fossil
    30 without a non-fossil value, so no split is made); AR4 25."""
    rice = _row(
        "rice_area", 1000, "ha", "agriculture", technology="single", control="continuously_flooded"
    )
    inv = build_inventory([*COAL, rice], None, InventoryOptions(co2_method="ipcc"))
    frame = inv.frame()
    ch4 = frame[frame["substance"] == "CH4"].set_index("activity")["value"]
    assert ch4["bituminous_coal"] == pytest.approx(2.58, rel=1e-9)
    rice_ch4 = float(ch4["rice_area"])
    assert rice_ch4 > 0
    co2 = float(frame.loc[frame["substance"] == "CO2", "value"].sum())
    n2o = float(frame.loc[frame["substance"] == "N2O", "value"].sum())
    for name, fossil, biogenic, n2o_gwp in (
        ("AR6", 29.8, 27.0, 273),
        ("AR5", 28, 28, 265),
        ("AR4", 25, 25, 298),
    ):
        got = float(inv.co2e(load_gwp(name), [])["co2e"].iloc[0])
        want = co2 + 2.58 * fossil + rice_ch4 * biogenic + n2o * n2o_gwp
        assert got == pytest.approx(want, rel=1e-12), name


def test_a_five_year_forest_stock_change_gives_one_years_removal(tmp_path: Path) -> None:
    """IPCC 2006 Vol.4 Eq. 2.8 divides a stock difference by its interval. 50 000 m³ of net
    growth over 2015–2020 with the shipped defaults (wood density 0.46 t/m³, BEF 1.5, R 0.25,
    CF 0.47): 10 000 m³/yr × 0.46 × 1.5 × 1.25 × 0.47 = 4 053.75 t C per year = 14 863.75 t CO2
    removed (× 44/12). Before, the row gave five times that with no warning."""
    for params in ("interval=5 year", "start_year=2015"):
        row = _row("forest_stock_change", 50_000, "m3", "forestry", year="2020", parameters=params)
        inv = build_inventory([row])
        assert _by_substance(inv)["CO2"] == pytest.approx(-14_863.75, rel=1e-9)
        trace = inv.trace(0)
        assert trace["carbon"] == pytest.approx(-4_053.75, rel=1e-9)
        assert any(t["name"] == "1/Δt" and t["value"] == pytest.approx(0.2) for t in trace["terms"])
    # a row that does not say which years its change covers is refused at import, by cell
    table = tmp_path / "forest.csv"
    table.write_text(
        "year,district,sector,activity,amount,unit,quality,parameters\n"
        "2020,city,forestry,forest_stock_change,50000,m3,estimate,interval=1 year\n"
        "2020,wuchang,forestry,forest_stock_change,50000,m3,estimate,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as refused:
        read_activity_csv(table)
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (3, "parameters") and "interval" in problem.reason


def test_wastewater_methane_subtracts_sludge_and_recovery() -> None:
    """IPCC 2006 Vol.5 Eq. 6.1: CH4 = (TOW − S) × EF − R, EF = B0 × MCF. 10⁷ m³ (1 000 × 10⁴
    m³) of domestic wastewater at 250 mg/L COD: TOW = 2 500 t COD; 100 mg/L removed with the
    sludge: S = 1 000 t; B0 0.25 kg CH4/kg COD (Table 6.2), MCF 0.03 (2019 Refinement Table
    6.3, centralised aerobic plant): (2 500 − 1 000) × 0.25 × 0.03 = 11.25 t CH4; with 20 % of
    it recovered, R = 2.25 t and 9.0 t are emitted. Without sludge or recovery: 18.75 t."""
    expected = {
        "cod_in=250 mg/L": 18.75,
        "cod_in=250 mg/L; cod_sludge=100 mg/L": 11.25,
        "cod_in=250 mg/L; cod_sludge=100 mg/L; ch4_recovered=0.2": 9.0,
    }
    for params, tonnes in expected.items():
        row = _row(
            "wastewater_treated",
            1000,
            "wan * m3",
            "wastewater",
            technology="domestic",
            parameters=params,
        )
        inv = build_inventory([row])
        assert _by_substance(inv)["CH4"] == pytest.approx(tonnes, rel=1e-9), params
        ids = inv.frame().set_index("substance").loc["CH4", "factor_ids"]
        assert ids == "ipcc2006.wastewater.b0; ipcc2019.wastewater.mcf.domestic"


def _rice(params: str) -> Activity:
    return _row(
        "rice_area",
        1000,
        "ha",
        "agriculture",
        technology="single",
        control="continuously_flooded",
        parameters=params,
    )


def test_rice_sfo_from_straw_and_manure_with_one_edition_per_run() -> None:
    """IPCC 2006 Vol.4 Eq. 5.1–5.3, 1 000 ha of single rice, continuously flooded (SFw = SFp =
    1), 120 days (the platform's Hubei estimate). 2019 defaults (the rule's choice): EFc 1.19
    kg/ha/day; no amendment: 1 000 × 1.19 × 120 = 142.8 t CH4; 6 t/ha of straw incorporated
    shortly before planting: SFo = (1 + 6 × 1.00)^0.59 = 3.15216 → 450.13 t; 6 t/ha of straw
    long before plus 10 t/ha of farm yard manure (2019 Table 5.14: 0.19, 0.21): SFo = (1 + 1.14
    + 2.1)^0.59. With the 2006 editions only: EFc 1.30 and CFOA 0.29, 0.14: SFo = (1 + 1.74 +
    1.4)^0.59 — the scaling factors follow EFc's edition, never a mix."""
    assert _by_substance(build_inventory([_rice("")]))["CH4"] == pytest.approx(142.8)
    straw = build_inventory([_rice("straw_short=6 t/ha")])
    assert _by_substance(straw)["CH4"] == pytest.approx(142.8 * 7**0.59, rel=1e-9)
    assert pytest.approx(3.15216, rel=1e-5) == 7**0.59
    mixed = "straw_long=6 t/ha; manure=10 t/ha"
    got = _by_substance(build_inventory([_rice(mixed)]))["CH4"]
    assert got == pytest.approx(142.8 * (1 + 6 * 0.19 + 10 * 0.21) ** 0.59, rel=1e-9)
    only_2006 = InventoryOptions(editions=("IPCC-2006", "ESTIMATE"))
    inv = build_inventory([_rice(mixed)], None, only_2006)
    want = 1000 * 1.30 * 120 / 1000 * (1 + 6 * 0.29 + 10 * 0.14) ** 0.59
    assert _by_substance(inv)["CH4"] == pytest.approx(want, rel=1e-9)
    sfo = next(t for t in inv.trace(0)["terms"] if t["name"] == "SFo")
    assert "ipcc2006.rice.cfoa.straw_long" in sfo["source"]
    assert "ipcc2019" not in inv.frame()["factor_ids"].iloc[0]


def test_liquid_fuels_by_volume_and_gas_at_20_degrees(tmp_path: Path) -> None:
    """1 000 t of diesel entered as 1 190 476 L (at the shipped 0.84 kg/L, GB 19147-2016's
    20 °C range) or as 1 190.476 m³ gives the CO2 of 1 000 t: 1 000 × 43.33 GJ/t × 0.0202 t
    C/GJ × 98 % × 44/12 = 3 145.12 t by the China method (CN-ENT-2022). Natural gas metered at 20 °C
    (Sm³, GB/T 19205) is 273.15/293.15 of the same volume at 0 °C (Nm³). All accepted by the
    activity import."""
    by_mass = _by_substance(build_inventory([_fuel("diesel", 1000, "t")]))["CO2"]
    assert by_mass == pytest.approx(1000 * 43.33 * 0.0202 * 0.98 * 44 / 12, rel=1e-12)
    for amount, unit in ((1000 / 0.84 * 1000, "L"), (1000 / 0.84, "m3")):
        inv = build_inventory([_fuel("diesel", amount, unit)])
        assert _by_substance(inv)["CO2"] == pytest.approx(by_mass, rel=1e-12)
        assert inv.frame()["factor_ids"].iloc[0].startswith("est.density.diesel")
    normal = _by_substance(build_inventory([_fuel("natural_gas", 1, "wan * Nm3")]))["CO2"]
    standard = _by_substance(build_inventory([_fuel("natural_gas", 1, "wan * Sm3")]))["CO2"]
    assert standard == pytest.approx(normal * 273.15 / 293.15, rel=1e-12)
    table = tmp_path / "fuels.csv"
    table.write_text(
        "year,district,sector,activity,amount,unit,quality\n"
        "2022,city,industry,diesel,1190476,L,statistic\n"
        "2022,city,industry,natural_gas,3,wan * Sm3,statistic\n"
        "2022,city,industry,fuel_oil,500,m3,statistic\n",
        encoding="utf-8",
    )
    assert [a.unit for a in read_activity_csv(table)] == ["L", "wan * Sm3", "m3"]
    table.write_text(
        "year,district,sector,activity,amount,unit,quality\n"
        "2022,city,industry,diesel,1190476,kWh,statistic\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected, match="kWh"):
        read_activity_csv(table)


def _fuel(activity: str, amount: float, unit: str) -> Activity:
    return _row(activity, amount, unit)


def test_a_plants_own_co2_factor_per_tonne_of_fuel(own_factors: Path, tmp_path: Path) -> None:
    """A user's factor folder with a plant's own CO2 factor per tonne of diesel (3.10 t CO2/t,
    tier ``plant``): CO2 = 1 000 t × 3.10 = 3 100 t, by either CO2 method; the CH4, N2O and
    pollutants keep the NCV path."""
    folder = tmp_path / "factors"
    shutil.copytree(own_factors, folder)
    header = (folder / "fuel_china.csv").read_text(encoding="utf-8").splitlines()[0]
    cols = header.split(",")
    row = dict.fromkeys(cols, "")
    row.update(
        id="plant.co2.diesel",
        edition="PLANT-2022",
        substance="CO2",
        value="3.10",
        unit="t / t",
        fuel="diesel",
        tier="plant",
        source_document="the plant's verified 2022 carbon report",
        source_table="fuel analysis",
        year="2022",
        verified="yes",
    )
    (folder / "own.csv").write_text(
        header + "\n" + ",".join(row[c] for c in cols) + "\n", encoding="utf-8"
    )
    library = FactorLibrary.load(folder)
    for method in ("china", "ipcc"):
        inv = build_inventory(
            [_fuel("diesel", 1000, "t")], library, InventoryOptions(co2_method=method)
        )
        frame = inv.frame().set_index("substance")
        assert frame.loc["CO2", "value"] == pytest.approx(3100, rel=1e-12)
        assert frame.loc["CO2", "method"] == "fuel-co2-factor"
        assert "NCV" not in str(inv.trace(0)["formula"])
        assert frame.loc["CH4", "value"] > 0


def _official(acts: list[Activity], library: FactorLibrary | None, stats=()) -> dict[str, float]:
    from xietong.accounting.indicators import compute_indicators

    inv = build_inventory(acts, library, InventoryOptions(co2_method="ipcc"))
    table = compute_indicators(inv, list(stats))
    return dict(zip(table["indicator_id"], table["value"], strict=True))


POWER = _row(
    "bituminous_coal",
    10_000,
    "t",
    sector="energy_industries",
    subsector="power",
    parameters="heat_rate=0.300 kgce / kWh",
)
BOUGHT = _row("electricity", 50_000, "MWh", sector="buildings", subsector="residential")


def test_the_official_caliber_counts_net_imported_electricity(
    own_factors: Path, tmp_path: Path
) -> None:
    """Official CO2 caliber of the intensity target (national method: energy CO2 in the city +
    net imported electricity × grid factor), 2022, grid factor of Hubei (MEE/NBS 2022: 0.4364
    t/MWh). The in-city plant burns 10 000 t of other bituminous coal: 258 TJ and 24 406.8 t
    CO2 (IPCC Tier 1, as above); at 0.300 kgce/kWh = 0.3 × 29.3076 = 8.79228 GJ/MWh it
    generates 258 000 / 8.79228 = 29 343.92 MWh. The city uses 50 000 MWh, so it imports
    20 656.08 MWh net: 20 656.08 × 0.4364 = 9 014.31 t. Official = 24 406.8 + 9 014.31 =
    33 421.11 t. End-use (``co2_energy``) leaves the plant out: 50 000 × 0.4364 = 21 820 t."""
    folder = tmp_path / "factors"
    shutil.copytree(own_factors, folder)
    for name in ("grid.csv", "energy_equivalents.csv"):
        shutil.copy(data_path("factors", name), folder / name)
    for library in (None, FactorLibrary.load(folder)):
        got = _official([POWER, BOUGHT], library)
        assert got["co2_official"] == pytest.approx(33_421.11, abs=0.01)
        assert got["co2_energy"] == pytest.approx(21_820.0, rel=1e-9)


def test_the_cli_gives_the_official_caliber_on_a_users_factor_folder(
    own_factors: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same plant and city through ``xietong inventory build`` on a user's own factor
    folder (with the grid and heat-rate files): official 33 421.11 t, end-use 21 820 t; the
    table printed says the official figure too."""
    folder = tmp_path / "factors"
    shutil.copytree(own_factors, folder)
    for name in ("grid.csv", "energy_equivalents.csv"):
        shutil.copy(data_path("factors", name), folder / name)
    rows = (
        "year,district,sector,subsector,activity,amount,unit,quality,source,parameters\n"
        "2022,city,energy_industries,power,bituminous_coal,10000,t,statistic,worked example,"
        "heat_rate=0.300 kgce / kWh\n"
        "2022,city,buildings,residential,electricity,50000,MWh,statistic,worked example,\n"
    )
    (year,) = _cli_build(folder, tmp_path, monkeypatch, rows)["calibers"]  # type: ignore[misc]
    assert year["official"] == pytest.approx(33_421.11, abs=0.01)
    assert year["enduse"] == pytest.approx(21_820.0, rel=1e-9)
    shown = CliRunner().invoke(app, ["inventory", "build", "--co2-method", "ipcc"])
    assert shown.exit_code == 0 and "33,421" in shown.stdout


def test_the_official_caliber_takes_a_published_generation_and_the_default_heat_rate() -> None:
    """A statistic of generation wins over the rows: 40 000 MWh generated → net import
    10 000 MWh × 0.4364 = 4 364 t; official = 24 406.8 + 4 364 = 28 770.8 t. Without a
    ``heat_rate`` on the row the plant runs at the CEC national average supply coal rate,
    305.5 gce/kWh = 0.3055 × 29.3076 = 8.953472 GJ/MWh: 258 000 / 8.953472 = 28 815.64 MWh,
    net import 21 184.36 MWh × 0.4364 = 9 244.86 t; official = 33 651.66 t. A net export is
    deducted: 80 000 MWh generated → (50 000 − 80 000) × 0.4364 = −13 092 t; official =
    11 314.8 t. The intensity of GDP divides the official caliber by real GDP: 2020 GDP 100
    亿元, 2022 index 110 → 1 100 000 万元; 28 770.8 / 1.1e6 = 0.0261553 t/万元."""
    from xietong.accounting.indicators import Statistic

    def stat(indicator: str, value: float, unit: str, year: int = 2022) -> Statistic:
        return Statistic(year, indicator, value, unit, "worked example", "statistic")

    gdp = [stat("gdp", 100, "yi * CNY", 2020), stat("gdp_real_index", 110, "dimensionless")]
    published = _official(
        [POWER, BOUGHT], None, [stat("electricity_generation", 40_000, "MWh"), *gdp]
    )
    assert published["co2_official"] == pytest.approx(28_770.8, abs=0.01)
    assert published["co2_intensity_gdp"] == pytest.approx(28_770.8 / 1.1e6, rel=1e-9)
    default_rate = _row(
        "bituminous_coal", 10_000, "t", sector="energy_industries", subsector="power"
    )
    assert _official([default_rate, BOUGHT], None)["co2_official"] == pytest.approx(
        33_651.66, abs=0.01
    )
    export = _official([POWER, BOUGHT], None, [stat("electricity_generation", 80_000, "MWh")])
    assert export["co2_official"] == pytest.approx(11_314.8, abs=0.01)
