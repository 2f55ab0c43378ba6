"""The inventory pages in Chinese and English: overview with chart data, filtered rows, trace."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from xietong.accounting.factors import load_gwp
from xietong.service.platform import Platform
from xietong.units import convert

PAGES = ["/inventory", "/inventory/rows", "/inventory/rows/0", "/inventory?gwp=AR6&year=2021"]


@pytest.mark.parametrize("path", PAGES)
def test_inventory_pages_render_in_chinese_and_english(client: TestClient, path: str) -> None:
    zh = client.get(path)
    assert zh.status_code == 200, zh.text[:300]
    assert '<html lang="zh-CN">' in zh.text and "排放清单" in zh.text
    en = client.get(path, params={"lang": "en"})
    assert en.status_code == 200
    assert '<html lang="en">' in en.text and "Inventory" in en.text


def _chart(html: str) -> dict[str, object]:
    block = html.split('id="inventory-data">')[1].split("</script>")[0]
    data: dict[str, object] = json.loads(block)
    return data


def test_overview_names_the_gwp_and_shows_everything(
    client: TestClient, inventory_platform: Platform
) -> None:
    html = client.get("/inventory").text
    assert 'id="gwp-used">AR5<' in html and "GWP: AR5" in html
    for chart in ("sector", "gas", "district", "scope", "pollutants"):
        assert f'id="chart-inv-{chart}"' in html
    assert "估算" in html and "50%" in html  # 15 of 30 activity rows are estimates
    assert "间接排放" in html and "直接排放" in html
    assert "青山区" in html and "全市(未分区)" in html
    inv = inventory_platform.inventory()
    for edition in inv.editions:
        assert edition in html
    data = _chart(html)
    assert data["years"] == ["2020", "2021", "2022"] and data["gwp"] == "AR5"
    sector = {s["key"]: s["data"] for s in data["sector"]}  # type: ignore[union-attr]
    by = inv.co2e(load_gwp("AR5"), ["sector", "year"])
    industry = by[by["sector"] == "industry"]["co2e"].tolist()
    assert sector["industry"] == pytest.approx(industry)
    ar6 = _chart(client.get("/inventory", params={"gwp": "AR6"}).text)
    assert ar6["gwp"] == "AR6" and ar6["sector"] != data["sector"]


def test_overview_shows_the_districts_allocated_by_proxy_labelled_demo(
    client: TestClient, inventory_platform: Platform
) -> None:
    """The allocated district view sums to the year's total and is labelled 演示数据."""
    html = client.get("/inventory", params={"year": "2022"}).text
    assert 'id="inv-allocated"' in html and 'id="chart-inv-district-allocated"' in html
    assert "演示数据" in html.split('id="inv-allocated"')[1].split("</h2>")[0]
    data = _chart(html)
    allocated = data["district_allocated"]
    plain = data["district"]
    assert isinstance(allocated, list) and isinstance(plain, list)
    assert "全市(未分区)" not in [name for name, _ in allocated]
    assert sum(v for _, v in allocated) == pytest.approx(sum(v for _, v in plain), rel=1e-9)
    en = client.get("/inventory", params={"year": "2022", "lang": "en"}).text
    assert "allocated by proxy" in en


def test_rows_are_filtered_and_link_to_their_trace(client: TestClient) -> None:
    html = client.get("/inventory/rows", params={"year": "2021", "substance": "SO2"}).text
    assert html.count('class="trace-link"') == 2  # two coal rows give SO2 in 2021
    assert 'href="/inventory/rows/' in html
    assert "估算" in html  # the estimated coal row is labelled
    empty = client.get("/inventory/rows", params={"year": "", "sector": "", "page": "99"})
    assert empty.status_code == 200
    none = client.get("/inventory/rows", params={"substance": "Kr"}).text
    assert "没有符合条件的排放记录" in none


