"""The platform's one service: the plan, its progress and statuses over a database.

CLI commands and web routes call these functions and only render what they return; the rules
(status, validation, all-or-nothing imports, audit) live here and in the core.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from xietong.config import Settings
from xietong.errors import NotFound, NotInitialised
from xietong.files.progress_files import read_table, write_progress_xlsx
from xietong.plan import rollup
from xietong.plan.loader import load_plan
from xietong.plan.models import Plan
from xietong.plan.progress import Assessment, ProgressRecord, assess_all
from xietong.plan.progress_table import parse_rows
from xietong.store import repository
from xietong.store.database import make_engine, migrate, session_scope


def demo_progress_file(plan_id: str) -> Path | None:
    """The shipped demo progress table of a plan, if there is one."""
    city = plan_id.split("-")[0]
    path = Path(str(resources.files("xietong") / "data" / "cities" / city / "progress.csv"))
    return path if path.exists() else None


@dataclass
class Platform:
    """A plan on a database: load it, import progress, assess statuses, export."""

    engine: Engine
    plan_id: str
    _plan: Plan | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Platform:
        """The platform for the configured database and plan."""
        s = settings or Settings()
        return cls(engine=make_engine(s.url), plan_id=s.plan)

    # -- set-up -----------------------------------------------------------------------------

    def init(
        self, *, plan_source: str | None = None, demo: bool = True, actor: str = "system"
    ) -> dict[str, object]:
        """Create or upgrade the schema, load the plan and (once) its sample progress table.

        The sample table holds figures read in public sources and synthetic ones labelled
        演示数据; ``sample_records`` counts all rows loaded, ``demo_records`` the synthetic ones.
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
        return {
            "plan": plan.id,
            "plan_changed": changed,
            "sample_records": loaded,
            "demo_records": synthetic,
            "measures": len(plan.measures),
            "targets": len(plan.targets),
        }

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

    def export_xlsx(self, path: Path, as_of: dt.date | None = None) -> int:
        """Write the progress workbook (records + statuses); returns the number of records."""
        day = as_of or dt.date.today()
        records = self.records()
        write_progress_xlsx(path, self.plan(), records, self.assessments(day), day)
        return len(records)
