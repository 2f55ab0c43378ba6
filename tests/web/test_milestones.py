"""Milestones on the web: the upload form and the API, all or nothing; the measure pages show
every measure's status and its milestones in Chinese and English."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

HEADER = "milestone_id,date,state,district,reported_by,evidence\n"


def _ids(client: TestClient) -> list[str]:
    measures = client.get("/api/v1/measures").json()
    return [ms["id"] for m in measures for ms in m["milestones"]]


def test_the_upload_form_imports_or_names_every_bad_row(client: TestClient) -> None:
    first = _ids(client)[0]
    before = len(client.get("/api/v1/milestones").json())
    bad = HEADER + f"{first},2024-06-30,done,,,\nnope,2024-06-30,late,,,\n"
    r = client.post("/milestones/upload", files={"file": ("m.csv", bad.encode(), "text/csv")})
    assert r.status_code == 422 and "nope" in r.text and "state" in r.text
    assert len(client.get("/api/v1/milestones").json()) == before
    good = HEADER + f"{first},2024-06-30,已完成,,eeb,印发通知\n"
    r = client.post(
        "/milestones/upload",
        files={"file": ("m.csv", good.encode(), "text/csv")},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and "m.csv" in r.text
    assert len(client.get("/api/v1/milestones").json()) == before + 1


def test_the_api_imports_a_milestone_table(client: TestClient) -> None:
    first = _ids(client)[0]
    body = HEADER + f"{first},2024-06-30,in_progress,,eeb,\n"
    r = client.post("/api/v1/milestones", files={"file": ("m.csv", body.encode(), "text/csv")})
    assert r.status_code == 200 and r.json() == {"file": "m.csv", "inserted": 1}
    r = client.post("/api/v1/milestones", files={"file": ("m.csv", b"a,b\n1,2\n", "text/csv")})
    assert r.status_code == 422


def test_measure_pages_show_status_and_milestones(client: TestClient) -> None:
    for lang in ("zh", "en"):
        html = client.get(f"/measures?lang={lang}").text
        assert len(re.findall(r'data-measure-status="(\w+)"', html)) == 26
        page = client.get(f"/measures/24?lang={lang}")
        assert page.status_code == 200
        assert page.text.count('data-milestone="annual-report-') == 8
    detail = client.get("/api/v1/measures/24").json()
    assert detail["status"]["state"] in ("not_started", "in_progress", "done", "late")
    assert len(detail["status"]["milestones"]) == len(detail["measure"]["milestones"])


def test_garbage_milestone_files_are_a_clear_422(client: TestClient) -> None:
    for name, data in [
        ("x.xlsx", b"not a workbook"),
        ("x.pdf", b"%PDF-1.4"),
        ("x.csv", b"\xff\xfe\x00garbage"),
        ("x.csv", b""),
        ("x.csv", HEADER.encode()),
    ]:
        r = client.post("/api/v1/milestones", files={"file": (name, data)})
        assert r.status_code == 422, (name, r.status_code, r.text[:200])
        page = client.post("/milestones/upload", files={"file": (name, data)})
        assert page.status_code == 422, (name, page.status_code)
