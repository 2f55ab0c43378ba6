"""Logged-in users benchmark: ``--clients`` users (50) logged in through the log-in form, each
requesting the dashboard (``/``) and a target page (``/targets/new-energy-bus-share``) in turn
for ``--seconds`` (60) on PostgreSQL; the body reporters among them also submit a progress
figure (``POST /api/v1/progress``, a one-row CSV with a value that differs per request, with
the session cookie and the ``X-CSRF-Token`` header) every ``--submit-every`` (10) iterations.
Each user waits ``--think`` (2) seconds after each iteration (the users start spread over one
pause): 50 such users make ~48 requests a second, a far busier office than 50 people reading
a dashboard. ``--think 0`` makes them request back to back (a closed loop): a saturation test
whose latency is 50 ÷ throughput by construction, reported for the throughput.

How: a fresh PostgreSQL database (``xietong_bench_<pid>`` on ``--pg``) is created and
initialised with ``xietong init`` (``XIETONG_DATABASE_URL`` on it, ``XIETONG_DATA_DIR`` a
temporary folder); the accounts (``--reporters`` body reporters of ``transport``, the rest
viewers) are created in one Python subprocess through the library; ``xietong serve --no-init
--workers N`` (uvicorn) serves the platform in a subprocess. Each client thread (httpx, one
connection, cookies kept) logs in like a browser: ``GET /login`` (the form's CSRF token and
its cookie), ``POST /login`` (303 with the session cookie), then reads the session's CSRF
token from a page. The log-ins are timed and reported, but not part of the targets; each page
is requested once before the load (warm-up, timed and reported), and the load starts once
the server's start-up builds are done in every process (``/api/v1/jobs``), as on a server
that has been up for a while. Prints per request kind and
overall: requests, errors (a status other than the expected 200, or an exception), req/s, p50
/ p95 / p99 latency in ms, and whether the targets are met. The server and the database are
removed at the end (also on Ctrl-C), the database kept with ``--keep-db``.

Target: p99 < 200 ms and no errors, with 50 clients, on 2 cores (``--workers 2``).

Run: ``.venv/bin/python benchmarks/users.py`` (a quick check: ``--seconds 10 --clients 10``).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import psycopg
from psycopg import sql

try:
    import httpx
except ImportError:  # pragma: no cover - the dev extra ships httpx2
    import httpx2 as httpx  # type: ignore[no-redef]

P99_TARGET_MS = 200.0

TARGET = "new-energy-bus-share"
"""The target of the target page and of the submissions (a ``transport`` body may write it)."""

DASHBOARD, TARGET_PAGE, SUBMIT = "GET /", f"GET /targets/{TARGET}", "POST /api/v1/progress"
KINDS = (DASHBOARD, TARGET_PAGE, SUBMIT)

CSRF_INPUT = re.compile(r'name="csrf_token"\s+value="([^"]*)"')
"""The hidden CSRF input of the log-in form and of every logged-in page."""

ACCOUNTS_SCRIPT = """
import json, sys
from xietong.config import Settings
from xietong.service.platform import Platform

platform = Platform.from_settings(Settings())
for a in json.load(sys.stdin):
    platform.add_user(
        a["username"], a["role"], actor="cli", password=a["password"], body=a["body"]
    )
"""
"""Creates the accounts read from stdin (one process: the command line starts slowly)."""


@dataclasses.dataclass
class Sample:
    kind: str
    seconds: float
    ok: bool


@dataclasses.dataclass(frozen=True)
class User:
    username: str
    password: str
    reporter: bool


def _xietong() -> list[str]:
    """The ``xietong`` command of this interpreter's environment."""
    script = Path(sys.executable).parent / "xietong"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from xietong.cli.app import main; main()"]


def _env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIETONG_")}
    env["XIETONG_DATA_DIR"] = str(data_dir)
    env["XIETONG_DATABASE_URL"] = database_url
    return env


def _run(args: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(args, env=env, input=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:3])} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - t0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the database ------------------------------------------------------------------------


def _admin_conn(pg: str) -> psycopg.Connection:
    """An autocommit connection to the server's ``postgres`` database."""
    return psycopg.connect(f"postgresql://{pg}/postgres", autocommit=True)


