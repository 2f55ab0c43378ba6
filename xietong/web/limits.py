"""Request bodies refused while they stream in, before they are read whole.

A request that announces more than :data:`MAX_BODY` bytes (``Content-Length``) is answered
413 at once, unread; one that streams more (chunked) is cut off as soon as the count passes the
limit. The uploads of the platform (progress, milestones, activity data, scenarios) are at most
10 MB; the limit leaves room for the multipart envelope.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

MAX_BODY = 12 * 1024 * 1024
"""The largest request body read (bytes)."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MESSAGE = (
    f"请求内容超过 {MAX_BODY // 2**20} MB 上限 · the request is larger than {MAX_BODY // 2**20} MB"
)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: at most ``max_bytes`` of request body per request."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1").strip()
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        seen = 0
        started = refused = False

        async def counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    if not started and not refused:
                        refused = True  # answered now; the app's own answer is dropped
                        await self._refuse(scope, send)
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        with contextlib.suppress(_TooLarge):  # raised where the body was read: answered
            await self.app(scope, counted, watched)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        api = str(scope.get("path", "")).startswith("/api/")
        body = (
            json.dumps({"detail": MESSAGE, "problems": []}, ensure_ascii=False).encode("utf-8")
            if api
            else MESSAGE.encode("utf-8")
        )
        kind = b"application/json" if api else b"text/plain; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
