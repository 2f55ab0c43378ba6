"""Answers of the read endpoints kept per platform revision.

Most GET answers of the API depend only on the stored data and the query: they are computed
once per :meth:`~xietong.service.Platform.revision` (any write through the platform starts a
new one) and kept as their JSON bytes in the platform's memory-bounded cache, so a repeated
request costs a revision check and a copy, not a recomputation.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, ParamSpec, get_type_hints

from fastapi.responses import Response
from pydantic import TypeAdapter

P = ParamSpec("P")


class Answer(bytes):
    """The JSON bytes of an answer; counts itself for the cache's memory budget."""

    def memory_bytes(self) -> int:
        """The answer's size in bytes."""
        return len(self)


def cached(handler: Callable[P, Any]) -> Callable[P, Any]:
    """``handler``'s answer serialised once per revision and query (``platform`` must be a
    keyword argument, as FastAPI passes it)."""
    adapter: list[TypeAdapter[Any]] = []

    @functools.wraps(handler)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        platform = kwargs["platform"]
        if not adapter:
            adapter.append(TypeAdapter(get_type_hints(handler)["return"]))
        query = tuple(sorted((k, repr(v)) for k, v in kwargs.items() if k != "platform"))
        query += (("today", dt.date.today().isoformat()),)  # statuses are as of today

        def answer() -> Answer:
            value = adapter[0].validate_python(handler(*args, **kwargs), from_attributes=True)
            return Answer(adapter[0].dump_json(value, by_alias=True))

        body = platform.view((handler.__module__, handler.__qualname__, query), answer)  # type: ignore[attr-defined]
        return Response(content=bytes(body), media_type="application/json")

    return wrapper
