"""/api/v1/synergy: the same figures as the library (index, decomposition, measures, MAC),
clear 404s and 422s, and no server error on any input."""

from __future__ import annotations

import math
import string
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SYNERGY_ACTIVITY, TEST_FACTORS, TEST_MEASURES
from xietong.accounting.activity import read_activity_csv
from xietong.accounting.allocation import allocate
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.indicators import read_statistics
from xietong.accounting.inventory import Inventory, build_inventory
from xietong.datafiles import data_path
from xietong.service import synergy_views
from xietong.service.platform import Platform
from xietong.service.synergy_views import direct_totals, ghg_total, shipped_allocation
from xietong.synergy.drivers import decompose
from xietong.synergy.equivalents import apeq
from xietong.synergy.measures import effects, load_measures, mac_curve
from xietong.synergy.series import city_synergy, district_synergy

LIB = FactorLibrary.load(TEST_FACTORS)
STATS = read_statistics(data_path("cities", "wuhan", "statistics.csv"))


@pytest.fixture(scope="module")
def inv() -> Inventory:
    """The synergy activity table's inventory built by the library, with no database."""
    return build_inventory(read_activity_csv(SYNERGY_ACTIVITY), LIB)


def _close(got: object, expected: object) -> None:
    """Equal, floats up to rounding (JSON round trip), None for non-finite."""
    if isinstance(expected, float) and not math.isfinite(expected):
        assert got is None
    elif isinstance(expected, float):
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and set(got) == set(expected)
        for k in expected:
            _close(got[k], expected[k])
    else:
        assert got == expected


def test_index_equals_the_library(
    synergy_client: TestClient, synergy_platform: Platform, inv: Inventory
) -> None:
    """The API's series is the library's on the same inventory, statistics and reported
    environmental-quality values; the reference year 2020 scores the pass mark on its
    emissions; expert and entropy weights are both served."""
    from xietong.synergy.series import observed_values

    r = synergy_client.get("/api/v1/synergy/index")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["base_year"] == 2020 and body["target_id"] == "synergy-degree-2025"
    assert [s["id"] for s in body["subsystems"]] == [
        "emissions",
        "structure",
        "environment",
        "co_control",
    ]
    observed = observed_values(synergy_platform.plan(), synergy_platform.records())
    expected = city_synergy(inv, STATS, observed=observed)
    assert [p["year"] for p in body["series"]] == list(expected["year"])
    for got, exp in zip(body["series"], expected.to_dict("records"), strict=True):
        for key in ("c", "t", "d", "index"):
            assert got[key] == pytest.approx(exp[key])
        for sub, u in got["u"].items():
            _close(u, exp[f"u_{sub}"])
        assert (got["grade"], got["grade_zh"], got["grade_en"]) == (
            exp["grade"],
            exp["grade_zh"],
            exp["grade_en"],
        )
        assert got["consistent"] == exp["consistent"] and got["flag_en"] == exp["flag_en"]
        assert ", ".join(got["missing"]) == exp["missing"]
    at_ref = next(p for p in body["series"] if p["year"] == 2020)
    assert at_ref["u"]["emissions"] == pytest.approx(0.6)
    entropy = synergy_client.get("/api/v1/synergy/index", params={"weights": "entropy"})
    assert entropy.status_code == 200 and entropy.json()["weights"] == "entropy"
    assert synergy_client.get("/api/v1/synergy/index", params={"weights": "x"}).status_code == 422


def test_decomposition_equals_the_library(synergy_client: TestClient, inv: Inventory) -> None:
    for substance in ("CO2", "NOx"):
        r = synergy_client.get(
            "/api/v1/synergy/decomposition",
            params={"substance": substance, "year0": 2015, "year1": 2022},
        )
        assert r.status_code == 200, r.text
        body = r.json()
        dec = decompose(inv, STATS, substance, 2015, 2022)
        assert body["v0"] == pytest.approx(dec.v0) and body["vt"] == pytest.approx(dec.vt)
        _close(body["additive"], dict(dec.additive))
        _close(body["multiplicative"], dict(dec.multiplicative))
        assert sum(body["additive"].values()) == pytest.approx(body["change"])
        assert abs(body["residual"]) < 1e-6 * max(1.0, abs(body["v0"]))
        assert body["factors"] == [
            "population",
            "gdp_per_capita",
            "energy_intensity",
            "energy_mix",
            "emission_factor",
        ]
    default = synergy_client.get("/api/v1/synergy/decomposition").json()
    assert (default["substance"], default["year0"], default["year1"]) == ("CO2", 2020, 2022)


