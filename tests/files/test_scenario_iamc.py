"""Scenario pathways exported in IAMC format and read back by pyam."""

from __future__ import annotations

from pathlib import Path

from tests.scenarios.test_projection import BASELINE, TWO, run
from xietong.accounting.factors import load_gwp
from xietong.files.iamc import read_iamc, scenarios_frame, write_iamc


def test_scenarios_round_trip_through_pyam(tmp_path: Path) -> None:
    frame = scenarios_frame(
        {"baseline": run(BASELINE).inventory, "two": run(TWO).inventory}, load_gwp("AR5")
    )
    path = tmp_path / "scenarios.csv"
    write_iamc(path, frame, meta=None)
    back = read_iamc(path)
    assert set(back.scenario) == {"baseline", "two"}
    co2 = back[(back.variable == "Emissions|CO2") & (back.year == 2030)]
    assert len(co2) == 2
    assert co2[co2.scenario == "two"].value.item() < co2[co2.scenario == "baseline"].value.item()
