"""District allocation by proxy shares (xietong.accounting.allocation): a hand-worked case, the
conservation property, the rule choice, the errors, and the shipped Wuhan allocation."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xietong.accounting.activity import Activity, default_activity
from xietong.accounting.allocation import (
    Allocation,
    AllocationError,
    AllocationRule,
    ProxyShare,
    allocate,
    load_allocation,
    read_rules,
    read_shares,
)
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.inventory import build_inventory
from xietong.datafiles import data_path
from xietong.errors import ImportRejected

WUHAN = ("cities", "wuhan")


def _share(proxy: str, district: str, share: float, year: int = 2020) -> ProxyShare:
    return ProxyShare(proxy, year, district, share, "demo", "test")


def _allocation() -> Allocation:
    rules = (
        AllocationRule("buildings", "", "", "population"),
        AllocationRule("buildings", "commercial", "", "gdp"),
        AllocationRule("buildings", "commercial", "lpg", "population"),
    )
    shares = (
        _share("population", "a", 0.25),
        _share("population", "b", 0.75),
        _share("gdp", "a", 0.6),
        _share("gdp", "b", 0.4),
        _share("gdp", "c", 0.0),
    )
    return Allocation(rules, shares)


def _act(subsector: str = "residential", activity: str = "natural_gas", **kw: object) -> Activity:
    base: dict[str, object] = {
        "year": 2020,
        "district": "city",
        "sector": "buildings",
        "subsector": subsector,
        "activity": activity,
        "amount": 1000.0,
        "unit": "wan * Nm3",
        "source": "bulletin",
        "quality": "statistic",
    }
    base.update(kw)
    return Activity(**base)  # type: ignore[arg-type]


def test_a_city_row_is_split_by_its_proxy_shares() -> None:
    """1,000 万Nm3 of household gas, population shares a 0.25 / b 0.75 → 250 and 750; the source
    names the proxy and share; the demo share makes the rows demo."""
    out = allocate([_act()], _allocation())
    assert [(a.district, a.amount) for a in out] == [("a", 250.0), ("b", 750.0)]
    assert all(a.quality == "demo" and "population" in a.source for a in out)
    assert out[0].source.startswith("bulletin | ")


def test_the_most_specific_rule_wins_and_a_zero_share_gives_no_row() -> None:
    al = _allocation()
    gas = allocate([_act("commercial")], al)  # subsector rule: gdp 0.6 / 0.4 / 0
    assert [(a.district, a.amount) for a in gas] == [("a", 600.0), ("b", 400.0)]
    lpg = allocate([_act("commercial", "lpg", unit="wan * t")], al)  # activity rule: population
    assert [a.amount for a in lpg] == [250.0, 750.0]


def test_district_rows_are_kept_as_they_are() -> None:
    row = _act(district="qingshan")
    assert allocate([row], _allocation()) == [row]


def test_missing_rules_shares_and_bad_sums_are_errors() -> None:
    al = _allocation()
    with pytest.raises(AllocationError, match="no allocation rule for sector 'transport'"):
        allocate([_act(sector="transport", subsector="road", activity="vkt")], al)
    with pytest.raises(AllocationError, match="no shares of proxy 'population' for 2019"):
        allocate([_act(year=2019)], al)
    with pytest.raises(AllocationError, match=r"population 2020: 0\.900000"):
        Allocation(al.rules, (_share("population", "a", 0.2), _share("population", "b", 0.7)))
    with pytest.raises(AllocationError, match="rules name proxies without shares: gdp"):
        Allocation(al.rules, (_share("population", "a", 1.0),))


@settings(max_examples=60, deadline=None)
@given(
    amount=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    weights=st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=8).filter(
        lambda w: sum(w) > 0
    ),
)
def test_allocation_keeps_the_city_total(amount: float, weights: list[float]) -> None:
    """Σ over districts of A × s = A, whatever the shares."""
    total = sum(weights)
    shares = tuple(_share("population", f"d{i}", w / total) for i, w in enumerate(weights))
    rest = 1 - sum(s.share for s in shares[:-1])
    fixed = (*shares[:-1], _share("population", shares[-1].district, rest))
    al = Allocation((AllocationRule("buildings", "", "", "population"),), fixed)
    out = allocate([_act(amount=amount)], al)
    assert sum(a.amount for a in out) == pytest.approx(amount, rel=1e-9, abs=1e-9)


def test_bad_files_are_rejected_naming_every_row(tmp_path: Path) -> None:
    shares = tmp_path / "shares.csv"
    shares.write_text(
        "proxy,year,district,share,quality,source\n"
        "population,2020,a,1.5,demo,x\n"
        "population,twenty,a,0.5,demo,x\n"
        "population,2020,b,0.5,guess,x\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as err:
        read_shares(shares)
    assert [(p.row, p.column) for p in err.value.problems] == [
        (2, "share"),
        (3, "year"),
        (4, "quality"),
    ]
    rules = tmp_path / "rules.csv"
    rules.write_text(
        "sector,subsector,activity,proxy\nbuildings,,,population\nbuildings,,,gdp\n,,,x\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as err2:
        read_rules(rules)
    assert [(p.row, p.column) for p in err2.value.problems] == [(3, "*"), (4, "sector")]


def _wuhan_allocation() -> Allocation:
    return load_allocation(
        data_path(*WUHAN, "district_allocation.csv"), data_path(*WUHAN, "district_proxies.csv")
    )


def test_every_wuhan_row_has_a_rule_and_shares_for_its_year() -> None:
    acts = default_activity()
    out = allocate(acts, _wuhan_allocation())
    city = [a for a in acts if a.district == "city"]
    assert city and all(a.district != "city" for a in out)
    assert sum(a.amount for a in out if a.activity == "vkt") == pytest.approx(
        sum(a.amount for a in acts if a.activity == "vkt")
    )


def test_the_wuhan_population_shares_are_the_2020_census() -> None:
    """The census bulletin's 16 units (经开区 less 汉南) sum to 12,326,518; 洪山 1,728,811."""
    shares = {s.district: s.share for s in _wuhan_allocation().shares_of("population", 2020)}
    assert len(shares) == 16 and sum(shares.values()) == pytest.approx(1.0, abs=1e-8)
    assert shares["hongshan"] == pytest.approx(1728811 / 12326518, abs=1e-8)
    assert shares["wedz"] == pytest.approx((481338 - 145103) / 12326518, abs=1e-8)
    # docs/methods/inventory.md worked example: 1,000 万Nm3 household gas in 2020
    rows = {a.district: a.amount for a in allocate([_act()], _wuhan_allocation())}
    assert rows["hongshan"] == pytest.approx(140.2514, abs=1e-4)
    assert rows["qingshan"] == pytest.approx(37.5852, abs=1e-4)
    assert len(rows) == 16 and sum(rows.values()) == pytest.approx(1000.0)


def test_demo_shares_are_labelled_demo() -> None:
    with data_path(*WUHAN, "district_proxies.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r["proxy"] == "population":
            assert r["quality"] == "estimate" and "census" in r["source"]
        else:
            assert r["quality"] == "demo" and r["source"].startswith("演示数据 demo")


def test_the_allocated_wuhan_inventory_has_the_city_totals() -> None:
    """The engine on the allocated rows gives, per year, substance and scope, the same tonnes as
    on the city rows (every method is linear in the amount)."""
    lib = FactorLibrary.load()
    acts = default_activity()
    before, after = defaultdict(float), defaultdict(float)
    for r in build_inventory(acts, lib).rows:
        before[(r.activity.year, r.emission.substance, r.emission.scope)] += r.emission.tonnes
    for r in build_inventory(allocate(acts, _wuhan_allocation()), lib).rows:
        after[(r.activity.year, r.emission.substance, r.emission.scope)] += r.emission.tonnes
    assert before.keys() == after.keys()
    for key, value in before.items():
        assert after[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key
