"""One engine, two back-ends: the same ibis expressions give the same inventory on DuckDB and
on Spark (local mode), on the Wuhan data and on generated tables."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xietong.accounting.activity import Activity, default_activity
from xietong.accounting.engine import EngineError, engine
from xietong.accounting.factors import load_gwp
from xietong.accounting.inventory import Inventory, InventoryOptions, build_inventory


@pytest.fixture(scope="session")
def spark() -> str:
    """The Spark engine, started once per test run (about 5–20 s)."""
    engine("spark")
    return "spark"


@pytest.fixture(scope="module")
def wuhan() -> list[Activity]:
    return list(default_activity("wuhan"))


def _same(a: pd.DataFrame, b: pd.DataFrame, keys: list[str], value: str) -> None:
    left = a.set_index(keys)[value].sort_index()
    right = b.set_index(keys)[value].sort_index()
    assert list(left.index) == list(right.index)
    for x, y in zip(left, right, strict=True):
        assert x == pytest.approx(y, rel=1e-12, abs=1e-9)


def _compare(duck: Inventory, spark: Inventory, by: list[str]) -> None:
    for scope in ("direct", "indirect", None):
        _same(
            duck.rollup(by, scope=scope), spark.rollup(by, scope=scope), [*by, "substance"], "value"
        )


@pytest.mark.parametrize("co2_method", ["china", "ipcc"])
def test_wuhan_is_the_same_on_duckdb_and_spark(
    spark: str, wuhan: list[Activity], co2_method: str
) -> None:
    opts = InventoryOptions(co2_method=co2_method)
    duck = build_inventory(wuhan, options=opts, engine_kind="duckdb")
    other = build_inventory(wuhan, options=opts, engine_kind=spark)
    assert duck.engine.name == "duckdb" and other.engine.name == "spark"
    _compare(duck, other, ["year", "sector", "district"])
    for name in ("AR4", "AR5", "AR6"):
        gwp = load_gwp(name)
        _same(duck.co2e(gwp, ["year"]), other.co2e(gwp, ["year"]), ["year"], "co2e")
    # the ordered table (row ids) and the traces are the same too
    a, b = duck.table(), other.table()
    assert list(a["row_id"]) == list(b["row_id"])
    assert list(a["substance"]) == list(b["substance"])
    assert list(a["formula"]) == list(b["formula"])
    assert duck.trace(100) == other.trace(100)


TEMPLATES = [a for a in default_activity("wuhan") if a.year == 2020 and a.district == "city"][:40]


@st.composite
def tables(draw: st.DrawFn) -> list[Activity]:
    """Rows of Wuhan templates with any amounts, spread over districts, entities, periods."""
    picks = draw(st.lists(st.sampled_from(range(len(TEMPLATES))), min_size=1, max_size=25))
    out = []
    for i, t in enumerate(picks):
        base = TEMPLATES[t]
        out.append(
            Activity(
                **{
                    **base.__dict__,
                    "amount": draw(st.floats(min_value=0, max_value=1e8, allow_nan=False)),
                    "district": draw(st.sampled_from(["city", "420102", "420103"])),
                    "entity": f"91420100MA{i:08d}",
                    "period": draw(st.sampled_from(["", "2020-Q1", "2020-07"])),
                }
            )
        )
    return out


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(tables())
def test_generated_tables_are_the_same_on_both(spark: str, acts: list[Activity]) -> None:
    duck = build_inventory(acts, engine_kind="duckdb")
    other = build_inventory(acts, engine_kind=spark)
    _compare(duck, other, ["district", "entity", "period"])


def test_an_unknown_engine_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIETONG_ENGINE", "oracle")
    with pytest.raises(EngineError, match="duckdb, spark"):
        engine()


def test_duckdb_compiles_each_query_shape_once(
    wuhan: list[Activity], monkeypatch: pytest.MonkeyPatch
) -> None:
    eng = engine("duckdb")
    first = build_inventory(wuhan, engine_kind="duckdb")
    first.rollup(["year", "sector"])
    compiled: list[object] = []
    real = eng.backend.compile

    def counting(expr: object, *args: object, **kwargs: object) -> object:
        compiled.append(expr)
        return real(expr, *args, **kwargs)

    monkeypatch.setattr(eng.backend, "compile", counting)
    second = build_inventory(wuhan, engine_kind="duckdb")
    again = second.rollup(["year", "sector"])
    assert compiled == []  # the join and the roll-up reused their SQL
    # … and the reused SQL read the second inventory's own tables: the same figures
    pd.testing.assert_frame_equal(again, first.rollup(["year", "sector"]))
    half = build_inventory(
        [Activity(**{**a.__dict__, "amount": a.amount / 2}) for a in wuhan], engine_kind="duckdb"
    ).rollup(["year", "sector"])
    assert half["value"].sum() == pytest.approx(again["value"].sum() / 2, rel=1e-12)
    assert compiled == []
    second.rollup(["district"])  # a new shape is compiled once
    assert len(compiled) == 1
