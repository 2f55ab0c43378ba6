"""The synergy page in Chinese and English: the series against the plan target, coordinates,
LMDI waterfalls, the district tile map (no-data state), the measures and the MAC curve."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.signin import token_client
from xietong.accounting.factors import load_gwp
from xietong.service import synergy_views
from xietong.service.platform import Platform

PAGES = ["/synergy", "/synergy?year0=2020&year1=2022&substance=SO2&year=2021"]


def _chart(html: str) -> dict[str, object]:
    block = html.split('id="synergy-data">')[1].split("</script>")[0]
    data: dict[str, object] = json.loads(block)
    return data


@pytest.mark.parametrize("path", PAGES)
def test_synergy_page_renders_in_chinese_and_english(synergy_client: TestClient, path: str) -> None:
    zh = synergy_client.get(path)
    assert zh.status_code == 200, zh.text[:300]
    assert '<html lang="zh-CN">' in zh.text and "减污降碳协同评估" in zh.text
    assert 'href="/synergy" class="on"' in zh.text  # the nav link
    for words in ("协同度 D 时间序列", "固定参照值评分", "协同控制坐标系", "LMDI 因素分解"):
        assert words in zh.text
    for quadrant in ("协同减排", "减污增碳", "双增", "降碳增污"):
        assert quadrant in zh.text
    en = synergy_client.get(path, params={"lang": "en"})
    assert en.status_code == 200
    assert '<html lang="en">' in en.text and "Synergy of pollution and carbon reduction" in en.text
    assert "fixed references" in en.text and "Co-reduction" in en.text
    for sub in ("排放", "结构", "环境质量", "协同控制效应"):
        assert f"U {sub}" in zh.text


def test_series_chart_marks_the_target_and_the_latest_value(
    synergy_client: TestClient, synergy_platform: Platform
) -> None:
    html = synergy_client.get("/synergy").text
    series = synergy_platform.synergy()
    latest = float(series["d"].iloc[-1])
    assert 'id="chart-syn-series"' in html and 'id="series-table"' in html
    assert 'href="/targets/synergy-degree-2025"' in html
    assert f'id="latest-d">{latest:.3f}<' in html
    data = _chart(html)
    s = data["series"]
    assert isinstance(s, dict)
    assert s["deadline"] == 2025
    assert [p[0] for p in s["points"]] == [int(y) for y in series["year"]]
    assert [sub["name"] for sub in s["subsystems"]] == [
        "U 排放",
        "U 结构",
        "U 环境质量",
        "U 协同控制效应",
    ]
    flagged = series[~series["consistent"].astype(bool)]
    assert [p[0] for p in s["flagged"]] == [int(y) for y in flagged["year"]]
    if not flagged.empty:
        assert 'id="series-flags"' in html and "需复核" in html
    assert s["latest"] == [2022, pytest.approx(latest)]
    labels = data["labels"]
    assert isinstance(labels, dict) and "2025" in labels["deadline"]
    # every estimate-based figure carries the 估算 badge
    assert html.count('class="estimate-tag"') >= 6
    assert 'id="estimate-note"' in html


def test_coordinates_waterfalls_and_measures(synergy_client: TestClient) -> None:
    html = synergy_client.get("/synergy", params={"substance": "SO2"}).text
    data = _chart(html)
    assert 'id="chart-syn-coords"' in html and 'id="coords-table"' in html
    # the measures' CO2e counts indirect emissions: the page names the grid factor's region
    assert "电网排放因子区域: 湖北省电网" in html.split('id="measures-grid">')[1]
    assert "少缴环保税" in html  # the co-benefit column
    measures = data["measures"]
    assert isinstance(measures, list) and {m["name"] for m in measures} == {"化肥减量", "以电代煤"}
    assert all(m["quadrant"] == "synergy" for m in measures)
    city = data["city"]
    assert isinstance(city, dict) and city["x"] != 0
    waterfalls = data["waterfalls"]
    assert isinstance(waterfalls, list)
    # the Kaya drivers of fuel combustion, then the structural ones (by 三次产业) where the
    # statistics give both years' value added by industry
    assert [w["substance"] for w in waterfalls][:2] == ["CO2", "SO2"]
    assert {w["id"] for w in waterfalls} <= {
        "chart-syn-lmdi-co2",
        "chart-syn-lmdi-pollutant",
        "chart-syn-lmdi-co2-structural",
        "chart-syn-lmdi-pollutant-structural",
    }
    for w in waterfalls:
        bars = w["bars"]
        assert len(bars) in (7, 9)  # start, five (Kaya) or seven (structural) drivers, end
        # each driver floats from the running total; the last one closes on the end value
        run = bars[0]["hi"]
        for bar in bars[1:-1]:
            assert (bar["lo"], bar["hi"]) == pytest.approx(
                (min(run, run + bar["value"]), max(run, run + bar["value"]))
            )
            run += bar["value"]
        assert run == pytest.approx(bars[-1]["hi"])
    assert 'id="chart-syn-lmdi-co2"' in html and 'id="chart-syn-lmdi-pollutant"' in html
    # 2020 → 2022: both years have the value added by industry, so the structure shows
    assert 'id="chart-syn-lmdi-co2-structural"' in html and "产业结构" in html
    assert 'id="measures-table"' in html and "GWP: AR5" in html
    assert 'id="chart-syn-mac"' in html
    mac = data["mac"]
    assert isinstance(mac, list) and [m["name"] for m in mac] == ["以电代煤", "化肥减量"]
    assert mac[1]["start"] == pytest.approx(mac[0]["width"])


def test_districts_on_allocated_rows_fill_the_tile_map_labelled_demo(
    synergy_client: TestClient,
) -> None:
    html = synergy_client.get("/synergy").text
    assert 'class="tilemap"' in html and 'id="district-missing"' not in html
    assert 'id="district-allocated"' in html and "演示数据" in html
    assert 'id="district-table"' in html and "#1 · D" in html
    en = synergy_client.get("/synergy", params={"lang": "en"}).text
    assert "allocated to the districts by proxy shares" in en


def test_a_district_page_shows_its_allocated_emissions_and_rank(
    synergy_client: TestClient, synergy_platform: Platform
) -> None:
    """The district's CO2e and rank equal the library's profile on the allocated rows; a unit
    that receives no share (长江新区) has no profile."""
    html = synergy_client.get("/districts/hongshan").text
    section = html.split('id="district-profile"')[1].split("</section>")[0]
    assert "演示数据" in section and "按代理指标份额分配" in section
    data = synergy_platform.synergy_data()
    profile = data.district_profile("hongshan", data.years[-1], load_gwp("AR5"))
    assert profile is not None and profile["basis"] == "allocated" and profile["demo"]
    assert f"{profile['co2e']:,.0f} 吨CO2e" in section
    assert f"#{profile['rank']} / {profile['of']}" in section
    assert sum(profile["by_sector"].values()) == pytest.approx(profile["co2e"])
    en = synergy_client.get("/districts/hongshan", params={"lang": "en"}).text
    assert "of the city" in en and "allocated by proxy shares" in en
    none = synergy_client.get("/districts/changjiang").text
    assert 'id="district-profile"' not in none


def test_districts_without_data_show_a_greyed_tile_map(
    synergy_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synergy_views, "ALLOCATION_FILES", ("none.csv", "none.csv", "none.csv"))
    html = synergy_client.get("/synergy").text
    assert 'class="tilemap greyed"' in html and 'id="district-missing"' in html
    assert "暂无分区数据" in html
    assert "grid-row:" in html and 'href="/districts/qingshan"' in html
    en = synergy_client.get("/synergy", params={"lang": "en"}).text
    assert "No district data yet" in en


def test_a_page_without_the_reference_year_says_why(scenario_client: TestClient) -> None:
    """The scenario table (2022–2024) has no 2020: no synergy degree, and the page says why;
    the rest of the page still shows."""
    r = scenario_client.get("/synergy")
    assert r.status_code == 200
    html = r.text
    assert 'id="series-missing"' in html and "暂无协同度" in html and "reference year 2020" in html
    assert 'id="chart-syn-coords"' in html and 'id="coords-table"' in html
    assert 'id="chart-syn-lmdi-co2"' in html
    assert _chart(html)["series"] is None


def test_a_page_without_activity_data(platform: Platform) -> None:
    client = token_client(platform)
    r = client.get("/synergy", params={"lang": "en"})
    assert r.status_code == 200, r.text[:300]
    assert "xietong inventory import" in r.text


def test_every_quadrant_has_a_name_in_both_languages() -> None:
    import json
    from pathlib import Path

    from xietong.synergy.coordinates import Quadrant

    root = Path(__file__).parents[2] / "xietong" / "web" / "messages"
    for lang in ("zh", "en"):
        messages = json.loads((root / f"{lang}.json").read_text(encoding="utf-8"))
        for q in Quadrant:
            assert f"syn_q_{q.value}" in messages, (lang, q)
