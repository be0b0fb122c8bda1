"""Fixtures of the connectors' tests: `recording_server` (tests/connectors/servers.py)."""

from tests.connectors.servers import recording_server  # noqa: F401
