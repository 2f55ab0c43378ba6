"""/api/v1/scenarios: the same figures as the library (a run, a comparison, wedges, the fan),
user scenarios posted as YAML (201, or 422 naming file, key and reason with nothing saved),
the IAMC export, clear 404s and 422s, and no server error on any input."""

from __future__ import annotations

import string
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SCENARIO_ACTIVITY, TEST_FACTORS
from xietong.accounting.activity import read_activity_csv
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import read_statistics
from xietong.datafiles import data_path
from xietong.files.iamc import read_iamc
from xietong.plan.loader import load_plan
from xietong.scenarios.fast import LinearModel, monte_carlo
from xietong.scenarios.projection import ScenarioResult, run_scenario, wedges
from xietong.scenarios.scenario import load_drivers, load_scenario
from xietong.service.platform import Platform

LIB = FactorLibrary.load(TEST_FACTORS)
ACTS = read_activity_csv(SCENARIO_ACTIVITY)
STATS = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
PLAN = load_plan("wuhan-2023")


def _run(scenario_id: str) -> ScenarioResult:
    return run_scenario(load_scenario(scenario_id), ACTS, STATS, load_drivers(), LIB, PLAN)


def _direct(result: ScenarioResult, substance: str, year: int) -> float:
    return sum(
        r.emission.tonnes
        for r in result.inventory.rows
        if r.activity.year == year
        and r.emission.scope == "direct"
        and r.emission.substance == substance
    )


def test_list_and_levers(scenario_client: TestClient) -> None:
    r = scenario_client.get("/api/v1/scenarios/")
    assert r.status_code == 200, r.text
    assert [(s["id"], s["levers"]) for s in r.json()] == [
        ("baseline", 3),
        ("plan", 21),
        ("enhanced", 22),
    ]
    assert scenario_client.get("/api/v1/scenarios").json() == r.json()
    body = scenario_client.get("/api/v1/scenarios/enhanced").json()
    assert body["extends"] == "plan" and not body["user"]
    levers = {lv["id"]: lv for lv in body["levers"]}
    assert levers["coal-to-gas"]["share"] == 0.8  # the enhanced override
    assert levers["steel-eaf"]["kind"] == "shift" and levers["steel-eaf"]["estimate"]
    assert not levers["steel-ule"]["estimate"]


JUDGED_APART = {"carbon-peak-2030", "synergy-degree-2025"}


def test_a_run_equals_the_library(scenario_client: TestClient) -> None:
    r = scenario_client.get("/api/v1/scenarios/plan/run")
    assert r.status_code == 200, r.text
    body = r.json()
    expected = _run("plan")
    co2 = expected.series("co2_energy")
    assert [p["year"] for p in body["pathway"]] == list(co2)
    for p in body["pathway"]:
        assert p["co2_energy"] == pytest.approx(co2[p["year"]], rel=1e-12)
        for sub in ("NOx", "VOCs", "SO2"):
            assert p[sub] == pytest.approx(_direct(expected, sub, p["year"]), rel=1e-12)
        assert p["projected"] == (p["year"] > 2024)
    peak = body["peak"]
    assert (peak["year"], peak["plateau_start"], peak["plateau_end"]) == (
        expected.peak.year,
        expected.peak.plateau_start,
        expected.peak.plateau_end,
    )
    assert peak["value"] == pytest.approx(expected.peak.value)
    assert peak["peaked_by"] == {str(y): expected.peak.peaked_by(y) for y in (2025, 2030, 2035)}
    # the projected indicators' targets, then those the platform judges its own way (the
    # carbon peak by the scenario's fan; the synergy degree where the data give one)
    assert [
        (t["target_id"], t["status"], t["year_met"])
        for t in body["targets"]
        if t["target_id"] not in JUDGED_APART
    ] == [(o.target_id, o.status.value, o.year_met) for o in expected.targets]
    assert "carbon-peak-2030" in {t["target_id"] for t in body["targets"]}
    # the sectors add up to co2_energy
    for i, year in enumerate(co2):
        total = sum(s["values"][i]["value"] for s in body["sectors"])
        assert total == pytest.approx(co2[year])


