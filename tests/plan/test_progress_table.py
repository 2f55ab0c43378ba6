"""Validating tables of progress figures (rows of a spreadsheet) into records, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from xietong.errors import ImportRejected, RowProblem
from xietong.plan.models import Plan
from xietong.plan.progress import ProgressRecord
from xietong.plan.progress_table import map_header, parse_period, parse_rows

EN = ["target_id", "period", "value", "unit", "district", "reported_by", "evidence"]
ZH = ["目标编号", "期间", "数值", "单位", "区", "报送单位", "佐证材料"]


def parse(
    plan: Plan, header: list[object], rows: list[list[object]], **kw: object
) -> list[ProgressRecord]:
    return parse_rows(plan, header, rows, source="progress.xlsx", **kw)  # type: ignore[arg-type]


def rejected(
    plan: Plan, header: list[object], rows: list[list[object]], **kw: object
) -> ImportRejected:
    with pytest.raises(ImportRejected) as info:
        parse(plan, header, rows, **kw)
    return info.value


def triples(exc: ImportRejected) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in exc.problems]


# -- headers ----------------------------------------------------------------------------------


def test_english_headers(plan: Plan) -> None:
    rows: list[list[object]] = [
        ["coal-share-2025", 2024, 29.9, "", "", "drc", " 统计公报 "],
        ["natural-gas-2025", "2024-06-30", "38.5", "yi * m**3", "", "", ""],
    ]
    records = parse(plan, list(EN), rows, reported_on=dt.date(2025, 1, 2))
    assert records == [
        ProgressRecord(
            target_id="coal-share-2025",
            period_end=dt.date(2024, 12, 31),
            value=29.9,
            reported_by="drc",
            evidence="统计公报",
            reported_on=dt.date(2025, 1, 2),
        ),
        ProgressRecord(
            target_id="natural-gas-2025",
            period_end=dt.date(2024, 6, 30),
            value=38.5,
            reported_on=dt.date(2025, 1, 2),
        ),
    ]


def test_chinese_headers(plan: Plan) -> None:
    rows: list[list[object]] = [
        ["afforestation-2025", "2023年", "6.4", "", "黄陂区", "市园林林业局", "年度报告"]
    ]
    (r,) = parse(plan, list(ZH), rows)
    assert r.target_id == "afforestation-2025"
    assert r.period_end == dt.date(2023, 12, 31)
    assert r.value == 6.4
    assert r.district == "huangpi"
    assert r.reported_by == "forestry"
    assert r.evidence == "年度报告"
    assert r.demo is False


def test_header_aliases_case_spaces_and_order(plan: Plan) -> None:
    header: list[object] = [" 说明 ", "VALUE", "extra column", "Year", "Target", "行政区", "body"]
    rows: list[list[object]] = [
        ["note", 12, "ignored", 2024, "slow-traffic-146km", "武昌区", "transport"]
    ]
    (r,) = parse(plan, header, rows)
    assert (r.target_id, r.period_end, r.value) == (
        "slow-traffic-146km",
        dt.date(2024, 12, 31),
        12.0,
    )
    assert (r.district, r.reported_by, r.evidence) == ("wuchang", "transport", "note")


def test_map_header_takes_the_first_of_two_alias_columns() -> None:
    assert map_header(["目标", "target_id", "值", None]) == {"target_id": 0, "value": 2}


def test_demo_flag_is_passed_on(plan: Plan) -> None:
    (r,) = parse(plan, list(EN[:3]), [["coal-share-2025", 2023, 30.5]], demo=True)
    assert r.demo is True


# -- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (2024, dt.date(2024, 12, 31)),
        (2024.0, dt.date(2024, 12, 31)),  # a year cell Excel stored as a float
        ("2024", dt.date(2024, 12, 31)),
        (" 2024 ", dt.date(2024, 12, 31)),
        ("2024年", dt.date(2024, 12, 31)),
        ("2024-06-30", dt.date(2024, 6, 30)),
        ("2024-06-30 00:00:00", dt.date(2024, 6, 30)),
        (dt.date(2024, 3, 31), dt.date(2024, 3, 31)),
        (dt.datetime(2024, 9, 30, 0, 0), dt.date(2024, 9, 30)),
    ],
)
def test_parse_period(cell: object, expected: dt.date) -> None:
    assert parse_period(cell) == expected


@pytest.mark.parametrize(
    "cell", [True, "last year", "2024/06/30", 1850, 2101, "2101", "24", 2024.5]
)
def test_parse_period_refuses(cell: object) -> None:
    with pytest.raises(ValueError):
        parse_period(cell)


# -- values and units -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "cell", "expected"),
    [
        ("coal-share-2025", 30, 30.0),
        ("coal-share-2025", 30.5, 30.5),
        ("coal-share-2025", "30.5", 30.5),
        ("natural-gas-2025", "1,234.5", 1234.5),
        ("natural-gas-2025", "1，234", 1234.0),
        ("coal-share-2025", "29.9%", 29.9),
        ("coal-share-2025", " 7 ", 7.0),
    ],
)
def test_values(plan: Plan, target: str, cell: object, expected: float) -> None:
    (r,) = parse(plan, list(EN[:3]), [[target, 2024, cell]])
    assert r.value == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    ("target", "cell", "reason"),
    [
        ("coal-share-2025", "29,5", "decimal point"),  # never read as 295
        ("coal-share-2025", "1,23", "decimal point"),
        ("coal-share-2025", "-500", "outside 0–100"),
        ("coal-share-2025", "250%", "outside 0–100"),
        ("natural-gas-2025", "-3", "negative"),
        ("natural-gas-2025", "1e308", "finite number"),
        ("natural-gas-2025", "inf", "finite number"),
    ],
)
def test_implausible_values_are_refused_with_the_row(
    plan: Plan, target: str, cell: object, reason: str
) -> None:
    with pytest.raises(ImportRejected) as info:
        parse(plan, list(EN[:3]), [[target, 2024, cell]])
    (problem,) = info.value.problems
    assert problem.column == "value" and problem.row == 2 and reason in problem.reason


@pytest.mark.parametrize(
    "cell", ["2024-06-30 garbage", "2024-06-30x", "0001-12-31", "9999-12-31", "2024-13-01"]
)
def test_strict_dates(cell: str) -> None:
    with pytest.raises(ValueError):
        parse_period(cell)


def test_a_date_with_its_time_of_day_is_the_date() -> None:
    assert parse_period("2024-06-30 00:00:00") == parse_period("2024-06-30")


@pytest.mark.parametrize(
    ("target_id", "value", "unit", "expected"),
    [
        # 4 billion m³ = 4e9 m³ = 4e9 / 1e8 = 40 亿 m³
        ("natural-gas-2025", 4, "billion_m3", 40.0),
        ("natural-gas-2025", 4.2e9, "m**3", 42.0),  # 4.2e9 / 1e8 = 42
        ("natural-gas-2025", 41, "亿 * m**3", 41.0),
        # 1000 ha = 1e7 m² = 1e7 / (10000/15) mu = 15,000 mu = 1.5 万亩
        ("afforestation-2025", 1000, "hectare", 1.5),
        ("afforestation-2025", 25_000, "mu", 2.5),  # 25,000 mu / 1e4 = 2.5 万亩
        ("sludge-capacity-600", 25, "t / hour", 600.0),  # 25 t/h × 24 h = 600 t/day
        ("coal-share-2025", 0.299, "dimensionless", 29.9),  # 0.299 × 100 = 29.9 %
        ("slow-traffic-146km", 73_000, "m", 73.0),  # 73,000 m / 1000 = 73 km
    ],
)
def test_unit_conversion(
    plan: Plan, target_id: str, value: float, unit: str, expected: float
) -> None:
    (r,) = parse(plan, ["target_id", "period", "value", "unit"], [[target_id, 2024, value, unit]])
    assert r.value == pytest.approx(expected, rel=1e-12)


def test_blank_unit_means_the_target_unit(plan: Plan) -> None:
    (r,) = parse(plan, ["目标编号", "期间", "数值", "单位"], [["natural-gas-2025", 2024, 38, " "]])
    assert r.value == 38.0


# -- districts and bodies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("wuchang", "wuchang"),
        ("武昌区", "wuchang"),
        ("Wuchang District", "wuchang"),
        (" 东湖新技术开发区 ", "ehdz"),
        ("", None),
        (None, None),
    ],
)
def test_district_by_code_or_name(plan: Plan, cell: object, code: str | None) -> None:
    (r,) = parse(
        plan, ["target_id", "period", "value", "district"], [["coal-share-2025", 2024, 30, cell]]
    )
    assert r.district == code


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("eeb", "eeb"),
        ("市生态环境局", "eeb"),
        ("Transport", "transport"),
        ("人行武汉分行营管部", "pbc_wuhan"),
    ],
)
def test_body_by_code_or_name(plan: Plan, cell: str, code: str) -> None:
    (r,) = parse(
        plan, ["target_id", "period", "value", "报送单位"], [["coal-share-2025", 2024, 30, cell]]
    )
    assert r.reported_by == code


def test_same_target_and_period_in_different_districts_is_fine(plan: Plan) -> None:
    rows: list[list[object]] = [
        ["coal-share-2025", 2024, 30, ""],
        ["coal-share-2025", 2024, 31, "wuchang"],
        ["coal-share-2025", 2024, 32, "hongshan"],
        ["coal-share-2025", 2023, 33, "hongshan"],
    ]
    records = parse(plan, ["target_id", "period", "value", "district"], rows)
    assert [(r.district, r.value) for r in records] == [
        (None, 30),
        ("wuchang", 31),
        ("hongshan", 32),
        ("hongshan", 33),
    ]


def test_blank_rows_are_skipped_but_keep_their_row_numbers(plan: Plan) -> None:
    rows: list[list[object]] = [
        ["coal-share-2025", 2023, 30.5],
        [None, "", None],
        [],
        ["no-such-target", 2024, 1],
    ]
    exc = rejected(plan, list(EN[:3]), rows)
    # data rows start at spreadsheet row 2: the bad row is the 4th data row → row 5
    assert triples(exc) == [(5, "target_id")]


# -- rejected files ---------------------------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_returned(plan: Plan) -> None:
    header: list[object] = ["target_id", "period", "value", "unit", "district", "reported_by"]
    rows: list[list[object]] = [
        ["coal-share-2025", 2023, 30.5, "", "", "eeb"],  # row 2: good
        ["coal-share-2099", 2024, 29.0, "", "", ""],  # row 3: unknown target
        ["coal-share-2025", "someday", 29.0, "", "", ""],  # row 4: bad period
        ["coal-share-2025", 2024, "about 29", "", "", ""],  # row 5: not a number
        ["natural-gas-2025", 2024, 4.0, "t", "", ""],  # row 6: mass for a volume
        ["coal-share-2025", 2024, 29.0, "", "Gotham", ""],  # row 7: unknown district
        ["coal-share-2025", 2023, 30.1, "", "", ""],  # row 8: duplicate of row 2
        ["natural-gas-2025", 2024, 4.0, "billion_m3", "", ""],  # row 9: good
        ["coal-share-2025", 2024, 29.0, "", "", "市魔法部"],  # row 10: unknown body
        ["", 2024, 1.0, "", "", ""],  # row 11: empty target
        ["coal-share-2025", "", None, "", "", ""],  # row 12: empty period and value
        ["natural-gas-2025", 2024, 4.0, "furlongz", "", ""],  # row 13: unknown unit
    ]
    exc = rejected(plan, header, rows)
    assert triples(exc) == [
        (3, "target_id"),
        (4, "period"),
        (5, "value"),
        (6, "unit"),
        (7, "district"),
        (8, "period"),
        (10, "reported_by"),
        (11, "target_id"),
        (12, "period"),
        (12, "value"),
        (13, "unit"),
    ]
    reasons = {(p.row, p.column): p.reason for p in exc.problems}
    assert reasons[(3, "target_id")] == (
        "方案 wuhan-2023 中没有目标 'coal-share-2099' / no target 'coal-share-2099' in plan "
        "'wuhan-2023'"
    )
    assert "is not a year (2024) or a date (2024-06-30)" in reasons[(4, "period")]
    assert reasons[(4, "period")].startswith("'someday' 不是年份")
    assert reasons[(5, "value")] == "'about 29' 不是数值 / is not a number"
    assert "different dimensions" in reasons[(6, "unit")]
    assert "target unit: yi * m ** 3" in reasons[(6, "unit")]
    assert reasons[(7, "district")] == "没有区 'Gotham' / no district 'Gotham'"
    assert reasons[(8, "period")].startswith("与第 2 行重复")
    assert reasons[(10, "reported_by")] == "没有单位 '市魔法部' / no body '市魔法部'"
    assert reasons[(11, "target_id")] == "为空 / empty"
    assert reasons[(12, "period")] == reasons[(12, "value")] == "为空 / empty"
    assert "unknown unit 'furlongz'" in reasons[(13, "unit")]
    assert exc.source == "progress.xlsx"
    message = str(exc)
    assert message.startswith("progress.xlsx: import rejected, nothing was written (11 problem(s))")
    assert "row 6, column 'unit':" in message


def test_one_row_can_have_several_problems(plan: Plan) -> None:
    exc = rejected(plan, list(EN), [["nope", "soon", "many", "", "Gotham", "nobody", ""]])
    assert triples(exc) == [
        (2, "target_id"),
        (2, "period"),
        (2, "value"),
        (2, "district"),
        (2, "reported_by"),
    ]


def test_duplicate_found_through_different_spellings(plan: Plan) -> None:
    # "武昌区" and "wuchang" are one district; "2024" and 2024-12-31 are one period
    rows: list[list[object]] = [
        ["coal-share-2025", "2024", 30, "武昌区"],
        ["coal-share-2025", dt.date(2024, 12, 31), 31, "wuchang"],
    ]
    exc = rejected(plan, ["target_id", "period", "value", "district"], rows)
    assert triples(exc) == [(3, "period")]
    assert "duplicate of row 2 (same target, district and period)" in exc.problems[0].reason


def test_row_numbers_follow_first_row(plan: Plan) -> None:
    rows: list[list[object]] = [["coal-share-2025", 2024, 30], ["x", 2024, 1]]
    exc = rejected(plan, list(EN[:3]), rows, first_row=5)
    assert triples(exc) == [(6, "target_id")]


def test_every_one_of_many_bad_rows_is_kept(plan: Plan) -> None:
    rows: list[list[object]] = [[f"bad-{i}", 2024, 1] for i in range(60)]
    exc = rejected(plan, list(EN[:3]), rows)
    assert [p.row for p in exc.problems] == list(range(2, 62))
    # the message lists 50 and counts the rest: 60 − 50 = 10
    assert "… and 10 more" in str(exc)
    assert str(exc).count("\nrow ") == 50


@pytest.mark.parametrize(
    ("header", "column"),
    [
        (["target_id", "period"], "value"),
        (["目标编号", "数值"], "period"),
        (["period", "value", "unit"], "target_id"),
        (["unit", "evidence"], "target_id,period,value"),
    ],
)
def test_missing_required_column(plan: Plan, header: list[object], column: str) -> None:
    exc = rejected(plan, header, [["coal-share-2025", 2024, 30]])
    assert len(exc.problems) == 1
    problem = exc.problems[0]
    assert (problem.row, problem.column) == (1, column)
    assert problem.reason.startswith("缺少列 / missing column(s) ")
    for name in column.split(","):
        assert f"'{name}'" in problem.reason


def test_missing_value_column_names_the_chinese_header(plan: Plan) -> None:
    exc = rejected(plan, ["target_id", "period"], [])
    assert exc.problems[0].reason == "缺少列 / missing column(s) 'value' (数值)"


def test_file_without_data_rows_is_rejected(plan: Plan) -> None:
    exc = rejected(plan, list(EN), [[None] * 7, ["", "", "", "", "", "", ""]])
    assert [(p.row, p.column, p.reason) for p in exc.problems] == [
        (2, "*", "文件没有数据行 / the file has no data rows")
    ]


@pytest.mark.parametrize("cell", [True, "inf", "-inf", "nan", float("inf")])
def test_non_finite_or_yes_no_values_are_refused(plan: Plan, cell: object) -> None:
    exc = rejected(plan, list(EN[:3]), [["coal-share-2025", 2024, cell]])
    assert triples(exc) == [(2, "value")]


def test_nan_cell_is_an_empty_value(plan: Plan) -> None:
    # pandas and spreadsheets give empty cells as NaN
    exc = rejected(plan, list(EN[:3]), [["coal-share-2025", 2024, float("nan")]])
    assert [(p.row, p.column, p.reason) for p in exc.problems] == [(2, "value", "为空 / empty")]


@pytest.mark.parametrize("cell", ["inf%", "nan%", "-inf%"])
def test_non_finite_percent_value_is_a_row_problem(plan: Plan, cell: str) -> None:
    # (a '%' cell used to skip the finiteness check and crash on ProgressRecord)
    exc = rejected(plan, list(EN[:3]), [["coal-share-2025", 2024, cell]])
    assert triples(exc) == [(2, "value")]
    assert "not a finite number" in exc.problems[0].reason


# -- percent cells and unit labels ------------------------------------------------------------


@pytest.mark.parametrize(
    ("target_id", "cell", "unit", "expected"),
    [
        ("coal-share-2025", "29.9%", "", 29.9),  # % into a percent target: as written
        ("coal-share-2025", "29.9%", "percent", 29.9),  # the unit cell agrees
        ("synergy-degree-2025", "45%", "", 0.45),  # 45 % = 45 / 100 = 0.45 (dimensionless)
    ],
)
def test_percent_cell_implies_percent(
    plan: Plan, target_id: str, cell: str, unit: str, expected: float
) -> None:
    (r,) = parse(plan, ["target_id", "period", "value", "unit"], [[target_id, 2024, cell, unit]])
    assert r.value == pytest.approx(expected, rel=1e-12)


def test_percent_cell_for_a_quantity_is_refused(plan: Plan) -> None:
    rows: list[list[object]] = [
        ["natural-gas-2025", 2024, "45%", ""],  # row 2: % of 亿 m³?
        ["coal-share-2025", 2024, "29%", "t"],
    ]  # row 3: % but says t
    exc = rejected(plan, ["target_id", "period", "value", "unit"], rows)
    assert triples(exc) == [(2, "value"), (3, "value")]
    assert "different dimensions" in exc.problems[0].reason
    assert exc.problems[1].reason == "'29%' is a percentage but the unit cell says 't'"


@pytest.mark.parametrize(
    ("target_id", "label", "value", "expected"),
    [
        ("natural-gas-2025", "亿立方米", 38, 38.0),
        ("natural-gas-2025", "10⁸ m³", 38, 38.0),
        ("afforestation-2025", "万亩", 6.4, 6.4),
        ("sludge-capacity-600", "吨/日", 300, 300.0),
        ("slow-traffic-146km", "公里", 52, 52.0),
        ("energy-intensity-2025", "吨标准煤/万元", 0.4, 0.4),
    ],
)
def test_unit_cell_may_hold_the_target_unit_label(
    plan: Plan, target_id: str, label: str, value: float, expected: float
) -> None:
    (r,) = parse(plan, ["target_id", "period", "value", "单位"], [[target_id, 2024, value, label]])
    assert r.value == pytest.approx(expected, rel=1e-15)


def test_another_target_label_is_not_a_unit(plan: Plan) -> None:
    # 万亩 is the afforestation label, not a unit pint knows: refused for natural gas
    exc = rejected(
        plan, ["target_id", "period", "value", "unit"], [["natural-gas-2025", 2024, 38, "万亩"]]
    )
    assert triples(exc) == [(2, "unit")]


def test_row_problem_as_dict_and_text() -> None:
    p = RowProblem(7, "unit", "bad")
    assert p.as_dict() == {"row": 7, "column": "unit", "reason": "bad"}
    assert str(p) == "row 7, column 'unit': bad"


def test_the_inventory_is_a_known_reporter(plan: Plan) -> None:
    from xietong.plan.progress_table import DERIVED_REPORTERS

    (rec,) = parse_rows(
        plan,
        ["target_id", "period", "value", "reported_by"],
        [["co2-intensity-2025", 2022, 0.9, DERIVED_REPORTERS[0]]],
        source="x.csv",
    )
    assert rec.reported_by == "inventory"
