"""The city's greenhouse-gas inventory report of one year, as one plain record (JSON-ready) that
the Word, PDF and Excel writers (:mod:`xietong.files.inventory_document`), the CLI and the API
share.

Its sections follow the structure of 《省级温室气体清单编制指南（试行）》（发改办气候〔2011〕
1041号）, adapted to a city: 1 概述 (scope), 2 方法 (methods), 3 活动水平数据, 4 排放因子,
5 排放结果 (by sector and gas), 6 不确定性, 7 历年比较, 8 数据缺口与质量. Every figure comes from
the views the /inventory page, the API and the exports show (:mod:`xietong.service.inventory_views`,
called with the same options: the platform's accounting options, ``platform.inventory()``), so
the same figure in the report, on the web and in the API is the same value. Emissions are in
tonnes (t); greenhouse gases also in t CO2e under the named GWP set.

A figure that rests, wholly or in part, on an activity row whose quality flag is an estimate
or demo value (:data:`~xietong.service.inventory_views.ESTIMATED`) carries ``estimated: True``
(and ``demo: True`` when a demo row is among them); the writers mark it ※ with a footnote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from xietong.accounting.activity import CITY, catalogue, sectors
from xietong.accounting.factors import GWPSet, load_gwp
from xietong.accounting.inventory import Inventory
from xietong.accounting.methods.base import GHGS
from xietong.accounting.potentials import splits_methane
from xietong.errors import NotFound, UnitError
from xietong.service.assessment import AssessmentService
from xietong.service.inventory_views import (
    ESTIMATED,
    MAIN_POLLUTANTS,
    co2_calibers,
    estimate_share,
    factors_used,
    gap_records,
    pick_years,
    rollup_records,
    uncertainty_table,
    year_inventory,
    year_totals,
)
from xietong.units import convert, unit_label

GUIDELINE = "《省级温室气体清单编制指南（试行）》（发改办气候〔2011〕1041号）"
"""The guideline whose structure the report follows (as adapted for a city)."""

GUIDELINE_SECTORS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("energy", "能源活动", ("energy_industries", "industry", "buildings", "transport")),
    ("processes", "工业生产过程", ("industrial_processes",)),
    ("agriculture", "农业", ("agriculture",)),
    ("lulucf", "土地利用变化和林业", ("forestry",)),
    ("waste", "废弃物处理", ("waste", "wastewater")),
)
"""The guideline's five sectors and the platform's sectors (``data/accounting/sectors.csv``)
each gathers; a sector not listed here is reported under 其他 (other)."""

OTHER = ("other", "其他")

GAS_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("CO2", ("CO2",)),
    ("CH4", ("CH4",)),
    ("N2O", ("N2O",)),
    ("HFCs", ("HFC-134a", "HFC-32", "HFC-125", "HFC-143a")),
    ("PFCs", ("CF4", "C2F6")),
    ("SF6", ("SF6",)),
    ("NF3", ("NF3",)),
)
"""The gases as the guideline reports them (CO2, CH4, N2O, HFCs, PFCs, SF6; NF3 beside them),
each with the platform's gases it sums (:data:`~xietong.accounting.methods.base.GHGS`)."""

SCOPES = (
    {
        "id": "direct",
        "zh": "直接排放（范围一）",
        "text": "市域边界内的排放源和吸收汇产生的排放与清除，"
        "清单的总量与部门、气体结果均为直接排放。",
    },
    {
        "id": "indirect",
        "zh": "间接排放（范围二）",
        "text": "外购电力（按电网排放因子）和外购热力消费所对应的二氧化碳，"
        "单独列示，从不计入直接排放总量。",
    },
)
"""The two scopes the platform keeps apart (``scope`` of every emission row)."""