@contextlib.contextmanager
def database(pg: str, name: str, keep: bool) -> Iterator[str]:
    """A new database ``name`` on ``pg`` (user@host:port) until the block ends (dropped then,
    unless ``keep``); yields its SQLAlchemy URL."""
    with _admin_conn(pg) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"postgresql+psycopg://{pg}/{name}"
    finally:
        if keep:
            print(f"kept database {name} (postgresql+psycopg://{pg}/{name})")
        else:
            with _admin_conn(pg) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def prepare(env: dict[str, str], clients: int, reporters: int) -> tuple[list[User], str]:
    """``xietong init`` and the accounts (``reporters`` body reporters of ``transport``, the
    others viewers); the users and a line saying what was done."""
    took = _run([*_xietong(), "init", "--json"], env)
    users = [
        User(
            f"bench-{'reporter' if i < reporters else 'viewer'}-{i:03d}",
            secrets.token_urlsafe(12),
            i < reporters,
        )
        for i in range(clients)
    ]
    specs = [
        {
            "username": u.username,
            "role": "body" if u.reporter else "viewer",
            "body": "transport" if u.reporter else None,
            "password": u.password,
        }
        for u in users
    ]
    took_accounts = _run([sys.executable, "-c", ACCOUNTS_SCRIPT], env, json.dumps(specs))
    line = (
        f"xietong init {took:.1f} s; {len(users)} accounts ({reporters} body reporters of "
        f"transport, {len(users) - reporters} viewers) {took_accounts:.1f} s"
    )
    return users, line


# -- the server --------------------------------------------------------------------------


@contextlib.contextmanager
def serve(
    data_dir: Path, env: dict[str, str], port: int, timeout: float = 120.0, workers: int = 1
) -> Iterator[str]:
    """``xietong serve`` on ``port`` until the block ends; yields its base URL once it
    answers."""
    log_path = data_dir / "server.log"
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [
            *_xietong(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-init",
            "--workers",
            str(workers),
        ],
        env=env,
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
                text = log_path.read_text(encoding="utf-8")
                sys.exit(f"the server exited ({proc.returncode}):\n{text[-4000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/login", timeout=5).status_code == 200:
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


# -- the clients -------------------------------------------------------------------------


def _csrf(page: str) -> str:
    found = CSRF_INPUT.search(page)
    if found is None:
        raise RuntimeError("no csrf_token input in the page")
    return html.unescape(found.group(1))


def login(client: httpx.Client, user: User) -> str:
    """Log ``client`` in as ``user`` through the form, like a browser; the session's CSRF
    token (read from the dashboard)."""
    form = client.get("/login")
    form.raise_for_status()
    done = client.post(
        "/login",
        data={
            "username": user.username,
            "password": user.password,
            "csrf_token": _csrf(form.text),
            "next": "/",
        },
    )
    if done.status_code != 303 or "xietong_session" not in client.cookies:
        raise RuntimeError(f"log-in of {user.username} failed: {done.status_code}")
    page = client.get("/")
    page.raise_for_status()
    return _csrf(page.text)


def _submission(n: int) -> bytes:
    value = 40 + (n % 600) / 10  # 40.0 … 99.9, a different figure each time
    return f"target_id,period,value,unit\n{TARGET},2024,{value:.1f},percent\n".encode()


class Client(threading.Thread):
    """One logged-in user: log-in, then the pages (and submissions) until ``stop_at``."""

    counter = iter(range(1 << 62))  # submission numbers across threads (next() is atomic)

    def __init__(
        self,
        base: str,
        user: User,
        index: int,
        submit_every: int,
        think: float,
        timeout: float,
        ready: threading.Barrier,
        stop: threading.Event,
    ) -> None:
        super().__init__(daemon=True)
        self.base, self.user, self.index = base, user, index
        self.submit_every, self.think, self.timeout = submit_every, think, timeout
        self.ready, self.stop = ready, stop
        self.stop_at = 0.0
        self.login_seconds: float | None = None
        self.failure: str | None = None
        self.samples: list[Sample] = []

    def _timed(self, kind: str, call: Callable[[], httpx.Response]) -> None:
        t0 = time.perf_counter()
        try:
            ok = call().status_code == 200
        except Exception:  # any failure of a request is an error of the run
            ok = False
        self.samples.append(Sample(kind, time.perf_counter() - t0, ok))

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=self.timeout) as client:
            try:
                t0 = time.perf_counter()
                csrf = login(client, self.user)
                self.login_seconds = time.perf_counter() - t0
            except Exception as exc:  # reported, and the others stop
                self.failure = f"{self.user.username}: {exc}"
                self.ready.abort()
                return
            try:
                self.ready.wait()
            except threading.BrokenBarrierError:
                return
            i = self.index
            if self.think:  # spread the users over a think time: no lock-step bursts
                self.stop.wait(self.think * self.index / self.ready.parties)
            while time.perf_counter() < self.stop_at and not self.stop.is_set():
                self._timed(DASHBOARD, lambda: client.get("/"))
                self._timed(TARGET_PAGE, lambda: client.get(f"/targets/{TARGET}"))
                if self.user.reporter and i % self.submit_every == 0:
                    body = _submission(next(Client.counter))
                    self._timed(
                        SUBMIT,
                        lambda body=body: client.post(
                            "/api/v1/progress",
                            files={"file": ("progress.csv", body, "text/csv")},
                            headers={"X-CSRF-Token": csrf},
                        ),
                    )
                i += 1
                if self.think:
                    self.stop.wait(self.think)


