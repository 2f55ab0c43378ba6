"""Industrial processes: one hand-worked case per process (IPCC 2006 Vol.3)."""

from __future__ import annotations

import pytest

from tests.accounting.conftest import make
from xietong.accounting.methods import processes
from xietong.accounting.methods.base import Context

IP = "industrial_processes"


def one(emissions, substance="CO2"):
    (e,) = [x for x in emissions if x.substance == substance]
    return e


def test_clinker(ctx: Context) -> None:
    """10,000 t clinker × 0.52 t CO2/t (Vol.3 Ch.2 Eq.2.4: 0.51 × CKD 1.02) = 5,200 t."""
    assert one(processes.cement_clinker(make("clinker", 10_000, "t", IP), ctx)).tonnes == (
        pytest.approx(5200.0)
    )


def test_lime_high_calcium(ctx: Context) -> None:
    """1,000 t high-calcium lime × 0.75 (Table 2.4) = 750 t."""
    act = make("lime", 1000, "t", IP, technology="high_calcium")
    assert one(processes.lime(act, ctx)).tonnes == pytest.approx(750.0)


def test_glass_with_default_and_own_cullet_ratio(ctx: Context) -> None:
    """1,000 t × 0.20 × (1 − 0.5) = 100 t; with the row's cullet ratio 0.2: 160 t."""
    assert one(processes.glass(make("glass", 1000, "t", IP), ctx)).tonnes == pytest.approx(100.0)
    act = make("glass", 1000, "t", IP, parameters="cullet_ratio=0.2")
    assert one(processes.glass(act, ctx)).tonnes == pytest.approx(160.0)


def test_ethylene(ctx: Context) -> None:
    """800 kt ethylene × 1.73 t CO2/t = 1,384,000 t; × 3 kg CH4/t = 2,400 t CH4."""
    out = processes.petrochemical(make("ethylene", 80, "wan * t", IP), ctx)
    assert one(out).tonnes == pytest.approx(1_384_000)
    assert one(out, "CH4").tonnes == pytest.approx(2400)


def test_hfc_bank(ctx: Context) -> None:
    """10,000 kg HFC-134a in mobile AC × 15 %/yr leak = 1.5 t HFC-134a."""
    act = make("hfc134a_bank", 10_000, "kg", IP, technology="mobile_ac")
    assert one(processes.fgas_use(act, ctx), "HFC-134a").tonnes == pytest.approx(1.5)


def test_solvent(ctx: Context) -> None:
    """100 t industrial coating × 500 kg VOCs/t = 50 t VOCs."""
    act = make("solvent", 100, "t", IP, technology="industrial_coating")
    assert one(processes.solvent_use(act, ctx), "VOCs").tonnes == pytest.approx(50.0)