CALIBERS = (
    {
        "id": "official",
        "zh": "官方口径（考核口径）",
        "text": "市域内能源活动化石燃料燃烧二氧化碳（含电厂、热电厂及钢铁企业焦化和喷吹用煤）"
        "+ 净调入电力 × 电网排放因子；规划单位GDP二氧化碳排放目标与碳达峰按此口径评价。",
    },
    {
        "id": "territorial",
        "zh": "D 属地口径",
        "text": "除林业外的全部直接二氧化碳（含工业生产过程）+ 净调入电力 × 电网排放因子。",
    },
    {
        "id": "enduse",
        "zh": "F 终端消费口径",
        "text": "终端用户的燃料二氧化碳（不含电厂、热电厂）"
        "+ 全部电力、热力按其排放因子计算的二氧化碳。",
    },
)
"""The three CO2 calibers of :func:`~xietong.service.inventory_views.co2_calibers`, with the
definitions of ``docs/methods/inventory.md`` ("CO2 calibers")."""

METHOD_TEXT = (
    "排放量按“活动水平 × 排放因子”计算（E = AD × EF），与编制指南的基本方法一致；"
    "排放因子由若干参数组成时（如化石燃料燃烧 CO2 = AD × NCV × CC × OF × 44/12），"
    "逐项相乘并由单位换算为吨。每一排放行均可追溯至其活动水平数据行及所用的每个因子"
    "（文献、表号、版本、单位）。方法说明见 docs/methods/inventory.md，因子库及其选用规则见 "
    "docs/methods/factors.md。"
)

UNCERTAINTY_TEXT = (
    "不确定性按 IPCC 2006 年指南第1卷第3章计算：方法1（误差传播，式3.1、3.2）给出95%置信区间的"
    "相对半宽；方法2（蒙特卡洛）对每一活动水平数据行和每一因子各取一个对数正态乘子"
    "（同一因子在一次抽样中只抽一次），给出均值及2.5%、97.5%分位数；合计的区间取自同一组抽样。"
    "各参数的不确定性取其来源给出的范围，否则取 data/accounting/uncertainty_defaults.csv "
    "中按因子层级或数据质量设定的缺省值（平台的假设）。说明见 docs/methods/inventory.md。"
)

QUALITY_ZH = {
    "statistic": "统计",
    "derived": "推算",
    "estimate": "估算",
    "measured": "实测",
    "demo": "演示",
}
"""Chinese names of the activity quality flags (``docs/methods/inventory.md``)."""


def _guideline_of(sector: str) -> tuple[str, str]:
    """The guideline sector (code, Chinese name) a platform sector belongs to."""
    for code, zh, members in GUIDELINE_SECTORS:
        if sector in members:
            return code, zh
    return OTHER


def _sector_zh(code: str) -> str:
    known = sectors()
    return known[code].zh if code in known else code


def _flags(qualities: Iterable[str]) -> dict[str, bool]:
    """``estimated`` when any of ``qualities`` is an estimate or demo flag; ``demo`` when any
    is a demo flag."""
    seen = set(qualities)
    return {"estimated": bool(seen & set(ESTIMATED)), "demo": "demo" in seen}


def _quality_by(frame: pd.DataFrame, keys: Sequence[str]) -> dict[Any, dict[str, bool]]:
    """The estimate flags of the emission rows of ``frame`` grouped by ``keys``."""
    out: dict[Any, dict[str, bool]] = {}
    for key, part in frame.groupby(list(keys), sort=True):
        out[key if len(keys) > 1 else key[0]] = _flags(str(q) for q in part["quality"].unique())
    return out


def _meta(platform: AssessmentService, inv: Inventory) -> dict[str, Any]:
    """The date the data run to, the data version and where the activity data came from."""
    end = f"{inv.years[-1]}-12-31" if inv.years else ""
    found = platform.assessment_meta()
    meta: dict[str, Any] = {
        "as_of": found.get("as_of") or end,
        "data_version": found.get("data_version", ""),
    }
    meta["inventory_to"] = end
    meta["inventory_years"] = list(inv.years)
    dataset = platform.activity_dataset()
    meta["dataset"] = (
        {
            "source": dataset.source,
            "actor": dataset.actor,
            "at": dataset.at.isoformat(),
            "rows": dataset.rows,
            "shipped": dataset.shipped,
        }
        if dataset is not None
        else None
    )
    return meta


