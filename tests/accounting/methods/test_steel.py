"""Iron and steel as the provincial guideline books it: the coal that makes iron is an energy
activity (``steel_reductant``), the BF-BOF process CO2 is fluxes and decarburisation; worked
by hand from the factor tables."""

from __future__ import annotations

import pytest

from tests.accounting.conftest import make
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import energy_by_year, in_co2_official
from xietong.accounting.inventory import build_inventory
from xietong.accounting.methods import steel
from xietong.accounting.methods.base import Context

IP = "industrial_processes"
STEEL = 1_000_000.0


@pytest.fixture(scope="module")
def shipped() -> Context:
    return Context(FactorLibrary.load())


def _co2(emissions) -> float:
    return sum(e.tonnes for e in emissions if e.substance == "CO2")


def test_bof_process_co2_is_fluxes_and_decarburisation(ctx: Context) -> None:
    """1 Mt BF-BOF crude steel with the defaults: limestone 0.10 t/t × 0.43971 = 43 971 t,
    dolomite 0.04 × 0.47732 = 19 092.8 t (IPCC 2006 Vol.3 Table 2.1); decarburisation
    1 Mt × (0.90 t hot metal × 0.04 C − 0.01 C) × 44/12 = 95 333.33 t (Table 4.3).
    Total 158 397.13 t: the reductant's carbon is not in it."""
    act = make("crude_steel", 100, "wan * t", IP, technology="bof")
    out = steel.crude_steel(act, ctx)
    assert _co2(out) == pytest.approx(43_971 + 19_092.8 + 95_333.333, rel=1e-6)
    flux = [e for e in out if e.method == "guideline-steel-flux"]
    assert [round(e.tonnes, 1) for e in flux] == [43_971.0, 19_092.8]


def test_eaf_keeps_the_tier1_factor(ctx: Context) -> None:
    """1 Mt EAF crude steel × 0.08 t CO2/t (IPCC 2006 Vol.3 Table 4.1) = 80 000 t."""
    act = make("crude_steel", 100, "wan * t", IP, technology="eaf")
    assert _co2(steel.crude_steel(act, ctx)) == pytest.approx(80_000.0)


def test_the_reductant_is_fuel_co2_of_coking_and_pci_coal(shipped: Context) -> None:
    """1 Mt crude steel, own parameters coking coal 0.5 t/t and PCI 0.135 t/t, China method
    (CN-ENT-2022: washed coal NCV 26.344 GJ/t, CC 0.02540 t C/GJ, OF 93 %; bituminous 23.204,
    0.02618, 93 %): coking 500 000 × 26.344 × 0.0254 × 0.93 × 44/12 = 1 140 952.2 t; PCI
    135 000 × 23.204 × 0.02618 × 0.93 × 44/12 = 279 681.9 t. Both count as fuel energy
    (13.172 + 3.13254 PJ) and in the official CO2 caliber."""
    act = make(
        "steel_reductant",
        STEEL,
        "t",
        "industry",
        subsector="steel",
        technology="bof",
        parameters="coking_coal=0.5 t / t; pci_coal=0.135 t / t",
    )
    out = steel.steel_reductant(act, shipped)
    coking, pci = out
    assert coking.tonnes == pytest.approx(500_000 * 26.344 * 0.0254 * 0.93 * 44 / 12, rel=1e-9)
    assert pci.tonnes == pytest.approx(135_000 * 23.204 * 0.02618 * 0.93 * 44 / 12, rel=1e-9)
    assert all(in_co2_official(act, e) for e in out)
    inv = build_inventory([act], shipped.library)
    energy = energy_by_year(inv)[act.year]
    gj = 500_000 * 26.344 + 135_000 * 23.204
    assert energy["total"] == pytest.approx(gj / 29.3076, rel=1e-9)
    assert energy["coal"] == pytest.approx(energy["total"], rel=1e-12)


def test_an_eaf_reductant_row_is_zero(shipped: Context) -> None:
    """A lever that moves crude steel from BOF to EAF moves the reductant row with it; the
    EAF defaults charge no coal."""
    act = make("steel_reductant", STEEL, "t", "industry", subsector="steel", technology="eaf")
    assert _co2(steel.steel_reductant(act, shipped)) == 0.0
