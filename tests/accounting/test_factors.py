"""The factor library: files load with units and sources, the selection rule, GWP sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from xietong.accounting.factors import FactorError, FactorLibrary, load_gwp, read_factor_file

HEADER = (
    "id,edition,substance,value,unit,fuel,sector,technology,control,region,tier,"
    "source_document,source_table,year,uncertainty_low_pct,uncertainty_high_pct,distribution,"
    "verified,note\n"
)


@pytest.fixture(scope="module")
def library() -> FactorLibrary:
    return FactorLibrary.load()


def test_shipped_factors_have_units_and_sources(library: FactorLibrary) -> None:
    assert len(library.factors) >= 80
    for f in library.factors:
        assert f.value >= 0, f.id
        assert f.value > 0 or f.note, f"{f.id}: a zero factor must say why in its note"
        assert f.source_document and f.source_table, f.id
        f.quantity  # parses with pint  # noqa: B018


def test_editions_are_kept_apart(library: FactorLibrary) -> None:
    # the 2013 and 2022 guideline editions give different NCVs for diesel
    new = library.select("NCV", fuel="diesel", editions=["CN-ENT-2022"]).factor
    old = library.select("NCV", fuel="diesel", editions=["CN-ENT-2013"]).factor
    assert (new.value, old.value) == (43.33, 42.652)


def _write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "f.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_most_specific_then_tier_wins(tmp_path: Path) -> None:
    rows = (
        "a,X,CO2,1,kg / t,coal,,,,,IPCC-T1,doc,t1,2006,,,,yes,\n"
        "b,X,CO2,2,kg / t,coal,power,,,,IPCC-T1,doc,t1,2006,,,,yes,\n"
        "c,X,CO2,3,kg / t,coal,power,,,,CN-default,doc,t1,2013,,,,yes,\n"
        "d,X,CO2,4,kg / t,coal,power,,,,CN-default,doc,t1,2022,,,,yes,\n"
        "e,X,CO2,5,kg / t,coal,cement,,,,measured,doc,t1,2024,,,,yes,\n"
    )
    lib = FactorLibrary(read_factor_file(_write(tmp_path, rows)))
    # power: b, c, d match two columns; China default beats IPCC; the newer year wins
    sel = lib.select("CO2", fuel="coal", sector="power")
    assert sel.factor.id == "d"
    assert sel.candidates == ("d", "c", "b", "a")
    assert "tier CN-default" in sel.reason
    # a sector no factor names: only the generic one applies (e never applies to power)
    assert lib.select("CO2", fuel="coal", sector="steel").factor.id == "a"
    assert lib.select("CO2", fuel="coal", sector="cement").factor.id == "e"
    with pytest.raises(FactorError, match="no CO2 factor applies to fuel=gas"):
        lib.select("CO2", fuel="gas")
    with pytest.raises(FactorError, match="unknown applicability"):
        lib.select("CO2", fuel="coal", colour="red")


def test_bad_files_name_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(FactorError, match=r"f.csv, row 2, column 'unit'"):
        read_factor_file(_write(tmp_path, "a,X,CO2,1,bogons / t,,,,,,T,d,t,,,,,yes,\n"))
    with pytest.raises(FactorError, match=r"f.csv, row 2, column 'value'"):
        read_factor_file(_write(tmp_path, "a,X,CO2,one,kg / t,,,,,,T,d,t,,,,,yes,\n"))
    row = "a,X,CO2,1,kg / t,,,,,,T,d,t,,,,,yes,\n"
    with pytest.raises(FactorError, match="duplicate factor id"):
        FactorLibrary(read_factor_file(_write(tmp_path, row + row)))


def test_gwp_sets_need_a_name() -> None:
    assert (load_gwp("AR4")["CH4"], load_gwp("AR5")["CH4"], load_gwp("AR6")["CH4_fossil"]) == (
        25,
        28,
        29.8,
    )
    assert (load_gwp("AR4")["N2O"], load_gwp("AR5")["N2O"], load_gwp("AR6")["N2O"]) == (
        298,
        265,
        273,
    )
    with pytest.raises(FactorError, match="no GWP set 'AR7'"):
        load_gwp("AR7")
    with pytest.raises(FactorError, match="no value for 'H2O'"):
        load_gwp("AR6")["H2O"]


def test_vintage_picks_the_grid_factor_of_the_year(library: FactorLibrary) -> None:
    """With a year, the latest factor not after it wins (else the earliest after it)."""

    def pick(year: int | None) -> int | None:
        s = library.select("CO2", fuel="electricity", region="central_china", year=year)
        return s.factor.year

    assert pick(2022) == 2022
    assert pick(2023) == 2022
    assert pick(2021) == 2021
    assert pick(2016) == 2021  # nothing earlier: the earliest published
    assert pick(None) == 2022  # without a year: the newest


def test_fuel_standard_in_force_in_the_year(library: FactorLibrary) -> None:
    """Diesel sulphur: the GB 19147 stage in force in the activity's year."""

    def limit(year: int) -> float:
        return library.select("S_content", fuel="diesel", activity="diesel", year=year).factor.value

    assert limit(2016) > limit(2020)
