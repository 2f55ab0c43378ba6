"""Builds stored beside the database and read back instead of rebuilt; kept results bounded
by memory; the worker's progress of a build."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from xietong.accounting.factors import FactorLibrary
from xietong.accounting.inventory import InventoryOptions
from xietong.errors import XietongError
from xietong.service.base import cache_budget, result_bytes
from xietong.service.platform import Platform


def _platform(engine: Engine, library: FactorLibrary, builds: Path, **kw: object) -> Platform:
    p = Platform(engine=engine, plan_id="wuhan-2023", builds_dir=builds, **kw)  # type: ignore[arg-type]
    p.library = library
    return p


def test_a_build_is_stored_and_read_back(
    inventory_platform: Platform,
    test_library: FactorLibrary,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds = tmp_path / "builds"
    first = _platform(inventory_platform.engine, test_library, builds)
    inv = first.inventory()
    stored = sorted(builds.glob("inventory-*.parquet"))
    assert len(stored) == 1 and stored[0].with_name(stored[0].name + ".gaps.json").exists()

    # a new server process over the same database reads the stored rows: no build
    def no_build(*args: object, **kwargs: object) -> object:
        raise AssertionError("rebuilt instead of read")

    monkeypatch.setattr("xietong.service.inventory.build_inventory", no_build)
    monkeypatch.setattr("xietong.accounting.coefficients._resolvers", {})  # a fresh process
    second = _platform(inventory_platform.engine, test_library, builds)
    again = second.inventory()
    assert again.table().equals(inv.table())
    assert [g.substance for g in again.gaps] == [g.substance for g in inv.gaps]
    assert again.trace(3) == inv.trace(3)

    # other options are another build (here: refused, since building is not allowed)
    with pytest.raises(AssertionError, match="rebuilt"):
        second.inventory(InventoryOptions(co2_method="ipcc"))


def test_a_new_dataset_is_a_new_build(
    inventory_platform: Platform, test_library: FactorLibrary, tmp_path: Path
) -> None:
    from tests.conftest import SMALL_ACTIVITY

    builds = tmp_path / "builds"
    p = _platform(inventory_platform.engine, test_library, builds)
    p.inventory()
    p.import_activity_file(SMALL_ACTIVITY, "again")
    p.inventory()
    assert len(list(builds.glob("inventory-*.parquet"))) == 2


def test_an_unreadable_stored_build_is_rebuilt(
    inventory_platform: Platform, test_library: FactorLibrary, tmp_path: Path
) -> None:
    builds = tmp_path / "builds"
    _platform(inventory_platform.engine, test_library, builds).inventory()
    (path,) = builds.glob("inventory-*.parquet")
    path.write_bytes(b"not parquet")
    inv = _platform(inventory_platform.engine, test_library, builds).inventory()
    assert inv.row_count > 0
    assert path.read_bytes()[:4] == b"PAR1"


def test_kept_results_fit_the_memory_budget(
    inventory_platform: Platform, test_library: FactorLibrary, tmp_path: Path
) -> None:
    p = _platform(inventory_platform.engine, test_library, tmp_path / "b", cache_bytes=1)
    china = p.inventory()
    assert result_bytes(china) > 1
    p.inventory(InventoryOptions(co2_method="ipcc"))
    usage = p.cache_usage()
    assert usage["entries"] == 1 and usage["budget"] == 1  # the older build was dropped
    assert p.inventory() is not china  # … and is read again from its stored rows
    roomy = _platform(inventory_platform.engine, test_library, tmp_path / "c")
    a = roomy.inventory()
    roomy.inventory(InventoryOptions(co2_method="ipcc"))
    assert roomy.cache_usage()["entries"] == 2 and roomy.inventory() is a


def test_the_budget_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIETONG_CACHE_MB", "64")
    assert cache_budget() == 64 * 2**20
    monkeypatch.setenv("XIETONG_CACHE_MB", "lots")
    with pytest.raises(XietongError, match="XIETONG_CACHE_MB"):
        cache_budget()


def test_a_build_on_the_worker_reports_its_progress(inventory_platform: Platform) -> None:
    job = inventory_platform.prepare("inventory")
    assert job.wait(60)
    assert job.state == "done" and job.progress == 1.0 and job.phase == "engine"
