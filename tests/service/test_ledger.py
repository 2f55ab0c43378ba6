"""The reporting cycle through the service, on SQLite and PostgreSQL: a body reports on its own
task, the bureau returns and accepts, accepted figures and milestone states enter the
indicator store, everything is audited on the task, and nobody writes what is not theirs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from xietong.accounts.roles import Principal, Role
from xietong.errors import Forbidden, ImportRejected, NotFound, ReportRefused
from xietong.plan.reporting import FigureEntry, MilestoneEntry, ReportState
from xietong.service.platform import Platform

TRANSPORT = Principal("transport-1", Role.BODY, body="transport")
REVIEWER = Principal("bureau-1", Role.REVIEWER)
REVIEWER_BODY = Principal("eitb-2", Role.BODY, body="eitb")


@pytest.fixture
def cycle(platform: Platform) -> Platform:
    platform.open_period(2025, actor="cli")
    return platform


def _task_with_target_and_milestone(p: Platform) -> tuple[str, str, str]:
    """A task of the transport body with a target and a milestone (from the ledger)."""
    for t in p.task_ledger().for_body("transport"):
        if t.targets and t.milestones and t.lead == "transport":
            return t.id, t.targets[0], t.milestones[0]
    raise AssertionError("the ledger has no transport task with a target and a milestone")


def test_a_body_reports_the_bureau_returns_then_accepts(cycle: Platform) -> None:
    p = cycle
    task_id, target_id, milestone_id = _task_with_target_and_milestone(p)
    target = p.plan().target(target_id)
    reporter = TRANSPORT
    reviewer = REVIEWER
    value = 55.0 if target.unit == "percent" else 1.0
    draft = p.save_task_report(
        "2025",
        task_id,
        "body",
        "transport",
        progress="已完成年度计划",
        figures=[FigureEntry(target_id=target_id, value=value, evidence="交通局年报")],
        milestones=[
            MilestoneEntry(milestone_id=milestone_id, state="done", date=dt.date(2025, 6, 30))
        ],
        actor=reporter,
    )
    assert (draft.state, draft.round) == (ReportState.DRAFT, 0)
    assert p.records(target_id) == []  # a draft enters nothing
    submitted = p.save_task_report(
        "2025",
        task_id,
        "body",
        "transport",
        progress="已完成年度计划",
        figures=draft.figures,
        milestones=draft.milestones,
        submit=True,
        actor=reporter,
    )
    assert (submitted.state, submitted.round) == (ReportState.SUBMITTED, 1)
    # awaiting review: the body cannot change it
    with pytest.raises(ReportRefused):
        p.save_task_report("2025", task_id, "body", "transport", actor=reporter)
    # a return needs a comment
    with pytest.raises(ReportRefused):
        p.review_task_report("2025", task_id, "body", "transport", accept=False, actor=reviewer)
    returned = p.review_task_report(
        "2025",
        task_id,
        "body",
        "transport",
        accept=False,
        comment="请补充佐证材料",
        actor=reviewer,
    )
    assert (returned.state, returned.comment) == (ReportState.RETURNED, "请补充佐证材料")
    assert p.records(target_id) == []
    again = p.save_task_report(
        "2025",
        task_id,
        "body",
        "transport",
        progress="已完成年度计划(补充材料)",
        figures=draft.figures,
        milestones=draft.milestones,
        submit=True,
        actor=reporter,
    )
    assert (again.state, again.round) == (ReportState.SUBMITTED, 2)
    accepted = p.review_task_report(
        "2025", task_id, "body", "transport", accept=True, actor=reviewer
    )
    assert accepted.state is ReportState.ACCEPTED
    # the accepted figure and milestone state entered the store, as the body's
    (record,) = [r for r in p.records(target_id) if r.period_end == dt.date(2025, 12, 31)]
    assert (record.value, record.reported_by) == (value, "transport")
    assert any(
        m.milestone_id == milestone_id and m.reported_by == "transport"
        for m in p.milestone_reports()
    )
    # the history of the task, newest first, with who, old and new state and the comment
    history = p.history([f"task:{task_id}"])
    assert [(h["action"], h["detail"]["from"], h["detail"]["to"]) for h in history] == [
        ("task.accept", "submitted", "accepted"),
        ("task.submit", "returned", "submitted"),
        ("task.return", "submitted", "returned"),
        ("task.submit", "draft", "submitted"),
        ("task.save", None, "draft"),
    ]
    assert history[2]["detail"]["comment"] == "请补充佐证材料"
    assert history[0]["actor"] == "bureau-1" and history[1]["actor"] == "transport-1"
    # nothing more after acceptance
    with pytest.raises(ReportRefused):
        p.save_task_report("2025", task_id, "body", "transport", actor=reporter)


def test_an_overall_goal_is_reported_and_accepted_through_its_goal_task(cycle: Platform) -> None:
    """A target of the plan's overall goals (no measure) goes through the cycle too: the
    Development and Reform Commission, which cooperates on the 2025 goals, reports CO2
    intensity; the bureau accepts; the figure enters the store as the commission's (beside the
    inventory's value, which defines the indicator: one truth per indicator)."""
    p = cycle
    drc = Principal("drc-1", Role.BODY, body="drc")
    assert "g-2025" in {t.id for t in p.tasks_for(drc)}
    p.save_task_report(
        "2025",
        "g-2025",
        "body",
        "drc",
        progress="单位GDP二氧化碳排放持续下降",
        figures=[FigureEntry(target_id="co2-intensity-2025", value=0.6, evidence="统计公报")],
        submit=True,
        actor=drc,
    )
    assert p.records("co2-intensity-2025", comparisons=True) == []
    p.review_task_report("2025", "g-2025", "body", "drc", accept=True, actor=REVIEWER)
    (record,) = p.records("co2-intensity-2025", comparisons=True)
    assert (record.value, record.reported_by) == (0.6, "drc")
    # a body that is on neither goal task reports on neither
    with pytest.raises((Forbidden, NotFound)):
        p.save_task_report("2025", "g-2025", "body", "transport", actor=TRANSPORT)


