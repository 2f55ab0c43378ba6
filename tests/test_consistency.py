"""One truth per indicator: every interface shows the same value, year and quality for each
target, on a fresh ``xietong init``, after an activity import and after a progress upload.

Interfaces compared: the service (the core's judgement), ``/api/v1/status``, ``xietong status
--json``, the target pages and the dashboard counts; the district and measure views are checked
for applicability and completeness.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from tests.signin import token_client
from xietong.cli.app import app as cli
from xietong.plan.progress import Status
from xietong.service.base import city_file
from xietong.service.platform import Platform

KEY_TARGETS = (
    "pollutant-total-nox",
    "pollutant-total-cod",
    "pollutant-total-nh3n",
    "pollutant-total-vocs",
    "co2-intensity-2025",
    "energy-intensity-2025",
    "coal-share-2025",
    "carbon-peak-2030",
    "synergy-degree-2025",
)
GOOD = {"achieved", "on_track"}


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Platform:
    """``xietong init`` on a fresh data folder (SQLite), as a new user runs it."""
    monkeypatch.setenv("XIETONG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("XIETONG_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    return Platform.from_settings()


def _fmt(value: float) -> str:
    return f"{value:g}"


def _views(p: Platform) -> dict[str, dict[str, tuple[object, ...]]]:
    """(value, period, quality, status, basis) of every target, from every interface."""
    core = {
        tid: (a.latest_value, a.latest_period and a.latest_period.isoformat(), a.quality, a.status)
        for tid, a in p.assessments().items()
    }
    client = token_client(p)
    api = {
        a["target_id"]: (a["latest_value"], a["latest_period"], a["quality"], a["status"])
        for a in client.get("/api/v1/status").json()
    }
    out = CliRunner().invoke(cli, ["status", "--json"])
    assert out.exit_code == 0, out.output
    cli_view = {
        a["target_id"]: (a["latest_value"], a["latest_period"], a["quality"], a["status"])
        for a in json.loads(out.output)
    }
    return {
        "core": {k: (v[0], v[1], v[2] and v[2].value, v[3].value) for k, v in core.items()},
        "api": api,
        "cli": cli_view,
    }


def _excel(p: Platform, folder: Path) -> dict[str, tuple[object, ...]]:
    """The status sheet of the Excel export, read by a second program (calamine)."""
    out = folder / "export.xlsx"
    p.export_xlsx(out)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("状态 status").to_python()
    head = [str(h) for h in rows[0]]
    col = {name.split(" ")[-1]: i for i, name in enumerate(head)}
    found: dict[str, tuple[object, ...]] = {}
    for r in rows[1:]:
        period = r[col["period"]]
        found[str(r[0])] = (
            None if r[col["latest"]] == "" else r[col["latest"]],
            period.isoformat() if hasattr(period, "isoformat") else None,
            r[col["quality"]] or None,
            r[col["status_code"]],
        )
    return found


Key = tuple[str, str, str]


def _every_value(p: Platform, folder: Path) -> None:
    """Every indicator × district × period shown: the store, /api/v1/progress, `xietong
    progress list --json`, the Excel export's progress sheet and the target pages' tables."""
    store: dict[Key, tuple[float, str]] = {
        (r.target_id, r.district or "", r.period_end.isoformat()): (r.value, r.quality.value)
        for r in p.records()
    }
    client = token_client(p)
    api = {
        (r["target_id"], r["district"] or "", r["period_end"]): (r["value"], r["quality"])
        for r in client.get("/api/v1/progress").json()
    }
    assert api == store
    out = CliRunner().invoke(cli, ["progress", "list", "--json"])
    assert out.exit_code == 0, out.output
    listed = {
        (r["target_id"], r["district"] or "", r["period_end"]): (r["value"], r["quality"])
        for r in json.loads(out.output)
    }
    assert listed == store
    path = folder / "values.xlsx"
    p.export_xlsx(path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("进度 progress").to_python()
    col = {str(h): i for i, h in enumerate(rows[0])}
    sheet = {
        (
            str(r[col["target_id"]]),
            str(r[col["district"]] or ""),
            r[col["period"]].isoformat(),
        ): (float(r[col["value"]]), str(r[col["quality"]]))
        for r in rows[1:]
    }
    assert sheet.keys() == store.keys()
    for key, (value, quality) in store.items():
        assert sheet[key] == (pytest.approx(value), quality), key
    for tid in {k[0] for k in store}:
        html = client.get(f"/targets/{tid}").text
        page = {
            (tid, d, period): (float(v), q)
            for period, d, v, q in re.findall(
                r'<tr data-period="([\d-]+)" data-district="([^"]*)" data-value="([^"]+)" '
                r'data-quality="(\w+)">',
                html,
            )
        }
        mine = {k: v for k, v in store.items() if k[0] == tid}
        assert page.keys() == mine.keys(), tid
        for key, (value, quality) in mine.items():
            assert page[key] == (pytest.approx(value), quality), key


def _check(p: Platform, folder: Path) -> None:
    _every_value(p, folder)
    views = _views(p)
    assert views["api"] == views["core"]
    assert views["cli"] == views["core"]
    excel = _excel(p, folder)
    for tid, (value, period, quality, status) in views["core"].items():
        got = excel[tid]
        assert got[1:] == (period, quality, status), tid
        assert got[0] == (pytest.approx(value) if value is not None else None), tid
    assessments = p.assessments()
    client = token_client(p)
    # the inventory's own indicator table shows the same value and quality as the targets
    plan = p.plan()
    table = {
        (r["indicator_id"], r["year"]): r for r in client.get("/api/v1/inventory/indicators").json()
    }
    for tid in KEY_TARGETS:
        t, a = plan.target(tid), assessments[tid]
        row = table.get((t.indicator_id, a.latest_period.year if a.latest_period else 0))
        if row is not None and a.latest_value is not None:
            assert row["value"] == pytest.approx(a.latest_value), tid
            assert row["quality"] == (a.quality.value if a.quality else None), tid
    # the synergy page's series gives the synergy target's stored values
    series = p.synergy()
    stored = {r.period_end.year: r.value for r in p.records("synergy-degree-2025")}
    for year, d in zip(series["year"], series["d"], strict=True):
        assert stored[int(year)] == pytest.approx(float(d)), year
    for lang in ("zh", "en"):
        for tid in KEY_TARGETS:
            a = assessments[tid]
            page = client.get(f"/targets/{tid}?lang={lang}")
            assert page.status_code == 200
            html = page.text
            if a.latest_value is not None:
                assert _fmt(a.latest_value) in html, tid
            if a.quality is not None:
                assert f'data-quality="{a.quality.value}"' in html, tid
            # never 已完成 / 进展顺利 on estimates without the basis shown
            if a.status.value in GOOD and a.on_estimate:
                assert re.search(rf'class="badge s-{a.status.value} est" data-basis=', html), tid
                assert f'<span class="badge s-{a.status.value}">' not in html, tid
        dash = client.get(f"/?lang={lang}").text
        counts = Counter(a.status.value for a in assessments.values())
        for s in Status:
            card = re.search(rf'data-status="{s.value}"><b>(\d+)</b>', dash)
            assert card is not None and int(card.group(1)) == counts.get(s.value, 0), s
        split = Counter(a.status.value for a in assessments.values() if a.on_estimate)
        for s in ("achieved", "on_track"):
            part = re.search(
                rf'data-status="{s}">.*?<span data-basis="estimate"[^>]*>(\d+) ', dash, re.S
            )
            assert part is not None and int(part.group(1)) == split.get(s, 0)


def test_one_truth_on_a_fresh_init(fresh: Platform, tmp_path: Path) -> None:
    _check(fresh, tmp_path)
    a = fresh.assessments()
    inv = fresh.indicators()
    nox_2024 = inv[(inv.indicator_id == "nox_emissions_total") & (inv.year == 2024)]
    assert a["pollutant-total-nox"].latest_value == pytest.approx(float(nox_2024.value.iloc[0]))
    for tid in KEY_TARGETS:
        assert a[tid].status is not Status.NO_DATA, tid
        if a[tid].status.value in GOOD:
            assert not a[tid].on_estimate or a[tid].basis is not None


def test_the_carbon_peak_agrees_with_the_plan_scenario(fresh: Platform) -> None:
    peak = fresh.run_scenario("plan").peak
    a = fresh.assessments()["carbon-peak-2030"]
    fan = fresh.scenario_uncertainty("plan", draws=1000, seed=20230)
    assert a.latest_value == pytest.approx(100 * fan.p_peak_by[2030])
    # the scenarios page shows the probability the target is judged on
    client = token_client(fresh)
    page = client.get("/scenarios?id=plan").text
    shown = re.search(r'id="p-peak-2030">([^<]+)<', page)
    assert shown is not None and shown.group(1).strip() == f"{a.latest_value:.1f}%"
    if peak.peaked_by(2030):
        assert a.status.value in GOOD or a.status.value == "at_risk"
    else:
        assert a.status.value not in GOOD


def test_the_plan_scenarios_checklist_holds_the_peak_and_the_synergy_degree(
    fresh: Platform,
) -> None:
    """The scenario checklist judges the carbon peak and the synergy degree as the platform
    does: for the plan scenario the peak's value is the target's own (one truth), and the
    synergy degree of the history years is the platform's series."""
    result = fresh.run_scenario("plan")
    outcomes = {o.target_id: o for o in result.targets}
    peak = fresh.assessments()["carbon-peak-2030"]
    assert outcomes["carbon-peak-2030"].value_at_deadline == pytest.approx(peak.latest_value)
    assert outcomes["carbon-peak-2030"].status == peak.status
    degree = outcomes["synergy-degree-2025"]
    assert degree.value_at_deadline is not None and 0 <= degree.value_at_deadline <= 1
    from xietong.synergy.series import city_synergy, observed_values

    observed = observed_values(fresh.plan(), fresh.records())
    projected = city_synergy(result.inventory, result.statistics, observed=observed)
    by_year = projected.set_index("year")["d"]
    shown = fresh.synergy().set_index("year")["d"]
    for year, d in shown.items():
        assert by_year[year] == pytest.approx(float(d)), year
    assert degree.value_at_deadline == pytest.approx(float(by_year[2025]))


