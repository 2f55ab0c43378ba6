"""Peak year, peak value and plateau of an emission series (documented rule).

- **Peak**: the year of the highest value (the earliest if tied).
- **Peaked by year Y**: the peak year is ≤ Y and no later value exceeds the peak.
- **Plateau**: the contiguous years around the peak whose values stay within ``band``
  (default 2 %) of the peak value; a series that rises to the last year has
  ``peaked_in_series = False`` (the peak may lie after the horizon).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

PLATEAU_BAND = 0.02


@dataclass(frozen=True)
class Peak:
    """Peak year and value, plateau years, and whether the series turns down in the horizon."""

    year: int
    value: float
    plateau_start: int
    plateau_end: int
    peaked_in_series: bool

    def peaked_by(self, year: int) -> bool:
        """Whether the series has peaked by ``year`` (and stays below the peak after)."""
        return self.peaked_in_series and self.year <= year


def find_peak(series: Mapping[int, float], band: float = PLATEAU_BAND) -> Peak:
    """The peak of a yearly series (years need not start at any particular year).

    >>> find_peak({2020: 1.0, 2021: 3.0, 2022: 2.99, 2023: 2.0})
    Peak(year=2021, value=3.0, plateau_start=2021, plateau_end=2022, peaked_in_series=True)
    """
    if not series:
        raise ValueError("an empty series has no peak")
    years = sorted(series)
    peak_year = max(years, key=lambda y: (series[y], -y))
    value = series[peak_year]
    floor = value - abs(value) * band
    i = years.index(peak_year)
    lo = hi = i
    while lo > 0 and series[years[lo - 1]] >= floor:
        lo -= 1
    while hi < len(years) - 1 and series[years[hi + 1]] >= floor:
        hi += 1
    turned = peak_year < years[-1] and series[years[-1]] < floor
    return Peak(peak_year, value, years[lo], years[hi], turned)
