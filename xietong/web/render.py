"""Template rendering with the language, its catalogue and helpers in every page."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from xietong import __version__
from xietong.errors import XietongError
from xietong.units import format_number, unit_label
from xietong.web.i18n import translator

templates = Jinja2Templates(directory=str(resources.files("xietong.web") / "templates"))


def tojson_cn(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block, Chinese kept readable; the
    characters that could close the block or start markup are escaped as JSON unicode escapes."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
        text = text.replace(ch, esc)
    return Markup(text)


def pct(value: Any) -> str:
    """A share 0–1 as a whole percentage."""
    return f"{float(value) * 100:.0f}%"


_SLASHED = re.compile(r"^(?P<zh>.*?[\u4e00-\u9fff].*?) / (?P<en>[^\u4e00-\u9fff]+)$", re.S)
_BILINGUAL = re.compile(r"^(?P<zh>.*?[\u4e00-\u9fff].*?)\s*\((?P<en>[^\u4e00-\u9fff]*)\)\s*$", re.S)


def in_lang(text: str | None, lang: str) -> str:
    """One language of a note written in the data as ``中文 (English)`` (or a message as
    ``中文 / English``): the Chinese part on a Chinese page, the English one on an English
    page (a note in one language only is given as it is).

    >>> in_lang("原文未给日期; 取方案目标年2025年 (no date in the text)", "zh")
    '原文未给日期; 取方案目标年2025年'
    >>> in_lang("原文未给日期 (no date in the text)", "en"), in_lang("十四五 = 2021–2025", "en")
    ('no date in the text', '十四五 = 2021–2025')
    >>> in_lang("尚无数据(请导入) / no data (import a table)", "zh")
    '尚无数据(请导入)'
    """
    if not text:
        return ""
    found = _SLASHED.match(text) or _BILINGUAL.match(text)
    if found is None:
        return text
    return found.group("zh") if lang == "zh" else found.group("en")


DEMO_PREFIX = "演示数据 demo:"
"""How the shipped demo figures' evidence begins (scripts/make_demo_progress.py)."""


def evidence_text(text: str | None, lang: str) -> str:
    """A figure's evidence as the page's language shows it: a note written 「中文 (English)」
    in one language (:func:`in_lang`); the shipped demo data's note (``演示数据 demo: …``) as
    演示数据 on a Chinese page; anything else (a citation, a URL) as it is.

    >>> evidence_text("演示数据 demo: synthetic figure for demonstration", "zh")
    '演示数据(合成的示意数据,非正式数据)'
    >>> evidence_text("演示数据 demo: synthetic figure for demonstration", "en")
    'demo: synthetic figure for demonstration'
    """
    if not text:
        return ""
    if text.startswith(DEMO_PREFIX):
        return "演示数据(合成的示意数据,非正式数据)" if lang == "zh" else text[len("演示数据 ") :]
    return in_lang(text, lang)


PLATFORM_ACTORS = {
    "system": ("系统", "system"),
    "cli": ("命令行", "command line"),
    "inventory": ("清单核算", "inventory"),
    "scenario": ("情景分析", "scenarios"),
    "web": ("网页", "web"),
}
"""How the platform's own actors (names no account may take) are shown."""


def actor_name(name: str | None, lang: str) -> str:
    """Who did something, as a page shows it: an account's name as it is, the platform's own
    actors (``system``, ``cli`` …) by what they are, in the page's language."""
    if not name:
        return ""
    found = PLATFORM_ACTORS.get(name)
    return found[0 if lang == "zh" else 1] if found else name


templates.env.filters["actor_name"] = actor_name
templates.env.filters["in_lang"] = in_lang
templates.env.filters["evidence_text"] = evidence_text
templates.env.filters["tojson_cn"] = tojson_cn
templates.env.filters["num"] = format_number
templates.env.filters["pct"] = pct
templates.env.filters["unit_label"] = unit_label


def bilingual(en: str | None, zh: str | None, lang: str) -> Markup:
    """A data text kept in two languages, in the page's language. Where the Chinese is missing
    (a user's own scenario or factor written in English) the English is shown marked
    ``lang="en"``, so that a screen reader reads it as English (WCAG 2.1 SC 3.1.2)."""
    if lang == "zh" and zh:
        return Markup.escape(zh)
    if lang == "zh" and en and re.search(r"[A-Za-z]{3,}", en):
        return Markup('<span lang="en">{}</span>').format(en)
    return Markup.escape(en or zh or "")


templates.env.filters["bilingual"] = bilingual


def pct1(value: Any) -> str:
    """A share 0–1 as a percentage with one decimal: how a probability is shown wherever it
    appears (the carbon-peak target shows the same figure)."""
    return f"{float(value) * 100:.1f}%"


templates.env.filters["pct1"] = pct1


def _place(request: Request, principal: Any, lang: str) -> str | None:
    """The name of the body or district an account reports for, in the page's language."""
    code = getattr(principal, "body", None) or getattr(principal, "district", None)
    if not code:
        return None
    try:
        plan = request.app.state.platform.plan()
        found = plan.body(code) if principal.body else plan.district(code)
    except (KeyError, XietongError):
        return str(code)
    return str(found.name.get(lang))


def _as_of(request: Request, principal: object) -> dict[str, Any] | None:
    """The date the figures run to, for a logged-in page (None on the log-in and error pages
    of an anonymous visitor)."""
    if principal is None:
        return None
    platform = getattr(request.app.state, "platform", None)
    try:
        return platform.data_as_of() if platform is not None else None
    except XietongError:
        return None


def render(
    request: Request, name: str, lang: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page; a ``?lang=`` in the URL is remembered in a cookie."""
    t = translator(lang)
    other = "en" if lang == "zh" else "zh"
    principal = getattr(request.state, "principal", None)
    ctx = {
        "lang": lang,
        "t": t,
        "other_lang": other,
        "version": __version__,
        "path": request.url.path,
        "principal": principal,
        "principal_place": _place(request, principal, lang),
        "csrf": getattr(request.state, "csrf", None),
        "as_of": _as_of(request, principal),
        **context,
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    if request.query_params.get("lang") == lang:
        response.set_cookie("lang", lang, max_age=3600 * 24 * 365, samesite="lax")
    return response


templates.env.tests["match_ratio"] = lambda name: re.fullmatch(r"\d+/\d+", str(name)) is not None
