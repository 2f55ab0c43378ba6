"""The activity grain: entity (enterprise or facility) and period (quarter or month) columns,
their validation, and duplicates judged on the whole key."""

from __future__ import annotations

import datetime as dt

import pytest

from xietong.accounting.activity import (
    COLUMNS,
    ENTITY_MAX,
    MAX_PROBLEMS,
    Activity,
    activity_record,
    iter_activity_chunks,
    parse_period,
    read_activity_rows,
)
from xietong.errors import ImportRejected
from xietong.files.activity_files import MEANING, header_cells

USCC = "91420100MA4K00001Y"  # an 18-character unified social credit code (统一社会信用代码)
HEADER = ["year", "district", "sector", "activity", "amount", "unit", "entity", "period"]


def row(**kw: object) -> list[object]:
    base: dict[str, object] = dict(
        year="2024",
        district="city",
        sector="industry",
        activity="bituminous_coal",
        amount="10",
        unit="t",
        entity="",
        period="",
    )
    base.update(kw)
    return [base[h] for h in HEADER]


def read(*rows: list[object], header: list[object] | None = None) -> list[Activity]:
    return read_activity_rows([header or HEADER, *rows], "t.csv")


def problems(*rows: list[object]) -> set[tuple[int, str]]:
    with pytest.raises(ImportRejected) as info:
        read(*rows)
    return {(p.row, p.column) for p in info.value.problems}


def test_entity_and_period_are_read() -> None:
    (act,) = read(row(entity=f"  {USCC} ", period="2024-q2"))
    assert (act.entity, act.period, act.period_label) == (USCC, "2024-Q2", "2024-Q2")
    assert act.key[-2:] == (USCC, "2024-Q2")


def test_without_the_columns_rows_are_whole_year_aggregates() -> None:
    (act,) = read_activity_rows(
        [HEADER[:6], row()[:6]],
        "t.csv",
    )
    assert (act.entity, act.period, act.period_label) == ("", "", "2024")


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("", ""),
        ("2024", ""),
        (2024, ""),
        (2024.0, ""),
        ("2024-Q1", "2024-Q1"),
        ("2024-q4", "2024-Q4"),
        ("2024-01", "2024-01"),
        ("2024-3", "2024-03"),
        ("2024-12", "2024-12"),
        (dt.date(2024, 3, 1), "2024-03"),  # a spreadsheet's date for a typed "2024-03"
        (dt.datetime(2024, 11, 1), "2024-11"),
        (None, ""),
    ],
)
def test_periods_of_the_year_are_accepted(cell: object, stored: str) -> None:
    assert parse_period(cell, 2024) == stored
    (act,) = read(row(period=cell))
    assert act.period == stored


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("2024-Q5", "not a period"),
        ("2024-Q0", "not a period"),
        ("2024-13", "month 13"),
        ("2024-00", "month 0"),
        ("Q1", "not a period"),
        ("2024/03", "not a period"),
        ("2024年3月", "not a period"),
        ("2024-03-15", "not a period"),
        (dt.date(2024, 3, 15), "a day, not a period"),
        ("2023-Q1", "not in the row's year 2024"),
        ("2025-01", "not in the row's year 2024"),
        ("2023", "not in the row's year 2024"),
        (2025, "not in the row's year 2024"),
    ],
)
def test_bad_periods_are_refused_with_a_reason(cell: object, reason: str) -> None:
    with pytest.raises(ImportRejected) as info:
        read(row(), row(entity="e", period=cell))
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (3, "period")
    assert reason in problem.reason


def test_a_bad_year_gives_one_problem_not_a_period_mismatch_too() -> None:
    assert problems(row(year="20x4", period="2024-Q1")) == {(2, "year")}


@pytest.mark.parametrize(
    ("entity", "reason"),
    [
        ("x" * (ENTITY_MAX + 1), f"at most {ENTITY_MAX}"),
        ("9142\t0100", "U+0009"),
        ("line\nbreak", "U+000A"),
        ("91420100\u200bMA4K", "U+200B"),  # a zero-width space pasted with the code
    ],
)
def test_bad_entities_are_refused(entity: str, reason: str) -> None:
    with pytest.raises(ImportRejected) as info:
        read(row(entity=entity))
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (2, "entity")
    assert reason in problem.reason


