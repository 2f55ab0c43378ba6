"""The 考核 scores as plain records (for the CLI's JSON, the API and the workbook)."""

from __future__ import annotations

from typing import Any

from xietong.plan.assessment import Ranking, UnitScore
from xietong.plan.models import Plan


def unit_name(plan: Plan, kind: str, code: str, lang: str = "zh") -> str:
    """A body's or district's name in ``lang``."""
    try:
        unit = plan.body(code) if kind == "body" else plan.district(code)
    except KeyError:
        return code
    return str(unit.name.get(lang))


def score_record(s: UnitScore, plan: Plan) -> dict[str, Any]:
    """One unit's score with its breakdown: each criterion's fraction, weight and points, and
    the targets and reports it was judged on."""
    return {
        "kind": s.kind,
        "code": s.code,
        "name_zh": unit_name(plan, s.kind, s.code, "zh"),
        "name_en": unit_name(plan, s.kind, s.code, "en"),
        "year": s.year,
        "rank": s.rank if s.judged else None,
        "total": round(s.total, 2) if s.judged else None,
        "change": None if s.change is None else round(s.change, 2),
        "estimated": s.estimated,
        "criteria": [
            {
                "id": c.criterion.id,
                "zh": c.criterion.zh,
                "en": c.criterion.en,
                "fraction": c.fraction,
                "weight": round(c.weight, 4),
                "points": round(c.points, 2),
                "counted": c.counted,
                "detail": c.detail,
            }
            for c in s.criteria
        ],
        "targets": [
            {
                "target_id": t.target_id,
                "indicator_id": t.indicator_id,
                "status": t.status.value,
                "points": t.points,
                "estimated": t.estimated,
            }
            for t in s.targets
        ],
        "reports": [
            {
                "period_id": r.period_id,
                "task_id": r.task_id,
                "due": r.due.isoformat(),
                "submitted": r.submitted.isoformat() if r.submitted else None,
                "accepted": r.accepted,
                "first_time": r.first_time,
                "evidence": r.evidence,
            }
            for r in s.reports
        ],
    }


def ranking_record(ranking: Ranking, plan: Plan) -> dict[str, Any]:
    """The year's scores: the scheme (version, criteria and weights) and every unit's score,
    districts then bodies, each best first."""
    scheme = ranking.scheme
    return {
        "year": ranking.year,
        "scheme": {
            "version": scheme.version,
            "edition": scheme.edition,
            "title_zh": scheme.title_zh,
            "title_en": scheme.title_en,
            "total": scheme.total,
            "criteria": [
                {
                    "id": c.id,
                    "zh": c.zh,
                    "en": c.en,
                    "weight": c.weight,
                    "rule": c.rule,
                    "basis": c.basis,
                    "basis_zh": c.basis_zh,
                }
                for c in scheme.criteria
            ],
        },
        "districts": [score_record(s, plan) for s in ranking.of("district")],
        "bodies": [score_record(s, plan) for s in ranking.of("body")],
    }
