"""One read request sees one revision of the figures, read once from the database."""

from __future__ import annotations

from sqlalchemy import event

from xietong.service.base import pinned_revision
from xietong.service.platform import Platform


def _counting(p: Platform) -> list[str]:
    statements: list[str] = []
    event.listen(
        p.engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *rest: statements.append(statement),
    )
    return statements


def test_a_pinned_block_reads_the_revision_once(platform: Platform) -> None:
    statements = _counting(platform)
    with pinned_revision():
        first = platform.revision()
        platform.records()
        platform.assessments()
        assert platform.revision() == first
    assert sum("max(audit_log.id)" in s for s in statements) == 1


def test_outside_a_pinned_block_a_write_is_seen_at_once(platform: Platform) -> None:
    before = platform.revision()
    platform.import_rows(
        ["target_id", "period", "value", "unit"],
        [["new-energy-bus-share", 2024, 42.0, "percent"]],
        source="r.csv",
        actor="cli",
    )
    assert platform.revision() != before
    assert [r.value for r in platform.records("new-energy-bus-share")] == [42.0]


def test_each_pinned_block_reads_afresh(platform: Platform) -> None:
    with pinned_revision():
        before = platform.revision()
    platform.import_rows(
        ["target_id", "period", "value", "unit"],
        [["new-energy-bus-share", 2024, 43.0, "percent"]],
        source="r.csv",
        actor="cli",
    )
    with pinned_revision():
        assert platform.revision() != before


def test_what_changes_no_figure_leaves_the_data_version(platform: Platform) -> None:
    """Public feedback, its triage and a refusal are audited but change no figure: the data
    version (and the views kept at it) stay; an import changes it."""
    import pytest

    from tests.service.test_feedback import GOOD, REVIEWER
    from xietong.accounts.roles import Action, Principal, Role
    from xietong.errors import Forbidden

    before = platform.data_revision()
    receipt = platform.submit_feedback(GOOD, client="203.0.113.9")
    platform.triage_feedback(receipt, status="in_progress", actor=REVIEWER)
    with pytest.raises(Forbidden):
        platform.authorize(Principal("v", Role.VIEWER), Action.READ_ASSESSMENT)
    assert platform.data_revision() == before
    platform.import_rows(
        ["target_id", "period", "value", "unit"],
        [["new-energy-bus-share", 2024, 42.0, "percent"]],
        source="r.csv",
        actor="cli",
    )
    assert platform.data_revision() != before
