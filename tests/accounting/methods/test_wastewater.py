"""Wastewater: treated (CH4, N2O, discharged COD and NH3-N) and untreated sewage."""

from __future__ import annotations

import pytest

from tests.accounting.conftest import make
from xietong.accounting.methods import wastewater
from xietong.accounting.methods.base import Context


def test_treated_domestic(ctx: Context) -> None:
    """1 万 m³ with COD 250 → 30 mg/L, TN 40 → 12, NH3-N out 2 mg/L:
    COD in = 10,000 m³ × 250 g/m³ = 2.5 t; CH4 = 2.5 × 0.25 × 0.03 = 0.01875 t;
    plant N2O = 0.4 t N × 0.016 × 44/28 = 0.0100571 t; effluent N2O = 0.12 × 0.005 × 44/28;
    COD out 0.3 t; NH3-N out 0.02 t."""
    act = make(
        "wastewater_treated",
        1,
        "wan * m3",
        "wastewater",
        technology="domestic",
        parameters="cod_in=250 mg/L; cod_out=30 mg/L; tn_in=40 mg/L; tn_out=12 mg/L; "
        "nh3n_out=2 mg/L",
    )
    out = {e.method: e.tonnes for e in wastewater.wastewater_treatment(act, ctx)}
    assert out["ipcc-wastewater-ch4"] == pytest.approx(0.01875)
    assert out["ipcc-2019-plant-n2o"] == pytest.approx(0.4 * 0.016 * 44 / 28)
    assert out["ipcc-effluent-n2o"] == pytest.approx(0.12 * 0.005 * 44 / 28)
    cod = [e for e in wastewater.wastewater_treatment(act, ctx) if e.substance == "COD"]
    assert cod[0].tonnes == pytest.approx(0.3)


def test_untreated_sewage(ctx: Context) -> None:
    """10,000 persons × 60 g COD/person/day × 365 days = 219 t COD; NH3-N 8 g → 29.2 t;
    CH4 = 219 t COD × 0.25 × MCF 0.1 = 5.475 t."""
    act = make("sewage_untreated", 10_000, "person", "wastewater", technology="domestic")
    out = {e.substance: e.tonnes for e in wastewater.untreated_sewage(act, ctx)}
    assert out == {
        "COD": pytest.approx(219.0),
        "NH3-N": pytest.approx(29.2),
        "CH4": pytest.approx(5.475),
    }
