"""Where the shipped data files live (``xietong/data``): one function, so every reader finds
its factor table, catalogue or weight set the same way."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_path(*parts: str) -> Path:
    """Path of a shipped data file, e.g. ``data_path("synergy", "coupling_grades.csv")``."""
    return Path(str(resources.files("xietong").joinpath("data", *parts)))
