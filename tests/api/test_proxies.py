"""X-Forwarded-For names the client only when a configured proxy sends it
(PORTAL_TRUSTED_PROXIES): otherwise any client could take a fresh rate-limit bucket per
request by making up an address. Checked on `portal serve` itself, as it is deployed."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager

import httpx

from portal.settings import Settings
from tests import serving
from tests.serving import portal_environment

ROWS = "/api/v1/datasets/272248-aed/rows"  # a heavy route: rate-limited


def portal_serve(settings: Settings, **env: str) -> AbstractContextManager[str]:
    """`portal serve` over the published catalogue of `settings`, limited to 3 requests."""
    environ = portal_environment(settings.data_dir, settings.effective_database_url,
                                 PORTAL_DATASETS_DIR=str(settings.datasets_dir),
                                 PORTAL_RATE_LIMIT="3", **env)  # fmt: skip
    return serving.portal_serve(environ)


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
