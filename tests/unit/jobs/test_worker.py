"""`portal worker` really consumes the queue in a process of its own: started as a person
would start it, on a temporary data directory, it runs a job this test enqueues. On Redis,
several workers share one queue (how the portal scales its background work)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from portal.composition import Portal
from portal.jobs import JobRecord, make_huey
from portal.jobs.ping import PING_JOB
from portal.settings import Settings
from tests.serving import portal_environment

PORTAL = str(Path(sys.executable).with_name("portal"))
WAIT_SECONDS = 60.0


@contextmanager
def worker(settings: Settings, *args: str) -> Iterator[subprocess.Popen[str]]:
    redis = {"PORTAL_REDIS_URL": settings.redis_url} if settings.redis_url else {}
    env = portal_environment(settings.data_dir, None, **redis)
    process = subprocess.Popen([PORTAL, "worker", *args], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)  # huey's graceful stop: the running job finishes
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_done(portal: Portal, ids: list[str], process: subprocess.Popen[str]) -> list[JobRecord]:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        jobs = [portal.jobs.get(i) for i in ids]
        if all(j is not None and j.finished for j in jobs):
            return [j for j in jobs if j is not None]
        assert process.poll() is None, f"the worker stopped: {process.communicate()[1][-2000:]}"
        time.sleep(0.2)
    raise AssertionError(f"not done in {WAIT_SECONDS} s: {[portal.jobs.get(i) for i in ids]}")


def test_portal_worker_runs_a_job_in_its_own_process(queue_settings: Settings) -> None:
    portal = Portal.open(queue_settings)  # the database set up before the worker starts
    try:
        make_huey(queue_settings).flush()  # nothing left from an earlier run on Redis
        with worker(queue_settings) as process:
            job = portal.jobs.enqueue(PING_JOB, {})
            (done,) = wait_done(portal, [job.id], process)
        assert done.state == "done" and done.attempts == 1
        assert done.result is not None and done.result["pid"] == process.pid != os.getpid()
        assert process.stderr is not None and "ping" in process.stderr.read()  # its kinds
    finally:
        portal.close()


def test_several_workers_on_redis_share_the_queue(tmp_path: Path, jobs_redis_url: str) -> None:
    settings = Settings(data_dir=tmp_path / "var", redis_url=jobs_redis_url, catalogue="embedded")
    portal = Portal.open(settings)
    try:
        make_huey(settings).flush()
        with worker(settings) as one, worker(settings) as two:
            ids = [portal.jobs.enqueue(PING_JOB, {"seconds": 0.5}).id for _ in range(8)]
            done = wait_done(portal, ids, one)
        pids = {j.result["pid"] for j in done if j.result}
        assert all(j.state == "done" for j in done)
        assert pids == {one.pid, two.pid}  # each worker took some of the jobs
    finally:
        portal.close()


@pytest.mark.parametrize("bad", ["0", "x"])
def test_worker_refuses_a_bad_count(bad: str, tmp_path: Path) -> None:
    done = subprocess.run([PORTAL, "worker", "--workers", bad], capture_output=True, text=True,
                          env=portal_environment(tmp_path, None), timeout=60)  # fmt: skip
    assert done.returncode == 2 and "--workers" in done.stderr


def test_serve_with_worker_runs_jobs_in_its_own_process(tmp_path: Path) -> None:
    """`make run`'s `portal serve --with-worker`: the demo's jobs run without a `portal worker`;
    the job's URL answers its state over HTTP."""
    from tests.api.conftest import free_port

    settings = Settings(data_dir=tmp_path / "var", catalogue="embedded")
    portal = Portal.open(settings)
    port = free_port()
    server = subprocess.Popen([PORTAL, "serve", "--port", str(port), "--with-worker"],
                              env=portal_environment(settings.data_dir, None),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        job = portal.jobs.enqueue(PING_JOB, {})
        deadline, state = time.monotonic() + WAIT_SECONDS, {}
        while time.monotonic() < deadline and state.get("state") != "done":
            assert server.poll() is None, server.stderr.read() if server.stderr else "exited"
            try:
                state = httpx.get(f"http://127.0.0.1:{port}/api/v1/jobs/{job.id}").json()["job"]
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(0.2)
        assert state["state"] == "done" and state["result"]["pid"] == server.pid
    finally:
        server.terminate()
        server.wait(timeout=20)
        portal.close()