def test_measures_and_mac_equal_the_library(synergy_client: TestClient, inv: Inventory) -> None:
    body = synergy_client.get("/api/v1/synergy/measures").json()
    ms = load_measures(TEST_MEASURES)
    by = direct_totals(inv, 2022)
    totals = (ghg_total(inv, 2022, "CO2e", load_gwp(ms.gwp)), apeq(by))
    expected = effects(ms, LIB, city_totals=totals)
    assert body["gwp"] == "AR5" and body["city_year"] == 2022
    assert body["city_co2e"] == pytest.approx(totals[0])
    assert body["tax_rates"] == "hubei"
    assert [m["id"] for m in body["measures"]] == [e.measure.id for e in expected]
    for got, e in zip(body["measures"], expected, strict=True):
        assert got["gwp"] == "AR5" and got["quality"] == "estimate"
        assert got["co2e_reduction"] == pytest.approx(e.co2e_reduction)
        assert got["apeq_reduction"] == pytest.approx(e.apeq_reduction)
        _close(got["cost_per_t_co2e"], e.cost_per_t_co2e)
        _close(got["net_cost_per_t_co2e"], e.net_cost_per_t_co2e)
        assert e.coordinates is not None and got["quadrant"] == e.coordinates.quadrant.value
    fert = body["measures"][0]
    assert fert["net_cost_per_t_co2e"] == pytest.approx(175.43, abs=0.01)  # the worked example
    assert fert["co_benefit_cny"] == pytest.approx(32_060.35, abs=0.01)
    assert fert["quadrant_zh"] == "协同减排"
    mac = synergy_client.get("/api/v1/synergy/mac").json()
    curve = mac_curve(expected)
    assert mac["gwp"] == "AR5" and mac["net"] is True
    assert [s["measure_id"] for s in mac["steps"]] == [s.measure_id for s in curve]
    for got_s, exp_s in zip(mac["steps"], curve, strict=True):
        assert (got_s["start"], got_s["width"], got_s["height"]) == pytest.approx(
            (exp_s.start, exp_s.width, exp_s.height)
        )
    gross = synergy_client.get("/api/v1/synergy/mac", params={"net": "false"}).json()
    assert [s["height"] for s in gross["steps"]] == pytest.approx(
        [s.height for s in mac_curve(expected, net=False)]
    )


def test_coordinates_of_the_city(synergy_client: TestClient, inv: Inventory) -> None:
    body = synergy_client.get(
        "/api/v1/synergy/coordinates", params={"year0": 2015, "year1": 2022}
    ).json()
    assert body["gwp"] == "AR5" and body["ghg"] == "CO2e"
    pairs = {p["pollutant"]: p for p in body["pairs"]}
    assert list(pairs) == ["SO2", "NOx", "PM10", "VOCs", "NH3", "APeq"]
    t0, t1 = direct_totals(inv, 2015), direct_totals(inv, 2022)
    nox = pairs["NOx"]
    assert nox["pollutant_reduction"] == pytest.approx(t0["NOx"] - t1["NOx"])
    g0 = ghg_total(inv, 2015, "CO2e", load_gwp("AR5"))
    assert nox["ghg0"] == pytest.approx(g0)
    assert nox["elasticity"] == pytest.approx(nox["pollutant_rate"] / nox["ghg_rate"])
    assert pairs["APeq"]["pollutant_unit"] == "t SO2-eq"
    assert pairs["APeq"]["pollutant0"] == pytest.approx(apeq(t0))
    co2 = synergy_client.get(
        "/api/v1/synergy/coordinates", params={"ghg": "CO2", "year0": 2020}
    ).json()
    assert co2["gwp"] is None and co2["year0"] == 2020 and co2["year1"] == 2022
    assert co2["pairs"][0]["ghg0"] == pytest.approx(direct_totals(inv, 2020)["CO2"])


