"""Solid waste (IPCC 2006 Vol.5).

Landfill CH4 by first-order decay (Ch.3 Eq.3.4–3.6, deposits counted at year end, so decay
starts the next year): ``DDOCm = W × DOC × DOCf × MCF``; ``DDOCma_T = DDOCmd_T +
DDOCma_{T−1} × e^{−k}``; ``decomposed_T = DDOCma_{T−1} × (1 − e^{−k})``;
``CH4_T = decomposed_T × F × 16/12 × (1 − OX)``. Deposits before the first year of data are
back-cast at the first year's amount for ``Context.landfill_history_years`` years (an
estimate, recorded in the trace). Incineration fossil CO2 ``W × dm × CF × FCF × OF × 44/12``
(Ch.5 Eq.5.2), CH4 and N2O ``W × EF``; composting CH4 and N2O ``W × EF`` (Ch.4 Table 4.1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from xietong.accounting.activity import Activity
from xietong.accounting.factors import FactorError
from xietong.accounting.methods.base import (
    Context,
    Emission,
    Term,
    activity_term,
    constant,
    one_minus,
    product,
)
from xietong.accounting.methods.processes import by_factor

C_TO_CH4 = constant("16/12", 16.0 / 12.0, source="molar mass ratio CH4/C")
C_TO_CO2 = constant("44/12", 44.0 / 12.0, source="molar mass ratio CO2/C")
INCINERATION_POLLUTANTS = ("NOx", "SO2", "PM10", "PM2.5", "CO")


def landfill_fod(series: Sequence[Activity], ctx: Context) -> list[tuple[Activity, Emission]]:
    """CH4 (t) of each year of one landfill series (same district and technology, consecutive
    years) by first-order decay; returns (activity of the year, emission) pairs."""
    acts = sorted(series, key=lambda a: a.year)
    years = [a.year for a in acts]
    if years != list(range(years[0], years[0] + len(years))):
        raise FactorError(f"landfill series {years[0]}–{years[-1]} has missing years")
    first = acts[0]
    doc, docf, mcf, f = (ctx.term(p, first) for p in ("DOC", "DOCf", "MCF", "F"))
    ox = one_minus(ctx.term("OX", first))
    k_term = ctx.term("k", first)
    k = float(k_term.quantity.to("1 / year").magnitude)
    share = float((doc.quantity * docf.quantity * mcf.quantity).to("dimensionless").magnitude)
    history = ctx.landfill_history_years
    w_first = float(first.quantity.to("t").magnitude)
    deposits = [w_first] * history + [float(a.quantity.to("t").magnitude) for a in acts]
    decay = math.exp(-k)
    stock = 0.0
    decomposed: list[float] = []
    for w in deposits:
        decomposed.append(stock * (1 - decay))
        stock = stock * decay + w * share
    out: list[tuple[Activity, Emission]] = []
    for i, act in enumerate(acts):
        carbon = decomposed[history + i]
        tonnes = carbon * float(f.quantity.to("dimensionless").magnitude) * 16 / 12 * ox.value
        terms = (
            activity_term(act),
            doc,
            docf,
            mcf,
            f,
            Term("k", k_term.value, k_term.unit, k_term.factor_id, k_term.source, False),
            ox,
            C_TO_CH4,
            Term("DDOCm decomposed", carbon, "t", None, "first-order decay of the series", False),
            Term(
                "back-cast years",
                history,
                "dimensionless",
                None,
                "deposits before the first year = first year's amount (estimate)",
                False,
                0.0,
            ),
        )
        formula = (
            f"Σ W_y × {doc.shown()} × {docf.shown()} × {mcf.shown()} decaying at k = "
            f"{k_term.shown()} → {carbon:,.6g} t DDOCm decomposed × {f.shown()} × 16/12 × "
            f"{ox.shown()} (W {act.year} = {act.amount:,.6g} {act.unit}; {history} back-cast years)"
        )
        out.append((act, Emission("CH4", tonnes, "ipcc-2006-fod", formula, terms)))
    return out


def incineration(act: Activity, ctx: Context) -> list[Emission]:
    """Fossil CO2, CH4, N2O and air pollutants (t) of waste incinerated."""
    w = activity_term(act)
    co2 = product(
        "CO2",
        "ipcc-2006-incineration",
        [w, *(ctx.term(p, act) for p in ("dm", "CF", "FCF", "OF")), C_TO_CO2],
    )
    return [
        co2,
        *by_factor(act, ctx, "ipcc-2006-incineration", ["CH4", "N2O"], INCINERATION_POLLUTANTS),
    ]


def composting(act: Activity, ctx: Context) -> list[Emission]:
    """CH4, N2O and NH3 (t) of waste composted."""
    return by_factor(act, ctx, "ipcc-2006-composting", ["CH4", "N2O"], ["NH3"])
