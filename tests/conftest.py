"""Shared fixtures: the shipped plan, and databases on SQLite and on a real PostgreSQL.

PostgreSQL comes from ``XIETONG_TEST_PG_URL`` (written by ``scripts/test-services.sh``, which
``make test`` runs); each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text

from xietong.accounting.factors import FactorLibrary
from xietong.plan.loader import load_plan
from xietong.plan.models import Plan
from xietong.service.platform import Platform
from xietong.store.database import make_engine

# The machines are shared and noisy: no hypothesis example may fail on time alone.
settings.register_profile("ci", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DATA = Path(__file__).parent / "data"
TEST_FACTORS = Path(__file__).parent / "accounting" / "data"
SMALL_ACTIVITY = DATA / "activity-small.csv"
"""30 activity rows of 2020–2022 whose every factor is in the test factor file."""
SYNERGY_ACTIVITY = DATA / "activity-synergy.csv"
"""The small activity table with the synergy base year 2015 added (10 rows more, test factors)."""
SCENARIO_ACTIVITY = DATA / "activity-scenario.csv"
"""21 activity rows of 2022–2024 (2024: the scenarios' base year) whose every factor, and every
factor the shipped scenarios' levers move them to, is in the test factor file."""
TEST_MEASURES = Path(__file__).parent / "synergy" / "data" / "measures.yaml"
"""Two measures (less fertiliser; electricity instead of coal) computable with the test factors."""


@pytest.fixture(scope="session")
def plan() -> Plan:
    """The shipped Wuhan plan."""
    return load_plan("wuhan-2023")


def _pg_url() -> str:
    url = os.environ.get("XIETONG_TEST_PG_URL")
    if not url:
        pytest.fail("XIETONG_TEST_PG_URL is not set: run the tests with `make test`")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database: a SQLite file, or a fresh schema in the test PostgreSQL."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'xietong.db'}")
        yield eng
        eng.dispose()
        return
    url = _pg_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def test_library() -> FactorLibrary:
    """The small factor library of the accounting tests (known values)."""
    return FactorLibrary.load(TEST_FACTORS)


@pytest.fixture
def platform(engine: Engine) -> Platform:
    """The platform initialised with the Wuhan plan, no demo progress, no activity data."""
    p = Platform(engine=engine, plan_id="wuhan-2023")
    p.init(demo=False, activity=False)
    return p


@pytest.fixture
def demo_platform(engine: Engine) -> Platform:
    """The platform initialised with the Wuhan plan and its demo progress (no activity data)."""
    p = Platform(engine=engine, plan_id="wuhan-2023")
    p.init(demo=True, activity=False)
    return p


@pytest.fixture
def inventory_platform(demo_platform: Platform, test_library: FactorLibrary) -> Platform:
    """The demo platform with the small activity table and the test factor library."""
    demo_platform.library = test_library
    demo_platform.import_activity_file(SMALL_ACTIVITY, "test")
    return demo_platform


@pytest.fixture
def synergy_platform(demo_platform: Platform, test_library: FactorLibrary) -> Platform:
    """The demo platform with the synergy activity table (2015 and 2020–2022), the test factor
    library and the test measures; statistics: the shipped Wuhan ones."""
    demo_platform.library = test_library
    demo_platform.measures_file = TEST_MEASURES
    demo_platform.import_activity_file(SYNERGY_ACTIVITY, "test")
    return demo_platform


@pytest.fixture
def scenario_platform(
    demo_platform: Platform, test_library: FactorLibrary, tmp_path: Path
) -> Platform:
    """The demo platform with the scenario activity table (2022–2024), the test factor library
    and a user scenario folder of its own; statistics: the shipped Wuhan ones."""
    demo_platform.library = test_library
    demo_platform.scenarios_dir = tmp_path / "user-scenarios"
    demo_platform.import_activity_file(SCENARIO_ACTIVITY, "test")
    return demo_platform


@pytest.fixture(autouse=True)
def _pages_wait_for_their_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages wait for their background jobs as long as they need in the tests (a loaded CI
    machine must not turn a page into its waiting page); the waiting-page tests set their own
    wait."""
    monkeypatch.setattr("xietong.web.pages.waiting.WAIT_S", 600.0)
