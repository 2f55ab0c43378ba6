"""Accounts: users and roles, log-in with throttling, sessions, API tokens, and the one place
where every interface's request is authorised (:meth:`AccountService.authorize`).

Passwords are hashed with Argon2id (pwdlib's recommended parameters, RFC 9106); session and
API tokens are 256-bit random strings stored only as their SHA-256. The rules of who may do
what are in :mod:`xietong.accounts.roles`; the design in ``docs/design/accounts.md``.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from xietong.accounts.roles import (
    RESERVED_NAMES,
    Action,
    Principal,
    Role,
    Scope,
    allows,
    refusal,
)
from xietong.errors import (
    AccountError,
    Forbidden,
    ImportRejected,
    NotAuthenticated,
    NotFound,
    RowProblem,
    Throttled,
)
from xietong.service.base import Core
from xietong.store import accounts as store
from xietong.store import repository
from xietong.store.database import session_scope
from xietong.store.tables import UserRow

if TYPE_CHECKING:
    from pwdlib import PasswordHash

    from xietong.plan.models import Plan

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,63}$")
"""An account name: 2–64 lower-case letters, digits, '.', '_' or '-'."""

MIN_PASSWORD = 10
"""The shortest password accepted (characters)."""

SESSION_HOURS = 12.0
"""How long a log-in session lasts."""

THROTTLE_WINDOW = dt.timedelta(minutes=15)
"""The window over which failed log-ins are counted."""

MAX_FAILURES_PER_NAME, MAX_FAILURES_PER_CLIENT = 5, 30
"""Failed log-ins within :data:`THROTTLE_WINDOW` after which a name, or a client address,
is refused until the window has passed."""

FIRST_ADMIN = "admin"
"""The name of the administrator ``xietong init`` creates when there is no account."""

Actor = Principal | str
"""Who acts: a principal (an account of the web or API), or a name, which stands for the local
operator of the command line (:meth:`Principal.local`)."""


@cache
def _hasher() -> PasswordHash:
    from pwdlib import PasswordHash

    return PasswordHash.recommended()


@cache
def _dummy_hash() -> str:
    # verified against when a name is unknown, so that a wrong name costs what a wrong
    # password costs (no timing answer to "does this account exist?")
    return _hasher().hash(secrets.token_urlsafe(16))


def as_principal(actor: Actor) -> Principal:
    """``actor`` as a principal: a name is the local operator of that name."""
    return actor if isinstance(actor, Principal) else Principal.local(actor)


@dataclass(frozen=True)
class Account:
    """An account as the interfaces show it (never its password hash)."""

    username: str
    display_name: str
    role: Role
    body: str | None
    district: str | None
    disabled: bool
    created_at: dt.datetime
    created_by: str

    @property
    def principal(self) -> Principal:
        """The account acting."""
        return Principal(self.username, self.role, self.body, self.district)


def _account(row: UserRow) -> Account:
    return Account(
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        body=row.body,
        district=row.district,
        disabled=row.disabled,
        created_at=row.created_at,
        created_by=row.created_by,
    )


class AccountService(Core):
    """Accounts, log-in, sessions and tokens; authorisation of every action."""

    # -- authorisation --------------------------------------------------------------------

    def authorize(self, actor: Actor, action: Action, scope: Scope = Scope()) -> Principal:
        """The principal of ``actor`` when it may do ``action`` on ``scope``; else Forbidden
        (in Chinese and English), with the refusal written to the audit log."""
        principal = as_principal(actor)
        if allows(principal, action, scope):
            return principal
        zh, en = refusal(principal, action)
        self.record_refusal(principal, action.value, en)
        raise Forbidden(zh, en)

    def record_refusal(self, actor: Actor, action: str, reason: str) -> None:
        """Write a refused attempt to the audit log (its own transaction)."""
        with session_scope(self.engine) as session:
            repository.audit(
                session,
                actor=as_principal(actor).label,
                action="denied",
                entity=action,
                detail={"reason": reason[:500]},
            )

    # -- accounts -------------------------------------------------------------------------

    def _check_account(
        self, username: str, role: str, body: str | None, district: str | None
    ) -> tuple[Role, str | None, str | None]:
        if not USERNAME.match(username):
            raise AccountError(
                f"账户名 '{username[:64]}' 无效(2–64 个小写字母、数字、'.'、'_' 或 '-') / "
                f"'{username[:64]}' is not an account name (2–64 lower-case letters, digits, "
                "'.', '_' or '-')"
            )
        if username in RESERVED_NAMES:
            raise AccountError(
                f"账户名 '{username}' 为系统保留 / '{username}' is reserved for the platform"
            )
        try:
            kind = Role(role)
        except ValueError:
            roles = ", ".join(r.value for r in Role)
            raise AccountError(
                f"角色 '{role[:32]}' 不存在(可选 {roles}) / no role '{role[:32]}' ({roles})",
                "role",
            ) from None
        plan = self._account_plan()
        if kind is Role.BODY:
            try:
                body = plan.body(body or "").code
            except KeyError:
                raise AccountError(
                    f"部门填报人须指定方案中的部门(--body),'{body or ''}' 不存在 / a body "
                    f"reporter needs a body of the plan (--body); no body '{body or ''}'",
                    "body",
                ) from None
            return kind, body, None
        if kind is Role.DISTRICT:
            try:
                district = plan.district(district or "").code
            except KeyError:
                raise AccountError(
                    f"区填报人须指定方案中的区(--district),'{district or ''}' 不存在 / a "
                    f"district reporter needs a district of the plan (--district); no "
                    f"district '{district or ''}'",
                    "district",
                ) from None
            return kind, None, district
        return kind, None, None

    def _account_plan(self) -> Plan:
        """The plan already read (the bodies and districts accounts may name), else the
        stored one, else the shipped one (before ``init`` has stored it)."""
        if self._plan is not None:
            return self._plan
        from xietong.plan.loader import load_plan
        from xietong.store.repository import get_plan

        try:
            with session_scope(self.engine) as session:
                return get_plan(session, self.plan_id)
        except NotFound:
            return load_plan(self.plan_id)

    def add_user(
        self,
        username: str,
        role: str,
        *,
        actor: Actor,
        password: str | None = None,
        body: str | None = None,
        district: str | None = None,
        display_name: str = "",
    ) -> tuple[Account, str | None]:
        """Create an account; returns it and, when no password was given, the generated one
        (shown once, never stored in clear). Audited."""
        principal = self.authorize(actor, Action.MANAGE_USERS)
        created = self._add_users(
            [(username, role, body, district, display_name, password)], principal
        )
        return created[0]

    def _add_users(
        self,
        specs: Sequence[tuple[str, str, str | None, str | None, str, str | None]],
        principal: Principal,
    ) -> list[tuple[Account, str | None]]:
        rows = []
        for username, role, body, district, display_name, password in specs:
            kind, body, district = self._check_account(username, role, body, district)
            generated = None
            if password is None:
                generated = password = secrets.token_urlsafe(12)
            _check_password(password)
            rows.append((username, kind, body, district, display_name, password, generated))
        out = []
        with session_scope(self.engine) as session:
            for username, kind, body, district, display_name, password, generated in rows:
                if store.user_by_name(session, username) is not None:
                    raise AccountError(
                        f"账户 '{username}' 已存在 / the account '{username}' exists"
                    )
                row = UserRow(
                    username=username,
                    display_name=display_name[:128],
                    role=kind.value,
                    body=body,
                    district=district,
                    password_hash=_hasher().hash(password),
                    disabled=False,
                    created_at=store.now(),
                    created_by=principal.label,
                )
                session.add(row)
                session.flush()
                repository.audit(
                    session,
                    actor=principal.label,
                    action="user.add",
                    entity=f"user:{username}",
                    detail={"before": None, "after": _public(row)},
                )
                out.append((_account(row), generated))
        return out

    def import_users(self, path: Path, *, actor: Actor) -> list[tuple[Account, str | None]]:
        """Create the accounts of a table (.csv or .xlsx: username 账户, role 角色, body 部门,
        district 区, display_name 姓名, password 密码 — optional, generated when empty), all
        or nothing: ImportRejected names every bad row."""
        from xietong.files.progress_files import read_table

        principal = self.authorize(actor, Action.MANAGE_USERS)
        header, rows = read_table(path, path.name)
        names = {str(h or "").strip().lstrip("\ufeff"): i for i, h in enumerate(header)}
        spellings = {
            "username": ("username", "账户"),
            "role": ("role", "角色"),
            "body": ("body", "部门"),
            "district": ("district", "区"),
            "display_name": ("display_name", "姓名"),
            "password": ("password", "密码"),
        }
        cols = {k: next((names[s] for s in v if s in names), None) for k, v in spellings.items()}
        missing = [k for k in ("username", "role") if cols[k] is None]
        if missing:
            raise ImportRejected(
                path.name, [RowProblem(1, ",".join(missing), "缺少列 / missing column(s)")]
            )
        problems: list[RowProblem] = []
        specs = []
        seen: set[str] = set()
        for n, row in enumerate(rows, start=2):

            def cell(key: str, row: Sequence[object] = row) -> str:
                i = cols[key]
                v = row[i] if i is not None and i < len(row) else None
                return "" if v is None else str(v).strip()

            if not any(cell(k) for k in cols):
                continue
            spec = (
                cell("username"),
                cell("role"),
                cell("body") or None,
                cell("district") or None,
                cell("display_name"),
                cell("password") or None,
            )
            try:
                self._check_account(*spec[:4])
                if spec[5] is not None:
                    _check_password(spec[5])
                if spec[0] in seen:
                    raise AccountError("账户名重复 / the name appears twice")
            except AccountError as exc:
                problems.append(RowProblem(n, exc.field, str(exc)))
                continue
            seen.add(spec[0])
            specs.append(spec)
        if problems:
            raise ImportRejected(path.name, problems)
        if not specs:
            raise ImportRejected(path.name, [RowProblem(2, "*", "无数据行 / no data rows")])
        try:
            return self._add_users(specs, principal)
        except AccountError as exc:
            raise ImportRejected(path.name, [RowProblem(2, "username", str(exc))]) from None

    def users(self, *, actor: Actor) -> list[Account]:
        """Every account (administrators only)."""
        self.authorize(actor, Action.MANAGE_USERS)
        with session_scope(self.engine) as session:
            return [_account(r) for r in store.users(session)]

    def disable_user(self, username: str, *, actor: Actor, disabled: bool = True) -> Account:
        """Disable (or enable again) an account: its sessions end and its API tokens are
        revoked. Audited with the state before and after."""
        principal = self.authorize(actor, Action.MANAGE_USERS)
        with session_scope(self.engine) as session:
            row = store.user_by_name(session, username)
            if row is None:
                raise NotFound(f"没有账户 '{username[:64]}' / no account '{username[:64]}'")
            before = _public(row)
            row.disabled = disabled
            if disabled:
                store.end_sessions_of(session, row.id)
                store.revoke_tokens_of(session, row.id)
            repository.audit(
                session,
                actor=principal.label,
                action="user.disable" if disabled else "user.enable",
                entity=f"user:{username}",
                detail={"before": before, "after": _public(row)},
            )
            return _account(row)

    def set_password(self, username: str, password: str, *, actor: Actor) -> None:
        """Set an account's password (administrators, or the account itself); its other
        sessions end. Audited (without the password)."""
        principal = as_principal(actor)
        if principal.name != username or principal.operator:
            principal = self.authorize(actor, Action.MANAGE_USERS)
        _check_password(password)
        with session_scope(self.engine) as session:
            row = store.user_by_name(session, username)
            if row is None:
                raise NotFound(f"没有账户 '{username[:64]}' / no account '{username[:64]}'")
            row.password_hash = _hasher().hash(password)
            store.end_sessions_of(session, row.id)
            repository.audit(
                session,
                actor=principal.label,
                action="user.password",
                entity=f"user:{username}",
                detail={},
            )

    def first_admin(self, *, actor: str) -> str | None:
        """Create the administrator ``admin`` with a generated password when there is no
        account at all; returns the password (to be shown once), else None."""
        with session_scope(self.engine) as session:
            if store.count_users(session):
                return None
        _, password = self.add_user(FIRST_ADMIN, Role.ADMIN.value, actor=actor)
        return password

    # -- log-in ---------------------------------------------------------------------------

    def login(self, username: str, password: str, *, client: str) -> tuple[str, str, Principal]:
        """Check a name and password; returns a new session's cookie token, its CSRF token and
        the principal. A wrong name or password raises NotAuthenticated (the same message
        for both) and is recorded; more than :data:`MAX_FAILURES_PER_NAME` failures for a
        name or :data:`MAX_FAILURES_PER_CLIENT` from a client in :data:`THROTTLE_WINDOW` raise
        Throttled until the window has passed."""
        name = username.strip().lower()[:64]
        since = store.now() - THROTTLE_WINDOW
        with session_scope(self.engine) as session:
            by_name, by_client = store.recent_failures(
                session, username=name, client=client, since=since
            )
            if by_name >= MAX_FAILURES_PER_NAME or by_client >= MAX_FAILURES_PER_CLIENT:
                raise Throttled(
                    "登录失败次数过多,请 15 分钟后再试 / too many failed log-ins: try again "
                    "in 15 minutes",
                    retry_after=int(THROTTLE_WINDOW.total_seconds()),
                )
            row = store.user_by_name(session, name)
            ok = _hasher().verify(password, row.password_hash if row else _dummy_hash())
            if row is None or not ok or row.disabled:
                store.add_failure(session, name, client)
                repository.audit(
                    session,
                    actor=name or "anonymous",
                    action="login.failed",
                    entity=f"user:{name}",
                    detail={"client": client[:64]},
                )
                failed = True
            else:
                failed = False
                token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
                store.add_session(session, row, token, csrf, SESSION_HOURS)
                principal = _account(row).principal
        if failed:
            raise NotAuthenticated("账户名或密码错误 / wrong name or password")
        return token, csrf, principal

    def logout(self, token: str) -> None:
        """End the session of a cookie token."""
        with session_scope(self.engine) as session:
            store.end_session(session, token)

    def session_principal(self, token: str) -> tuple[Principal, str] | None:
        """The principal and CSRF token of a live session's cookie token, else None."""
        with session_scope(self.engine) as session:
            found = store.session_user(session, token)
            if found is None:
                return None
            user, row = found
            return _account(user).principal, row.csrf

    def token_principal(self, token: str) -> Principal | None:
        """The principal of a valid API bearer token, else None."""
        with session_scope(self.engine) as session:
            user = store.token_user(session, token)
            return _account(user).principal if user is not None else None

    def issue_token(
        self, username: str, *, actor: Actor, name: str = "api", days: int | None = 365
    ) -> str:
        """A new API bearer token of ``username`` (shown once; stored as its SHA-256), valid
        ``days`` (None: until revoked). Administrators, or the account itself. Audited."""
        principal = as_principal(actor)
        if principal.name != username or principal.operator:
            principal = self.authorize(actor, Action.MANAGE_USERS)
        token = "xt_" + secrets.token_urlsafe(32)
        expires = store.now() + dt.timedelta(days=days) if days else None
        with session_scope(self.engine) as session:
            row = store.user_by_name(session, username)
            if row is None or row.disabled:
                raise NotFound(f"没有可用账户 '{username[:64]}' / no active account '{username}'")
            store.add_token(session, row, token, name[:128], expires)
            repository.audit(
                session,
                actor=principal.label,
                action="token.issue",
                entity=f"user:{username}",
                detail={"name": name[:128], "expires": expires.isoformat() if expires else None},
            )
        return token


def _check_password(password: str) -> None:
    """Refuse a password shorter than :data:`MIN_PASSWORD` (in Chinese and English)."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            f"密码至少 {MIN_PASSWORD} 个字符 / a password has at least {MIN_PASSWORD} characters",
            "password",
        )


def _public(row: UserRow) -> dict[str, object]:
    return {
        "username": row.username,
        "role": row.role,
        "body": row.body,
        "district": row.district,
        "disabled": row.disabled,
    }