def test_the_coal_share_made_from_an_assumed_share_judges_nothing(fresh: Platform) -> None:
    a = fresh.assessments()["coal-share-2025"]
    assert a.quality is not None and a.quality.value == "assumed"
    assert a.status is Status.UNJUDGED
    # the bureau's published figure is kept beside it as a comparison
    assert any(r.value == 30.5 for r in fresh.comparisons("coal-share-2025"))


def test_a_district_sees_only_what_applies_to_it(fresh: Platform) -> None:
    out = CliRunner().invoke(cli, ["status", "--district", "qiaokou", "--json"])
    assert out.exit_code == 0, out.output
    listed = {a["target_id"] for a in json.loads(out.output)}
    plan = fresh.plan()
    for t in plan.targets:
        if t.districts and "qiaokou" not in t.districts:
            assert t.id not in listed, t.id
    assert listed == {t.id for t in plan.targets_of_district("qiaokou")}


def test_every_measure_has_a_status(fresh: Platform) -> None:
    client = token_client(fresh)
    for lang in ("zh", "en"):
        html = client.get(f"/measures?lang={lang}").text
        assert len(re.findall(r'data-measure-status="(\w+)"', html)) == 26


def test_one_truth_after_an_activity_import_and_a_progress_upload(
    fresh: Platform, tmp_path: Path
) -> None:
    before = fresh.assessments()["pollutant-total-nox"].latest_value
    shipped = city_file("wuhan", "activity.csv")
    assert shipped is not None
    with shipped.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r["year"] == "2024":
            r["amount"] = str(float(r["amount"]) * 0.9)
    changed = tmp_path / "activity.csv"
    with changed.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    fresh.import_activity_file(changed, "test")
    after = fresh.assessments()["pollutant-total-nox"].latest_value
    assert after is not None and before is not None and after < before
    _check(fresh, tmp_path)
    upload = tmp_path / "progress.csv"
    upload.write_text(
        "target_id,period,value,reported_by,evidence\n"
        "coal-share-2025,2024,29.0,drc,市统计局 2024 能源统计快报\n"
        "natural-gas-2025,2024,38.1,drc,市发改委 2024 年报\n",
        encoding="utf-8",
    )
    fresh.import_file(upload, actor="test")
    _check(fresh, tmp_path)
    # a reported indicator takes the upload as its value (replacing the demo figure of 2024)
    gas_2024 = [r for r in fresh.records("natural-gas-2025") if r.period_end.year == 2024]
    assert [(r.value, r.quality.value, r.comparison) for r in gas_2024] == [
        (38.1, "reported", False)
    ]
    # a reported coal share is a comparison beside the inventory's value, never replacing it
    assert any(r.value == 29.0 for r in fresh.comparisons("coal-share-2025"))
    assert all(r.value != 29.0 for r in fresh.records("coal-share-2025"))
