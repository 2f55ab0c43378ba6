"""Benchmark: the reports on the shipped Wuhan data — the annual report to the committee (record,
Word, PDF) and the GHG inventory report (record, Word, PDF, Excel) — on a fresh SQLite data
folder, the inventory built once before the timings (as a warm server has it).

No target is stated (issue #16); the figures say what a user waits for a download. Run with
``taskset -c 0,1 .venv/bin/python benchmarks/reports.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from xietong.config import Settings
from xietong.files.annual_report_document import write_annual_report_file
from xietong.files.inventory_document import write_inventory_file
from xietong.service.annual_report import annual_report_record
from xietong.service.inventory_report import inventory_report_record
from xietong.service.platform import Platform


def _timed(label: str, fn: object) -> object:
    t = time.perf_counter()
    out = fn()  # type: ignore[operator]
    print(f"  {label:<34} {time.perf_counter() - t:6.2f} s")
    return out


def main() -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="xietong-bench-reports-") as tmp:
        folder = Path(tmp)
        os.environ["XIETONG_DATA_DIR"] = str(folder)
        p = Platform.from_settings(Settings())
        t = time.perf_counter()
        p.init()
        p.inventory()
        setup = time.perf_counter() - t
        print(f"reports on {cores} cores; set-up (init + inventory) {setup:.1f} s")
        year = dt.date.today().year
        inv_year = p.latest_inventory_year()
        print(f"annual report {year}")
        record = _timed("record", lambda: annual_report_record(p, year, actor="cli"))
        for kind in ("docx", "pdf"):
            path = folder / f"annual.{kind}"
            _timed(kind, lambda k=kind, f=path: write_annual_report_file(k, record, f))
        print(f"inventory report {inv_year}")
        inv = _timed("record", lambda: inventory_report_record(p, inv_year))
        for kind in ("docx", "xlsx", "pdf"):
            path = folder / f"inventory.{kind}"
            _timed(kind, lambda k=kind, f=path: write_inventory_file(k, inv, f))
            print(f"  {'':<34} {path.stat().st_size / 1e6:6.2f} MB")
        p.engine.dispose()


if __name__ == "__main__":
    main()
