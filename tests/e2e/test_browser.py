"""A real browser (Debian's chromium through Playwright) against a real server."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import (
    SCENARIO_ACTIVITY,
    SMALL_ACTIVITY,
    SYNERGY_ACTIVITY,
    TEST_FACTORS,
    TEST_MEASURES,
)
from tests.signin import PASSWORD, account
from xietong.accounting.factors import FactorLibrary
from xietong.service.platform import Platform
from xietong.store import accounts as store
from xietong.store.database import make_engine, session_scope
from xietong.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The platform on SQLite with the demo data and the small activity table (test factor
    library), served by uvicorn on a free port."""
    db = tmp_path_factory.mktemp("e2e") / "xietong.db"
    platform = Platform(
        engine=make_engine(f"sqlite:///{db}"),
        plan_id="wuhan-2023",
        library=FactorLibrary.load(TEST_FACTORS),
    )
    platform.init(demo=True, activity=False)
    platform.import_activity_file(SMALL_ACTIVITY, "e2e")
    yield from _serve(platform)


@pytest.fixture(scope="module")
def synergy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like ``server``, with the synergy activity table (2015 and 2020–2022) and the test
    measures, its targets fed from the inventory."""
    db = tmp_path_factory.mktemp("e2e-synergy") / "xietong.db"
    platform = Platform(
        engine=make_engine(f"sqlite:///{db}"),
        plan_id="wuhan-2023",
        library=FactorLibrary.load(TEST_FACTORS),
        measures_file=TEST_MEASURES,
    )
    platform.init(demo=True, activity=False)
    platform.import_activity_file(SYNERGY_ACTIVITY, "e2e")
    platform.update_targets_from_inventory()
    yield from _serve(platform)


@pytest.fixture(scope="module")
def scenario_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like ``server``, with the scenario activity table (2022–2024, base year 2024) and a user
    scenario folder of its own."""
    folder = tmp_path_factory.mktemp("e2e-scenarios")
    platform = Platform(
        engine=make_engine(f"sqlite:///{folder / 'xietong.db'}"),
        plan_id="wuhan-2023",
        library=FactorLibrary.load(TEST_FACTORS),
        scenarios_dir=folder / "user-scenarios",
    )
    platform.init(demo=True, activity=False)
    platform.import_activity_file(SCENARIO_ACTIVITY, "e2e")
    yield from _serve(platform)


SESSION = "e2e-session-token-of-the-test-administrator"
"""A session token the test servers all accept (stored in each one's database for its test
administrator): the browser's cookie for 127.0.0.1 is one, whichever server's port it asks."""


def _serve(platform: Platform) -> Iterator[str]:
    """Serve ``platform`` with uvicorn on a free port until the module's tests are done; its
    test administrator is logged in with :data:`SESSION`."""
    name = account(platform, "admin")
    with session_scope(platform.engine) as session:
        user = store.user_by_name(session, name)
        assert user is not None
        store.add_session(session, user, SESSION, "e2e-csrf", hours=2)
    port = _free_port()
    config = uvicorn.Config(create_app(platform), host="127.0.0.1", port=port, log_level="error")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    platform.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "xietong_session", "value": SESSION, "url": "http://127.0.0.1"}])
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # nothing may come from outside the platform (no CDN)
    pg.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
            else errors.append(f"external request {r.url}")
        ),
    )
    yield pg
    context.close()
    assert errors == [], errors


