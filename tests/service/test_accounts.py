"""Accounts through the service every interface calls: creation rules, the first
administrator, imports all or nothing, passwords, tokens, sessions, and the audit log that
cannot be changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from xietong.errors import AccountError, ImportRejected, NotAuthenticated
from xietong.service.platform import Platform
from xietong.store.database import session_scope
from xietong.store.repository import audit_entries
from xietong.store.tables import ApiTokenRow, UserRow


def test_init_creates_the_first_administrator_once(platform: Platform) -> None:
    # the fixture's init created it; a second init leaves it alone and prints nothing
    assert [a.username for a in platform.users(actor="cli")] == ["admin"]
    again = platform.init(demo=False, activity=False)
    assert again["admin"] is None and again["admin_password"] is None


def test_init_prints_a_password_that_logs_in(tmp_path: Path) -> None:
    from xietong.store.database import make_engine

    p = Platform(engine=make_engine(f"sqlite:///{tmp_path / 'x.db'}"), plan_id="wuhan-2023")
    result = p.init(demo=False, activity=False)
    assert result["admin"] == "admin"
    password = result["admin_password"]
    assert isinstance(password, str) and len(password) >= 16
    token, csrf, who = p.login("admin", password, client="test")
    assert who.name == "admin" and who.role.value == "admin" and token and csrf
    with session_scope(p.engine) as session:
        row = session.query(UserRow).filter_by(username="admin").one()
        assert row.password_hash.startswith("$argon2id$")  # never the password itself
        assert password not in row.password_hash


@pytest.mark.parametrize(
    ("name", "role", "kw", "why"),
    [
        ("inventory", "viewer", {}, "保留"),
        ("system", "admin", {}, "保留"),
        ("Bad Name", "viewer", {}, "无效"),
        ("x", "viewer", {}, "无效"),
        ("jt", "body", {}, "部门"),
        ("jt", "body", {"body": "no-such-body"}, "部门"),
        ("qk", "district", {"district": "atlantis"}, "区"),
        ("vv", "superuser", {}, "角色"),
        ("vv", "viewer", {"password": "short"}, "密码"),
    ],
)
def test_an_account_that_breaks_a_rule_is_refused_in_both_languages(
    platform: Platform, name: str, role: str, kw: dict[str, str], why: str
) -> None:
    with pytest.raises(AccountError) as info:
        platform.add_user(name, role, actor="cli", **kw)
    assert why in str(info.value) and " / " in str(info.value)
    assert [a.username for a in platform.users(actor="cli")] == ["admin"]


def test_a_body_or_district_is_stored_by_its_code(platform: Platform) -> None:
    a, pw = platform.add_user("jt", "body", actor="cli", body="市交通运输局")
    b, _ = platform.add_user("qk", "district", actor="cli", district="硚口区")
    assert (a.body, b.district) == ("transport", "qiaokou")
    assert pw is not None and len(pw) >= 16
    with pytest.raises(AccountError, match="已存在"):
        platform.add_user("jt", "viewer", actor="cli")


def test_an_account_table_is_imported_all_or_nothing(platform: Platform, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "账户,角色,部门,区,姓名\n"
        "jt,body,transport,,张三\n"
        "qk,district,,atlantis,李四\n"  # row 3: no such district
        "cli,viewer,,,王五\n",  # row 4: reserved
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as info:
        platform.import_users(bad, actor="cli")
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "district"), (4, "username")]
    assert [a.username for a in platform.users(actor="cli")] == ["admin"]
    good = tmp_path / "good.csv"
    good.write_text(
        "username,role,body,district,display_name,password\n"
        "jt,body,transport,,张三,\n"
        "qk,district,,qiaokou,李四,a-long-password\n",
        encoding="utf-8",
    )
    created = platform.import_users(good, actor="cli")
    assert [(a.username, pw is None) for a, pw in created] == [("jt", False), ("qk", True)]
    platform.login("qk", "a-long-password", client="t")


def test_a_new_password_ends_the_old_sessions(platform: Platform) -> None:
    platform.add_user("vv", "viewer", actor="cli", password="first-password")
    token, _, _ = platform.login("vv", "first-password", client="t")
    assert platform.session_principal(token) is not None
    platform.set_password("vv", "second-password", actor="cli")
    assert platform.session_principal(token) is None
    with pytest.raises(NotAuthenticated):
        platform.login("vv", "first-password", client="t")
    platform.login("vv", "second-password", client="t")


def test_tokens_expire_and_are_stored_only_as_digests(platform: Platform) -> None:
    platform.add_user("vv", "viewer", actor="cli")
    token = platform.issue_token("vv", actor="cli", days=1)
    assert platform.token_principal(token) is not None
    assert platform.token_principal(token + "x") is None
    with session_scope(platform.engine) as session:
        row = session.query(ApiTokenRow).one()
        assert token not in row.id
        row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert platform.token_principal(token) is None


def test_account_changes_are_audited_with_before_and_after(platform: Platform) -> None:
    platform.add_user("vv", "viewer", actor="cli")
    platform.disable_user("vv", actor="cli")
    with session_scope(platform.engine) as session:
        entry = next(e for e in audit_entries(session, 5) if e.action == "user.disable")
    assert entry.actor == "cli" and entry.entity == "user:vv"
    assert entry.detail["before"]["disabled"] is False
    assert entry.detail["after"]["disabled"] is True


def test_the_audit_log_is_append_only(platform: Platform) -> None:
    platform.add_user("vv", "viewer", actor="cli")
    statements = ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"]
    if platform.engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_log")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), platform.engine.begin() as conn:
            conn.execute(text(statement))
    with session_scope(platform.engine) as session:
        assert {e.actor for e in audit_entries(session, 100)} <= {"system", "cli"}
        assert len(audit_entries(session, 100)) >= 2
