"""The error hierarchy of xietong: every failure a user can cause is one of these."""

from __future__ import annotations


class XietongError(Exception):
    """Base of every error xietong raises on purpose."""


class PlanError(XietongError):
    """A plan file is malformed or inconsistent (names file, entry and field)."""


class UnitError(XietongError):
    """A quantity has a unit that is unknown or of the wrong dimension."""


class ImportRejected(XietongError):
    """A file import was refused as a whole; ``problems`` lists every bad row."""

    def __init__(self, source: str, problems: list[RowProblem], total: int | None = None) -> None:
        self.source = source
        self.problems = problems
        self.total = max(total or 0, len(problems))
        lines = "\n".join(str(p) for p in problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(
            f"{source}: import rejected, nothing was written ({self.total} problem(s)):\n"
            f"{lines}{more}"
        )


class RowProblem:
    """One bad cell or row of an imported file: where it is and why it is refused."""

    __slots__ = ("column", "reason", "row")

    def __init__(self, row: int, column: str, reason: str) -> None:
        self.row = row
        self.column = column
        self.reason = reason

    def __str__(self) -> str:
        return f"row {self.row}, column '{self.column}': {self.reason}"

    def as_dict(self) -> dict[str, object]:
        """The problem as a JSON-ready mapping."""
        return {"row": self.row, "column": self.column, "reason": self.reason}


class NotFound(XietongError):
    """A requested measure, target, body or district does not exist."""


class NotInitialised(XietongError):
    """The database has no schema or no plan yet: ``xietong init`` has not been run on it."""


class GoalRefused(XietongError):
    """An assigned goal could not be entered: the plan gives the figure itself, the figure is not
    a number, or the document that assigned it is not named."""


class Forbidden(XietongError):
    """The acting account may not do this (its role, body or district does not allow it);
    ``zh`` and ``en`` say why."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")


class NotAuthenticated(XietongError):
    """No valid log-in: a wrong name or password, an expired session or a revoked token."""


class Throttled(XietongError):
    """Too many failed log-ins for a name or from a client; ``retry_after`` seconds to wait."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class AccountError(XietongError):
    """An account could not be created or changed (a reserved or taken name, an unknown
    role, body or district, a weak password); ``field`` names the field at fault."""

    def __init__(self, message: str, field: str = "username") -> None:
        self.field = field
        super().__init__(message)


class ReportRefused(XietongError):
    """A task report or reporting period action that the reporting cycle does not allow (a
    report awaiting review changed, a return without a comment, a closed period, a period
    opened twice); ``zh`` and ``en`` say why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en
