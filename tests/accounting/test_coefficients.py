"""Resolution once, arithmetic in columns: the columnar inventory equals a row-by-row
computation with the same methods (the former row engine, kept here as the reference) to 1e-9
relative on the Wuhan data — every year, substance, sector, district (city and allocated), GWP
set and both CO2 methods — and each template is resolved once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xietong.accounting.activity import Activity, default_activity
from xietong.accounting.allocation import allocate
from xietong.accounting.coefficients import Resolver, replicate
from xietong.accounting.control_penalties import reagent_emissions
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.inventory import InventoryError, InventoryOptions, build_inventory
from xietong.accounting.methods import METHODS, SERIES_METHODS
from xietong.accounting.methods.base import GHGS
from xietong.accounting.potentials import potential
from xietong.service.synergy_views import shipped_allocation


def reference(acts: list[Activity], library: FactorLibrary, opts: InventoryOptions) -> pd.DataFrame:
    """The row engine: every activity row through its method, one at a time, with its
    control's reagent CO2."""
    ctx = opts.context(library)
    out: list[dict[str, object]] = []
    series: dict[tuple[object, ...], list[Activity]] = defaultdict(list)
    for a in acts:
        if a.kind.method in SERIES_METHODS:
            series[(a.kind.method, a.district, a.technology, a.entity)].append(a)
            continue
        own = METHODS[a.kind.method](a, ctx)
        out.extend(_record(a, e) for e in (*own, *reagent_emissions(a, ctx, own)))
    for key, members in series.items():
        out.extend(_record(a, e) for a, e in SERIES_METHODS[str(key[0])](members, ctx))
    return pd.DataFrame(out)


def _record(a: Activity, e: object) -> dict[str, object]:
    return {
        "year": a.year,
        "district": a.district,
        "sector": a.sector,
        "activity": a.activity,
        "substance": e.substance,  # type: ignore[attr-defined]
        "scope": e.scope,  # type: ignore[attr-defined]
        "value": e.tonnes,  # type: ignore[attr-defined]
    }


@pytest.fixture(scope="module")
def wuhan() -> list[Activity]:
    return list(default_activity("wuhan"))


@pytest.fixture(scope="module")
def shipped() -> FactorLibrary:
    return FactorLibrary.load()


def _assert_same(columns: pd.Series, rows: pd.Series) -> None:
    left, right = columns.sort_index(), rows.sort_index()
    assert list(left.index) == list(right.index)
    for a, b in zip(left, right, strict=True):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("co2_method", ["china", "ipcc"])
@pytest.mark.parametrize("allocated", [False, True])
def test_the_columns_equal_the_row_engine_on_wuhan(
    wuhan: list[Activity], shipped: FactorLibrary, co2_method: str, allocated: bool
) -> None:
    acts = wuhan
    if allocated:
        found = shipped_allocation("wuhan")
        assert found is not None
        acts = allocate(wuhan, found[0])
    opts = InventoryOptions(co2_method=co2_method)
    inv = build_inventory(acts, shipped, opts)
    ref = reference(acts, shipped, opts)
    assert inv.row_count == len(ref)
    for scope in ("direct", "indirect"):
        for by in (["year"], ["year", "sector"], ["year", "district"]):
            mine = inv.rollup(by, scope=scope).set_index([*by, "substance"])["value"]
            theirs = ref[ref["scope"] == scope].groupby([*by, "substance"])["value"].sum()
            _assert_same(mine, theirs)
    direct = ref[(ref["scope"] == "direct") & ref["substance"].isin(GHGS)]
    for name in ("AR4", "AR5", "AR6"):
        gwp = load_gwp(name)
        by_year = inv.co2e(gwp, ["year", "sector"]).set_index(["year", "sector"])["co2e"]
        weighted = direct.assign(
            co2e=[
                v * potential(gwp, s, a)
                for v, s, a in zip(direct.value, direct.substance, direct.activity, strict=True)
            ]
        )
        _assert_same(by_year, weighted.groupby(["year", "sector"])["co2e"].sum())
    # the table and every trace carry the engine's values exactly
    table = inv.table()
    for row_id in range(0, len(table), max(1, len(table) // 50)):
        assert inv.trace(row_id)["value"] == table["value"].iloc[row_id]


def test_a_template_is_resolved_once(wuhan: list[Activity], shipped: FactorLibrary) -> None:
    res = Resolver(shipped, InventoryOptions())
    one = res.resolve(wuhan)
    before = len(res.coefficient_table())
    ten = res.resolve(replicate(wuhan, 10))
    assert len(res.coefficient_table()) == before  # nothing new resolved
    assert ten.templates == one.templates
    assert len(ten.rows) == 10 * len(one.rows)
    # districts, entities and periods do not make new templates
    moved = [replace(a, district="other", entity="works", period="Q1") for a in wuhan]
    assert res.resolve([*wuhan, *moved]).templates == one.templates
    # splitting every amount in ten keeps every total
    a = build_inventory(wuhan, shipped).rollup(["year"]).set_index(["year", "substance"])
    b = build_inventory(replicate(wuhan, 10), shipped).rollup(["year"])
    b = b.set_index(["year", "substance"])
    pd.testing.assert_series_equal(a["value"], b["value"], rtol=1e-9)


def test_series_methods_are_left_to_the_row_path(wuhan: list[Activity]) -> None:
    res = Resolver(FactorLibrary.load(), InventoryOptions())
    coef = res.resolve(wuhan)
    assert {wuhan[n].kind.method for n in coef.series} <= {"landfill_fod"}
    assert not set(coef.rows["n"]) & set(coef.series)


def test_a_missing_factor_names_every_row(library: FactorLibrary, wuhan: list[Activity]) -> None:
    with pytest.raises(InventoryError) as err:
        build_inventory(wuhan[:40], library)
    assert len(err.value.problems) >= 1


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False), min_size=1, max_size=8))
def test_amounts_scale_linearly(amounts: list[float]) -> None:
    """Any amounts on one template: each row's emission is its amount times the coefficient
    of the template, equal to the method run on that row."""
    base = next(a for a in default_activity("wuhan") if a.activity == "bituminous_coal")
    acts = [
        Activity(**{**base.__dict__, "amount": x, "entity": f"e{i}"}) for i, x in enumerate(amounts)
    ]
    inv = build_inventory(acts)
    ref = reference(acts, FactorLibrary.load(), InventoryOptions())
    table = inv.table()
    assert len(table) == len(ref)
    ctx = InventoryOptions().context(FactorLibrary.load())
    for row_id in range(len(table)):
        r = inv.row(row_id)
        expected = next(
            e.tonnes
            for e in METHODS[r.activity.kind.method](r.activity, ctx)
            if (e.substance, e.method) == (r.emission.substance, r.emission.method)
        )
        assert table["value"].iloc[row_id] == pytest.approx(expected, rel=1e-9, abs=1e-9)
