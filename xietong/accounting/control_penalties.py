"""The CO2 that end-of-pipe controls add (co-control analysis shows it), as data in
``data/accounting/control_penalties.csv`` with their sources:

- **reagent**: the carbonate or urea a control consumes releases CO2 in proportion to the
  pollutant it removes (limestone in wet FGD, ``CaCO3 + SO2 + ½O2 → CaSO4 + CO2``; urea in SCR
  and SNCR, ``CO(NH2)2 + 2NO + ½O2 → 2N2 + CO2 + 2H2O``):
  ``CO2 = t CO2 per t removed × (uncontrolled − controlled)`` of that pollutant, both computed
  by the engine's own method for the row without and with its control. The inventory counts
  it (:func:`reagent_emissions`, added to each controlled row's template), as the power-sector
  accounting guideline counts 脱硫过程排放;
- **electricity**: the power a control draws (FGD pumps, the fans' extra pressure drop, the
  steam that reheats flue gas for a tail-end SCR), in kWh per unit of the activity. The
  inventory does **not** add it: a plant's own use is already in the fuel it burns for the
  power it sends out, and a boiler's FGD power in the electricity its owner buys. A measure,
  which compares a row with and without its control, counts it as purchased electricity
  (:mod:`xietong.synergy.penalties`).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from xietong.accounting.activity import Activity
from xietong.accounting.methods import METHODS
from xietong.accounting.methods.base import Context, Emission, Term, product
from xietong.datafiles import data_path


@dataclass(frozen=True)
class Penalty:
    """One penalty of a control on an activity: ``electricity`` (``value`` in kWh per unit of
    the activity) or ``reagent`` (t CO2 per t of ``pollutant`` removed), with its source."""

    control: str
    activity: str
    kind: str
    value: float
    unit: str
    pollutant: str
    source: str
    verified: bool


@cache
def load_penalties(path: Path | None = None) -> tuple[Penalty, ...]:
    """The penalties file (default: the shipped one)."""
    file = path or data_path("accounting", "control_penalties.csv")
    with file.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Penalty(
                r["control"],
                r["activity"],
                r["kind"],
                float(r["value"]),
                r["unit"],
                r["pollutant"],
                r["source"],
                r["verified"].strip().lower() == "yes",
            )
            for r in csv.DictReader(fh)
        )


def penalties_of(
    act: Activity, kind: str, penalties: Sequence[Penalty] | None = None
) -> list[Penalty]:
    """The penalties of ``kind`` of the row's control on its activity (none without one)."""
    if not act.control:
        return []
    return [
        p
        for p in (penalties if penalties is not None else load_penalties())
        if p.kind == kind and p.control == act.control and p.activity == act.activity
    ]


def reagent_emissions(
    act: Activity,
    ctx: Context,
    emitted: Sequence[Emission] | None = None,
    penalties: Sequence[Penalty] | None = None,
) -> list[Emission]:
    """The reagent CO2 (t) of the row's control (module docstring): ``activity × pollutant
    removed per unit × t CO2 per t removed``. ``emitted``: the row's own emissions where the
    caller has them (else computed)."""
    found = penalties_of(act, "reagent", penalties)
    if not found or act.amount == 0:
        return []
    method = METHODS[act.kind.method]
    own = emitted if emitted is not None else method(act, ctx)
    bare = method(replace(act, control=""), ctx)
    out = []
    for p in found:
        removed = max(_tonnes(bare, p.pollutant) - _tonnes(own, p.pollutant), 0.0)
        terms = [
            Term("activity", act.amount, act.unit),
            Term(
                f"{p.pollutant} removed",
                removed / act.amount,
                f"t / ({act.unit})",
                None,
                f"the engine's {p.pollutant} of the row without and with control {act.control}",
                False,
            ),
            Term(f"CO2 per t {p.pollutant} removed", p.value, p.unit, None, p.source),
        ]
        out.append(product("CO2", f"control-reagent-{act.control}", terms))
    return out


def _tonnes(emissions: Sequence[Emission], substance: str) -> float:
    return sum(e.tonnes for e in emissions if e.substance == substance)
