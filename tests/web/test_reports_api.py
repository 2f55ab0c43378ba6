"""``/api/v1/reports/assessment``: the 考核 scores as the service computes them, for the bureau
only."""

from __future__ import annotations

import pytest

from tests.signin import token_client
from xietong.service.assessment_views import ranking_record
from xietong.service.platform import Platform


def test_the_bureau_reads_the_scores_the_service_computes(demo_platform: Platform) -> None:
    p = demo_platform
    client = token_client(p, "reviewer")
    r = client.get("/api/v1/reports/assessment", params={"year": 2024})
    assert r.status_code == 200, r.text
    body = r.json()
    expected = ranking_record(p.assessment(2024, actor="cli"), p.plan())
    assert body["scheme"]["version"] == expected["scheme"]["version"] == 1
    assert [(s["code"], s["rank"], s["total"]) for s in body["bodies"]] == [
        (s["code"], s["rank"], s["total"]) for s in expected["bodies"]
    ]
    assert len(body["districts"]) == len(p.plan().districts)
    weights = sum(c["weight"] for c in body["scheme"]["criteria"])
    assert weights == pytest.approx(100)


@pytest.mark.parametrize(("role", "who"), [("body", {"body": "transport"}), ("viewer", {})])
def test_others_are_refused(platform: Platform, role: str, who: dict[str, str]) -> None:
    client = token_client(platform, role, **who)
    r = client.get("/api/v1/reports/assessment", params={"year": 2024})
    assert r.status_code == 403


@pytest.mark.parametrize("year", ["x", "1800", "", "2024.5"])
def test_a_bad_year_is_a_422(platform: Platform, year: str) -> None:
    client = token_client(platform, "admin")
    assert client.get("/api/v1/reports/assessment", params={"year": year}).status_code == 422
