"""Every error of the API has one body shape: ``detail`` (a message) and ``problems`` (a list,
maybe empty); and ``/api/v1/progress`` is paginated."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.signin import token_client
from xietong.service.platform import Platform
from xietong.web.app import create_app


def _shape(body: object) -> None:
    assert isinstance(body, dict)
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["problems"], list)


def test_every_api_error_has_one_shape(platform: Platform) -> None:
    viewer = token_client(platform, "viewer")
    anonymous = TestClient(create_app(platform), raise_server_exceptions=False)
    cases = [
        (anonymous.get("/api/v1/status"), 401),
        (viewer.get("/api/v1/targets/no-such-target"), 404),
        (viewer.get("/api/v1/progress?limit=0"), 422),
        (viewer.get("/api/v1/status?as_of=someday"), 422),
        (
            viewer.post(
                "/api/v1/progress",
                files={"file": ("p.csv", b"target_id,period,value\nnew-energy-bus-share,2024,1\n")},
            ),
            403,
        ),
        (viewer.post("/api/v1/scenarios/", content=b"id: x\n"), 403),
        (viewer.post("/api/v1/progress", content=b"x" * (13 * 2**20)), 413),
    ]
    for response, status in cases:
        assert response.status_code == status, (status, response.text[:200])
        _shape(response.json())
    admin = token_client(platform, "admin")
    bad_row = admin.post(
        "/api/v1/progress", files={"file": ("p.csv", b"target_id,period,value\nno-such,2024,1\n")}
    )
    assert bad_row.status_code == 422
    _shape(bad_row.json())
    assert bad_row.json()["problems"][0]["row"] == 2
    invalid = viewer.get("/api/v1/progress?limit=0").json()
    assert invalid["problems"][0]["column"] == "query.limit"


def test_progress_comes_a_page_at_a_time(demo_platform: Platform) -> None:
    client = token_client(demo_platform, "viewer")
    everything = client.get("/api/v1/progress?limit=5000").json()
    assert len(everything) == len(demo_platform.records()) > 10
    first = client.get("/api/v1/progress?limit=10").json()
    second = client.get("/api/v1/progress?limit=10&offset=10").json()
    assert first + second == everything[:20]
    assert client.get(f"/api/v1/progress?offset={len(everything)}").json() == []
    assert len(client.get("/api/v1/progress").json()) == min(1000, len(everything))
    assert client.get("/api/v1/progress?limit=5001").status_code == 422
