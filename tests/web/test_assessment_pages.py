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
    word = client.get("/assessment.docx", params={"year": 2024})
    assert word.status_code == 200
    from docx import Document

    doc = Document(io.BytesIO(word.content))
    assert doc.paragraphs[0].text == "2024年度减污降碳协同增效考核得分"
    assert f"数据版本 {p.assessment_meta()['data_version']}" in doc.paragraphs[2].text
    pdf = client.get("/assessment.pdf", params={"year": 2024})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert client.get("/assessment.odt").status_code == 422  # not a format offered


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


def test_the_bureau_uploads_a_new_edition_and_a_bad_one_is_explained(
    platform: Platform,
) -> None:
    from tests.service.test_assessment import NEW_SCHEME

    client, _ = session_client(platform, "reviewer")
    page = client.get("/assessment", params={"year": 2024})
    assert 'id="as-upload"' in page.text
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    bad = client.post(
        "/assessment/scheme",
        data={"csrf_token": csrf},
        files={"file": ("s.yaml", NEW_SCHEME.replace("on_time}", "luck}").encode(), "text/yaml")},
    )
    assert bad.status_code == 422 and "key &#39;rule&#39;" in bad.text
    assert platform.assessment_scheme().version == 1
    big = client.post(
        "/assessment/scheme",
        data={"csrf_token": csrf},
        files={"file": ("s.yaml", b"#" * (65 * 1024), "text/yaml")},
    )
    assert big.status_code == 422 and "64 KB" in big.text
    ok = client.post(
        "/assessment/scheme",
        data={"csrf_token": csrf},
        files={"file": ("s.yaml", NEW_SCHEME.encode(), "text/yaml")},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    after = client.get("/assessment", params={"year": 2024})
    assert "考核方案（第二版）" in after.text
    editions = after.text.split('id="as-editions"')[1].split("</ul>")[0]
    assert editions.count("<li>") == 2
    earlier = client.get("/assessment", params={"year": 2024, "version": 1})
    assert "平台建议稿" in earlier.text
    assert client.get("/assessment", params={"version": 9}).status_code == 404
    body, _ = session_client(platform, "body", body="transport")
    refused = body.post(
        "/assessment/scheme",
        data={"csrf_token": csrf},
        files={"file": ("s.yaml", NEW_SCHEME.encode(), "text/yaml")},
    )
    assert refused.status_code in (403, 400)
