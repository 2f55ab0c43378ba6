"""Agriculture: rice CH4, fertiliser N2O and NH3, livestock (IPCC 2006 Vol.4)."""

from __future__ import annotations

import pytest

from tests.accounting.conftest import make
from xietong.accounting.methods import agriculture
from xietong.accounting.methods.base import Context


def test_rice_ipcc_daily_factor(ctx: Context) -> None:
    """1,000 ha × 1.30 kg/ha/day × SFw 0.60 (single aeration) × SFp 1.0 × 120 days = 93.6 t."""
    act = make(
        "rice_area", 1000, "ha", "agriculture", technology="single", control="single_aeration"
    )
    (e,) = agriculture.rice_ch4(act, ctx)
    assert e.tonnes == pytest.approx(93.6)


def test_rice_area_in_mu(ctx: Context) -> None:
    """15,000 亩 = 1,000 ha gives the same 93.6 t."""
    act = make(
        "rice_area", 15_000, "mu", "agriculture", technology="single", control="single_aeration"
    )
    assert agriculture.rice_ch4(act, ctx)[0].tonnes == pytest.approx(93.6)


def test_fertiliser(ctx: Context) -> None:
    """1,000 t N: direct 1000 × 0.01 × 44/28 = 15.714 t N2O; volatilisation
    1000 × 0.10 × 0.01 × 44/28 = 1.5714 t; leaching 1000 × 0.30 × 0.0075 × 44/28 = 3.5357 t;
    NH3 1000 × 0.2 × 17/14 = 242.857 t."""
    out = agriculture.fertiliser(make("n_fertiliser", 1000, "t", "agriculture"), ctx)
    by_method = {e.method: e.tonnes for e in out}
    assert by_method["ipcc-2006-n2o-direct"] == pytest.approx(1000 * 0.01 * 44 / 28)
    assert by_method["ipcc-2006-n2o-volatilisation"] == pytest.approx(1.571428, rel=1e-6)
    assert by_method["ipcc-2006-n2o-leaching"] == pytest.approx(3.535714, rel=1e-6)
    assert by_method["nh3-volatilisation"] == pytest.approx(242.857142, rel=1e-6)


def test_livestock(ctx: Context) -> None:
    """10,000 pigs: enteric 1 kg/head/yr → 10 t CH4; manure 4 → 40 t CH4; N2O 0.1 → 1 t;
    NH3 3 → 30 t."""
    act = make("livestock", 10_000, "head", "agriculture", technology="swine")
    out = {e.method: e.tonnes for e in agriculture.livestock(act, ctx)}
    assert out == {
        "ipcc-2006-enteric": pytest.approx(10.0),
        "ipcc-2006-manure-ch4": pytest.approx(40.0),
        "manure-n2o": pytest.approx(1.0),
        "livestock-nh3": pytest.approx(30.0),
    }
