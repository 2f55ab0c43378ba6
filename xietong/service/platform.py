"""The platform: every domain service over one database, set up by ``init`` and warmed for
the web server."""

from __future__ import annotations

import datetime as dt
import hashlib

from xietong.accounting.activity import read_activity_csv
from xietong.accounting.inventory import (
    InventoryOptions,
)
from xietong.config import Settings
from xietong.plan.loader import load_plan
from xietong.service.accounts import FIRST_ADMIN
from xietong.service.base import city_file, demo_progress_file
from xietong.service.feedback import FeedbackService
from xietong.service.scenarios import SHIPPED_ORDER
from xietong.store import repository
from xietong.store.database import make_engine, migrate, session_scope
from xietong.worker import Job, report


class Platform(FeedbackService):
    """A plan on a database: load it, import progress and activity data, build the inventory,
    the synergy figures and the scenarios, export."""

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
            attachments_dir=s.data_dir / "attachments",
        )

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
        ``activity_rows`` counts the activity rows loaded. When the database has no account,
        the administrator ``admin`` is created with a generated password, returned once as
        ``admin_password`` (None otherwise).
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
        opened = None
        if demo and not self.periods():
            # a live reporting cycle to try: the current year's period (due a month after it)
            opened = self.open_period(dt.date.today().year, actor=actor).id
        admin_password = self.first_admin(actor=actor)
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
            "reporting_period": opened,
            "admin": FIRST_ADMIN if admin_password else None,
            "admin_password": admin_password,
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

    def prepare(self, what: str, options: InventoryOptions | None = None) -> Job:
        """The worker's job computing ``what`` (``inventory``, ``derived`` (the values a
        submitted report does not change), ``allocation`` or a scenario id) for the stored
        dataset: started now unless it runs or its result is kept."""
        opts = options or InventoryOptions()
        dataset = self.activity_dataset()
        key = (what, dataset.id if dataset else None, opts)
        if what == "inventory":
            return self.worker.submit(key, what, lambda: self.inventory(opts))
        if what == "derived":
            return self.worker.submit(key, what, self.warm_derived)
        if what == "allocation":

            def allocation() -> None:
                found = self.allocated_districts(opts)
                if found is not None:
                    found.inventory  # noqa: B018 - builds it
                    report(0.9, "ranking")

            return self.worker.submit(key, what, allocation)
        return self.worker.submit(key, what, lambda: self.run_scenario(what))

    def warm(self) -> list[Job]:
        """Start the builds the first pages and the first submitted report need (inventory,
        derived values, allocation, shipped scenarios) on the worker, so that the first
        visitor does not wait for them."""
        if self.activity_dataset() is None:
            return []
        return [self.prepare(w) for w in ("inventory", "derived", "allocation", *SHIPPED_ORDER)]