def test_coordinates_take_another_apeq_weight_set(
    synergy_client: TestClient, inv: Inventory
) -> None:
    r = synergy_client.get(
        "/api/v1/synergy/coordinates", params={"year0": 2020, "apeq_weights": "equal_mass"}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["apeq_weights"] == "equal_mass"
    t0, t1 = direct_totals(inv, 2020), direct_totals(inv, 2022)
    ap = body["pairs"][-1]
    assert ap["pollutant"] == "APeq"
    assert ap["pollutant0"] == pytest.approx(apeq(t0, "equal_mass"))
    assert ap["pollutant1"] == pytest.approx(apeq(t1, "equal_mass"))
    bad = synergy_client.get("/api/v1/synergy/coordinates", params={"apeq_weights": "gold"})
    assert bad.status_code == 422 and "equal_mass, tax" in bad.json()["detail"]


def test_districts_are_ranked_on_the_allocated_rows_labelled_demo(
    synergy_client: TestClient, inv: Inventory
) -> None:
    """No district has rows and statistics of its own: the city-wide rows are allocated by the
    shipped proxy shares, and the ranking equals the library's on that allocation."""
    r = synergy_client.get("/api/v1/synergy/districts", params={"year": 2022})
    assert r.status_code == 200
    body = r.json()
    allocation, stats = shipped_allocation("wuhan")  # type: ignore[misc]
    allocated = build_inventory(allocate(read_activity_csv(SYNERGY_ACTIVITY), allocation), LIB)
    expected = district_synergy(allocated, stats, 2022)
    assert [d["district"] for d in body["districts"]] == list(expected["district"])
    assert [d["index"] for d in body["districts"]] == pytest.approx(list(expected["index"]))
    assert [d["rank"] for d in body["districts"]] == list(range(1, len(expected) + 1))
    assert all(d["basis"] == "allocated" and d["demo"] for d in body["districts"])
    assert body["note"].startswith("演示数据 demo") and "proxy shares" in body["note"]


def test_districts_without_own_data_or_allocation_are_an_empty_ranking(
    synergy_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synergy_views, "ALLOCATION_FILES", ("none.csv", "none.csv", "none.csv"))
    r = synergy_client.get("/api/v1/synergy/districts", params={"year": 2022})
    assert r.status_code == 200
    body = r.json()
    assert body == {"year": 2022, "districts": [], "note": body["note"]}
    assert "暂无分区数据" in body["note"]


def test_without_the_reference_year_there_is_no_index(scenario_client: TestClient) -> None:
    """The scenario table (2022–2024) has no 2020, the reference year: no synergy degree,
    said in JSON."""
    r = scenario_client.get("/api/v1/synergy/index")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    assert "reference year 2020" in r.json()["detail"]
    assert "2022–2024" in r.json()["detail"]


def test_the_small_table_gives_the_figures_it_can(client: TestClient) -> None:
    """The shipped measures need factors the test library lacks: a clear 400; the figures
    that need no more than the table are there. No 500 anywhere."""
    shipped = client.get("/api/v1/synergy/measures")
    assert shipped.status_code == 400 and "factor" in shipped.json()["detail"]
    # figures that need no base year are there
    assert client.get("/api/v1/synergy/coordinates").json()["year0"] == 2020
    assert client.get("/api/v1/synergy/decomposition?substance=SO2").status_code == 200


def test_missing_data_is_404_and_bad_input_422(synergy_client: TestClient) -> None:
    assert synergy_client.get("/api/v1/synergy/coordinates?year0=2014").status_code == 404
    assert synergy_client.get("/api/v1/synergy/decomposition?year1=2030").status_code == 404
    for url in (
        "/api/v1/synergy/decomposition?substance=Kr",
        "/api/v1/synergy/coordinates?gwp=AR9",
        "/api/v1/synergy/coordinates?ghg=CH4",
        "/api/v1/synergy/districts?year=abc",
        "/api/v1/synergy/index?co2_method=none",
        "/api/v1/synergy/mac?net=maybe",
    ):
        r = synergy_client.get(url)
        assert r.status_code == 422, url
        assert r.headers["content-type"].startswith("application/json")


def test_openapi_lists_the_synergy_routes(synergy_client: TestClient) -> None:
    schema = synergy_client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/synergy/index",
        "/api/v1/synergy/districts",
        "/api/v1/synergy/coordinates",
        "/api/v1/synergy/decomposition",
        "/api/v1/synergy/measures",
        "/api/v1/synergy/mac",
    } <= set(schema["paths"])
    assert {"SynergyIndex", "DecompositionOut", "MeasuresOut", "MacOut"} <= set(
        schema["components"]["schemas"]
    )


SYNERGY_ROUTES = [
    "/api/v1/synergy/index?co2_method=",
    "/api/v1/synergy/districts?year=",
    "/api/v1/synergy/coordinates?year0=",
    "/api/v1/synergy/coordinates?year1=",
    "/api/v1/synergy/coordinates?ghg=",
    "/api/v1/synergy/coordinates?gwp=",
    "/api/v1/synergy/decomposition?substance=",
    "/api/v1/synergy/decomposition?year0=",
    "/api/v1/synergy/decomposition?substance=NOx&year1=",
    "/api/v1/synergy/measures?co2_method=",
    "/api/v1/synergy/mac?net=",
    "/synergy?year0=",
    "/synergy?year1=",
    "/synergy?substance=",
    "/synergy?year=",
]

segment = st.one_of(
    st.text(alphabet=string.printable + "区市煤%/?#", min_size=0, max_size=12),
    st.integers(min_value=1990, max_value=2030).map(str),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(SYNERGY_ROUTES), arg=segment)
def test_no_synergy_input_gives_a_server_error(
    synergy_client: TestClient, path: str, arg: str
) -> None:
    url = path + quote(arg, safe="")
    r = synergy_client.get(url)
    assert r.status_code < 500, (url, r.status_code, r.text[:200])
