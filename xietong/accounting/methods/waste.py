"""Solid waste (IPCC 2006 Vol.5).

Landfill CH4 by first-order decay (Ch.3 Eq.3.4–3.6, deposits counted at year end, so decay
starts the next year): ``DDOCm = W × DOC × DOCf × MCF``; ``DDOCma_T = DDOCmd_T +
DDOCma_{T−1} × e^{−k}``; ``decomposed_T = DDOCma_{T−1} × (1 − e^{−k})``;
``CH4_T = decomposed_T × F × 16/12 × (1 − OX)``. Deposits before the first year of data, for
``Context.landfill_history_years`` years, are back-cast as population × waste per capita ×
landfilled share where the first row gives the growth rates and shares (``_history``), else
at the first year's amount (an estimate either way; the trace says which). Incineration
fossil CO2 ``W × dm × CF × FCF × OF × 44/12`` (Ch.5 Eq.5.2), CH4 and N2O ``W × EF``;
composting CH4 and N2O ``W × EF``; sewage sludge composted or digested ``M × EF`` (Ch.4
Table 4.1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pint

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
from xietong.errors import UnitError

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
    earlier, backcast = _history(first, history)
    deposits = earlier + [float(a.quantity.to("t").magnitude) for a in acts]
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
            Term("back-cast years", history, "dimensionless", None, backcast, False, 0.0),
        )
        formula = (
            f"Σ W_y × {doc.shown()} × {docf.shown()} × {mcf.shown()} decaying at k = "
            f"{k_term.shown()} → {carbon:,.6g} t DDOCm decomposed × {f.shown()} × 16/12 × "
            f"{ox.shown()} (W {act.year} = {act.amount:,.6g} {act.unit}; {history} back-cast "
            f"years: {backcast})"
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


def sludge_treatment(act: Activity, ctx: Context) -> list[Emission]:
    """CH4 (and N2O where a factor applies) of sewage sludge treated biologically, IPCC 2006
    Vol.5 Ch.4 Eq. 4.1, 4.2 (which the 2019 Refinement keeps for sludge: Vol.5 Ch.6 sends
    sludge composted or digested to Ch.4): ``E = M × EF`` by treatment (``technology``
    ``composting`` or ``anaerobic_digestion``), ``M`` the wet sludge treated."""
    return by_factor(act, ctx, "ipcc-2006-biological-treatment", ["CH4"], ["N2O"])


BACKCAST_PARAMETERS = (
    "backcast_population_growth",
    "backcast_waste_growth",
    "backcast_landfill_share",
)
"""Row parameters of the first year of a landfill series that back-cast its earlier deposits
as population × waste per capita × landfilled share."""


def _rate(act: Activity, name: str) -> float:
    """A yearly growth rate given as a row parameter (``1.8 percent`` or ``0.018 / year``);
    0 where the row gives none."""
    q = act.parameter(name)
    if q is None:
        return 0.0
    try:
        return float(q.to("dimensionless").magnitude)
    except pint.DimensionalityError:
        return float(q.to("1 / year").magnitude)


def _share(act: Activity, name: str) -> float:
    q = act.parameter(name)
    assert q is not None
    x = float(q.to("dimensionless").magnitude)
    if not 0 < x <= 1:
        raise UnitError(f"landfill: {name} {x:g} is not a share in (0, 1]")
    return x


def _history(first: Activity, years: int) -> tuple[list[float], str]:
    """The deposits (t) of the ``years`` years before the series' first year, oldest first,
    and how they were made (for the trace).

    Without back-cast parameters on the first row: the first year's amount each year (an
    estimate). With them: ``W_{T0−n} = P_{T0−n} × w_{T0−n} × s_{T0−n}`` where population and
    waste per capita grew at the constant yearly rates ``backcast_population_growth`` (p) and
    ``backcast_waste_growth`` (g) up to the first year, so that
    ``W_{T0−n} = W_{T0} × ((1 + p)(1 + g))^−n × s_{T0−n} / s_{T0}``; the landfilled share
    ``s`` is the first year's (``landfill_share``) from ``backcast_share_year`` on and
    ``backcast_landfill_share`` before it (both needed where a historical share is given)."""
    w0 = float(first.quantity.to("t").magnitude)
    if all(first.parameter(n) is None for n in BACKCAST_PARAMETERS):
        return [w0] * years, "deposits before the first year = first year's amount (estimate)"
    p = _rate(first, "backcast_population_growth")
    g = _rate(first, "backcast_waste_growth")
    growth = (1 + p) * (1 + g)
    if growth <= 0:
        raise UnitError("landfill: back-cast growth rates give a non-positive factor")
    ratio, until = 1.0, None
    how_share = "landfilled share as in the first year"
    if first.parameter("backcast_landfill_share") is not None:
        if first.parameter("landfill_share") is None:
            raise UnitError(
                "landfill: backcast_landfill_share needs the first year's landfill_share"
            )
        s_hist = _share(first, "backcast_landfill_share")
        s0 = _share(first, "landfill_share")
        ratio = s_hist / s0
        y = first.parameter("backcast_share_year")
        until = round(float(y.to("dimensionless").magnitude)) if y is not None else None
        how_share = f"landfilled share {s_hist:g} (first year {s0:g})" + (
            f" before {until}, the first year's from {until} on" if until is not None else ""
        )
    deposits = []
    for n in range(years, 0, -1):
        year = first.year - n
        scale = ratio if until is None or year < until else 1.0
        deposits.append(w0 * growth**-n * scale)
    how = (
        f"deposits before {first.year} back-cast as population × waste per capita × landfilled "
        f"share: population growing {p:.4g}/yr, waste per capita {g:.4g}/yr up to {first.year}, "
        f"{how_share} (estimate)"
    )
    return deposits, how
