"""The year's report to the city's eco-environment committee (二十四): the state of every
target and measure on 31 December, what each body and district delivered in the task ledger,
the inventory and the synergy degree, the risks and next year's priorities — one record, from
the same service calls the pages and the API use, written to Word and PDF by
:mod:`xietong.files.annual_report_document`.

Every figure in the record comes with the quality it rests on; a target judged on an estimate
or a demo figure carries ``estimated`` (the documents mark it ※ and say why in a footnote).
The record states the date the data run to and the data version
(:meth:`AssessmentService.assessment_meta`), so the same data give the same record.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from xietong.accounting.activity import sectors
from xietong.accounting.factors import load_gwp
from xietong.accounts.roles import Action
from xietong.errors import NotFound, XietongError
from xietong.plan.milestones import STATE_ZH, MeasureStatus, MilestoneState
from xietong.plan.models import Plan, Target
from xietong.plan.progress import STATUS_ZH, Assessment, Status
from xietong.service.accounts import Actor
from xietong.service.assessment import AssessmentService
from xietong.service.assessment_views import unit_name
from xietong.service.inventory_views import rollup_records, year_totals
from xietong.service.synergy_views import SYNERGY_INDICATOR, series_records

GWP = "AR5"
"""The GWP set of the CO2e figures (the inventory page's default)."""
RISK_STATUSES = (Status.AT_RISK, Status.OFF_TRACK, Status.MISSED)
"""Target statuses the report lists as risks."""
DELIVERY_COUNTS = ("owed", "accepted", "submitted", "returned", "not_started", "draft", "overdue")
"""What the delivery table counts for each unit (reports of the year's periods)."""


def _target_record(t: Target, a: Assessment | None) -> dict[str, Any]:
    status = a.status if a is not None else Status.NO_DATA
    unit = t.unit_text("zh")
    return {
        "id": t.id,
        "measure": t.measure,
        "indicator_id": t.indicator_id,
        "indicator_zh": t.indicator.zh,
        "unit_zh": unit,
        "direction": t.direction.value,
        "goal": t.goal,
        "deadline": t.deadline.isoformat(),
        "baseline": None if t.baseline is None else t.baseline.value,
        "baseline_year": None if t.baseline is None else t.baseline.year,
        "latest_value": None if a is None else a.latest_value,
        "latest_period": None
        if a is None or a.latest_period is None
        else a.latest_period.isoformat(),
        "status": status.value,
        "status_zh": STATUS_ZH[status.value],
        "quality": None if a is None or a.quality is None else a.quality.value,
        "estimated": a is not None and a.on_estimate,
        "reason_zh": "" if a is None else (a.reason_zh or a.reason),
    }


def _delivery(p: AssessmentService, year: int, today: dt.date) -> dict[str, Any]:
    """Reports owed in the periods ending in ``year``, per body and district, in each state."""
    plan = p.plan()
    periods = [q for q in p.periods() if q.end.year == year]
    totals: dict[tuple[str, str], Counter[str]] = {}
    for period in periods:
        for u in p.reporting_summary(period.id, today=today):
            c = totals.setdefault((u.unit_kind, u.unit), Counter())
            for key in DELIVERY_COUNTS:
                c[key] += getattr(u, key)
    units = [
        {
            "kind": kind,
            "code": code,
            "name_zh": unit_name(plan, kind, code),
            **{k: c[k] for k in DELIVERY_COUNTS},
        }
        for (kind, code), c in totals.items()
    ]
    whole = Counter[str]()
    for c in totals.values():
        whole.update(c)
    return {
        "periods": [q.id for q in periods],
        "units": units,
        "totals": {k: whole[k] for k in DELIVERY_COUNTS},
    }


def _inventory(p: AssessmentService, year: int) -> dict[str, Any]:
    """Totals by year up to ``year`` (the inventory page's figures) and CO2e by sector."""
    try:
        inv = p.inventory()
    except XietongError as e:
        return {"available": False, "reason": str(e)}
    gwp = load_gwp(GWP)
    years = [y for y in inv.years if y <= year]
    if not years:
        return {"available": False, "reason": f"清单无{year}年及以前的数据"}
    totals = [t for t in year_totals(inv, gwp) if t["year"] in years]
    names = {s.code: s.zh for s in sectors().values()}
    by_sector: dict[str, dict[int, float]] = {}
    for r in rollup_records(inv, "sector", gwp=gwp):
        if r["year"] in years:
            by_sector.setdefault(r["key"], {})[r["year"]] = r["value"]
    return {
        "available": True,
        "gwp": GWP,
        "years": years,
        "year": years[-1],
        "totals": totals,
        "by_sector": [
            {"sector": k, "name_zh": names.get(k, k), "values": [v.get(y, 0.0) for y in years]}
            for k, v in sorted(by_sector.items())
        ],
    }


def _synergy(p: AssessmentService, year: int) -> dict[str, Any]:
    """The synergy degree by year up to ``year`` (expert weights, the synergy page's default)."""
    try:
        frame = p.synergy()
    except XietongError as e:
        return {"available": False, "reason": str(e)}
    series = [
        {k: r[k] for k in ("year", "d", "grade_zh", "consistent", "flag_zh", "complete")}
        for r in series_records(frame)
        if r["year"] <= year
    ]
    if not series:
        return {"available": False, "reason": f"协同度无{year}年及以前的数据"}
    return {"available": True, "series": series}


def _risks(
    targets: list[dict[str, Any]],
    measures: list[dict[str, Any]],
    delivery: dict[str, Any],
    synergy: dict[str, Any],
) -> list[dict[str, str]]:
    """What the committee should know may go wrong: targets at risk, off track or missed,
    measures behind schedule, units with overdue reports, years graded without consistency."""
    risks = [
        {
            "kind": "target",
            "text": f"{t['indicator_zh']}（{t['id']}）{t['status_zh']}：{t['reason_zh']}",
        }
        for t in targets
        if t["status"] in {s.value for s in RISK_STATUSES}
    ]
    risks += [
        {"kind": "measure", "text": f"第{m['number']}项措施「{m['title_zh']}」进度滞后"}
        for m in measures
        if m["state"] == MilestoneState.LATE.value
    ]
    risks += [
        {"kind": "report", "text": f"{u['name_zh']}有{u['overdue']}份任务报告逾期未报送"}
        for u in delivery["units"]
        if u["overdue"]
    ]
    if synergy.get("available"):
        risks += [
            {"kind": "synergy", "text": f"{s['year']}年协同度：{s['flag_zh']}"}
            for s in synergy["series"][-1:]
            if not s["consistent"]
        ]
    return risks


def _priorities(
    plan: Plan, year: int, targets: list[dict[str, Any]], states: Mapping[int, MeasureStatus]
) -> list[dict[str, str]]:
    """Next year's priorities: targets due by the end of next year and not achieved, other
    targets behind, and the milestones due next year not done."""
    nxt = year + 1
    out: list[dict[str, str]] = []
    for t in targets:
        due = int(t["deadline"][:4])
        if t["status"] == Status.ACHIEVED.value or due < nxt:
            continue
        goal = "" if t["goal"] is None else f"，目标{t['goal']:g}{t['unit_zh']}"
        if due == nxt:
            out.append(
                {
                    "kind": "due",
                    "text": f"{t['indicator_zh']}：{t['deadline']}到期{goal}，当前{t['status_zh']}",
                }
            )
        elif t["status"] in {s.value for s in RISK_STATUSES}:
            out.append(
                {
                    "kind": "behind",
                    "text": f"{t['indicator_zh']}：{t['status_zh']}{goal}（期限{t['deadline']}）",
                }
            )
    for number, ms in sorted(states.items()):
        m = plan.measure(number)
        texts = {x.id: x.text.zh for x in m.milestones}
        for s in ms.milestones:
            if s.due.year == nxt and s.state is not MilestoneState.DONE:
                out.append(
                    {
                        "kind": "milestone",
                        "text": f"第{number}项措施：{texts.get(s.milestone_id, s.milestone_id)}"
                        f"（{s.due.isoformat()}前）",
                    }
                )
    return out


def annual_report_record(
    p: AssessmentService, year: int, *, actor: Actor, today: dt.date | None = None
) -> dict[str, Any]:
    """The report to the committee on ``year`` as a plain record: targets judged on 31
    December, or on ``today`` (default: today) while the year runs (``docs/methods/status.md``),
    measures' states on that day, the task reports of the periods ending in the year (overdue
    counted on ``today``), the
    inventory (t, t CO2e under AR5) and the synergy degree up to the year, risks and next
    year's priorities, with the data's date and version. The bureau only (the committee's
    documents: :attr:`Action.READ_ASSESSMENT`)."""
    p.authorize(actor, Action.READ_ASSESSMENT)
    plan = p.plan()
    now = today or dt.date.today()
    if year > now.year:
        raise NotFound(f"{year}年尚未开始，无年度报告 · no report on {year}: it has not begun")
    day = min(dt.date(year, 12, 31), now)
    judged = p.assessments(day)
    targets = [_target_record(t, judged.get(t.id)) for t in plan.targets]
    states = p.measure_statuses(day)
    measures = []
    for m in plan.measures:
        s = states.get(m.number)
        state = s.state if s is not None else MilestoneState.NOT_STARTED
        measures.append(
            {
                "number": m.number,
                "title_zh": m.title.zh,
                "lead_zh": plan.body(m.lead).name.zh if m.lead else "",
                "state": state.value,
                "state_zh": STATE_ZH[state],
                "estimated": s is not None and s.on_estimate,
                "milestones": len(m.milestones),
                "milestones_done": sum(
                    1 for x in (s.milestones if s else []) if x.state is MilestoneState.DONE
                ),
            }
        )
    delivery = _delivery(p, year, now)
    synergy = _synergy(p, year)
    synergy_target = next((t for t in targets if t["indicator_id"] == SYNERGY_INDICATOR), None)
    return {
        "year": year,
        "city_zh": plan.city.zh,
        "plan_zh": plan.title.zh,
        "document_number": plan.document_number,
        "status_day": day.isoformat(),
        "meta": p.assessment_meta(),
        "targets": targets,
        "target_counts": dict(Counter(t["status"] for t in targets)),
        "measures": measures,
        "measure_counts": dict(Counter(m["state"] for m in measures)),
        "delivery": delivery,
        "inventory": _inventory(p, year),
        "synergy": synergy,
        "synergy_target": synergy_target,
        "risks": _risks(targets, measures, delivery, synergy),
        "priorities": _priorities(plan, year, targets, states),
        "estimated": any(t["estimated"] for t in targets) or any(m["estimated"] for m in measures),
    }
