"""The ORDEN-style connector (issue 15); see plugin.py."""

from portal.connectors.orden.plugin import PLUGIN

__all__ = ["PLUGIN"]
