"""The background worker: long computations (inventory builds, the district allocation,
scenario runs, Monte Carlo and Sobol analyses) run on worker threads started with the server,
one computation per key (single flight), with their progress readable while they run.

A page that needs such a result submits its job and waits a short while; when the job is not
done by then, the page says so and shows the job's progress until it is (the job goes on
whether or not anyone waits). The threads are daemons: stopping the server does not wait for
a build. Computations report progress through :func:`report`, which writes to the job the
current thread is running (and does nothing outside a job), so the core needs no knowledge of
jobs: it takes a plain ``progress`` callback.
"""

from __future__ import annotations

import contextvars
import itertools
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

DONE, FAILED, QUEUED, RUNNING = "done", "failed", "queued", "running"
KEEP_JOBS = 200
"""Finished jobs kept for their pages (the oldest dropped first)."""


@dataclass
class Job:
    """One computation: its state, progress (0–1) and the phase it is in."""

    id: int
    key: Hashable
    label: str
    state: str = QUEUED
    progress: float = 0.0
    phase: str = ""
    error: str = ""
    submitted: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    _done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def finished_ok(self) -> bool:
        """Whether the job ran to its end without an error."""
        return self.state == DONE

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the job to end; whether it has."""
        return self._done.wait(seconds)

    def as_dict(self) -> dict[str, Any]:
        """The job as the API shows it."""
        return {
            "id": self.id,
            "label": self.label,
            "state": self.state,
            "progress": round(self.progress, 3),
            "phase": self.phase,
            "error": self.error,
            "seconds": round(
                max(0.0, (self.finished or time.time()) - (self.started or time.time())), 2
            ),
        }


_current: contextvars.ContextVar[Job | None] = contextvars.ContextVar("job", default=None)


def report(progress: float, phase: str = "") -> None:
    """Record the progress (0–1) and phase of the job this thread runs (if any)."""
    job = _current.get()
    if job is not None:
        job.progress = max(job.progress, min(1.0, max(0.0, progress)))
        if phase:
            job.phase = phase


class Worker:
    """Worker threads and their jobs."""

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._queue: queue.Queue[tuple[Job, Callable[[], object]]] = queue.Queue()
        self._jobs: OrderedDict[int, Job] = OrderedDict()
        self._by_key: dict[Hashable, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> None:
        """Start the threads (once)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        for n in range(self.threads):
            threading.Thread(target=self._run, name=f"xietong-worker-{n}", daemon=True).start()

    def submit(self, key: Hashable, label: str, compute: Callable[[], object]) -> Job:
        """The job of ``key``: the running or queued one if there is one, else a new job of
        ``compute`` (a finished job of the key is replaced: its result lives in the caller's
        cache, which ``compute`` consults first)."""
        self.start()
        with self._lock:
            found = self._by_key.get(key)
            if found is not None and found.state in (QUEUED, RUNNING):
                return found
            job = Job(next(self._ids), key, label)
            self._jobs[job.id] = job
            self._by_key[key] = job
            while len(self._jobs) > KEEP_JOBS:
                _, old = self._jobs.popitem(last=False)
                if self._by_key.get(old.key) is old:
                    del self._by_key[old.key]
        self._queue.put((job, compute))
        return job

    def job(self, job_id: int) -> Job | None:
        """The job with this id, if it is still kept."""
        with self._lock:
            return self._jobs.get(job_id)

    def jobs(self) -> list[Job]:
        """Every kept job, newest first."""
        with self._lock:
            return list(reversed(self._jobs.values()))

    def _run(self) -> None:
        while True:
            job, compute = self._queue.get()
            job.state, job.started = RUNNING, time.time()
            token = _current.set(job)
            try:
                compute()
                job.state, job.progress = DONE, 1.0
            except Exception as exc:  # a job's failure is shown on its page
                job.state = FAILED
                job.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            finally:
                _current.reset(token)
                job.finished = time.time()
                job._done.set()
