"""Load benchmark: concurrent clients on the read endpoints of the JSON API (/api/v1).

For each ``--factor`` the data folder is made the way a user makes it: a temporary folder
(``XIETONG_DATA_DIR``, SQLite inside) initialised with ``xietong init``; for a factor above 1
the activity data are then replaced by the Wuhan rows replicated ``factor`` times (amounts
split evenly, so the totals stay the same; each copy its own ``entity`` E00000, E00001, …)
with ``xietong inventory import``. A viewer account (``xietong user add``) gets an API token
(``xietong user token``), sent as ``Authorization: Bearer …`` with every request. The platform
is served by ``xietong serve --no-init`` (uvicorn, one process) in a subprocess; once it
answers, each endpoint is requested once (warm-up, timed and reported), then ``--clients``
threads request the endpoints round-robin (httpx, one connection each) for ``--seconds``.
Prints per endpoint and overall: requests, errors, req/s, p50 / p95 / p99 latency in ms, and
whether the targets are met (p99 < 200 ms, no errors). The server is stopped at the end.

Run: ``.venv/bin/python benchmarks/load.py --factor 1 10 --seconds 30 --clients 20``
(a quick check: ``--factor 1 --seconds 5``).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

try:
    import httpx
except ImportError:  # pragma: no cover - the dev extra ships httpx2
    import httpx2 as httpx  # type: ignore[no-redef]

from xietong.accounting.activity import activity_record, default_activity
from xietong.accounting.coefficients import replicate

ENDPOINTS: tuple[str, ...] = (
    "/api/v1/plan",
    "/api/v1/measures",
    "/api/v1/targets",
    "/api/v1/status",
    "/api/v1/rollups/measure",
    "/api/v1/progress",
    "/api/v1/milestones",
    "/api/v1/inventory",
    "/api/v1/inventory/rows?limit=100",
    "/api/v1/inventory/rollup?by=sector",
    "/api/v1/inventory/indicators",
    "/api/v1/synergy/index",
    "/api/v1/synergy/districts",
    "/api/v1/synergy/measures",
    "/api/v1/scenarios",
    "/api/v1/scenarios/plan/run",
    "/api/v1/scenarios/compare?ids=baseline,plan,enhanced",
    "/api/v1/scenarios/plan/wedges",
    "/api/v1/scenarios/plan/uncertainty",
)
"""GET endpoints of xietong/web/api/*.py with the parameters a page asks for (the defaults)."""

P99_TARGET_MS = 200.0

VIEWER = "bench-viewer"
"""The viewer account whose API token every request carries."""


@dataclasses.dataclass
class Sample:
    endpoint: str
    seconds: float
    ok: bool


def _xietong() -> list[str]:
    """The ``xietong`` command of this interpreter's environment."""
    script = Path(sys.executable).parent / "xietong"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from xietong.cli.app import main; main()"]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIETONG_")}
    env["XIETONG_DATA_DIR"] = str(data_dir)
    return env


def _run(args: list[str], env: dict[str, str]) -> float:
    return _output(args, env)[0]


def _output(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """The seconds ``args`` took and what it printed; exits when it fails."""
    t0 = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - t0, done.stdout


def viewer_headers(data_dir: Path) -> dict[str, str]:
    """Create the viewer account :data:`VIEWER` in ``data_dir`` and issue it an API token
    (valid a day); the header that carries it."""
    env = {**_env(data_dir), "COLUMNS": "200"}  # the token on one line
    _, out = _output([*_xietong(), "user", "add", VIEWER, "--role", "viewer", "--json"], env)
    if json.loads(out).get("role") != "viewer":
        sys.exit(f"xietong user add {VIEWER} did not create a viewer:\n{out}")
    _, out = _output([*_xietong(), "user", "token", VIEWER, "--days", "1"], env)
    found = re.search(r"Bearer\s+(xt_\S+)", out)
    if found is None:
        sys.exit(f"no token in the output of xietong user token:\n{out}")
    return {"Authorization": f"Bearer {found.group(1)}"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(data_dir: Path, factor: int) -> str:
    """Initialise ``data_dir`` (``xietong init``) and, for ``factor`` > 1, import the Wuhan
    rows replicated ``factor`` times; a line saying what was done."""
    env = _env(data_dir)
    took = _run([*_xietong(), "init", "--json"], env)
    line = f"xietong init {took:.1f} s"
    if factor > 1:
        acts = [
            dataclasses.replace(a, entity=f"E{i % factor:05d}")
            for i, a in enumerate(replicate(default_activity("wuhan"), factor))
        ]
        keys = {a.key for a in acts}
        if len(keys) != len(acts):
            sys.exit("the replicated rows are not unique by key")
        path = data_dir / f"activity-x{factor}.csv"
        # parameters written with every digit (activity_record rounds them for display)
        records = [
            {
                **activity_record(a),
                "parameters": "; ".join(f"{k}={v!r} {u}" for k, v, u in a.parameters),
            }
            for a in acts
        ]
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(records)
        took = _run(
            [*_xietong(), "inventory", "import", str(path), "--actor", "benchmark", "--json"], env
        )
        line += f"; xietong inventory import {len(acts)} rows {took:.1f} s"
    return line


@contextlib.contextmanager
def serve(
    data_dir: Path, port: int, headers: dict[str, str], timeout: float = 120.0
) -> Iterator[str]:
    """``xietong serve`` on ``port`` until the block ends; yields its base URL once the API
    answers (asked with ``headers``)."""
    log = (data_dir / "server.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [*_xietong(), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-init"],
        env=_env(data_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.flush()
                text = (data_dir / "server.log").read_text(encoding="utf-8")
                sys.exit(f"the server exited ({proc.returncode}):\n{text[-4000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/api/v1/plan", headers=headers, timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                sys.exit(f"the server did not answer within {timeout:.0f} s")
            time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _client(
    base: str,
    endpoints: list[str],
    start: int,
    stop_at: float,
    timeout: float,
    headers: dict[str, str],
    out: list[Sample],
) -> None:
    with httpx.Client(base_url=base, timeout=timeout, headers=headers) as client:
        i = start
        while time.perf_counter() < stop_at:
            ep = endpoints[i % len(endpoints)]
            i += 1
            t0 = time.perf_counter()
            try:
                ok = client.get(ep).status_code == 200
            except httpx.HTTPError:
                ok = False
            out.append(Sample(ep, time.perf_counter() - t0, ok))


def load(
    base: str,
    endpoints: list[str],
    clients: int,
    seconds: float,
    timeout: float,
    headers: dict[str, str],
) -> tuple[list[Sample], float]:
    """All samples of ``clients`` threads requesting ``endpoints`` round-robin for
    ``seconds`` (requests under way at the end are finished and counted), and the wall time."""
    results: list[list[Sample]] = [[] for _ in range(clients)]
    t0 = time.perf_counter()
    threads = [
        threading.Thread(
            target=_client,
            args=(
                base,
                endpoints,
                i * len(endpoints) // clients,
                t0 + seconds,
                timeout,
                headers,
                out,
            ),
        )
        for i, out in enumerate(results)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [s for r in results for s in r], time.perf_counter() - t0


def _row(name: str, samples: list[Sample], wall: float) -> str:
    errors = sum(not s.ok for s in samples)
    if samples:
        ms = np.array([s.seconds for s in samples]) * 1000
        p50, p95, p99 = np.percentile(ms, (50, 95, 99))
    else:
        p50 = p95 = p99 = float("nan")
    met = "yes" if samples and p99 < P99_TARGET_MS and errors == 0 else "NO"
    return (
        f"{name:55s} {len(samples):8d} {errors:6d} {len(samples) / wall:8.1f} "
        f"{p50:9.1f} {p95:9.1f} {p99:9.1f}  {met}"
    )


def report(factor: int, samples: list[Sample], wall: float, endpoints: list[str]) -> bool:
    """Print the table of one factor; whether the overall targets are met."""
    print(
        f"{'endpoint (×' + str(factor) + ')':55s} {'requests':>8s} {'errors':>6s} "
        f"{'req/s':>8s} {'p50 ms':>9s} {'p95 ms':>9s} {'p99 ms':>9s}  target"
    )
    for ep in endpoints:
        print(_row(ep, [s for s in samples if s.endpoint == ep], wall))
    print(_row("overall", samples, wall))
    errors = sum(not s.ok for s in samples)
    p99 = float(np.percentile([s.seconds * 1000 for s in samples], 99)) if samples else 0.0
    met = bool(samples) and p99 < P99_TARGET_MS and errors == 0
    print(
        f"targets (×{factor}): p99 < {P99_TARGET_MS:.0f} ms: "
        f"{'met' if samples and p99 < P99_TARGET_MS else 'MISSED'} ({p99:.1f} ms); "
        f"errors == 0: {'met' if errors == 0 else 'MISSED'} ({errors})"
    )
    return met


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--factor", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, in s")
    parser.add_argument(
        "--endpoint",
        action="append",
        help="a path to request instead of the default list (repeatable)",
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--keep", action="store_true", help="keep the data folders")
    args = parser.parse_args()
    if any(f < 1 for f in args.factor):
        parser.error("--factor: whole numbers ≥ 1")
    endpoints = list(args.endpoint or ENDPOINTS)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"cores {cores}, clients {args.clients}, {args.seconds:g} s per factor, "
        f"{len(endpoints)} endpoints; targets: p99 < {P99_TARGET_MS:.0f} ms, no errors"
    )
    all_met = True
    for factor in args.factor:
        data_dir = Path(tempfile.mkdtemp(prefix=f"xietong-load-x{factor}-"))
        try:
            print(f"\n== factor {factor}: data folder {data_dir}")
            print(prepare(data_dir, factor))
            headers = viewer_headers(data_dir)
            print(f"viewer account {VIEWER} with an API token")
            with serve(data_dir, args.port or _free_port(), headers) as base:
                with httpx.Client(base_url=base, timeout=args.timeout, headers=headers) as client:
                    for ep in endpoints:
                        t0 = time.perf_counter()
                        status = client.get(ep).status_code
                        print(f"warm {ep:55s} {status} {1000 * (time.perf_counter() - t0):8.0f} ms")
                samples, wall = load(
                    base, endpoints, args.clients, args.seconds, args.timeout, headers
                )
            print(f"load: {len(samples)} requests in {wall:.1f} s")
            all_met &= report(factor, samples, wall, endpoints)
        finally:
            if args.keep:
                print(f"kept {data_dir}")
            else:
                shutil.rmtree(data_dir, ignore_errors=True)
    print(f"\nall targets met: {'yes' if all_met else 'NO'}")


if __name__ == "__main__":
    main()
