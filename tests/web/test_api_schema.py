"""Schemathesis against the live app: every API operation, with generated requests of an
authenticated administrator, gives no server error and answers as its OpenAPI schema says
(response bodies and content types)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.signin import account
from xietong.service.platform import Platform
from xietong.store.database import make_engine
from xietong.web.app import create_app

TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The schema of an app on a fresh SQLite platform with the demo progress (no activity
    data: the inventory and scenario operations answer 404 quickly, as documented)."""
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    platform = Platform(
        engine=make_engine(f"sqlite:///{folder / 'x.db'}"),
        plan_id="wuhan-2023",
        scenarios_dir=folder / "scenarios",
    )
    platform.init(demo=True, activity=False)
    name = account(platform, "admin")
    TOKEN["value"] = platform.issue_token(name, actor="test", days=1)
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(platform))


def test_no_server_error_and_answers_as_documented(api_schema: Any) -> None:
    failures: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {TOKEN['value']}"},
                checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
            )

        try:
            run()
        except Exception as exc:  # collected: every operation is tried, all failures shown
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert operations > 20
    assert failures == []
