"""Inventory build: traces, roll-ups, CO2e with an explicit GWP set, gaps and errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.accounting.conftest import make
from xietong.accounting.factors import load_gwp
from xietong.accounting.inventory import InventoryError, InventoryOptions, build_inventory
from xietong.accounting.methods import METHODS

ACTIVITIES = [
    make("bituminous_coal", 1000, "t", "industry", control="wfgd", district="qingshan"),
    make("bituminous_coal", 500, "t", "industry", district="hongshan"),
    make("electricity", 1000, "MWh", "industry", district="qingshan"),
    make("clinker", 10_000, "t", "industrial_processes"),
    make(
        "crude_steel", 100, "wan * t", "industrial_processes", technology="bof", district="qingshan"
    ),
    make("n_fertiliser", 1000, "t", "agriculture"),
    make("livestock", 10_000, "head", "agriculture", technology="swine"),
    make("msw_landfilled", 1000, "t", "waste", technology="managed_anaerobic", year=2021),
    make("msw_landfilled", 1000, "t", "waste", technology="managed_anaerobic"),
    make("forest_stock_change", 1000, "m3", "forestry", parameters="interval=1 year"),
]


@pytest.fixture(scope="module")
def inventory(library):
    return build_inventory(ACTIVITIES, library, InventoryOptions(landfill_history_years=0))


def test_table_has_a_row_per_emission_with_trace(inventory) -> None:
    table = inventory.table()
    coal = table[
        (table.activity == "bituminous_coal")
        & (table.substance == "CO2")
        & (table.district == "qingshan")
        & ~table.method.str.startswith("control-reagent")
    ]
    assert coal["value"].item() == pytest.approx(2071.509255)
    trace = inventory.trace(int(coal["row_id"].item()))
    assert trace["formula"].endswith("= 2,071.51 t")
    ncv = next(t for t in trace["terms"] if t["name"] == "NCV")
    assert (ncv["factor_id"], ncv["unit"], ncv["source_table"]) == (
        "t.ncv.bit",
        "GJ / t",
        "appendix",
    )
    assert trace["activity"]["amount"] == 1000


def test_editions_are_recorded(inventory) -> None:
    assert {"CN-ENT-2022", "IPCC-2006", "MEE-NBS-2022"} <= set(inventory.editions)


def test_indirect_is_kept_apart(inventory) -> None:
    direct = inventory.rollup(["year"], substances=["CO2"])
    indirect = inventory.rollup(["year"], substances=["CO2"], scope="indirect")
    assert indirect["value"].sum() == pytest.approx(436.4)  # 1,000 MWh × 0.4364 (湖北)
    assert 436.4 not in set(direct["value"])


@pytest.mark.parametrize(
    "by", [["sector"], ["district"], ["year"], ["sector", "district"], ["subsector", "year"]]
)
def test_rollups_sum_to_the_total(inventory, by) -> None:
    total = inventory.rollup([])
    grouped = inventory.rollup(by)
    for substance, value in zip(total.substance, total.value, strict=True):
        assert grouped[grouped.substance == substance]["value"].sum() == pytest.approx(value)


def test_co2e_needs_an_explicit_gwp_set(inventory) -> None:
    ar5, ar6 = load_gwp("AR5"), load_gwp("AR6")
    co2e5 = inventory.co2e(ar5, [])["co2e"].item()
    co2e6 = inventory.co2e(ar6, [])["co2e"].item()
    t = inventory.rollup([])
    values = dict(zip(t.substance, t.value, strict=True))
    assert co2e5 == pytest.approx(values["CO2"] + 28 * values["CH4"] + 265 * values["N2O"])
    assert co2e6 != co2e5
    by_sector = inventory.co2e(ar5, ["sector"])
    assert by_sector["co2e"].sum() == pytest.approx(co2e5)
    assert set(by_sector["gwp"]) == {"AR5"}


def test_missing_factor_names_every_row(library) -> None:
    bad = [
        make("lime", 10, "t", "industrial_processes", technology="unknown_kiln"),
        make("bituminous_coal", 5, "t", "transport"),
    ]
    with pytest.raises(InventoryError) as err:
        build_inventory(bad, library)
    assert len(err.value.problems) == 2
    assert "lime" in err.value.problems[0] or "lime" in err.value.problems[1]


def test_gaps_are_listed(library) -> None:
    """Fertiliser is expected to give NH3; the test library has it. Steel lacks SO2 etc."""
    inv = build_inventory([ACTIVITIES[4]], library)
    assert {g.substance for g in inv.gaps} == {"SO2", "NOx", "PM10", "PM2.5", "CO"}


def test_every_catalogue_method_is_registered() -> None:
    from xietong.accounting.activity import catalogue
    from xietong.accounting.methods import SERIES_METHODS

    assert {k.method for k in catalogue().values()} <= set(METHODS) | set(SERIES_METHODS)


SIMPLE = [a for a in ACTIVITIES if a.activity != "msw_landfilled"]


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=0.0, max_value=1e7, allow_nan=False), st.integers(0, len(SIMPLE) - 1))
def test_linear_in_activity_and_zero_in_zero_out(library, scale, i) -> None:
    """Every method is linear in the activity amount; zero activity gives zero."""
    from dataclasses import replace

    base = build_inventory([SIMPLE[i]], library).table()["value"].to_numpy()
    scaled = build_inventory([replace(SIMPLE[i], amount=SIMPLE[i].amount * scale)], library)
    assert scaled.table()["value"].to_numpy() == pytest.approx(base * scale, rel=1e-9, abs=1e-9)
    zero = build_inventory([replace(SIMPLE[i], amount=0.0)], library)
    assert (zero.table()["value"] == 0).all()


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.sampled_from(["sector", "district", "year", "subsector", "activity", "technology"]),
        unique=True,
        max_size=3,
    )
)
def test_rollup_property_every_grouping(inventory, by) -> None:
    total = inventory.rollup([]).set_index("substance")["value"]
    grouped = inventory.rollup(by).groupby("substance")["value"].sum()
    assert grouped.to_numpy() == pytest.approx(total.loc[grouped.index].to_numpy())
