"""The CKAN harvest's calls are bounded by the connector's common `limits:` block, as every
connector's are (no private timeout of its own)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, cast

from portal.connectors.base import ConnectorConfig, OutboundLimits
from portal.connectors.ckan.plugin import CkanHarvestPlugin
from tests.connectors.servers import Answer, RecordingServer

if TYPE_CHECKING:
    from portal.composition import Portal


def test_a_hanging_ckan_fails_the_check_within_the_connectors_limits(
    recording_server: RecordingServer,
) -> None:
    recording_server.route("GET", "/api/3/action/package_search", Answer(hang=True))
    config = ConnectorConfig(name="bodik", kind="ckan", endpoints={"ckan": recording_server.url},
                             limits=OutboundLimits(timeout=0.5, retries=0, backoff=0.05))  # fmt: skip
    connector = CkanHarvestPlugin().make(config)
    started = time.monotonic()
    report = connector.check(cast("Portal", None))  # the check asks the source only
    assert time.monotonic() - started < 3  # the default (10 s, 3 retries) would take 40 s
    [item] = report.items
    assert not item.ok
    assert "did not answer within" in item.message  # outbound-timeout, said in words
