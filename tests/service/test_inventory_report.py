"""The inventory report's record, on SQLite and PostgreSQL: its figures are the library's (the
sector × gas table recomputed here from the emission rows), its totals those of the web page
and the API (year_totals, /api/v1/inventory), estimates are flagged, and a year without data is
refused."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from tests.signin import token_client
from xietong.accounting.factors import load_gwp
from xietong.accounting.methods.base import GHGS
from xietong.accounting.potentials import potential
from xietong.errors import NotFound
from xietong.service.inventory_report import inventory_report_record
from xietong.service.inventory_views import ESTIMATED, year_totals
from xietong.service.platform import Platform


def test_the_sector_by_gas_figures_are_the_librarys(inventory_platform: Platform) -> None:
    p = inventory_platform
    record = inventory_report_record(p, 2022, gwp="AR6")
    gwp = load_gwp("AR6")
    table = p.inventory().table()
    rows = table[
        (table["year"] == 2022) & (table["scope"] == "direct") & table["substance"].isin(GHGS)
    ]
    tonnes: dict[tuple[str, str], float] = defaultdict(float)
    co2e: dict[tuple[str, str], float] = defaultdict(float)
    estimated: dict[tuple[str, str], bool] = defaultdict(bool)
    for r in rows.to_dict("records"):
        key = (r["sector"], r["substance"])
        tonnes[key] += r["value"]
        co2e[key] += r["value"] * potential(gwp, r["substance"], r["activity"])
        estimated[key] |= r["quality"] in ESTIMATED
    res = record["results"]
    assert res["gases"] == ["CO2", "CH4", "N2O"] and record["gwp"] == "AR6"
    assert res["groups"] == {"CO2": ["CO2"], "CH4": ["CH4"], "N2O": ["N2O"]}
    assert {s["code"] for s in res["sectors"]} == {k[0] for k in tonnes}
    for s in res["sectors"]:
        for gas, cell in s["cells"].items():
            key = (s["code"], gas)
            if key not in tonnes:
                assert cell["t"] is None and cell["co2e"] is None and not cell["estimated"]
                continue
            assert cell["t"] == pytest.approx(tonnes[key], rel=1e-12)
            assert cell["co2e"] == pytest.approx(co2e[key], rel=1e-12)
            assert cell["estimated"] is estimated[key]
        for group, members in res["groups"].items():
            values = [co2e[(s["code"], g)] for g in members if (s["code"], g) in co2e]
            assert s["groups"][group]["co2e"] == (pytest.approx(sum(values)) if values else None)
        mine = [v for k, v in co2e.items() if k[0] == s["code"]]
        assert s["co2e"] == pytest.approx(sum(mine), rel=1e-12)
    for g in res["by_gas"]:
        assert g["co2e"] == pytest.approx(sum(v for k, v in co2e.items() if k[1] == g["gas"]))
    assert res["total"]["co2e"] == pytest.approx(sum(co2e.values()), rel=1e-12)
    assert sum(g["co2e"] for g in res["guideline_sectors"]) == pytest.approx(res["total"]["co2e"])
    # the statistics-only process rows are not flagged; the estimated forest stock change is
    by_code = {s["code"]: s for s in res["sectors"]}
    assert not by_code["industrial_processes"]["estimated"]
    assert by_code["forestry"]["cells"]["CO2"]["estimated"]
    assert by_code["forestry"]["co2e"] < 0  # a removal stays negative
    assert by_code["forestry"]["guideline_sector"] == "lulucf"
    assert record["estimated"] and not record["demo"]
    json.dumps(record)  # the API can return it as it is


def test_the_totals_are_the_pages_and_the_apis(inventory_platform: Platform) -> None:
    p = inventory_platform
    record = inventory_report_record(p, 2022)
    totals = year_totals(p.inventory(), load_gwp("AR5"))
    assert [t["year"] for t in record["trend"]] == [2020, 2021, 2022]
    for row, expected in zip(record["trend"], totals, strict=True):
        assert row["co2e_direct"] == expected["co2e_direct"]  # the same value, not a recount
        assert row["co2_indirect"] == expected["co2_indirect"]
    assert record["trend"][0]["change_pct"] is None
    first, second = totals[0]["co2e_direct"], totals[1]["co2e_direct"]
    assert record["trend"][1]["change_pct"] == pytest.approx((second - first) / first * 100)
    assert record["results"]["total"]["co2e"] == totals[2]["co2e_direct"]
    # an earlier year's report compares with the years before it only
    assert [t["year"] for t in inventory_report_record(p, 2021)["trend"]] == [2020, 2021]

    client = token_client(p)
    summary = client.get("/api/v1/inventory/", params={"gwp": "AR5"}).json()
    (api_total,) = [t for t in summary["totals"] if t["year"] == 2022]
    assert api_total["co2e_direct"] == record["results"]["total"]["co2e"]
    rollup = client.get(
        "/api/v1/inventory/rollup", params={"by": "sector", "gwp": "AR5", "year": 2022}
    ).json()
    assert {r["key"]: r["value"] for r in rollup} == {
        s["code"]: s["co2e"] for s in record["results"]["sectors"]
    }


def test_the_record_states_the_datas_date_and_version(inventory_platform: Platform) -> None:
    record = inventory_report_record(inventory_platform, 2022)
    meta = record["meta"]
    assert meta == {**meta, **inventory_platform.assessment_meta()}
    assert len(meta["data_version"]) == 12 and meta["as_of"]
    assert meta["inventory_to"] == "2022-12-31" and meta["inventory_years"] == [2020, 2021, 2022]
    assert meta["dataset"]["source"] == "activity-small.csv"


def test_activity_factors_uncertainty_and_gaps(inventory_platform: Platform) -> None:
    p = inventory_platform
    record = inventory_report_record(p, 2022)
    acts = [a for a in p.activities() if a.year == 2022]
    coal = [a for a in record["activity"] if a["activity"] == "bituminous_coal"]
    assert len(coal) == 1 and coal[0]["quantity"] == pytest.approx(14.0)  # 10 + 4 万t
    assert coal[0]["unit"] == "wan * t" and coal[0]["unit_zh"] == "万吨"
    assert coal[0]["quality"] == ["estimate", "statistic"] and coal[0]["estimated"]
    assert sum(a["rows"] for a in record["activity"]) == len(acts) == 10  # one unit each
    clinker = [a for a in record["activity"] if a["activity"] == "clinker"]
    assert not clinker[0]["estimated"]
    ids = {f["id"] for f in record["factors"]}
    assert {"t.ncv.bit", "t.cc.bit", "t.clinker"} <= ids
    assert all(f["source_document"] for f in record["factors"])
    formulas = {(m["activity"], m["method"]): m["formula"] for m in record["methods"]["rows"]}
    assert formulas[("bituminous_coal", "china-enterprise")] == "E = AD × NCV × CC × OF × 44/12"
    u = record["uncertainty"]["rows"]
    assert u[-1]["sector"] == "total"
    assert u[-1]["value"] == pytest.approx(record["results"]["total"]["co2e"])
    assert {g["substance"] for g in record["quality"]["gaps"]} >= {"NOx", "SO2"}
    assert record["quality"]["estimate_share"]["estimated_rows"] == 5


def test_a_year_without_data_is_not_found(inventory_platform: Platform) -> None:
    with pytest.raises(NotFound, match="2019"):
        inventory_report_record(inventory_platform, 2019)


def test_no_activity_data_is_not_found(demo_platform: Platform) -> None:
    with pytest.raises(NotFound):
        inventory_report_record(demo_platform, 2022)