def _gwp_text(gwp: GWPSet, gas: str) -> str:
    """The GWP100 of ``gas`` as the report states it: one value, or for methane under a set
    that splits it (AR6) the fossil and the non-fossil value (``xietong.accounting.potentials``)."""
    if gas == "CH4" and splits_methane(gwp):
        return f"{gwp['CH4_fossil']:g}（化石源）/{gwp['CH4_nonfossil']:g}（非化石源）"
    return f"{gwp[gas]:g}"


def _scope(
    platform: AssessmentService, inv: Inventory, year: int, gwp: GWPSet, frame: pd.DataFrame
) -> dict[str, Any]:
    """Section 1: boundary, year, gases and sectors covered, pollutants, GWP set, scopes and
    the CO2 calibers of the year."""
    plan = platform.plan()
    gases = [g for g in GHGS if g in set(frame["substance"])]
    present = set(frame["sector"])
    guideline = []
    for code, zh, members in GUIDELINE_SECTORS:
        mine = [m for m in members if m in present]
        guideline.append(
            {
                "code": code,
                "zh": zh,
                "present": bool(mine),
                "sectors": [
                    {"code": m, "zh": _sector_zh(m), "ipcc_category": sectors()[m].ipcc_category}
                    for m in mine
                ],
            }
        )
    calibers = {c["year"]: c for c in co2_calibers(inv, platform.statistics())}
    this = calibers.get(year)
    return {
        "boundary": (
            f"{plan.city.zh}行政区域（{len(plan.districts)}个区）；全市统计、未分到区的数据计入全市"
        ),
        "city": {"zh": plan.city.zh, "en": plan.city.en},
        "year": year,
        "gases": gases,
        "gases_covered": list(GHGS),
        "sectors": guideline,
        "pollutants": [p for p in MAIN_POLLUTANTS if p in set(frame["substance"])],
        "gwp": {
            "set": gwp.name,
            "horizon": "GWP100",
            "values": {g: _gwp_text(gwp, g) for g in gases},
            "source": sorted({gwp.sources[g] for g in gases if g in gwp.sources}),
        },
        "scopes": [dict(s) for s in SCOPES],
        "calibers": [
            {**c, "value": None if this is None else float(this[c["id"]]), "unit": "t CO2"}
            for c in CALIBERS
        ],
        "options": {
            "co2_method": inv.options.co2_method,
            "grid_region": inv.options.grid_region,
        },
    }


def _formula(inv: Inventory, n: int, template: int, k: int) -> tuple[str, list[str]]:
    """The symbolic formula of emission ``k`` of activity row ``n`` (``AD × NCV × CC × …``,
    from the terms the method multiplies) and the ids of its factors."""
    emission = inv.series[(n, k)] if template < 0 else inv.unit_emission(n, k)
    names = ["AD" if t.name == "activity" else t.name for t in emission.terms]
    return "E = " + " × ".join(names), [t.factor_id for t in emission.terms if t.factor_id]


