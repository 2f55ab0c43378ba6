"""First views: each main page requested once, as the first visitor after ``xietong serve``
started on a fresh data folder (SQLite, the Wuhan demo data), logged in as a body reporter.

Prints, per page, the HTTP status (200: the page; 202: the progress page of a computation
still running) and the time to the full response. Target (issue #13): no first view takes
more than 1 s; a page whose computation takes longer shows its progress instead.

Run: ``.venv/bin/python benchmarks/first_view.py`` (``--wait S``: seconds to wait after the
server answers, default 0: the first visitor arrives at once).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import httpx
except ImportError:  # pragma: no cover - the dev extra ships httpx2
    import httpx2 as httpx  # type: ignore[no-redef]

PAGES = [
    "/",
    "/targets",
    "/targets/new-energy-bus-share",
    "/measures/4",
    "/tasks",
    "/tasks/m07-2",
    "/reporting",
    "/search?q=jtysj",
    "/inventory",
    "/synergy",
    "/scenarios",
    "/districts/wuchang",
]
TARGET_S = 1.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wait", type=float, default=0.0)
    args = parser.parse_args()
    xietong = str(Path(sys.executable).parent / "xietong")
    folder = Path(tempfile.mkdtemp(prefix="xietong-first-view-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIETONG_")}
    env |= {"XIETONG_DATA_DIR": str(folder), "XIETONG_DATABASE_URL": f"sqlite:///{folder}/x.db"}
    subprocess.run([xietong, "init", "--json"], env=env, check=True, capture_output=True)
    added = subprocess.run(
        [xietong, "user", "add", "bench-jt", "--role", "body", "--body", "transport", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    password = json.loads(added.stdout)["password"]
    port = _free_port()
    server = subprocess.Popen(
        [xietong, "serve", "--no-init", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    sys.exit("the server did not start")
                time.sleep(0.1)
            time.sleep(args.wait)
            form = client.get("/login")
            csrf = re.search(r'name="csrf_token"\s+value="([^"]*)"', form.text)
            assert csrf is not None
            client.post(
                "/login",
                data={"username": "bench-jt", "password": password, "csrf_token": csrf[1]},
            )
            worst = 0.0
            print(f"{'page':34s} status  seconds")
            for path in PAGES:
                t0 = time.perf_counter()
                status = client.get(path).status_code
                took = time.perf_counter() - t0
                worst = max(worst, took)
                print(f"{path:34s} {status:6d} {took:8.3f}")
            verdict = "met" if worst <= TARGET_S else "MISSED"
            print(f"slowest first view {worst:.3f} s: target ≤ {TARGET_S:g} s {verdict}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
