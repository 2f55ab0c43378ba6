"""Dependencies shared by routes: the platform and the page language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from xietong.service.platform import Platform
from xietong.web.i18n import DEFAULT_LANG, LANGS


def get_platform(request: Request) -> Platform:
    """The platform held by the app."""
    platform: Platform = request.app.state.platform
    return platform


def get_lang(request: Request) -> str:
    """Language: ``?lang=`` if given, else the ``lang`` cookie, else Chinese."""
    lang = request.query_params.get("lang") or request.cookies.get("lang") or DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


PlatformDep = Annotated[Platform, Depends(get_platform)]
LangDep = Annotated[str, Depends(get_lang)]
