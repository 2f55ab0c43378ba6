"""The reporting cycle end to end in Chromium, on SQLite and on PostgreSQL: 市交通运输局 logs in,
fills a figure and a milestone with an evidence file and submits; the bureau returns it with a
comment; the body resubmits; the bureau accepts; the target page, the body summary and the
history show the change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from tests.e2e.test_browser import ARGS, CHROMIUM, _serve, browser  # noqa: F401 - fixture
from tests.signin import PASSWORD, account
from xietong.service.platform import Platform

TASK, TARGET, MILESTONE = "m07-2", "slow-traffic-146km", "slow-traffic-plan"


@pytest.fixture
def cycle_server(engine: Engine, tmp_path: Path) -> Iterator[tuple[str, Platform]]:
    platform = Platform(engine=engine, plan_id="wuhan-2023", attachments_dir=tmp_path / "files")
    platform.init(demo=False, activity=False)
    platform.open_period(2025, actor="cli")
    account(platform, "body", body="transport")
    account(platform, "reviewer")
    for url in _serve(platform):
        yield url, platform


def _log_in(browser: Browser, server: str, name: str) -> Page:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + "/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#logout-form .who")).to_contain_text(name)
    return page


def test_report_return_resubmit_accept_in_the_browser(
    cycle_server: tuple[str, Platform],
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    server, platform = cycle_server
    evidence = tmp_path / "慢行系统规划批复.pdf"
    evidence.write_bytes(b"%PDF-1.7\n% demo evidence\n%%EOF\n")

    body = _log_in(browser, server, "t-body-transport")
    body.goto(server + "/tasks?lang=zh")
    body.get_by_role("link", name=TASK, exact=True).click()
    expect(body.locator("h1")).to_contain_text(TASK)
    expect(body.locator("blockquote.clause")).to_contain_text("146公里")
    body.fill("#progress", "慢行系统规划已编制完成,新增慢行设施")
    body.fill(f"#fig_{TARGET}", "140")
    body.fill(f"#fig_{TARGET}_evidence", "市交通运输局年度统计")
    body.select_option(f"#ms_{MILESTONE}", "done")
    body.fill(f"#ms_{MILESTONE}_date", "2025-10-31")
    body.set_input_files("#attachments", str(evidence))
    body.get_by_role("button", name="提交审核").click()
    expect(body.locator("#report-saved")).to_be_visible()
    expect(body.locator("#my-report .badge.rs-submitted")).to_contain_text("已提交待审核")
    expect(body.locator("#my-attachments")).to_contain_text("慢行系统规划批复.pdf")
    expect(body.locator("#report-form")).to_have_count(0)

    bureau = _log_in(browser, server, "t-reviewer-all")
    bureau.goto(server + "/reporting?lang=zh")
    bureau.locator("#review-queue").get_by_role("link").first.click()
    row = bureau.locator('#task-reports tr[data-unit="transport"]')
    expect(row).to_contain_text("慢行系统规划批复.pdf")
    row.locator("input[name=comment]").fill("请补充设施清单")
    row.get_by_role("button", name="退回").click()
    expect(bureau.locator("#report-reviewed")).to_be_visible()

    body.reload()
    expect(body.locator("#return-comment")).to_contain_text("请补充设施清单")
    expect(body.locator(f"#fig_{TARGET}")).to_have_value("140.0")
    body.fill("#progress", "慢行系统规划已编制完成;设施清单见附件")
    body.get_by_role("button", name="提交审核").click()
    expect(body.locator("#my-report .badge.rs-submitted")).to_contain_text("已重新提交")

    bureau.reload()
    row = bureau.locator('#task-reports tr[data-unit="transport"]')
    row.get_by_role("button", name="采纳").click()
    expect(row.locator(".badge.rs-accepted")).to_contain_text("已采纳")
    history = bureau.locator("#task-history tbody tr")
    expect(history).to_have_count(4)
    expect(bureau.locator("#task-history")).to_contain_text("请补充设施清单")

    # the accepted figure is the target's value, as the body's
    bureau.goto(server + f"/targets/{TARGET}?lang=zh")
    expect(bureau.locator("body")).to_contain_text("140")
    (record,) = [r for r in platform.records(TARGET) if r.period_end.year == 2025]
    assert (record.value, record.reported_by) == (140.0, "transport")
    # and the summary counts it
    bureau.goto(server + "/reporting?lang=zh")
    summary = bureau.locator('#reporting-summary tr[data-unit="transport"] td')
    expect(summary.nth(6)).to_have_text("1")  # accepted
    # the body's own view, in English, says so too
    body.goto(server + f"/tasks/{TASK}?lang=en")
    expect(body.locator("#my-report")).to_contain_text("accepted")
    # on a 390 px screen the task page does not scroll sideways
    body.set_viewport_size({"width": 390, "height": 800})
    body.goto(server + f"/tasks/{TASK}?lang=zh")
    assert body.evaluate("document.documentElement.scrollWidth") <= 400
    # the header collapses behind a menu button on a phone, and the button opens it
    header = body.locator("header.top").bounding_box()
    assert header is not None and header["height"] < 160
    expect(body.locator("#site-nav")).to_be_hidden()
    body.click("#menu-toggle")
    expect(body.locator("#site-nav")).to_be_visible()
    expect(body.locator("#menu-toggle")).to_have_attribute("aria-expanded", "true")
    body.get_by_role("link", name="报送审核").click()
    expect(body.locator("h1")).to_contain_text("报送与审核")
