"""The side effects of end-of-pipe controls on CO2 (co-control analysis shows them): the
electricity the control draws (fans, FGD pumps) and the CO2 of its reagent (limestone in wet
FGD, urea in SNCR), as data in ``data/synergy/control_penalties.csv`` with their sources.

For an activity row with a control that has penalties:

- electricity: ``amount × kWh per unit``, counted as purchased electricity by the accounting
  engine (indirect CO2 at the build's grid factor);
- reagent: ``t CO2 per t of pollutant removed × (uncontrolled − controlled)`` of that
  pollutant, both computed by the engine's method for the row with and without its control.

So a measure that swaps wet FGD for the ULE bundle, or adds SNCR, shows the small CO2 it adds
beside the pollutants it removes. The inventory's totals do not include these penalties yet.
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
from xietong.units import Q_


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
    file = path or data_path("synergy", "control_penalties.csv")
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


def penalty_emissions(
    act: Activity,
    ctx: Context,
    emitted: Sequence[Emission] | None = None,
    penalties: Sequence[Penalty] | None = None,
) -> list[Emission]:
    """The CO2 (t) the row's control adds (module docstring); none without a penalty.
    ``emitted``: the row's own emissions where the caller has them (else computed)."""
    out: list[Emission] = []
    for p in penalties if penalties is not None else load_penalties():
        if p.control != act.control or p.activity != act.activity:
            continue
        if p.kind == "electricity":
            kwh = (act.quantity * Q_(p.value, p.unit)).to("kWh").magnitude
            power = replace(act, activity="electricity", amount=float(kwh), unit="kWh", control="")
            out.extend(METHODS[power.kind.method](power, ctx))
        elif p.kind == "reagent":
            method = METHODS[act.kind.method]
            own = emitted if emitted is not None else method(act, ctx)
            controlled = _tonnes(own, p.pollutant)
            uncontrolled = _tonnes(method(replace(act, control=""), ctx), p.pollutant)
            removed = Term(
                f"{p.pollutant} removed",
                max(uncontrolled - controlled, 0.0),
                "t",
                None,
                f"the engine's {p.pollutant} of the row without and with control {act.control}",
                False,
            )
            rate = Term(f"CO2 per t {p.pollutant} removed", p.value, p.unit, None, p.source)
            out.append(product("CO2", f"control-reagent-{act.control}", [removed, rate]))
    return out


def _tonnes(emissions: Sequence[Emission], substance: str) -> float:
    return sum(e.tonnes for e in emissions if e.substance == substance)
