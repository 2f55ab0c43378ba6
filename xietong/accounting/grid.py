"""The grid factor of purchased electricity by year: which published factor each year uses.

MEE/NBS publish provincial and regional factors for some data years only (2021 and 2022 in the
shipped ``grid.csv``). A year with its own factor uses it; another year takes the nearest
published one by the library's vintage rule (the latest not after the year, else the earliest
after it), and is marked a stand-in so that every page can say so: the 2021 factor is never
used for 2015–2020 without saying it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from xietong.accounting.factors import FactorLibrary
from xietong.accounting.grid_regions import REGIONS as REGIONS
from xietong.units import unit_quantity


@dataclass(frozen=True)
class GridYear:
    """The factor a year's electricity is counted with: its id, the data year it was published
    for, its value in t CO2 per MWh, and whether it stands in for an unpublished year."""

    year: int
    region: str
    factor_id: str
    factor_year: int | None
    t_per_mwh: float
    edition: str

    @property
    def stand_in(self) -> bool:
        """The factor was published for another year than this one."""
        return self.factor_year != self.year


def grid_years(
    library: FactorLibrary,
    region: str,
    years: Iterable[int],
    editions: tuple[str, ...] | None = None,
) -> list[GridYear]:
    """The grid factor of ``region`` for each of ``years`` (FactorError where the library has
    none for the region)."""
    return [grid_year(library, region, year, editions) for year in sorted(set(years))]


def grid_year(
    library: FactorLibrary, region: str, year: int, editions: tuple[str, ...] | None = None
) -> GridYear:
    """The grid factor of ``region`` for ``year`` (FactorError where the library has none)."""
    f = library.select(
        "CO2", editions=editions, year=year, fuel="electricity", region=region
    ).factor
    value = float((f.value * unit_quantity(f.unit)).to("t / MWh").magnitude)
    return GridYear(year, region, f.id, f.year, value, f.edition)
