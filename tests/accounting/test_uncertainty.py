"""Uncertainty: approach 1 by hand, Monte Carlo seeded, shared factors drawn once."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.accounting.conftest import make
from xietong.accounting.factors import load_gwp
from xietong.accounting.inventory import build_inventory
from xietong.accounting.uncertainty import approach1, change_u95, defaults, monte_carlo


@pytest.fixture(scope="module")
def coal_inventory(library):
    acts = [
        make("bituminous_coal", 1000, "t", "industry", district="qingshan"),
        make("bituminous_coal", 1000, "t", "industry", district="hongshan"),
    ]
    return build_inventory(acts, library)


def test_approach1_one_product_by_hand(library) -> None:
    """1,000 t coal, IPCC method: activity (statistic) ±5 %, NCV (CN-default, no range) ±10 %,
    EF ±3 % (the factor's own range): U = √(5² + 10² + 3²) = 11.5758 %."""
    from xietong.accounting.inventory import InventoryOptions

    inv = build_inventory(
        [make("bituminous_coal", 1000, "t", "industry")],
        library,
        InventoryOptions(co2_method="ipcc"),
    )
    out = approach1(inv, [], substance="CO2")
    assert out["u95_pct"].item() == pytest.approx(math.sqrt(5**2 + 10**2 + 3**2))
    assert defaults()[("quality", "statistic")] == 5


def test_approach1_sum_of_two_independent_rows(coal_inventory) -> None:
    """Two equal rows with the same relative U: the sum's U is U/√2 (approach 1 assumes
    independence)."""
    one = approach1(coal_inventory, ["district"], substance="CO2")
    both = approach1(coal_inventory, [], substance="CO2")
    assert both["u95_pct"].item() == pytest.approx(one["u95_pct"].iloc[0] / math.sqrt(2))


def test_monte_carlo_is_seeded_and_brackets_the_value(coal_inventory) -> None:
    a = monte_carlo(coal_inventory, ["sector"], draws=2000, seed=7, substance="CO2")
    b = monte_carlo(coal_inventory, ["sector"], draws=2000, seed=7, substance="CO2")
    assert a.equals(b)
    row = a.iloc[0]
    assert row.p2_5 < row.value < row.p97_5


def test_shared_factors_are_drawn_once(coal_inventory) -> None:
    """The two rows share NCV, CC and OF: their totals' spread is wider than if every factor
    were independent (approach 1), because the factor errors do not cancel."""
    mc = monte_carlo(coal_inventory, [], draws=20_000, seed=1, substance="CO2").iloc[0]
    half_width = (mc.p97_5 - mc.p2_5) / 2 / mc.value * 100
    independent = approach1(coal_inventory, [], substance="CO2")["u95_pct"].item()
    assert half_width > independent


def test_monte_carlo_co2e_groups_sum(coal_inventory) -> None:
    mc = monte_carlo(coal_inventory, ["district"], draws=500, gwp=load_gwp("AR5"))
    total = coal_inventory.co2e(load_gwp("AR5"), [])["co2e"].item()
    assert np.isclose(mc["value"].sum(), total)


def test_the_change_cancels_the_shared_factors(library) -> None:
    """Coal burnt in 2020 and 2024: the factors are the same in both years and cancel in the
    change, so its 95 % half-width is that of two independent activity amounts (±5 % each for
    a statistic): ≈ √2 × 5 % of a 1:1 ratio, far below the level's ±11.6 %."""
    acts = [
        make("bituminous_coal", 1000, "t", "industry", year=2020),
        make("bituminous_coal", 900, "t", "industry", year=2024),
    ]
    inv = build_inventory(acts, library)
    widths = change_u95(inv, "CO2", 2020, draws=20_000, seed=3)
    assert list(widths) == [2024]
    # 100 × (E24/E20 − 1) = −10 %; its spread: lognormal activity errors σ = ln(1.05)/1.96
    sigma = math.sqrt(2) * math.log1p(0.05) / 1.96
    expected = 100 * 0.9 * (math.exp(1.96 * sigma) - math.exp(-1.96 * sigma)) / 2
    assert widths[2024] == pytest.approx(expected, rel=0.05)
    level = approach1(inv, ["year"], substance="CO2")["u95_pct"].iloc[0]
    assert widths[2024] < level
    assert change_u95(inv, "CO2", 2020, draws=20_000, seed=3) == widths  # seeded
    assert change_u95(inv, "CO2", 2019) == {}  # no base year in the data
    assert change_u95(inv, "SF6", 2020) == {}