def _methods(inv: Inventory, frame: pd.DataFrame) -> dict[str, Any]:
    """Section 2: per category (sector, activity) and method, the gases and substances it
    gives, its formula, the tiers and the source documents of its factors."""
    names = catalogue()
    groups: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for n, template, k, sector, activity, substance, method, scope in zip(
        frame["n"],
        frame["template"],
        frame["k"],
        frame["sector"],
        frame["activity"],
        frame["substance"],
        frame["method"],
        frame["scope"],
        strict=True,
    ):
        formula, ids = _formula(inv, int(n), int(template), int(k))
        key = (str(sector), str(activity), str(method), formula)
        entry = groups.setdefault(
            key,
            {
                "substances": [],
                "scopes": set(),
                "tiers": set(),
                "sources": set(),
                "factor_ids": set(),
            },
        )
        entry["scopes"].add(str(scope))
        if substance not in entry["substances"]:
            entry["substances"].append(str(substance))
        for fid in ids:
            f = inv.library.get(fid)
            entry["tiers"].add(f.tier)
            entry["sources"].add(f.source_document)
            entry["factor_ids"].add(fid)
    rows: list[dict[str, Any]] = []
    for (sector, activity, method, formula), entry in sorted(groups.items()):
        guideline = _guideline_of(sector)
        rows.append(
            {
                "guideline_sector": guideline[0],
                "guideline_zh": guideline[1],
                "sector": sector,
                "sector_zh": _sector_zh(sector),
                "activity": activity,
                "activity_zh": names[activity].zh if activity in names else activity,
                "method": method,
                "substances": sorted(entry["substances"], key=_substance_order),
                "formula": formula,
                "scopes": sorted(entry["scopes"]),
                "tiers": sorted(entry["tiers"]),
                "sources": sorted(entry["sources"]),
                "factor_ids": sorted(entry["factor_ids"]),
            }
        )
    rows.sort(key=lambda r: (_guideline_rank(r["sector"]), r["sector"], r["activity"]))
    return {
        "guideline": GUIDELINE,
        "text": METHOD_TEXT,
        "co2_method": inv.options.co2_method,
        "grid_region": inv.options.grid_region,
        "editions": list(inv.editions),
        "rows": rows,
    }


def _substance_order(substance: str) -> tuple[int, int, str]:
    """Greenhouse gases first (in :data:`GHGS` order), then the pollutants."""
    if substance in GHGS:
        return (0, GHGS.index(substance), substance)
    if substance in MAIN_POLLUTANTS:
        return (1, MAIN_POLLUTANTS.index(substance), substance)
    return (2, 0, substance)


def _guideline_rank(sector: str) -> int:
    code = _guideline_of(sector)[0]
    order = [g[0] for g in GUIDELINE_SECTORS]
    return order.index(code) if code in order else len(order)


def _activity(inv: Inventory, year: int) -> list[dict[str, Any]]:
    """Section 3: the year's activity data by category (sector, activity): the quantity summed
    in the unit of the category's first row (rows in a unit of another dimension, e.g. a fuel
    by volume, are summed apart), the number of rows, their sources and quality flags."""
    names = catalogue()
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for a in inv.activities:
        if a.year != year:
            continue
        entry = groups.setdefault(
            (a.sector, a.activity),
            {"amounts": {}, "rows": 0, "sources": set(), "quality": set(), "districts": set()},
        )
        for unit in entry["amounts"]:
            try:
                amount = convert(a.amount, a.unit, unit)
            except UnitError:
                continue
            entry["amounts"][unit] += amount
            break
        else:
            entry["amounts"][a.unit] = float(a.amount)
        entry["rows"] += 1
        entry["sources"].add(a.source)
        entry["quality"].add(a.quality)
        entry["districts"].add(a.district)
    out = []
    for (sector, activity), entry in sorted(
        groups.items(), key=lambda kv: (_guideline_rank(kv[0][0]), kv[0])
    ):
        guideline = _guideline_of(sector)
        for unit, amount in entry["amounts"].items():
            out.append(
                {
                    "guideline_sector": guideline[0],
                    "guideline_zh": guideline[1],
                    "sector": sector,
                    "sector_zh": _sector_zh(sector),
                    "activity": activity,
                    "activity_zh": names[activity].zh if activity in names else activity,
                    "quantity": float(amount),
                    "unit": unit,
                    "unit_zh": unit_label(unit),
                    "rows": entry["rows"],
                    "city_wide": CITY in entry["districts"],
                    "sources": sorted(entry["sources"]),
                    "quality": sorted(entry["quality"]),
                    "quality_zh": [QUALITY_ZH.get(q, q) for q in sorted(entry["quality"])],
                    **_flags(entry["quality"]),
                }
            )
    return out


