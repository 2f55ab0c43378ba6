"""The public feedback form's signed time stamp: the form carries the moment it was served,
signed with a server key (HMAC-SHA-256), so that a submission sent sooner than
:data:`MIN_FILL` after the form was served (a script, not a person typing), later than
:data:`MAX_AGE`, or with a stamp not made here is refused without any outside service.

The key is ``XIETONG_FORM_SECRET`` where it is set (``xietong serve --workers N`` sets one for
all its processes), else one drawn at random when the process starts."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from functools import cache

FORM_SECRET_ENV = "XIETONG_FORM_SECRET"
"""The environment variable holding the key shared by the server's processes."""

MIN_FILL = dt.timedelta(seconds=3)
"""The least time between serving the form and its submission."""

MAX_AGE = dt.timedelta(hours=2)
"""The most time between serving the form and its submission."""


@cache
def form_key() -> bytes:
    """The key the stamps are signed with (``XIETONG_FORM_SECRET``, else random per
    process)."""
    given = os.environ.get(FORM_SECRET_ENV, "")
    return given.encode("utf-8") if given else secrets.token_bytes(32)


def _sign(stamp: str, key: bytes) -> str:
    return hmac.new(key, f"feedback:{stamp}".encode(), hashlib.sha256).hexdigest()[:32]


def issue(now: dt.datetime, key: bytes | None = None) -> str:
    """A stamp of ``now`` for the form: ``<unix seconds>.<signature>``."""
    stamp = str(int(now.timestamp()))
    return f"{stamp}.{_sign(stamp, key or form_key())}"


def refusal(token: str, now: dt.datetime, key: bytes | None = None) -> str | None:
    """Why a submission carrying ``token`` at ``now`` is refused (``invalid``, ``too_fast``,
    ``stale``), or None when the stamp is good.

    >>> t0 = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    >>> token = issue(t0, b"k")
    >>> [refusal(token, t0 + dt.timedelta(seconds=s), b"k") for s in (1, 10, 7201)]
    ['too_fast', None, 'stale']
    >>> refusal(token, t0, b"other"), refusal("123.abc", t0, b"k"), refusal("x", t0, b"k")
    ('invalid', 'invalid', 'invalid')
    """
    stamp, _, signature = token.partition(".")
    if not stamp.isdigit() or len(stamp) > 12 or len(signature) != 32:
        return "invalid"
    if not hmac.compare_digest(signature, _sign(stamp, key or form_key())):
        return "invalid"
    age = now - dt.datetime.fromtimestamp(int(stamp), dt.UTC)
    if age < MIN_FILL:
        return "too_fast"
    if age > MAX_AGE:
        return "stale"
    return None
