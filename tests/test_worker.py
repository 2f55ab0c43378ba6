"""The background worker: one job per key while it runs, progress from inside the job,
failures kept on the job, daemon threads."""

from __future__ import annotations

import threading

from xietong.worker import DONE, FAILED, Worker, report


def test_a_key_runs_once_while_its_job_runs() -> None:
    worker = Worker(threads=2)
    gate = threading.Event()
    runs: list[int] = []

    def slow() -> None:
        runs.append(1)
        report(0.5, "engine")
        gate.wait(5)

    first = worker.submit("k", "inventory", slow)
    second = worker.submit("k", "inventory", slow)
    assert first is second
    for _ in range(100):
        if first.phase:
            break
        first.wait(0.01)
    assert first.phase == "engine" and first.progress == 0.5
    gate.set()
    assert first.wait(5) and first.state == DONE and first.progress == 1.0
    assert runs == [1]
    # a finished job's key starts a new job (its result lives in the caller's cache)
    again = worker.submit("k", "inventory", lambda: None)
    assert again is not first and again.wait(5)
    assert [j.id for j in worker.jobs()] == [again.id, first.id]


def test_a_failure_is_kept_on_the_job() -> None:
    worker = Worker(threads=1)

    def broken() -> None:
        raise ValueError("no factor for coal\nsecond line")

    job = worker.submit("x", "inventory", broken)
    assert job.wait(5)
    assert job.state == FAILED and job.error == "no factor for coal"
    assert job.as_dict()["state"] == "failed"


def test_report_outside_a_job_does_nothing() -> None:
    report(0.3, "resolve")  # no error, no job


def test_the_threads_are_daemons() -> None:
    worker = Worker(threads=1)
    job = worker.submit("d", "x", lambda: None)
    job.wait(5)
    names = [t for t in threading.enumerate() if t.name.startswith("xietong-worker")]
    assert names and all(t.daemon for t in names)
