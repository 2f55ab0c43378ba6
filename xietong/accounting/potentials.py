"""The global warming potential of an emission row (t CO2e per t of gas, GWP100).

Every gas takes its set's GWP100 (``data/factors/gwp.csv``), except methane where the set
gives a fossil and a non-fossil value: IPCC AR6 WG1 (2021) Table 7.15 gives 29.8 for fossil
methane (its value includes the CO2 of its oxidation) and 27.0 for non-fossil (biogenic)
methane. The origin of a row's methane is its activity's (``ch4_origin`` in
``data/accounting/activities.csv``): fossil for fuel combustion, transport, fugitive and
process methane; non-fossil for landfill, rice, livestock (enteric and manure), wastewater,
composting, incineration of (mostly biogenic) waste and biomass. A set with one methane value
(AR4 25; AR5 28, whose fossil 30 stands without a non-fossil value in Table 8.A.1) uses it for
every row, as national inventories under these sets do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xietong.accounting.activity import catalogue
from xietong.accounting.factors import GWPSet
from xietong.accounting.methods.base import GHGS

ORIGINS = ("fossil", "nonfossil")


def splits_methane(gwp: GWPSet) -> bool:
    """Whether ``gwp`` gives methane a fossil and a non-fossil value (AR6)."""
    return all(f"CH4_{o}" in gwp.values for o in ORIGINS)


def potential(gwp: GWPSet, substance: str, activity: str | None = None) -> float:
    """The GWP100 of ``substance`` emitted by ``activity`` (an activity code) under ``gwp``.

    >>> from xietong.accounting.factors import load_gwp
    >>> ar6 = load_gwp("AR6")
    >>> potential(ar6, "CH4", "natural_gas"), potential(ar6, "CH4", "rice_area")
    (29.8, 27.0)
    >>> potential(load_gwp("AR5"), "CH4", "natural_gas"), potential(ar6, "N2O", "rice_area")
    (28.0, 273.0)
    """
    if substance == "CH4" and activity is not None and splits_methane(gwp):
        kind = catalogue().get(activity)
        if kind is not None and kind.ch4_origin in ORIGINS:
            return gwp[f"CH4_{kind.ch4_origin}"]
    return gwp[substance]


def potentials(gwp: GWPSet) -> pd.DataFrame:
    """The GWP100 of every greenhouse gas by every activity code: columns ``substance``,
    ``activity`` and ``gwp``, to join emission rows on both."""
    codes = list(catalogue())
    return pd.DataFrame(
        [(s, a, potential(gwp, s, a)) for s in GHGS for a in codes],
        columns=["substance", "activity", "gwp"],
    )


def row_potentials(gwp: GWPSet, substances: pd.Series, activities: pd.Series) -> np.ndarray:
    """The GWP100 of each emission row (0 for a row that is not a greenhouse gas)."""
    table = potentials(gwp).set_index(["substance", "activity"])["gwp"]
    keys = pd.MultiIndex.from_arrays([substances.astype(str), activities.astype(str)])
    return table.reindex(keys).fillna(0.0).to_numpy(dtype=float)
