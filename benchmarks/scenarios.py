"""Benchmark: 3 scenarios × all years to 2035 × full inventory, plus 1,000 Monte Carlo runs of
the plan scenario.

Target (issue #5): under 5 s on 2 cores. Prints scenarios, years, emission rows, runs and
seconds; run with ``taskset -c 0,1 .venv/bin/python benchmarks/scenarios.py``.
"""

from __future__ import annotations

import argparse
import os
import time

from xietong.accounting.activity import default_activity
from xietong.accounting.factors import FactorLibrary
from xietong.accounting.indicators import read_statistics
from xietong.datafiles import data_path
from xietong.plan.loader import load_plan
from xietong.scenarios.fast import LinearModel, monte_carlo
from xietong.scenarios.projection import PEAK_INDICATOR, run_scenario
from xietong.scenarios.scenario import load_drivers, load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20230)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    t0 = time.perf_counter()
    history = default_activity("wuhan")
    library = FactorLibrary.load()
    stats = read_statistics(data_path("cities", "wuhan", "statistics.csv"))
    drivers = load_drivers()
    plan = load_plan()
    t1 = time.perf_counter()
    results = {
        name: run_scenario(load_scenario(name), history, stats, drivers, library, plan)
        for name in ("baseline", "plan", "enhanced")
    }
    t2 = time.perf_counter()
    plan_result = results["plan"]
    hist = {y: v for y, v in plan_result.series(PEAK_INDICATOR).items() if y <= drivers.base_year}
    model = LinearModel(history, drivers, plan_result.scenario, library)
    fan = monte_carlo(model, hist, draws=args.runs, seed=args.seed)
    t3 = time.perf_counter()

    rows = sum(len(r.inventory.rows) for r in results.values())
    print(f"cores available        {cores}")
    print(f"scenarios              {', '.join(results)}")
    print(f"years                  {min(results['plan'].inventory.years)}–{drivers.end_year}")
    print(f"emission rows (all 3)  {rows}")
    for name, r in results.items():
        print(
            f"  {name:9s} peak {r.peak.year} ({r.peak.value / 1e6:.1f} Mt {PEAK_INDICATOR}), "
            f"peaked in horizon: {r.peak.peaked_in_series}"
        )
    print(f"Monte Carlo runs       {args.runs} (plan), P(peak by 2030) = {fan.p_peak_by[2030]:.3f}")
    print(f"load data              {t1 - t0:.3f} s")
    print(f"3 scenarios            {t2 - t1:.3f} s")
    print(f"Monte Carlo            {t3 - t2:.3f} s")
    print(f"total                  {t3 - t0:.3f} s   (target < 5 s on 2 cores)")


if __name__ == "__main__":
    main()
