"""/api/v1 returns what the library returns, documents itself, and never answers 500."""

from __future__ import annotations

import datetime as dt
import io
import string
from urllib.parse import quote

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xietong.service.platform import Platform

AS_OF = "2026-01-15"


def test_plan_summary(client: TestClient) -> None:
    body = client.get("/api/v1/plan").json()
    assert body["id"] == "wuhan-2023"
    assert (body["measures"], body["targets"]) == (26, 37)
    assert body["document_number"] == "武环〔2023〕55号"


def test_measures_equal_the_library(client: TestClient, demo_platform: Platform) -> None:
    plan = demo_platform.plan()
    got = client.get("/api/v1/measures").json()
    assert got == [m.model_dump(mode="json") for m in plan.measures]
    by_body = client.get("/api/v1/measures", params={"body": "市交通运输局"}).json()
    assert [m["number"] for m in by_body] == [m.number for m in plan.measures_of_body("transport")]


def test_targets_and_status_equal_the_library(client: TestClient, demo_platform: Platform) -> None:
    plan = demo_platform.plan()
    assert client.get("/api/v1/targets").json() == [t.model_dump(mode="json") for t in plan.targets]
    status = client.get("/api/v1/status", params={"as_of": AS_OF}).json()
    expected = demo_platform.assessments(dt.date.fromisoformat(AS_OF))
    assert status == [a.model_dump(mode="json") for a in expected.values()]
    detail = client.get("/api/v1/targets/coal-share-2025", params={"as_of": AS_OF}).json()
    assert detail["assessment"] == expected["coal-share-2025"].model_dump(mode="json")
    assert detail["progress"] == [
        r.model_dump(mode="json") for r in demo_platform.records("coal-share-2025")
    ]
    assert detail["responsible"] == ["drc", "eitb", "eeb"]


def test_district_status_equals_the_library(client: TestClient, demo_platform: Platform) -> None:
    got = client.get("/api/v1/status", params={"as_of": AS_OF, "district": "洪山区"}).json()
    expected = demo_platform.assessments(dt.date.fromisoformat(AS_OF), "hongshan")
    assert got == [a.model_dump(mode="json") for a in expected.values()]
    d = client.get("/api/v1/districts/hongshan", params={"as_of": AS_OF}).json()
    assert d["district"]["population"] == 1728811
    assert len(d["measures"]) == 26


def test_rollups_equal_the_library(client: TestClient, demo_platform: Platform) -> None:
    day = dt.date.fromisoformat(AS_OF)
    for by in ("measure", "body", "district"):
        got = client.get(f"/api/v1/rollups/{by}", params={"as_of": AS_OF}).json()
        expected = demo_platform.rollups(by, day)
        assert got == [r.model_dump(mode="json") for r in expected]
        assert {"worst", "share_good"} <= set(got[0])


def test_body_detail(client: TestClient) -> None:
    b = client.get("/api/v1/bodies/市交通运输局").json()
    assert b["body"]["code"] == "transport"
    assert b["leads"] == [7]
    assert "slow-traffic-146km" in b["targets"]


def test_openapi_schema_lists_every_route(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/plan",
        "/api/v1/measures",
        "/api/v1/measures/{number}",
        "/api/v1/targets",
        "/api/v1/targets/{target_id}",
        "/api/v1/bodies",
        "/api/v1/bodies/{code}",
        "/api/v1/districts",
        "/api/v1/districts/{code}",
        "/api/v1/status",
        "/api/v1/rollups/{by}",
        "/api/v1/progress",
    } <= paths
    assert "Target" in schema["components"]["schemas"]
    assert client.get("/api/v1/docs").status_code == 200


