"""Fixtures of the ORDEN tests: `world` (tests/connectors/orden/world.py)."""

from tests.connectors.orden.world import world  # noqa: F401