def test_trace_page_shows_each_factor_with_its_source(
    client: TestClient, inventory_platform: Platform
) -> None:
    table = inventory_platform.inventory().table()
    row = int(
        table[(table["activity"] == "bituminous_coal") & (table["substance"] == "CO2")][
            "row_id"
        ].iloc[0]
    )
    html = client.get(f"/inventory/rows/{row}").text
    assert "t.ncv.bit" in html and "China enterprise guideline" in html and "appendix" in html
    assert "CN-ENT-2022" in html and "✓" in html
    assert 'id="trace-formula"' in html and "44/12" in html
    assert "test figure" in html  # the activity's own source
    assert client.get("/inventory/rows/99999").status_code == 404
    assert client.get("/inventory/rows/abc").status_code == 422


def test_navigation_links_to_the_inventory(client: TestClient) -> None:
    assert 'href="/inventory"' in client.get("/").text


def test_the_grid_factor_is_stated_with_the_years_it_stands_in_for(
    client: TestClient, inventory_platform: Platform
) -> None:
    """A city inventory counts purchased electricity by its province's factor (湖北) by
    default, the regional one (华中) beside it; the page says which, and names the years that
    use a factor published for another year (the test library has 2022 factors only, the
    activity table 2020–2022); a 2020 electricity row's trace says so too."""
    inv = inventory_platform.inventory()
    assert inv.options.grid_region == "hubei"
    html = client.get("/inventory").text
    section = html.split('id="inv-grid"')[1].split("</section>")[0]
    assert "湖北省电网" in section and "华中区域电网" in section
    assert "2020、2021年无公布的电力排放因子" in section and "(2022年)" in section
    frame = inv.frame()
    electricity = frame[(frame["activity"] == "electricity") & (frame["year"] == 2022)]
    mwh = sum(
        convert(a.amount, a.unit, "MWh")
        for a in inv.activities
        if a.activity == "electricity" and a.year == 2022
    )
    assert mwh > 0
    assert electricity["value"].sum() == pytest.approx(mwh * 0.4364, rel=1e-9)
    row = int(frame.index[(frame["activity"] == "electricity") & (frame["year"] == 2020)][0])
    trace = client.get(f"/inventory/rows/{row}").text
    assert "2022年因子(本年无公布值)" in trace
    en = client.get("/inventory", params={"lang": "en"}).text
    assert "Hubei provincial grid" in en and "No factor is published for 2020, 2021" in en


def test_the_three_co2_calibers_stand_side_by_side(
    client: TestClient, inventory_platform: Platform
) -> None:
    """/inventory shows the official caliber, the territorial one (D) and end-use energy CO2
    (F) with their definitions; the official figure is the indicator's (one truth), and the
    parts add up: fuel + electricity − generation × factor = official; D = all direct CO2
    except forestry + the same net import."""
    from xietong.accounting.indicators import compute_indicators
    from xietong.service.inventory_views import co2_calibers

    inv = inventory_platform.inventory()
    stats = inventory_platform.statistics()
    indicators = compute_indicators(inv, stats)
    official = indicators[indicators["indicator_id"] == "co2_official"]
    want = dict(zip(official["year"], official["value"], strict=True))
    table = inv.table()
    co2 = table[(table["substance"] == "CO2") & (table["scope"] == "direct")]
    direct = co2[co2["sector"] != "forestry"].groupby("year")["value"].sum()
    rows = co2_calibers(inv, stats)
    assert [r["year"] for r in rows] == sorted(want)
    for r in rows:
        assert r["official"] == pytest.approx(want[r["year"]], rel=1e-12)
        net = r["electricity"] - r["generation_mwh"] * r["t_per_mwh"]
        assert r["official"] == pytest.approx(r["fuel"] + net, rel=1e-12)
        assert r["territorial"] == pytest.approx(direct[r["year"]] + net, rel=1e-12)
    html = client.get("/inventory").text
    section = html.split('id="inv-calibers"')[1].split("</section>")[0]
    assert "官方口径" in section and "辖区口径" in section and "终端能源消费口径" in section
    assert "净调入电力" in section
    last = rows[-1]
    assert f"{round(last['official']):,}" in section
    en = client.get("/inventory", params={"lang": "en"}).text
    assert "Official caliber" in en and "D territorial" in en and "F end-use energy" in en
