"""Benchmark: full Wuhan inventory for all years plus a 10,000-draw Monte Carlo.

Target (issue #3): under 2 s on 2 cores. Prints rows, draws and seconds; run with
``taskset -c 0,1 .venv/bin/python benchmarks/inventory.py`` to hold it to 2 cores.
"""

from __future__ import annotations

import argparse
import os
import time

from xietong.accounting.activity import default_activity
from xietong.accounting.factors import FactorLibrary, load_gwp
from xietong.accounting.inventory import build_inventory
from xietong.accounting.uncertainty import monte_carlo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20230)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    t0 = time.perf_counter()
    activities = default_activity("wuhan")
    library = FactorLibrary.load()
    gwp = load_gwp("AR5")
    t1 = time.perf_counter()
    inventory = build_inventory(activities, library)
    t2 = time.perf_counter()
    mc = monte_carlo(inventory, ["year", "sector"], draws=args.draws, seed=args.seed, gwp=gwp)
    t3 = time.perf_counter()

    print(f"cores available     {cores}")
    print(f"activity rows       {len(activities)}")
    print(f"years               {inventory.years[0]}–{inventory.years[-1]}")
    print(f"emission rows       {len(inventory.rows)}")
    print(f"factors used        {len(inventory.factors_used)}")
    print(f"Monte Carlo draws   {args.draws} over {len(mc)} (year, sector) groups")
    print(f"load data + factors {t1 - t0:.3f} s")
    print(f"build inventory     {t2 - t1:.3f} s")
    print(f"Monte Carlo         {t3 - t2:.3f} s")
    print(f"total               {t3 - t0:.3f} s   (target < 2 s on 2 cores)")


if __name__ == "__main__":
    main()
