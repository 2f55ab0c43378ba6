"""考核: the year's scores of every district and body from the platform's own records — the
targets' status on 31 December and the task reports of the year's periods — by the scheme of
:mod:`xietong.plan.assessment`."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from xietong.accounts.roles import Action
from xietong.errors import NotFound
from xietong.plan.assessment import (
    Ranking,
    ReportItem,
    Scheme,
    SchemeError,
    UnitInput,
    load_scheme,
    parse_scheme_text,
    score_all,
)
from xietong.plan.reporting import ReportState, obligations
from xietong.service.accounts import Actor
from xietong.service.scenarios import ScenarioService
from xietong.store import assessment as scheme_store
from xietong.store import repository
from xietong.store.database import session_scope


class AssessmentService(ScenarioService):
    """The assessment scheme and the yearly scores."""

    scheme_file: Path | None = None
    """A scheme file other than the shipped one (tests, a bureau's own edition)."""

    def assessment_scheme(self, version: int | None = None) -> Scheme:
        """The scheme in force — the newest edition the bureau saved, else the shipped file —
        or the saved edition ``version`` (NotFound when there is none; the shipped file's own
        version is found too)."""
        with session_scope(self.engine) as session:
            row = scheme_store.scheme(session, version)
            text = row.text if row is not None else None
        if text is not None:
            return parse_scheme_text(text, f"version {version or 'in force'}")
        shipped = load_scheme(self.scheme_file)
        if version is not None and version != shipped.version:
            raise NotFound(f"考核方案无第{version}版 / no edition {version} of the scheme")
        return shipped

    def assessment_schemes(self) -> list[dict[str, Any]]:
        """Every edition the bureau saved (newest first: version, who, when, SHA-256), then
        the shipped one."""
        with session_scope(self.engine) as session:
            rows = [
                {
                    "version": r.version,
                    "saved_by": r.saved_by,
                    "saved_at": r.saved_at,
                    "sha256": r.sha256,
                    "shipped": False,
                }
                for r in scheme_store.schemes(session)
            ]
        shipped = load_scheme(self.scheme_file)
        if not any(r["version"] == shipped.version for r in rows):
            rows.append(
                {
                    "version": shipped.version,
                    "saved_by": None,
                    "saved_at": None,
                    "sha256": None,
                    "shipped": True,
                }
            )
        return rows

    def set_assessment_scheme(self, text: str, *, actor: Actor) -> Scheme:
        """Save a new edition of the scheme from its YAML ``text``: checked whole (SchemeError
        names the key; nothing is saved), its ``version`` above the one in force; the bureau
        only; audited (entity ``assessment-scheme``)."""
        principal = self.authorize(actor, Action.EDIT_ASSESSMENT)
        scheme = parse_scheme_text(text, "upload")
        current = self.assessment_scheme()
        if scheme.version <= current.version:
            raise SchemeError(
                f"version {scheme.version}: the scheme in force is version {current.version}; "
                "a new edition needs a higher version / 新版本号须大于现行版本"
            )
        with session_scope(self.engine) as session:
            row = scheme_store.save_scheme(
                session, version=scheme.version, text=text, actor=principal.label
            )
            repository.audit(
                session,
                actor=principal.label,
                action="assessment.scheme",
                entity="assessment-scheme",
                detail={
                    "from": current.version,
                    "to": scheme.version,
                    "sha256": row.sha256,
                    "weights": {c.id: c.weight for c in scheme.criteria},
                },
            )
        return scheme

    def assessment_units(self, year: int) -> list[UnitInput]:
        """What the platform holds on every body and district for ``year``: its targets'
        status on 31 December and its owed reports of the periods ending in ``year``."""
        plan = self.plan()
        day = dt.date(year, 12, 31)
        city = self.assessments(day)
        periods = [p for p in self.periods() if p.end.year == year]
        owed_by: dict[tuple[str, str], list[ReportItem]] = {}
        ledger = self.task_ledger()
        for period in periods:
            reports = {r.key: r for r in self.task_reports(period.id)}
            files = self.attachments(list(reports.values()))
            for o in obligations(ledger, plan, period):
                r = reports.get((o.task_id, o.unit_kind, o.unit))
                submitted = (
                    r.submitted_at.date()
                    if r is not None
                    and r.submitted_at is not None
                    and r.state is not ReportState.DRAFT
                    else None
                )
                accepted = r is not None and r.state is ReportState.ACCEPTED
                evidence = r is not None and (
                    bool(r.id is not None and files.get(r.id))
                    or any(f.evidence for f in r.figures)
                    or any(m.evidence for m in r.milestones)
                )
                owed_by.setdefault((o.unit_kind, o.unit), []).append(
                    ReportItem(
                        period.id,
                        o.task_id,
                        period.due,
                        submitted,
                        accepted,
                        accepted and r is not None and r.round <= 1,
                        evidence,
                    )
                )
        units: list[UnitInput] = []
        for body in plan.bodies:
            targets = [
                (t.id, t.indicator_id, city[t.id])
                for t in plan.targets
                if body.code in plan.responsible_bodies(t) and t.id in city
            ]
            units.append(
                UnitInput("body", body.code, targets, owed_by.get(("body", body.code), []))
            )
        for district in plan.districts:
            own = self.assessments(day, district.code)
            targets = [
                (t.id, t.indicator_id, own[t.id])
                for t in plan.targets_of_district(district.code)
                if t.id in own
            ]
            units.append(
                UnitInput(
                    "district",
                    district.code,
                    targets,
                    owed_by.get(("district", district.code), []),
                )
            )
        return units

    def assessment_meta(self) -> dict[str, str]:
        """What a document of the scores states about its data: the date the figures run to
        and the data version (the first 12 hex digits of the SHA-256 of the platform's
        stored revision: the same data give the same version)."""
        as_of = self.data_as_of()
        version = hashlib.sha256(repr(self.data_revision()).encode()).hexdigest()[:12]
        period = as_of.get("period")
        return {"as_of": period.isoformat() if period else "", "data_version": version}

    def assessment(self, year: int, *, actor: Actor, version: int | None = None) -> Ranking:
        """Every body's and district's score for ``year``, ranked, with the change on the
        previous year's score under the same scheme (the one in force, or the edition
        ``version``). The bureau only (Forbidden otherwise, audited as a refusal)."""
        self.authorize(actor, Action.READ_ASSESSMENT)
        scheme = self.assessment_scheme(version)
        before = score_all(self.assessment_units(year - 1), year - 1, scheme)
        previous = {(s.kind, s.code): s.total for s in before if s.judged}
        return Ranking(year, scheme, score_all(self.assessment_units(year), year, scheme, previous))
