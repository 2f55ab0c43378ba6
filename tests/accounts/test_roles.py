"""The permission rules, role by role, against a table written out here independently of the
rule code: every role × every action × own / other body or district; 0 unintended allows."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from xietong.accounts.roles import Action, Principal, Role, Scope, allows

BODY = Principal("jt", Role.BODY, body="transport")
DISTRICT = Principal("qk", Role.DISTRICT, district="qiaokou")
PRINCIPALS = {
    "admin": Principal("a", Role.ADMIN),
    "reviewer": Principal("r", Role.REVIEWER),
    "body": BODY,
    "district": DISTRICT,
    "viewer": Principal("v", Role.VIEWER),
    "anonymous": None,
}
SCOPES = {
    "own body, city-wide": Scope.of(["transport", "drc"]),
    "other body, city-wide": Scope.of(["agri", "drc"]),
    "own district": Scope.of(["agri"], "qiaokou", ["qiaokou", "hongshan"]),
    "other district": Scope.of(["agri"], "hongshan", ["qiaokou", "hongshan"]),
    "own district, not applicable": Scope.of(["agri"], "qiaokou", ["hongshan"]),
    "own scenario": Scope(owner="r"),
    "other's scenario": Scope(owner="someone"),
}

ALLOWED: set[tuple[str, str, str]] = set()
for scope in SCOPES:
    for action in Action:
        ALLOWED.add(("admin", action.value, scope))
        if action is not Action.MANAGE_USERS and not (
            action is Action.DELETE_SCENARIO and scope == "other's scenario"
        ):
            ALLOWED.add(("reviewer", action.value, scope))
        for who in ("body", "district", "viewer"):
            if action is Action.READ:
                ALLOWED.add((who, action.value, scope))
    for action in (Action.REPORT_PROGRESS, Action.REPORT_MILESTONE, Action.REPORT_TASK):
        if scope == "own body, city-wide":
            ALLOWED.add(("body", action.value, scope))
        if scope == "own district":
            ALLOWED.add(("district", action.value, scope))


def test_the_matrix_has_no_unintended_allow_and_no_unintended_refusal() -> None:
    unintended_allows, unintended_refusals = [], []
    for (who, principal), action, (where, scope) in itertools.product(
        PRINCIPALS.items(), Action, SCOPES.items()
    ):
        got = allows(principal, action, scope)
        expected = (who, action.value, where) in ALLOWED
        if got and not expected:
            unintended_allows.append((who, action.value, where))
        if expected and not got:
            unintended_refusals.append((who, action.value, where))
    assert unintended_allows == []
    assert unintended_refusals == []
    assert len(PRINCIPALS) * len(Action) * len(SCOPES) == 6 * 17 * 7


@given(
    role=st.sampled_from([Role.BODY, Role.DISTRICT, Role.VIEWER]),
    action=st.sampled_from(
        [
            a
            for a in Action
            if a
            not in (
                Action.READ,
                Action.REPORT_PROGRESS,
                Action.REPORT_MILESTONE,
                Action.REPORT_TASK,
            )
        ]
    ),
    bodies=st.frozensets(st.sampled_from(["transport", "agri", "drc"])),
    district=st.sampled_from(["", "qiaokou", "hongshan"]),
)
def test_a_reporter_or_viewer_never_does_the_bureaus_work(
    role: Role, action: Action, bodies: frozenset[str], district: str
) -> None:
    p = Principal("x", role, body="transport", district="qiaokou")
    assert not allows(p, action, Scope(bodies, district))


@given(
    bodies=st.frozensets(st.sampled_from(["transport", "agri", "drc", "eeb"])),
    district=st.sampled_from(["", "qiaokou", "hongshan"]),
)
def test_a_body_reporter_writes_exactly_where_its_body_answers(
    bodies: frozenset[str], district: str
) -> None:
    assert allows(BODY, Action.REPORT_PROGRESS, Scope(bodies, district)) == ("transport" in bodies)


@given(
    district=st.sampled_from(["", "qiaokou", "hongshan"]),
    applies=st.frozensets(st.sampled_from(["qiaokou", "hongshan", "caidian"])),
)
def test_a_district_reporter_writes_only_its_own_districts_applicable_values(
    district: str, applies: frozenset[str]
) -> None:
    got = allows(DISTRICT, Action.REPORT_PROGRESS, Scope(frozenset(), district, applies))
    assert got == (district == "qiaokou" and "qiaokou" in applies)


def test_an_operator_has_the_administrators_rights_under_its_own_name() -> None:
    op = Principal.local("cli")
    assert op.role is Role.ADMIN and op.operator and op.label == "cli"
    assert all(allows(op, a) for a in Action)
