"""Air- and water-pollutant equivalents (污染当量) from China's pollution-equivalent values
(中华人民共和国环境保护税法 附表二; VOCs from the 2015 pilot charge rules), kept in
``data/synergy/pollution_equivalents.csv`` with alternative weight sets.

- pollution equivalents ``N = Σ_j E_j / PEV_j`` (E in kg, PEV in kg per equivalent);
- APeq in tonnes of SO2-equivalent ``APeq = Σ_j E_j × PEV_SO2 / PEV_j`` (SO2 = NOx = 1).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache

from xietong.datafiles import data_path

AIR = ("SO2", "NOx", "CO", "PM10", "NH3", "VOCs")
WATER = ("COD", "NH3-N", "TP")


@cache
def _table() -> dict[str, dict[str, float]]:
    path = data_path("synergy", "pollution_equivalents.csv")
    table: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            table.setdefault(r["set"], {})[r["substance"]] = float(r["kg_per_equivalent"])
    return table


def weight_sets() -> list[str]:
    """Names of the weight sets in the data file (``equal_mass``, ``tax``), sorted."""
    return sorted(_table())


def weights(weight_set: str = "tax") -> dict[str, float]:
    """kg per pollution equivalent of each substance in ``weight_set`` (``tax``,
    ``equal_mass``); KeyError names the sets when the set is unknown."""
    table = _table()
    if weight_set not in table:
        raise KeyError(f"unknown weight set '{weight_set}' (one of {', '.join(sorted(table))})")
    return table[weight_set]


def pollution_equivalents(tonnes: Mapping[str, float], weight_set: str = "tax") -> float:
    """Number of pollution equivalents of emissions given in tonnes by substance (substances
    without a weight are ignored)."""
    w = weights(weight_set)
    return sum(t * 1000 / w[s] for s, t in tonnes.items() if s in w)


def apeq(tonnes: Mapping[str, float], weight_set: str = "tax") -> float:
    """Air-pollutant equivalent in t SO2-eq: Σ E_j × PEV_SO2 / PEV_j over the air pollutants.

    >>> round(apeq({"SO2": 1.0, "NOx": 1.0, "CO": 16.7}), 6)
    2.95
    """
    w = weights(weight_set)
    return sum(t * w["SO2"] / w[s] for s, t in tonnes.items() if s in AIR and s in w)
