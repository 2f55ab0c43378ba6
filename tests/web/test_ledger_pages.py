"""The task ledger's pages and API, as a body, a district and the bureau use them: own tasks
only, the report form, the review, the history, the reporting summary; refusals in Chinese,
nothing saved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.signin import session_client, token_client
from xietong.service.platform import Platform


@pytest.fixture
def opened(platform: Platform) -> Platform:
    platform.open_period(2025, actor="cli")
    return platform


def _transport_task(p: Platform) -> tuple[str, str]:
    for t in p.task_ledger().for_body("transport"):
        if t.targets and t.lead == "transport":
            return t.id, t.targets[0]
    raise AssertionError("no transport task with a target")


def _post(client: TestClient, url: str, csrf: str, data: dict[str, str]) -> object:
    return client.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)


def test_a_body_sees_its_own_tasks_and_the_bureau_all(opened: Platform) -> None:
    p = opened
    body, _ = session_client(p, "body", body="transport")
    page = body.get("/tasks?lang=zh")
    assert page.status_code == 200
    shown = set(re.findall(r'data-task="([^"]+)"', page.text))
    assert shown == {t.id for t in p.task_ledger().for_body("transport")}
    assert "本单位任务" in page.text and "未填报" in page.text
    admin, _ = session_client(p, "admin")
    assert len(re.findall(r'data-task="', admin.get("/tasks").text)) == 152
    found = admin.get("/tasks", params={"q": "新能源"})
    assert 0 < len(re.findall(r'data-task="', found.text)) < 152


def test_report_return_resubmit_accept_through_the_pages(opened: Platform) -> None:
    p = opened
    task_id, target_id = _transport_task(p)
    target = p.plan().target(target_id)
    value = "55" if target.unit == "percent" else "1"
    body, body_csrf = session_client(p, "body", body="transport")
    form = body.get(f"/tasks/{task_id}?lang=zh")
    assert 'id="report-form"' in form.text and f'name="fig_{target_id}"' in form.text
    base = {"period": "2025", "unit_kind": "body", "unit": "transport"}
    r = _post(
        body,
        f"/tasks/{task_id}/report",
        body_csrf,
        {**base, "progress": "年度任务完成", f"fig_{target_id}": value, "action": "submit"},
    )
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = body.get(f"/tasks/{task_id}?period=2025&lang=zh")
    assert "已提交待审核" in page.text and 'id="report-form"' not in page.text
    reviewer, rev_csrf = session_client(p, "reviewer")
    review = {**base, "decision": "return", "comment": "请补充佐证材料"}
    assert _post(reviewer, f"/tasks/{task_id}/review", rev_csrf, review).status_code == 303  # type: ignore[attr-defined]
    page = body.get(f"/tasks/{task_id}?period=2025&lang=zh")
    assert "退回意见" in page.text and "请补充佐证材料" in page.text
    r = _post(
        body,
        f"/tasks/{task_id}/report",
        body_csrf,
        {**base, "progress": "已补充", f"fig_{target_id}": value, "action": "submit"},
    )
    assert r.status_code == 303  # type: ignore[attr-defined]
    accept = {**base, "decision": "accept"}
    assert _post(reviewer, f"/tasks/{task_id}/review", rev_csrf, accept).status_code == 303  # type: ignore[attr-defined]
    page = reviewer.get(f"/tasks/{task_id}?period=2025&lang=zh")
    history = page.text[page.text.index('id="task-history"') :]
    assert history.count("<tr>") == 5 and "请补充佐证材料" in history
    assert "已采纳" in page.text
    # the accepted figure is on the target page
    assert any(r.period_end.year == 2025 for r in p.records(target_id))
    summary = reviewer.get("/reporting?lang=zh")
    row = re.search(r'<tr data-unit="transport">(.*?)</tr>', summary.text, re.S)
    assert row is not None and "<td>1</td>" in row.group(1)


def test_refusals_are_in_chinese_and_save_nothing(opened: Platform) -> None:
    p = opened
    task_id, target_id = _transport_task(p)
    body, csrf = session_client(p, "body", body="transport")
    base = {"period": "2025", "unit_kind": "body", "unit": "transport", "action": "save"}
    r = _post(body, f"/tasks/{task_id}/report", csrf, {**base, f"fig_{target_id}": "五十"})
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "不是数值" in r.text  # type: ignore[attr-defined]
    # a decimal comma is refused with the rule, as in every import (never read as 295)
    r = _post(body, f"/tasks/{task_id}/report", csrf, {**base, f"fig_{target_id}": "29,5"})
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "小数点请写" in r.text  # type: ignore[attr-defined]
    r = _post(body, f"/tasks/{task_id}/report", csrf, {**base, f"fig_{target_id}": "-5"})
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert p.task_report("2025", task_id, "body", "transport") is None
    other, other_csrf = session_client(p, "body", body="eitb")
    r = _post(other, f"/tasks/{task_id}/report", other_csrf, base)
    assert r.status_code == 403  # type: ignore[attr-defined]
    # a body cannot review
    r = _post(body, f"/tasks/{task_id}/review", csrf, {**base, "decision": "accept"})
    assert r.status_code == 403  # type: ignore[attr-defined]


def test_the_api_cycle(opened: Platform) -> None:
    p = opened
    task_id, _ = _transport_task(p)
    body = token_client(p, "body", body="transport")
    bureau = token_client(p, "reviewer")
    url = f"/api/v1/reporting/2025/reports/{task_id}/body/transport"
    r = body.put(url, json={"progress": "完成", "submit": True})
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    assert body.post(f"{url}/review", json={"accept": True}).status_code == 403
    r = bureau.post(f"{url}/review", json={"accept": False})
    assert r.status_code == 409 and "意见" in r.text
    r = bureau.post(f"{url}/review", json={"accept": True})
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    history = bureau.get(f"/api/v1/tasks/{task_id}/history").json()
    assert [h["action"] for h in history] == ["task.accept", "task.submit"]
    summary = bureau.get("/api/v1/reporting/2025/summary").json()
    assert {"unit": "transport", "accepted": 1}.items() <= next(
        s for s in summary if s["unit"] == "transport"
    ).items()
    assert bureau.post("/api/v1/reporting/periods", json={"year": 2025}).status_code == 409
    assert body.post("/api/v1/reporting/periods", json={"year": 2026}).status_code == 403
    mine = body.get("/api/v1/tasks", params={"mine": True}).json()
    assert {t["id"] for t in mine} == {t.id for t in p.task_ledger().for_body("transport")}
    assert bureau.get("/api/v1/tasks/nope").status_code == 404
    assert bureau.get("/api/v1/reporting/1999/reports").status_code == 404


def test_evidence_files_upload_and_download_only(opened: Platform, tmp_path: Path) -> None:
    p = opened
    p.attachments_dir = tmp_path / "files"
    task_id, _ = _transport_task(p)
    body, csrf = session_client(p, "body", body="transport")
    base = {"csrf_token": csrf, "period": "2025", "unit_kind": "body", "unit": "transport"}
    r = body.post(
        f"/tasks/{task_id}/report",
        data={**base, "progress": "见附件", "action": "save"},
        files=[("attachments", ("证明 材料.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"))],
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = body.get(f"/tasks/{task_id}?period=2025&lang=zh")
    link = re.search(r'href="/attachments/(\d+)" download>证明 材料.pdf<', page.text)
    assert link is not None
    got = body.get(f"/attachments/{link.group(1)}")
    assert got.status_code == 200 and got.content == b"%PDF-1.7\n%%EOF\n"
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    assert got.headers["x-content-type-options"] == "nosniff"
    # an HTML file renamed .pdf is refused with the reason, and nothing is saved
    r = body.post(
        f"/tasks/{task_id}/report",
        data={**base, "progress": "改", "action": "save"},
        files=[("attachments", ("x.pdf", b"<html><script>alert(1)</script>", "application/pdf"))],
        follow_redirects=False,
    )
    assert r.status_code == 422 and "不符" in r.text
    saved = p.task_report("2025", task_id, "body", "transport")
    assert saved is not None and saved.progress == "见附件"
    assert body.get("/attachments/999999").status_code == 404


def test_the_header_searches_in_chinese_and_pinyin_initials(platform: Platform) -> None:
    client, _ = session_client(platform, "viewer")
    home = client.get("/?lang=zh")
    assert 'id="site-search"' in home.text and 'action="/search"' in home.text
    page = client.get("/search", params={"q": "jtysj", "lang": "zh"})
    assert page.status_code == 200 and 'href="/bodies/transport"' in page.text
    assert "责任单位" in page.text
    api = token_client(platform, "viewer").get("/api/v1/search", params={"q": "武昌"}).json()
    assert api[0] == {
        "kind": "district",
        "code": "wuchang",
        "zh": "武昌区",
        "en": api[0]["en"],
        "url": "/districts/wuchang",
    }
    assert client.get("/search", params={"q": "<script>"}).text.count("<script>alert") == 0


def test_the_template_downloads_and_a_bad_one_is_listed_cell_by_cell(
    opened: Platform, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    body, csrf = session_client(opened, "body", body="transport")
    page = body.get("/tasks?lang=zh")
    assert 'id="template-link"' in page.text
    got = body.get("/reporting/2025/template.xlsx")
    assert got.status_code == 200 and got.content[:4] == b"PK\x03\x04"
    path = tmp_path / "t.xlsx"
    path.write_bytes(got.content)
    wb = load_workbook(path)
    wb["任务进展"]["F2"] = "也许"
    wb.save(path)
    r = body.post(
        "/reporting/2025/template",
        data={"csrf_token": csrf},
        files={"file": ("模板.xlsx", path.read_bytes(), "application/octet-stream")},
    )
    assert r.status_code == 422
    assert "任务进展!F2" in r.text and "整份文件未保存任何内容" in r.text
    wb["任务进展"]["F2"] = "否"
    wb["任务进展"]["E2"] = "按计划推进"
    wb.save(path)
    r = body.post(
        "/reporting/2025/template",
        data={"csrf_token": csrf},
        files={"file": ("模板.xlsx", path.read_bytes(), "application/octet-stream")},
    )
    assert r.status_code == 200 and "保存草稿 1 项" in r.text


def test_the_bureau_reminds_and_the_body_sees_it(opened: Platform) -> None:
    bureau, csrf = session_client(opened, "reviewer")
    page = bureau.get("/reporting?lang=zh")
    assert 'id="remind-form"' in page.text  # 2025 is past its due date: everyone is late
    r = bureau.post(
        "/reporting/2025/remind",
        data={"csrf_token": csrf, "unit": "body:transport", "message": "请于本周内填报"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert 'id="reminders"' in bureau.get("/reporting?lang=zh").text
    body, body_csrf = session_client(opened, "body", body="transport")
    tasks = body.get("/tasks?lang=zh")
    assert "生态环境局催办" in tasks.text and "请于本周内填报" in tasks.text
    r = body.post("/reporting/2025/remind", data={"csrf_token": body_csrf}, follow_redirects=False)
    assert r.status_code == 403


def test_a_targets_history_shows_who_changed_what_and_exports(opened: Platform) -> None:
    p = opened
    header = ["target_id", "period", "value", "unit", "evidence"]
    p.import_rows(
        header,
        [["slow-traffic-146km", 2024, 120, "km", "=HYPERLINK(1)"]],
        source="a.csv",
        actor="alice-op",
    )
    p.import_rows(
        header, [["slow-traffic-146km", 2024, 125, "km", "更正"]], source="b.csv", actor="bob-op"
    )
    client, _ = session_client(p, "viewer")
    page = client.get("/targets/slow-traffic-146km?lang=zh")
    history = page.text[page.text.index('id="target-history"') :]
    rows = re.findall(r"<tr><td>.*?</tr>", history, re.S)
    assert "bob-op" in rows[0] and "120 → 125" in rows[0] and "b.csv" in rows[0]
    assert "alice-op" in rows[1] and "— → 120" in rows[1]
    csv_file = client.get("/targets/slow-traffic-146km/history.csv")
    assert csv_file.status_code == 200 and csv_file.content.startswith("\ufeff".encode())
    lines = csv_file.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("时间 when") and len(lines) == 3
    assert ",bob-op,2024-12-31,,120.0,125.0,否,b.csv" in lines[1]
    task = client.get("/tasks/m07-2/history.csv")
    assert task.status_code == 200 and task.content.decode("utf-8-sig").startswith("时间 when")


def test_each_upload_has_a_page_with_what_it_changed(platform: Platform) -> None:
    header = ["target_id", "period", "value", "unit"]
    platform.import_rows(
        header, [["slow-traffic-146km", 2024, 120, "km"]], source="a.csv", actor="alice-op"
    )
    platform.import_rows(
        header,
        [["slow-traffic-146km", 2024, 125, "km"], ["new-energy-bus-share", 2024, 90, "percent"]],
        source="b.csv",
        actor="bob-op",
    )
    client, _ = session_client(platform, "viewer")
    listing = client.get("/imports?lang=zh")
    ids = re.findall(r'data-import="(\d+)"', listing.text)
    assert len(ids) >= 2 and "b.csv" in listing.text
    newest = client.get(f"/imports/{ids[0]}?lang=zh")
    assert newest.status_code == 200 and "bob-op" in newest.text
    rows = re.findall(r"<tr><td>.*?</tr>", newest.text.split('id="import-changes"')[1], re.S)
    assert len(rows) == 2
    assert any("120 → 125" in r for r in rows) and any("— → 90" in r for r in rows)
    assert client.get("/imports/999999").status_code == 404


def test_the_goal_tasks_have_pages_and_a_filter(platform: Platform) -> None:
    """The plan's overall goals, reported through their goal tasks: the task page names the
    goals (no measure) and lists their targets; the task list filters on them."""
    client, _ = session_client(platform, "viewer")
    page = client.get("/tasks/g-2025?lang=zh")
    assert page.status_code == 200
    assert "总体目标" in page.text and "/targets/co2-intensity-2025" in page.text
    en = client.get("/tasks/g-2030?lang=en")
    assert en.status_code == 200 and "/targets/carbon-peak-2030" in en.text
    listed = client.get("/tasks?measure=0").text
    assert set(re.findall(r'data-task="([^"]+)"', listed)) == {"g-2025", "g-2030"}
