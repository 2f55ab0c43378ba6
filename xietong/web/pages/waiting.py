"""The page shown while a long computation runs on the background worker.

A page that needs an inventory, the district allocation or a scenario analysis submits the
work to the worker (:mod:`xietong.worker`) and waits up to :data:`WAIT_S`; most results are
kept or quick, so the page is rendered at once. When a job is still running after that, this
page is shown instead (HTTP 202) with each job's phase and progress, and reloads itself
every :data:`REFRESH_S` seconds (no script needed) until the results are there.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Sequence

from fastapi import Request
from fastapi.responses import HTMLResponse

from xietong.service.platform import Platform
from xietong.web.render import render
from xietong.worker import Job

WAIT_S = 0.5
"""How long a page waits for its jobs before it shows their progress: short enough that no
first view takes more than a second (issue #13); a result that takes longer is reached
through the progress page."""

REFRESH_S = 2
"""How often the waiting page reloads itself."""

Work = tuple[Hashable, str, Callable[[], object]]
"""A job to run: its key, its label (a message key) and the computation."""


def wait_for(
    request: Request, platform: Platform, lang: str, work: Sequence[Work]
) -> HTMLResponse | None:
    """None when every job of ``work`` is done within :data:`WAIT_S` (or failed: the page's
    own call then shows the error), else the waiting page."""
    jobs: list[Job] = [platform.worker.submit(key, label, fn) for key, label, fn in work]
    deadline = time.monotonic() + WAIT_S
    for job in jobs:
        job.wait(max(0.0, deadline - time.monotonic()))
    running = [j for j in jobs if j.state in ("queued", "running")]
    if not running:
        return None
    return render(
        request,
        "waiting.html",
        lang,
        {"jobs": [j.as_dict() for j in jobs], "refresh": REFRESH_S},
        status_code=202,
    )


def inventory_work(platform: Platform) -> list[Work]:
    """The jobs of the inventory and synergy pages: the inventory and the allocated one."""

    def allocation() -> None:
        found = platform.allocated_districts()
        if found is not None:
            found.inventory  # noqa: B018 - builds the allocated inventory

    return [
        (("inventory",), "inventory", platform.inventory),
        (("allocation",), "allocation", allocation),
    ]
