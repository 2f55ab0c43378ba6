"""The Chinese pages speak Chinese: the visible text of each page of the task ledger and the
reporting cycle, rendered in Chinese, holds no English words and no raw codes (state codes,
unit expressions), bar identifiers, file types and the names of units and substances people
write in Latin letters."""

from __future__ import annotations

import html
import re

import pytest

from tests.signin import session_client
from xietong.plan.reporting import FigureEntry
from xietong.service.platform import Platform

ALLOWED = {
    # identifiers and what people write in Latin letters
    "xietong",
    "API",
    "PDF",
    "OFD",
    "Word",
    "Excel",
    "PNG",
    "JPEG",
    "CSV",
    "MB",
    "KB",
    "YYYY-MM-DD",
    "GDP",
    "CO2",
    "PM2.5",
    "NOx",
    "VOCs",
    "SO2",
    "COD",
    "km",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "English",  # the switch to the English page
}
IDENTIFIER = re.compile(
    r"^(m\d{2}-\d+|[a-z0-9]+(?:[-_][a-z0-9]+)+|\d[\w.%-]*|[\w-]+\.(csv|xlsx|pdf))$"
)


def visible_text(page: str) -> str:
    """A page's visible text (scripts, styles, tags and attribute values left out; a command
    quoted in backticks is code, not language)."""
    body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    text = html.unescape(re.sub(r"(?s)<[^>]+>", " ", body))
    return re.sub(r"`[^`]*`", " ", text)


def visible_words(page: str) -> list[str]:
    """The Latin-letter words of a page's visible text."""
    return re.findall(r"[A-Za-z][A-Za-z0-9_.%*+-]*", visible_text(page))


def foreign(page: str, own: set[str]) -> list[str]:
    return sorted(
        {w for w in visible_words(page) if w not in ALLOWED | own and not IDENTIFIER.match(w)}
    )


@pytest.fixture
def reported(platform: Platform) -> Platform:
    platform.open_period(2025, actor="cli")
    platform.save_task_report(
        "2025",
        "m07-2",
        "body",
        "transport",
        progress="已编制",
        figures=[FigureEntry(target_id="slow-traffic-146km", value=140)],
        submit=True,
        actor="cli",
    )
    platform.review_task_report(
        "2025", "m07-2", "body", "transport", accept=False, comment="请补充", actor="cli"
    )
    return platform


@pytest.mark.parametrize(
    "path",
    [
        "/tasks",
        "/tasks?q=交通",
        "/tasks/m07-2",
        "/tasks/m01-8",
        "/reporting",
        "/search?q=jtysj",
    ],
)
def test_chinese_pages_hold_no_english(reported: Platform, path: str) -> None:
    client, _ = session_client(reported, "body", body="transport")
    sep = "&" if "?" in path else "?"
    page = client.get(f"{path}{sep}lang=zh")
    assert page.status_code == 200
    # the account's own name and the app's version are what they are
    own = {"t-body-transport", "cli", "jtysj"}  # names, and the query typed
    assert foreign(page.text, own) == [], path


def test_the_scan_finds_english_and_raw_codes() -> None:
    page = "<p>状态:achieved</p><p>单位:wan * mu</p><p>m07-2 slow-traffic-146km 55%</p>"
    assert foreign(page, set()) == ["achieved", "mu", "wan"]


RAW_UNIT = re.compile(r"wan \* |yi \* m|\bpercent\b|microgram|\bdimensionless\b|t / day|tce /")


def test_units_and_notes_are_written_as_people_write_them(platform: Platform) -> None:
    """Every target and measure page in Chinese gives units as people write them (万亩,
    亿立方米, 万吨), never the unit expression the code computes with, and its notes in
    Chinese only."""
    client, _ = session_client(platform, "viewer")
    plan = platform.plan()
    pages = [f"/targets/{t.id}" for t in plan.targets] + [
        f"/measures/{m.number}" for m in plan.measures
    ]
    for path in pages:
        body = visible_text(client.get(f"{path}?lang=zh").text)
        assert RAW_UNIT.search(body) is None, (path, RAW_UNIT.search(body))
        assert "no date in the text" not in body and "goal year" not in body, path
    gas = client.get("/targets/natural-gas-2025?lang=zh").text
    assert "亿立方米" in gas
    assert "万亩" in client.get("/targets/afforestation-2025?lang=zh").text


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/targets",
        "/targets/new-energy-bus-share",
        "/measures",
        "/measures/4",
        "/imports",
        "/districts",
        "/districts/wuchang",
        "/bodies/transport",
    ],
)
def test_the_plans_pages_with_demo_data_hold_no_english(demo_platform: Platform, path: str) -> None:
    """The dashboard, targets and measures in Chinese, with the demo figures and milestone
    states (whose notes are kept in both languages in the data) and the platform's own
    imports in their history."""
    client, _ = session_client(demo_platform, "viewer")
    page = client.get(f"{path}?lang=zh")
    assert page.status_code == 200
    assert foreign(page.text, {"t-viewer-all"}) == [], path
