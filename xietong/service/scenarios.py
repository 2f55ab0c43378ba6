"""Scenarios: the shipped and the users' own, their runs, comparisons, wedges, uncertainty,
sensitivity and exports."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from sqlalchemy import func, select

from xietong.accounting.activity import Activity
from xietong.accounting.factors import load_gwp
from xietong.accounting.indicators import (
    quality_of,
)
from xietong.accounting.inventory import (
    Inventory,
)
from xietong.accounts.roles import Action, Scope
from xietong.errors import (
    NotFound,
    XietongError,
)
from xietong.plan.models import Direction, ValueSource
from xietong.plan.progress import (
    ProgressRecord,
    Quality,
    assess,
    load_status_rules,
    worst_quality,
)
from xietong.scenarios.bounds import MAX_DRAWS, SOBOL_N
from xietong.scenarios.fast import Fan, LinearModel, peak_fan
from xietong.scenarios.least_cost import (
    LeastCost,
    Request,
    candidates,
    least_cost,
    load_lever_costs,
    scenario_yaml,
)
from xietong.scenarios.projection import (
    PEAK_INDICATOR,
    ScenarioResult,
    TargetOutcome,
    Wedges,
    evaluate_targets,
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
from xietong.service.accounts import Actor, as_principal
from xietong.service.base import T
from xietong.service.inventory import DERIVED_CACHE, EXPORT_FORMATS
from xietong.service.scenario_views import SCENARIO_ID, scenario_record, scenario_summary
from xietong.service.synergy import SynergyService
from xietong.service.synergy_views import SYNERGY_INDICATOR
from xietong.store import repository
from xietong.store.database import session_scope
from xietong.store.tables import UserScenarioRow
from xietong.synergy.series import city_synergy, observed_values

SCENARIO_CACHE = 32
"""How many scenario runs (and wedge, fan and sensitivity results) a platform keeps."""


BASELINE = "baseline"
"""The scenario the wedges are measured against."""


SHIPPED_ORDER = ("baseline", "plan", "enhanced")
"""The order the shipped scenarios are listed in (others follow by id)."""


MAX_SCENARIO_YAML = MAX_YAML_BYTES
"""The largest user scenario file accepted (bytes)."""


MAX_USER_SCENARIOS = 20
"""The most user scenarios one account keeps."""

MAX_LEVERS = 40
"""The most levers one user scenario may have (with those it extends)."""

SENSITIVITY_BUDGET = 16_384
"""The largest n × (levers + 1) of one sensitivity call: its cost grows with both (Saltelli
sampling evaluates the model n × (2k + 2) times for k uncertain inputs)."""


class ScenarioService(SynergyService):
    """Scenario runs on the stored activity data; adds the carbon-peak values to the
    derived values."""

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
        """Add the carbon-peak values (before the synergy degree, which judges on them); they
        depend on the activity data only, so under ``reuse`` they are computed once."""
        peaks = (
            self._once(
                self._derived,
                (*reuse, "peaks"),
                DERIVED_CACHE,
                lambda: tuple(self._peak_values(acts)),
            )
            if reuse is not None
            else tuple(self._peak_values(acts))
        )
        derived[ValueSource.SCENARIO] += [r.model_copy(update=stamp) for r in peaks]
        super()._derive_more(
            derived, inv, acts, reported, evidence=evidence, demo=demo, stamp=stamp, reuse=reuse
        )

    def _peak_values(self, acts: Sequence[Activity]) -> list[ProgressRecord]:
        """The carbon-peak targets' values: the probability (%) that CO2 (official caliber) peaks
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
                        f"CO2 (official caliber) in {peak.year} ({peak.value / 1e6:.1f} Mt"
                        f"{', not peaked within the horizon' if not peak.peaked_in_series else ''}"
                        f"); P(peak by {t.deadline.year}) = {p:.1f} % over {fan.draws} Monte "
                        f"Carlo draws (seed {fan.seed})"
                    ),
                    quality=quality,
                    source_kind=ValueSource.SCENARIO,
                )
            )
        return out

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

        def run() -> ScenarioResult:
            result = run_scenario(
                s,
                self.activities(),
                self.statistics(),
                self.drivers(),
                self.factor_library(),
                self.plan(),
            )
            result.targets.extend(self._checklist_extra(s, result))
            return result

        return self._cached(key, run, s)

    def _checklist_extra(self, s: Scenario, result: ScenarioResult) -> list[TargetOutcome]:
        """The targets the projected indicators do not give, judged the way the platform
        judges them: the carbon peak (the probability, %, that CO2 peaks by the deadline under
        this scenario: its Monte Carlo fan with the status rules' draws and seed, so the plan
        scenario's is the target's own value) and the synergy degree (of the projected
        inventory with the reported environmental quality of the history years)."""
        plan = self.plan()
        rule = load_status_rules().peak
        base = self.drivers().base_year
        out: list[TargetOutcome] = []
        peaks = [
            t
            for t in plan.targets
            if t.direction is Direction.PEAK_BY and plan.source_of(t) is ValueSource.SCENARIO
        ]
        if peaks:
            fan = peak_fan(
                result,
                self._model(s),
                base,
                draws=rule.draws,
                seed=rule.seed,
                peak_years=sorted({t.deadline.year for t in peaks}),
            )
            for t in peaks:
                p = 100 * float(fan.p_peak_by[t.deadline.year])
                record = ProgressRecord(
                    target_id=t.id,
                    period_end=dt.date(base, 12, 31),
                    value=p,
                    reported_by="scenario",
                )
                status = assess(t, [record], t.deadline).status
                gap = p - t.goal if t.goal is not None else None
                out.append(TargetOutcome(t.id, status, None, p, gap))
        try:
            series = city_synergy(
                result.inventory,
                result.statistics,
                observed=observed_values(plan, self.records()),
            )
        except ValueError:
            return out
        frame = pd.DataFrame(
            {
                "year": series["year"],
                "indicator_id": SYNERGY_INDICATOR,
                "value": series["d"],
                "unit": "dimensionless",
            }
        )
        return out + evaluate_targets(frame, plan)

    def compare(self, ids: Sequence[str]) -> dict[str, Any]:
        """Scenarios side by side: per scenario the pathway (CO2 of the official caliber,
        end-use energy CO2 and the NOx, VOCs and SO2 totals by year), the peak and the target
        checklist."""
        from xietong.service.scenario_views import pathway_records, peak_record, target_records

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

    def least_cost(self, request: Request) -> LeastCost:
        """The least-cost strengths of the candidate levers (the plan's and the cost file's
        extras) for ``request`` on the stored activity data, checked by a re-run
        (:func:`xietong.scenarios.least_cost.least_cost`; kept for the next call). The
        history of the peak series is the plan scenario's, as the carbon-peak target's."""
        costs = load_lever_costs()
        candidate = candidates(costs, self.scenario)
        base = self.drivers().base_year
        history = {
            y: v
            for y, v in self.run_scenario(costs.scenario).series(PEAK_INDICATOR).items()
            if y <= base
        }
        key = self._cache_key("least-cost", repr(candidate), repr(request), repr(costs))
        return self._cached(
            key, lambda: least_cost(self._model(candidate), request, history, costs), candidate
        )

    def save_least_cost(self, request: Request, scenario_id: str, actor: Actor) -> Scenario:
        """Solve ``request`` and save the result as the user scenario ``scenario_id`` (audited,
        as :meth:`save_user_scenario`), so it shows like any other scenario."""
        result = self.least_cost(request)
        return self.save_user_scenario(scenario_yaml(result, scenario_id), actor)

    def scenario_uncertainty(
        self, scenario: str | Scenario, draws: int = 1000, seed: int = 20230
    ) -> Fan:
        """Seeded Monte Carlo of CO2 (official caliber) (growth rates and lever strengths drawn):
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
        """Which assumptions matter for CO2 (official caliber) in ``year``: one-at-a-time swings
        and Sobol indices (S1, ST) of the growth rates and the lever strengths."""
        from xietong.scenarios.sensitivity import one_at_a_time, sobol
        from xietong.service.scenario_views import sensitivity_record

        if n not in SOBOL_N:
            raise ValueError(f"n must be one of {', '.join(map(str, SOBOL_N))}")
        s = self.scenario(scenario) if isinstance(scenario, str) else scenario
        if n * (len(s.levers) + 1) > SENSITIVITY_BUDGET:
            fits = [m for m in SOBOL_N if m * (len(s.levers) + 1) <= SENSITIVITY_BUDGET]
            raise ValueError(
                f"n = {n} with {len(s.levers)} levers exceeds the sensitivity budget "
                f"(n × (levers + 1) ≤ {SENSITIVITY_BUDGET:,}); choose n ≤ {max(fits, default=0)}"
            )
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

    def _owner(self, scenario_id: str) -> str | None:
        """The account that saved a user scenario (None for one saved before owners were
        kept: then only the bureau may change it)."""
        with session_scope(self.engine) as session:
            row = session.get(UserScenarioRow, scenario_id)
            return row.owner if row is not None else None

    def save_user_scenario(self, yaml_text: str, actor: Actor) -> Scenario:
        """Validate a scenario file (YAML text) and save it as a user scenario, audited.

        It is checked with :func:`xietong.scenarios.scenario.load_scenario` (``extends`` may
        name a shipped or user scenario) and, when there is activity data, run once; any
        problem raises ScenarioError naming the file, the key and the reason, and nothing is
        saved. A user scenario of the same id is replaced (by its owner or the bureau; the
        replaced text is kept in the audit log); a shipped id is refused. An account keeps at
        most :data:`MAX_USER_SCENARIOS` scenarios, each of at most :data:`MAX_LEVERS` levers.
        """
        principal = self.authorize(actor, Action.SAVE_SCENARIO)
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
        folder = self.user_scenario_dir()
        target = folder / name
        replaced = target.exists()
        if replaced:
            self.authorize(principal, Action.DELETE_SCENARIO, Scope(owner=self._owner(sid)))
        else:
            with session_scope(self.engine) as session:
                owned = session.scalar(
                    select(func.count())
                    .select_from(UserScenarioRow)
                    .where(UserScenarioRow.owner == principal.label)
                )
            if (owned or 0) >= MAX_USER_SCENARIOS:
                raise ScenarioError(
                    f"{name}: 每个账户最多保存 {MAX_USER_SCENARIOS} 个情景,请先删除不用的 / "
                    f"an account keeps at most {MAX_USER_SCENARIOS} scenarios: delete one first"
                )
        with tempfile.TemporaryDirectory(prefix="xietong-new-scenario-") as tmp:
            staged = Path(tmp) / name
            staged.write_text(yaml_text, encoding="utf-8")
            scenario = self._load_scenario_file(staged)
        if len(scenario.levers) > MAX_LEVERS:
            raise ScenarioError(
                f"{name}, key 'levers': {len(scenario.levers)} 个措施杠杆,上限 {MAX_LEVERS} / "
                f"{len(scenario.levers)} levers (with those it extends), at most {MAX_LEVERS}"
            )
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
        folder.mkdir(parents=True, exist_ok=True)
        before = target.read_text(encoding="utf-8") if replaced else None
        sha = hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()
        with session_scope(self.engine) as session:
            repository.audit(
                session,
                actor=principal.label,
                action="scenario.save",
                entity=f"scenario:{sid}",
                detail={
                    "file": str(target),
                    "levers": len(scenario.levers),
                    "extends": str(raw.get("extends") or ""),
                    "replaced": replaced,
                    "sha256": sha,
                    "before": before,
                },
            )
            row = session.get(UserScenarioRow, sid)
            if row is None:
                session.add(
                    UserScenarioRow(
                        id=sid, owner=principal.label, saved_at=dt.datetime.now(dt.UTC), sha256=sha
                    )
                )
            else:
                row.saved_at, row.sha256 = dt.datetime.now(dt.UTC), sha
            partial = folder / f".{name}.part"
            partial.write_text(yaml_text, encoding="utf-8")
            partial.replace(target)
        return scenario

    def delete_user_scenario(self, scenario_id: str, *, actor: Actor) -> None:
        """Delete a user scenario (its owner, a reviewer or an administrator; a shipped one
        never); its text is kept in the audit log. A scenario another extends is refused."""
        principal = as_principal(actor)
        if not self.is_user_scenario(scenario_id):
            if scenario_id in shipped_scenarios():
                raise ScenarioError(f"'{scenario_id}' 是内置情景,不能删除 / is shipped: kept")
            raise NotFound(f"no user scenario '{scenario_id[:64]}'")
        self.authorize(principal, Action.DELETE_SCENARIO, Scope(owner=self._owner(scenario_id)))
        children = [s for s in self.scenario_ids() if self._extends(s) == scenario_id]
        if children:
            raise ScenarioError(
                f"'{scenario_id}' 被 {', '.join(children)} 继承,不能删除 / "
                f"{', '.join(children)} extend(s) '{scenario_id}': delete or change them first"
            )
        path = self._scenario_file(scenario_id)
        with session_scope(self.engine) as session:
            repository.audit(
                session,
                actor=principal.label,
                action="scenario.delete",
                entity=f"scenario:{scenario_id}",
                detail={"file": str(path), "before": path.read_text(encoding="utf-8")},
            )
            row = session.get(UserScenarioRow, scenario_id)
            if row is not None:
                session.delete(row)
            session.flush()
            path.unlink()

    def export_scenarios(
        self, path: Path, ids: Sequence[str], fmt: str | None = None, *, gwp: str = "AR5"
    ) -> dict[str, object]:
        """Write the runs of ``ids`` to ``path``: ``iamc`` (IAMC table via pyam, .csv or .xlsx;
        CO2e under ``gwp``), ``csv`` (long table of indicators and pollutant totals by
        scenario and year) or ``xlsx`` (that table with the peaks, target checklists and
        levers); the format defaults to the suffix."""
        from xietong.files.scenario_export import write_scenarios_csv, write_scenarios_xlsx
        from xietong.service.scenario_views import pathway_frame

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
