"""The activity data and the inventory: imports, builds (kept beside the database), the
indicators and the derived values of the indicator store, exports."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from xietong import __version__
from xietong.accounting.activity import Activity, iter_activity_chunks
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.indicators import (
    POLLUTANT_TOTALS,
    Statistic,
    compute_indicators,
    progress_from_indicators,
    read_statistics,
)
from xietong.accounting.inventory import (
    Inventory,
    InventoryError,
    InventoryOptions,
    build_inventory,
)
from xietong.accounting.uncertainty import change_u95
from xietong.accounts.roles import Action
from xietong.errors import (
    ImportRejected,
    NotFound,
    RowProblem,
)
from xietong.files.activity_files import Progress, read_activity_chunks
from xietong.files.inventory_export import write_inventory_csv, write_inventory_xlsx
from xietong.plan.models import ValueSource
from xietong.plan.progress import (
    ProgressRecord,
    load_status_rules,
)
from xietong.service.accounts import Actor
from xietong.service.base import INVENTORY_CACHE, city_file
from xietong.service.inventory_views import estimate_share
from xietong.service.ledger import LedgerService
from xietong.service.progress import INVENTORY_REPORTER
from xietong.store import activities as activity_store
from xietong.store import repository
from xietong.store.database import session_scope
from xietong.worker import report

EXPORT_FORMATS = ("xlsx", "csv", "iamc")

DERIVED_CACHE = 8
"""How many sets of derived values that do not depend on the reported ones a platform keeps
(per stored dataset, factor library, statistics and plan figures)."""


@functools.lru_cache(maxsize=8)
def _statistics_of(path: Path, mtime_ns: int) -> tuple[Statistic, ...]:
    """A statistics file read once per version (its path and modification time)."""
    return tuple(read_statistics(path))


class InventoryService(LedgerService):
    """Activity data, the inventory built from it and the indicator values it gives."""

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
        self, rows: Sequence[Sequence[object]], *, source: str, actor: Actor
    ) -> dict[str, int]:
        """Replace the activity dataset by a table (header row first), all or nothing:
        ImportRejected names every bad row. Returns ``{"deleted": n, "inserted": m}``."""
        principal = self.authorize(actor, Action.IMPORT_ACTIVITY)
        chunks = iter_activity_chunks(rows, source, districts=self._district_codes())
        return self._import_activity_chunks(chunks, source=source, actor=principal.label)

    def import_activity_file(
        self,
        path: Path,
        actor: Actor = "cli",
        *,
        name: str | None = None,
        progress: Progress | None = None,
    ) -> dict[str, int]:
        """Replace the activity dataset by an .xlsx, .csv (UTF-8 or GBK) or .parquet file, all
        or nothing: the file is read and validated a chunk at a time, each chunk written as it
        comes, in one transaction that is rolled back when any row of the file is refused
        (ImportRejected names them). ``progress`` is called with ``(done, total)`` while the
        file is read. Returns ``{"deleted": n, "inserted": m}``."""
        principal = self.authorize(actor, Action.IMPORT_ACTIVITY)
        label = name or path.name
        with path.open("rb") as fh:
            sha = hashlib.file_digest(fh, "sha256").hexdigest()
        chunks = read_activity_chunks(
            path, label, districts=self._district_codes(), progress=progress
        )
        return self._import_activity_chunks(chunks, source=label, actor=principal.label, sha256=sha)

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

    def latest_inventory_year(self) -> int:
        """The last year of the inventory (the default year of its report); NotFound when it
        has none."""
        years = self.inventory().years
        if not years:
            raise NotFound("清单没有任何年份的数据 / the inventory has no year of data")
        return years[-1]

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
                "尚无活动水平数据:请用 `xietong inventory import 文件` 导入(`xietong inventory "
                f"template 文件` 生成模板) / no activity data for '{self.city}': import a table "
                "with `xietong inventory import FILE` (`xietong inventory template FILE` writes "
                "one)"
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

    def statistics(self) -> list[Statistic]:
        """The city's statistics (GDP, energy …): ``statistics_file``, else the shipped file;
        empty when there is none."""
        path = self.statistics_file or city_file(self.city, "statistics.csv")
        return list(_statistics_of(path, path.stat().st_mtime_ns)) if path is not None else []

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
        self, gwp: str = "AR5", *, actor: Actor = INVENTORY_REPORTER
    ) -> dict[str, int]:
        """Recompute the values of the indicators the inventory and the scenarios define, from
        the stored activity data, in one audited transaction. The indicator store always uses
        the platform's accounting options (``InventoryOptions()``): other options give an
        analyst's view of the inventory, never a second value of an indicator. ``gwp`` names
        the GWP set of the estimate share in the evidence. Returns counts ``deleted``,
        ``inserted``, ``updated`` and ``records``."""
        principal = self.authorize(actor, Action.RECOMPUTE)
        self.inventory()  # NotFound without activity data
        with session_scope(self.engine) as session:
            return self._recompute(session, self.activities(), actor=principal.label, gwp=gwp)

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
        repository.lock_derived_values(session, self.plan_id)
        totals = {"deleted": 0, "inserted": 0, "updated": 0, "unchanged": 0, "records": 0}
        for kind, records in derived.items():
            counts = repository.replace_source_values(
                session,
                plan_id=self.plan_id,
                source_kind=kind,
                records=records,
                source=f"{kind.value} of {source}",
                actor=actor,
            )
            for key in ("deleted", "inserted", "updated", "unchanged"):
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
        reuse: tuple[object, ...] | None = None,
    ) -> dict[ValueSource, list[ProgressRecord]]:
        """The values of every indicator the inventory or the scenarios define, computed from
        ``acts`` (the activity data about to be stored, or the stored ones) and the
        ``reported`` values (default: the stored ones; the synergy degree scores the
        environmental quality among them): the indicator store's derived part
        (docs/methods/status.md, "One value per indicator"). ``inv`` is the inventory of
        ``acts`` when it is already built (the stored dataset's). When the inventory cannot be
        built (a factor is missing), there are none: the inventory page names the rows that
        lack a factor.

        With ``reuse`` (a key of the stored dataset and everything else the values depend on),
        the values that do not depend on the reported ones (the inventory's indicators with
        their uncertainty, the carbon-peak values) are computed once for that key and kept:
        a submitted report then recomputes only what judges on it (the synergy degree)."""
        plan = self.plan()
        now = dt.datetime.now(dt.UTC)
        if inv is None:
            try:
                inv = build_inventory(acts, self.factor_library(), InventoryOptions())
            except InventoryError:
                # no inventory, no derived value: none is kept that the data cannot give
                return {ValueSource.INVENTORY: [], ValueSource.SCENARIO: []}
        gwp_set = load_gwp(gwp)
        built = inv
        share = (
            self._once(
                self._derived,
                (*reuse, "estimate-share", gwp),
                DERIVED_CACHE,
                lambda: estimate_share(built, gwp_set),
            )
            if reuse is not None
            else estimate_share(inv, gwp_set)
        )
        stats = self.statistics_file or city_file(self.city, "statistics.csv")
        evidence = (
            f"xietong inventory: activity data ({len(acts)} rows; 估算 estimates "
            f"{share['co2e_share']:.0%} of CO2e, GWP {gwp_set.name}); factors "
            f"{', '.join(inv.editions)}; statistics {stats.name if stats else 'none'}"
        )
        demo = all(a.quality == "demo" for a in acts)
        stamp = {"reported_on": now.date(), "computed_at": now}

        def indicator_values() -> tuple[ProgressRecord, ...]:
            # the 95 % interval of each pollutant total's change since the base year
            # (approach 2)
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
            out = []
            for r in progress_from_indicators(
                self._indicator_frame(inv), plan, evidence=evidence, demo=demo
            ):
                substance = POLLUTANT_TOTALS.get(plan.target(r.target_id).indicator_id)
                width = u95[substance].get(r.period_end.year) if substance else None
                out.append(r.model_copy(update={"change_u95": width}))
            return tuple(out)

        kept = (
            self._once(self._derived, (*reuse, "indicators"), DERIVED_CACHE, indicator_values)
            if reuse is not None
            else indicator_values()
        )
        inventory = [r.model_copy(update=stamp) for r in kept]
        if reported is None:
            reported = [r for r in self.records() if r.source_kind is ValueSource.REPORTED]
        derived = {ValueSource.INVENTORY: inventory, ValueSource.SCENARIO: []}
        self._derive_more(
            derived, inv, acts, reported, evidence=evidence, demo=demo, stamp=stamp, reuse=reuse
        )
        return derived

    def _derive_more(
        self,
        derived: dict[ValueSource, list[ProgressRecord]],
        inv: Inventory,
        acts: Sequence[Activity],
        reported: Sequence[ProgressRecord],
        *,
        evidence: str,
        demo: bool,
        stamp: dict[str, Any],
        reuse: tuple[object, ...] | None = None,
    ) -> None:
        """Add the values higher services derive from the inventory to ``derived`` (in
        place): the scenarios' carbon-peak values, then the synergy degree, which judges on
        all the others; those that do not depend on the reported values may be kept under
        ``reuse`` (see :meth:`_derived_values`). Nothing here."""

    def _after_progress(self) -> Callable[[Session, str, str], None] | None:
        """After reported values are written, recompute the derived values in the same
        transaction (an accepted report of environmental quality changes the synergy degree);
        the stored inventory and activity rows are read before the transaction opens."""
        dataset = self.activity_dataset()
        if dataset is None:
            return None
        inv = self._stored_inventory()
        acts = self.activities()
        reuse = self._reuse_key(dataset)

        def recompute(session: Session, actor: str, source: str) -> None:
            # before the reported values are read: a concurrent submission's recompute
            # waits, then reads this one's values too
            repository.lock_derived_values(session, self.plan_id)
            reported = [
                r
                for r in repository.list_progress(session, self.plan_id)
                if r.source_kind is ValueSource.REPORTED and not r.comparison
            ]
            derived = self._derived_values(acts, reported=reported, inv=inv, reuse=reuse)
            self._write_derived(session, derived, actor=actor, source=source)

        return recompute

    def _reuse_key(self, dataset: activity_store.ActivityImport) -> tuple[object, ...]:
        """What the derived values that do not depend on the reported ones rest on: the
        stored dataset, the factor library, the statistics, measures and drivers files and
        the plan's target figures (see :meth:`_derived_values`)."""
        return (
            dataset.id,
            dataset.sha256,
            self._library_digest(),
            str(self.statistics_file),
            str(self.measures_file),
            str(self.drivers_file),
            tuple((t.id, t.value) for t in self.plan().targets),
        )

    def warm_derived(self) -> None:
        """Compute and keep the derived values that do not depend on the reported ones (the
        indicators with their uncertainty, the carbon-peak values), so that the first report
        submitted to this process recomputes only what judges on it; writes nothing."""
        dataset = self.activity_dataset()
        if dataset is None:
            return
        reported = [
            r for r in self.records() if r.source_kind is ValueSource.REPORTED and not r.comparison
        ]
        self._derived_values(
            self.activities(),
            reported=reported,
            inv=self._stored_inventory(),
            reuse=self._reuse_key(dataset),
        )

    def _stored_inventory(self) -> Inventory | None:
        """The stored dataset's inventory under the platform's options (built once and kept),
        None when a factor is missing."""
        try:
            return self.inventory()
        except InventoryError:
            return None

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
