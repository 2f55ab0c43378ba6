"""Shared fixtures of the accounting tests: a small factor library with known values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xietong.accounting.activity import Activity, parse_parameters
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.methods.base import Context

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def library() -> FactorLibrary:
    """The test factor file ``tests/accounting/data/factors.csv`` (IPCC / China values)."""
    return FactorLibrary.load(DATA)


@pytest.fixture
def ctx(library: FactorLibrary) -> Context:
    return Context(library)


def make(activity: str, amount: float, unit: str, sector: str, **kw: Any) -> Activity:
    """An activity row of 2022, city-wide, with the given fields."""
    params = kw.pop("parameters", "")
    return Activity(
        year=kw.pop("year", 2022),
        district=kw.pop("district", "city"),
        sector=sector,
        activity=activity,
        amount=amount,
        unit=unit,
        parameters=parse_parameters(params),
        **kw,
    )
