"""User scenarios have owners, a quota, a bound on levers and on sensitivity cost, and a
delete that keeps the text in the audit log."""

from __future__ import annotations

import pytest

from xietong.accounts.roles import Principal, Role
from xietong.errors import Forbidden
from xietong.scenarios.scenario import ScenarioError
from xietong.service.platform import Platform
from xietong.store.database import session_scope
from xietong.store.repository import audit_entries

ANA = Principal("ana", Role.REVIEWER)
BEN = Principal("ben", Role.REVIEWER)
ADMIN = Principal("root-admin", Role.ADMIN)


def _yaml(sid: str, extends: str = "plan") -> str:
    return f"id: {sid}\nzh: 测试 {sid}\nen: Test {sid}\nextends: {extends}\n"


@pytest.fixture
def p(platform: Platform, tmp_path: object) -> Platform:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    platform.scenarios_dir = tmp_path / "user-scenarios"
    return platform


def test_an_account_keeps_at_most_its_quota(p: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("xietong.service.scenarios.MAX_USER_SCENARIOS", 2)
    p.save_user_scenario(_yaml("a1"), ANA)
    p.save_user_scenario(_yaml("a2"), ANA)
    with pytest.raises(ScenarioError, match="最多保存 2 个情景"):
        p.save_user_scenario(_yaml("a3"), ANA)
    p.save_user_scenario(_yaml("a2") + "description: again\n", ANA)  # replacing is not a new one
    p.save_user_scenario(_yaml("b1"), BEN)  # another account has its own quota
    p.delete_user_scenario("a1", actor=ANA)
    p.save_user_scenario(_yaml("a3"), ANA)
    assert {"a2", "a3", "b1"} <= set(p.scenario_ids()) and "a1" not in p.scenario_ids()


def test_a_scenario_with_too_many_levers_is_refused(
    p: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("xietong.service.scenarios.MAX_LEVERS", 1)
    with pytest.raises(ScenarioError, match="levers"):
        p.save_user_scenario(_yaml("many"), ANA)  # extends plan: several levers
    assert "many" not in p.scenario_ids()


def test_only_the_owner_a_reviewer_of_ownerless_ones_or_an_administrator_replaces_or_deletes(
    p: Platform,
) -> None:
    p.save_user_scenario(_yaml("mine"), ANA)
    with pytest.raises(Forbidden):
        p.save_user_scenario(_yaml("mine"), BEN)
    with pytest.raises(Forbidden):
        p.delete_user_scenario("mine", actor=BEN)
    with pytest.raises(ScenarioError, match="内置情景"):
        p.delete_user_scenario("plan", actor=ADMIN)
    p.save_user_scenario(_yaml("child", extends="mine"), BEN)
    with pytest.raises(ScenarioError, match="child"):
        p.delete_user_scenario("mine", actor=ANA)  # another extends it
    p.delete_user_scenario("child", actor=ADMIN)
    text = (p.user_scenario_dir() / "mine.yaml").read_text(encoding="utf-8")
    p.delete_user_scenario("mine", actor=ANA)
    assert "mine" not in p.scenario_ids()
    with session_scope(p.engine) as session:
        entry = next(e for e in audit_entries(session, 10) if e.action == "scenario.delete")
    assert entry.actor == "ana" and entry.detail["before"] == text


def test_a_replaced_scenario_keeps_its_old_text_in_the_audit(p: Platform) -> None:
    p.save_user_scenario(_yaml("mine"), ANA)
    p.save_user_scenario(_yaml("mine") + "description: second\n", ANA)
    with session_scope(p.engine) as session:
        saves = [e for e in audit_entries(session, 10) if e.action == "scenario.save"]
    assert saves[0].detail["replaced"] is True
    assert saves[0].detail["before"] == _yaml("mine")
    assert saves[1].detail["before"] is None


def test_a_viewer_or_reporter_saves_no_scenario(p: Platform) -> None:
    for who in (
        Principal("v", Role.VIEWER),
        Principal("b", Role.BODY, body="transport"),
        Principal("d", Role.DISTRICT, district="qiaokou"),
    ):
        with pytest.raises(Forbidden):
            p.save_user_scenario(_yaml("x"), who)
    assert "x" not in p.scenario_ids()


def test_a_sensitivity_run_beyond_its_budget_is_refused(
    p: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("xietong.service.scenarios.SENSITIVITY_BUDGET", 100)
    with pytest.raises(ValueError, match="sensitivity budget"):
        p.sensitivity("enhanced", n=1024)
