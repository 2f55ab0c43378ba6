"""The indicators read each template's terms once and work in columns: equal to a row-by-row
reading of every emission's terms (the former loop, kept here as the reference)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from xietong.accounting.activity import default_activity
from xietong.accounting.allocation import allocate
from xietong.accounting.indicators import (
    COAL_FUELS,
    burns_coal,
    compute_indicators,
    energy_by_year,
    energy_of,
    in_co2_energy,
    official_by_year,
    official_co2,
)
from xietong.accounting.inventory import Inventory, build_inventory
from xietong.service.synergy_views import shipped_allocation
from xietong.units import Q_


def reference(
    inv: Inventory,
) -> tuple[dict[int, dict[str, float]], dict[int, float], dict[int, float]]:
    energy: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    co2: dict[int, float] = defaultdict(float)
    official: dict[int, float] = defaultdict(float)
    factor = {y: o.t_per_mwh for y, o in official_by_year(inv).items()}
    tce_per_gj = 1 / float(Q_(1, "tce").to("GJ").magnitude)
    for r in inv.rows:
        a, e = r.activity, r.emission
        gj = energy_of(e)
        if gj is not None and e.scope == "direct":
            energy[a.year]["total"] += gj * tce_per_gj
            if (a.kind.fuel or "") in COAL_FUELS or burns_coal(e, inv.library):
                energy[a.year]["coal"] += gj * tce_per_gj
        if a.activity == "electricity":
            energy[a.year]["electricity_mwh"] += float(a.quantity.to("MWh").magnitude)
        if in_co2_energy(a, e):
            co2[a.year] += e.tonnes
        official[a.year] += official_co2(a, e, inv.library, factor[a.year])
    for act in {id(r.activity): r.activity for r in inv.rows}.values():
        coal_input = act.parameter("coal_input")
        if coal_input is not None:
            tce = float((act.quantity * coal_input).to("tce").magnitude)
            energy[act.year]["coal"] += tce
            energy[act.year]["total"] += tce
    return energy, co2, official


@pytest.mark.parametrize("allocated", [False, True])
def test_columns_equal_the_row_by_row_reading(allocated: bool) -> None:
    acts = default_activity("wuhan")
    if allocated:
        found = shipped_allocation("wuhan")
        assert found is not None
        acts = allocate(acts, found[0])
    inv = build_inventory(acts)
    want_energy, want_co2, want_official = reference(inv)
    got = energy_by_year(inv)
    assert set(got) == set(want_energy)
    for year, parts in want_energy.items():
        assert set(got[year]) == set(parts)
        for key, value in parts.items():
            assert got[year][key] == pytest.approx(value, rel=1e-12)
    table = compute_indicators(inv, [])
    mine = table[table["indicator_id"] == "co2_energy"].set_index("year")["value"]
    for year, value in want_co2.items():
        assert mine[year] == pytest.approx(value, rel=1e-12)
    # the official caliber: each row's share, the power plants' less their generation credit
    official = table[table["indicator_id"] == "co2_official"].set_index("year")["value"]
    for year, value in want_official.items():
        assert official[year] == pytest.approx(value, rel=1e-9)