def test_dashboard_to_english_to_target_chart(server: str, page: Page) -> None:
    page.goto(server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_contain_text("武汉市减污降碳协同增效实施方案")
    expect(page.locator("#chart-status")).to_have_attribute("data-ready", "1")
    assert page.locator("#chart-status canvas").count() == 1

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Synergistic Reduction")

    page.get_by_role("link", name="Targets", exact=True).click()
    page.get_by_role("link", name="natural-gas-2025").click()
    expect(page).to_have_url(server + "/targets/natural-gas-2025")
    expect(page.locator("h1")).to_contain_text("Natural gas consumption")
    # a judgement on demo figures says so on its badge
    expect(page.locator("h1 .badge.est")).to_contain_text("On demo data")
    chart = page.locator("#chart-target")
    expect(chart).to_have_attribute("data-ready", "1")
    expect(chart.locator("canvas")).to_have_count(1)
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    # a value sits on the year of its period: the 2024 figure on 2024, on a year axis
    option = page.evaluate(
        "(() => { const o = echarts.getInstanceByDom(document.getElementById('chart-target'))"
        ".getOption(); return {type: o.xAxis[0].type, data: o.series[0].data,"
        " target: o.series[o.series.length - 1].data}; })()"
    )
    assert option["type"] == "value"
    assert [2024, 36.2] in option["data"]
    assert all(isinstance(x, int) for x, _ in option["data"])
    assert option["target"] == [[2025, 40]]
    # on a 390 px screen the page does not scroll sideways
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    expect(page.locator("#chart-target")).to_have_attribute("data-ready", "1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400


def test_log_in_through_the_form_then_a_page_of_another_site_cannot_write(
    server: str, browser: Browser
) -> None:
    """A browser that is logged in opens a page of another origin that posts a scenario form
    to the platform: the session cookie (SameSite=Lax) does not go with it and the form has no
    CSRF token, so nothing is saved; the platform's own form saves."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/targets")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#username", "t-admin-all")
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page).to_have_url(server + "/targets")
    expect(page.locator("#logout-form .who")).to_contain_text("t-admin-all")
    evil = (
        f'<form id="f" method="post" action="{server}/scenarios/new">'
        '<input name="yaml" value="id: evil\nzh: 恶意\nen: Evil\nextends: plan\n">'
        '<input name="from" value="plan"></form>'
    )
    attacker = context.new_page()
    attacker.goto("data:text/html," + evil)
    with attacker.expect_navigation():
        attacker.evaluate("document.getElementById('f').submit()")
    assert "/scenarios?id=evil" not in attacker.url
    page.goto(server + "/api/v1/scenarios")
    expect(page.locator("body")).to_contain_text("baseline")
    expect(page.locator("body")).not_to_contain_text("evil")
    page.goto(server + "/targets")
    page.locator("#logout-form button").click()
    expect(page).to_have_url(server + "/login")
    context.close()


def test_the_public_portal_fits_a_phone_without_log_in(server: str, browser: Browser) -> None:
    """An anonymous visitor on a 390 px screen: the portal's pages open without a log-in,
    name none of the internal pages and do not scroll sideways (wide tables scroll in their
    own box)."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    for path in ("/public", "/public/targets", "/public/measures", "/public/feedback"):
        page.goto(server + path)
        expect(page).to_have_url(server + path)
        expect(page.locator("#public-nav")).to_be_visible()
        assert page.locator("#site-nav").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 400, path
    expect(page.locator("#fb-website")).not_to_be_in_viewport()  # the honeypot is off screen
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_contain_text("Feedback")
    context.close()


def test_api_docs_page_works_offline(server: str, page: Page) -> None:
    page.goto(server + "/api/v1/docs")
    expect(page.locator(".swagger-ui .title")).to_contain_text("xietong")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()


def test_inventory_chart_then_a_row_then_its_trace(server: str, page: Page) -> None:
    page.goto(server + "/inventory")
    expect(page.locator("h1")).to_contain_text("排放清单")
    expect(page.locator("#gwp-used")).to_have_text("AR5")
    chart = page.locator("#chart-inv-sector")
    expect(chart).to_have_attribute("data-ready", "1")
    expect(chart.locator("canvas")).to_have_count(1)
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    # the stacked bars hold one series per sector with a value for each of the 3 years
    lengths = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-inv-sector'))"
        ".getOption().series.map(s => s.data.length)"
    )
    assert lengths and set(lengths) == {3}
    for other in ("gas", "district", "district-allocated", "scope", "pollutants"):
        expect(page.locator(f"#chart-inv-{other}")).to_have_attribute("data-ready", "1")
    allocated = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-inv-district-allocated'))"
        ".getOption().series[0].data.length"
    )
    assert allocated >= 10  # the districts that receive a share
    expect(page.locator("#estimate-note")).to_contain_text("估算")

    page.get_by_role("link", name="排放明细").first.click()
    expect(page).to_have_url(server + "/inventory/rows")
    page.locator("select[name=substance]").select_option("CO2")
    page.locator("select[name=sector]").select_option("industry")
    page.get_by_role("button", name="更新").click()
    expect(page).to_have_url(
        server + "/inventory/rows?year=&sector=industry&district=&substance=CO2&scope="
    )
    links = page.locator("a.trace-link")
    expect(links.first).to_be_visible()
    links.first.click()
    expect(page).to_have_url(re.compile(r"/inventory/rows/\d+$"))
    expect(page.locator("#trace-terms")).to_contain_text("China enterprise guideline")
    expect(page.locator("#trace-terms")).to_contain_text("CN-ENT-2022")
    expect(page.locator("#trace-terms")).to_contain_text("44/12")
    expect(page.locator("#trace-formula")).to_contain_text("× 23.204 GJ/吨 ×")