def test_nobody_writes_what_is_not_theirs(cycle: Platform) -> None:
    p = cycle
    task_id, target_id, _ = _task_with_target_and_milestone(p)
    other_body = Principal("eitb-1", Role.BODY, body="eitb")
    viewer = Principal("viewer-1", Role.VIEWER)
    district = Principal("jiangan-1", Role.DISTRICT, district="jiang_an")
    for who in (other_body, viewer, district):
        with pytest.raises(Forbidden):
            p.save_task_report("2025", task_id, "body", "transport", actor=who)
    reporter = TRANSPORT
    with pytest.raises(Forbidden):
        p.review_task_report("2025", task_id, "body", "transport", accept=True, actor=reporter)
    with pytest.raises(Forbidden):
        p.open_period(2026, actor=reporter)
    # a unit that owes no report on the task
    with pytest.raises(NotFound):
        p.save_task_report("2025", task_id, "body", "justice", actor="cli")
    # a district reports its own figures only
    with pytest.raises(ImportRejected, match="本区"):
        p.save_task_report(
            "2025",
            task_id,
            "district",
            "jiang_an",
            figures=[FigureEntry(target_id=target_id, value=50.0, district="wuchang")],
            actor=district,
        )


def test_bad_figures_are_refused_with_the_entry_named_and_nothing_saved(cycle: Platform) -> None:
    p = cycle
    task_id, target_id, _ = _task_with_target_and_milestone(p)
    reporter = TRANSPORT
    with pytest.raises(ImportRejected) as found:
        p.save_task_report(
            "2025",
            task_id,
            "body",
            "transport",
            figures=[
                FigureEntry(target_id=target_id, value=50.0),
                FigureEntry(target_id="coal-share-2025", value=20.0),
            ],
            actor=reporter,
        )
    assert "row 3" in str(found.value) and "coal-share-2025" in str(found.value)
    assert p.task_report("2025", task_id, "body", "transport") is None


def test_periods_open_once_close_and_count_the_overdue(cycle: Platform) -> None:
    p = cycle
    with pytest.raises(ReportRefused):
        p.open_period(2025, actor="cli")
    (period,) = p.periods()
    assert period.id == "2025" and period.is_open
    task_id, _, _ = _task_with_target_and_milestone(p)
    p.save_task_report("2025", task_id, "body", "transport", submit=True, actor="cli")
    summary = {(u.unit_kind, u.unit): u for u in p.reporting_summary("2025", today=period.due)}
    transport = summary[("body", "transport")]
    assert transport.submitted == 1 and transport.overdue == 0
    assert transport.owed == len(p.task_ledger().for_body("transport"))
    late = p.overdue_reports("2025", today=period.due + dt.timedelta(days=1))
    assert late and all(s.state is not ReportState.SUBMITTED for s in late)
    assert (task_id, "body", "transport") not in {
        (s.obligation.task_id, s.obligation.unit_kind, s.obligation.unit) for s in late
    }
    p.close_period("2025", actor="cli")
    with pytest.raises(ReportRefused, match="报送期"):
        p.save_task_report("2025", task_id, "district", "jiang_an", actor="cli")
    assert [h["action"] for h in p.history(["period:2025"])] == ["period.close", "period.open"]


