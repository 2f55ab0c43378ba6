"""考核: the year's scores of every district and body from the platform's own records — the
targets' status on 31 December and the task reports of the year's periods — by the scheme of
:mod:`xietong.plan.assessment`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xietong.accounts.roles import Action
from xietong.plan.assessment import (
    Ranking,
    ReportItem,
    Scheme,
    UnitInput,
    load_scheme,
    score_all,
)
from xietong.plan.reporting import ReportState, obligations
from xietong.service.accounts import Actor
from xietong.service.scenarios import ScenarioService


class AssessmentService(ScenarioService):
    """The assessment scheme and the yearly scores."""

    scheme_file: Path | None = None
    """A scheme file other than the shipped one (tests, a bureau's own edition)."""

    def assessment_scheme(self) -> Scheme:
        """The scheme in force."""
        return load_scheme(self.scheme_file)

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

    def assessment(self, year: int, *, actor: Actor) -> Ranking:
        """Every body's and district's score for ``year``, ranked, with the change on the
        previous year's score under the same scheme. The bureau only (Forbidden otherwise,
        audited as a refusal)."""
        self.authorize(actor, Action.READ_ASSESSMENT)
        scheme = self.assessment_scheme()
        before = score_all(self.assessment_units(year - 1), year - 1, scheme)
        previous = {(s.kind, s.code): s.total for s in before if s.judged}
        return Ranking(year, scheme, score_all(self.assessment_units(year), year, scheme, previous))
