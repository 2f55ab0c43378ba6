"""Start-up time of the command line: ``xietong --help`` and ``xietong user --help`` run in a
fresh process, ``--repeat`` times each; prints the median and the best wall time and whether
the target (< 0.5 s) is met.

Run: ``.venv/bin/python benchmarks/startup.py --repeat 10``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_S = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("xietong")
    for argv in (["--help"], ["user", "--help"], ["inventory", "--help"]):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run([str(exe), *argv], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        verdict = "met" if median < TARGET_S else "MISSED"
        print(
            f"xietong {' '.join(argv):<20} median {median * 1000:6.0f} ms, best "
            f"{min(times) * 1000:6.0f} ms  (target < {TARGET_S * 1000:.0f} ms: {verdict})"
        )


if __name__ == "__main__":
    main()
