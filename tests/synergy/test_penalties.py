"""The CO2 side effects of end-of-pipe controls: a measure that swaps wet FGD for the ULE
bundle removes pollutants and adds CO2, so it lands in the 减污增碳 quadrant."""

from __future__ import annotations

import pytest

from xietong.accounting.activity import Activity
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.methods import METHODS
from xietong.accounting.methods.base import Context
from xietong.synergy.coordinates import Quadrant
from xietong.synergy.env_tax import load_tax_rates
from xietong.synergy.measures import Measure, effect
from xietong.synergy.penalties import load_penalties, penalty_emissions

LIB = FactorLibrary.load()


def _coal(control: str) -> Activity:
    return Activity(
        year=2023,
        district="city",
        sector="industry",
        subsector="steel",
        activity="raw_coal",
        control=control,
        amount=10_000,
        unit="t",
    )


def _so2(act: Activity, ctx: Context, substance: str = "SO2") -> float:
    return sum(e.tonnes for e in METHODS["fuel_combustion"](act, ctx) if e.substance == substance)


def test_every_penalty_names_its_source() -> None:
    penalties = load_penalties()
    assert {p.kind for p in penalties} == {"electricity", "reagent"}
    assert all(p.source and p.unit for p in penalties)


def test_ule_instead_of_wet_fgd_lands_in_the_pollution_down_carbon_up_quadrant() -> None:
    """10 000 t of raw coal moved from wet FGD to the ULE bundle, 2023, Hubei grid factor
    (0.4364 t/MWh, the 2022 factor standing in): electricity 10 000 × (38.1 − 28.6) kWh/t =
    95 000 kWh → 41.458 t CO2 more; limestone 0.708 t CO2 per t SO2 removed × the extra SO2
    the ULE bundle removes, and urea 0.478 t CO2 per t NOx removed by its SCR (the engine's
    SO2 and NOx of the two rows; wet FGD removes no NOx) more. The measure removes SO2 and
    NOx and adds CO2: quadrant II, 减污增碳."""
    ctx = Context(LIB)
    wfgd, ule = _coal("wfgd"), _coal("ule")
    extra_so2_removed = _so2(wfgd, ctx) - _so2(ule, ctx)
    nox_removed = _so2(wfgd, ctx, "NOx") - _so2(ule, ctx, "NOx")
    assert extra_so2_removed > 0 and nox_removed > 0
    added = sum(e.tonnes for e in penalty_emissions(ule, ctx)) - sum(
        e.tonnes for e in penalty_emissions(wfgd, ctx)
    )
    assert added == pytest.approx(
        95_000 * 0.4364 / 1000 + 0.708 * extra_so2_removed + 0.478 * nox_removed, rel=1e-9
    )
    measure = Measure("ule-test", 11, "超低排放", "ULE", {}, (wfgd,), (ule,), "test", 1.0e6, "test")
    e = effect(
        measure,
        LIB,
        load_gwp("AR5"),
        load_tax_rates("hubei"),
        city_totals=(1.0e8, 1.0e5),
    )
    assert e.co2e_reduction == pytest.approx(-added, rel=1e-6)
    assert e.reduction["SO2"] == pytest.approx(extra_so2_removed, rel=1e-9)
    assert e.coordinates is not None
    assert e.coordinates.quadrant is Quadrant.POLLUTANT_ONLY


def test_a_row_without_a_control_penalty_adds_nothing() -> None:
    assert penalty_emissions(_coal(""), Context(LIB)) == []


def test_the_inventory_counts_the_reagent_not_the_electricity() -> None:
    """A ULE row in the inventory carries its limestone and urea CO2 (0.708 t per t SO2 and
    0.478 t per t NOx removed; method control-reagent-ule) as direct CO2 outside the official
    caliber; the control's electricity is not added (it is in the activity data); a row
    without a control has no penalty; the trace gives the formula with its sources."""
    from xietong.accounting.indicators import in_co2_official
    from xietong.accounting.inventory import build_inventory

    ctx = Context(LIB)
    ule = _coal("ule")
    inv = build_inventory([ule, _coal("")], LIB)
    f = inv.frame()
    reagent = f[f["method"] == "control-reagent-ule"]
    so2 = _so2(_coal(""), ctx) - _so2(ule, ctx)
    nox = _so2(_coal(""), ctx, "NOx") - _so2(ule, ctx, "NOx")
    assert sorted(reagent["value"]) == pytest.approx(sorted([0.708 * so2, 0.478 * nox]))
    assert set(reagent["scope"]) == {"direct"}
    assert not (f["scope"] == "indirect").any()
    rows = [inv.row(int(i)) for i in reagent.index]
    assert not any(in_co2_official(ule, r.emission) for r in rows)
    for r in rows:
        assert any("Stoichiometry" in t.source for t in r.emission.terms)
        assert r.emission.tonnes == pytest.approx(float(f.loc[r.row_id, "value"]))
