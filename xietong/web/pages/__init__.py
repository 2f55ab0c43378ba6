"""Server-rendered pages."""

from xietong.web.pages.plan import router

__all__ = ["router"]
