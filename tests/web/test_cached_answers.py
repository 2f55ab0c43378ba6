"""Read answers are computed once per revision: a repeated request does not recompute, a
write through the platform (a progress upload, a user scenario) gives a new answer."""

from __future__ import annotations

import pytest

from tests.signin import token_client
from xietong.service.platform import Platform


def test_a_repeated_request_is_not_recomputed(
    inventory_platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = token_client(inventory_platform)
    calls: list[int] = []
    real = inventory_platform.records

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(inventory_platform, "records", counted)
    first = client.get("/api/v1/progress", params={"target_id": "pm25-2025"})
    n = len(calls)
    second = client.get("/api/v1/progress", params={"target_id": "pm25-2025"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and len(calls) == n >= 1
    # another query is another answer
    client.get("/api/v1/progress", params={"target_id": "coal-share-2025"})
    assert len(calls) > n


def test_a_write_gives_a_new_answer(inventory_platform: Platform) -> None:
    client = token_client(inventory_platform)
    target = "pm25-2025"
    before = client.get("/api/v1/progress", params={"target_id": target}).json()
    revision = inventory_platform.revision()
    inventory_platform.import_rows(
        ["target_id", "period", "value", "reported_by", "evidence"],
        [[target, "2023-06-30", "33.3", "eeb", "bulletin"]],
        source="eeb.csv",
        actor="eeb",
        demo=False,
    )
    assert inventory_platform.revision() != revision
    after = client.get("/api/v1/progress", params={"target_id": target}).json()
    assert len(after) == len(before) + 1
    assert any(r["value"] == 33.3 for r in after)


def test_a_user_scenario_gives_a_new_list(scenario_platform: Platform) -> None:
    client = token_client(scenario_platform)
    ids = [s["id"] for s in client.get("/api/v1/scenarios").json()]
    folder = scenario_platform.user_scenario_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.yaml").write_text(
        "id: mine\nzh: 我的\nen: Mine\nextends: plan\nlevers: []\n", encoding="utf-8"
    )
    again = [s["id"] for s in client.get("/api/v1/scenarios").json()]
    assert "mine" in again and "mine" not in ids
