"""A test client over the demo platform (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.signin import token_client
from xietong.service.platform import Platform


@pytest.fixture
def client(inventory_platform: Platform) -> TestClient:
    """The web app over the Wuhan plan with its demo progress and the small activity table
    (test factor library); server errors become 500s."""
    return token_client(inventory_platform)


@pytest.fixture
def synergy_client(synergy_platform: Platform) -> TestClient:
    """The web app over the synergy activity table (2015 and 2020–2022), the test factor
    library and the test measures; server errors become 500s."""
    return token_client(synergy_platform)


@pytest.fixture
def scenario_client(scenario_platform: Platform) -> TestClient:
    """The web app over the scenario activity table (2022–2024, base year 2024) and the test
    factor library, with its own user scenario folder; server errors become 500s."""
    return token_client(scenario_platform)
