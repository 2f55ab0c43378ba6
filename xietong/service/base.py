"""What every service of the platform shares: the database, the folders, the kept results
(single-flight caches under one memory budget) and the revision that keys them."""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, func, select

from xietong.accounting.factors import FactorLibrary
from xietong.accounting.inventory import (
    Inventory,
    InventoryOptions,
)
from xietong.config import Settings
from xietong.errors import (
    XietongError,
)
from xietong.plan.models import Plan
from xietong.service.synergy_views import (
    AllocatedDistricts,
)
from xietong.store.tables import ActivityImportRow, AuditRow, ImportRow
from xietong.worker import Worker

INVENTORY_CACHE = 8
"""How many inventories (per activity dataset and options) a platform keeps built."""


VIEW_CACHE = 512
"""How many computed views (API answers) a platform keeps."""

_PINNED: ContextVar[dict[int, tuple[object, ...]] | None] = ContextVar(
    "xietong_pinned_revision", default=None
)


@contextlib.contextmanager
def pinned_revision() -> Iterator[None]:
    """Within the block, each platform's :meth:`Core.revision` is read once and kept: one
    read request sees one revision of the figures, and reads it with one query instead of
    one per view. Only for blocks that write nothing (a write inside would not be seen)."""
    token = _PINNED.set({})
    try:
        yield
    finally:
        _PINNED.reset(token)


CACHE_MB = 1024
"""The memory the kept results of a platform may hold together, in MiB (default;
``XIETONG_CACHE_MB`` sets another)."""


RESULT_BYTES = 2**20
"""What a kept result is counted as when it cannot say its size (a scenario run's tables)."""


def cache_budget() -> int:
    """The cache budget in bytes: ``XIETONG_CACHE_MB`` MiB, else :data:`CACHE_MB`."""
    text = os.environ.get("XIETONG_CACHE_MB", "")
    try:
        mb = int(text) if text.strip() else CACHE_MB
    except ValueError:
        raise XietongError(
            f"XIETONG_CACHE_MB must be a whole number of MiB, not '{text}'"
        ) from None
    return max(1, mb) * 2**20


def result_bytes(value: object) -> int:
    """About how much memory a kept result holds: its own count if it gives one (an inventory,
    or a result that holds one), else :data:`RESULT_BYTES`."""
    for candidate in (value, getattr(value, "__dict__", {}).get("inventory")):
        size = getattr(candidate, "memory_bytes", None)
        if callable(size):
            try:
                return int(size()) + (RESULT_BYTES if candidate is not value else 0)
            except Exception:  # a result that cannot count itself is counted as a default
                return RESULT_BYTES
    return RESULT_BYTES


T = TypeVar("T")


def city_file(city: str, name: str) -> Path | None:
    """A shipped data file of a city (``xietong/data/cities/<city>/<name>``), if present."""
    path = Path(str(resources.files("xietong") / "data" / "cities" / city / name))
    return path if path.exists() else None


def demo_progress_file(plan_id: str) -> Path | None:
    """The shipped demo progress table of a plan, if there is one."""
    return city_file(plan_id.split("-")[0], "progress.csv")


NOT_DATA = ("denied", "login.failed", "token.issue", "feedback.submit", "feedback.triage")
"""Audit actions that change no figure: they leave the data version (and the views kept at
it) as they are."""


