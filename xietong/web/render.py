"""Template rendering with the language, its catalogue and helpers in every page."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from xietong import __version__
from xietong.web.i18n import translator

templates = Jinja2Templates(directory=str(resources.files("xietong.web") / "templates"))


def tojson_cn(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block, Chinese kept readable; the
    characters that could close the block or start markup are escaped as JSON unicode escapes."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
        text = text.replace(ch, esc)
    return Markup(text)


templates.env.filters["tojson_cn"] = tojson_cn


def render(
    request: Request, name: str, lang: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page; a ``?lang=`` in the URL is remembered in a cookie."""
    t = translator(lang)
    other = "en" if lang == "zh" else "zh"
    ctx = {
        "lang": lang,
        "t": t,
        "other_lang": other,
        "version": __version__,
        "path": request.url.path,
        **context,
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    if request.query_params.get("lang") == lang:
        response.set_cookie("lang", lang, max_age=3600 * 24 * 365, samesite="lax")
    return response
