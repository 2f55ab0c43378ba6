"""/api/v1/inventory returns what the library returns (roll-ups, traces, totals, indicators),
documents itself, and answers 404/422/400 as JSON."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient

from tests.signin import token_client
from xietong.accounting.factors import load_gwp
from xietong.service.inventory_views import rollup_records, year_totals
from xietong.service.platform import Platform

API = "/api/v1/inventory"


def test_summary_equals_the_library(client: TestClient, inventory_platform: Platform) -> None:
    inv = inventory_platform.inventory()
    body = client.get(API + "/", params={"gwp": "AR6"}).json()
    assert body["years"] == inv.years == [2020, 2021, 2022]
    assert body["editions"] == inv.editions
    assert body["gwp"] == "AR6" and {t["gwp"] for t in body["totals"]} == {"AR6"}
    assert body["totals"] == year_totals(inv, load_gwp("AR6"))  # JSON floats round-trip
    assert body["rows"] == len(inv.rows) and body["gaps"] == len(inv.gaps)
    assert body["estimate"]["activity_rows"] == 30 and body["estimate"]["estimated_rows"] == 15
    assert body["dataset"]["source"] == "activity-small.csv"
    assert client.get(API).json() == client.get(API + "/").json()


@pytest.mark.parametrize(
    "params",
    [
        {"by": "sector", "substance": "CO2"},
        {"by": "district", "gwp": "AR5", "year": 2021},
        {"by": "substance", "gwp": "AR4"},
        {"by": "sector", "scope": "indirect"},
        {"by": "year", "substance": "SO2"},
    ],
)
def test_rollup_equals_the_library(
    client: TestClient, inventory_platform: Platform, params: dict[str, object]
) -> None:
    inv = inventory_platform.inventory()
    got = client.get(API + "/rollup", params=params).json()
    gwp = load_gwp(str(params["gwp"])) if "gwp" in params else None
    expected = rollup_records(
        inv,
        str(params["by"]),
        year=params.get("year"),  # type: ignore[arg-type]
        substance=params.get("substance"),  # type: ignore[arg-type]
        gwp=gwp,
        scope=str(params.get("scope", "direct")),
    )
    assert len(got) == len(expected) > 0
    assert [{**g, "value": 0} for g in got] == [{**e, "value": 0} for e in expected]
    assert [g["value"] for g in got] == pytest.approx([e["value"] for e in expected])


def test_rollup_of_co2_by_sector_is_the_inventory_rollup(
    client: TestClient, inventory_platform: Platform
) -> None:
    inv = inventory_platform.inventory()
    got = client.get(API + "/rollup", params={"by": "sector", "substance": "CO2"}).json()
    table = inv.rollup(["sector", "year"], substances=["CO2"])
    assert {(g["key"], g["year"]): g["value"] for g in got} == pytest.approx(
        {(s, y): v for s, y, _, v in table.itertuples(index=False)}
    )


def test_trace_equals_the_library(client: TestClient, inventory_platform: Platform) -> None:
    inv = inventory_platform.inventory()
    for row_id in (0, len(inv.rows) // 2, len(inv.rows) - 1):
        got = client.get(f"{API}/rows/{row_id}").json()
        expected = inv.trace(row_id)
        assert got["formula"] == expected["formula"] and got["value"] == expected["value"]
        assert got["activity"] == expected["activity"]
        for g, e in zip(got["terms"], expected["terms"], strict=True):
            assert {k: g[k] for k in e} == e
            assert all(v is None for k, v in g.items() if k not in e)
    assert client.get(f"{API}/rows/{len(inv.rows)}").status_code == 404


def test_rows_filter_and_page(client: TestClient, inventory_platform: Platform) -> None:
    table = inventory_platform.inventory().table()
    page = client.get(API + "/rows", params={"year": 2021, "sector": "industry"}).json()
    expected = table[(table["year"] == 2021) & (table["sector"] == "industry")]
    assert page["total"] == len(expected)
    assert [r["row_id"] for r in page["items"]] == list(expected["row_id"])
    small = client.get(API + "/rows", params={"limit": 5, "offset": 10}).json()
    assert [r["row_id"] for r in small["items"]] == list(range(10, 15))
    assert small["total"] == len(table)
    none = client.get(API + "/rows", params={"substance": "Kr"}).json()
    assert none == {"total": 0, "offset": 0, "limit": 100, "items": []}


def test_activities_and_indicators(client: TestClient, inventory_platform: Platform) -> None:
    acts = client.get(API + "/activities").json()
    assert len(acts) == 30 and {a["quality"] for a in acts} == {"statistic", "estimate"}
    assert len(client.get(API + "/activities", params={"year": 2020}).json()) == 10
    got = client.get(API + "/indicators").json()
    expected = inventory_platform.indicators()
    assert [(g["year"], g["indicator_id"]) for g in got] == list(
        zip(expected["year"], expected["indicator_id"], strict=True)
    )
    assert [g["value"] for g in got] == pytest.approx(list(expected["value"]))


def test_openapi_lists_the_inventory_routes(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/inventory/",
        "/api/v1/inventory/rows",
        "/api/v1/inventory/rows/{row_id}",
        "/api/v1/inventory/rollup",
        "/api/v1/inventory/activities",
        "/api/v1/inventory/indicators",
    } <= set(schema["paths"])
    assert {"InventorySummary", "Trace", "RollupRecord"} <= set(schema["components"]["schemas"])


def test_bad_input_is_422_and_unknown_rows_404(client: TestClient) -> None:
    for url in (
        API + "/rows/abc",
        API + "/rows/-1",
        API + "/rollup?by=planet",
        API + "/rollup?gwp=AR9",
        API + "/?gwp=ar5",
        API + "/rows?year=20x1",
        API + "/rows?limit=0",
        API + "/?co2_method=magic",
    ):
        r = client.get(url)
        assert r.status_code == 422, url
        assert r.headers["content-type"].startswith("application/json")
    r = client.get(API + "/rows/100000")
    assert r.status_code == 404 and "no emission row" in r.json()["detail"]


def test_no_activity_data_is_404(demo_platform: Platform) -> None:
    client = token_client(demo_platform)
    r = client.get(API + "/")
    assert r.status_code == 404 and "xietong inventory import" in r.json()["detail"]
    page = client.get("/inventory")
    assert page.status_code == 404 and "<html" in page.text


def test_missing_factors_are_a_400_naming_every_row(inventory_platform: Platform) -> None:
    csv = (
        "year,district,sector,activity,amount,unit\n"
        "2022,city,buildings,natural_gas,10,wan * Nm3\n"
        "2022,city,transport,diesel,3,t\n"
    )
    inventory_platform.import_activity_rows(
        [line.split(",") for line in csv.splitlines()], source="x.csv", actor="t"
    )
    client = token_client(inventory_platform)
    r = client.get(API + "/")
    assert r.status_code == 400
    body = r.json()
    assert body["detail"].startswith("inventory not built (2 problem(s))")
    assert len(body["problems"]) == 2 and "natural_gas" in body["problems"][0]
    page = client.get("/inventory")
    assert page.status_code == 400 and "natural_gas" in page.text


def test_upload_is_not_possible_through_get(client: TestClient) -> None:
    r = client.post(API + "/rows", files={"file": ("a.csv", io.BytesIO(b"x"))})
    assert r.status_code == 405
