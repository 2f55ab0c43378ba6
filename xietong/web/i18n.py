"""The message catalogue of the web pages: Chinese first, English second."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of a language, from ``web/messages/<lang>.json``."""
    text = (resources.files("xietong.web") / "messages" / f"{lang}.json").read_text("utf-8")
    data: dict[str, str] = json.loads(text)
    return data


def translator(lang: str):  # type: ignore[no-untyped-def]
    """A function ``t(key)`` giving the message in ``lang`` (the key itself if missing)."""
    messages = catalogue(lang if lang in LANGS else DEFAULT_LANG)

    def t(key: str) -> str:
        return messages.get(key, key)

    return t
