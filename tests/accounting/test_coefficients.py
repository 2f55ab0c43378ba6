"""The columnar engine's first step: coefficients resolved once per template, emissions as a
join and a multiply, equal to the row engine (1e-9 relative) on the Wuhan data."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xietong.accounting.activity import Activity, default_activity
from xietong.accounting.coefficients import emission_table, replicate, resolve, rollup
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.inventory import InventoryError, InventoryOptions, build_inventory
from xietong.accounting.methods.base import GHGS

KEYS = ["year", "district", "sector", "subsector", "activity", "technology", "control"]


@pytest.fixture(scope="module")
def wuhan() -> list[Activity]:
    return list(default_activity("wuhan"))


@pytest.fixture(scope="module")
def shipped() -> FactorLibrary:
    return FactorLibrary.load()


@pytest.mark.parametrize("co2_method", ["china", "ipcc"])
def test_the_columns_equal_the_row_engine_on_wuhan(
    wuhan: list[Activity], shipped: FactorLibrary, co2_method: str
) -> None:
    opts = InventoryOptions(co2_method=co2_method)
    coef = resolve(wuhan, shipped, opts)
    columns = emission_table(coef)
    rows = build_inventory(
        [a for a in wuhan if a.kind.method != "landfill_fod"], shipped, opts
    ).table()
    assert len(columns) == len(rows)
    key = [*KEYS, "substance", "scope", "method"]
    merged = rows.merge(columns, on=key, suffixes=("_row", "_col"), validate="one_to_one")
    assert len(merged) == len(rows)
    assert (merged["value_col"] - merged["value_row"]).abs().max() <= 1e-9 * max(
        1.0, merged["value_row"].abs().max()
    )
    for a, b in zip(merged["value_row"], merged["value_col"], strict=True):
        assert b == pytest.approx(a, rel=1e-9, abs=1e-12)
    # roll-ups agree too: by year, sector and district, and CO2e under every GWP set
    for by in (["year"], ["year", "sector"], ["year", "district"]):
        left = rollup(columns, by).set_index([*by, "substance"])["value"]
        right = rows[rows["scope"] == "direct"].groupby([*by, "substance"])["value"].sum()
        pd.testing.assert_series_equal(left.sort_index(), right.sort_index(), rtol=1e-9)
    direct = columns[(columns["scope"] == "direct") & columns["substance"].isin(GHGS)]
    for name in ("AR4", "AR5", "AR6"):
        gwp = load_gwp(name)
        col = sum(v * gwp[s] for v, s in zip(direct["value"], direct["substance"], strict=True))
        inv = build_inventory([a for a in wuhan if a.kind.method != "landfill_fod"], shipped, opts)
        assert col == pytest.approx(inv.co2e(gwp, [])["co2e"].item(), rel=1e-9)


def test_a_template_is_resolved_once(wuhan: list[Activity], shipped: FactorLibrary) -> None:
    one = resolve(wuhan, shipped)
    ten = resolve(replicate(wuhan, 10), shipped)
    assert ten.templates == one.templates
    assert len(ten.rows) == 10 * len(one.rows)
    # splitting every amount in ten keeps every total
    a = rollup(emission_table(one), ["year"]).set_index(["year", "substance"])["value"]
    b = rollup(emission_table(ten), ["year"]).set_index(["year", "substance"])["value"]
    pd.testing.assert_series_equal(a, b, rtol=1e-9)


def test_series_methods_are_left_to_the_row_engine(wuhan: list[Activity]) -> None:
    coef = resolve(wuhan)
    assert {a.kind.method for a in coef.series} <= {"landfill_fod"}
    assert not set(coef.rows["row"]) & {i for i, a in enumerate(wuhan) if a in coef.series}


def test_a_missing_factor_names_every_row(library: FactorLibrary, wuhan: list[Activity]) -> None:
    with pytest.raises(InventoryError) as err:
        resolve(wuhan[:40], library)
    assert len(err.value.problems) >= 1


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False), min_size=1, max_size=8))
def test_amounts_scale_linearly(amounts: list[float]) -> None:
    """Any amounts on one template: each row's emission is its amount times the coefficient."""
    base = next(a for a in default_activity("wuhan") if a.activity == "bituminous_coal")
    acts = [Activity(**{**base.__dict__, "amount": x}) for x in amounts]
    coef = resolve(acts)
    assert coef.templates == 1
    table = emission_table(coef)
    by_row = build_inventory(acts).table()
    assert len(table) == len(by_row)
    for a, b in zip(
        table.sort_values(["row", "substance"])["value"],
        by_row.assign(
            row=[r // (len(by_row) // len(acts)) for r in range(len(by_row))]
        ).sort_values(["row", "substance"])["value"],
        strict=True,
    ):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9)
