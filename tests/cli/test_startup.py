"""The command line starts without loading the engine: `xietong --help` imports none of the
heavy libraries (its time is measured by benchmarks/startup.py, not here)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "numpy", "sqlalchemy", "ibis", "duckdb", "pint", "pyarrow", "fastapi")


def test_the_command_line_imports_no_heavy_library_until_a_command_needs_it() -> None:
    code = (
        "import sys, json\n"
        "from typer.testing import CliRunner\n"
        "from xietong.cli.app import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == []
