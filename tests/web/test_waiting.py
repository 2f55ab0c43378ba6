"""A page whose computation is still running shows its progress (202) and reloads itself;
once the result is there the page is rendered."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from tests.signin import token_client
from xietong.service.platform import Platform
from xietong.worker import report


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_slow_inventory_shows_its_progress_then_the_page(
    inventory_platform: Platform, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setattr("xietong.web.pages.waiting.WAIT_S", 0.05)
    gate = threading.Event()
    real = inventory_platform.inventory

    def slow(*args: object, **kwargs: object) -> object:
        if threading.current_thread().name.startswith("xietong-worker"):
            report(0.4, "resolve")
            gate.wait(10)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(inventory_platform, "inventory", slow)
    client = token_client(inventory_platform)
    page = client.get(f"/inventory?lang={lang}")
    assert page.status_code == 202
    assert ("正在计算" if lang == "zh" else "Computing") in page.text
    assert ("解析排放因子" if lang == "zh" else "resolving factors") in page.text
    assert '<meta http-equiv="refresh"' in page.text and "<progress" in page.text
    jobs = client.get("/api/v1/jobs").json()
    running = [j for j in jobs["jobs"] if j["label"] == "inventory"]
    assert running and running[0]["state"] == "running" and running[0]["progress"] == 0.4
    assert client.get(f"/api/v1/jobs/{running[0]['id']}").json()["phase"] == "resolve"
    gate.set()
    assert inventory_platform.worker.job(running[0]["id"]).wait(10)  # type: ignore[union-attr]
    monkeypatch.setattr("xietong.web.pages.waiting.WAIT_S", 10.0)
    done = client.get(f"/inventory?lang={lang}")
    assert done.status_code == 200 and "<progress" not in done.text


def test_an_unknown_job_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/jobs/999999").status_code == 404
    assert client.get("/api/v1/jobs/0").status_code == 422


def test_a_failed_build_shows_its_error_not_the_waiting_page(
    demo_platform: Platform,
) -> None:
    # no activity data: the job fails at once and the page shows the platform's own error
    client = token_client(demo_platform)
    page = client.get("/inventory")
    assert page.status_code == 404 and "<progress" not in page.text


@pytest.mark.parametrize("path", ["/synergy", "/districts/wuchang"])
def test_pages_that_compute_on_the_inventory_show_their_progress(
    inventory_platform: Platform, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """The synergy and district pages compute their figures on the worker too: while that
    runs they answer at once with the progress page (no first view waits for it)."""
    monkeypatch.setattr("xietong.web.pages.waiting.WAIT_S", 0.05)
    gate = threading.Event()
    real = inventory_platform.synergy_data

    def slow(*args: object, **kwargs: object) -> object:
        if threading.current_thread().name.startswith("xietong-worker"):
            gate.wait(10)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(inventory_platform, "synergy_data", slow)
    client = token_client(inventory_platform)
    page = client.get(f"{path}?lang=zh")
    assert page.status_code == 202 and "<progress" in page.text
    gate.set()
    for job in inventory_platform.worker.jobs():
        job.wait(10)
    monkeypatch.setattr("xietong.web.pages.waiting.WAIT_S", 10.0)
    done = client.get(f"{path}?lang=zh")
    assert done.status_code == 200 and "<progress" not in done.text