def _factors(part: Inventory) -> list[dict[str, Any]]:
    """Section 4: the factors the year's emissions used (:func:`factors_used`), with their
    unit written for Chinese readers."""
    return [{**f, "unit_zh": unit_label(f["unit"])} for f in factors_used(part)]


def _group(cells: dict[str, dict[str, Any]], members: Sequence[str]) -> dict[str, Any]:
    """The CO2e (t) of a group of gases: the sum of its members' figures (None when none has
    one), flagged when any member is."""
    values = [cells[g]["co2e"] for g in members if cells[g]["co2e"] is not None]
    return {
        "co2e": sum(values) if values else None,
        "estimated": any(cells[g]["estimated"] for g in members),
        "demo": any(cells[g]["demo"] for g in members),
    }


def _results(inv: Inventory, year: int, gwp: GWPSet, frame: pd.DataFrame) -> dict[str, Any]:
    """Section 5: direct emissions of the year by sector × gas (t and t CO2e under ``gwp``;
    and in CO2e by the guideline's gas groups, :data:`GAS_GROUPS`), by guideline sector, by
    gas, the total (the year's ``co2e_direct`` of :func:`year_totals`), indirect CO2 by sector
    and the main pollutants by sector (t). The figures are :func:`rollup_records`' (what
    ``/api/v1/inventory/rollup`` returns)."""
    direct = frame[frame["scope"] == "direct"]
    ghg = direct[direct["substance"].isin(GHGS)]
    present = set(ghg["substance"])
    gases = [g for _, members in GAS_GROUPS for g in members if g in present]
    gases += [g for g in GHGS if g in present and g not in gases]
    tonnes = {
        (r["key"], r["substance"]): r["value"] for r in rollup_records(inv, "sector", year=year)
    }
    cells: dict[tuple[str, str], float] = {}
    for gas in gases:
        for r in rollup_records(inv, "sector", year=year, substance=gas, gwp=gwp):
            cells[(r["key"], gas)] = r["value"]
    sector_co2e = {r["key"]: r["value"] for r in rollup_records(inv, "sector", year=year, gwp=gwp)}
    cell_flags = _quality_by(ghg, ["sector", "substance"]) if len(ghg) else {}
    sector_flags = _quality_by(ghg, ["sector"]) if len(ghg) else {}
    gas_flags = _quality_by(ghg, ["substance"]) if len(ghg) else {}
    order = sorted(sector_co2e, key=lambda s: (_guideline_rank(s), s))
    rows = []
    for sector in order:
        guideline = _guideline_of(sector)
        rows.append(
            {
                "code": sector,
                "zh": _sector_zh(sector),
                "guideline_sector": guideline[0],
                "guideline_zh": guideline[1],
                "cells": {
                    gas: {
                        "t": tonnes.get((sector, gas)),
                        "co2e": cells.get((sector, gas)),
                        **cell_flags.get((sector, gas), _flags(())),
                    }
                    for gas in gases
                },
                "co2e": sector_co2e[sector],
                **sector_flags.get(sector, _flags(())),
            }
        )
    groups = [(name, [g for g in members if g in gases]) for name, members in GAS_GROUPS]
    groups = [(name, members) for name, members in groups if members]
    for r in rows:
        r["groups"] = {name: _group(r["cells"], members) for name, members in groups}
    by_guideline = []
    for code, zh, _ in (*GUIDELINE_SECTORS, (*OTHER, ())):
        mine = [r for r in rows if r["guideline_sector"] == code]
        if not mine:
            continue
        by_guideline.append(
            {
                "code": code,
                "zh": zh,
                "co2e": sum(r["co2e"] for r in mine),
                "estimated": any(r["estimated"] for r in mine),
                "demo": any(r["demo"] for r in mine),
            }
        )
    gas_t = {r["key"]: r["value"] for r in rollup_records(inv, "substance", year=year)}
    gas_co2e = {r["key"]: r["value"] for r in rollup_records(inv, "substance", year=year, gwp=gwp)}
    by_gas = [
        {
            "gas": gas,
            "gwp_value": _gwp_text(gwp, gas),
            "t": gas_t.get(gas, 0.0),
            "co2e": gas_co2e.get(gas, 0.0),
            **gas_flags.get(gas, _flags(())),
        }
        for gas in gases
    ]
    (total,) = [t for t in year_totals(inv, gwp) if t["year"] == year]
    indirect = frame[(frame["scope"] == "indirect") & (frame["substance"] == "CO2")]
    indirect_flags = _quality_by(indirect, ["sector"]) if len(indirect) else {}
    indirect_rows = [
        {
            "code": r["key"],
            "zh": _sector_zh(r["key"]),
            "t": r["value"],
            **indirect_flags.get(r["key"], _flags(())),
        }
        for r in rollup_records(inv, "sector", year=year, substance="CO2", scope="indirect")
    ]
    pollutants = [p for p in MAIN_POLLUTANTS if p in total["pollutants"]]
    polluted = direct[direct["substance"].isin(pollutants)]
    pollutant_flags = _quality_by(polluted, ["sector"]) if len(polluted) else {}
    pollutant_rows = [
        {
            "code": sector,
            "zh": _sector_zh(sector),
            "values": {p: tonnes[(sector, p)] for p in pollutants if (sector, p) in tonnes},
            **pollutant_flags.get(sector, _flags(())),
        }
        for sector in sorted(
            {s for s, p in tonnes if p in pollutants}, key=lambda s: (_guideline_rank(s), s)
        )
    ]
    by_gas_cells = {g["gas"]: g for g in by_gas}
    group_totals = {name: _group(by_gas_cells, members) for name, members in groups}
    return {
        "unit": "t",
        "co2e_unit": f"t CO2e ({gwp.name})",
        "gwp": gwp.name,
        "gases": gases,
        "groups": {name: members for name, members in groups},
        "sectors": rows,
        "guideline_sectors": by_guideline,
        "by_gas": by_gas,
        "group_totals": group_totals,
        "total": {
            "co2e": total["co2e_direct"],
            "co2_direct": total["co2_direct"],
            "co2_indirect": total["co2_indirect"],
            **_flags(str(q) for q in ghg["quality"].unique()),
        },
        "indirect": indirect_rows,
        "pollutants": {
            "substances": pollutants,
            "sectors": pollutant_rows,
            "totals": {p: total["pollutants"][p] for p in pollutants},
        },
    }


