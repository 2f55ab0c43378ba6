"""Finding things by code, name, pinyin or pinyin initials."""

from __future__ import annotations

import pytest

from xietong.plan.models import Plan
from xietong.plan.search import Entry, build_index, grouped, pinyin_keys, search
from xietong.plan.tasks import load_task_ledger


@pytest.fixture(scope="module")
def index(plan: Plan) -> tuple[Entry, ...]:
    return build_index(plan, load_task_ledger(plan))


def _first(index: tuple[Entry, ...], q: str) -> tuple[str, str]:
    found = search(index, q)
    assert found, q
    return found[0].kind, found[0].code


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("jtysj", ("body", "transport")),  # 市交通运输局 without 市
        ("sjtysj", ("body", "transport")),
        ("JiaoTong", ("body", "transport")),
        ("市交通运输局", ("body", "transport")),
        ("Transport Bureau", ("body", "transport")),
        ("wcq", ("district", "wuchang")),  # 武昌区
        ("hongshan", ("district", "hongshan")),
        ("m07-2", ("task", "m07-2")),
        ("coal-share-2025", ("target", "coal-share-2025")),
        ("7", ("measure", "7")),
    ],
)
def test_found_by_code_name_pinyin_and_initials(
    index: tuple[Entry, ...], q: str, expected: tuple[str, str]
) -> None:
    assert _first(index, q) == expected


def test_tasks_are_found_by_their_clause(index: tuple[Entry, ...]) -> None:
    found = {e.code for e in search(index, "慢行交通设施146公里")}
    assert "m07-2" in found


def test_results_are_grouped_in_order_and_bounded(index: tuple[Entry, ...]) -> None:
    found = search(index, "交通", limit=5)
    assert len(found) == 5
    groups = grouped(search(index, "交通"))
    assert list(groups) == [
        k for k in ("target", "measure", "task", "body", "district") if k in groups
    ]
    assert search(index, "   ") == []
    assert search(index, "x" * 10_000) == []


def test_pinyin_keys() -> None:
    assert pinyin_keys("洪山区") == ("hongshanqu", "hsq")
