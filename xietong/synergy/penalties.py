"""The side effects of end-of-pipe controls on CO2 that a measure shows: the electricity the
control draws (fans, FGD pumps, flue-gas reheating for a tail-end SCR) and the CO2 of its
reagent (limestone in wet FGD, urea in SCR and SNCR), from the data and the reagent formula of
:mod:`xietong.accounting.control_penalties` (``data/accounting/control_penalties.csv``).

For an activity row with a control that has penalties:

- electricity: ``amount × kWh per unit``, counted as purchased electricity by the accounting
  engine (indirect CO2 at the build's grid factor);
- reagent: :func:`xietong.accounting.control_penalties.reagent_emissions`.

So a measure that swaps wet FGD for the ULE bundle, or adds SNCR, shows the small CO2 it adds
beside the pollutants it removes. The inventory counts the reagent CO2 of every controlled row
(the electricity is already in its activity data: see the accounting module).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from xietong.accounting.activity import Activity
from xietong.accounting.control_penalties import (
    Penalty,
    load_penalties,
    penalties_of,
    reagent_emissions,
)
from xietong.accounting.methods import METHODS
from xietong.accounting.methods.base import Context, Emission
from xietong.units import Q_

__all__ = ["Penalty", "load_penalties", "penalty_emissions"]


def penalty_emissions(
    act: Activity,
    ctx: Context,
    emitted: Sequence[Emission] | None = None,
    penalties: Sequence[Penalty] | None = None,
) -> list[Emission]:
    """The CO2 (t) the row's control adds (module docstring); none without a penalty.
    ``emitted``: the row's own emissions where the caller has them (else computed)."""
    out: list[Emission] = []
    for p in penalties_of(act, "electricity", penalties):
        kwh = (act.quantity * Q_(p.value, p.unit)).to("kWh").magnitude
        power = replace(act, activity="electricity", amount=float(kwh), unit="kWh", control="")
        out.extend(METHODS[power.kind.method](power, ctx))
    out.extend(reagent_emissions(act, ctx, emitted, penalties))
    return out