@dataclass
class Core:
    """A plan on a database and the results kept for it; the domain services build on it."""

    engine: Engine
    plan_id: str
    library: FactorLibrary | None = field(default=None, repr=False)
    factors_dir: Path | None = None
    statistics_file: Path | None = None
    measures_file: Path | None = None
    scenarios_dir: Path | None = None
    drivers_file: Path | None = None
    _plan: Plan | None = field(default=None, repr=False)
    _inventories: OrderedDict[tuple[int, InventoryOptions], Inventory] = field(
        default_factory=OrderedDict, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _flights: dict[tuple[object, ...], threading.Lock] = field(default_factory=dict, repr=False)
    _scenario_cache: OrderedDict[tuple[object, ...], object] = field(
        default_factory=OrderedDict, repr=False
    )
    _allocated: OrderedDict[tuple[int, InventoryOptions], AllocatedDistricts | None] = field(
        default_factory=OrderedDict, repr=False
    )
    builds_dir: Path | None = None
    attachments_dir: Path | None = None
    worker: Worker = field(default_factory=Worker, repr=False)
    cache_bytes: int = field(default_factory=lambda: cache_budget())
    _lru: OrderedDict[tuple[object, ...], tuple[OrderedDict[Any, Any], Any]] = field(
        default_factory=OrderedDict, repr=False
    )
    _digest: str | None = field(default=None, repr=False)
    _views: OrderedDict[tuple[object, ...], object] = field(default_factory=OrderedDict, repr=False)
    _derived: OrderedDict[tuple[object, ...], object] = field(
        default_factory=OrderedDict, repr=False
    )
    _plan_data: OrderedDict[tuple[object, ...], object] = field(
        default_factory=OrderedDict, repr=False
    )
    """What is read or built from the plan alone (the task ledger, the search index)."""

    @property
    def city(self) -> str:
        """The city code of the plan (``wuhan`` for ``wuhan-2023``): its data folder's name."""
        return self.plan_id.split("-")[0]

    def user_scenario_dir(self) -> Path:
        """The folder of the users' own scenarios: ``scenarios_dir``, else ``scenarios/`` next
        to the SQLite file, else the one of the configured data folder."""
        if self.scenarios_dir is not None:
            return self.scenarios_dir
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(str(url.database)).parent / "scenarios"
        return Settings().user_scenarios

    def attachment_dir(self) -> Path:
        """The folder of the task reports' evidence files: ``attachments_dir``, else
        ``attachments/`` next to the SQLite file, else the one of the configured data folder."""
        if self.attachments_dir is not None:
            return self.attachments_dir
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(str(url.database)).parent / "attachments"
        return Settings().data_dir / "attachments"

    def revision(self) -> tuple[object, ...]:
        """What the platform's figures depend on, as of now: the newest audit entry, import
        and activity dataset, and the user scenarios (their files' names and times). Any
        write through the platform changes it, so it keys results kept across requests.
        Inside :func:`pinned_revision`, read once."""
        pinned = _PINNED.get()
        if pinned is not None and id(self) in pinned:
            return pinned[id(self)]
        revision = (
            *self.data_revision(),
            id(self.library),
            self.statistics_file,
            self.measures_file,
        )
        if pinned is not None:
            pinned[id(self)] = revision
        return revision

    def data_revision(self) -> tuple[object, ...]:
        """The stored part of :meth:`revision` (the newest audit entry that may change a
        figure, import and activity dataset, the user scenarios' files): the same data give
        the same value in any process, so a document can name the data version it was made
        from. Entries that change no figure (:data:`NOT_DATA`: a refusal, a failed log-in, a
        token issued, public feedback) leave it as it is."""
        figures = select(func.max(AuditRow.id)).where(
            AuditRow.action.not_in(NOT_DATA), AuditRow.entity.not_like("feedback:%")
        )
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    figures.scalar_subquery(),
                    select(func.max(ImportRow.id)).scalar_subquery(),
                    select(func.max(ActivityImportRow.id)).scalar_subquery(),
                )
            ).one()
        folder = self.user_scenario_dir()
        files: tuple[tuple[str, int], ...] = ()
        if folder.is_dir():
            files = tuple(sorted((e.name, e.stat().st_mtime_ns) for e in os.scandir(folder)))
        return (*row, files)

    def view(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()``, kept for ``key`` at the current :meth:`revision` (a view of the
        figures that requests read again and again: computed once per revision)."""
        return self._once(self._views, (self.revision(), *key), VIEW_CACHE, compute)

    def _once(
        self,
        cache: OrderedDict[Any, Any],
        key: Any,
        limit: int,
        compute: Callable[[], T],
    ) -> T:
        """``cache[key]``, computed once: concurrent callers of one key wait for the one
        computation instead of each running their own (single flight); the cache keeps the
        ``limit`` most recently used entries, and all caches together keep at most
        ``cache_bytes`` of results (the least recently used dropped first)."""
        flight_key = (id(cache), key)
        with self._lock:
            if key in cache:
                cache.move_to_end(key)
                self._lru.move_to_end(flight_key)
                return cache[key]  # type: ignore[no-any-return]
            flight = self._flights.setdefault(flight_key, threading.Lock())
        with flight:
            with self._lock:
                if key in cache:
                    cache.move_to_end(key)
                    return cache[key]  # type: ignore[no-any-return]
            try:
                value = compute()
                with self._lock:
                    cache[key] = value
                    self._lru[flight_key] = (cache, key)
                    while len(cache) > limit:
                        old, _ = cache.popitem(last=False)
                        self._lru.pop((id(cache), old), None)
                    self._evict(keep=flight_key)
            finally:
                with self._lock:
                    self._flights.pop(flight_key, None)
        return value

    def _evict(self, keep: tuple[object, ...]) -> None:
        """Drop the least recently used results until the kept ones fit ``cache_bytes``
        (never the one just computed)."""
        sizes = {k: result_bytes(c.get(key)) for k, (c, key) in self._lru.items()}
        total = sum(sizes.values())
        for lru_key in list(self._lru):
            if total <= self.cache_bytes:
                break
            if lru_key == keep:
                continue
            cache, key = self._lru.pop(lru_key)
            cache.pop(key, None)
            total -= sizes[lru_key]

    def cache_usage(self) -> dict[str, int]:
        """How many results the platform keeps and about how many bytes they hold."""
        with self._lock:
            return {
                "entries": len(self._lru),
                "bytes": sum(result_bytes(c.get(key)) for c, key in self._lru.values()),
                "budget": self.cache_bytes,
            }
