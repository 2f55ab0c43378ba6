"""The 考核 page: the bureau sees every district and body with its score (the service's), in
Chinese without English and in English; the workbook downloads; others are refused."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.signin import session_client
from tests.web.test_language import foreign
from xietong.service.assessment_views import ranking_record
from xietong.service.platform import Platform


def test_the_bureau_sees_every_unit_with_the_services_score(demo_platform: Platform) -> None:
    p = demo_platform
    client, name = session_client(p, "reviewer")
    page = client.get("/assessment", params={"year": 2024, "lang": "zh"})
    assert page.status_code == 200, page.text[:300]
    html = page.text
    assert "2024年度考核得分" in html and 'href="/assessment"' in html  # in the menu
    assert foreign(html, {name}) == []
    expected = ranking_record(p.assessment(2024, actor="cli"), p.plan())
    for key in ("districts", "bodies"):
        table = html.split(f'id="as-table-{key}"')[1].split("</table>")[0]
        assert table.count("<tr data-unit=") == len(expected[key])
        first = expected[key][0]
        row = table.split(f'data-unit="{first["code"]}"')[1].split("</tr>")[0]
        assert f"<b>{first['total']:,.1f}</b>" in row
    assert 'id="chart-as-districts"' in html and 'id="assessment-data"' in html
    en = client.get("/assessment", params={"year": 2024, "lang": "en"})
    assert en.status_code == 200 and "Assessment scores 2024" in en.text
    xlsx = client.get("/assessment.xlsx", params={"year": 2024})
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert wb.sheetnames == ["方案 scheme", "区 districts", "部门 bodies", "明细 breakdown"]
    wb.close()


def test_a_body_or_a_viewer_is_refused_and_has_no_menu_entry(platform: Platform) -> None:
    for role, who in (("body", {"body": "transport"}), ("viewer", {})):
        client, _ = session_client(platform, role, **who)
        assert client.get("/assessment").status_code == 403
        assert client.get("/assessment.xlsx").status_code == 403
        assert 'href="/assessment"' not in client.get("/").text


def test_a_bad_year_is_refused_clearly(platform: Platform) -> None:
    client, _ = session_client(platform, "admin")
    for year in ("x", "1800", "99999"):
        r = client.get("/assessment", params={"year": year})
        assert r.status_code == 422
