"""``xietong backup`` and ``xietong restore`` end to end: a data folder backed up and restored
into another (SQLite) and into PostgreSQL, with the same answers after."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from xietong.cli import backup as backup_cli
from xietong.cli.app import app

runner = CliRunner()

commands = typer.Typer(pretty_exceptions_enable=False)
"""The two commands, as ``xietong`` registers them."""
commands.command("backup")(backup_cli.backup)
commands.command("restore")(backup_cli.restore)


@commands.callback()
def _group() -> None:
    """Keep the commands' names (a Typer of one command would take it as itself)."""


def _use(monkeypatch: pytest.MonkeyPatch, folder: Path, url: str | None = None) -> None:
    """Point the commands at the data folder ``folder`` (and the database ``url``)."""
    monkeypatch.setenv("XIETONG_DATA_DIR", str(folder))
    if url:
        monkeypatch.setenv("XIETONG_DATABASE_URL", url)
    else:
        monkeypatch.delenv("XIETONG_DATABASE_URL", raising=False)


def _json(cli: typer.Typer, args: list[str]) -> object:
    """Run a command with --json; its parsed output."""
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def backup_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A backup of a data folder initialised with the plan, demo and activity data."""
    _use(monkeypatch, tmp_path / "source")
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    file = tmp_path / "backups" / "xietong.zip"
    made = _json(commands, ["backup", str(file)])
    assert isinstance(made, dict) and made["tables"]["activities"] > 0
    assert made["rows"] == sum(made["tables"].values())
    return file


def test_backup_and_restore_into_another_data_folder(
    backup_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status = _json(app, ["status", "--as-of", "2026-01-15"])
    shown = runner.invoke(commands, ["backup", str(tmp_path / "again.zip")])
    assert shown.exit_code == 0, shown.output
    assert "Backup written" in shown.stdout and "activities" in shown.stdout

    _use(monkeypatch, tmp_path / "target")
    restored = _json(commands, ["restore", str(backup_file)])
    assert isinstance(restored, dict) and restored["replaced"] is False
    assert restored["tables"]["plans"] == 1
    assert _json(app, ["status", "--as-of", "2026-01-15"]) == status

    refused = runner.invoke(commands, ["restore", str(backup_file)])
    assert refused.exit_code == 1
    assert "--replace" in refused.output and "already holds data" in refused.output

    replaced = runner.invoke(commands, ["restore", str(backup_file), "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert "Restored" in replaced.stdout and "replaced" in replaced.stdout
    assert _json(app, ["status", "--as-of", "2026-01-15"]) == status


def test_a_damaged_file_is_refused(backup_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(backup_file.read_bytes()[:-100])  # cut short
    result = runner.invoke(commands, ["restore", str(bad), "--replace"])
    assert result.exit_code == 1
    assert "damaged" in result.output
    missing = runner.invoke(commands, ["restore", str(tmp_path / "nothing.zip")])
    assert missing.exit_code == 2  # the argument must be an existing file


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL of a fresh schema of the test PostgreSQL (dropped afterwards)."""
    base = os.environ.get("XIETONG_TEST_PG_URL")
    if not base:
        pytest.fail("XIETONG_TEST_PG_URL is not set: run the tests with `make test`")
    schema = f"cli_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{base}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_restore_into_postgresql(
    backup_file: Path, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    measures = _json(app, ["plan", "measures"])
    _use(monkeypatch, tmp_path / "unused", pg_url)
    restored = _json(commands, ["restore", str(backup_file)])
    assert isinstance(restored, dict) and restored["rows"] > 1000
    assert _json(app, ["plan", "measures"]) == measures
    assert not (tmp_path / "unused" / "xietong.db").exists()
