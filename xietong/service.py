"""The platform's one service: the plan, its progress and statuses over a database.

CLI commands and web routes call these functions and only render what they return; the rules
(status, validation, all-or-nothing imports, audit) live here and in the core.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import yaml
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from xietong import __version__
from xietong.accounting.activity import Activity, iter_activity_chunks, read_activity_csv
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.indicators import (
    POLLUTANT_TOTALS,
    Statistic,
    compute_indicators,
    progress_from_indicators,
    quality_of,
    read_statistics,
)
from xietong.accounting.inventory import (
    Inventory,
    InventoryError,
    InventoryOptions,
    build_inventory,
)
from xietong.accounting.uncertainty import change_u95
from xietong.config import Settings
from xietong.errors import (
    GoalRefused,
    ImportRejected,
    NotFound,
    NotInitialised,
    RowProblem,
    XietongError,
)
from xietong.files.activity_files import Progress, read_activity_chunks
from xietong.files.inventory_export import write_inventory_csv, write_inventory_xlsx
from xietong.files.progress_files import read_table, write_progress_xlsx
from xietong.inventory_views import estimate_share
from xietong.plan import rollup
from xietong.plan.loader import load_plan, with_assigned_goals
from xietong.plan.milestones import (
    MeasureStatus,
    MilestoneReport,
    measure_statuses,
    parse_milestone_rows,
)
from xietong.plan.models import Direction, Plan, ValueSource
from xietong.plan.progress import (
    Assessment,
    ProgressRecord,
    Quality,
    assess_all,
    load_status_rules,
    worst_quality,
)
from xietong.plan.progress_table import DERIVED_REPORTERS, parse_rows
from xietong.scenario_views import SCENARIO_ID, scenario_record, scenario_summary
from xietong.scenarios.fast import Fan, LinearModel, peak_fan
from xietong.scenarios.projection import (
    PEAK_INDICATOR,
    ScenarioResult,
    Wedges,
    run_scenario,
    wedges,
)
from xietong.scenarios.scenario import (
    MAX_YAML_BYTES,
    Drivers,
    Scenario,
    ScenarioError,
    load_drivers,
    load_scenario,
    safe_yaml,
    scenario_dir,
    shipped_scenarios,
)
from xietong.store import activities as activity_store
from xietong.store import repository
from xietong.store.database import make_engine, migrate, session_scope
from xietong.store.tables import ActivityImportRow, AuditRow, ImportRow
from xietong.synergy.decomposition import Decomposition
from xietong.synergy.index import load_system
from xietong.synergy.series import governance_values
from xietong.synergy_views import (
    AllocatedDistricts,
    MeasureReport,
    SynergyData,
    allocated_districts,
    measure_report,
    target_frame,
)
from xietong.worker import Job, Worker, report

INVENTORY_REPORTER = DERIVED_REPORTERS[0]
"""``reported_by`` of the progress records the inventory gives (``inventory``)."""

INVENTORY_CACHE = 8
"""How many inventories (per activity dataset and options) a platform keeps built."""

VIEW_CACHE = 512
"""How many computed views (API answers) a platform keeps."""

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


EXPORT_FORMATS = ("xlsx", "csv", "iamc")

T = TypeVar("T")

SCENARIO_CACHE = 32
"""How many scenario runs (and wedge, fan and sensitivity results) a platform keeps."""

BASELINE = "baseline"
"""The scenario the wedges are measured against."""

SHIPPED_ORDER = ("baseline", "plan", "enhanced")
"""The order the shipped scenarios are listed in (others follow by id)."""


MAX_SCENARIO_YAML = MAX_YAML_BYTES
"""The largest user scenario file accepted (bytes)."""

MAX_DRAWS = 10_000
"""The most Monte Carlo draws one request may ask for."""

SOBOL_N = (64, 128, 256, 512, 1024)
"""Base sample sizes of the Sobol analysis (powers of two, as Saltelli sampling wants)."""


def city_file(city: str, name: str) -> Path | None:
    """A shipped data file of a city (``xietong/data/cities/<city>/<name>``), if present."""
    path = Path(str(resources.files("xietong") / "data" / "cities" / city / name))
    return path if path.exists() else None


def demo_progress_file(plan_id: str) -> Path | None:
    """The shipped demo progress table of a plan, if there is one."""
    return city_file(plan_id.split("-")[0], "progress.csv")


@dataclass
class Platform:
    """A plan on a database: load it, import progress, assess statuses, export."""

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
    worker: Worker = field(default_factory=Worker, repr=False)
    cache_bytes: int = field(default_factory=lambda: cache_budget())
    _lru: OrderedDict[tuple[object, ...], tuple[OrderedDict[Any, Any], Any]] = field(
        default_factory=OrderedDict, repr=False
    )
    _digest: str | None = field(default=None, repr=False)
    _views: OrderedDict[tuple[object, ...], object] = field(default_factory=OrderedDict, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Platform:
        """The platform for the configured database, plan, factor and scenario folders."""
        s = settings or Settings()
        return cls(
            engine=make_engine(s.url),
            plan_id=s.plan,
            factors_dir=s.factors_dir,
            scenarios_dir=s.user_scenarios,
            builds_dir=s.data_dir / "builds",
        )

    @property
    def city(self) -> str:
        """The city code of the plan (``wuhan`` for ``wuhan-2023``): its data folder's name."""
        return self.plan_id.split("-")[0]

    # -- set-up -----------------------------------------------------------------------------

    def init(
        self,
        *,
        plan_source: str | None = None,
        demo: bool = True,
        activity: bool = True,
        actor: str = "system",
    ) -> dict[str, object]:
        """Create or upgrade the schema, load the plan, (once) its sample progress table and
        the city's shipped activity dataset.

        The sample table holds figures read in public sources and synthetic ones labelled
        演示数据; ``sample_records`` counts all rows loaded, ``demo_records`` the synthetic ones.
        The shipped activity dataset is loaded when the city has none, and refreshed when the
        stored one is an older shipped version; an imported dataset is never replaced.
        ``activity_rows`` counts the activity rows loaded.
        """
        migrate(self.engine)
        plan = load_plan(plan_source or self.plan_id)
        self.plan_id = plan.id
        with session_scope(self.engine) as session:
            changed = repository.save_plan(session, plan=plan, actor=actor)
        self._plan = None  # read back with the assigned goals entered so far
        loaded = synthetic = 0
        demo_file = demo_progress_file(plan.id) if demo else None
        if demo_file is not None and not self.records():
            loaded = self.import_file(demo_file, actor=actor)["inserted"]
            synthetic = sum(1 for r in self.records() if r.demo)
        demo_milestones = city_file(self.city, "milestones.csv") if demo else None
        if demo_milestones is not None and not self.milestone_reports():
            self.import_milestones(demo_milestones, actor=actor)
        activity_rows = self._load_shipped_activity(actor) if activity else 0
        derived = 0
        if activity_rows == 0 and self.activity_dataset() is not None:
            with session_scope(self.engine) as session:
                derived = self._recompute(session, self.activities(), actor=actor)["records"]
        return {
            "plan": plan.id,
            "plan_changed": changed,
            "sample_records": loaded,
            "demo_records": synthetic,
            "activity_rows": activity_rows,
            "derived_values": derived,
            "measures": len(plan.measures),
            "targets": len(plan.targets),
        }

    def _load_shipped_activity(self, actor: str) -> int:
        path = city_file(self.city, "activity.csv")
        if path is None:
            return 0
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        current = self.activity_dataset()
        if current is not None and (not current.shipped or current.sha256 == sha):
            return 0
        acts = read_activity_csv(path, districts=self._district_codes())
        label = f"xietong/data/cities/{self.city}/activity.csv"
        self._import_activity_chunks([acts], source=label, actor=actor, sha256=sha, shipped=True)
        return len(acts)

    # -- reading ----------------------------------------------------------------------------

    def plan(self) -> Plan:
        """The stored plan with the assigned goals entered so far (cached after the first
        read)."""
        if self._plan is None:
            try:
                with session_scope(self.engine) as session:
                    plan = repository.get_plan(session, self.plan_id)
                    self._plan = with_assigned_goals(
                        plan, repository.assigned_goals(session, self.plan_id)
                    )
            except (NotFound, DBAPIError) as exc:
                raise NotInitialised(
                    f"the database {self.engine.url.render_as_string(hide_password=True)} "
                    f"holds no plan '{self.plan_id}': run `xietong init` first"
                ) from exc
        return self._plan

    def records(
        self, target_id: str | None = None, *, comparisons: bool = False
    ) -> list[ProgressRecord]:
        """The indicator store's values (all targets, or one target's): the values of each
        indicator's defining source, and with ``comparisons`` also the values of other sources
        kept beside them."""
        self.plan()
        with session_scope(self.engine) as session:
            found = repository.list_progress(session, self.plan_id, target_id)
        return found if comparisons else [r for r in found if not r.comparison]

    def comparisons(self, target_id: str | None = None) -> list[ProgressRecord]:
        """Values reported for an indicator another source defines (shown beside it)."""
        return [r for r in self.records(target_id, comparisons=True) if r.comparison]

    def assessments(
        self, as_of: dt.date | None = None, district: str | None = None
    ) -> dict[str, Assessment]:
        """Status of every target on ``as_of`` (default today) by the plan's rules
        (``docs/methods/status.md``); with ``district``, only the targets that apply to it."""
        plan = self.plan()
        if district is not None:
            return rollup.assess_district(plan, self.records(), as_of or dt.date.today(), district)
        return assess_all(
            plan.targets,
            self.records(),
            as_of or dt.date.today(),
            district,
            base_year=plan.base_year,
            sources={t.id: plan.source_of(t) for t in plan.targets},
        )

    def rollups(self, by: str, as_of: dt.date | None = None) -> list[rollup.RollUp]:
        """Status counts by ``measure``, ``body`` or ``district``."""
        day = as_of or dt.date.today()
        if by == "district":
            return rollup.by_district(self.plan(), self.records(), day)
        assessments = self.assessments(day)
        if by == "measure":
            return rollup.by_measure(self.plan(), assessments)
        if by == "body":
            return rollup.by_body(self.plan(), assessments)
        raise ValueError(f"roll-up by '{by}': choose measure, body or district")

    # -- writing ----------------------------------------------------------------------------

    def import_rows(
        self,
        header: list[object],
        rows: list[list[object]],
        *,
        source: str,
        actor: str,
        demo: bool | None = None,
    ) -> dict[str, int]:
        """Validate and store a progress table, all or nothing (ImportRejected lists every bad
        row). A row is demo when its evidence says 演示数据, unless ``demo`` says otherwise. A
        value for an indicator that another source defines (the inventory, the scenarios) is
        kept as a comparison beside it, never replacing it. Rows the platform computed itself
        (``reported_by`` inventory or scenario, e.g. in a re-imported export) are recomputed,
        not imported: counted as ``skipped``."""
        records = parse_rows(self.plan(), header, rows, source=source, reported_on=dt.date.today())
        plan = self.plan()
        skipped = sum(r.reported_by in DERIVED_REPORTERS for r in records)

        def as_reported(r: ProgressRecord) -> ProgressRecord:
            is_demo = bool(r.evidence and "演示数据" in r.evidence) if demo is None else demo
            defining = plan.source_of(plan.target(r.target_id))
            return r.model_copy(
                update={
                    "demo": is_demo,
                    "quality": Quality.DEMO if is_demo else Quality.REPORTED,
                    "source_kind": ValueSource.REPORTED,
                    "comparison": defining is not ValueSource.REPORTED,
                }
            )

        records = [as_reported(r) for r in records if r.reported_by not in DERIVED_REPORTERS]
        stored = self.activity_dataset() is not None
        # read (or reuse the cached inventory) before the write transaction opens
        inv = self._stored_inventory() if stored else None
        acts = self.activities() if stored else []
        with session_scope(self.engine) as session:
            counts = repository.save_progress(
                session, plan_id=self.plan_id, records=records, source=source, actor=actor
            )
            if stored:
                # an accepted report changes the governance part of the synergy degree: the
                # derived values are recomputed in the same transaction
                session.flush()
                reported = [
                    r
                    for r in repository.list_progress(session, self.plan_id)
                    if r.source_kind is ValueSource.REPORTED and not r.comparison
                ]
                derived = self._derived_values(acts, reported=reported, inv=inv)
                self._write_derived(session, derived, actor=actor, source=source)
        return {**counts, "skipped": skipped}

    def import_file(self, path: Path, *, actor: str, name: str | None = None) -> dict[str, int]:
        """Import a progress .xlsx or .csv file, all or nothing."""
        header, rows = read_table(path, name)
        return self.import_rows(header, rows, source=name or path.name, actor=actor)

    def assign_goal(self, target_id: str, value: float, *, source: str, actor: str) -> Plan:
        """Enter the figure of a target the plan leaves to an assignment (省级下达), with the
        document that assigned it; audited. A target whose figure the plan gives is refused:
        the plan's own numbers are changed in the plan file, not here."""
        plan = self.plan()
        try:
            target = plan.target(target_id)
        except KeyError:
            raise NotFound(f"no target '{target_id}'") from None
        if target.goal_assigned_by is None:
            raise GoalRefused(
                f"target '{target_id}' takes its figure from the plan ({target.value:g} "
                f"{target.unit}): only figures the plan leaves to an assignment are entered"
            )
        if not math.isfinite(value):
            raise GoalRefused("the figure must be a finite number")
        if not source.strip():
            raise GoalRefused("name the document that assigned the figure (--source)")
        with session_scope(self.engine) as session:
            repository.save_assigned_goal(
                session,
                plan_id=self.plan_id,
                target_id=target_id,
                value=value,
                source=source.strip(),
                actor=actor,
            )
        self._plan = None
        return self.plan()

    def milestone_reports(self) -> list[MilestoneReport]:
        """The stored milestone reports, oldest first."""
        self.plan()
        with session_scope(self.engine) as session:
            return repository.list_milestone_reports(session, self.plan_id)

    def import_milestones(
        self, path: Path, *, actor: str, name: str | None = None
    ) -> dict[str, int]:
        """Import a milestone table (.xlsx or .csv: milestone_id 里程碑编号, date 日期, state
        状态, district 区, reported_by 报送单位, evidence 佐证材料), all or nothing:
        ImportRejected lists every bad row. Audited."""
        label = name or path.name
        header, rows = read_table(path, label)
        reports, problems = parse_milestone_rows(self.plan(), header, rows)
        if problems:
            raise ImportRejected(label, [RowProblem(*p) for p in problems])
        if not reports:
            raise ImportRejected(label, [RowProblem(2, "*", "the table has no data rows")])
        with session_scope(self.engine) as session:
            n = repository.save_milestone_reports(
                session, plan_id=self.plan_id, reports=reports, source=label, actor=actor
            )
        return {"inserted": n}

    def measure_statuses(self, as_of: dt.date | None = None) -> dict[int, MeasureStatus]:
        """Every measure's status (未启动/推进中/已完成/滞后) with its milestones' statuses,
        from its targets and milestones (docs/methods/status.md)."""
        day = as_of or dt.date.today()
        return measure_statuses(self.plan(), self.milestone_reports(), self.assessments(day), day)

    def _district_codes(self) -> list[str]:
        return [d.code for d in self.plan().districts]

    # -- activity data and the inventory -----------------------------------------------------

    def activities(self) -> list[Activity]:
        """The city's stored activity dataset (estimate rows keep their quality flag)."""
        self.plan()
        with session_scope(self.engine) as session:
            return activity_store.list_activities(session, self.city)

    def activity_dataset(self) -> activity_store.ActivityImport | None:
        """Where the stored activity dataset came from (source, who, when, rows), or None."""
        with session_scope(self.engine) as session:
            return activity_store.latest_import(session, self.city)

    def import_activity_rows(
        self, rows: Sequence[Sequence[object]], *, source: str, actor: str
    ) -> dict[str, int]:
        """Replace the activity dataset by a table (header row first), all or nothing:
        ImportRejected names every bad row. Returns ``{"deleted": n, "inserted": m}``."""
        chunks = iter_activity_chunks(rows, source, districts=self._district_codes())
        return self._import_activity_chunks(chunks, source=source, actor=actor)

    def import_activity_file(
        self,
        path: Path,
        actor: str = "cli",
        *,
        name: str | None = None,
        progress: Progress | None = None,
    ) -> dict[str, int]:
        """Replace the activity dataset by an .xlsx, .csv (UTF-8 or GBK) or .parquet file, all
        or nothing: the file is read and validated a chunk at a time, each chunk written as it
        comes, in one transaction that is rolled back when any row of the file is refused
        (ImportRejected names them). ``progress`` is called with ``(done, total)`` while the
        file is read. Returns ``{"deleted": n, "inserted": m}``."""
        label = name or path.name
        with path.open("rb") as fh:
            sha = hashlib.file_digest(fh, "sha256").hexdigest()
        chunks = read_activity_chunks(
            path, label, districts=self._district_codes(), progress=progress
        )
        return self._import_activity_chunks(chunks, source=label, actor=actor, sha256=sha)

    def _import_activity_chunks(
        self,
        chunks: Iterable[Sequence[Activity]],
        *,
        source: str,
        actor: str,
        sha256: str = "",
        shipped: bool = False,
    ) -> dict[str, int]:
        """Replace the activity dataset by validated ``chunks`` (written as they come) and
        recompute the derived values, in one transaction: ImportRejected raised by the chunks
        (a bad row anywhere in the table) or any other failure rolls everything back. The
        reported values the synergy degree judges on are read before the transaction opens,
        so that nothing reads the database beside it while it writes."""
        self.plan()
        reported = [r for r in self.records() if r.source_kind is ValueSource.REPORTED]
        with session_scope(self.engine) as session:
            counts = activity_store.replace_activities_chunked(
                session,
                city=self.city,
                chunks=chunks,
                source=source,
                actor=actor,
                sha256=sha256,
                shipped=shipped,
            )
            if not counts["inserted"]:
                raise ImportRejected(source, [RowProblem(2, "*", "the table has no data rows")])
            acts = activity_store.list_activities(session, self.city)
            derived = self._derived_values(acts, reported=reported)
            self._write_derived(session, derived, actor=actor, source=source)
        return {"deleted": counts["deleted"], "inserted": counts["inserted"]}

    def factor_library(self) -> FactorLibrary:
        """The factor library: the one given, else ``factors_dir``'s files, else the shipped."""
        if self.library is None:
            self.library = FactorLibrary.load(self.factors_dir)
        return self.library

    def inventory(self, options: InventoryOptions | None = None) -> Inventory:
        """The inventory of the stored activity dataset (built once per dataset and options).

        Raises NotFound when the city has no activity data, InventoryError when a factor is
        missing (naming every activity row that lacks one).
        """
        opts = options or InventoryOptions()
        self.plan()
        dataset = self.activity_dataset()
        if dataset is None:
            raise NotFound(
                f"no activity data for '{self.city}': import a table with "
                "`xietong inventory import FILE` (`xietong inventory template FILE` writes one)"
            )
        return self._once(
            self._inventories,
            (dataset.id, opts),
            INVENTORY_CACHE,
            lambda: self._stored_or_built(dataset, opts),
        )

    def _build_key(self, dataset: activity_store.ActivityImport, opts: InventoryOptions) -> str:
        """What a stored build depends on: the dataset (id, content hash, time), the options,
        the factor library's content and the code's version."""
        text = "|".join(
            (
                self.city,
                str(dataset.id),
                dataset.sha256,
                dataset.at.isoformat(),
                repr(opts),
                self._library_digest(),
                __version__,
            )
        )
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def _library_digest(self) -> str:
        if self._digest is None:
            lib = self.factor_library()
            text = "\n".join(f"{f.id}|{f.value!r}|{f.unit}|{f.edition}" for f in lib.factors)
            self._digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        return self._digest

    def _stored_or_built(
        self, dataset: activity_store.ActivityImport, opts: InventoryOptions
    ) -> Inventory:
        """The inventory stored beside the database for this dataset and options, else built
        (with its progress reported to the worker's job) and stored."""
        acts = self.activities()
        path = None
        if self.builds_dir is not None:
            path = self.builds_dir / f"inventory-{self._build_key(dataset, opts)}.parquet"
            if path.exists():
                try:
                    return Inventory.load(path, acts, self.factor_library(), opts)
                except (OSError, ValueError, KeyError, IndexError):
                    path.unlink(missing_ok=True)  # unreadable: build it again
        inv = build_inventory(acts, self.factor_library(), opts, progress=report)
        if path is not None:
            with contextlib.suppress(OSError):  # a read-only folder: kept in memory only
                inv.save(path)
        return inv

    def revision(self) -> tuple[object, ...]:
        """What the platform's figures depend on, as of now: the newest audit entry, import
        and activity dataset, and the user scenarios (their files' names and times). Any
        write through the platform changes it, so it keys results kept across requests."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    select(func.max(AuditRow.id)).scalar_subquery(),
                    select(func.max(ImportRow.id)).scalar_subquery(),
                    select(func.max(ActivityImportRow.id)).scalar_subquery(),
                )
            ).one()
        folder = self.user_scenario_dir()
        files: tuple[tuple[str, int], ...] = ()
        if folder.is_dir():
            files = tuple(sorted((e.name, e.stat().st_mtime_ns) for e in os.scandir(folder)))
        return (*row, files, id(self.library), self.statistics_file, self.measures_file)

    def view(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()``, kept for ``key`` at the current :meth:`revision` (a view of the
        figures that requests read again and again: computed once per revision)."""
        return self._once(self._views, (self.revision(), *key), VIEW_CACHE, compute)

    def prepare(self, what: str, options: InventoryOptions | None = None) -> Job:
        """The worker's job computing ``what`` (``inventory``, ``allocation`` or a scenario
        id) for the stored dataset: started now unless it runs or its result is kept."""
        opts = options or InventoryOptions()
        dataset = self.activity_dataset()
        key = (what, dataset.id if dataset else None, opts)
        if what == "inventory":
            return self.worker.submit(key, what, lambda: self.inventory(opts))
        if what == "allocation":

            def allocation() -> None:
                found = self.allocated_districts(opts)
                if found is not None:
                    found.inventory  # noqa: B018 - builds it
                    report(0.9, "ranking")

            return self.worker.submit(key, what, allocation)
        return self.worker.submit(key, what, lambda: self.run_scenario(what))

    def warm(self) -> list[Job]:
        """Start the builds the first pages need (inventory, allocation, shipped scenarios)
        on the worker, so that the first visitor does not wait for them."""
        if self.activity_dataset() is None:
            return []
        return [self.prepare(w) for w in ("inventory", "allocation", *SHIPPED_ORDER)]

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

    def statistics(self) -> list[Statistic]:
        """The city's statistics (GDP, energy …): ``statistics_file``, else the shipped file;
        empty when there is none."""
        path = self.statistics_file or city_file(self.city, "statistics.csv")
        return read_statistics(path) if path is not None else []

    def indicators(self, options: InventoryOptions | None = None) -> pd.DataFrame:
        """Indicators by year from the inventory and the statistics (``year, indicator_id,
        value, unit, basis, quality``). A pollutant total is left out for a year in which the
        inventory has no emission of that pollutant at all (no factor covered it), rather than
        shown as 0."""
        return self._indicator_frame(self.inventory(options))

    def _indicator_frame(self, inv: Inventory) -> pd.DataFrame:
        df = compute_indicators(inv, self.statistics())
        sums = inv.rollup(["year"], scope=None)
        present = {(int(y), str(s)) for y, s in zip(sums["year"], sums["substance"], strict=True)}
        keep = [
            ind not in POLLUTANT_TOTALS or (int(year), POLLUTANT_TOTALS[ind]) in present
            for year, ind in zip(df["year"], df["indicator_id"], strict=True)
        ]
        return df[keep].reset_index(drop=True)

    def update_targets_from_inventory(
        self, gwp: str = "AR5", *, actor: str = INVENTORY_REPORTER
    ) -> dict[str, int]:
        """Recompute the values of the indicators the inventory and the scenarios define, from
        the stored activity data, in one audited transaction. The indicator store always uses
        the platform's accounting options (``InventoryOptions()``): other options give an
        analyst's view of the inventory, never a second value of an indicator. ``gwp`` names
        the GWP set of the estimate share in the evidence. Returns counts ``deleted``,
        ``inserted``, ``updated`` and ``records``."""
        self.inventory()  # NotFound without activity data
        with session_scope(self.engine) as session:
            return self._recompute(session, self.activities(), actor=actor, gwp=gwp)

    def _recompute(
        self,
        session: Session,
        acts: Sequence[Activity],
        *,
        actor: str,
        gwp: str = "AR5",
    ) -> dict[str, int]:
        derived = self._derived_values(acts, gwp=gwp, inv=self._stored_inventory())
        dataset = self.activity_dataset()
        return self._write_derived(
            session, derived, actor=actor, source=dataset.source if dataset else "activity data"
        )

    def _write_derived(
        self,
        session: Session,
        derived: dict[ValueSource, list[ProgressRecord]],
        *,
        actor: str,
        source: str,
    ) -> dict[str, int]:
        totals = {"deleted": 0, "inserted": 0, "updated": 0, "records": 0}
        for kind, records in derived.items():
            counts = repository.replace_source_values(
                session,
                plan_id=self.plan_id,
                source_kind=kind,
                records=records,
                source=f"{kind.value} of {source}",
                actor=actor,
            )
            for key in ("deleted", "inserted", "updated"):
                totals[key] += counts[key]
            totals["records"] += len(records)
        return totals

    def _derived_values(
        self,
        acts: Sequence[Activity],
        *,
        gwp: str = "AR5",
        reported: Sequence[ProgressRecord] | None = None,
        inv: Inventory | None = None,
    ) -> dict[ValueSource, list[ProgressRecord]]:
        """The values of every indicator the inventory or the scenarios define, computed from
        ``acts`` (the activity data about to be stored, or the stored ones) and the
        ``reported`` values (default: the stored ones; the synergy degree's governance part
        judges on them): the indicator store's derived part (docs/methods/status.md, "One
        value per indicator"). ``inv`` is the inventory of ``acts`` when it is already built
        (the stored dataset's). When the inventory cannot be built (a factor is missing),
        there are none: the inventory page names the rows that lack a factor."""
        plan = self.plan()
        now = dt.datetime.now(dt.UTC)
        if inv is None:
            try:
                inv = build_inventory(acts, self.factor_library(), InventoryOptions())
            except InventoryError:
                # no inventory, no derived value: none is kept that the data cannot give
                return {ValueSource.INVENTORY: [], ValueSource.SCENARIO: []}
        gwp_set = load_gwp(gwp)
        share = estimate_share(inv, gwp_set)
        stats = self.statistics_file or city_file(self.city, "statistics.csv")
        evidence = (
            f"xietong inventory: activity data ({len(acts)} rows; 估算 estimates "
            f"{share['co2e_share']:.0%} of CO2e, GWP {gwp_set.name}); factors "
            f"{', '.join(inv.editions)}; statistics {stats.name if stats else 'none'}"
        )
        demo = all(a.quality == "demo" for a in acts)
        stamp = {"reported_on": now.date(), "computed_at": now}
        # the 95 % interval of each pollutant total's change since the base year (approach 2)
        trend = load_status_rules().trend
        u95 = {
            sub: change_u95(
                inv,
                sub,
                plan.base_year,
                draws=trend.uncertainty_draws,
                seed=trend.uncertainty_seed,
            )
            for sub in POLLUTANT_TOTALS.values()
        }
        inventory = []
        for r in progress_from_indicators(
            self._indicator_frame(inv), plan, evidence=evidence, demo=demo
        ):
            substance = POLLUTANT_TOTALS.get(plan.target(r.target_id).indicator_id)
            width = u95[substance].get(r.period_end.year) if substance else None
            inventory.append(r.model_copy(update={**stamp, "change_u95": width}))
        scenario = [r.model_copy(update=stamp) for r in self._peak_values(acts)]
        if reported is None:
            reported = [r for r in self.records() if r.source_kind is ValueSource.REPORTED]
        synergy = self._synergy_values(
            inv, [*reported, *inventory, *scenario], acts, evidence=evidence, demo=demo
        )
        inventory += [r.model_copy(update=stamp) for r in synergy]
        return {ValueSource.INVENTORY: inventory, ValueSource.SCENARIO: scenario}

    def _stored_inventory(self) -> Inventory | None:
        """The stored dataset's inventory under the platform's options (built once and kept),
        None when a factor is missing."""
        try:
            return self.inventory()
        except InventoryError:
            return None

    def _peak_values(self, acts: Sequence[Activity]) -> list[ProgressRecord]:
        """The carbon-peak targets' values: the probability (%) that end-use energy CO2 peaks
        by the deadline under the rules' scenario (Monte Carlo fan, the rules' draws and
        seed), at the scenario's base year; none when the city has no such scenario or the
        activity data do not reach the scenarios' base year."""
        plan = self.plan()
        rule = load_status_rules().peak
        targets = [
            t
            for t in plan.targets
            if t.direction is Direction.PEAK_BY and plan.source_of(t) is ValueSource.SCENARIO
        ]
        if not targets or rule.scenario not in self.scenario_ids():
            return []
        s = self.scenario(rule.scenario)
        drivers = self.drivers()
        stats = self.statistics()
        library = self.factor_library()
        try:
            result = run_scenario(s, acts, stats, drivers, library, plan)
        except ScenarioError:
            return []  # the data do not reach the scenarios' base year: nothing projected
        fan = peak_fan(
            result,
            LinearModel(acts, drivers, s, library),
            drivers.base_year,
            draws=rule.draws,
            seed=rule.seed,
            peak_years=sorted({t.deadline.year for t in targets}),
        )
        peak = result.peak
        quality = worst_quality([Quality.ESTIMATE, *(quality_of(a.quality) for a in acts)])
        out = []
        for t in targets:
            p = 100 * float(fan.p_peak_by[t.deadline.year])
            out.append(
                ProgressRecord(
                    target_id=t.id,
                    period_end=dt.date(drivers.base_year, 12, 31),
                    value=p,
                    reported_by="scenario",
                    evidence=(
                        f"scenario '{s.id}' from {drivers.base_year}: projected peak of "
                        f"end-use energy CO2 in {peak.year} ({peak.value / 1e6:.1f} Mt"
                        f"{', not peaked within the horizon' if not peak.peaked_in_series else ''}"
                        f"); P(peak by {t.deadline.year}) = {p:.1f} % over {fan.draws} Monte "
                        f"Carlo draws (seed {fan.seed})"
                    ),
                    quality=quality,
                    source_kind=ValueSource.SCENARIO,
                )
            )
        return out

    def _synergy_values(
        self,
        inv: Inventory,
        records: Sequence[ProgressRecord],
        acts: Sequence[Activity],
        *,
        evidence: str,
        demo: bool,
    ) -> list[ProgressRecord]:
        """Values of the synergy-degree target by year (none when the data give no synergy
        degree, e.g. no base year); the governance part is judged on ``records``."""
        governance = governance_values(self.plan(), records, inv.years)
        data = SynergyData(
            inv, self.statistics(), self.factor_library(), self.measures_file, governance
        )
        try:
            series = data.series()
        except NotFound:
            return []
        frame = target_frame(series)
        base = load_system().base_year
        frame["quality"] = [
            worst_quality(
                [Quality.DERIVED]
                + [quality_of(a.quality) for a in acts if a.year in (int(y), base)]
            ).value
            for y in frame["year"]
        ]
        return progress_from_indicators(
            frame,
            self.plan(),
            evidence=f"{evidence}; synergy degree D scored against {base} "
            "(docs/methods/synergy.md)",
            demo=demo,
        )

    # -- synergy ----------------------------------------------------------------------------

    def synergy_data(self, options: InventoryOptions | None = None) -> SynergyData:
        """The inventory, the statistics and the factor library the synergy figures use."""
        inv = self.inventory(options)
        governance = governance_values(self.plan(), self.records(), inv.years)
        return SynergyData(
            inv,
            self.statistics(),
            self.factor_library(),
            self.measures_file,
            governance,
            self.allocated_districts(options),
        )

    def allocated_districts(
        self, options: InventoryOptions | None = None
    ) -> AllocatedDistricts | None:
        """The stored activity dataset with its city-wide rows allocated to districts by the
        city's shipped proxy shares (None when the city ships none); the allocated inventory
        is built on first use and kept per dataset and options."""
        opts = options or InventoryOptions()
        dataset = self.activity_dataset()
        if dataset is None:
            return None
        return self._once(
            self._allocated,
            (dataset.id, opts),
            INVENTORY_CACHE,
            lambda: allocated_districts(self.city, self.activities, self.factor_library(), opts),
        )

    def synergy(self, options: InventoryOptions | None = None) -> pd.DataFrame:
        """The city's synergy degree by year (year, u_pollution, u_carbon, c, t, d, grade,
        grade_zh, grade_en, index), scored against 2015; NotFound says what is missing when the
        data give none."""
        return self.synergy_data(options).series()

    def synergy_districts(self, year: int, options: InventoryOptions | None = None) -> pd.DataFrame:
        """Districts ranked by the synergy index in ``year``; empty when no district has its
        own inventory rows and statistics (the shipped Wuhan data)."""
        return self.synergy_data(options).districts(year)

    def synergy_coordinates(
        self,
        year0: int,
        year1: int,
        *,
        ghg: str = "CO2e",
        gwp: str = "AR5",
        options: InventoryOptions | None = None,
    ) -> list[dict[str, object]]:
        """The city on the co-control coordinates between two years: direct CO2e under
        ``gwp`` (or CO2) against SO2, NOx, PM10, VOCs, NH3 and APeq."""
        return self.synergy_data(options).coordinates(year0, year1, ghg=ghg, gwp=gwp)

    def synergy_decomposition(
        self, substance: str, year0: int, year1: int, options: InventoryOptions | None = None
    ) -> Decomposition:
        """LMDI-I drivers of the change in combustion ``substance`` between two years."""
        return self.synergy_data(options).decomposition(substance, year0, year1)

    def synergy_measures(self, options: InventoryOptions | None = None) -> MeasureReport:
        """The plan measures' effects, costs and MAC curve, placed against the city's totals
        (without activity data, not placed)."""
        try:
            inv: Inventory | None = self.inventory(options)
        except NotFound:
            inv = None
        return measure_report(self.factor_library(), inv, self.measures_file)

    def export_inventory(
        self,
        path: Path,
        fmt: str | None = None,
        *,
        gwp: str = "AR5",
        options: InventoryOptions | None = None,
    ) -> dict[str, object]:
        """Write the inventory to ``path`` as ``xlsx`` (workbook), ``csv`` (tidy table) or
        ``iamc`` (IAMC table via pyam, .xlsx or .csv); the format defaults to the suffix."""
        kind = fmt or path.suffix.lower().lstrip(".")
        if kind not in EXPORT_FORMATS:
            raise ValueError(f"export format '{kind}': choose one of {', '.join(EXPORT_FORMATS)}")
        gwp_set = load_gwp(gwp)
        inv = self.inventory(options)
        if kind == "xlsx":
            dataset = self.activity_dataset()
            extra = {"activity data 活动数据": dataset.source} if dataset else {}
            write_inventory_xlsx(path, inv, gwp_set, self.activities(), extra=extra)
            n = inv.row_count
        elif kind == "csv":
            n = write_inventory_csv(path, inv)
        else:
            from xietong.files.iamc import iamc_frame, write_iamc

            frame = iamc_frame(inv, gwp_set, region=self.plan().city.en)
            n = write_iamc(
                path,
                frame,
                meta={"gwp": gwp_set.name, "factor_editions": ", ".join(inv.editions)},
            )
        return {"file": str(path), "format": kind, "rows": n, "gwp": gwp_set.name}

    def export_xlsx(self, path: Path, as_of: dt.date | None = None) -> int:
        """Write the progress workbook (records + statuses); returns the number of records."""
        day = as_of or dt.date.today()
        records = self.records()
        write_progress_xlsx(path, self.plan(), records, self.assessments(day), day)
        return len(records)

    # -- scenarios ---------------------------------------------------------------------------

    def user_scenario_dir(self) -> Path:
        """The folder of the users' own scenarios: ``scenarios_dir``, else ``scenarios/`` next
        to the SQLite file, else the one of the configured data folder."""
        if self.scenarios_dir is not None:
            return self.scenarios_dir
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(str(url.database)).parent / "scenarios"
        return Settings().user_scenarios

    def scenario_ids(self) -> list[str]:
        """Ids of the shipped scenarios (baseline, plan, enhanced, then any other), then of the
        user scenarios (sorted)."""
        shipped = sorted(
            shipped_scenarios(),
            key=lambda i: (SHIPPED_ORDER.index(i) if i in SHIPPED_ORDER else len(SHIPPED_ORDER), i),
        )
        folder = self.user_scenario_dir()
        user = (
            sorted(
                p.stem
                for p in folder.glob("*.yaml")
                if SCENARIO_ID.match(p.stem) and p.stem not in shipped
            )
            if folder.is_dir()
            else []
        )
        return [*shipped, *user]

    def is_user_scenario(self, scenario_id: str) -> bool:
        """Whether ``scenario_id`` is a user scenario (not a shipped one)."""
        return scenario_id not in shipped_scenarios() and scenario_id in self.scenario_ids()

    def _scenario_file(self, scenario_id: str) -> Path:
        if not SCENARIO_ID.match(scenario_id) or scenario_id not in self.scenario_ids():
            raise NotFound(
                f"no scenario '{scenario_id[:64]}' (scenarios: {', '.join(self.scenario_ids())})"
            )
        if scenario_id in shipped_scenarios():
            return scenario_dir() / f"{scenario_id}.yaml"
        return self.user_scenario_dir() / f"{scenario_id}.yaml"

    def _load_scenario_file(self, path: Path) -> Scenario:
        """Load a scenario file with ``extends`` resolved among the shipped scenarios, the user
        scenarios and the file's own folder (the later wins); ScenarioError names the file,
        the key and the reason."""
        with tempfile.TemporaryDirectory(prefix="xietong-scenarios-") as tmp:
            folder = Path(tmp)
            for source in (scenario_dir(), self.user_scenario_dir(), path.parent):
                if source.is_dir():
                    for f in source.glob("*.yaml"):
                        if f.name != "drivers.yaml" and f.is_file():
                            shutil.copyfile(f, folder / f.name)
            shutil.copyfile(path, folder / path.name)
            _check_extends(folder, path.name)
            scenario = load_scenario(folder / path.name, folder)
        return scenario

    def scenario(self, scenario_id: str) -> Scenario:
        """A shipped or user scenario by id, ``extends`` resolved (NotFound when there is none;
        ScenarioError names the file, key and reason when its file is malformed)."""
        path = self._scenario_file(scenario_id)
        if scenario_id in shipped_scenarios():
            return load_scenario(scenario_id)
        return self._load_scenario_file(path)

    def scenario_file(self, path: Path) -> Scenario:
        """An analyst's own scenario file (``extends`` may name a shipped or user scenario or a
        file beside it)."""
        if not path.is_file():
            raise NotFound(f"no scenario file {path}")
        return self._load_scenario_file(path)

    def _extends(self, scenario_id: str) -> str | None:
        try:
            raw = yaml.safe_load(self._scenario_file(scenario_id).read_text(encoding="utf-8"))
        except (yaml.YAMLError, OSError, NotFound):
            return None
        parent = raw.get("extends") if isinstance(raw, dict) else None
        return str(parent) if parent else None

    def scenarios(self) -> list[dict[str, object]]:
        """Every scenario: id, names, description, number of levers, whether it is a user
        scenario and which it extends; a user scenario that no longer loads says why
        (``error``)."""
        out: list[dict[str, object]] = []
        for sid in self.scenario_ids():
            user = self.is_user_scenario(sid)
            try:
                s = self.scenario(sid)
            except XietongError as exc:
                out.append(
                    {
                        "id": sid,
                        "zh": sid,
                        "en": sid,
                        "description": "",
                        "levers": 0,
                        "user": user,
                        "extends": self._extends(sid),
                        "error": str(exc),
                    }
                )
                continue
            out.append(
                {**scenario_summary(s, user=user, extends=self._extends(sid)), "error": None}
            )
        return out

    def scenario_detail(self, scenario_id: str) -> dict[str, Any]:
        """A scenario with its levers as plain data (``scenario_views.scenario_record``)."""
        s = self.scenario(scenario_id)
        return scenario_record(
            s, user=self.is_user_scenario(scenario_id), extends=self._extends(scenario_id)
        )

    def drivers(self) -> Drivers:
        """The drivers of the projection (``drivers_file``, else the shipped ones)."""
        return load_drivers(self.drivers_file)

    def _cache_key(self, *parts: object) -> tuple[object, ...]:
        dataset = self.activity_dataset()
        if dataset is None:
            self.plan()
            raise NotFound(
                f"no activity data for '{self.city}': scenarios start from the inventory's base "
                "year; import a table with `xietong inventory import FILE`"
            )
        return (
            dataset.id,
            id(self.factor_library()),
            str(self.statistics_file),
            str(self.drivers_file),
            *parts,
        )

    def _cached(self, key: tuple[object, ...], compute: Callable[[], T], scenario: Scenario) -> T:
        """``compute()``, kept under ``key``; a failure that is not a domain error (a user
        scenario whose lever names an activity code the data or factors do not know, say)
        becomes a ScenarioError that names the scenario. Concurrent callers of one key wait
        for the one computation."""

        def checked() -> T:
            try:
                return compute()
            except XietongError:
                raise
            except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
                text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                reason = f"unknown code {exc.args[0]!r}" if isinstance(exc, KeyError) else text
                raise ScenarioError(
                    f"{scenario.id}.yaml: the scenario does not run on the stored activity "
                    f"data: {reason}"
                ) from exc

        return self._once(self._scenario_cache, key, SCENARIO_CACHE, checked)

    def run_scenario(self, scenario: str | Scenario) -> ScenarioResult:
        """A scenario projected to the end year on the stored activity data and the city's
        statistics: pathway, peak and target outcomes (kept for the next call)."""
        s = self.scenario(scenario) if isinstance(scenario, str) else scenario
        key = self._cache_key("run", repr(s))
        return self._cached(
            key,
            lambda: run_scenario(
                s,
                self.activities(),
                self.statistics(),
                self.drivers(),
                self.factor_library(),
                self.plan(),
            ),
            s,
        )

    def compare(self, ids: Sequence[str]) -> dict[str, Any]:
        """Scenarios side by side: per scenario the pathway (end-use energy CO2 and the NOx,
        VOCs and SO2 totals by year), the peak and the target checklist."""
        from xietong.scenario_views import pathway_records, peak_record, target_records

        chosen = list(dict.fromkeys(ids))
        if not chosen:
            raise NotFound("name at least one scenario to compare")
        base = self.drivers().base_year
        out: list[dict[str, Any]] = []
        years: list[int] = []
        for sid in chosen:
            s = self.scenario(sid)
            result = self.run_scenario(s)
            pathway = pathway_records(result, base)
            years = [int(p["year"]) for p in pathway]
            out.append(
                {
                    **scenario_summary(s, user=self.is_user_scenario(sid)),
                    "pathway": pathway,
                    "peak": peak_record(result.peak),
                    "targets": target_records(result.targets, self.plan()),
                }
            )
        return {"base_year": base, "years": years, "indicator": PEAK_INDICATOR, "scenarios": out}

    def wedges(self, scenario_id: str) -> Wedges:
        """CO2 avoided by each lever alone against the baseline scenario, by all together, and
        the interaction term (``xietong.scenarios.projection.wedges``; kept)."""
        s = self.scenario(scenario_id)
        base = (
            self.scenario(BASELINE)
            if BASELINE in self.scenario_ids()
            else Scenario(BASELINE, "基准情景", "Baseline", ())
        )
        key = self._cache_key("wedges", repr(s), repr(base))
        return self._cached(
            key,
            lambda: wedges(
                s,
                self.activities(),
                self.statistics(),
                self.drivers(),
                self.factor_library(),
                base,
            ),
            s,
        )

    def _model(self, s: Scenario) -> LinearModel:
        key = self._cache_key("model", repr(s))
        return self._cached(
            key, lambda: LinearModel(self.activities(), self.drivers(), s, self.factor_library()), s
        )

    def scenario_uncertainty(
        self, scenario: str | Scenario, draws: int = 1000, seed: int = 20230
    ) -> Fan:
        """Seeded Monte Carlo of end-use energy CO2 (growth rates and lever strengths drawn):
        percentiles by year and P(peaked by 2025 / 2030 / 2035)."""
        if not 1 <= draws <= MAX_DRAWS:
            raise ValueError(f"draws must be 1 to {MAX_DRAWS:,}")
        s = self.scenario(scenario) if isinstance(scenario, str) else scenario
        result = self.run_scenario(s)
        model = self._model(s)
        key = self._cache_key("fan", repr(s), draws, seed)
        return self._cached(
            key,
            lambda: peak_fan(result, model, self.drivers().base_year, draws=draws, seed=seed),
            s,
        )

    def sensitivity(
        self, scenario: str | Scenario, *, year: int = 2030, n: int = 256, seed: int = 20230
    ) -> dict[str, Any]:
        """Which assumptions matter for end-use energy CO2 in ``year``: one-at-a-time swings
        and Sobol indices (S1, ST) of the growth rates and the lever strengths."""
        from xietong.scenario_views import sensitivity_record
        from xietong.scenarios.sensitivity import one_at_a_time, sobol

        if n not in SOBOL_N:
            raise ValueError(f"n must be one of {', '.join(map(str, SOBOL_N))}")
        s = self.scenario(scenario) if isinstance(scenario, str) else scenario
        d = self.drivers()
        if not d.base_year < year <= d.end_year:
            raise NotFound(f"no projected year {year} (years {d.base_year + 1}–{d.end_year})")
        model = self._model(s)
        key = self._cache_key("sensitivity", repr(s), year, n, seed)
        return self._cached(
            key,
            lambda: sensitivity_record(
                one_at_a_time(model, year=year),
                sobol(model, year=year, n=n, seed=seed),
                year=year,
                n=n,
                seed=seed,
            ),
            s,
        )

    def save_user_scenario(self, yaml_text: str, actor: str) -> Scenario:
        """Validate a scenario file (YAML text) and save it as a user scenario, audited.

        It is checked with :func:`xietong.scenarios.scenario.load_scenario` (``extends`` may
        name a shipped or user scenario) and, when there is activity data, run once; any
        problem raises ScenarioError naming the file, the key and the reason, and nothing is
        saved. A user scenario of the same id is replaced; a shipped id is refused.
        """
        self.plan()
        raw = safe_yaml(yaml_text, "scenario.yaml")
        if not isinstance(raw, dict):
            raise ScenarioError("scenario.yaml: a scenario must be a mapping")
        sid = raw.get("id")
        if not isinstance(sid, str) or not SCENARIO_ID.match(sid):
            raise ScenarioError(
                f"scenario.yaml, key 'id': {str(sid)[:64]!r} is not an id (1–64 lower-case "
                "letters, digits, '-' or '_', starting with a letter or digit)"
            )
        name = f"{sid}.yaml"
        if sid in shipped_scenarios():
            raise ScenarioError(
                f"{name}, key 'id': '{sid}' is a shipped scenario; choose another id"
            )
        with tempfile.TemporaryDirectory(prefix="xietong-new-scenario-") as tmp:
            staged = Path(tmp) / name
            staged.write_text(yaml_text, encoding="utf-8")
            scenario = self._load_scenario_file(staged)
        if self.activity_dataset() is not None:
            try:
                self.run_scenario(scenario)
            except ScenarioError:
                raise
            except XietongError as exc:
                raise ScenarioError(
                    f"{name}: the scenario does not run on the stored activity data: "
                    f"{str(exc).splitlines()[0]}"
                ) from None
        folder = self.user_scenario_dir()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        replaced = target.exists()
        with session_scope(self.engine) as session:
            repository.audit(
                session,
                actor=actor,
                action="scenario.save",
                entity=f"scenario:{sid}",
                detail={
                    "file": str(target),
                    "levers": len(scenario.levers),
                    "extends": str(raw.get("extends") or ""),
                    "replaced": replaced,
                    "sha256": hashlib.sha256(yaml_text.encode("utf-8")).hexdigest(),
                },
            )
            partial = folder / f".{name}.part"
            partial.write_text(yaml_text, encoding="utf-8")
            partial.replace(target)
        return scenario

    def export_scenarios(
        self, path: Path, ids: Sequence[str], fmt: str | None = None, *, gwp: str = "AR5"
    ) -> dict[str, object]:
        """Write the runs of ``ids`` to ``path``: ``iamc`` (IAMC table via pyam, .csv or .xlsx;
        CO2e under ``gwp``), ``csv`` (long table of indicators and pollutant totals by
        scenario and year) or ``xlsx`` (that table with the peaks, target checklists and
        levers); the format defaults to the suffix."""
        from xietong.files.scenario_export import write_scenarios_csv, write_scenarios_xlsx
        from xietong.scenario_views import pathway_frame

        kind = fmt or path.suffix.lower().lstrip(".")
        if kind not in EXPORT_FORMATS:
            raise ValueError(f"export format '{kind}': choose one of {', '.join(EXPORT_FORMATS)}")
        chosen = list(dict.fromkeys(ids))
        runs = {sid: self.run_scenario(sid) for sid in chosen}
        base = self.drivers().base_year
        gwp_set = load_gwp(gwp)
        if kind == "iamc":
            from xietong.files.iamc import scenarios_frame, write_iamc

            frame = scenarios_frame(
                {sid: r.inventory for sid, r in runs.items()}, gwp_set, region=self.plan().city.en
            )
            n = write_iamc(
                path,
                frame,
                meta={
                    "gwp": gwp_set.name,
                    "base_year": str(base),
                    "note": "projections rest on estimated drivers and lever sizes",
                },
            )
        elif kind == "csv":
            n = write_scenarios_csv(path, pathway_frame(runs, base))
        else:
            details = {sid: self.scenario_detail(sid) for sid in chosen}
            n = write_scenarios_xlsx(path, runs, details, self.plan(), base)
        return {"file": str(path), "format": kind, "rows": n, "scenarios": chosen, "gwp": gwp}


def _check_extends(folder: Path, name: str) -> None:
    """Refuse a chain of ``extends`` that comes back on itself (naming the file)."""
    seen: list[str] = []
    current = folder / name
    while True:
        try:
            raw = safe_yaml(current.read_text(encoding="utf-8"), name)
        except (ScenarioError, OSError):
            return  # load_scenario names the problem
        parent = raw.get("extends") if isinstance(raw, dict) else None
        if not parent:
            return
        seen.append(current.stem)
        if str(parent) in seen:
            raise ScenarioError(
                f"{name}, key 'extends': '{parent}' leads back to itself "
                f"({' → '.join([*seen, str(parent)])})"
            )
        current = folder / f"{parent}.yaml"
