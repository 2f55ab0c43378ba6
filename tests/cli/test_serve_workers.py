"""`xietong serve --workers 2` runs the platform in two processes that share the database: a
log-in made through one is honoured by whichever process answers next."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

from tests.signin import PASSWORD, account
from xietong.config import Settings
from xietong.service.platform import Platform


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_server_processes_serve_one_platform(tmp_path: Path) -> None:
    env = {**os.environ, "XIETONG_DATA_DIR": str(tmp_path)}
    env.pop("XIETONG_DATABASE_URL", None)
    p = Platform.from_settings(Settings(data_dir=tmp_path))
    p.init(demo=True, activity=False)
    name = account(p, "viewer")
    p.engine.dispose()
    port = _free_port()
    exe = Path(sys.executable).with_name("xietong")
    proc = subprocess.Popen(
        [str(exe), "serve", "--no-init", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a generous start-up allowance, not a measurement
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, f"the server exited ({proc.returncode})"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        with httpx.Client(base_url=base) as client:
            page = client.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token is not None
            r = client.post(
                "/login",
                data={"username": name, "password": PASSWORD, "csrf_token": token.group(1)},
            )
            assert r.status_code == 303
            for _ in range(10):  # answered by either process: the session is in the database
                assert client.get("/api/v1/status").status_code == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