def test_the_tasks_an_account_sees(platform: Platform) -> None:
    p = platform
    transport = p.tasks_for(TRANSPORT)
    assert transport and all(t.involves("transport") for t in transport)
    wuchang = p.tasks_for(Principal("wc", Role.DISTRICT, district="wuchang"))
    assert "m01-8" in {t.id for t in wuchang}
    hongshan = p.tasks_for(Principal("hs", Role.DISTRICT, district="hongshan"))
    assert "m01-8" not in {t.id for t in hongshan}
    assert len(p.tasks_for("cli")) == 152


PDF = b"%PDF-1.7\n%%EOF\n"


def test_evidence_files_all_or_nothing_and_only_while_editable(
    cycle: Platform, tmp_path: Path
) -> None:
    p = cycle
    p.attachments_dir = tmp_path / "files"
    task_id, _, _ = _task_with_target_and_milestone(p)
    # one bad file refuses them all, and the report is not saved
    with pytest.raises(ReportRefused, match="不符"):
        p.save_task_report(
            "2025",
            task_id,
            "body",
            "transport",
            progress="x",
            files=[("ok.pdf", PDF), ("fake.pdf", b"MZ")],
            actor=TRANSPORT,
        )
    assert p.task_report("2025", task_id, "body", "transport") is None
    report = p.save_task_report(
        "2025", task_id, "body", "transport", files=[("证明.pdf", PDF)], actor=TRANSPORT
    )
    (kept,) = p.attachments([report])[report.id or 0]
    meta, data = p.attachment(kept.id)
    assert (meta.filename, data) == ("证明.pdf", PDF)
    more = p.add_attachments(
        "2025", task_id, "body", "transport", [("表.csv", b"a,b\n")], actor=TRANSPORT
    )
    assert [a.filename for a in more] == ["表.csv"]
    with pytest.raises(Forbidden):
        p.add_attachments(
            "2025", task_id, "body", "transport", [("x.pdf", PDF)], actor=REVIEWER_BODY
        )
    p.remove_attachment(more[0].id, actor=TRANSPORT)
    p.save_task_report("2025", task_id, "body", "transport", submit=True, actor=TRANSPORT)
    # submitted: no more files, none removed
    with pytest.raises(ReportRefused):
        p.add_attachments(
            "2025", task_id, "body", "transport", [("late.pdf", PDF)], actor=TRANSPORT
        )
    with pytest.raises(ReportRefused):
        p.remove_attachment(kept.id, actor=TRANSPORT)
    actions = [h["action"] for h in p.history([f"task:{task_id}"])]
    assert actions == ["task.submit", "task.detach", "task.save", "task.save"]
    files = [h["detail"]["files"] for h in p.history([f"task:{task_id}"])]
    assert files[2][0]["filename"] == "表.csv" and files[3][0]["filename"] == "证明.pdf"


def test_the_demo_opens_this_years_period_once(demo_platform: Platform) -> None:
    (period,) = demo_platform.periods()
    assert period.id == str(dt.date.today().year) and period.is_open
    assert demo_platform.init()["reporting_period"] is None  # not opened twice
    assert len(demo_platform.periods()) == 1


def test_reminders_go_to_the_units_that_are_late(cycle: Platform) -> None:
    p = cycle
    period = p.period("2025")
    late_day = period.due + dt.timedelta(days=1)
    task_id, _, _ = _task_with_target_and_milestone(p)
    p.save_task_report("2025", task_id, "body", "transport", submit=True, actor="cli")
    with pytest.raises(Forbidden):
        p.send_reminders("2025", actor=TRANSPORT)
    sent = p.send_reminders("2025", today=late_day, actor=REVIEWER)
    units = {(r.unit_kind, r.unit): r for r in sent}
    late = {
        (s.obligation.unit_kind, s.obligation.unit)
        for s in p.overdue_reports("2025", today=late_day)
    }
    assert set(units) == late
    transport = units[("body", "transport")]
    assert transport.overdue == len(p.owed_tasks("body", "transport")) - 1
    assert "考核" in transport.message
    one = p.send_reminders(
        "2025", units=[("district", "wuchang")], message="请尽快填报", actor=REVIEWER
    )
    assert [(r.unit, r.message) for r in one] == [("wuchang", "请尽快填报")]
    assert p.reminders(units=[("district", "wuchang")])[0].message == "请尽快填报"
    assert p.history(["period:2025"])[0]["action"] == "period.remind"


def test_the_ledger_and_search_index_do_not_push_out_the_kept_derived_values(
    scenario_platform: Platform,
) -> None:
    p = scenario_platform
    p.warm_derived()
    kept = list(p._derived)
    assert len(kept) >= 4
    p.task_ledger()
    p.search("交通")
    assert list(p._derived) == kept
