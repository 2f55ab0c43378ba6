"""The permission matrix on the live platform: every role × every write action × own / other
body or district, through the web API (bearer tokens) and the services (the actions that have
no web form). Each cell states the expected answer; a refused write leaves the data as it
was, and an allowed one changes it: 0 unintended allows, 0 unintended refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.signin import account, token_client
from xietong.accounts.roles import Principal, Role
from xietong.errors import Forbidden
from xietong.service.platform import Platform
from xietong.store.database import make_engine

ROLES = {
    "admin": {},
    "reviewer": {},
    "body": {"body": "transport"},
    "district": {"district": "qiaokou"},
    "viewer": {},
}

# (what, csv): a progress row of a target the transport body leads (city-wide), of a target it
# does not answer for, and of the every-district manure target in qiaokou and in hongshan
PROGRESS = {
    "own body": "new-energy-bus-share,2024,40,percent,",
    "other body": "manure-utilisation-2025,2024,80,percent,",
    "own district": "manure-utilisation-2025,2024,81,percent,qiaokou",
    "other district": "manure-utilisation-2025,2024,82,percent,hongshan",
}
PROGRESS_ALLOWED = {
    "admin": set(PROGRESS),
    "reviewer": set(PROGRESS),
    "body": {"own body"},
    "district": {"own district"},
    "viewer": set(),
}

# milestones: slow-traffic-plan answers to transport; express-plastic-ledger to postal;
# district-rooftop-pv applies to every district
MILESTONES = {
    "own body": "slow-traffic-plan,2024-06-30,推进中,",
    "other body": "express-plastic-ledger,2024-06-30,推进中,",
    "own district": "district-rooftop-pv,2024-06-30,推进中,qiaokou",
    "other district": "district-rooftop-pv,2024-06-30,推进中,hongshan",
}
MILESTONES_ALLOWED = PROGRESS_ALLOWED


@pytest.fixture
def sqlite_platform(tmp_path: Path) -> Platform:
    """The platform on SQLite (the web matrix runs once; the service matrix below runs on
    both databases)."""
    p = Platform(engine=make_engine(f"sqlite:///{tmp_path / 'x.db'}"), plan_id="wuhan-2023")
    p.init(demo=False, activity=False)
    return p


@pytest.mark.parametrize("role", list(ROLES))
def test_progress_writes_follow_the_matrix(sqlite_platform: Platform, role: str) -> None:
    p = sqlite_platform
    client = token_client(p, role, **ROLES[role])
    for cell, row in PROGRESS.items():
        before = len(p.records())
        csv = f"target_id,period,value,unit,district\n{row}\n"
        r = client.post("/api/v1/progress", files={"file": ("p.csv", io.BytesIO(csv.encode()))})
        allowed = cell in PROGRESS_ALLOWED[role]
        if allowed:
            assert r.status_code == 200, (role, cell, r.text)
            assert len(p.records()) == before + 1, (role, cell)
        else:
            assert r.status_code in (403, 422), (role, cell, r.status_code)
            assert len(p.records()) == before, (role, cell)
            if r.status_code == 422:
                (problem,) = r.json()["problems"]
                assert problem["row"] == 2 and "/" in problem["reason"]  # zh / en


@pytest.mark.parametrize("role", list(ROLES))
def test_milestone_writes_follow_the_matrix(sqlite_platform: Platform, role: str) -> None:
    p = sqlite_platform
    client = token_client(p, role, **ROLES[role])
    for cell, row in MILESTONES.items():
        before = len(p.milestone_reports())
        csv = f"milestone_id,date,state,district\n{row}\n"
        r = client.post("/api/v1/milestones", files={"file": ("m.csv", io.BytesIO(csv.encode()))})
        if cell in MILESTONES_ALLOWED[role]:
            assert r.status_code == 200, (role, cell, r.text)
            assert len(p.milestone_reports()) == before + 1
        else:
            assert r.status_code in (403, 422), (role, cell, r.status_code)
            assert len(p.milestone_reports()) == before


SCENARIO = "id: {sid}\nzh: 测试\nen: Test\nextends: plan\n"


def test_scenario_saves_and_deletes_follow_the_matrix(sqlite_platform: Platform) -> None:
    p = sqlite_platform
    clients = {role: token_client(p, role, **ROLES[role]) for role in ROLES}
    for role, client in clients.items():
        r = client.post("/api/v1/scenarios/", content=SCENARIO.format(sid=f"mine-{role}").encode())
        assert (r.status_code == 201) == (role in ("admin", "reviewer")), (role, r.text)
    assert {"mine-admin", "mine-reviewer"} <= set(p.scenario_ids())
    assert not {"mine-body", "mine-district", "mine-viewer"} & set(p.scenario_ids())
    # the reviewer may not delete (or overwrite) the administrator's scenario
    r = clients["reviewer"].post(
        "/api/v1/scenarios/", content=SCENARIO.format(sid="mine-admin").encode()
    )
    assert r.status_code == 403
    for role in ("body", "district", "viewer", "reviewer"):
        assert clients[role].delete("/api/v1/scenarios/mine-admin").status_code == 403, role
    assert "mine-admin" in p.scenario_ids()
    # its owner deletes its own, the administrator any
    assert clients["reviewer"].delete("/api/v1/scenarios/mine-reviewer").status_code == 204
    assert clients["admin"].delete("/api/v1/scenarios/mine-admin").status_code == 204
    assert not {"mine-admin", "mine-reviewer"} & set(p.scenario_ids())
    assert clients["admin"].delete("/api/v1/scenarios/plan").status_code == 422  # shipped


def _principal(p: Platform, role: str) -> Principal:
    name = account(p, role, **ROLES[role])
    return Principal(name, Role(role), **ROLES[role])


@pytest.mark.parametrize("role", list(ROLES))
def test_the_bureaus_actions_without_a_web_form_follow_the_matrix(
    platform: Platform, role: str
) -> None:
    """Assigned goals, activity imports, recomputation and accounts, through the services
    (the layer every interface calls)."""
    who = _principal(platform, role)
    bureau = role in ("admin", "reviewer")
    goal = next(t.id for t in platform.plan().targets if t.goal_assigned_by is not None)
    rows = [
        [
            "year",
            "district",
            "sector",
            "subsector",
            "activity",
            "amount",
            "unit",
            "source",
            "quality",
        ],
        [2020, "qingshan", "industry", "steel", "bituminous_coal", 12, "wan * t", "t", "statistic"],
    ]
    actions = {
        "assign goal": lambda: platform.assign_goal(goal, 1.0, source="doc", actor=who),
        "import activity": lambda: platform.import_activity_rows(rows, source="t", actor=who),
        "add user": lambda: platform.add_user(f"new-{role}", "viewer", actor=who),
        "list users": lambda: platform.users(actor=who),
    }
    expected = {
        "assign goal": bureau,
        "import activity": bureau,
        "add user": role == "admin",
        "list users": role == "admin",
    }
    for name, act in actions.items():
        try:
            act()
            allowed = True
        except Forbidden as exc:
            allowed = False
            assert exc.zh and exc.en

        assert allowed == expected[name], (role, name)


@pytest.mark.parametrize("role", list(ROLES))
def test_the_feedback_triage_follows_the_matrix(sqlite_platform: Platform, role: str) -> None:
    """The bureau (administrator, reviewer) reads the public's feedback and triages it; every
    other role is refused both, and the submission stays as it was."""
    from xietong.service.feedback import FeedbackForm

    p = sqlite_platform
    receipt = p.submit_feedback(FeedbackForm("question", "咨询", "内容"), client="10.0.0.1")
    client = token_client(p, role, **ROLES[role])
    bureau = role in ("admin", "reviewer")
    assert client.get("/feedback").status_code == (200 if bureau else 403), role
    r = client.post(
        f"/feedback/{receipt}",
        data={"status": "closed", "reply": "已答复"},
        follow_redirects=False,
    )
    assert r.status_code == (303 if bureau else 403), (role, r.status_code)
    assert p.feedback_receipt(receipt)["status"] == ("closed" if bureau else "new")