def load(
    base: str,
    users: list[User],
    seconds: float,
    submit_every: int,
    think: float,
    timeout: float,
    stop: threading.Event,
) -> tuple[list[Client], float]:
    """Every user logged in, then ``seconds`` of load (requests under way at the end are
    finished and counted); the clients and the wall time of the load."""
    start: dict[str, float] = {}

    def go() -> None:  # the barrier's action: all logged in, the clock starts
        start["t0"] = time.perf_counter()
        for c in clients:
            c.stop_at = start["t0"] + seconds

    ready = threading.Barrier(len(users), action=go)
    clients = [
        Client(base, u, i, submit_every, think, timeout, ready, stop) for i, u in enumerate(users)
    ]
    for c in clients:
        c.start()
    for c in clients:
        while c.is_alive():  # a timed join: Ctrl-C reaches the main thread
            c.join(0.5)
    failures = [c.failure for c in clients if c.failure]
    if failures:
        sys.exit("log-in failed:\n" + "\n".join(failures[:10]))
    return clients, time.perf_counter() - start.get("t0", time.perf_counter())


# -- the report --------------------------------------------------------------------------


def _percentiles(seconds: list[float]) -> tuple[float, float, float]:
    if not seconds:
        return float("nan"), float("nan"), float("nan")
    p50, p95, p99 = np.percentile(np.array(seconds) * 1000, (50, 95, 99))
    return float(p50), float(p95), float(p99)


def _row(name: str, samples: list[Sample], wall: float) -> str:
    errors = sum(not s.ok for s in samples)
    p50, p95, p99 = _percentiles([s.seconds for s in samples])
    met = "yes" if samples and p99 < P99_TARGET_MS and errors == 0 else "NO"
    return (
        f"{name:40s} {len(samples):8d} {errors:6d} {len(samples) / wall:8.1f} "
        f"{p50:9.1f} {p95:9.1f} {p99:9.1f}  {met}"
    )


def report(clients: list[Client], wall: float) -> bool:
    """Print the table; whether the overall targets are met."""
    logins = [c.login_seconds for c in clients if c.login_seconds is not None]
    p50, p95, p99 = _percentiles(logins)
    print(
        f"log-in (GET /login, POST /login, GET /) of {len(logins)} users at once: "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, max {1000 * max(logins):.0f} ms "
        "(not part of the targets)"
    )
    samples = [s for c in clients for s in c.samples]
    print(
        f"{'request':40s} {'requests':>8s} {'errors':>6s} {'req/s':>8s} "
        f"{'p50 ms':>9s} {'p95 ms':>9s} {'p99 ms':>9s}  target"
    )
    for kind in KINDS:
        print(_row(kind, [s for s in samples if s.kind == kind], wall))
    print(_row("overall", samples, wall))
    errors = sum(not s.ok for s in samples)
    p99 = _percentiles([s.seconds for s in samples])[2]
    p99_met = bool(samples) and p99 < P99_TARGET_MS
    print(
        f"targets: p99 < {P99_TARGET_MS:.0f} ms: {'met' if p99_met else 'MISSED'} "
        f"({p99:.1f} ms); errors == 0: {'met' if errors == 0 else 'MISSED'} ({errors})"
    )
    return p99_met and errors == 0


