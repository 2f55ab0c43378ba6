"""The environmental protection tax (环境保护税) on air and water pollutants, CNY per year.

中华人民共和国环境保护税法 (in force 2018-01-01): the tax of a pollutant is its pollution
equivalents (kg emitted / the pollutant's 污染当量值, 附表二: ``data/synergy/
pollution_equivalents.csv``, set ``tax``) × the province's rate per equivalent (第六条, within
附表一's range; ``data/synergy/env_tax_rates.csv``, e.g. Hubei: SO2 and NOx 2.4 CNY, other air
pollutants 1.2; COD, NH3-N, TP and the five heavy metals 2.8, other water pollutants 1.4).
第九条: at each outlet the air pollutants are ranked by equivalents and the first three are
taxed; of the water pollutants the first five of class 1 (heavy metals) and the first three of
the others (``data/synergy/env_tax_rules.csv``). An enterprise's tax is the sum over its outlets.

>>> rates = load_tax_rates("hubei")
>>> t = outlet_tax({"SO2": 10.0, "NOx": 20.0, "PM10": 5.0, "CO": 3.0}, "air", rates)
>>> [(line.substance, round(line.equivalents), line.taxed) for line in t.lines]
[('NOx', 21053, True), ('SO2', 10526, True), ('PM10', 2294, True), ('CO', 180, False)]
>>> round(t.total, 2)
78541.77
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from xietong.datafiles import data_path
from xietong.synergy.equivalents import weights

AIR = ("SO2", "NOx", "PM10", "CO", "NH3", "VOCs")
"""The inventory's taxable air pollutants (PM10 is taxed as 烟尘; PM2.5 is within it)."""


@dataclass(frozen=True)
class TaxRule:
    """环境保护税法 第九条 for one kind of pollutant: how many of an outlet's are taxed."""

    kind: str
    medium: str
    first_n: int
    substances: frozenset[str]


@cache
def tax_rules() -> dict[str, TaxRule]:
    """The first-N rules by kind (``air``, ``water_class1``: the heavy metals, ``water``: the
    other water pollutants), from ``data/synergy/env_tax_rules.csv``."""
    with data_path("synergy", "env_tax_rules.csv").open(encoding="utf-8", newline="") as fh:
        return {
            r["kind"]: TaxRule(
                r["kind"],
                r["medium"],
                int(r["first_n"]),
                frozenset(x.strip() for x in r["substances"].split(";") if x.strip()),
            )
            for r in csv.DictReader(fh)
        }


def _kind(medium: str, substance: str) -> str:
    """The rule a pollutant of ``medium`` is counted under."""
    if medium == "air":
        return "air"
    return "water_class1" if substance in tax_rules()["water_class1"].substances else "water"


@dataclass(frozen=True)
class TaxRates:
    """A province's rates (CNY per pollution equivalent) by medium and substance, with the
    legal source of each."""

    province: str
    rates: Mapping[tuple[str, str], float]
    sources: Mapping[tuple[str, str], str]

    def rate(self, medium: str, substance: str) -> float:
        """The rate for ``substance`` in ``medium`` (``air`` / ``water``): its own, else the
        medium's rate for every other pollutant (``*``); KeyError if the province has none."""
        found = self.rates.get((medium, substance), self.rates.get((medium, "*")))
        if found is None:
            raise KeyError(f"{self.province}: no {medium} tax rate for {substance}")
        return found


@cache
def load_tax_rates(province: str) -> TaxRates:
    """The rates of ``province`` from ``data/synergy/env_tax_rates.csv``; KeyError names the
    provinces there when it has none."""
    rates: dict[tuple[str, str], float] = {}
    sources: dict[tuple[str, str], str] = {}
    known: set[str] = set()
    with data_path("synergy", "env_tax_rates.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            known.add(row["province"])
            if row["province"] != province:
                continue
            for substance in row["substances"].split(";"):
                key = (row["medium"], substance.strip())
                rates[key] = float(row["cny_per_equivalent"])
                sources[key] = row["legal_source"]
    if not rates:
        raise KeyError(
            f"no environmental tax rates for '{province}' (have {', '.join(sorted(known))})"
        )
    return TaxRates(province, rates, sources)


def pollution_equivalents(substance: str, tonnes: float) -> float:
    """Pollution equivalents of ``tonnes`` of ``substance``: kg / 污染当量值 (附表二)."""
    return tonnes * 1000.0 / weights("tax")[substance]


@dataclass(frozen=True)
class TaxLine:
    """One pollutant of an outlet: tonnes, equivalents, the rate (CNY per equivalent), whether
    第九条 taxes it, and its tax (CNY; 0 where it is not taxed)."""

    substance: str
    tonnes: float
    equivalents: float
    rate: float
    taxed: bool
    tax: float


@dataclass(frozen=True)
class OutletTax:
    """The tax of one outlet (or of one measure's reductions, taken as one outlet)."""

    medium: str
    lines: tuple[TaxLine, ...]

    @property
    def total(self) -> float:
        """CNY per year."""
        return sum(line.tax for line in self.lines)


def outlet_tax(tonnes: Mapping[str, float], medium: str, rates: TaxRates) -> OutletTax:
    """The tax of the pollutants an outlet emits in a year (``tonnes`` by substance; those
    without a 污染当量值 are not taxable and left out), ranked by equivalents, the first three
    (air; water: five of class 1 and three of the others) taxed (环境保护税法 第九条)."""
    table = weights("tax")
    wanted = AIR if medium == "air" else tuple(s for s in table if s not in AIR)
    ranked = sorted(
        (
            (s, t, pollution_equivalents(s, t))
            for s, t in tonnes.items()
            if s in wanted and s in table and t > 0
        ),
        key=lambda x: -x[2],
    )
    lines: list[TaxLine] = []
    counts: dict[str, int] = {}
    for substance, t, eq in ranked:
        kind = _kind(medium, substance)
        counts[kind] = counts.get(kind, 0) + 1
        taxed = counts[kind] <= tax_rules()[kind].first_n
        rate = rates.rate(medium, substance)
        lines.append(TaxLine(substance, t, eq, rate, taxed, eq * rate if taxed else 0.0))
    return OutletTax(medium, tuple(lines))


def enterprise_tax(
    outlets: Mapping[str, Mapping[str, float]], medium: str, rates: TaxRates
) -> dict[str, OutletTax]:
    """The tax of each outlet of an enterprise (outlet id → tonnes by substance); the
    enterprise's tax is the sum of the outlets' totals."""
    return {outlet: outlet_tax(t, medium, rates) for outlet, t in outlets.items()}