def _uncertainty(
    inv: Inventory,
    year: int,
    gwp: GWPSet,
    flags: dict[str, dict[str, bool]],
    total_flags: dict[str, bool],
) -> dict[str, Any]:
    """Section 6: :func:`uncertainty_table` of the year (its default draws and seed, as the CLI
    ``xietong inventory uncertainty``), each sector with its Chinese name and estimate flags."""
    rows = uncertainty_table(inv, gwp, year=year)
    return {
        "text": UNCERTAINTY_TEXT,
        "unit": f"t CO2e ({gwp.name})",
        "draws": rows[0]["draws"] if rows else None,
        "seed": rows[0]["seed"] if rows else None,
        "rows": [
            {
                **r,
                "zh": "合计" if r["sector"] == "total" else _sector_zh(r["sector"]),
                **(total_flags if r["sector"] == "total" else flags.get(r["sector"], _flags(()))),
            }
            for r in rows
        ],
    }


def _trend(
    platform: AssessmentService, inv: Inventory, year: int, gwp: GWPSet
) -> list[dict[str, Any]]:
    """Section 7: the totals of every year of the inventory up to ``year``
    (:func:`year_totals`), with the change of direct CO2e on the previous year (%), the official
    CO2 caliber (:func:`co2_calibers`) and the estimate flags of each year's direct GHGs."""
    frame = inv.frame()
    ghg = frame[(frame["scope"] == "direct") & frame["substance"].isin(GHGS)]
    flags = _quality_by(ghg, ["year"]) if len(ghg) else {}
    official = {c["year"]: c["official"] for c in co2_calibers(inv, platform.statistics())}
    out: list[dict[str, Any]] = []
    previous: float | None = None
    for t in year_totals(inv, gwp):
        if t["year"] > year:
            break
        value = t["co2e_direct"]
        change = None if not previous else (value - previous) / abs(previous) * 100
        out.append(
            {
                "year": t["year"],
                "co2e_direct": value,
                "co2_direct": t["co2_direct"],
                "co2_indirect": t["co2_indirect"],
                "co2_official": official.get(t["year"]),
                "change_pct": change,
                "gwp": t["gwp"],
                **flags.get(t["year"], _flags(())),
            }
        )
        previous = value
    return out