def _warm(base: str, user: User, timeout: float) -> None:
    """Each request once, as one logged-in user, timed and printed."""
    with httpx.Client(base_url=base, timeout=timeout) as client:
        t0 = time.perf_counter()
        csrf = login(client, user)
        print(f"warm log-in {user.username:28s} {1000 * (time.perf_counter() - t0):8.0f} ms")
        calls = [
            (DASHBOARD, lambda: client.get("/")),
            (TARGET_PAGE, lambda: client.get(f"/targets/{TARGET}")),
        ]
        if user.reporter:
            calls.append(
                (
                    SUBMIT,
                    lambda: client.post(
                        "/api/v1/progress",
                        files={"file": ("progress.csv", _submission(0), "text/csv")},
                        headers={"X-CSRF-Token": csrf},
                    ),
                )
            )
        for kind, call in calls:
            t0 = time.perf_counter()
            response = call()
            print(
                f"warm {kind:35s} {response.status_code} "
                f"{1000 * (time.perf_counter() - t0):8.0f} ms"
            )
            if response.status_code != 200:
                sys.exit(f"{kind}: {response.status_code}\n{response.text[:2000]}")
        _settle(client, timeout=600.0)


def _settle(client: httpx.Client, timeout: float, idle_answers: int = 8) -> None:
    """Wait until the server's start-up builds (``/api/v1/jobs``: inventory, derived values,
    allocation, scenarios) are done in every server process: ``idle_answers`` answers in a
    row with no job queued or running (each answer may come from another process). A server
    runs for days after one start; the load measures it warm."""
    t0 = time.perf_counter()
    idle = 0
    while idle < idle_answers:
        if time.perf_counter() - t0 > timeout:
            sys.exit(f"the start-up builds did not finish in {timeout:.0f} s")
        jobs = client.get("/api/v1/jobs").json()["jobs"]
        busy = [j["label"] for j in jobs if j["state"] in ("queued", "running")]
        idle = 0 if busy else idle + 1
        time.sleep(0.5 if busy else 0.1)
    print(f"start-up builds done (waited {time.perf_counter() - t0:.1f} s)")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up as Ctrl-C does


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50, help="logged-in users (threads)")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--submit-every",
        type=int,
        default=10,
        help="a reporter submits a progress figure every N iterations",
    )
    parser.add_argument(
        "--reporters", type=int, default=10, help="how many users are body reporters"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="seconds each user waits after each iteration (default 2; 0: back to back, "
        "a saturation test that measures throughput, not users)",
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, in s")
    parser.add_argument(
        "--pg", default="postgres@127.0.0.1:5432", help="PostgreSQL user@host:port (trust)"
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--workers", type=int, default=2, help="server processes (default 2: one per core)"
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database")
    args = parser.parse_args()
    if args.clients < 1 or args.submit_every < 1 or not 0 <= args.reporters <= args.clients:
        parser.error("--clients, --submit-every ≥ 1; 0 ≤ --reporters ≤ --clients")
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in background
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"cores {cores}, server processes {args.workers}, clients {args.clients} "
        f"({args.reporters} reporters, a submission "
        f"every {args.submit_every} iterations, think time {args.think:g} s), "
        f"{args.seconds:g} s; targets: p99 < {P99_TARGET_MS:.0f} ms, no errors"
    )
    name = f"xietong_bench_{os.getpid()}"
    data_dir = Path(tempfile.mkdtemp(prefix="xietong-users-"))
    stop = threading.Event()
    met = False
    try:
        with database(args.pg, name, args.keep_db) as url:
            print(f"database {name}, data folder {data_dir}")
            env = _env(data_dir, url)
            users, line = prepare(env, args.clients, args.reporters)
            print(line)
            with serve(data_dir, env, args.port or _free_port(), workers=args.workers) as base:
                _warm(base, users[0], args.timeout)
                try:
                    clients, wall = load(
                        base, users, args.seconds, args.submit_every, args.think, args.timeout, stop
                    )
                finally:
                    stop.set()
            print(f"load: {sum(len(c.samples) for c in clients)} requests in {wall:.1f} s")
            met = report(clients, wall)
    except KeyboardInterrupt:
        print("\ninterrupted: server stopped, database and data folder removed", file=sys.stderr)
        sys.exit(130)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"\nall targets met: {'yes' if met else 'NO'}")


if __name__ == "__main__":
    main()
