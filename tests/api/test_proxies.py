"""X-Forwarded-For names the client only when a configured proxy sends it
(PORTAL_TRUSTED_PROXIES): otherwise any client could take a fresh rate-limit bucket per
request by making up an address. Checked on `portal serve` itself, as it is deployed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from portal.settings import Settings
from tests.api.conftest import free_port

ROWS = "/api/v1/datasets/272248-aed/rows"  # a heavy route: rate-limited


@contextmanager
def portal_serve(settings: Settings, **env: str) -> Iterator[str]:
    port = free_port()
    environ = {**os.environ, "PORTAL_DATA_DIR": str(settings.data_dir),
               "PORTAL_DATASETS_DIR": str(settings.datasets_dir), "PORTAL_CATALOGUE": "embedded",
               "PORTAL_DATABASE_URL": settings.effective_database_url,
               "PORTAL_RATE_LIMIT": "3", **env}  # fmt: skip
    environ.pop("CKAN_URL", None)
    command = [sys.executable, "-m", "portal", "serve", "--port", str(port)]
    process = subprocess.Popen(
        command, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "portal serve did not start"
            try:
                httpx.get(base + "/api/v1/standards", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def statuses(base: str, forwarded_for: list[str]) -> list[int]:
    with httpx.Client(base_url=base) as http:
        return [http.get(ROWS, headers={"X-Forwarded-For": a}).status_code for a in forwarded_for]


def test_a_made_up_forwarded_address_takes_no_fresh_bucket(api_settings: Settings) -> None:
    with portal_serve(api_settings) as base:
        made_up = [f"203.0.113.{i}" for i in range(1, 6)]
        assert statuses(base, made_up) == [200, 200, 200, 429, 429]


def test_a_configured_proxy_names_the_client(api_settings: Settings) -> None:
    trusted = {"PORTAL_TRUSTED_PROXIES": json.dumps(["127.0.0.1"])}
    with portal_serve(api_settings, **trusted) as base:
        # Behind the proxy, each client has its own bucket; one client still meets its limit.
        assert statuses(base, ["198.51.100.7"] * 4) == [200, 200, 200, 429]
        assert statuses(base, ["198.51.100.8"]) == [200]
        # A client's own made-up entry before the proxy's is not believed: the proxy appends
        # the address it saw, and that one (the rightmost untrusted) is the client.
        assert statuses(base, ["203.0.113.9, 198.51.100.7"]) == [429]
