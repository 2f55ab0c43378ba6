"""A served platform moves what its start-up builds hold out of the cyclic collector's reach
once they are done (no ~150 ms full collection under load)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from xietong.web.app import _freeze_after
from xietong.worker import Worker


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_start_up_builds_are_frozen_once_done(unfrozen: None) -> None:
    worker = Worker()
    held: list[object] = []
    job = worker.submit(("k",), "inventory", lambda: held.append([{"x": i} for i in range(1000)]))
    assert gc.get_freeze_count() == 0
    _freeze_after([job])
    assert job.state == "done"
    assert gc.get_freeze_count() > 1000