def test_unknown_things_are_404_and_bad_input_422(client: TestClient) -> None:
    assert client.get("/api/v1/targets/nope").status_code == 404
    assert client.get("/api/v1/measures/99").status_code == 404
    assert client.get("/api/v1/bodies/nope").status_code == 404
    assert client.get("/api/v1/districts/火星区").status_code == 404
    assert client.get("/api/v1/measures?body=nope").status_code == 404
    assert client.get("/api/v1/measures/abc").status_code == 422
    assert client.get("/api/v1/rollups/planet").status_code == 422
    assert client.get("/api/v1/status?as_of=2024-13-01").status_code == 422
    r = client.get("/api/v1/targets/nope")
    assert r.headers["content-type"].startswith("application/json")


def test_upload_rejects_a_bad_file_whole(client: TestClient, demo_platform: Platform) -> None:
    before = demo_platform.records()
    csv = "target_id,period,value\ncoal-share-2025,2026,28\nnope,2026,1\ncoal-share-2025,x,1\n"
    r = client.post(
        "/api/v1/progress", files={"file": ("p.csv", io.BytesIO(csv.encode()), "text/csv")}
    )
    assert r.status_code == 422
    problems = r.json()["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(3, "target_id"), (4, "period")]
    assert demo_platform.records() == before
    ok = "target_id,period,value\ncoal-share-2025,2026-06-30,28\n"
    r = client.post(
        "/api/v1/progress", files={"file": ("p.csv", io.BytesIO(ok.encode()), "text/csv")}
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"file": "p.csv", "inserted": 1, "updated": 0, "skipped": 0}


def test_upload_of_garbage_is_a_clear_422(client: TestClient) -> None:
    for name, data in [
        ("x.xlsx", b"not a workbook"),
        ("x.pdf", b"%PDF-1.4"),
        ("x.csv", b"\xff\xfe\x00garbage"),
        ("x.csv", b""),
    ]:
        r = client.post("/api/v1/progress", files={"file": (name, io.BytesIO(data))})
        assert r.status_code == 422, (name, r.status_code, r.text)
        assert r.json()["problems"]


segment = st.text(alphabet=string.printable + "区市煤%/?#", min_size=0, max_size=20)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(
        [
            "/api/v1/targets/",
            "/api/v1/measures/",
            "/api/v1/bodies/",
            "/api/v1/districts/",
            "/api/v1/rollups/",
            "/targets/",
            "/measures/",
            "/bodies/",
            "/districts/",
            "/api/v1/status?as_of=",
            "/api/v1/status?district=",
            "/?lang=",
            "/api/v1/measures?body=",
            "/api/v1/targets?measure=",
            "/api/v1/inventory/?gwp=",
            "/api/v1/inventory/rows/",
            "/api/v1/inventory/rows?year=",
            "/api/v1/inventory/rows?sector=",
            "/api/v1/inventory/rows?offset=",
            "/api/v1/inventory/rows?limit=",
            "/api/v1/inventory/rollup?by=",
            "/api/v1/inventory/rollup?gwp=AR5&substance=",
            "/api/v1/inventory/rollup?year=",
            "/api/v1/inventory/activities?year=",
            "/api/v1/inventory/indicators?year=",
            "/api/v1/inventory/?co2_method=",
            "/inventory?gwp=",
            "/inventory?year=",
            "/inventory/rows?year=",
            "/inventory/rows?district=",
            "/inventory/rows?page=",
            "/inventory/rows/",
            "/api/v1/synergy/index?co2_method=",
            "/api/v1/synergy/districts?year=",
            "/api/v1/synergy/coordinates?year0=",
            "/api/v1/synergy/coordinates?ghg=",
            "/api/v1/synergy/coordinates?gwp=",
            "/api/v1/synergy/decomposition?substance=",
            "/api/v1/synergy/decomposition?year1=",
            "/api/v1/synergy/measures?co2_method=",
            "/api/v1/synergy/mac?net=",
            "/synergy?year0=",
            "/synergy?substance=",
            "/synergy?year=",
        ]
    ),
    arg=segment,
)
def test_no_input_gives_a_server_error(client: TestClient, path: str, arg: str) -> None:
    url = path + quote(arg, safe="")
    r = client.get(url)
    assert r.status_code < 500, (url, r.status_code, r.text[:200])
