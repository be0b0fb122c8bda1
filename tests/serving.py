"""`portal serve` and the `portal` CLI as real processes, for what only a deployment shows:
headers from a socket, several processes sharing one database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from portal.settings import PROJECT_ROOT
from tests.api.conftest import free_port

# Seconds a `portal serve` may take to answer (it may upgrade an empty database first).
START_SECONDS = 30
# Seconds a `portal` CLI command may take before the test gives up on it.
COMMAND_SECONDS = 60
# Wide enough that the CLI's tables (rich) are not cut to an 80-column terminal.
COLUMNS = "250"


def portal_environment(data_dir: Path, database_url: str | None, **env: str) -> dict[str, str]:
    """The environment of a portal process on the embedded catalogue in `data_dir`: this
    one's without any CKAN_* or PORTAL_* variable (a developer's own must not leak in), and
    PORTAL_DATABASE_URL only when given (unset: SQLite in the data dir)."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("CKAN_", "PORTAL_"))}
    environ = {**inherited, "PORTAL_DATA_DIR": str(data_dir), "PORTAL_CATALOGUE": "embedded",
               "COLUMNS": COLUMNS, **env}  # fmt: skip
    if database_url is not None:
        environ["PORTAL_DATABASE_URL"] = database_url
    return environ


@contextmanager
def portal_servers(*environs: dict[str, str]) -> Iterator[list[str]]:
    """One `portal serve` process per environment, all started at once (as replicas behind a
    load balancer start, racing to set up an empty database); their base URLs once every one
    answers. Stopped at the end."""
    ports = [free_port() for _ in environs]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "portal", "serve", "--port", str(port)],
            env=environ,
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for port, environ in zip(ports, environs, strict=True)
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + START_SECONDS
        for process, base in zip(processes, bases, strict=True):
            _wait_until_answering(process, base, deadline)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
            if process.stderr:
                process.stderr.close()


def _wait_until_answering(process: subprocess.Popen[bytes], base: str, deadline: float) -> None:
    while True:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "exited")
        assert time.monotonic() < deadline, f"portal serve at {base} did not start"
        try:
            httpx.get(base + "/api/v1/standards", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)


@contextmanager
def portal_serve(environ: dict[str, str]) -> Iterator[str]:
    """One `portal serve` process; its base URL once it answers."""
    with portal_servers(environ) as (base,):
        yield base


def portal_cli(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m portal ARGS` from the checkout (recipes under pipelines/ read ../shared)."""
    return subprocess.run([sys.executable, "-m", "portal", *args], env=environ, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=COMMAND_SECONDS)  # fmt: skip
