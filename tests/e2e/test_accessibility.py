"""WCAG 2.1 AA on the main pages, checked by axe-core in Chromium (the test injects the
vendored axe-core: tests/e2e/vendor/README.md), in Chinese and in English: labels on every
field, contrast ≥ 4.5:1, names on links and buttons, a language on the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.test_browser import (  # noqa: F401 - fixtures
    SESSION,
    browser,
    scenario_server,
    server,
    synergy_server,
)

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = [
    "/",
    "/targets",
    "/targets/new-energy-bus-share",
    "/measures/4",
    "/bodies/transport",
    "/districts/wuchang",
    "/tasks",
    "/tasks/m07-2",
    "/reporting",
    "/search?q=jt",
    "/progress/upload",
    "/imports",
    "/inventory",
    "/inventory/rows",
    "/inventory/rows/0",
]


@pytest.fixture(scope="module")
def axe_page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    # the platform's CSP allows no injected script: axe-core is the test's, not the page's
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "xietong_session", "value": SESSION, "url": "http://127.0.0.1"}])
    yield context.new_page()
    context.close()


def _axe(page: Page, url: str) -> list[dict[str, object]]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=AXE)
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then("
        "r => r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.html.slice(0, 160))})))",
        TAGS,
    )
    return list(violations)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_main_pages_pass_axe(server: str, axe_page: Page, path: str, lang: str) -> None:  # noqa: F811
    sep = "&" if "?" in path else "?"
    violations = _axe(axe_page, f"{server}{path}{sep}lang={lang}")
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_synergy_page_passes_axe(synergy_server: str, axe_page: Page, lang: str) -> None:  # noqa: F811
    violations = _axe(axe_page, f"{synergy_server}/synergy?lang={lang}")
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ["/scenarios", "/scenarios/new?from=plan"])
def test_scenario_pages_pass_axe(
    scenario_server: str,  # noqa: F811
    axe_page: Page,
    path: str,
    lang: str,
) -> None:
    sep = "&" if "?" in path else "?"
    violations = _axe(axe_page, f"{scenario_server}{path}{sep}lang={lang}")
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 800})
    context.add_cookies([{"name": "xietong_session", "value": SESSION, "url": "http://127.0.0.1"}])
    yield context.new_page()
    context.close()


def test_analysis_pages_do_not_scroll_sideways_on_a_phone(
    server: str,  # noqa: F811
    synergy_server: str,  # noqa: F811
    scenario_server: str,  # noqa: F811
    phone: Page,
) -> None:
    """At 390 px the inventory, synergy and scenario pages fit the screen: wide tables scroll
    inside their own box, the page itself does not."""
    pages = [
        server + "/inventory",
        server + "/inventory/rows",
        server + "/inventory/rows/0",
        synergy_server + "/synergy",
        scenario_server + "/scenarios",
        scenario_server + "/scenarios/new?from=plan",
    ]
    wide = {}
    for url in pages:
        phone.goto(url)
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 400:
            wide[url] = phone.evaluate(
                "[...document.querySelectorAll('body *')].filter(e => "
                "e.getBoundingClientRect().right > 400)"
                ".slice(0, 5).map(e => e.outerHTML.slice(0, 80))"
            )
    assert wide == {}