def _quality(inv: Inventory, part: Inventory, gwp: GWPSet) -> dict[str, Any]:
    """Section 8: the share of the year's inventory resting on estimates
    (:func:`estimate_share`) and the gaps (:func:`gap_records`: substances a method is expected
    to give but no factor applied to)."""
    names = catalogue()
    return {
        "estimate_share": estimate_share(part, gwp),
        "estimate_share_all_years": estimate_share(inv, gwp),
        "gaps": [
            {
                **g,
                "sector_zh": _sector_zh(g["sector"]),
                "activity_zh": names[g["activity"]].zh if g["activity"] in names else g["activity"],
            }
            for g in gap_records(part)
        ],
    }


def inventory_report_record(
    platform: AssessmentService, year: int, *, gwp: str = "AR5"
) -> dict[str, Any]:
    """The inventory report of ``year`` as a JSON-ready record: ``meta`` (the date the data run
    to, the data version, the activity dataset), ``scope``, ``methods``, ``activity``,
    ``factors``, ``results``, ``uncertainty``, ``trend``, ``quality`` (sections 1–8 of the
    guideline's structure, see the module docstring) and ``estimated`` (whether any figure of
    the year rests on an estimate or demo value). Emissions in t, greenhouse gases also in
    t CO2e under the GWP set ``gwp`` (AR4, AR5 or AR6).

    Built from the platform's inventory (its accounting options, as the /inventory page and
    the API by default). Raises NotFound when the city has no activity data or the inventory
    has no data for ``year``."""
    inv = platform.inventory()
    if not pick_years(inv, year):
        years = "、".join(str(y) for y in inv.years) or "无"
        raise NotFound(
            f"清单中没有 {year} 年的数据（已有年份：{years}）/ the inventory has no data for "
            f"{year} (years: {', '.join(str(y) for y in inv.years) or 'none'})"
        )
    gwp_set = load_gwp(gwp)
    part = year_inventory(inv, year)
    frame = inv.frame()
    frame = frame[frame["year"] == year]
    plan = platform.plan()
    results = _results(inv, year, gwp_set, frame)
    sector_flags = {
        r["code"]: {"estimated": r["estimated"], "demo": r["demo"]} for r in results["sectors"]
    }
    activity = _activity(inv, year)
    record: dict[str, Any] = {
        "kind": "inventory-report",
        "title": f"{plan.city.zh}{year}年温室气体清单报告",
        "city": {"code": platform.city, "zh": plan.city.zh, "en": plan.city.en},
        "year": year,
        "gwp": gwp_set.name,
        "guideline": GUIDELINE,
        "meta": _meta(platform, inv),
        "scope": _scope(platform, inv, year, gwp_set, frame),
        "methods": _methods(inv, frame),
        "activity": activity,
        "factors": _factors(part),
        "results": results,
        "uncertainty": _uncertainty(
            inv,
            year,
            gwp_set,
            sector_flags,
            {"estimated": results["total"]["estimated"], "demo": results["total"]["demo"]},
        ),
        "trend": _trend(platform, inv, year, gwp_set),
        "quality": _quality(inv, part, gwp_set),
    }
    record["estimated"] = any(a["estimated"] for a in activity)
    record["demo"] = any(a["demo"] for a in activity)
    return record
