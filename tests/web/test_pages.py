"""Server-rendered pages in Chinese and English, the upload form and the Excel download."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook

PAGES = [
    "/",
    "/measures",
    "/measures/7",
    "/targets",
    "/targets/coal-share-2025",
    "/bodies",
    "/bodies/transport",
    "/districts",
    "/districts/hongshan",
    "/progress/upload",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_chinese_and_english(client: TestClient, path: str) -> None:
    zh = client.get(path)
    assert zh.status_code == 200
    assert '<html lang="zh-CN">' in zh.text
    assert "减污降碳" in zh.text
    en = client.get(path, params={"lang": "en"})
    assert en.status_code == 200
    assert '<html lang="en">' in en.text
    assert en.cookies.get("lang") == "en"


def test_language_choice_is_remembered(client: TestClient) -> None:
    client.get("/", params={"lang": "en"})
    assert '<html lang="en">' in client.get("/measures").text
    client.get("/", params={"lang": "zh"})
    assert '<html lang="zh-CN">' in client.get("/measures").text


def test_dashboard_shows_statuses_chapters_and_districts(client: TestClient) -> None:
    html = client.get("/").text
    assert 'id="dashboard-data"' in html
    for label in ("已完成", "未完成", "无数据"):
        assert label in html
    assert "洪山区" in html and "东湖新技术开发区" in html
    assert "演示数据" in html  # demo figures are labelled


def test_target_page_has_chart_data_and_source_sentence(client: TestClient) -> None:
    html = client.get("/targets/coal-share-2025").text
    assert 'id="chart-target"' in html and 'id="target-data"' in html
    assert "到2025年,全市煤炭占能源消费总量的比重下降至30%以内" in html
    assert "&#34;" not in html.split('id="target-data">')[1].split("</script>")[0]


def test_missing_pages_are_404_pages_not_errors(client: TestClient) -> None:
    r = client.get("/targets/nope")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert client.get("/measures/999").status_code == 404
    assert client.get("/nowhere").status_code == 404


def test_upload_form_reports_every_bad_row(client: TestClient) -> None:
    csv = "目标编号,期间,数值\ncoal-share-2025,2026,abc\nnope,2026,1\n"
    r = client.post(
        "/progress/upload",
        files={"file": ("bad.csv", io.BytesIO(csv.encode()))},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200  # htmx swaps only 2xx: the partial carries the rejection
    assert "bad.csv" in r.text and "nope" in r.text
    full = client.post("/progress/upload", files={"file": ("bad.csv", io.BytesIO(csv.encode()))})
    assert full.status_code == 422 and "<html" in full.text


def test_export_downloads_a_workbook(client: TestClient, tmp_path: object) -> None:
    r = client.get("/progress/export.xlsx")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    assert "进度 progress" in book.sheet_names


def test_district_tiles_show_coverage_of_the_targets_that_apply(client: TestClient) -> None:
    rollups = {r["key"]: r for r in client.get("/api/v1/rollups/district").json()}
    for lang, word in (("zh", "项适用目标有数据"), ("en", "applicable targets with data")):
        html = client.get(f"/?lang={lang}").text
        assert "tile-good" not in html  # the palette lives in the stylesheet, with a legend
        assert 'class="legend"' in html
        for code, r in rollups.items():
            tile = re.search(rf'href="/districts/{code}".*?</a>', html, re.S)
            if tile is None:  # districts without a grid position are not drawn
                continue
            assert f"{r['with_data']}/{r['targets']}" in tile.group(0)
            assert word in tile.group(0)
