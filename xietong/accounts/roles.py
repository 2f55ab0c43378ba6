"""Roles, principals and the permission rules of the platform (pure: no storage, no web).

The plan gives every target and milestone the bodies that answer for it (lead and
cooperating, ``Plan.responsible_bodies``) and the districts it applies to. A principal may
write a value only where it answers for it:

======================  =========================================================================
role                    may
======================  =========================================================================
``admin`` 管理员        everything, including accounts
``reviewer`` 审核人     every report, import and scenario; assigned goals; reporting periods and
                        the review of task reports; the 考核 scores and scheme; the public's
                        feedback (read, triage, reply); no accounts
``body`` 部门填报人     values and milestones of the targets and measures its body answers for,
                        city-wide and in any district; its body's task reports
``district`` 区填报人   values of its own district for the targets that apply to it, its own
                        district's milestone states and task reports
``viewer`` 查看者       reads the internal pages and the API; writes nothing
anonymous               the log-in page and the public portal (``/public``: public fields
                        only, and the feedback form) (``docs/design/accounts.md``)
======================  =========================================================================

The command line is run by whoever holds the database: it acts as an ``operator`` (the
administrator's rights, named after the system user in the audit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """A role of an account."""

    ADMIN = "admin"
    REVIEWER = "reviewer"
    BODY = "body"
    DISTRICT = "district"
    VIEWER = "viewer"

    @property
    def zh(self) -> str:
        """The role's Chinese name."""
        return ROLE_ZH[self]

    @property
    def en(self) -> str:
        """The role's English name."""
        return ROLE_EN[self]


ROLE_ZH = {
    Role.ADMIN: "管理员",
    Role.REVIEWER: "审核人(生态环境局)",
    Role.BODY: "部门填报人",
    Role.DISTRICT: "区填报人",
    Role.VIEWER: "查看者",
}
ROLE_EN = {
    Role.ADMIN: "administrator",
    Role.REVIEWER: "reviewer (bureau)",
    Role.BODY: "body reporter",
    Role.DISTRICT: "district reporter",
    Role.VIEWER: "viewer",
}


class Action(StrEnum):
    """What a principal asks to do."""

    READ = "read"
    REPORT_PROGRESS = "progress.report"
    REPORT_MILESTONE = "milestone.report"
    IMPORT_ACTIVITY = "activity.import"
    RECOMPUTE = "inventory.recompute"
    ASSIGN_GOAL = "goal.assign"
    SAVE_SCENARIO = "scenario.save"
    DELETE_SCENARIO = "scenario.delete"
    READ_AUDIT = "audit.read"
    MANAGE_USERS = "users.manage"
    REPORT_TASK = "task.report"
    REVIEW_TASK = "task.review"
    MANAGE_PERIODS = "period.manage"
    READ_ASSESSMENT = "assessment.read"
    EDIT_ASSESSMENT = "assessment.edit"
    READ_FEEDBACK = "feedback.read"
    TRIAGE_FEEDBACK = "feedback.triage"


ACTION_ZH = {
    Action.READ: "查看",
    Action.REPORT_PROGRESS: "报送目标进展",
    Action.REPORT_MILESTONE: "报送里程碑状态",
    Action.IMPORT_ACTIVITY: "导入活动水平数据",
    Action.RECOMPUTE: "重新核算清单",
    Action.ASSIGN_GOAL: "录入下达目标",
    Action.SAVE_SCENARIO: "保存情景",
    Action.DELETE_SCENARIO: "删除情景",
    Action.READ_AUDIT: "查看审计日志",
    Action.MANAGE_USERS: "管理账户",
    Action.REPORT_TASK: "填报任务进展",
    Action.REVIEW_TASK: "审核任务报告",
    Action.MANAGE_PERIODS: "开启或关闭报送期",
    Action.READ_ASSESSMENT: "查看考核得分",
    Action.EDIT_ASSESSMENT: "修改考核方案",
    Action.READ_FEEDBACK: "查看公众意见反馈",
    Action.TRIAGE_FEEDBACK: "处理和答复公众意见反馈",
}

RESERVED_NAMES = frozenset(
    {"inventory", "scenario", "system", "cli", "web", "anonymous", "operator", "root"}
)
"""Names no account may take: the platform's own reporters and actors."""


@dataclass(frozen=True)
class Principal:
    """Who acts: an account (its name, role and, for a reporter, its body or district), or
    the local ``operator`` of the command line."""

    name: str
    role: Role
    body: str | None = None
    district: str | None = None
    operator: bool = False

    @classmethod
    def local(cls, name: str) -> Principal:
        """The operator of the command line (or a script on the database's machine): the
        administrator's rights, recorded under ``name``."""
        return cls(name=name, role=Role.ADMIN, operator=True)

    @property
    def label(self) -> str:
        """The name the audit records: the account's name, or the operator's (``cli``,
        ``system``, ``inventory``: names no account may take, :data:`RESERVED_NAMES`)."""
        return self.name


@dataclass(frozen=True)
class Scope:
    """What an action touches: the bodies that answer for it, the district of the value
    ('' = city-wide), the districts it applies to (None = any), and the account that owns it
    (a user scenario)."""

    bodies: frozenset[str] = field(default_factory=frozenset)
    district: str = ""
    districts: frozenset[str] | None = None
    owner: str | None = None

    @classmethod
    def of(
        cls,
        bodies: Iterable[str] = (),
        district: str | None = "",
        districts: Iterable[str] | None = None,
        owner: str | None = None,
    ) -> Scope:
        """A scope from plain values."""
        return cls(
            frozenset(bodies),
            district or "",
            frozenset(districts) if districts is not None else None,
            owner,
        )


EVERYTHING = Scope()

_BUREAU = {Role.ADMIN, Role.REVIEWER}
_REPORTS = {Action.REPORT_PROGRESS, Action.REPORT_MILESTONE, Action.REPORT_TASK}


def allows(principal: Principal | None, action: Action, scope: Scope = EVERYTHING) -> bool:
    """Whether ``principal`` (None = anonymous) may do ``action`` on ``scope``, by the table
    in this module's docstring."""
    if principal is None:
        return False
    role = principal.role
    if action is Action.READ:
        return True
    if action is Action.MANAGE_USERS:
        return role is Role.ADMIN
    if role in _BUREAU:
        if action is Action.DELETE_SCENARIO and role is Role.REVIEWER:
            return scope.owner in (None, principal.name)
        return True
    if action not in _REPORTS:
        return False
    if role is Role.BODY:
        return principal.body is not None and principal.body in scope.bodies
    if role is Role.DISTRICT:
        own = principal.district
        if own is None or scope.district != own:
            return False
        return scope.districts is None or own in scope.districts
    return False


def refusal(principal: Principal | None, action: Action) -> tuple[str, str]:
    """Why ``action`` is refused, in Chinese and English."""
    if principal is None:
        return ("请先登录", "log in first")
    what_zh = ACTION_ZH[action]
    if principal.role is Role.BODY:
        return (
            f"账户 {principal.name}({principal.body})只能{what_zh}本部门负责的事项",
            f"{principal.name} ({principal.body}) may only {action.value} for what its body "
            "answers for",
        )
    if principal.role is Role.DISTRICT:
        return (
            f"账户 {principal.name}({principal.district})只能{what_zh}本区的事项",
            f"{principal.name} ({principal.district}) may only {action.value} for its own district",
        )
    return (
        f"{principal.role.zh} {principal.name} 无权{what_zh}",
        f"{principal.role.en} {principal.name} may not {action.value}",
    )
