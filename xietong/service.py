"""The platform's one service: the plan, its progress and statuses over a database.

CLI commands and web routes call these functions and only render what they return; the rules
(status, validation, all-or-nothing imports, audit) live here and in the core.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from xietong.accounting.activity import Activity, read_activity_csv, read_activity_rows
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.indicators import (
    POLLUTANT_TOTALS,
    Statistic,
    compute_indicators,
    progress_from_indicators,
    read_statistics,
)
from xietong.accounting.inventory import Inventory, InventoryOptions, build_inventory
from xietong.config import Settings
from xietong.errors import ImportRejected, NotFound, NotInitialised, RowProblem
from xietong.files.activity_files import read_activity_file
from xietong.files.inventory_export import write_inventory_csv, write_inventory_xlsx
from xietong.files.progress_files import read_table, write_progress_xlsx
from xietong.inventory_views import estimate_share
from xietong.plan import rollup
from xietong.plan.loader import load_plan
from xietong.plan.models import Plan
from xietong.plan.progress import Assessment, ProgressRecord, assess_all
from xietong.plan.progress_table import DERIVED_REPORTERS, parse_rows
from xietong.store import activities as activity_store
from xietong.store import repository
from xietong.store.database import make_engine, migrate, session_scope
from xietong.synergy.decomposition import Decomposition
from xietong.synergy.index import load_system
from xietong.synergy.series import governance_values
from xietong.synergy_views import MeasureReport, SynergyData, measure_report, target_frame

INVENTORY_REPORTER = DERIVED_REPORTERS[0]
"""``reported_by`` of the progress records the inventory gives (``inventory``)."""

INVENTORY_CACHE = 8
"""How many inventories (per activity dataset and options) a platform keeps built."""

EXPORT_FORMATS = ("xlsx", "csv", "iamc")


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
    _plan: Plan | None = field(default=None, repr=False)
    _inventories: OrderedDict[tuple[int, InventoryOptions], Inventory] = field(
        default_factory=OrderedDict, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Platform:
        """The platform for the configured database, plan and factor folder."""
        s = settings or Settings()
        return cls(engine=make_engine(s.url), plan_id=s.plan, factors_dir=s.factors_dir)

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
        self._plan = plan
        loaded = synthetic = 0
        demo_file = demo_progress_file(plan.id) if demo else None
        if demo_file is not None and not self.records():
            loaded = self.import_file(demo_file, actor=actor)["inserted"]
            synthetic = sum(1 for r in self.records() if r.demo)
        activity_rows = self._load_shipped_activity(actor) if activity else 0
        return {
            "plan": plan.id,
            "plan_changed": changed,
            "sample_records": loaded,
            "demo_records": synthetic,
            "activity_rows": activity_rows,
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
        self._store_activities(acts, source=label, actor=actor, sha256=sha, shipped=True)
        return len(acts)

    # -- reading ----------------------------------------------------------------------------

    def plan(self) -> Plan:
        """The stored plan (cached after the first read)."""
        if self._plan is None:
            try:
                with session_scope(self.engine) as session:
                    self._plan = repository.get_plan(session, self.plan_id)
            except (NotFound, DBAPIError) as exc:
                raise NotInitialised(
                    f"the database {self.engine.url.render_as_string(hide_password=True)} "
                    f"holds no plan '{self.plan_id}': run `xietong init` first"
                ) from exc
        return self._plan

    def records(self, target_id: str | None = None) -> list[ProgressRecord]:
        """Stored progress records (all, or one target's)."""
        self.plan()
        with session_scope(self.engine) as session:
            return repository.list_progress(session, self.plan_id, target_id)

    def assessments(
        self, as_of: dt.date | None = None, district: str | None = None
    ) -> dict[str, Assessment]:
        """Status of every target on ``as_of`` (default today), city-wide or for a district."""
        return assess_all(self.plan().targets, self.records(), as_of or dt.date.today(), district)

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
        row). A row is demo when its evidence says 演示数据, unless ``demo`` says otherwise."""
        records = parse_rows(self.plan(), header, rows, source=source, reported_on=dt.date.today())
        if demo is None:
            records = [
                r.model_copy(update={"demo": bool(r.evidence and "演示数据" in r.evidence)})
                for r in records
            ]
        else:
            records = [r.model_copy(update={"demo": demo}) for r in records]
        with session_scope(self.engine) as session:
            return repository.save_progress(
                session, plan_id=self.plan_id, records=records, source=source, actor=actor
            )

    def import_file(self, path: Path, *, actor: str, name: str | None = None) -> dict[str, int]:
        """Import a progress .xlsx or .csv file, all or nothing."""
        header, rows = read_table(path, name)
        return self.import_rows(header, rows, source=name or path.name, actor=actor)

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

    def _store_activities(
        self,
        acts: Sequence[Activity],
        *,
        source: str,
        actor: str,
        sha256: str = "",
        shipped: bool = False,
    ) -> dict[str, int]:
        if not acts:
            raise ImportRejected(source, [RowProblem(2, "*", "the table has no data rows")])
        with session_scope(self.engine) as session:
            counts = activity_store.replace_activities(
                session,
                city=self.city,
                activities=acts,
                source=source,
                actor=actor,
                sha256=sha256,
                shipped=shipped,
            )
        return {"deleted": counts["deleted"], "inserted": counts["inserted"]}

    def import_activity_rows(
        self, rows: Sequence[Sequence[object]], *, source: str, actor: str
    ) -> dict[str, int]:
        """Replace the activity dataset by a table (header row first), all or nothing:
        ImportRejected names every bad row. Returns ``{"deleted": n, "inserted": m}``."""
        acts = read_activity_rows(rows, source, districts=self._district_codes())
        return self._store_activities(acts, source=source, actor=actor)

    def import_activity_file(
        self, path: Path, actor: str = "cli", *, name: str | None = None
    ) -> dict[str, int]:
        """Replace the activity dataset by an .xlsx or .csv file, all or nothing."""
        label = name or path.name
        acts = read_activity_file(path, label, districts=self._district_codes())
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._store_activities(acts, source=label, actor=actor, sha256=sha)

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
        key = (dataset.id, opts)
        with self._lock:
            cached = self._inventories.get(key)
            if cached is not None:
                self._inventories.move_to_end(key)
                return cached
        built = build_inventory(self.activities(), self.factor_library(), opts)
        with self._lock:
            self._inventories[key] = built
            while len(self._inventories) > INVENTORY_CACHE:
                self._inventories.popitem(last=False)
        return built

    def statistics(self) -> list[Statistic]:
        """The city's statistics (GDP, energy …): ``statistics_file``, else the shipped file;
        empty when there is none."""
        path = self.statistics_file or city_file(self.city, "statistics.csv")
        return read_statistics(path) if path is not None else []

    def indicators(self, options: InventoryOptions | None = None) -> pd.DataFrame:
        """Indicators by year from the inventory and the statistics (``year, indicator_id,
        value, unit, basis``). A pollutant total is left out for a year in which the inventory
        has no emission of that pollutant at all (no factor covered it), rather than shown as 0.
        """
        inv = self.inventory(options)
        df = compute_indicators(inv, self.statistics())
        present = {(r.activity.year, r.emission.substance) for r in inv.rows}
        keep = [
            ind not in POLLUTANT_TOTALS or (int(year), POLLUTANT_TOTALS[ind]) in present
            for year, ind in zip(df["year"], df["indicator_id"], strict=True)
        ]
        return df[keep].reset_index(drop=True)

    def update_targets_from_inventory(
        self,
        gwp: str = "AR5",
        *,
        options: InventoryOptions | None = None,
        actor: str = INVENTORY_REPORTER,
    ) -> dict[str, int]:
        """Feed the plan's targets with the inventory's indicators (linked by indicator id).

        The records are reported by ``inventory`` and replace the ones it gave before; they
        replace demo figures of the same period but never a figure someone reported. Their
        evidence names the activity dataset, its share of estimates (CO2e under ``gwp``), the
        factor editions and the statistics. Audited; returns counts ``deleted``, ``inserted``,
        ``updated``, ``skipped`` and ``records``.
        """
        gwp_set = load_gwp(gwp)
        inv = self.inventory(options)
        indicators = self.indicators(options)
        dataset = self.activity_dataset()
        assert dataset is not None  # inventory() raised otherwise
        share = estimate_share(inv, gwp_set)
        stats = self.statistics_file or city_file(self.city, "statistics.csv")
        evidence = (
            f"xietong inventory {dt.date.today().isoformat()}: activity data {dataset.source} "
            f"({dataset.rows} rows; 估算 estimates {share['co2e_share']:.0%} of CO2e, "
            f"GWP {gwp_set.name}); factors {', '.join(inv.editions)}; "
            f"statistics {stats.name if stats else 'none'}"
        )
        demo = all(a.quality == "demo" for a in self.activities())
        derived = progress_from_indicators(indicators, self.plan(), evidence=evidence, demo=demo)
        derived += self._synergy_progress(options, evidence=evidence, demo=demo)
        records = [r.model_copy(update={"reported_on": dt.date.today()}) for r in derived]
        with session_scope(self.engine) as session:
            counts = repository.replace_derived_progress(
                session,
                plan_id=self.plan_id,
                reporter=INVENTORY_REPORTER,
                records=records,
                source=f"inventory of {dataset.source}",
                actor=actor,
            )
        return {**counts, "records": len(records)}

    def _synergy_progress(
        self, options: InventoryOptions | None, *, evidence: str, demo: bool
    ) -> list[ProgressRecord]:
        """Progress records of the targets whose indicator is the synergy degree D (by year),
        none when the data give no synergy degree (no base year, say)."""
        try:
            series = self.synergy(options)
        except NotFound:
            return []
        return progress_from_indicators(
            target_frame(series),
            self.plan(),
            evidence=f"{evidence}; synergy degree D scored against {load_system().base_year} "
            "(docs/methods/synergy.md)",
            demo=demo,
        )

    # -- synergy ----------------------------------------------------------------------------

    def synergy_data(self, options: InventoryOptions | None = None) -> SynergyData:
        """The inventory, the statistics and the factor library the synergy figures use."""
        inv = self.inventory(options)
        governance = governance_values(self.plan(), self.records(), inv.years)
        return SynergyData(
            inv, self.statistics(), self.factor_library(), self.measures_file, governance
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
            n = len(inv.rows)
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
