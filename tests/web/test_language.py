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
    "HiGHS",
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
    # substances, GWP sets and indices as Chinese technical writing gives them
    "CO",
    "CO2e",
    "CH4",
    "N2O",
    "SF6",
    "HFC-134a",
    "HFC-32",
    "HFC-125",
    "HFC-143a",
    "CF4",
    "C2F6",
    "NF3",
    "NH3",
    "NH3-N",
    "PM10",
    "IPCC",
    "GWP",
    "GWP100",
    "AR4",
    "AR5",
    "AR6",
    # the legal unit symbols of GB 3100–3102 (t is 吨)
    "t",
    "kg",
    "g",
    "GJ",
    "TJ",
    "Gg",
    "MWh",
    "kWh",
    "L",
    "mg",
    "m",
    "Nm",
    # the symbols of the methods' formulas and their names in Chinese literature
    "D",
    "C",
    "T",
    "U",
    "x",
    "y",
    "LMDI",
    "LMDI-I",
    "Sobol",
    "S1",
    "ST",
    "N",
    "SALib",
    "Saltelli",
    "YAML",
    "APeq",
    "Els",
    "P",
    "MAC",
    # standards as they are cited
    "GB",
    "EMEP",
    "EEA",
}
IDENTIFIER = re.compile(
    r"^(m\d{2}-\d+|[a-z0-9]+(?:[-_][a-z0-9]+)+|\d[\w.%-]*|[\w-]+\.(csv|xlsx|pdf))$"
)


def visible_text(page: str) -> str:
    """A page's visible text (scripts, styles, tags and attribute values left out; a command
    quoted in backticks, a ``<code>`` identifier and a ``<var>`` symbol are code, not
    language; a text marked ``lang="en"`` is a source quoted as it was written)."""
    body = re.sub(r"(?is)<(script|style|code|var)\b.*?</\1>", " ", page)
    body = re.sub(r'(?is)<(span|small|p|td|dd)\b[^>]*\blang="en"[^>]*>.*?</\1>', " ", body)
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
        "/tasks/g-2025",
        "/tasks?measure=0",
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


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Platform:
    """The platform as ``make run`` starts it: the Wuhan plan, its demo progress, the shipped
    activity data and factor library (SQLite)."""
    from sqlalchemy import create_engine

    folder = tmp_path_factory.mktemp("shipped")
    p = Platform(engine=create_engine(f"sqlite:///{folder}/x.db"), plan_id="wuhan-2023")
    p.init(demo=True, activity=True)
    return p


ANALYSIS_PAGES = [
    "/inventory",
    "/inventory?year=2015",
    "/inventory/rows",
    "/inventory/rows?sector=agriculture",
    "/synergy",
    "/scenarios",
    "/scenarios?id=enhanced",
    "/scenarios/new?from=plan",
    "/scenarios/optimise?peak_by=2030",
]


@pytest.mark.parametrize("path", ANALYSIS_PAGES)
def test_the_analysis_pages_hold_no_english(shipped: Platform, path: str) -> None:
    """The inventory, synergy and scenario pages on the shipped data, in Chinese: edition
    codes, technology codes, units and the shipped bases of levers and measures in Chinese
    (no text of the shipped data is left in English, ``lang="en"``)."""
    client, _ = session_client(shipped, "viewer")
    sep = "&" if "?" in path else "?"
    page = client.get(f"{path}{sep}lang=zh")
    assert page.status_code == 200
    assert foreign(page.text, {"t-viewer-all"}) == [], path
    assert 'lang="en"' not in page.text.split("<body", 1)[1], path


def test_a_rows_trace_is_in_chinese_with_its_sources_quoted(shipped: Platform) -> None:
    """Every term of a trace is named in Chinese or by its formula symbol, with its unit as
    people write it (万吨, GJ/吨); a source note that exists only in English is quoted as it
    is and marked ``lang="en"``."""
    client, _ = session_client(shipped, "viewer")
    rows = shipped.inventory().frame()
    for row_id in sorted({0, len(rows) // 3, len(rows) // 2, len(rows) - 1}):
        page = client.get(f"/inventory/rows/{row_id}?lang=zh")
        assert page.status_code == 200
        assert foreign(page.text, {"t-viewer-all"}) == [], row_id
        assert RAW_UNIT.search(visible_text(page.text)) is None, row_id
    first = client.get("/inventory/rows/0?lang=zh").text
    assert "GJ/吨" in first or "万吨" in first


@pytest.mark.parametrize(
    "path", ["/public", "/public/targets", "/public/measures", "/public/feedback"]
)
def test_the_public_portal_holds_no_english(demo_platform: Platform, path: str) -> None:
    """The public portal in Chinese, to an anonymous visitor, with the demo figures."""
    from fastapi.testclient import TestClient

    from xietong.web.app import create_app

    client = TestClient(create_app(demo_platform), raise_server_exceptions=False)
    page = client.get(f"{path}?lang=zh")
    assert page.status_code == 200
    assert foreign(page.text, set()) == [], path


def test_the_feedback_receipt_and_triage_pages_hold_no_english(demo_platform: Platform) -> None:
    """A feedback's receipt page (anonymous) and the bureau's triage list, in Chinese."""
    from xietong.service.feedback import FeedbackForm

    receipt = demo_platform.submit_feedback(
        FeedbackForm("question", "咨询", "请问如何申报?", "027-88886666", "qiaokou"),
        client="10.0.0.1",
    )
    client, _ = session_client(demo_platform, "reviewer")
    triage = client.get("/feedback?lang=zh")
    assert triage.status_code == 200
    assert foreign(triage.text, {"t-reviewer-all"}) == []
    page = client.get(f"/public/feedback/{receipt}?lang=zh")
    assert page.status_code == 200
    assert foreign(page.text, set()) == []
