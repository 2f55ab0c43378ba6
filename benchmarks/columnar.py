"""Benchmark (issue #11, first step): the row engine against coefficients resolved once per
template and a columnar join, on the Wuhan rows replicated ``--factor`` times (amounts split
evenly, so the totals stay the same). Prints rows, seconds, peak Python memory and the ratio.

Run: ``.venv/bin/python benchmarks/columnar.py --factor 1 10 100``
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from xietong.accounting.activity import default_activity
from xietong.accounting.coefficients import emission_table, replicate, resolve
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.inventory import build_inventory


def _measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--factor", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--skip-rows-above", type=int, default=100, help="skip the row engine")
    args = parser.parse_args()
    base = [a for a in default_activity("wuhan") if a.kind.method != "landfill_fod"]
    library = FactorLibrary.load()
    print(
        f"{'factor':>6} {'activity rows':>13} {'emission rows':>13} {'row engine s':>12} "
        f"{'MiB':>7} {'columns s':>9} {'MiB':>7} {'templates':>9} {'ratio':>6}"
    )
    for factor in args.factor:
        acts = replicate(base, factor)
        table, col_s, col_mb = _measure(lambda acts=acts: emission_table(resolve(acts, library)))
        templates = resolve(acts, library).templates
        if factor <= args.skip_rows_above:
            inv, row_s, row_mb = _measure(lambda acts=acts: build_inventory(acts, library))
            row_text = f"{row_s:>12.3f} {row_mb:>7.0f}"
            ratio = f"{row_s / col_s:>6.1f}"
            assert len(inv.rows) == len(table)
        else:
            row_text, ratio = f"{'—':>12} {'—':>7}", f"{'—':>6}"
        print(
            f"{factor:>6} {len(acts):>13,} {len(table):>13,} {row_text} "
            f"{col_s:>9.3f} {col_mb:>7.0f} {templates:>9,} {ratio}"
        )


if __name__ == "__main__":
    main()
