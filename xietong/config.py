"""Run-time settings, from the environment (``XIETONG_*``) with embedded defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the data lives and which plan the platform runs.

    ``XIETONG_DATA_DIR`` is the data folder (SQLite file, extra plans under ``plans/``);
    ``XIETONG_DATABASE_URL`` selects the database (default: SQLite in the data folder);
    ``XIETONG_FACTORS_DIR`` a folder of factor CSV files to use instead of the shipped ones;
    ``XIETONG_SCENARIOS_DIR`` the folder of the users' own scenarios (default: ``scenarios/``
    in the data folder, next to the SQLite file).
    """

    model_config = SettingsConfigDict(env_prefix="XIETONG_")

    data_dir: Path = Field(default_factory=lambda: Path.home() / ".xietong")
    database_url: str | None = None
    plan: str = "wuhan-2023"
    factors_dir: Path | None = None
    scenarios_dir: Path | None = None

    @property
    def url(self) -> str:
        """The SQLAlchemy URL in force."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'xietong.db'}"

    @property
    def user_scenarios(self) -> Path:
        """The folder of user scenarios in force."""
        return self.scenarios_dir or self.data_dir / "scenarios"
