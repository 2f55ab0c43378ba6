"""The reports page and ``/api/v1/reports``: the bureau downloads the annual report as Word and
PDF and reads it as JSON with the service's figures; the page says which date the data run to
and its version, in Chinese and in English; others are refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from tests.signin import session_client, token_client
from tests.web.test_language import foreign
from xietong.service.annual_report import annual_report_record
from xietong.service.platform import Platform

YEAR = dt.date.today().year - 1


def test_the_bureau_downloads_the_annual_report(demo_platform: Platform) -> None:
    p = demo_platform
    client, name = session_client(p, "reviewer")
    page = client.get("/reports", params={"year": YEAR, "lang": "zh"})
    assert page.status_code == 200, page.text[:300]
    html = page.text
    meta = p.assessment_meta()
    assert f"数据版本 {meta['data_version']}" in html and 'href="/reports"' in html  # the menu
    assert 'action="/reports/annual.docx"' in html
    assert f'<option value="{YEAR}" selected>' in html.split('id="rp-year"')[1]
    assert foreign(html.replace(meta["data_version"], ""), {name}) == []  # the version: hex
    en = client.get("/reports", params={"year": YEAR, "lang": "en"})
    assert en.status_code == 200 and "Annual report to the committee" in en.text
    word = client.get("/reports/annual.docx", params={"year": YEAR})
    assert word.status_code == 200
    assert word.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f"xietong-annual-report-{YEAR}.docx" in word.headers["content-disposition"]
    doc = Document(io.BytesIO(word.content))
    assert doc.paragraphs[0].text == f"武汉市{YEAR}年度减污降碳协同增效工作情况报告"
    pdf = client.get("/reports/annual.pdf", params={"year": YEAR})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_api_gives_the_services_record(demo_platform: Platform) -> None:
    p = demo_platform
    client = token_client(p, "reviewer")
    index = client.get("/api/v1/reports")
    assert index.status_code == 200
    assert {r["id"]: r["formats"] for r in index.json()}["annual"] == ["json", "docx", "pdf"]
    r = client.get("/api/v1/reports/annual", params={"year": YEAR})
    assert r.status_code == 200, r.text
    body = r.json()
    expected = annual_report_record(p, YEAR, actor="cli")
    assert body["meta"] == expected["meta"] and body["target_counts"] == expected["target_counts"]
    assert [(t["id"], t["status"], t["latest_value"]) for t in body["targets"]] == [
        (t["id"], t["status"], t["latest_value"]) for t in expected["targets"]
    ]
    assert body["risks"] == expected["risks"] and body["priorities"] == expected["priorities"]
    word = client.get("/api/v1/reports/annual", params={"year": YEAR, "format": "docx"})
    assert word.status_code == 200 and word.content.startswith(b"PK")
    assert client.get("/api/v1/reports/annual", params={"year": YEAR + 2}).status_code == 404


@pytest.mark.parametrize(
    "query", [{"year": "x"}, {"year": "1800"}, {}, {"year": "2024", "format": "xlsx"}]
)
def test_bad_input_is_a_422(platform: Platform, query: dict[str, str]) -> None:
    client = token_client(platform, "admin")
    assert client.get("/api/v1/reports/annual", params=query).status_code == 422


@pytest.mark.parametrize(("role", "who"), [("body", {"body": "transport"}), ("viewer", {})])
def test_others_are_refused(platform: Platform, role: str, who: dict[str, str]) -> None:
    api = token_client(platform, role, **who)
    assert api.get("/api/v1/reports/annual", params={"year": YEAR}).status_code == 403
    client, _ = session_client(platform, role, **who)
    assert client.get("/reports").status_code == 403
    assert client.get("/reports/annual.docx", params={"year": YEAR}).status_code == 403
    assert 'href="/reports"' not in client.get("/").text


def test_the_inventory_report_downloads_for_anyone_signed_in(inventory_platform: Platform) -> None:
    """The API's JSON is the service's record; Word and Excel download from the reports page's
    form and from the API; a body's reporter may have them too (the inventory is not
    restricted); a year without data is a 404, a GWP set unknown a 422."""
    from openpyxl import load_workbook

    from xietong.service.inventory_report import inventory_report_record

    p = inventory_platform
    year = p.latest_inventory_year()
    api = token_client(p, "body", body="transport")
    r = api.get("/api/v1/reports/inventory")
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    expected = inventory_report_record(p, year)
    assert body["year"] == year and body["results"] == expected["results"]
    assert body["meta"]["data_version"] == p.assessment_meta()["data_version"]
    xlsx = api.get("/api/v1/reports/inventory", params={"year": year, "format": "xlsx"})
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.content), read_only=True).sheetnames
    assert api.get("/api/v1/reports/inventory", params={"year": 1990}).status_code == 404
    assert api.get("/api/v1/reports/inventory", params={"gwp": "AR9"}).status_code == 422
    client, _ = session_client(p, "reviewer")
    page = client.get("/reports")
    assert page.status_code == 200 and 'id="rp-inventory-form"' in page.text
    assert f'<option value="{year}" selected>' in page.text.split('id="rp-inv-year"')[1]
    word = client.get("/reports/inventory.docx", params={"year": year})
    assert word.status_code == 200
    assert Document(io.BytesIO(word.content)).paragraphs[0].text == expected["title"]


def test_without_activity_data_the_page_says_so(demo_platform: Platform) -> None:
    client, _ = session_client(demo_platform, "reviewer")
    page = client.get("/reports")
    assert page.status_code == 200 and 'id="rp-inventory-none"' in page.text
    assert client.get("/reports/inventory.docx").status_code == 404