def test_entities_may_be_long_chinese_names_up_to_the_limit() -> None:
    name = "武汉钢铁有限公司　青山厂区"  # an ideographic space is printable text
    (a, b) = read(row(entity=name), row(entity="x" * ENTITY_MAX))
    assert (a.entity, b.entity) == (name, "x" * ENTITY_MAX)


def test_rows_differing_only_by_entity_or_period_are_distinct() -> None:
    acts = read(
        row(),
        row(entity=USCC),
        row(entity="91420100MA4KYYYY2Z"),
        row(entity=USCC, period="2024-Q1"),
        row(entity=USCC, period="2024-Q2"),
        row(entity=USCC, period="2024-01"),
    )
    assert len(acts) == 6
    assert len({a.key for a in acts}) == 6


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"entity": USCC, "period": "2024-Q1"}, {"entity": USCC, "period": "2024-q1"}),
        ({"entity": USCC}, {"entity": f" {USCC} "}),
        ({"period": ""}, {"period": "2024"}),  # the year itself is the whole year
        ({"period": "2024-03"}, {"period": dt.date(2024, 3, 1)}),
    ],
)
def test_duplicates_are_judged_on_the_whole_key(
    first: dict[str, object], second: dict[str, object]
) -> None:
    with pytest.raises(ImportRejected) as info:
        read(row(**first), row(entity="another"), row(**second))
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (4, "*")
    assert "duplicate of row 2" in problem.reason
    assert "entity" in problem.reason and "period" in problem.reason


@pytest.mark.parametrize(
    ("entity_header", "period_header"),
    [("主体", "期间"), ("企业", "期间"), ("统一社会信用代码", "期间"), ("Entity", "PERIOD")],
)
def test_chinese_and_english_headers(entity_header: str, period_header: str) -> None:
    header = ["年份", "区", "部门", "活动", "活动水平", "单位", entity_header, period_header]
    (act,) = read(row(entity=USCC, period="2024-Q3"), header=header)
    assert (act.entity, act.period) == (USCC, "2024-Q3")


def test_duplicates_are_found_across_chunks() -> None:
    rows = [HEADER, row(entity="a"), row(entity="b"), row(entity="c"), row(entity="a")]
    seen: list[list[Activity]] = []
    with pytest.raises(ImportRejected) as info:
        for chunk in iter_activity_chunks(rows, "t.csv", chunk_size=2):
            seen.append(chunk)
    assert [(p.row, p.column) for p in info.value.problems] == [(5, "*")]
    assert "duplicate of row 2" in info.value.problems[0].reason
    assert [len(c) for c in seen] == [2]  # the first chunk was given before the problem


def test_chunks_stop_after_a_problem_and_every_problem_is_named() -> None:
    rows = [HEADER, row(amount="x"), *(row(entity=str(i)) for i in range(10)), row(unit="km")]
    with pytest.raises(ImportRejected) as info:
        chunks = list(iter_activity_chunks(rows, "t.csv", chunk_size=3))
        assert chunks == []  # never reached
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "amount"), (13, "unit")]


def test_the_problem_list_is_capped_with_the_count() -> None:
    bad = [row(entity=str(i), amount="x") for i in range(MAX_PROBLEMS + 250)]
    with pytest.raises(ImportRejected) as info:
        read(*bad)
    listed = info.value.problems
    assert len(listed) == MAX_PROBLEMS + 1
    assert listed[MAX_PROBLEMS - 1].row == MAX_PROBLEMS + 1
    assert f"{MAX_PROBLEMS + 250} problems in all" in listed[-1].reason
    assert info.value.total == MAX_PROBLEMS + 250
    assert f"({MAX_PROBLEMS + 250} problem(s))" in str(info.value)


def test_records_end_with_entity_and_period_and_match_the_template_header() -> None:
    act = Activity(
        year=2024,
        district="city",
        sector="industry",
        activity="electricity",
        amount=5,
        unit="MWh",
        entity=USCC,
        period="2024-Q1",
    )
    record = activity_record(act)
    assert list(record) == list(COLUMNS)
    assert list(record)[-2:] == ["entity", "period"]
    assert (record["entity"], record["period"]) == (USCC, "2024-Q1")
    assert header_cells()[-2:] == ["主体 entity", "期间 period"]
    assert set(MEANING) == set(COLUMNS)
