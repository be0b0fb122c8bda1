"""The NGSI-v2 connector (FIWARE Orion): rows of published standard datasets as entities."""

from portal.connectors.ngsi.plugin import PLUGIN, NgsiConnector

__all__ = ["PLUGIN", "NgsiConnector"]
