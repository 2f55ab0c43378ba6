"""Benchmark (issue #11): the inventory at 1× to 340× the Wuhan rows, against the same join
hand-written in DuckDB SQL.

The synthetic table of factor F replicates every Wuhan activity row F times over entities
(``E00000`` …), districts (the 13 Wuhan districts in turn) and months (``YYYY-01`` …), with the
amounts split evenly, so the totals stay Wuhan's. Each factor runs in its own process so that
its peak memory (resident set, ``resource.getrusage``) is its own. Printed per factor: activity
and emission rows, the time to resolve templates, the engine's build + three roll-ups, the
hand-written DuckDB SQL of the same join and roll-ups on the same tables, the ratio, and the
peak memory. Targets: 100× < 2 s and < 1 GB, 340× < 10 s and < 4 GB on 2 cores, ratio ≤ 1.5.

Run: ``taskset -c 0,1 .venv/bin/python benchmarks/scale.py --factor 1 10 100 340``
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import time

DISTRICTS = [
    "420102", "420103", "420104", "420105", "420106", "420107", "420111",
    "420112", "420113", "420114", "420115", "420116", "420117",
]  # fmt: skip
ROLLUPS = (["year"], ["year", "district"], ["year", "sector", "entity"])


def synthetic(factor: int) -> list[object]:
    """The Wuhan rows replicated ``factor`` times over entities, districts and months."""
    from xietong.accounting.activity import default_activity

    out = []
    share = 1.0 / factor
    for a in default_activity("wuhan"):
        series = a.kind.method == "landfill_fod"
        for i in range(factor):
            out.append(
                dataclasses.replace(
                    a,
                    amount=a.amount * share,
                    entity=f"E{i:05d}",
                    district=a.district if factor == 1 else DISTRICTS[i % len(DISTRICTS)],
                    period="" if series or factor == 1 else f"{a.year}-{i % 12 + 1:02d}",
                )
            )
    return out


def one(factor: int) -> dict[str, float]:
    """Measure one factor in this process."""
    import duckdb

    from xietong.accounting import columnar
    from xietong.accounting.coefficients import resolver
    from xietong.accounting.engine import engine
    from xietong.accounting.inventory import InventoryOptions, build_inventory, shipped_library

    eng = engine("duckdb")
    acts = synthetic(factor)
    library, options = shipped_library(), InventoryOptions()
    t0 = time.perf_counter()
    resolved = resolver(library, options).resolve(acts)  # type: ignore[arg-type]
    t1 = time.perf_counter()
    inv = build_inventory(acts, library, options)  # type: ignore[arg-type]
    sums = [inv.rollup(by) for by in ROLLUPS]
    t2 = time.perf_counter()
    emission_rows = int(inv.emissions.count().execute())
    del inv

    # the engine's part alone: the same tables, join and roll-ups as ibis expressions
    t3 = time.perf_counter()
    empty = columnar.typed(__import__("pandas").DataFrame(columns=list(columnar.EMISSION_SCHEMA)))
    inputs = {  # held: a registered table is dropped with its last reference
        "rows": eng.register(resolved.rows, "rows"),
        "coefficients": eng.register(resolved.coefficients, "coefficients"),
        "series": eng.register(empty, "series"),
    }
    em = eng.materialise_query(
        ("emissions",),
        lambda t: columnar.emissions(t["rows"], t["coefficients"], t["series"]),
        inputs,
        "emissions",
    )
    mine = [
        eng.query(
            ("rollup", tuple(by), None, "direct"),
            lambda t, by=by: columnar.rollup(t["emissions"], by),
            {"emissions": em},
        ).to_pandas()
        for by in ROLLUPS
    ]
    t4 = time.perf_counter()

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    rows, coefs = resolved.rows, resolved.coefficients
    t5 = time.perf_counter()
    con.register("rows_df", rows)
    con.register("coefs_df", coefs)
    con.execute(  # the same emission table (every column) as the engine's join
        "CREATE TEMP TABLE em AS SELECT r.n, r.template, c.k, r.year, r.district, r.sector, "
        "r.subsector, r.activity, r.technology, r.control, r.entity, r.period, r.quality, "
        "c.substance, c.scope, c.method, r.amount * c.coefficient AS value, c.factor_ids "
        "FROM rows_df r JOIN coefs_df c ON r.template = c.template"
    )
    hand = []
    for by in ROLLUPS:
        keys = ", ".join([*by, "substance"])
        hand.append(
            con.execute(
                f"SELECT {keys}, sum(value) AS value FROM em WHERE scope = 'direct' "
                f"GROUP BY {keys} ORDER BY {keys}"
            ).df()
        )
    t6 = time.perf_counter()
    assert all(len(a) == len(b) for a, b in zip(mine, hand, strict=True))
    assert all(len(a) >= len(b) for a, b in zip(sums, hand, strict=True))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB → GiB
    return {
        "factor": factor,
        "activity_rows": len(acts),
        "emission_rows": emission_rows,
        "resolve_s": t1 - t0,
        "build_s": t2 - t1,
        "engine_s": t4 - t3,
        "hand_sql_s": t6 - t5,
        "peak_gib": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--factor", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    print(
        f"{'factor':>6} {'activity':>9} {'emission':>10} {'cold resolve s':>14} {'build s':>8} "
        f"{'engine s':>8} {'hand SQL s':>10} {'ratio':>6} {'peak GiB':>8}"
    )
    for factor in args.factor:
        out = (
            subprocess.run(
                [sys.executable, __file__, "--one", str(factor)],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        r = json.loads(out)
        print(
            f"{factor:>6} {r['activity_rows']:>9,} {r['emission_rows']:>10,} "
            f"{r['resolve_s']:>14.2f} {r['build_s']:>8.2f} {r['engine_s']:>8.2f} "
            f"{r['hand_sql_s']:>10.2f} {r['engine_s'] / r['hand_sql_s']:>6.2f} "
            f"{r['peak_gib']:>8.2f}"
        )
    print(
        "build s: build_inventory + 3 roll-ups with the templates already resolved (what a "
        "server does after its first build); engine s: the ibis join + roll-ups alone (their "
        "SQL compiled once per process, as the inventory does); "
        "ratio: engine s / hand SQL s (target ≤ 1.5)"
    )


if __name__ == "__main__":
    main()
