"""The scenario pages in Chinese and English: pathways with their peaks, CO2 by sector, the fan,
the target checklist, the wedges and the ranking, the sensitivity table and the 估算 badges;
the new-scenario form round trip, and a bad file that names its key and saves nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.signin import token_client
from xietong.service.platform import Platform


def _chart(html: str) -> dict[str, object]:
    block = html.split('id="scenario-data">')[1].split("</script>")[0]
    data: dict[str, object] = json.loads(block)
    return data


def _saved(p: Platform) -> list[str]:
    folder: Path = p.user_scenario_dir()
    return sorted(f.name for f in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("path", ["/scenarios", "/scenarios?id=enhanced"])
def test_the_page_renders_in_chinese_and_english(scenario_client: TestClient, path: str) -> None:
    zh = scenario_client.get(path)
    assert zh.status_code == 200, zh.text[:300]
    assert '<html lang="zh-CN">' in zh.text and "情景分析：2035年排放路径" in zh.text
    assert 'href="/scenarios" class="on"' in zh.text
    titles = ("各情景二氧化碳排放路径（官方口径）与达峰", "分部门二氧化碳排放（官方口径）")
    for words in (*titles, "不确定性（蒙特卡洛）"):
        assert words in zh.text
    for words in ("各情景目标核对", "措施减排楔形图", "措施排序", "敏感性分析", "交互作用"):
        assert words in zh.text
    for status in ("已完成", "进度滞后"):  # the status names of the targets page
        assert status in zh.text
    for chart in ("lines", "sectors", "fan", "wedges"):
        assert f'id="chart-scn-{chart}"' in zh.text
    en = scenario_client.get(path, params={"lang": "en"})
    assert en.status_code == 200
    assert '<html lang="en">' in en.text and "Scenarios: pathways to 2035" in en.text
    assert "Target checklist by scenario" in en.text and "Measure ranking" in en.text


def test_figures_rest_on_estimates_and_say_so(scenario_client: TestClient) -> None:
    html = scenario_client.get("/scenarios").text
    note = html.split('id="estimate-note">')[1].split("</p>")[0]
    assert "估算" in note and "驱动因素" in note and "21项措施中16项为估算" in note
    assert html.count('class="estimate-tag"') >= 22  # every chart, and 16 of the 21 levers
    levers = html.split('id="lever-table"')[1].split("</table>")[0]
    assert levers.count('class="estimate-tag"') == 16 and levers.count('class="plan-tag"') == 5


def test_the_baseline_has_no_wedges_and_says_why(scenario_client: TestClient) -> None:
    """The baseline adds no lever to itself: no empty chart, a message naming its policies."""
    html = scenario_client.get("/scenarios", params={"id": "baseline"}).text
    assert 'id="no-wedges"' in html and 'id="chart-scn-wedges"' not in html
    assert "电网清洁化" in html.split('id="no-wedges"')[1].split("</p>")[0]
    plan = scenario_client.get("/scenarios", params={"id": "plan"}).text
    assert 'id="chart-scn-wedges"' in plan and 'id="no-wedges"' not in plan


def test_chart_data_peaks_and_checklist(
    scenario_client: TestClient, scenario_platform: Platform
) -> None:
    html = scenario_client.get("/scenarios").text
    data = _chart(html)
    assert data["chosen"] == "plan" and data["base_year"] == 2024
    lines = data["lines"]
    assert isinstance(lines, list) and [s["id"] for s in lines] == ["baseline", "plan", "enhanced"]
    for s in lines:
        result = scenario_platform.run_scenario(s["id"])
        assert s["data"][-1][0] == 2035
        assert s["peak"] == [result.peak.year, pytest.approx(result.peak.value)]
    sectors = data["sectors"]
    assert isinstance(sectors, dict) and len(sectors["years"]) == 14
    fan = data["fan"]
    assert isinstance(fan, dict) and set(fan["p_peak_by"]) == {"2025", "2030", "2035"}
    assert 'id="p-peak-2030"' in html
    wedges = data["wedges"]
    assert isinstance(wedges, dict) and len(wedges["levers"]) == 18
    assert len(wedges["interaction"]) == 11
    checklist = html.split('id="target-checklist"')[1].split("</table>")[0]
    assert "coal-share-2025" in checklist and "2022年达成" in checklist
    assert "差距" in checklist
    ranking = html.split('id="measure-ranking"')[1].split("</table>")[0]
    assert "电网清洁化" not in ranking  # existing policy, in the baseline: no wedge
    assert ranking.index("屋顶分布式光伏") < ranking.index("公交车新能源替代")
    sens = html.split('id="sensitivity-table"')[1].split("</table>")[0]
    assert "GDP增速" in sens and "措施力度: 电网清洁化" in sens


def test_without_the_base_year_the_page_says_why(client: TestClient) -> None:
    r = client.get("/scenarios")
    assert r.status_code == 200
    assert 'id="scenario-missing"' in r.text and "base year 2024" in r.text
    assert "chart-scn-lines" not in r.text


def test_without_activity_data_the_page_says_why(platform: Platform) -> None:
    r = token_client(platform).get("/scenarios")
    assert r.status_code == 200 and "no activity data" in r.text


def test_the_form_round_trip(scenario_client: TestClient, scenario_platform: Platform) -> None:
    form = scenario_client.get("/scenarios/new", params={"from": "plan"})
    assert form.status_code == 200 and "新建情景" in form.text
    fields = dict(re.findall(r'name="([a-z0-9-]+)" value="([^"]*)"', form.text))
    assert fields["from"] == "plan"
    assert fields["share-coal-to-gas"] == "0.665" and fields["factor-cleaner-grid"] == "0.8"
    assert fields["start-cleaner-grid"] == "2025" and fields["full-cleaner-grid"] == "2035"
    assert fields["strength-steel-ule"] == "1"
    fields.update(
        {
            "id": "half-grid",
            "zh": "电网半强度",
            "en": "Half grid",
            "strength-cleaner-grid": "0.5",
            "factor-rooftop-pv": "0.9",
        }
    )
    r = scenario_client.post("/scenarios/new", data=fields, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    assert r.headers["location"] == "/scenarios?id=half-grid"
    saved = yaml.safe_load((scenario_platform.user_scenario_dir() / "half-grid.yaml").read_text())
    assert saved == {
        "id": "half-grid",
        "zh": "电网半强度",
        "en": "Half grid",
        "extends": "plan",
        "overrides": {"rooftop-pv": {"factor": 0.9}, "cleaner-grid": {"strength": 0.5}},
    }
    page = scenario_client.get(r.headers["location"])
    assert page.status_code == 200
    assert '<option value="half-grid" selected>电网半强度 (用户情景)</option>' in page.text
    data = _chart(page.text)
    lines = data["lines"]
    assert isinstance(lines, list) and [s["id"] for s in lines][-1] == "half-grid"
    assert lines[-1]["data"][-1][1] > lines[1]["data"][-1][1]  # a weaker grid lever: more CO2
    # the new scenario is a parent for the next one
    assert scenario_client.get("/scenarios/new?from=half-grid").status_code == 200


def test_a_bad_form_or_file_names_the_key_and_saves_nothing(
    scenario_client: TestClient, scenario_platform: Platform
) -> None:
    r = scenario_client.post(
        "/scenarios/new", data={"from": "plan", "id": "x", "share-coal-to-gas": "1.5"}
    )
    assert r.status_code == 422
    assert 'id="error-key">overrides.coal-to-gas.share<' in r.text
    assert "1.5 is not in [0, 1]" in r.text and "情景未保存" in r.text
    assert 'value="1.5"' in r.text  # what was typed is kept
    r = scenario_client.post(
        "/scenarios/new", data={"from": "plan", "id": "x", "full-fertiliser": "soon"}
    )
    assert r.status_code == 422 and "full-fertiliser" in r.text and "is not a year" in r.text
    bad = "id: pasted\nzh: a\nen: b\nlevers:\n  - {id: a, kind: squash, match: {activity: x}}\n"
    r = scenario_client.post("/scenarios/new", data={"from": "plan", "yaml": bad})
    assert r.status_code == 422
    assert 'id="error-key">levers[0].kind<' in r.text and "pasted.yaml" in r.text
    assert "squash" in r.text and "levers:" in r.text  # the pasted text is kept
    r = scenario_client.post("/scenarios/new", data={"from": "plan", "id": "Bad Id"})
    assert r.status_code == 422 and 'id="error-key">id<' in r.text
    assert _saved(scenario_platform) == []
    ids = [
        o for o in re.findall(r'<option value="([^"]+)"', scenario_client.get("/scenarios").text)
    ]
    assert ids == ["baseline", "plan", "enhanced"]


def test_a_pasted_yaml_is_saved(scenario_client: TestClient, scenario_platform: Platform) -> None:
    text = "id: pasted\nzh: 粘贴\nen: Pasted\nextends: enhanced\n"
    r = scenario_client.post(
        "/scenarios/new", data={"from": "plan", "yaml": text}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/scenarios?id=pasted"
    assert _saved(scenario_platform) == ["pasted.yaml"]


def test_unknown_scenarios(scenario_client: TestClient) -> None:
    assert scenario_client.get("/scenarios?id=nope").status_code == 200  # falls back to plan
    assert scenario_client.get("/scenarios/new?from=nope").status_code == 404
    r = scenario_client.post("/scenarios/new", data={"from": "nope", "id": "x"})
    assert r.status_code == 404


def test_the_least_cost_form_solves_shows_and_saves(
    scenario_client: TestClient, scenario_platform: Platform
) -> None:
    """/scenarios/optimise: with a NOx cap the plan meets, the result shows the strengths, the
    cost beside the plan's, the re-run check and the shadow prices, equal to the service's;
    saving it makes a user scenario whose description names them; an impossible cap and a
    bad number say why, with nothing saved."""
    from xietong.scenarios.least_cost import Request
    from xietong.service.scenario_views import least_cost_record

    first = scenario_client.get("/scenarios/optimise")
    assert first.status_code == 200 and 'id="optimise-form"' in first.text
    assert 'id="optimise-result"' not in first.text
    assert 'href="/scenarios/optimise"' in scenario_client.get("/scenarios").text
    plan = scenario_platform.run_scenario("plan")
    nox = plan.indicators[
        (plan.indicators.indicator_id == "nox_emissions_total") & (plan.indicators.year > 2024)
    ]
    cap = f"{float(nox['value'].max()):.3f}"
    page = scenario_client.get("/scenarios/optimise", params={"cap-NOx": cap})
    assert page.status_code == 200, page.text[:500]
    html = page.text
    assert 'id="optimise-result"' in html and "各项约束均成立" in html and "满足相同约束" in html
    expected = least_cost_record(scenario_platform.least_cost(Request(caps={"NOx": float(cap)})))
    assert f"{expected['cost'] / 1e8:.2f}" in html.split('id="opt-cost"')[1][:200]
    assert 'id="chart-opt-co2"' in html
    en = scenario_client.get("/scenarios/optimise", params={"cap-NOx": cap, "lang": "en"})
    assert "Least-cost pathway" in en.text and "every constraint holds" in en.text
    fields = {"cap-NOx": cap, "cap_from": "2025", "id": "lc-web"}
    saved = scenario_client.post("/scenarios/optimise", data=fields, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/scenarios?id=lc-web"
    text = (scenario_platform.user_scenario_dir() / "lc-web.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["extends"] == "plan" and "影子价格" in text
    shown = scenario_client.get("/scenarios?id=lc-web&lang=zh")
    assert shown.status_code == 200 and "最低成本情景" in shown.text
    impossible = scenario_client.get(
        "/scenarios/optimise", params={"peak_by": "2030", "cap-NOx": "1"}
    )
    assert impossible.status_code == 422 and 'id="optimise-error"' in impossible.text
    bad = scenario_client.get("/scenarios/optimise", params={"cap-NOx": "lots"})
    assert bad.status_code == 422 and "cap-NOx" in bad.text
    nothing = scenario_client.post("/scenarios/optimise", data={"id": "lc-none"})
    assert nothing.status_code == 422
    assert not (scenario_platform.user_scenario_dir() / "lc-none.yaml").exists()
