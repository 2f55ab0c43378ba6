"""WCAG 2.1 AA on the main pages, checked by axe-core in Chromium (the test injects the
vendored axe-core: tests/e2e/vendor/README.md), in Chinese and in English: labels on every
field, contrast ≥ 4.5:1, names on links and buttons, a language on the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.test_browser import SESSION, browser, server  # noqa: F401 - fixtures

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
]


@pytest.fixture(scope="module")
def axe_page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    # the platform's CSP allows no injected script: axe-core is the test's, not the page's
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "xietong_session", "value": SESSION, "url": "http://127.0.0.1"}])
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_main_pages_pass_axe(server: str, axe_page: Page, path: str, lang: str) -> None:  # noqa: F811
    sep = "&" if "?" in path else "?"
    axe_page.goto(f"{server}{path}{sep}lang={lang}")
    axe_page.add_script_tag(content=AXE)
    violations = axe_page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then("
        "r => r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.html.slice(0, 160))})))",
        TAGS,
    )
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
