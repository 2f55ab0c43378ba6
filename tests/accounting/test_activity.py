"""Activity data: validation of every cell, all or nothing."""

from __future__ import annotations

import pytest

from xietong.accounting.activity import (
    HEADERS_ZH,
    catalogue,
    parse_parameters,
    read_activity_rows,
    sectors,
)
from xietong.errors import ImportRejected

HEADER = [
    "year",
    "district",
    "sector",
    "subsector",
    "activity",
    "technology",
    "control",
    "amount",
    "unit",
    "source",
    "quality",
    "parameters",
]


def row(**kw):
    base = dict(
        year="2022",
        district="city",
        sector="industry",
        subsector="steel",
        activity="bituminous_coal",
        technology="",
        control="",
        amount="1000",
        unit="t",
        source="test",
        quality="statistic",
        parameters="",
    )
    base.update(kw)
    return [base[h] for h in HEADER]


def test_good_rows() -> None:
    acts = read_activity_rows([HEADER, row(), row(district="qingshan")], "t.csv")
    assert [a.district for a in acts] == ["city", "qingshan"]
    assert acts[0].quantity.to("kg").magnitude == 1_000_000


def test_chinese_headers() -> None:
    header = [HEADERS_ZH[h] for h in HEADER]
    assert len(read_activity_rows([header, row()], "t.xlsx")) == 1


def test_every_bad_row_is_named_and_nothing_returned() -> None:
    rows = [
        HEADER,
        row(),
        row(year="20x2"),
        row(sector="mining"),
        row(activity="unobtainium"),
        row(amount="-5"),
        row(unit="kWh"),
        row(quality="guess"),
        row(parameters="S_content=abc percent"),
        row(district="atlantis"),
        row(),  # duplicate of the first data row
    ]
    with pytest.raises(ImportRejected) as err:
        read_activity_rows(rows, "bad.csv", districts=["qingshan"])
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {
        (3, "year"),
        (4, "sector"),
        (5, "activity"),
        (6, "amount"),
        (7, "unit"),
        (8, "quality"),
        (9, "parameters"),
        (10, "district"),
        (11, "*"),
    }
    assert "nothing was written" in str(err.value)


def test_missing_required_column() -> None:
    with pytest.raises(ImportRejected, match="amount"):
        read_activity_rows([["year", "district", "sector", "activity", "unit"]], "x.csv")


def test_stock_change_may_be_negative() -> None:
    acts = read_activity_rows(
        [
            HEADER,
            row(
                sector="forestry",
                activity="forest_stock_change",
                amount="-10",
                unit="m3",
                parameters="interval=1 year",
            ),
        ],
        "f.csv",
    )
    assert acts[0].amount == -10


def test_parameters() -> None:
    assert parse_parameters("cullet_ratio=0.2") == (("cullet_ratio", 0.2, "dimensionless"),)
    with pytest.raises(ValueError):
        parse_parameters("nonsense")


def test_catalogue_and_sectors_load() -> None:
    assert catalogue()["natural_gas"].fuel == "natural_gas"
    assert "forestry" in sectors()
