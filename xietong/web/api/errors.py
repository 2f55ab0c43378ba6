"""The one shape of every error the API answers (docs/design/accounts.md, "errors"):
``detail`` says what went wrong, in Chinese and English where the platform wrote it;
``problems`` lists every bad row, cell or parameter (empty when there is none to name)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ProblemItem(BaseModel):
    """One bad row, cell or request parameter: where (``row`` for a file, ``column`` for its
    column or the parameter's place) and why."""

    model_config = ConfigDict(extra="allow")

    row: int | None = None
    column: str | None = None
    reason: str


class ErrorBody(BaseModel):
    """An error answer; some carry more fields beside these (a refused scenario file names its
    ``file``, ``key`` and ``reason``)."""

    model_config = ConfigDict(extra="allow")

    detail: str
    problems: list[ProblemItem | str] = Field(default_factory=list)


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("the request cannot be served as asked (the data do not allow it)"),
    401: _error("not logged in: a bearer token or a session is needed"),
    403: _error("this account may not do this, or a form's CSRF token is missing"),
    404: _error("no such thing"),
    413: _error("the request body is larger than the platform accepts"),
    422: _error("a parameter, a file or a row is refused; `problems` names them"),
}
"""The error answers every API operation may give, all of one shape."""