def test_a_comparison_equals_the_library(scenario_client: TestClient) -> None:
    r = scenario_client.get("/api/v1/scenarios/compare", params={"ids": "baseline, enhanced"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["base_year"] == 2024 and body["years"] == list(range(2022, 2036))
    assert [s["id"] for s in body["scenarios"]] == ["baseline", "enhanced"]
    for s in body["scenarios"]:
        expected = _run(s["id"])
        assert [p["co2_energy"] for p in s["pathway"]] == pytest.approx(
            list(expected.series("co2_energy").values()), rel=1e-12
        )
        assert s["peak"]["year"] == expected.peak.year
        assert [t["status"] for t in s["targets"] if t["target_id"] not in JUDGED_APART] == [
            o.status.value for o in expected.targets
        ]
    assert scenario_client.get("/api/v1/scenarios/compare?ids=,").status_code == 422
    assert scenario_client.get("/api/v1/scenarios/compare?ids=plan,nope").status_code == 404
    many = ",".join(["plan"] * 13)
    assert scenario_client.get(f"/api/v1/scenarios/compare?ids={many}").status_code == 422


def test_wedges_fan_sensitivity(scenario_client: TestClient) -> None:
    w = scenario_client.get("/api/v1/scenarios/plan/wedges").json()
    lib = wedges(load_scenario("plan"), ACTS, STATS, load_drivers(), LIB, load_scenario("baseline"))
    assert w["years"] == list(range(2025, 2036))
    assert w["combined"] == pytest.approx([lib.combined[y] for y in w["years"]])
    assert w["interaction"] == pytest.approx([lib.interaction[y] for y in w["years"]])
    # the baseline's policies (the grid path, the fleet's turnover) are no wedges
    assert {lv["id"] for lv in w["levers"]} == set(lib.single)
    assert "cleaner-grid" not in lib.single
    pv = next(lv for lv in w["levers"] if lv["id"] == "rooftop-pv")
    assert pv["avoided"] == pytest.approx([lib.single["rooftop-pv"][y] for y in w["years"]])
    first = max(lib.single, key=lambda k: sum(lib.single[k][y] for y in w["years"]))
    assert w["ranking"][0]["id"] == first and w["ranking"][0]["rank"] == 1
    fan = scenario_client.get("/api/v1/scenarios/plan/uncertainty?draws=250&seed=5").json()
    model = LinearModel(ACTS, load_drivers(), load_scenario("plan"), LIB)
    history = {y: v for y, v in _run("plan").series("co2_energy").items() if y <= 2024}
    expected = monte_carlo(model, history, draws=250, seed=5)
    assert fan["values"] == [expected.percentiles[y] for y in expected.years]
    assert fan["p_peak_by"] == {str(y): p for y, p in expected.p_peak_by.items()}
    assert fan["percentiles"] == [5, 25, 50, 75, 95]
    sens = scenario_client.get("/api/v1/scenarios/plan/sensitivity?n=64&seed=2").json()
    assert sens["n"] == 64 and sens["year"] == 2030
    assert {r["input"] for r in sens["one_at_a_time"]} == {r["input"] for r in sens["sobol"]}


def test_caps_and_errors(scenario_client: TestClient) -> None:
    for url in (
        "/api/v1/scenarios/plan/uncertainty?draws=10001",
        "/api/v1/scenarios/plan/uncertainty?draws=1",
        "/api/v1/scenarios/plan/uncertainty?seed=-1",
        "/api/v1/scenarios/plan/sensitivity?n=100",
        # 1024 × (21 levers + 1) is over the sensitivity budget: a 422 naming the n that fits
        "/api/v1/scenarios/plan/sensitivity?n=1024",
        "/api/v1/scenarios/plan/sensitivity?year=abc",
        "/api/v1/scenarios/Plan",
        "/api/v1/scenarios/plan/export.iamc.csv?gwp=AR9",
    ):
        r = scenario_client.get(url)
        assert r.status_code == 422, url
        assert r.headers["content-type"].startswith("application/json")
    assert scenario_client.get("/api/v1/scenarios/plan/uncertainty?draws=10000").status_code == 200
    assert scenario_client.get("/api/v1/scenarios/nope").status_code == 404
    assert scenario_client.get("/api/v1/scenarios/nope/run").status_code == 404
    assert scenario_client.get("/api/v1/scenarios/plan/sensitivity?year=2040").status_code == 404


def test_without_the_base_year(client: TestClient) -> None:
    """Activity data that ends in 2022: a clear message, not a server error."""
    r = client.get("/api/v1/scenarios/plan/run")
    assert r.status_code == 400 and "base year 2024" in r.json()["detail"]


def test_post_a_user_scenario(scenario_client: TestClient, scenario_platform: Platform) -> None:
    text = "id: faster-grid\nzh: 电网更快清洁化\nen: Faster grid\nextends: plan\noverrides:\n"
    text += "  cleaner-grid: {factor: 0.5, full: 2030}\n"
    r = scenario_client.post(
        "/api/v1/scenarios/", content=text, headers={"content-type": "application/x-yaml"}
    )
    assert r.status_code == 201, r.text
    assert r.headers["location"] == "/api/v1/scenarios/faster-grid"
    body = r.json()
    assert body["user"] and body["extends"] == "plan"
    grid = next(lv for lv in body["levers"] if lv["id"] == "cleaner-grid")
    assert (grid["factor"], grid["full"]) == (0.5, 2030)
    ids = [s["id"] for s in scenario_client.get("/api/v1/scenarios/").json()]
    assert ids == ["baseline", "plan", "enhanced", "faster-grid"]
    run = scenario_client.get("/api/v1/scenarios/faster-grid/run").json()
    plan = _run("plan").series("co2_energy")
    assert run["pathway"][-1]["co2_energy"] < plan[2035]
    assert (scenario_platform.user_scenario_dir() / "faster-grid.yaml").read_text() == text
    # without the trailing slash too
    again = scenario_client.post("/api/v1/scenarios", content=text.replace("faster-grid", "g2"))
    assert again.status_code == 201, again.text


@pytest.mark.parametrize(
    ("body", "file", "key"),
    [
        (
            b"id: x\nzh: a\nen: b\nlevers:\n  - {id: a, kind: squash, match: {}}\n",
            "x.yaml",
            "levers[0].kind",
        ),
        (
            b"id: x\nzh: a\nen: b\nextends: plan\noverrides:\n  coal-to-gas: {share: 2}\n",
            "x.yaml",
            "overrides.coal-to-gas.share",
        ),
        (b"id: plan\nzh: a\nen: b\n", "plan.yaml", "id"),
        (b"id: x\nzh: [\n", "scenario.yaml", None),
        (b"\xff\xfe", "scenario.yaml", None),
        (b"", "scenario.yaml", None),
    ],
)
def test_a_bad_post_is_422_and_saves_nothing(
    scenario_client: TestClient,
    scenario_platform: Platform,
    body: bytes,
    file: str,
    key: str | None,
) -> None:
    r = scenario_client.post("/api/v1/scenarios/", content=body)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["file"] == file and problem["key"] == key and problem["reason"]
    assert file in problem["detail"]
    folder: Path = scenario_platform.user_scenario_dir()
    assert not folder.exists() or not any(folder.iterdir())
    assert len(scenario_client.get("/api/v1/scenarios/").json()) == 3


def test_the_iamc_export(scenario_client: TestClient, tmp_path: Path) -> None:
    r = scenario_client.get("/api/v1/scenarios/enhanced/export.iamc.csv")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert "xietong-enhanced-iamc.csv" in r.headers["content-disposition"]
    path = tmp_path / "e.csv"
    path.write_bytes(r.content)
    back = read_iamc(path)
    assert set(back.scenario) == {"enhanced"} and set(back.year) == set(range(2022, 2036))
    co2 = back[(back.variable == "Emissions|CO2") & (back.year == 2030)].value.item()
    assert co2 == pytest.approx(_direct(_run("enhanced"), "CO2", 2030) * 1e-6)


def test_openapi_lists_the_scenario_routes(scenario_client: TestClient) -> None:
    schema = scenario_client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/scenarios/",
        "/api/v1/scenarios/compare",
        "/api/v1/scenarios/{scenario_id}",
        "/api/v1/scenarios/{scenario_id}/run",
        "/api/v1/scenarios/{scenario_id}/wedges",
        "/api/v1/scenarios/{scenario_id}/uncertainty",
        "/api/v1/scenarios/{scenario_id}/sensitivity",
        "/api/v1/scenarios/{scenario_id}/export.iamc.csv",
    } <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/v1/scenarios/"]
    assert {"RunOut", "Comparison", "WedgesOut", "FanOut", "SensitivityOut", "ScenarioOut"} <= set(
        schema["components"]["schemas"]
    )


SCENARIO_ROUTES = [
    "/api/v1/scenarios/",
    "/api/v1/scenarios/compare?ids=",
    "/api/v1/scenarios/compare?ids=plan,",
    "/api/v1/scenarios/plan/uncertainty?draws=",
    "/api/v1/scenarios/plan/uncertainty?seed=",
    "/api/v1/scenarios/plan/sensitivity?year=",
    "/api/v1/scenarios/plan/sensitivity?n=",
    "/api/v1/scenarios/plan/export.iamc.csv?gwp=",
    "/scenarios?id=",
    "/scenarios/new?from=",
]
ID_ROUTES = ["/api/v1/scenarios/{}", "/api/v1/scenarios/{}/run", "/api/v1/scenarios/{}/wedges"]

segment = st.one_of(
    st.text(alphabet=string.printable + "区市煤%/?#", min_size=0, max_size=12),
    st.integers(min_value=-5, max_value=20_000).map(str),
    st.sampled_from(["baseline", "plan", "enhanced", "plan,enhanced", "64", "2030"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(SCENARIO_ROUTES + ID_ROUTES), arg=segment)
def test_no_scenario_input_gives_a_server_error(
    scenario_client: TestClient, path: str, arg: str
) -> None:
    url = path.format(quote(arg, safe="")) if "{}" in path else path + quote(arg, safe="")
    r = scenario_client.get(url)
    assert r.status_code < 500, (url, r.status_code, r.text[:200])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_no_posted_body_gives_a_server_error(scenario_client: TestClient, body: bytes) -> None:
    r = scenario_client.post("/api/v1/scenarios/", content=body)
    assert r.status_code in (201, 422), (body, r.status_code, r.text[:200])


def test_least_cost_equals_the_service(
    scenario_client: TestClient, scenario_platform: Platform
) -> None:
    """/api/v1/scenarios/least-cost returns the service's pathway; an impossible request is a
    422 that says what to relax (no 500)."""
    from xietong.scenarios.least_cost import Request
    from xietong.service.scenario_views import least_cost_record

    plan = scenario_platform.run_scenario("plan")
    nox = plan.indicators[
        (plan.indicators.indicator_id == "nox_emissions_total") & (plan.indicators.year > 2024)
    ]
    cap = float(nox["value"].max())
    r = scenario_client.get("/api/v1/scenarios/least-cost", params={"nox_cap": cap})
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    expected = least_cost_record(scenario_platform.least_cost(Request(caps={"NOx": cap})))
    assert body["cost"] == pytest.approx(expected["cost"])
    assert body["check_holds"] and body["plan_meets"] and body["cost"] <= body["plan_cost"] + 1
    assert [lv["id"] for lv in body["levers"]] == [lv["id"] for lv in expected["levers"]]
    bad = scenario_client.get(
        "/api/v1/scenarios/least-cost", params={"peak_by": 2030, "nox_cap": 1}
    )
    assert bad.status_code == 422 and "relax" in bad.json()["detail"]
    wrong = scenario_client.get("/api/v1/scenarios/least-cost", params={"nox_cap": -1})
    assert wrong.status_code == 422
