"""The inventory in IAMC format (model, scenario, region, variable, unit, year, value), written
with pyam (``pyam-iamc``) to .xlsx or .csv so that pyam and other IAMC tools read it back.

Variables follow the IAMC common definitions where one exists: ``Emissions|CO2`` (direct
total), ``Emissions|CO2|Energy|Demand|Industry`` (by sector), ``Indirect Emissions|CO2|…``
(purchased electricity and heat, kept apart from the direct totals),
``Emissions|Kyoto Gases (AR5-GWP100)`` in Mt CO2-equiv/yr. CO2 is in Mt, every other
substance in kt.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from xietong.accounting.factors import GWPSet
from xietong.accounting.inventory import Inventory
from xietong.accounting.methods.base import GHGS

MODEL = "xietong"
SCENARIO = "inventory"
IAMC_COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]

SECTOR_VARIABLE = {
    "energy_industries": "Energy|Supply",
    "industry": "Energy|Demand|Industry",
    "buildings": "Energy|Demand|Residential and Commercial",
    "transport": "Energy|Demand|Transportation",
    "industrial_processes": "Industrial Processes",
    "agriculture": "AFOLU|Agriculture",
    "forestry": "AFOLU|Land",
    "waste": "Waste|Solid Waste",
    "wastewater": "Waste|Wastewater",
}
"""IAMC sub-category of each sector code (``data/accounting/sectors.csv``)."""

SUBSTANCE_NAME = {"VOCs": "VOC", "HFC-134a": "HFC|HFC134a", "CF4": "PFC|CF4"}
"""IAMC names of substances whose xietong name differs."""


def _unit(substance: str) -> tuple[str, float]:
    """The IAMC unit of a substance and the factor from tonnes to it."""
    name = SUBSTANCE_NAME.get(substance, substance).split("|")[-1]
    if substance == "CO2":
        return "Mt CO2/yr", 1e-6
    return f"kt {name}/yr", 1e-3


def iamc_frame(
    inv: Inventory, gwp: GWPSet, region: str = "Wuhan", scenario: str = SCENARIO
) -> pd.DataFrame:
    """The inventory as a long IAMC table: per year, each substance's direct total and its
    sectors, indirect CO2 by sector, and the Kyoto gases in CO2e under ``gwp``; ``scenario``
    names the IAMC scenario (``inventory`` for the historical inventory, a scenario id for a
    projection)."""
    df = inv.table()
    rows: list[dict[str, Any]] = []

    def add(variable: str, unit: str, year: int, value: float) -> None:
        rows.append({"variable": variable, "unit": unit, "year": int(year), "value": value})

    for scope, top in (("direct", "Emissions"), ("indirect", "Indirect Emissions")):
        part = df[df["scope"] == scope]
        totals = pd.DataFrame(part.groupby(["substance", "year"], as_index=False)["value"].sum())
        for substance, year, value in zip(
            totals["substance"], totals["year"], totals["value"], strict=True
        ):
            unit, k = _unit(str(substance))
            base = f"{top}|{SUBSTANCE_NAME.get(str(substance), str(substance))}"
            add(base, unit, int(year), float(value) * k)
        sectors = pd.DataFrame(
            part.groupby(["substance", "sector", "year"], as_index=False)["value"].sum()
        )
        for substance, sector, year, value in zip(
            sectors["substance"], sectors["sector"], sectors["year"], sectors["value"], strict=True
        ):
            unit, k = _unit(str(substance))
            base = f"{top}|{SUBSTANCE_NAME.get(str(substance), str(substance))}"
            variable = f"{base}|{SECTOR_VARIABLE.get(str(sector), str(sector))}"
            add(variable, unit, int(year), float(value) * k)
    kyoto = f"Emissions|Kyoto Gases ({gwp.name}-GWP100)"
    direct = df[(df["scope"] == "direct") & df["substance"].isin(GHGS)]
    if not direct.empty:
        co2e = inv.co2e(gwp, ["year"])
        for year, value in zip(co2e["year"], co2e["co2e"], strict=True):
            add(kyoto, "Mt CO2-equiv/yr", int(year), float(value) * 1e-6)
        by_sector = inv.co2e(gwp, ["sector", "year"])
        for sector, year, value in zip(
            by_sector["sector"], by_sector["year"], by_sector["co2e"], strict=True
        ):
            variable = f"{kyoto}|{SECTOR_VARIABLE.get(str(sector), str(sector))}"
            add(variable, "Mt CO2-equiv/yr", int(year), float(value) * 1e-6)
    out = pd.DataFrame(rows, columns=["variable", "unit", "year", "value"])
    out.insert(0, "region", region)
    out.insert(0, "scenario", scenario)
    out.insert(0, "model", MODEL)
    return out.sort_values(["variable", "year"]).reset_index(drop=True)[IAMC_COLUMNS]


def scenarios_frame(
    inventories: dict[str, Inventory], gwp: GWPSet, region: str = "Wuhan"
) -> pd.DataFrame:
    """Projected inventories of several scenarios (id → inventory) as one IAMC table."""
    frames = [iamc_frame(inv, gwp, region, scenario) for scenario, inv in inventories.items()]
    return pd.concat(frames, ignore_index=True)[IAMC_COLUMNS]


@contextmanager
def quiet_pyam() -> Iterator[Any]:
    """Import pyam (slow: import it only when needed) with its and its dependencies'
    deprecation warnings silenced: they are about pyam's code, not ours."""
    with warnings.catch_warnings():
        for module in ("pyam", "ixmp4", "toolkit", "pandas", "sqlalchemy"):
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=module)
            warnings.filterwarnings("ignore", category=FutureWarning, module=module)
        warnings.filterwarnings("ignore", module=r"(pyam|ixmp4|toolkit)(\.|$)")
        import pyam  # type: ignore[import-untyped]

        yield pyam


def write_iamc(path: Path, frame: pd.DataFrame, *, meta: dict[str, str] | None = None) -> int:
    """Write an IAMC table to ``path`` (.xlsx or .csv) with pyam; returns the number of
    variables. ``meta`` (e.g. GWP, factor editions, xietong version) goes to the meta sheet of
    an .xlsx."""
    with quiet_pyam() as pyam:
        data = pyam.IamDataFrame(frame)
        for key, value in (meta or {}).items():
            data.set_meta(value, key)
        if path.suffix.lower() == ".csv":
            data.to_csv(path)
        else:
            data.to_excel(path)
        return len(data.variable)


def read_iamc(path: Path) -> pd.DataFrame:
    """An IAMC file read back and checked by pyam, as a long table (:data:`IAMC_COLUMNS`).

    A .csv is read by pyam itself; the data sheet of an .xlsx is read with openpyxl and handed
    to pyam (pyam's own Excel reader leaves the file open)."""
    with quiet_pyam() as pyam:
        if path.suffix.lower() == ".csv":
            data = pyam.IamDataFrame(path)
        else:
            data = pyam.IamDataFrame(pd.read_excel(path, sheet_name="data", engine="openpyxl"))
        return pd.DataFrame(data.data)[IAMC_COLUMNS]