def test_synergy_page_draws_the_series_and_the_coordinates(synergy_server: str, page: Page) -> None:
    page.goto(synergy_server + "/")
    page.get_by_role("link", name="协同评估").click()
    expect(page).to_have_url(synergy_server + "/synergy")
    expect(page.locator("h1")).to_contain_text("减污降碳协同评估")
    for chart in ("#chart-syn-series", "#chart-syn-coords"):
        box = page.locator(chart)
        expect(box).to_have_attribute("data-ready", "1")
        expect(box.locator("canvas")).to_have_count(1)
        size = box.bounding_box()
        assert size is not None and size["width"] > 300 and size["height"] > 200
    # D and the four subsystem scores over the four years (then the flagged years, if any);
    # the measures and the city's point on the coordinates
    lengths = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-syn-series'))"
        ".getOption().series.map(s => s.data.length)"
    )
    assert lengths[:5] == [4] * 5 and len(lengths) in (5, 6)
    points = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-syn-coords'))"
        ".getOption().series.map(s => s.data.length)"
    )
    assert points == [2, 1]
    for other in ("lmdi-co2", "lmdi-pollutant", "lmdi-co2-structural", "mac"):
        expect(page.locator(f"#chart-syn-{other}")).to_have_attribute("data-ready", "1")
    expect(page.locator("#district-allocated")).to_contain_text("演示数据")
    expect(page.locator("#district-table tbody tr").first).to_be_visible()
    expect(page.locator("#estimate-note")).to_contain_text("估算")


def test_scenarios_page_draws_the_pathways_then_a_new_scenario_is_saved(
    scenario_server: str, page: Page
) -> None:
    page.goto(scenario_server + "/")
    page.get_by_role("link", name="情景分析").click()
    expect(page).to_have_url(scenario_server + "/scenarios")
    expect(page.locator("h1")).to_contain_text("情景分析")
    lines = page.locator("#chart-scn-lines")
    expect(lines).to_have_attribute("data-ready", "1")
    expect(lines.locator("canvas")).to_have_count(1)
    box = lines.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    # one line per scenario, 2022–2035, each with its peak pinned
    option = page.evaluate(
        "(() => { const o = echarts.getInstanceByDom(document.getElementById('chart-scn-lines'))"
        ".getOption(); return o.series.map(s => [s.data.length, s.markPoint.data.length]); })()"
    )
    assert option == [[14, 1], [14, 1], [14, 1]]
    for other in ("sectors", "fan", "wedges"):
        expect(page.locator(f"#chart-scn-{other}")).to_have_attribute("data-ready", "1")
    expect(page.locator("#estimate-note")).to_contain_text("估算")

    page.locator("#new-scenario").click()
    expect(page).to_have_url(scenario_server + "/scenarios/new?from=plan")
    page.locator("#f-id").fill("e2e-grid")
    page.locator("#f-zh").fill("端到端情景")
    page.locator("input[name='strength-cleaner-grid']").fill("0.5")
    page.locator("#save-scenario").click()
    expect(page).to_have_url(scenario_server + "/scenarios?id=e2e-grid")
    expect(page.locator("#scenario-select")).to_have_value("e2e-grid")
    expect(page.locator("#peak-table")).to_contain_text("端到端情景")
    expect(page.locator("#chart-scn-lines")).to_have_attribute("data-ready", "1")
    n = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-scn-lines'))"
        ".getOption().series.length"
    )
    assert n == 4
